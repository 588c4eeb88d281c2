"""The one write path: every change to the stored graphs — `policykg load`, `POST /documents`,
`DELETE /documents/{source}`, the ingest benchmark — goes through `apply`.

A change puts source graphs (new or replacing stored ones) and removes others. `apply`:

1. checks the source names (`queries.sources`: one normalisation, reserved names, collisions);
2. links: re-derives the links (`queries.links`) of the changed sources and of every stored
   source that refers to a policy the change defines or drops, against the store as it will
   be after the change;
3. validates the change in memory — its graphs, the re-derived links, and the stored
   neighbourhood forward and backward (`queries.neighbourhood.validate_change`) — so the
   whole store conforms after it exactly when the validation passes;
4. writes: drops replaced and removed graphs and old links, writes each new graph once, in one
   transaction (`PolicyStore.write`), or nothing if the validation failed.

Large loads call `apply` once per batch inside `swapped(store)`: batches go into a copy of the
store that replaces it only when the whole load has passed (`queries.swap`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef

from policykg.ontology import vocab
from policykg.ontology.validation import Finding
from policykg.ontology.vocab import policy_iri

from . import sources as names
from .links import Reads, World, derive, reads
from .neighbourhood import to_ox, validate_change
from .store import PolicyStore, StoreError


class Stated:
    """A source graph as the write path holds it: every triple in the store's terms (validated
    and written as they are, converted once), and what linking reads of it (`links.Reads`).

    It pickles as N-Triples, which pyoxigraph parses back in Rust: an extraction worker hands
    the writer a file this way (`queries.ingest`), where unpickling rdflib's terms had cost the
    writer a quarter of its time."""

    __slots__ = ("reads", "triples")

    def __init__(self, triples: list[ox.Triple], reads: Reads):
        self.triples = triples
        self.reads = reads

    @classmethod
    def of(cls, graph: Graph | Stated) -> Stated:
        """`graph` converted (raises `terms.TermConversionError` for a term the store rejects)."""
        return graph if isinstance(graph, Stated) else cls(to_ox(graph), reads(graph))

    def __len__(self) -> int:
        return len(self.triples)

    def __reduce__(self) -> tuple:
        return _parsed, (ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES), self.reads)


def _parsed(data: bytes, read: Reads) -> Stated:
    # pyoxigraph wrote `data` from terms it had checked: `lenient` skips checking them again
    return Stated([q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)], read)


@dataclass
class Change:
    """Source graphs to store (new or replacing) and sources to remove."""

    put: dict[str, Graph | Stated] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)


@dataclass
class WriteReport:
    conforms: bool = True
    findings: list[Finding] = field(default_factory=list)  # violations that refused the change
    stored: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)  # sources whose links were re-derived
    warnings: list[str] = field(default_factory=list)  # unresolved references
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds per step (benchmarks)


class UnknownSourceError(StoreError):
    """A removal names a source that is not stored."""


def _stored_policies(store: PolicyStore, graphs: list[URIRef]) -> set[URIRef]:
    """Policies the stored `graphs` define instruments of or load (see `links.policies_of`)."""
    if not graphs:
        return set()
    block = " ".join(f"<{g}>" for g in graphs)
    rows = store.query(f"SELECT DISTINCT ?p ?title WHERE {{ VALUES ?g {{ {block} }} GRAPH ?g "
                       "{ { ?i pkg:instrumentOf ?p } UNION { ?p pkg:loaded true ; pkg:title ?title } } }").rows
    # a loaded policy is also named elsewhere by its title alone (links.policies_of)
    return ({URIRef(r["p"]) for r in rows}
            | {policy_iri(str(r["title"])) for r in rows if r.get("title") is not None})


def apply(store: PolicyStore, change: Change, lang: str = "zh", *, atomic: bool = True,
          validate: bool = True, stored: set[str] | None = None) -> WriteReport:
    """Link, validate and write `change`; nothing is written unless the result conforms.

    Raises `sources.SourceNameError` for a name the store cannot take and
    `UnknownSourceError` for a removal of a source that is not stored. `stored`: the stored
    sources when the caller keeps them (`ingest` across its batches: listing them reads every
    graph of the store, a quarter of a second a batch at 10,000 documents)."""
    stored = set(store.sources()) if stored is None else stored
    put = {source: Stated.of(graph)
           for source, graph in zip(names.check_batch(change.put, stored), change.put.values(), strict=True)}
    remove = set()
    for source in change.remove:
        if names.is_reserved(source):
            raise names.SourceNameError(f"来源 {source!r} 为系统保留,不可删除。 / The graph {source!r} "
                                        "is reserved and cannot be deleted.")
        if source not in stored:
            raise UnknownSourceError(f"No source named {source!r} is loaded.")
        remove.add(source)
    out = WriteReport(replaced=sorted(s for s in put if s in stored), removed=sorted(remove))
    clock = [time.process_time()]

    def lap(step: str) -> None:
        now = time.process_time()
        out.seconds[step] = out.seconds.get(step, 0.0) + now - clock[0]
        clock[0] = now

    old = [vocab.source_graph_iri(s) for s in sorted(set(put) | remove) if s in stored]

    # 2. links, against the store as it will be
    world = World(store, {s: stated.reads for s, stated in put.items()}, old)
    touched = _stored_policies(store, old) | {p for stated in put.values() for p in stated.reads.policies}
    relink = (set(put) | (world.referrers(touched) if touched else set())) - remove
    linked = derive(world, {s: put[s].reads if s in put else reads(store.graph_for(s, links=False))
                            for s in relink})
    out.relinked = sorted(relink - set(put))
    out.warnings = linked.warnings
    lap("link")

    # 3. validation of everything the change can affect
    drop = old + [vocab.links_graph_iri(s) for s in sorted(relink | remove)]
    converted = {str(vocab.source_graph_iri(s)): stated.triples for s, stated in put.items()}
    converted |= {str(vocab.links_graph_iri(s)): to_ox(g) for s, g in linked.graphs.items()}
    if validate:
        added = [t for ts in converted.values() for t in ts]
        report = validate_change(added, store, lang, exclude=drop)
        out.findings = [f for f in report.findings if f.severity == "Violation"]
        out.conforms = not out.findings
        del added, report  # memory: the write holds one batch's triples, not two copies
        lap("validate")
        if not out.conforms:
            return out

    # 4. one write
    register = {str(vocab.source_graph_iri(s)): s for s in put}
    store.write_triples([str(g) for g in drop], converted, register, atomic=atomic)
    lap("write")
    out.stored = sorted(put)
    out.triples = sum(len(stated) for stated in put.values())
    return out


def remove(store: PolicyStore, sources: Iterable[str], lang: str = "zh") -> WriteReport:
    """Remove stored sources (re-linking and validating what referred to them)."""
    return apply(store, Change(remove=set(sources)), lang)


@contextmanager
def swapped(store: PolicyStore) -> Iterator[PolicyStore]:
    """A copy of `store` to write many batches into; it replaces `store` when the block ends
    normally and is discarded when it raises (`queries.swap`). Raise to refuse the load."""
    target, copy = store.copy()
    try:
        yield target
    except BaseException:
        target.release()
        copy.discard()
        raise
    target.optimize()
    target.release()
    store.release()
    store.adopt(copy.adopt())

