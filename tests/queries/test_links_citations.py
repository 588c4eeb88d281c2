"""Citations, supersessions and the other document relations by title are derived links: the
same set of files gives the same links whatever the order and the entry point (one write,
file by file, `policykg load`'s `ingest_files`), and a change re-derives the links of the
stored files naming a policy it loads or removes (`queries.links`)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from policykg.loaders.extract import extract_file, extract_text
from policykg.loaders.manifest import manifest_for
from policykg.loaders.to_rdf import doc_iri, to_graph
from policykg.ontology.validation import validate_graph
from policykg.ontology.vocab import PKG, policy_iri
from policykg.queries import writes
from policykg.queries.ingest import ingest_files
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html"))
RELATIONS = ("supersedes", "cites", "supports", "basedOn", "prevailsOver", "topsUp", "alignsWith",
             "implementedBy")


def relation_links(store: PolicyStore) -> set[tuple[str, str, str]]:
    """Every relation triple and every relation statement's (subject, type, object)."""
    out = set()
    for name in RELATIONS:
        out |= {(name, r["a"], r["b"]) for r in store.query(f"SELECT ?a ?b WHERE {{ ?a pkg:{name} ?b }}").rows}
    rows = store.query("SELECT ?st ?s ?t ?o WHERE { ?st a pkg:RelationStatement ; pkg:relationSubject ?s ; "
                       "pkg:relationType ?t ; pkg:relationObject ?o }").rows
    return out | {(r["st"], r["s"] + " " + r["t"], r["o"]) for r in rows}


def everything(store: PolicyStore) -> set[tuple]:
    g = Graph()
    for source in store.sources():
        g += store.graph_for(source)
    return set(g)


@pytest.fixture(scope="module")
def corpus_graphs() -> dict[str, Graph]:
    manifest = manifest_for(FILES)
    return {p.name: to_graph(extract_file(p, manifest)) for p in FILES}


@pytest.fixture(scope="module")
def together(corpus_graphs) -> PolicyStore:
    store = PolicyStore.in_memory()
    assert writes.apply(store, writes.Change(put=dict(corpus_graphs)), "en").conforms
    return store


@pytest.mark.parametrize("seed", ["reversed", 7])
def test_corpus_links_do_not_depend_on_load_order(corpus_graphs, together, seed) -> None:
    order = sorted(corpus_graphs)
    if seed == "reversed":
        order.reverse()
    else:
        random.Random(seed).shuffle(order)
    one_by_one = PolicyStore.in_memory()
    for source in order:
        assert writes.apply(one_by_one, writes.Change(put={source: corpus_graphs[source]}), "en").conforms
    assert relation_links(one_by_one) == relation_links(together)
    assert everything(one_by_one) == everything(together)


def test_policykg_load_file_by_file_gives_the_links_of_one_load(together) -> None:
    manifest = manifest_for(FILES)
    store = PolicyStore.in_memory()
    for path in reversed(FILES):
        assert ingest_files(store, [path], manifest, lang="en").conforms
    at_once = PolicyStore.in_memory()
    ingest_files(at_once, FILES, manifest, lang="en")
    assert relation_links(store) == relation_links(at_once) == relation_links(together)


def test_citations_reach_the_loaded_or_described_document(together) -> None:
    plan = policy_iri("关于促进通用人工智能产业创新发展的行动方案", place="南通市")
    zone = policy_iri("关于打造“紫琅三谷”、培育未来产业的若干政策意见", place="南通创新区")
    links = relation_links(together)
    # the report and the zone policy it describes both point at the loaded plan, in any order
    assert {("supports", str(zone), str(plan))} <= links
    assert any(n == "cites" and o == str(plan) for n, _s, o in links)
    # the zone policy is one node: the report's citation of it meets the policy it describes
    titled = together.query("SELECT DISTINCT ?p WHERE { ?p pkg:title ?t "
                            "FILTER (CONTAINS(STR(?t), '紫琅三谷') && !CONTAINS(STR(?t), '报道')) }").rows
    assert [r["p"] for r in titled] == [str(zone)]
    # every statement's object is what its direct triple points at
    for row in together.query("SELECT ?s ?t ?o WHERE { ?st a pkg:RelationStatement ; pkg:relationSubject ?s ; "
                             "pkg:relationType ?t ; pkg:relationObject ?o }").rows:
        assert together.query(f"ASK {{ <{row['s']}> <{row['t']}> <{row['o']}> }}") is True


# -- the resolution rules, on texts of many shapes --------------------------------------------

PLAN = "常州市促进人工智能产业发展行动方案（2025—2027年）\n为促进发展，制定本方案。\n一、目标。\n"


def _graph(text: str, source: str) -> Graph:
    return to_graph(extract_text(text, source))


def _doc(text: str, source: str) -> URIRef:
    return doc_iri(extract_text(text, source).documents[0])


def _supported(store: PolicyStore, source: str) -> set[str]:
    return {str(o) for o in store.graph_for(source).objects(None, PKG.supports)}


def _put(store: PolicyStore, **graphs: Graph) -> writes.WriteReport:
    report = writes.apply(store, writes.Change(put={k.replace("_", "."): g for k, g in graphs.items()}), "en")
    assert report.conforms, report.findings
    return report


@pytest.mark.parametrize("cited", [
    "常州市促進人工智慧產業發展行動方案(2025-2027年)",     # traditional script, ASCII brackets and dash
    "常州市促进人工智能产业发展行方案（2025～2027年）",      # a dropped character, another dash
    "常州市促进人工智能产业发展行动方案(2025—2027年)",
])
def test_a_citation_meets_a_document_loaded_later_or_earlier(cited: str) -> None:
    citing = f"常州市关于算力券的实施细则\n为贯彻落实《{cited}》，制定本细则。\n一、对企业给予补贴。\n"
    target = str(_doc(PLAN, "plan.txt"))
    for first, second in (("plan", "rules"), ("rules", "plan")):
        store = PolicyStore.in_memory()
        for name in (first, second):
            _put(store, **{f"{name}_txt": _graph(PLAN if name == "plan" else citing, f"{name}.txt")})
        assert _supported(store, "rules.txt") == {target}, (cited, first)


def test_other_digits_are_another_document() -> None:
    citing = "常州市关于数据券的实施细则\n为贯彻落实《常州市促进人工智能产业发展行动方案（2028—2030年）》，制定本细则。\n一、补贴。\n"
    store = PolicyStore.in_memory()
    _put(store, plan_txt=_graph(PLAN, "plan.txt"), rules_txt=_graph(citing, "rules.txt"))
    assert _supported(store, "rules.txt") == {str(policy_iri("常州市促进人工智能产业发展行动方案（2028—2030年）"))}


def test_removing_or_replacing_the_cited_document_relinks_the_citation() -> None:
    citing = "常州市关于算力券的实施细则\n为贯彻落实《常州市促进人工智能产业发展行动方案（2025—2027年）》，制定本细则。\n一、补贴。\n"
    store = PolicyStore.in_memory()
    _put(store, rules_txt=_graph(citing, "rules.txt"))
    title_only = {str(policy_iri("常州市促进人工智能产业发展行动方案（2025—2027年）"))}
    assert _supported(store, "rules.txt") == title_only
    report = _put(store, plan_txt=_graph(PLAN, "plan.txt"))
    assert report.relinked == ["rules.txt"]
    assert _supported(store, "rules.txt") == {str(_doc(PLAN, "plan.txt"))}
    assert writes.remove(store, ["plan.txt"], "en").conforms
    assert _supported(store, "rules.txt") == title_only
    assert validate_graph(Graph() + store.graph_for("rules.txt"), "en").conforms


# two cities' same-titled plans: the title alone names no place, each is place-qualified
SAME_TITLE = "关于促进人工智能产业发展的若干措施\n为促进发展，制定本措施。\n一、对企业给予最高10万元补助。\n{issuer}\n2024年1月2日\n"


@pytest.mark.parametrize("district, city", [("武进区", "常州市"), ("梁溪区", "无锡市")])
def test_same_titled_policies_resolve_to_the_one_of_the_citing_place(district: str, city: str) -> None:
    a = SAME_TITLE.format(issuer="常州市科学技术局")
    b = SAME_TITLE.format(issuer="无锡市科学技术局")
    citing = (f"{district}关于算力券的实施细则\n为贯彻落实《关于促进人工智能产业发展的若干措施》，制定本细则。\n"
              f"一、补贴。\n{district}科学技术局\n2024年3月1日\n")
    expected = str(_doc(a if city == "常州市" else b, "x.txt"))
    for order in (("a", "b", "rules"), ("rules", "b", "a")):
        store = PolicyStore.in_memory()
        texts = {"a": a, "b": b, "rules": citing}
        for name in order:
            _put(store, **{f"{name}_txt": _graph(texts[name], f"{name}.txt")})
        assert _supported(store, "rules.txt") == {expected}, order


def test_a_doc_number_identifies_the_document_when_titles_differ() -> None:
    plan = "常州市促进算力发展的若干措施\n常政发〔2024〕12号\n为促进发展，制定本措施。\n一、对企业给予最高10万元补助。\n"
    citing = ("常州市关于算力券的实施细则\n为贯彻落实《常州市关于算力发展的若干政策》（常政发〔2024〕12号），制定本细则。\n"
              "一、补贴。\n")
    loaded = extract_text(plan, "plan.txt").documents[0]
    assert loaded.doc_number == "常政发〔2024〕12号"
    stated = extract_text(citing, "rules.txt").documents[0]
    assert [r.target_doc_number for r in stated.relations] == ["常政发〔2024〕12号"]
    for order in (("plan", "rules"), ("rules", "plan")):
        store = PolicyStore.in_memory()
        for name in order:
            _put(store, **{f"{name}_txt": _graph(plan if name == "plan" else citing, f"{name}.txt")})
        assert _supported(store, "rules.txt") == {str(doc_iri(loaded))}, order


# -- random sequences of writes: citations re-derived by every change -------------------------

OLD_RULES = "常州市促进算力产业高质量发展补贴办法\n常政规〔2024〕1号\n为促进发展，制定本办法。\n一、对企业给予最高10万元补助。\n" \
            "本办法自2024年1月1日起施行，《常州市数据奖励办法》同时废止。\n"
TEXTS = {
    # a.txt: the rules (two versions: a replacement renames them), superseding b's
    ("a.txt", 1): OLD_RULES,
    ("a.txt", 2): OLD_RULES.replace("算力产业高质量发展补贴办法", "数据产业高质量发展奖励细则"),
    # b.txt supersedes a's rules by 文号 only: with a's first version, a cycle (refused)
    ("b.txt", 1): "常州市数据奖励办法\n为促进发展，制定本办法。\n一、对企业给予最高20万元奖励。\n"
                  "本办法施行后，常政规〔2024〕1号文件不再执行。\n",
    ("b.txt", 2): "常州市数据奖励办法\n为促进发展，制定本办法。\n一、对企业给予最高20万元奖励。\n",
    # c.txt cites a's first title with a dropped character
    ("c.txt", 1): "常州市关于算力券的实施细则\n为贯彻落实《常州市促进算力产业高量发展补贴办法》，制定本细则。\n一、补贴。\n",
}


@pytest.fixture(scope="module")
def text_graphs() -> dict[tuple[str, int], Graph]:
    return {key: _graph(text, key[0]) for key, text in TEXTS.items()}


def test_the_cycle_text_states_what_the_property_needs(text_graphs) -> None:
    """Otherwise the property below would exercise nothing."""
    store = PolicyStore.in_memory()
    _put(store, a_txt=text_graphs["a.txt", 1], c_txt=text_graphs["c.txt", 1])
    a = next(iter(text_graphs["a.txt", 1].subjects(PKG.loaded, None)))
    assert _supported(store, "c.txt") == {str(a)}
    report = writes.apply(store, writes.Change(put={"b.txt": text_graphs["b.txt", 1]}), "en")
    assert not report.conforms and "Supersession" in " ".join(f.shape + f.message for f in report.findings)


def _state(store: PolicyStore) -> set[tuple]:
    return relation_links(store) | everything(store)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["put", "remove"]), st.sampled_from(sorted(TEXTS))),
                min_size=1, max_size=6))
# a citation met, lost by a renaming replacement, met again, lost by a removal; a cycle refused
@example([("put", ("c.txt", 1)), ("put", ("a.txt", 1)), ("put", ("a.txt", 2)), ("put", ("a.txt", 1)),
          ("remove", ("a.txt", 1))])
@example([("put", ("b.txt", 1)), ("put", ("a.txt", 1)), ("put", ("b.txt", 2)), ("put", ("a.txt", 1)),
          ("put", ("b.txt", 1))])
def test_writes_in_any_sequence_give_the_links_of_one_write(text_graphs, sequence) -> None:
    """After any sequence of uploads, replacements and deletions the links are those of writing
    the stored files at once, and each write is refused exactly when full validation fails."""
    store = PolicyStore.in_memory()
    current: dict[str, Graph] = {}
    for kind, key in sequence:
        source = key[0]
        if kind == "remove":
            if source not in current:
                continue
            change = writes.Change(remove={source})
        else:
            change = writes.Change(put={source: text_graphs[key]})
        would_be = PolicyStore.in_memory()
        if current or change.put:
            writes.apply(would_be, writes.Change(put={**{s: g for s, g in current.items() if s not in change.remove},
                                                      **change.put}), "en", validate=False)
        full = Graph()
        for s in would_be.sources():
            full += would_be.graph_for(s)
        report = writes.apply(store, change, "en")
        assert report.conforms == validate_graph(full, "en").conforms, (kind, key, report.findings)
        if report.conforms:
            current = {s: g for s, g in current.items() if s not in change.remove} | change.put
            assert _state(store) == _state(would_be), (kind, key)


def test_precedence_answers_a_supersession_stated_in_another_upload(text_graphs) -> None:
    """The named query reads the links through the default graph (the merge of every graph)."""
    from policykg.queries.catalogue import run_query

    old = _graph(OLD_RULES.split("本办法自")[0], "a.txt")
    newer = text_graphs["b.txt", 1]
    b = str(next(iter(newer.subjects(PKG.loaded, None))))
    for order in (("a.txt", "b.txt"), ("b.txt", "a.txt")):
        store = PolicyStore.in_memory()
        for source in order:
            _put(store, **{source.replace(".", "_"): old if source == "a.txt" else newer})
        rows = run_query(store, "precedence", {"policy": "常政规〔2024〕1号"}).rows
        assert [(r["kind"], r["direction"], r["subject"]) for r in rows if r["kind"] == "supersedes"] \
            == [("supersedes", "incoming", b)], order


def test_index_rules_on_known_documents() -> None:
    """`citations.Index` alone: never the citing document, loaded before described, place last."""
    from policykg.queries.citations import Citation, Index, Known

    long_title = "某某市关于加快推动人工智能与实体经济深度融合促进新质生产力高质量发展的若干政策措施"
    rules = URIRef("urn:rules")
    own = Known(rules, long_title + "实施细则", True, frozenset({"常州市"}))
    index = Index([own, Known(URIRef("urn:x"), long_title, False, frozenset({"常州市"}))])

    def cite(title: str, places: tuple[str, ...] = ("常州市", "江苏省"), number: str | None = None) -> Citation:
        return Citation(URIRef("urn:st"), rules, PKG.implementedBy, title, number, places)

    assert index.resolve(cite(long_title + "实施细则")) is None  # its own title: the title node
    assert index.resolve(cite(long_title)) == URIRef("urn:x")    # only described: still met
    both = Index([Known(URIRef("urn:x"), long_title, False, frozenset({"常州市"})),
                  Known(URIRef("urn:y"), long_title, True, frozenset({"无锡市"}))])
    assert both.resolve(cite(long_title)) == URIRef("urn:y")     # the loaded text wins
    twins = Index([Known(URIRef("urn:a"), "关于促进发展的若干措施", True, frozenset({"常州市"}), "常政发〔2024〕1号"),
                   Known(URIRef("urn:b"), "关于促进发展的若干措施", True, frozenset({"无锡市"}))])
    assert twins.resolve(cite("关于促进发展的若干措施")) == URIRef("urn:a")
    assert twins.resolve(cite("关于促进发展的若干措施", ("安徽省",))) is None  # neither place: no guess
    assert twins.resolve(cite("另一个标题", (), "常政发〔2024〕1号")) == URIRef("urn:a")
