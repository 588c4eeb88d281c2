"""The instrument as the text states it (issue 12), through every layer but extraction:
hand-built `Instrument`s -> extract JSON -> RDF (conforms, stable IRIs) -> the named query and
the API table; and the renderer that writes "最高 40% 或 25%…" once for all of them."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from loader_helpers import CORPUS
from rdflib import Graph

from policykg.api.commands.load import document_json
from policykg.api.routes.instruments import instrument_rows
from policykg.loaders.extract import ExtractionResult, extract_file
from policykg.loaders.facts import Evidence, Instrument, RateOption, ScheduleStep, Threshold
from policykg.loaders.instrument_terms import percent, terms, threshold_label, yuan
from policykg.loaders.manifest import manifest_for
from policykg.loaders.to_rdf import instrument_iri, instrument_key, to_graph
from policykg.ontology.validation import validate_graph
from policykg.ontology.vocab import PKG
from policykg.queries.catalogue import run_query
from policykg.queries.store import PolicyStore

D = Decimal

YUAN = [("600", "600元"), ("15000", "1.5万元"), ("2000000", "200万元"), ("25000000", "2500万元"),
        ("100000000", "1亿元"), ("1500000000", "15亿元"), ("150000000.5", "15000.00005万元"),
        ("123456789012345678901234567890", "12345678901234567890123456.789万元"), ("2.5E+7", "2500万元")]
PERCENT = [("0.3", "30%"), ("0.25", "25%"), ("1", "100%"), ("0.045", "4.5%"), ("1E-4", "0.01%"),
           (str(D(1) / D(3)), "33.3333%")]


@pytest.mark.parametrize(("amount", "text"), YUAN)
def test_amounts_read_as_the_texts_write_them(amount: str, text: str) -> None:
    assert yuan(D(amount)) == text


@pytest.mark.parametrize(("rate", "text"), PERCENT)
def test_rates_as_percentages(rate: str, text: str) -> None:
    assert percent(D(rate)) == text


@pytest.mark.parametrize(("threshold", "text"), [
    (Threshold("营业收入", D("200000"), True, D("500000"), False), "营业收入 ≥ 20万元 且 < 50万元"),
    (Threshold("研发人员", D("50"), False, unit="人"), "研发人员 > 50人"),
    (Threshold(None, max=D("0.3"), unit="%"), "≤ 30%"),
    (Threshold("合同金额、服务金额", min=D("1000000")), "合同金额,服务金额 ≥ 100万元"),
])
def test_threshold_labels(threshold: Threshold, text: str) -> None:
    assert threshold_label(threshold) == text


EV = Evidence("x.txt", "…", 0, 1)
TERMS = [
    ({"rate": D("0.2"), "rate_is_max": True, "rate_base": "实际支付费用", "max_cny": D("2000000"), "period": "yearly"},
     "实际支付费用的 最高 20%;每年最高 200万元"),
    ({"rate_options": [RateOption(D("0.3")), RateOption(D("0.2"))], "rate_is_max": True},
     "最高 30% 或 20%"),
    ({"rate_schedule": [ScheduleStep(1, D("0.6")), ScheduleStep(2, D("0.45"))], "period_years": 2},
     "第1年 60%、第2年 45%;支持2年"),
    ({"kind": "matching", "rate": D("1"), "rate_is_max": True}, "最高 1:1 配套"),
    ({"kind": "matching", "rate": D("0.2"), "rate_base": "上级实际到账资金"}, "按上级实际到账资金 20% 配套"),
    ({"kind": "uplift", "rate": D("0.5")}, "提高至 50%"),
    ({"kind": "combined_ceiling", "rate": D("0.7"), "rate_is_max": True}, "叠加后 最高 70%"),
    ({"min_cny": D("500000"), "max_cny": D("500000"), "period": "one_time"}, "一次性50万元"),
    ({"min_cny": D("200000"), "max_cny": D("1000000")}, "20万元–100万元"),
    ({"kind": "fund", "min_cny": D("10000000000"), "period": "unstated"}, "不低于 100亿元"),
    ({"max_cny": D("3000000"), "period": "cumulative"}, "累计最高 300万元"),
    ({"quantified": False, "period_years": 3}, "未给出具体标准;支持3年"),
    ({"max_cny": D("600"), "thresholds": [Threshold("算力规模", D("100"), unit="P")]}, "最高 600元;条件:算力规模 ≥ 100P"),
]


@pytest.mark.parametrize(("fields", "text"), TERMS, ids=[t[1] for t in TERMS])
def test_terms_read_as_the_text_states_them(fields: dict, text: str) -> None:
    assert terms(Instrument("1", "other", EV, **fields)) == text


@pytest.fixture(scope="module")
def nantong() -> ExtractionResult:
    path = CORPUS / "001_3ed52c5da64ca356.txt"
    return extract_file(path, manifest_for([path]))


def stated(result: ExtractionResult) -> ExtractionResult:
    """The plan with its instruments replaced by five hand-built ones of every new shape."""
    result = copy.deepcopy(result)
    plan = result.loaded[0]
    base = plan.instruments[0]

    def inst(category: str = "model_rnd", **fields) -> Instrument:
        return Instrument(clause=base.clause, category=category, evidence=base.evidence, **fields)

    plan.instruments = [
        inst(label="分档", rate=D("0.4"), rate_is_max=True, rate_base="研发投入", max_cny=D("5000000"),
             period="yearly", recipient="enterprise", funder_level="city+district",
             rate_options=[RateOption(D("0.4"), "首次认定的"), RateOption(D("0.25"))],
             thresholds=[Threshold("营业收入", D("20000000"), True, D("100000000"), False)]),
        inst(label="逐年", kind="rent_subsidy", rate_base="租金", period_years=3,
             rate_schedule=[ScheduleStep(1, D("0.6")), ScheduleStep(2, D("0.45")), ScheduleStep(3, D("0.3"))]),
        inst(label="配套", kind="matching", rate=D("1"), rate_kind="matching", rate_base="上级实际到账资金",
             funder_level="city"),
        inst(label="一事一议", kind="other", quantified=False, recipient="team"),
        inst(label="基金", category="fund", kind="fund", min_cny=D("10000000000"), period="unstated"),
    ]
    return result


def test_the_json_carries_every_field(nantong) -> None:
    tiers = document_json(stated(nantong).loaded[0])["instruments"][0]
    assert (tiers["kind"], tiers["rate_is_max"], tiers["recipient"], tiers["funder_level"]) == \
        ("grant", True, "enterprise", "city+district")
    assert tiers["rate_options"] == [{"rate": 0.4, "condition": "首次认定的"}, {"rate": 0.25, "condition": None}]
    assert tiers["thresholds"][0]["min"] == 20_000_000 and tiers["thresholds"][0]["max_inclusive"] is False


def test_rdf_conforms_and_is_stable(nantong) -> None:
    result = stated(nantong)
    graph = to_graph(result)
    report = validate_graph(graph, lang="en")
    assert report.conforms, report.findings
    assert set(graph) == set(to_graph(stated(nantong)))  # content-keyed IRIs, no blank nodes
    plan = result.loaded[0]
    tiers, schedule, matching, unquantified, fund = (instrument_iri(plan, i) for i in plan.instruments)
    assert graph.value(tiers, PKG.instrumentKind) == PKG.kind_grant
    assert graph.value(fund, PKG.instrumentKind) == PKG.kind_fund and graph.value(fund, PKG.category) == PKG.fund
    assert graph.value(fund, PKG.period) == PKG.UnstatedPeriod
    assert graph.value(matching, PKG.instrumentKind) == PKG.kind_matching
    assert graph.value(matching, PKG.rateKind) == PKG.Matching
    assert len(set(graph.objects(tiers, PKG.rateOption))) == 2
    assert sorted(graph.value(s, PKG.stepYear).toPython() for s in graph.objects(schedule, PKG.rateStep)) == [1, 2, 3]
    assert graph.value(unquantified, PKG.quantified).toPython() is False


def test_a_new_field_tells_two_offers_in_one_sentence_apart(nantong) -> None:
    plan = stated(nantong).loaded[0]
    one = plan.instruments[0]
    other = copy.deepcopy(one)
    other.rate_options = [RateOption(D("0.3")), RateOption(D("0.2"))]
    assert instrument_iri(plan, one) != instrument_iri(plan, other)
    plain = Instrument(clause=one.clause, category="model_rnd", evidence=one.evidence)
    assert instrument_key(plain).count("|") == 9  # unset new fields leave earlier IRIs alone
    assert instrument_key(one).count("|") > 9


@pytest.fixture(scope="module")
def store(nantong):
    store = PolicyStore.in_memory()
    store.replace_source("plan.txt", to_graph(stated(nantong)))
    yield store
    store.close()


def test_the_catalogue_shows_the_terms_as_the_text_says_them(store) -> None:
    rows = {r["label"]: r for r in run_query(store, "instruments-by-category", {"category": "model_rnd"}).rows}
    tiers = rows["分档"]
    assert tiers["terms"] == "研发投入的 最高 40%(首次认定的) 或 25%;每年最高 500万元;条件:营业收入 ≥ 2000万元 且 < 1亿元"
    assert (tiers["kind"], tiers["rate_is_max"], tiers["recipient"], tiers["funder_level"]) == \
        ("grant", True, "enterprise", "city+district")
    assert tiers["rate_options"] == "25%、40%(首次认定的)"  # a set: the order is in `terms`
    assert tiers["thresholds"] == "营业收入 ≥ 2000万元 且 < 1亿元"
    assert tiers["max_yuan"] == 5_000_000 and isinstance(tiers["max_yuan"], int)
    schedule = rows["逐年"]
    assert schedule["rate_schedule"] == "第1年 60%、第2年 45%、第3年 30%"
    assert (schedule["kind"], schedule["period_years"], schedule["rate_is_max"]) == ("rent_subsidy", 3, False)
    assert rows["配套"]["terms"] == "按上级实际到账资金 1:1 配套"
    assert (rows["一事一议"]["quantified"], rows["一事一议"]["terms"]) == (False, "未给出具体标准")
    fund = run_query(store, "instruments-by-category", {"category": "fund"}).rows[0]
    assert (fund["min_yuan"], fund["terms"], fund["period"]) == (10_000_000_000, "不低于 100亿元", "unstated")


def test_the_api_table_gives_tiers_years_and_thresholds_in_order(store) -> None:
    rows = {r.label: r for r in instrument_rows(store, category="model_rnd")}
    assert [(o.rate, o.condition) for o in rows["分档"].rate_options] == [(0.4, "首次认定的"), (0.25, None)]
    (threshold,) = rows["分档"].thresholds
    assert (threshold.min, threshold.min_inclusive, threshold.max, threshold.max_inclusive, threshold.unit) == \
        (20_000_000, True, 100_000_000, False, "CNY")
    assert [(s.year, s.rate) for s in rows["逐年"].rate_schedule] == [(1, 0.6), (2, 0.45), (3, 0.3)]
    assert rows["一事一议"].quantified is False and rows["一事一议"].recipient == "team"
    assert rows["分档"].terms == terms(stated_instrument(rows["分档"].label))


def stated_instrument(label: str) -> Instrument:
    return Instrument("1", "model_rnd", EV, label=label, rate=D("0.4"), rate_is_max=True,
                      rate_base="研发投入", max_cny=D("5000000"), period="yearly",
                      rate_options=[RateOption(D("0.4"), "首次认定的"), RateOption(D("0.25"))],
                      thresholds=[Threshold("营业收入", D("20000000"), True, D("100000000"), False)])


def test_turtle_examples_agree_with_the_renderer() -> None:
    """The hand-written `pkg:terms` of the test data are what the renderer writes."""
    g = Graph().parse(CORPUS.parent / "tests" / "queries" / "data" / "extra.ttl")
    written = {str(t) for t in g.objects(None, PKG.terms)}
    assert terms(stated_instrument("x")) in written
