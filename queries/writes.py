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

from rdflib import Graph, URIRef

from policykg.ontology import vocab
from policykg.ontology.validation import Finding, engine, read_predicates
from policykg.ontology.vocab import policy_iri

from . import sources as names
from .links import World, derive, policies_of
from .neighbourhood import to_ox, triples_of, validate_change
from .store import PolicyStore, StoreError


@dataclass
class Change:
    """Source graphs to store (new or replacing) and sources to remove."""

    put: dict[str, Graph] = field(default_factory=dict)
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
          validate: bool = True) -> WriteReport:
    """Link, validate and write `change`; nothing is written unless the result conforms.

    Raises `sources.SourceNameError` for a name the store cannot take and
    `UnknownSourceError` for a removal of a source that is not stored."""
    stored = store.sources()
    put = dict(zip(names.check_batch(change.put, stored), change.put.values(), strict=True))
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
    world = World(store, put, old)
    touched = _stored_policies(store, old) | {p for g in put.values() for p in policies_of(g)}
    relink = (set(put) | (world.referrers(touched) if touched else set())) - remove
    stated = {s: put[s] if s in put else store.graph_for(s, links=False) for s in relink}
    linked = derive(world, stated)
    out.relinked = sorted(relink - set(put))
    out.warnings = linked.warnings
    lap("link")

    # 3. validation of everything the change can affect
    drop = old + [vocab.links_graph_iri(s) for s in sorted(relink | remove)]
    graphs: dict[str, Graph] = {str(vocab.source_graph_iri(s)): g for s, g in put.items()}
    graphs |= {str(vocab.links_graph_iri(s)): g for s, g in linked.graphs.items()}
    # each triple is converted to the store's terms once, for the validation and the write
    converted = {name: to_ox(g) for name, g in graphs.items()}
    if validate:
        turbo = engine() == "turbo"
        # a triple no shape reads changes no verdict (`read_predicates`): the walks skip it
        read = read_predicates()
        wanted = None if read is None else {URIRef(p.value) for p in read}
        # the turbo engine reads the converted triples, and a list of the rest guides the
        # walks; pyshacl validates a graph in place and needs rdflib's context-aware store
        added: Graph | list = [] if turbo else Graph()
        for graph in graphs.values():
            kept = [t for t in triples_of(graph) if wanted is None or t[1] in wanted]
            if isinstance(added, list):
                added += kept
            else:
                for triple in kept:
                    added.add(triple)
        report = validate_change(added, store, lang, exclude=drop, in_place=True,
                                 converted=[t for ts in converted.values() for t in ts] if turbo else None)
        out.findings = [f for f in report.findings if f.severity == "Violation"]
        out.conforms = not out.findings
        del added, report  # memory: the write holds one batch's triples, not three copies
        lap("validate")
        if not out.conforms:
            return out

    # 4. one write
    register = {str(vocab.source_graph_iri(s)): s for s in put}
    store.write_triples([str(g) for g in drop], converted, register, atomic=atomic)
    lap("write")
    out.stored = sorted(put)
    out.triples = sum(len(g) for g in put.values())
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

