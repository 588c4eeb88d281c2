"""Sync the RDF store into Neo4j with the official driver: idempotent, incremental, restartable.

Every sync computes the wanted property graph from all source graphs (`neo4j_mapping`), reads
the `sync_hash` of what Neo4j holds, and writes only the difference, in this order:

1. constraints and indexes (`CREATE CONSTRAINT … IF NOT EXISTS`, Neo4j 5 syntax);
2. nodes to create or update, batched `UNWIND $rows AS row MERGE (n:Label {iri: row.iri}) SET n = row.props`;
3. relationships to create or update, batched the same way between `MATCH`ed endpoints;
4. relationships, then nodes, that no source produces any more (`DETACH DELETE`);
5. one `SyncSource` marker per source file: its content hash and counts (`policykg neo4j status`).

Each batch is one write transaction on the named database. The end state depends only on the
source graphs, never on what happened before: a second sync writes nothing, and a sync killed
midway and re-run ends identical to a clean sync. Nodes shared by several sources (departments,
jurisdictions, a policy cited in one file and loaded from another) carry the union of their
sources' triples and are deleted only when no source mentions them any more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
from rdflib import Graph

from policykg.loaders.neo4j_mapping import (
    BACKGROUND_SOURCE,
    MARKER_LABEL,
    NodeRow,
    RelRow,
    Rows,
    background_graph,
    graph_rows,
    mapping,
    source_hash,
)

DEFAULT_BATCH_SIZE = 500
T = TypeVar("T")

#: Called after every committed batch: (phase, label or type, rows in this batch).
BatchCallback = Callable[[str, str, int], None]


@dataclass
class SyncReport:
    """What a sync changed, per label / relationship type."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    seconds: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def names(self) -> list[str]:
        return sorted(set(self.created) | set(self.updated) | set(self.deleted))


@dataclass
class Plan:
    """The difference between the wanted graph and what the database holds."""

    rows: Rows
    node_writes: list[NodeRow]
    rel_writes: list[RelRow]
    rel_deletes: list[tuple[str, str, str, str, str]]
    node_deletes: list[tuple[str, str]]
    report: SyncReport

    @property
    def total_batches_rows(self) -> int:
        return len(self.node_writes) + len(self.rel_writes) + len(self.rel_deletes) + len(self.node_deletes)


# ---- schema ------------------------------------------------------------------------------------


def schema_statements() -> list[str]:
    """Neo4j 5 constraints and indexes: `iri` unique per label, `sources` indexed."""
    labels = sorted(set(mapping().labels.values()))
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.iri IS UNIQUE"
        for label in labels
    ]
    statements.append(
        f"CREATE CONSTRAINT {MARKER_LABEL.lower()}_name IF NOT EXISTS "
        f"FOR (n:{MARKER_LABEL}) REQUIRE n.name IS UNIQUE"
    )
    return statements


def ensure_schema(driver: neo4j.Driver, database: str) -> None:
    with driver.session(database=database) as session:
        for statement in schema_statements():
            session.run(statement).consume()


# ---- reading what the database holds -----------------------------------------------------------


def _label(labels: Sequence[str], known: set[str]) -> str | None:
    mine = sorted(set(labels) & known)
    return mine[0] if mine else None


def current_state(driver: neo4j.Driver, database: str) -> tuple[dict[tuple[str, str], str],
                                                                dict[tuple[str, str, str, str, str], str]]:
    """`(label, iri) → sync_hash` and `(type, start label, start, end label, end) → sync_hash`."""
    known = set(mapping().labels.values())
    nodes: dict[tuple[str, str], str] = {}
    rels: dict[tuple[str, str, str, str, str], str] = {}

    def read(tx: neo4j.ManagedTransaction) -> None:
        for record in tx.run("MATCH (n) WHERE n.sync_hash IS NOT NULL "
                             "RETURN labels(n) AS labels, n.iri AS iri, n.sync_hash AS hash"):
            label = _label(record["labels"], known)
            if label:
                nodes[(label, record["iri"])] = record["hash"]
        for record in tx.run("MATCH (a)-[r]->(b) WHERE r.sync_hash IS NOT NULL "
                             "RETURN type(r) AS type, labels(a) AS al, a.iri AS a, "
                             "labels(b) AS bl, b.iri AS b, r.sync_hash AS hash"):
            start, end = _label(record["al"], known), _label(record["bl"], known)
            if start and end:
                rels[(record["type"], start, record["a"], end, record["b"])] = record["hash"]

    with driver.session(database=database) as session:
        session.execute_read(read)
    return nodes, rels


def plan_sync(rows: Rows, nodes_now: Mapping[tuple[str, str], str],
              rels_now: Mapping[tuple[str, str, str, str, str], str]) -> Plan:
    report = SyncReport(nodes=len(rows.nodes), relationships=len(rows.relationships),
                        skipped=dict(rows.skipped))
    node_writes: list[NodeRow] = []
    for key, row in sorted(rows.nodes.items()):
        old = nodes_now.get(key)
        if old is None:
            report.created[row.label] += 1
        elif old != row.props["sync_hash"]:
            report.updated[row.label] += 1
        else:
            continue
        node_writes.append(row)
    rel_writes: list[RelRow] = []
    for key, rel in sorted(rows.relationships.items()):
        old = rels_now.get(key)
        if old is None:
            report.created[rel.type] += 1
        elif old != rel.props["sync_hash"]:
            report.updated[rel.type] += 1
        else:
            continue
        rel_writes.append(rel)
    rel_deletes = sorted(set(rels_now) - set(rows.relationships))
    node_deletes = sorted(set(nodes_now) - set(rows.nodes))
    for key in rel_deletes:
        report.deleted[key[0]] += 1
    for label, _iri in node_deletes:
        report.deleted[label] += 1
    return Plan(rows, node_writes, rel_writes, rel_deletes, node_deletes, report)


# ---- writing -----------------------------------------------------------------------------------


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _grouped(items: Sequence[T], key: Callable[[T], Any]) -> list[tuple[Any, list[T]]]:
    groups: dict[Any, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return sorted(groups.items())


def _write(session: neo4j.Session, query: str, rows: list[dict[str, Any]]) -> None:
    def work(tx: neo4j.ManagedTransaction) -> None:
        tx.run(query, rows=rows).consume()
    session.execute_write(work)


def apply_plan(driver: neo4j.Driver, database: str, plan: Plan, batch_size: int,
               on_batch: BatchCallback | None = None) -> None:
    """Run the plan's writes, one transaction per batch, in a safe order."""
    report = plan.report

    def done(phase: str, name: str, count: int) -> None:
        report.batches += 1
        if on_batch:
            on_batch(phase, name, count)

    with driver.session(database=database) as session:
        for label, rows in _grouped(plan.node_writes, lambda r: r.label):
            query = f"UNWIND $rows AS row MERGE (n:{label} {{iri: row.iri}}) SET n = row.props"
            for chunk in _chunks(rows, batch_size):
                _write(session, query, [{"iri": r.iri, "props": r.props} for r in chunk])
                done("nodes", label, len(chunk))
        for (rtype, sl, el), rels in _grouped(plan.rel_writes, lambda r: (r.type, r.start_label, r.end_label)):
            query = (f"UNWIND $rows AS row MATCH (a:{sl} {{iri: row.start}}) MATCH (b:{el} {{iri: row.end}}) "
                     f"MERGE (a)-[r:{rtype}]->(b) SET r = row.props")
            for chunk in _chunks(rels, batch_size):
                _write(session, query, [{"start": r.start, "end": r.end, "props": r.props} for r in chunk])
                done("relationships", rtype, len(chunk))
        for (rtype, sl, el), keys in _grouped(plan.rel_deletes, lambda k: (k[0], k[1], k[3])):
            query = (f"UNWIND $rows AS row MATCH (a:{sl} {{iri: row.start}})-[r:{rtype}]->"
                     f"(b:{el} {{iri: row.end}}) DELETE r")
            for chunk in _chunks(keys, batch_size):
                _write(session, query, [{"start": k[2], "end": k[4]} for k in chunk])
                done("delete relationships", rtype, len(chunk))
        for label, keys in _grouped(plan.node_deletes, lambda k: k[0]):
            query = f"UNWIND $rows AS row MATCH (n:{label} {{iri: row.iri}}) DETACH DELETE n"
            for chunk in _chunks(keys, batch_size):
                _write(session, query, [{"iri": k[1]} for k in chunk])
                done("delete nodes", label, len(chunk))


def sync_markers(driver: neo4j.Driver, database: str, graph_by_source: Mapping[str, Graph],
                 rows: Rows) -> None:
    """One `SyncSource {name, content_hash, nodes, relationships, synced_at}` per source; only
    changed markers are written, and markers of sources that are gone are removed."""
    counts_nodes: Counter[str] = Counter()
    counts_rels: Counter[str] = Counter()
    for node in rows.nodes.values():
        counts_nodes.update(node.props["sources"])
    for rel in rows.relationships.values():
        counts_rels.update(rel.props["sources"])
    wanted = {
        name: {"name": name, "content_hash": source_hash(graph),
               "nodes": counts_nodes[name], "relationships": counts_rels[name]}
        for name, graph in graph_by_source.items()
    }
    with driver.session(database=database) as session:
        existing = {r["name"]: r["hash"] for r in session.execute_read(
            lambda tx: tx.run(f"MATCH (m:{MARKER_LABEL}) RETURN m.name AS name, "
                              "m.content_hash + '/' + toString(m.nodes) + '/' + "
                              "toString(m.relationships) AS hash").data())}
        changed = [
            {**row, "synced_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            for name, row in sorted(wanted.items())
            if existing.get(name) != f"{row['content_hash']}/{row['nodes']}/{row['relationships']}"
        ]
        gone = sorted(set(existing) - set(wanted))
        if changed:
            _write(session, f"UNWIND $rows AS row MERGE (m:{MARKER_LABEL} {{name: row.name}}) SET m = row",
                   changed)
        if gone:
            _write(session, f"UNWIND $rows AS row MATCH (m:{MARKER_LABEL} {{name: row.name}}) DELETE m",
                   [{"name": name} for name in gone])


def sync_graph(driver: neo4j.Driver, database: str, graph_by_source: Mapping[str, Graph],
               batch_size: int = DEFAULT_BATCH_SIZE, *, background: Graph | None = None,
               on_plan: Callable[[Plan], None] | None = None,
               on_batch: BatchCallback | None = None) -> SyncReport:
    """Make the database hold exactly the property graph of `graph_by_source` (+ background).

    `background` defaults to the packaged ontology + jurisdictions (synced as source
    "background"); `on_plan` sees the plan before any write (the CLI sizes its progress bar),
    `on_batch` is called after each committed batch.
    """
    started = dt.datetime.now()
    sources = dict(graph_by_source)
    if BACKGROUND_SOURCE not in sources:
        sources[BACKGROUND_SOURCE] = background if background is not None else background_graph()
    rows = graph_rows(sources)
    ensure_schema(driver, database)
    nodes_now, rels_now = current_state(driver, database)
    plan = plan_sync(rows, nodes_now, rels_now)
    if on_plan:
        on_plan(plan)
    apply_plan(driver, database, plan, batch_size, on_batch)
    sync_markers(driver, database, sources, rows)
    plan.report.seconds = (dt.datetime.now() - started).total_seconds()
    return plan.report


def graphs_from_store(store: Any) -> dict[str, Graph]:
    """`source → Graph` for every source file in a `queries.store.PolicyStore`."""
    return {source: store.graph_for(source) for source in store.sources()}
