"""Incremental SHACL validation: validate one new source graph against only the stored triples
its nodes can reach, instead of re-validating the whole store.

Full validation (`ontology.validation.validate_graph` over every source graph) costs time in
proportion to the whole store; adding one document should cost in proportion to that document.
The shapes in `ontology/shapes.ttl` only ever look *forward* from a focus node, so a finding
about a node of the new graph depends on:

1. what any graph says about that node itself (counts such as `sh:maxCount 1` on `pkg:issued`,
   `pkg:loaded`, `pkg:jurisdiction` — a cited policy is described in more than one file);
2. the `rdf:type` of every node it points at (`sh:class pkg:Clause`, `pkg:PolicyDocument`…);
3. for the SPARQL-based shapes, the paths they walk:
   - TopUpEnclosing: `pkg:topsUp` → `pkg:instrumentOf` → `pkg:jurisdiction` → `pkg:within+`;
   - TopUpNotLower: the topped-up instrument's `pkg:rate` and `pkg:maxAmount`;
   - SupersessionCycle: `pkg:supersedes+`.

`neighbourhood` fetches exactly that — (1) for the new graph's subjects, then a breadth-first
walk over the predicates of (2) and (3) — from every other named graph of the store
(background included, which also holds jurisdictions the loaders did not mint).
`validate_increment` validates the new graph plus that neighbourhood and keeps only findings
whose focus node is a subject of the new graph: on those nodes it returns the same verdicts
full validation would (tests/queries/test_neighbourhood.py checks this on the example data).
A shape added later that walks a new predicate must be added to `REACH` below.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from policykg.ontology import vocab
from policykg.ontology.validation import ValidationReport, validate_graph

from .store import PolicyStore

PKG = vocab.PKG
_STAGING = ox.NamedNode(str(vocab.STAGING_GRAPH))

#: Predicates followed from the new graph's nodes into the store, and why (shape names).
REACH: dict[URIRef, str] = {
    RDF.type: "sh:class and sh:targetClass of value nodes",
    PKG.topsUp: "TopUpEnclosing, TopUpNotLower",
    PKG.instrumentOf: "TopUpEnclosing (the topped-up instrument's policy)",
    PKG.jurisdiction: "TopUpEnclosing (that policy's jurisdiction)",
    PKG.within: "TopUpEnclosing (pkg:within+ up the jurisdiction hierarchy)",
    PKG.supersedes: "SupersessionCycle (pkg:supersedes+)",
    PKG.rate: "TopUpNotLower",
    PKG.maxAmount: "TopUpNotLower",
}
#: Of those, the ones whose objects are walked further (the others end in literals or classes).
WALK = (PKG.topsUp, PKG.instrumentOf, PKG.jurisdiction, PKG.within, PKG.supersedes)
#: Supersession and jurisdiction chains are short; this only stops a runaway walk.
MAX_HOPS = 32
#: IRIs per query, so one VALUES block stays a modest query text.
BATCH = 2000


def _iri_list(nodes: Iterable[URIRef], sep: str = " ") -> str:
    return sep.join(str(ox.NamedNode(str(n))) for n in nodes)


def _fetch(
    store: PolicyStore, subjects: list[URIRef], predicates: Iterable[URIRef] | None,
    exclude: list[URIRef],
) -> Graph:
    """Triples with a subject in `subjects` (and a predicate in `predicates`, if given) that
    some named graph other than those in `exclude` states.

    They are read from the store's default graph, which `PolicyStore` keeps as the merge of
    all named graphs: a triple stated by many files (a jurisdiction's label is minted by every
    file naming the place) is one index entry there, where `GRAPH ?g` visits it once per file
    (at 10,000 documents that was 20 of a 25 ms lookup). Only when some graphs are excluded is
    each candidate checked against the named graphs, and EXISTS stops at the first one.
    Staged graphs (a load being validated, `PolicyStore.stage_source`) are outside the default
    graph; their merge, `vocab.STAGING_GRAPH`, is read beside it."""
    found = Graph()
    # One VALUES block only: pyoxigraph joins a second one (VALUES ?p) after scanning every
    # quad, which made this 100× slower at 1,000 documents; FILTER IN keeps the index lookup.
    only = "" if predicates is None else f"FILTER (?p IN ({_iri_list(predicates, ', ')}))"
    not_excluded = "" if not exclude else (
        f"FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({_iri_list(exclude, ', ')})) }}"
    )
    for i in range(0, len(subjects), BATCH):
        query = (
            "CONSTRUCT { ?s ?p ?o } WHERE { "
            f"VALUES ?s {{ {_iri_list(subjects[i:i + BATCH])} }} "
            f"{{ ?s ?p ?o {not_excluded} }} UNION {{ GRAPH {_STAGING} {{ ?s ?p ?o }} }} {only} }}"
        )
        result = store.query(query)
        assert isinstance(result, Graph)
        found += result
    return found


def neighbourhood(
    new_graph: Graph, store: PolicyStore, *, source: str | Iterable[str] | None = None,
) -> Graph:
    """The stored triples the shapes can reach from `new_graph`'s nodes (see module docstring).

    `source`: the source file(s) `new_graph` will be stored as; their currently stored graphs
    (older versions of the same files) are left out, since `replace_source` will drop them.
    """
    names = [source] if isinstance(source, str) else list(source or ())
    exclude = [vocab.source_graph_iri(name) for name in names]
    subjects = sorted({s for s in new_graph.subjects() if isinstance(s, URIRef)})
    found = _fetch(store, subjects, None, exclude)

    # every node the new document or its own stored statements mention, classes excepted
    frontier = {
        n for g in (new_graph, found) for s, p, o in g if p != RDF.type
        for n in (s, o) if isinstance(n, URIRef)
    }
    seen: set[URIRef] = set()
    for _hop in range(MAX_HOPS):
        todo = sorted(frontier - seen)
        if not todo:
            break
        seen.update(todo)
        step = _fetch(store, todo, REACH, exclude)
        found += step
        frontier = {o for p in WALK for o in step.objects(None, p) if isinstance(o, URIRef)}
    return found


def validate_increment(
    new_graph: Graph, store: PolicyStore, lang: str = "zh", *,
    source: str | Iterable[str] | None = None,
) -> ValidationReport:
    """SHACL-validate `new_graph` as if it were added to `store`, in time proportional to it.

    Equals `validate_graph(new_graph ∪ store)` restricted to findings whose focus node is a
    subject of `new_graph`: problems of the new document, including those it causes with
    stored ones (a top-up of an instrument outside the enclosing jurisdictions, a supersession
    cycle it closes). `conforms` is False when any kept finding is a Violation (warnings and
    infos do not fail, as in `validate_graph`). `report_graph` is pyshacl's report over the
    merged graph, unfiltered.
    """
    merged = Graph()
    for triple in new_graph:
        merged.add(triple)
    for triple in neighbourhood(new_graph, store, source=source):
        merged.add(triple)
    report = validate_graph(merged, lang)
    focus = {str(s) for s in new_graph.subjects()}
    findings = [f for f in report.findings if f.focus in focus]
    conforms = not any(f.severity == "Violation" for f in findings)
    return ValidationReport(conforms=conforms, findings=findings, report_graph=report.report_graph)
