"""Incremental SHACL validation: validate a change to the store — graphs added, replaced or
removed, links re-derived — against only the stored triples it can affect, with the verdicts
full validation would give.

The shapes in `ontology/shapes.ttl` only ever look *forward* from a focus node, so a finding
about a node depends on:

1. what any graph says about that node itself (counts such as `sh:maxCount 1` on `pkg:issued`,
   `pkg:loaded`, `pkg:jurisdiction` — a cited policy is described in more than one file);
2. the `rdf:type` of every node it points at (`sh:class pkg:Clause`, `pkg:PolicyDocument`…);
3. for the SPARQL-based shapes, the paths they walk:
   - TopUpEnclosing: `pkg:topsUp` → `pkg:instrumentOf` → `pkg:jurisdiction` → `pkg:within+`;
   - TopUpNotLower: the topped-up instrument's `pkg:rate` and `pkg:maxAmount`;
   - SupersessionCycle: `pkg:supersedes+`.

Forward (`neighbourhood`): the triples a set of focus nodes reaches — (1) for the nodes, then
a breadth-first walk over the predicates of (2) and (3) (`REACH`, continuing along `WALK`).

Backward (`affected`): whose verdict can a change alter? A triple whose presence in the store
changes (added where it was absent, or removed with no other graph stating it) changes its
subject's own verdict; if its predicate is in `REACH`, also the verdict of every node that
reaches the subject: the nodes that walk to it along `WALK` (reverse closure), and every node
that points at one of those. That is the dual of the forward walk, so the focus set it gives
holds every node whose findings may differ before and after the change.

`validate_change` validates the change's graphs plus the forward neighbourhood of that focus
set, and keeps the findings whose focus is in it. The walks read and compare pyoxigraph terms,
the store's own, end to end: the batch comes converted (`writes.Stated`) and the store answers
in its terms, so no term is turned into rdflib's and back. Tests compare it with full validation on
random sequences of writes (tests/queries/test_write_properties.py). A shape added later that
walks a new predicate must be added to `REACH` (and to `WALK` if it walks on from there).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from policykg.ontology import vocab
from policykg.ontology.validation import (
    ValidationReport,
    background_triples,
    read_predicates,
    validate_graph,
)

from .store import PolicyStore
from .terms import to_rdflib, triples_from_rdflib


def _iri(term: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(term))


PKG = vocab.PKG
TYPE = _iri(RDF.type)

#: Predicates followed from the new graph's nodes into the store, and why (shape names).
REACH: dict[ox.NamedNode, str] = {
    TYPE: "sh:class and sh:targetClass of value nodes",
    _iri(PKG.topsUp): "TopUpEnclosing, TopUpNotLower",
    _iri(PKG.instrumentOf): "TopUpEnclosing (the topped-up instrument's policy)",
    _iri(PKG.jurisdiction): "TopUpEnclosing (that policy's jurisdiction)",
    _iri(PKG.within): "TopUpEnclosing (pkg:within+ up the jurisdiction hierarchy)",
    _iri(PKG.supersedes): "SupersessionCycle (pkg:supersedes+)",
    _iri(PKG.rate): "TopUpNotLower",
    _iri(PKG.maxAmount): "TopUpNotLower",
}
#: Of those, the ones whose objects are walked further (the others end in literals or classes).
WALK = frozenset(_iri(p) for p in (PKG.topsUp, PKG.instrumentOf, PKG.jurisdiction, PKG.within,
                                    PKG.supersedes))
#: Supersession and jurisdiction chains are short; this only stops a runaway walk.
MAX_HOPS = 32
#: rdflib's store without named-graph bookkeeping: the default one spends most of its time on
#: context lookups (2-3× slower adds and reads) for graphs that never have contexts.
FAST = "SimpleMemory"
#: IRIs per query, so one VALUES block stays a modest query text.
BATCH = 2000
#: A change's triples: an rdflib graph, or a list of pyoxigraph triples (the write path's).
Batch = Graph | list[ox.Triple]
#: Nodes or triples per existence probe (a remote store's request size stays modest).
PROBE = 500


def triples_of(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """`graph`'s triples as a list. For rdflib's `SimpleMemory` (every graph the loaders and the
    write path build) this reads its subject index directly: iterating the graph goes through
    two generators and a contexts generator per triple, which cost a fifth of the write path's
    CPU, more than converting the terms. Any other store, or a `SimpleMemory` whose index is
    not where rdflib 7 keeps it, is iterated the ordinary way; tests/queries/test_neighbourhood.py
    checks both give the same triples."""
    spo = getattr(graph.store, "_SimpleMemory__spo", None) if type(graph.store) is SimpleMemory else None
    if not isinstance(spo, dict):
        return list(graph)
    return [(s, p, o) for s, po in spo.items() for p, objects in po.items() for o in objects]


def to_ox(graph: Graph) -> list[ox.Triple]:
    """`graph`'s triples as pyoxigraph triples."""
    return triples_from_rdflib(triples_of(graph))


def to_graph(triples: Iterable[ox.Triple]) -> Graph:
    """pyoxigraph triples as an rdflib graph (for callers that read rdflib)."""
    graph = Graph(store=FAST)
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def _iri_list(nodes: Iterable[ox.NamedNode], sep: str = " ") -> str:
    return sep.join(str(n) for n in nodes)


def _fetch(
    store: PolicyStore, subjects: list[ox.NamedNode], predicates: Iterable[ox.NamedNode] | None,
    exclude: list[ox.NamedNode],
) -> set[ox.Triple]:
    """Triples with a subject in `subjects` (and a predicate in `predicates`, if given) that
    some named graph other than those in `exclude` states.

    They are read from the store's default graph, which `PolicyStore` keeps as the merge of
    all named graphs: a triple stated by many files (a jurisdiction's label is minted by every
    file naming the place) is one index entry there, where `GRAPH ?g` visits it once per file.
    Only when some graphs are excluded is each candidate checked against the named graphs, and
    EXISTS stops at the first one."""
    found: set[ox.Triple] = set()
    # One VALUES block only: pyoxigraph joins a second one (VALUES ?p) after scanning every
    # quad, which made this 100× slower at 1,000 documents; FILTER IN keeps the index lookup.
    only = "" if predicates is None else f"FILTER (?p IN ({_iri_list(predicates, ', ')}))"
    for i in range(0, len(subjects), BATCH):
        query = (
            "CONSTRUCT { ?s ?p ?o } WHERE { "
            f"VALUES ?s {{ {_iri_list(subjects[i:i + BATCH])} }} ?s ?p ?o {only} {_kept(exclude)} }}"
        )
        found.update(store.raw_query(query))  # type: ignore[arg-type]
    return found


def _kept(exclude: list[ox.NamedNode]) -> str:
    """A filter keeping the triple `?s ?p ?o` only if a graph outside `exclude` states it."""
    if not exclude:
        return ""
    return (f"FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER (?g NOT IN ({_iri_list(exclude, ', ')})) }}")


def _listed(batch: Batch) -> list[ox.Triple]:
    """The batch's triples as a list of pyoxigraph triples: the walks pass over it several times."""
    return to_ox(batch) if isinstance(batch, Graph) else batch


def _excluded(exclude: Iterable[URIRef | ox.NamedNode]) -> list[ox.NamedNode]:
    return sorted({n if isinstance(n, ox.NamedNode) else ox.NamedNode(str(n)) for n in exclude},
                  key=str)


def _edges(triples: Iterable[ox.Triple], predicates: Iterable[ox.NamedNode] | None, *,
           reverse: bool = False) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """IRI -> the IRIs it points at in `triples` via `predicates` (any, if None), or with
    `reverse` the IRIs pointing at it: one pass, where a probe per node and predicate made
    hundreds of thousands of calls per batch."""
    out: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    wanted = None if predicates is None else set(predicates)
    for s, p, o in triples:
        if (wanted is None or p in wanted) and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
            a, b = (o, s) if reverse else (s, o)
            out.setdefault(a, set()).add(b)
    return out


def _near(batch: list[ox.Triple], store: PolicyStore, excluded: list[ox.NamedNode],
          focus: Iterable[ox.NamedNode] = (), known: set[ox.NamedNode] | None = None) -> set[ox.Triple]:
    """`neighbourhood` in the store's terms. `known`: of the batch's subjects, those the store
    states anything about (`_changed` probed them), when given: the others — most of a batch's
    subjects are new IRIs — have nothing stored to fetch."""
    batch_subjects = {t.subject for t in batch if isinstance(t.subject, ox.NamedNode)}
    empty = batch_subjects - known if known is not None else set()
    subjects = sorted((batch_subjects - empty) | set(focus), key=str)
    found = _fetch(store, subjects, None, excluded)

    # every node the new graph or the focus nodes' own statements mention, classes excepted
    frontier = {
        n for g in (batch, found) for s, p, o in g if p != TYPE
        for n in (s, o) if isinstance(n, ox.NamedNode)
    }
    onward = _edges(batch, WALK)
    seen: set[ox.NamedNode] = set(empty)
    frontier |= {o for t in empty for o in onward.get(t, ())}
    for _hop in range(MAX_HOPS):
        todo = sorted(frontier - seen, key=str)
        if not todo:
            break
        seen.update(todo)
        step = _fetch(store, todo, REACH, excluded)
        found |= step
        frontier = {t.object for t in step if t.predicate in WALK and isinstance(t.object, ox.NamedNode)}
        frontier |= {o for t in todo for o in onward.get(t, ())}
    return found


def neighbourhood(
    new_graph: Batch, store: PolicyStore, *, source: str | Iterable[str] | None = None,
    exclude: Iterable[URIRef] = (), focus: Iterable[URIRef] = (),
) -> Graph:
    """The stored triples the shapes can reach from `new_graph`'s subjects and `focus` (see
    the module docstring), leaving out what only the graphs in `exclude` state.

    `source`: the source file(s) `new_graph` will be stored as; their currently stored graphs
    (older versions of the same files) are excluded, since the write replaces them.
    """
    names = [source] if isinstance(source, str) else list(source or ())
    excluded = _excluded([*exclude, *(vocab.source_graph_iri(name) for name in names)])
    return to_graph(_near(_listed(new_graph), store, excluded, [_iri(f) for f in focus]))


def _present(store: PolicyStore, triples: list[ox.Triple]) -> set[ox.Triple]:
    """Of `triples`, those the store's default graph (the merge of all graphs) holds: one
    `VALUES` query per `PROBE` triples, an index lookup each (an HTTP request per few hundred
    triples on a remote store, not one per subject). Rows come back by number, so the store's
    own term matching decides (canonical literals). A triple with a blank node is reported
    absent: stored blank nodes are never the batch's, and absent only widens the focus."""
    found: set[ox.Triple] = set()
    probed = [t for t in triples if not isinstance(t.object, ox.BlankNode)]
    for i in range(0, len(probed), PROBE):
        chunk = probed[i:i + PROBE]
        rows = " ".join(f"({n} {s} {p} {o})" for n, (s, p, o) in enumerate(chunk))
        result = store.raw_query(f"SELECT ?n WHERE {{ VALUES (?n ?s ?p ?o) {{ {rows} }} ?s ?p ?o }}")
        found |= {chunk[int(r["n"].value)] for r in result}  # type: ignore[union-attr]
    return found


def _known(store: PolicyStore, subjects: list[ox.NamedNode]) -> set[ox.NamedNode]:
    """Of `subjects`, those the store states anything about (one query per `PROBE`)."""
    found: set[ox.NamedNode] = set()
    for i in range(0, len(subjects), PROBE):
        result = store.raw_query(f"SELECT ?s WHERE {{ VALUES ?s {{ {_iri_list(subjects[i:i + PROBE])} }} "
                                 "FILTER EXISTS { ?s ?p ?o } }")
        found |= {r["s"] for r in result}  # type: ignore[union-attr]
    return found


def _changed(batch: list[ox.Triple], store: PolicyStore, exclude: list[ox.NamedNode],
             ) -> tuple[set[ox.NamedNode], set[ox.NamedNode], set[ox.NamedNode]]:
    """(subjects whose own triples change, those of them whose changed triples are in REACH,
    the batch's subjects the store states anything about).

    Added: a triple of `new_graph` absent from the store's default graph (a new IRI is absent
    for certain: one probe per subject, in batches, settles most; the triples of the known
    ones are probed in batches too). Removed: a triple of an excluded graph that no other graph
    states and `new_graph` does not restate."""
    own: set[ox.NamedNode] = set()
    reach: set[ox.NamedNode] = set()
    subjects = sorted({t.subject for t in batch if isinstance(t.subject, ox.NamedNode)}, key=str)
    known = _known(store, subjects)
    present = _present(store, [t for t in batch if t.subject in known])
    for t in batch:
        s = t.subject
        if not isinstance(s, ox.NamedNode) or (s in known and t in present):
            continue
        own.add(s)
        if t.predicate in REACH:
            reach.add(s)
    if exclude:
        removed = store.raw_query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {_iri_list(exclude)} }} GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER (?h NOT IN ({_iri_list(exclude, ', ')})) }} "
            "FILTER (isIRI(?s)) }")
        stated = set(batch)
        for t in removed:  # type: ignore[union-attr]
            if t in stated or not isinstance(t.subject, ox.NamedNode):
                continue
            own.add(t.subject)
            if t.predicate in REACH:
                reach.add(t.subject)
    return own, reach, known


def _pointing_at(store: PolicyStore, targets: list[ox.NamedNode], predicates: Iterable[ox.NamedNode] | None,
                 exclude: list[ox.NamedNode]) -> set[ox.NamedNode]:
    """Stored subjects with a triple (via `predicates`, or any) whose object is in `targets`."""
    found: set[ox.NamedNode] = set()
    only = "" if predicates is None else f"FILTER (?p IN ({_iri_list(predicates, ', ')}))"
    for i in range(0, len(targets), BATCH):
        rows = store.raw_query(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {_iri_list(targets[i:i + BATCH])} }} ?s ?p ?o "
            f"{only} FILTER (isIRI(?s)) {_kept(exclude)} }}")
        found |= {r["s"] for r in rows}  # type: ignore[union-attr]
    return found


def affected(new_graph: Batch, store: PolicyStore, exclude: Iterable[URIRef | ox.NamedNode] = (),
             ) -> set[ox.NamedNode]:
    """Every node whose findings may differ once `new_graph` is added and the graphs in
    `exclude` are dropped (see the module docstring)."""
    return _affected(_listed(new_graph), store, _excluded(exclude))[0]


def _affected(batch: list[ox.Triple], store: PolicyStore, excluded: list[ox.NamedNode],
              ) -> tuple[set[ox.NamedNode], set[ox.NamedNode]]:
    """(`affected`, the batch's subjects the store states anything about)."""
    own, reach, known = _changed(batch, store, excluded)
    focus = own | {t.subject for t in batch if isinstance(t.subject, ox.NamedNode)}
    closure, frontier = set(reach), set(reach)
    walked_from = _edges(batch, WALK, reverse=True)
    for _hop in range(MAX_HOPS):
        if not frontier:
            break
        back = _pointing_at(store, sorted(frontier, key=str), WALK, excluded)
        back |= {s for t in frontier for s in walked_from.get(t, ())}
        frontier = back - closure
        closure |= frontier
    pointing = _pointing_at(store, sorted(closure, key=str), None, excluded) if closure else set()
    if closure:
        pointed = _edges(batch, None, reverse=True)
        pointing |= {s for t in closure for s in pointed.get(t, ())}
    return focus | closure | pointing, known


def validate_change(
    new_graph: Batch, store: PolicyStore, lang: str = "zh", *,
    exclude: Iterable[URIRef | ox.NamedNode] = (),
) -> ValidationReport:
    """SHACL-validate the store as it will be once `new_graph` is added and the named graphs in
    `exclude` dropped, in time proportional to the change: the findings full validation
    would give on every node whose verdict may differ (`affected`). `conforms` is False when
    any of them is a Violation.

    The data is a pyoxigraph store of the triples of the predicates the shapes read
    (`read_predicates`): the batch, the background and the neighbourhood."""
    excluded = _excluded(exclude)
    read = read_predicates()  # a triple no shape reads changes no verdict: the walks skip it
    batch = [t for t in _listed(new_graph) if read is None or t.predicate in read]
    focus, known = _affected(batch, store, excluded)
    stated = {t.subject for t in batch}
    stored_focus = sorted((f for f in focus if f not in stated), key=str)
    near = _near(batch, store, excluded, stored_focus, known)
    data = ox.Store()
    data.bulk_extend(ox.Quad(*t) for t in (*batch, *(t for t in (*background_triples(), *near)
                                                    if read is None or t.predicate in read)))
    report = validate_graph(data, lang, with_background=False)
    names = {f.value for f in focus}
    findings = [f for f in report.findings if f.focus in names]
    conforms = not any(f.severity == "Violation" for f in findings)
    return ValidationReport(conforms=conforms, findings=findings, report_graph=report.report_graph)


def validate_increment(
    new_graph: Graph, store: PolicyStore, lang: str = "zh", *,
    source: str | Iterable[str] | None = None,
) -> ValidationReport:
    """`validate_change` for `new_graph` stored as `source` (replacing its stored graphs)."""
    names = [source] if isinstance(source, str) else list(source or ())
    return validate_change(new_graph, store, lang,
                           exclude=[vocab.source_graph_iri(name) for name in names])
