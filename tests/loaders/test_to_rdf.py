"""The corpus as RDF: conforms to the SHACL shapes, typed literals, stable IRIs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from loader_helpers import CORPUS
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from policykg.loaders.extract import extract_text
from policykg.loaders.manifest import manifest_for
from policykg.loaders.pipeline import build, build_graphs, iter_graphs
from policykg.ontology.validation import validate_graph
from policykg.ontology.vocab import PKG, policy_iri

PATHS = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return build_graphs(PATHS, manifest_for(PATHS))


@pytest.fixture(scope="module")
def corpus_graph(graphs) -> Graph:
    g = Graph()
    for graph in graphs.values():
        g += graph
    return g


def test_corpus_graph_conforms(corpus_graph):
    report = validate_graph(corpus_graph, lang="en")
    assert report.conforms, [(f.focus, f.message) for f in report.findings]


def test_a_broken_graph_does_not_conform(corpus_graph):
    g = Graph() + corpus_graph
    node = next(g.subjects(RDF.type, PKG.FundingInstrument))
    g.remove((node, PKG.category, None))
    assert not validate_graph(g, lang="en").conforms


def test_loading_twice_gives_the_same_graph(graphs):
    again = build_graphs(PATHS, manifest_for(PATHS))
    assert graphs.keys() == again.keys()
    for source in graphs:
        assert set(graphs[source]) == set(again[source])  # identical triples, no blank nodes
        assert isomorphic(graphs[source], again[source])


def test_literals_are_typed(corpus_graph):
    rates = list(corpus_graph.objects(None, PKG.rate))
    amounts = list(corpus_graph.objects(None, PKG.maxAmount))
    assert rates and amounts
    assert all(lit.datatype == XSD.decimal and isinstance(lit.toPython(), Decimal) for lit in rates + amounts)
    assert all(lit.datatype == XSD.date for lit in corpus_graph.objects(None, PKG.inForceUntil))
    assert all(lit.language == "zh" for lit in corpus_graph.objects(None, PKG.title))
    assert all(lit.datatype in (None, XSD.string) and lit.language is None for lit in corpus_graph.objects(None, PKG.quote))


#: A made-up city plan (its title names no place) and a made-up news report on it that
#: describes a district's policy raising (加码) the city's offer.
PLAN = "关于推动人工智能产业加快发展的行动方案"
DISTRICT_POLICY = "关于加快智算产业集聚的若干政策意见"
PLAN_TEXT = f"""岳阳市人民政府办公室关于印发《{PLAN}》的通知
（岳政办发〔2025〕9号）
各县市区人民政府，市直各单位：
《{PLAN}》已经市人民政府同意，现印发给你们，请认真贯彻执行。
岳阳市人民政府办公室
2025年6月3日
{PLAN}
为加快人工智能产业发展，制定本方案。
一、支持算力应用。对租用智能算力的企业，按实际费用的20%给予补贴，每家企业每年最高100万元。（责任单位：市工信局）
二、本方案自印发之日起施行，有效期三年。同一企业同一事项按照就高不重复原则给予支持。相关政策条款实施后有新规定的，按新规定执行。
"""
REPORT_TEXT = f"""岳阳日报讯（记者 李明）近日，我市出台《{PLAN}》，从算力、数据、场景等方面支持人工智能产业发展。
方案提出，对租用智能算力的企业，按实际费用的20%给予补贴，每家企业每年最高100万元。
岳阳楼区出台的《{DISTRICT_POLICY}》在市级政策基础上加码：对区内企业租用智能算力的，市、区两级给予实际费用50%的补贴，每家企业每年最高300万元。
"""


@pytest.fixture(scope="module")
def made_up_graph(tmp_path_factory) -> Graph:
    folder = tmp_path_factory.mktemp("made-up")
    (folder / "plan.txt").write_text(PLAN_TEXT, encoding="utf-8")
    (folder / "report.txt").write_text(REPORT_TEXT, encoding="utf-8")
    g = Graph()
    for graph in build_graphs(sorted(folder.glob("*.txt"))).values():
        g += graph
    return g


def test_city_plan_node(made_up_graph):
    plan = policy_iri(PLAN, place="岳阳市")  # its title names no place
    g = made_up_graph
    assert (plan, PKG.docNumber, Literal("岳政办发〔2025〕9号")) in g
    assert (plan, PKG.loaded, Literal(True)) in g
    assert (plan, PKG.loaded, Literal(False)) not in g  # cited by the report, loaded from its file
    assert (plan, PKG.stackingRule, PKG.HighestApplies) in g
    assert (plan, PKG.precedencePrinciple, PKG.LaterRulesPrevail) in g


def test_district_policy_tops_up_the_city(made_up_graph):
    g = made_up_graph
    district = policy_iri(DISTRICT_POLICY, place="岳阳楼区")
    plan = policy_iri(PLAN, place="岳阳市")
    assert (district, PKG.loaded, None) not in g  # not loaded: no assertion
    # the text's references only; `queries.links` resolves them (pkg:supports, pkg:topsUp) when storing
    cited = {str(g.value(st, PKG.citedTitle)) for st in g.subjects(PKG.relationSubject, district)}
    assert cited == {PLAN} and not list(g.objects(district, PKG.supports))
    refs = list(g.subject_objects(PKG.topsUpPolicy))
    assert refs and not list(g.subject_objects(PKG.topsUp))
    for low, policy in refs:
        assert (low, PKG.instrumentOf, district) in g and g.value(policy, PKG.title) == g.value(plan, PKG.title)


def test_relations_have_statements_with_evidence(corpus_graph):
    g = corpus_graph
    statements = list(g.subjects(RDF.type, PKG.RelationStatement))
    cited = list(g.subjects(PKG.citedTitle, None))  # typed and given their object when linked
    assert len(statements) >= 10 and len(cited) >= 10 and not set(statements) & set(cited)
    for st in statements + cited:
        ev = g.value(st, PKG.evidence)
        assert g.value(ev, PKG.quote) and g.value(ev, PKG.inClause)
        assert g.value(st, PKG.relationSubject) and g.value(st, PKG.relationType)
    for st in statements:
        prop = g.value(st, PKG.relationType)
        assert (g.value(st, PKG.relationSubject), prop, g.value(st, PKG.relationObject)) in g


def test_any_district_gets_its_level_code_and_parents(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("海淀区关于促进人工智能发展的若干措施\n为促进发展,制定本措施。\n一、支持算力。对企业给予最高100万元补助。\n", encoding="utf-8")
    result = build([path])
    g = result.graphs["x.txt"]
    j = next(g.objects(None, PKG.jurisdiction))
    assert (j, RDF.type, PKG.Jurisdiction) in g and str(j).endswith("海淀区")
    # every place in the graph has a level and, up to the nation, a parent
    assert (j, PKG.level, PKG.County) in g and (j, PKG.divisionCode, Literal("110108")) in g
    beijing = g.value(j, PKG.within)
    assert str(beijing).endswith("北京市") and (beijing, PKG.level, PKG.Province) in g
    assert str(g.value(beijing, PKG.within)).endswith("中国")


def test_reports_about_one_policy_stay_apart_and_conform():
    """Many news reports describe the same policy and get the same constructed title: each
    report is still its own node (its clauses do not merge), and a relation stated in several
    files keeps one statement per sentence."""
    news = (CORPUS / "000_e0ca90489cf1be8a.txt").read_bytes()
    results = [extract_text(news, "report-a.txt"), extract_text(news, "report-b.txt")]
    merged = Graph()
    for _source, graph in iter_graphs(results):
        merged += graph
    reports = set(merged.subjects(PKG.documentType, PKG.NewsReport))
    assert len(reports) == 2
    assert validate_graph(merged, "en").conforms
