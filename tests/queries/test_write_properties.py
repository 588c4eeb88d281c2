"""The write path against full validation, on random sequences of writes (hypothesis).

Every step puts or removes a source through `writes.apply`. Whatever the sequence:
- an accepted write leaves a store that full SHACL validation finds conforming;
- a refused write leaves the store byte-identical, and full validation of the state it would
  have produced (the same change written without validation, on a copy) does not conform;
- the links depend only on the set of stored sources, not on the order they came in.

Documents are small generated graphs shaped like the loaders' (policies with a jurisdiction,
instruments with a rate, top-up references, supersessions, issue dates) plus the corpus's
news report and city plan, so top-ups, supersession cycles and conflicting issue dates arise
between files and through replacements and deletions.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS, XSD

from policykg.loaders.extract import extract_file
from policykg.loaders.manifest import manifest_for
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.validation import validate_graph
from policykg.ontology.vocab import ID, JUR, PKG, clause_iri
from policykg.queries import writes
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"
NEWS, PLAN = CORPUS / "000_e0ca90489cf1be8a.txt", CORPUS / "001_3ed52c5da64ca356.txt"
PLACES = ["江苏省", "南通市", "南通创新区", "安徽省"]  # 南通创新区 ⊂ 南通市 ⊂ 江苏省; 安徽省 apart
POLICIES = ["甲", "乙"]


def _corpus_graphs() -> dict[str, Graph]:
    files = [NEWS, PLAN]
    manifest = manifest_for(files)
    return {p.name: to_graph(extract_file(p, manifest)) for p in files}


CORPUS_GRAPHS = _corpus_graphs()


def _dec(value: str) -> Literal:
    return Literal(Decimal(value), datatype=XSD.decimal)


def make_doc(name: str, place: str, rate: str = "0.2", *, issued: int | None = None,
             tops_up: str | None = None, supersedes: str | None = None,
             target_for: str | None = None) -> Graph:
    """One file stating policy `name` in `place`, its instrument at `rate`, and optionally a
    top-up reference, a supersession, an issue date (month) and a target set for another
    policy — whose type only that policy's own file states, so removing that file breaks a
    node of this one (found only by looking backward from the removal)."""
    policy = ID[f"policy/gen-{name}"]
    g = Graph()
    g.add((policy, RDF.type, PKG.PolicyDocument))
    g.add((policy, PKG.title, Literal(f"政策{name}", lang="zh")))
    g.add((policy, PKG.loaded, Literal(True)))
    g.add((policy, PKG.jurisdiction, JUR[place]))
    g.add((policy, PKG.documentType, PKG.ActionPlan))
    issuer = ID[f"org/gen-{place}科技局"]
    g.add((policy, PKG.issuedBy, issuer))
    g.add((issuer, RDF.type, PKG.Department))
    g.add((issuer, SKOS.prefLabel, Literal(f"{place}科技局", lang="zh")))
    if issued:
        g.add((policy, PKG.issued, Literal(f"2024-0{issued}-01", datatype=XSD.date)))
    clause = clause_iri(policy, "一")
    g.add((clause, RDF.type, PKG.Clause))
    g.add((clause, PKG.ofPolicy, policy))
    g.add((clause, PKG.partOf, policy))
    inst = URIRef(f"{clause}/instrument/{rate}")
    evidence = URIRef(f"{inst}/evidence")
    g.add((inst, RDF.type, PKG.FundingInstrument))
    g.add((inst, PKG.instrumentOf, policy))
    g.add((inst, PKG.definedIn, clause))
    g.add((inst, PKG.category, PKG.compute_voucher))
    g.add((inst, PKG.rate, _dec(rate)))
    g.add((inst, PKG.evidence, evidence))
    g.add((evidence, RDF.type, PKG.Evidence))
    g.add((evidence, PKG.quote, Literal(f"给予{rate}补助")))
    g.add((evidence, PKG.inClause, clause))
    g.add((evidence, PKG.charStart, Literal(0)))
    g.add((evidence, PKG.charEnd, Literal(5)))
    if tops_up:
        g.add((inst, PKG.topsUpPolicy, ID[f"policy/gen-{tops_up}"]))
    if supersedes:
        g.add((policy, PKG.supersedes, ID[f"policy/gen-{supersedes}"]))
    if target_for:
        target = ID[f"target/gen-{name}-for-{target_for}"]
        g.add((target, RDF.type, PKG.Target))
        g.add((target, PKG.targetValue, _dec("1")))
        g.add((target, PKG.targetOf, ID[f"policy/gen-{target_for}"]))
        g.add((target, PKG.evidence, evidence))
    return g


@st.composite
def documents(draw: st.DrawFn) -> Graph:
    name = draw(st.sampled_from(POLICIES))
    other = draw(st.sampled_from([p for p in POLICIES if p != name]))
    maybe = st.one_of(st.none(), st.just(other))
    return make_doc(name, draw(st.sampled_from(PLACES)), draw(st.sampled_from(["0.2", "0.5", "0.6"])),
                    issued=draw(st.sampled_from([None, 1, 2])), tops_up=draw(maybe),
                    supersedes=draw(maybe), target_for=draw(maybe))


SOURCES = ["a.txt", "b.txt", "c.txt"]
steps = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(SOURCES), documents()),
    st.tuples(st.just("remove"), st.sampled_from(SOURCES), st.none()),
    st.tuples(st.just("put"), st.sampled_from(sorted(CORPUS_GRAPHS)), st.none()),
    st.tuples(st.just("remove"), st.sampled_from(sorted(CORPUS_GRAPHS)), st.none()),
)


def _quads(store: PolicyStore) -> list[str]:
    return sorted(str(q) for q in store._ox)  # noqa: SLF001 - the whole dataset, byte for byte


def _everything(store: PolicyStore) -> Graph:
    g = Graph()
    for source in store.sources():
        g += store.graph_for(source)  # what `policykg validate --data` reads, links included
    return g


def _copy(store: PolicyStore) -> PolicyStore:
    raw = ox.Store()
    raw.extend(store._ox)  # noqa: SLF001
    return PolicyStore(raw)


def _change(step: tuple) -> writes.Change:
    kind, source, graph = step
    if kind == "remove":
        return writes.Change(remove={source})
    return writes.Change(put={source: graph if graph is not None else CORPUS_GRAPHS[source]})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=5))
# the cases that need the backward look, always run besides the random ones
@example([("put", "b.txt", make_doc("乙", "南通市")), ("put", "a.txt", make_doc("甲", "南通创新区", target_for="乙")),
          ("remove", "b.txt", None)])
@example([("put", "b.txt", make_doc("乙", "南通市")), ("put", "a.txt", make_doc("甲", "南通创新区", target_for="乙")),
          ("put", "b.txt", make_doc("丙", "南通市"))])
@example([("put", "a.txt", make_doc("甲", "南通市", "0.2")), ("put", "b.txt", make_doc("乙", "南通创新区", "0.5", tops_up="甲")),
          ("put", "a.txt", make_doc("甲", "安徽省", "0.2")), ("put", "a.txt", make_doc("甲", "南通市", "0.6"))])
@example([("put", "a.txt", make_doc("甲", "南通市", supersedes="乙")),
          ("put", "b.txt", make_doc("乙", "南通市", supersedes="甲"))])
@example([("put", "a.txt", make_doc("甲", "南通市", issued=1)), ("put", "b.txt", make_doc("甲", "南通市", issued=2))])
def test_incremental_validation_agrees_with_full_validation(sequence: list[tuple]) -> None:
    store = PolicyStore.in_memory()
    for step in sequence:
        change = _change(step)
        if change.remove and not change.remove <= set(store.sources()):
            continue
        before = _quads(store)
        would_be = _copy(store)
        writes.apply(would_be, change, "en", validate=False)
        full = validate_graph(_everything(would_be), "en")
        report = writes.apply(store, change, "en")
        assert report.conforms == full.conforms, (step, report.findings, full.findings)
        if report.conforms:
            assert isomorphic(_everything(store), _everything(would_be))
        else:
            assert _quads(store) == before
        assert validate_graph(_everything(store), "en").conforms


def test_generated_documents_conform_on_their_own() -> None:
    """Otherwise every random write would be refused and the property above vacuous."""
    store = PolicyStore.in_memory()
    assert writes.apply(store, writes.Change(put={"a.txt": make_doc("甲", "南通市", issued=1)}), "en").conforms
    linked = writes.apply(store, writes.Change(put={"b.txt": make_doc("乙", "南通创新区", "0.5", tops_up="甲",
                                                                      target_for="甲")}), "en")
    assert linked.conforms and store.query("ASK { ?a pkg:topsUp ?b }") is True


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(SOURCES), documents()), min_size=1, max_size=4,
                unique_by=lambda t: t[0]), st.randoms(use_true_random=False))
def test_links_do_not_depend_on_order(files: list[tuple[str, Graph]], rng) -> None:
    """One write of all files, or one file at a time in another order: the same graph."""
    together = PolicyStore.in_memory()
    accepted = writes.apply(together, writes.Change(put=dict(files)), "en", validate=False)
    shuffled = list(files)
    rng.shuffle(shuffled)
    one_by_one = PolicyStore.in_memory()
    for source, graph in shuffled:
        writes.apply(one_by_one, writes.Change(put={source: graph}), "en", validate=False)
    assert accepted.stored == sorted(s for s, _ in files)
    assert isomorphic(_everything(together), _everything(one_by_one))
