"""Incremental validation gives full validation's verdicts on the new document's nodes.

The example graph is split the way the corpus splits it: the city plan (001) is already in the
store, the news report (000) — with the district policy it describes and the top-up of the
city's compute voucher — arrives as the new document. Each case breaks the pair so that the
defect only shows when both files are seen together.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from policykg.ontology.validation import Finding, validate_graph
from policykg.ontology.vocab import ID, JUR, PKG
from policykg.queries.neighbourhood import neighbourhood, triples_of, validate_increment
from policykg.queries.store import PolicyStore

CITY_SOURCE = "001_3ed52c5da64ca356.txt"
NEWS_SOURCE = "000_e0ca90489cf1be8a.txt"
PLAN = ID["policy/plan"]
ZONE = ID["policy/zone"]
CITY_COMPUTE = URIRef(f"{ID}policy/plan/clause/三、2/instrument/1")
ZONE_COMPUTE = ID["policy/zone/instrument/compute"]
#: Subjects of the news file that are not under policy/zone or policy/news.
NEWS_ORGS = {ID["org/南通创新区管委会"], ID["org/南通日报"]}


def split(example: Graph) -> tuple[Graph, Graph]:
    """(city file, news file): the news report, the zone policy and their nodes go to 000."""
    city, news = Graph(), Graph()
    for s, p, o in example:
        in_news = str(s).startswith((str(ZONE), str(ID["policy/news"]))) or s in NEWS_ORGS
        (news if in_news else city).add((s, p, o))
    return city, news


def dec(value: str) -> Literal:
    return Literal(Decimal(value), datatype=XSD.decimal)


def full_on(new: Graph, stored: Graph, lang: str = "en") -> tuple[bool, list[Finding]]:
    """Full validation of everything, restricted to the new graph's subjects."""
    everything = Graph()
    for g in (stored, new):
        for t in g:
            everything.add(t)
    focus = {str(s) for s in new.subjects()}
    findings = [f for f in validate_graph(everything, lang).findings if f.focus in focus]
    return not any(f.severity == "Violation" for f in findings), findings


Breaker = Callable[[Graph, Graph], None]


def _city_outside(city: Graph, news: Graph) -> None:
    """The topped-up instrument's policy lies in Anhui, which does not enclose 南通创新区."""
    city.set((PLAN, PKG.jurisdiction, JUR["安徽省"]))


def _city_rate_higher(city: Graph, news: Graph) -> None:
    """The stored city voucher pays 60%: the district's 50% "top-up" is lower."""
    city.set((CITY_COMPUTE, PKG.rate, dec("0.6")))


def _supersession_cycle(city: Graph, news: Graph) -> None:
    """The stored plan supersedes the zone policy; the new file says the reverse."""
    city.add((PLAN, PKG.supersedes, ZONE))
    news.add((ZONE, PKG.supersedes, PLAN))


def _two_issue_dates(city: Graph, news: Graph) -> None:
    """Each file gives the zone policy a different issue date (sh:maxCount 1)."""
    city.add((ZONE, PKG.issued, Literal("2024-01-05", datatype=XSD.date)))
    news.add((ZONE, PKG.issued, Literal("2024-02-06", datatype=XSD.date)))


BROKEN: list[tuple[str, Breaker, str]] = [
    ("top-up-target-in-non-enclosing-jurisdiction", _city_outside, "TopUpEnclosing"),
    ("top-up-lower-than-stored-target", _city_rate_higher, "TopUpNotLower"),
    ("supersession-cycle-across-files", _supersession_cycle, "SupersessionCycle"),
    ("issue-date-twice-across-files", _two_issue_dates, "PolicyIssuedDate"),
]


def _store_with(city: Graph) -> PolicyStore:
    store = PolicyStore.in_memory()
    store.replace_source(CITY_SOURCE, city)
    return store


def test_conforming_addition_conforms_like_full_validation(example_graph: Graph) -> None:
    city, news = split(example_graph)
    store = _store_with(city)
    report = validate_increment(news, store, "en", source=NEWS_SOURCE)
    assert (report.conforms, report.findings) == full_on(news, city) == (True, [])


def test_the_neighbourhood_is_needed(example_graph: Graph) -> None:
    """Alone, the news file cannot show that its top-up target lies in an enclosing place."""
    _city, news = split(example_graph)
    alone = validate_graph(news, "en")
    assert not alone.conforms
    assert any(f.shape.endswith("TopUpEnclosing") for f in alone.findings)


@pytest.mark.parametrize(("breaker", "shape"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_addition_gives_full_validation_findings(
    example_graph: Graph, breaker: Breaker, shape: str,
) -> None:
    city, news = split(example_graph)
    breaker(city, news)
    store = _store_with(city)
    report = validate_increment(news, store, "en", source=NEWS_SOURCE)
    conforms, expected = full_on(news, city)
    assert not report.conforms and not conforms
    # every finding full validation gives on the new nodes, and on stored nodes the change
    # affects (a cycle closed by the new file also runs through the stored plan): no more
    everything = Graph()
    for g in (city, news):
        for t in g:
            everything.add(t)
    full = {(f.focus, f.shape, f.path) for f in validate_graph(everything, "en").findings}
    found = {(f.focus, f.shape, f.path) for f in report.findings}
    assert {(f.focus, f.shape, f.path) for f in expected} <= found <= full
    assert any(shape in f.shape for f in report.findings)


def test_chinese_messages(example_graph: Graph) -> None:
    city, news = split(example_graph)
    _city_outside(city, news)
    report = validate_increment(news, _store_with(city), "zh", source=NEWS_SOURCE)
    assert any("加码对象" in f.message for f in report.findings)


def test_neighbourhood_is_small_and_skips_the_replaced_version(example_graph: Graph) -> None:
    """Only reachable facts come back, and never the stored copy of the file being replaced."""
    city, news = split(example_graph)
    store = _store_with(city)
    stale = Graph()
    stale.add((ZONE, PKG.issued, Literal("1999-01-01", datatype=XSD.date)))
    store.replace_source(NEWS_SOURCE, stale)
    near = neighbourhood(news, store, source=NEWS_SOURCE)
    assert (ZONE, PKG.issued, None) not in near
    assert (CITY_COMPUTE, PKG.instrumentOf, PLAN) in near
    assert (PLAN, PKG.jurisdiction, JUR["南通市"]) in near
    assert (JUR["南通创新区"], PKG.within, JUR["南通市"]) in near
    # the city's clauses, departments and target are not needed to judge the news file
    assert (ID["policy/plan/target/compute"], None, None) not in near
    assert len(near) < len(city)


def test_triples_of_reads_every_triple_of_any_store(example_graph: Graph) -> None:
    """The fast path over rdflib's SimpleMemory index gives exactly the graph's triples, after
    removals too, and so does the ordinary path for a context-aware graph."""
    fast = Graph(store="SimpleMemory")
    for triple in example_graph:
        fast.add(triple)
    removed = next(iter(example_graph))
    fast.remove(removed)
    expected = set(example_graph) - {removed}
    listed = triples_of(fast)
    assert len(listed) == len(expected) and set(listed) == expected
    assert sorted(triples_of(example_graph)) == sorted(example_graph)
