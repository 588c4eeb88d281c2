"""A remote store: any SPARQL 1.1 server, through the SPARQL 1.1 Protocol (query and update,
https://www.w3.org/TR/sparql11-protocol/) and the SPARQL 1.1 Graph Store HTTP Protocol
(https://www.w3.org/TR/sparql11-http-rdf-update/), with the same graph layout and the same
method names as the embedded `store.PolicyStore` (see `queries.backend.GraphStore`).

Layout and guarantees, as in the embedded store:
- a source graph, its links graph and the background graph are named graphs; the default graph
  is kept the RDF merge of them by the same update request that changes a named graph (the
  update texts are the embedded store's own), so queries need no `FROM` and count a triple
  once. A server whose queries see the union of all graphs by default (Virtuoso, GraphDB)
  must be told otherwise; see docs/deploy.md;
- every write is ONE update request (remove, drop, insert), which a server that runs an
  update request as one transaction (Oxigraph, Jena TDB2/Fuseki, GraphDB, RDF4J) applies
  all or nothing; docs/deploy.md lists what each server guarantees;
- a load of many batches cannot copy the remote dataset (`queries.swap`): each batch is one
  update and the copy is an undo journal (`_Journal`) that, when the load is refused, restores
  in one update every graph the load changed. Readers see the batches as they land, and a
  load killed mid-way leaves its earlier batches stored (`policykg load` again replaces them).

Endpoints: `--store URL` / `POLICYKG_STORE=URL` names the server; the query, update and graph
store endpoints are `URL/query`, `URL/update` and `URL/store` (Oxigraph's layout) unless
`POLICYKG_STORE_QUERY`, `POLICYKG_STORE_UPDATE`, `POLICYKG_STORE_GRAPHS` say otherwise (full
URLs). HTTP basic credentials come from `POLICYKG_STORE_USER` / `POLICYKG_STORE_PASSWORD`.
Query time limits are HTTP read timeouts; the server keeps computing unless it has its own
limit (`oxigraph serve --timeout-s`, Fuseki `arq:queryTimeout`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
import rdflib

from .binding import bind_values
from .sparql_client import (
    DEFAULT_TIMEOUT,
    Endpoints,
    RemoteServiceError,
    SparqlClient,
    StoreUnavailableError,
    is_remote,
)
from .store import (
    _BACKGROUND,
    _HAS_VERSION,
    _SOURCE_FILE,
    _UNMERGE,
    _UPDATE_START,
    GraphLayout,
    QueryResult,
    ReadOnlyStoreError,
    StoreError,
    plain_result,
)
from .terms import OxTerm, as_term, from_rdflib, sparql_term

__all__ = ["Endpoints", "RemoteServiceError", "RemoteStore", "StoreUnavailableError", "is_remote"]


class RemoteStore(GraphLayout):
    """A SPARQL 1.1 server plus the project's graph layout; see the module docstring."""

    remote = True
    path = None  # no directory: `queries.ingest` and the API's workers ask

    def __init__(self, url: str, *, read_only: bool = False, endpoints: Endpoints | None = None,
                 auth: tuple[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                 client: SparqlClient | None = None):
        self.url = url
        self.read_only = read_only
        self._http = client or SparqlClient(url, endpoints or Endpoints.of(url, os.environ),
                                            auth=auth, timeout=timeout)
        self.endpoints = self._http.endpoints
        self._forget()

    # ---- opening and closing -------------------------------------------------------------

    @classmethod
    def connect(cls, url: str, *, read_only: bool = False) -> RemoteStore:
        """The server at `url`, credentials from the environment, checked to answer; a
        writable store gets its background graph as the embedded `PolicyStore.open` does."""
        user = os.environ.get("POLICYKG_STORE_USER")
        auth = (user, os.environ.get("POLICYKG_STORE_PASSWORD", "")) if user else None
        store = cls(url, read_only=read_only, auth=auth)
        try:
            store.query("ASK { }")
            if not read_only:
                store.ensure_background()
        except BaseException:
            store.close()
            raise
        return store

    def as_read_only(self) -> RemoteStore:
        """A read-only view with its own connections (query workers call it after forking)."""
        return RemoteStore(self.url, read_only=True, client=self._http.sibling())

    def close(self) -> None:
        self._http.close()

    def release(self) -> None:
        """Nothing to hand over: the data stays on the server (`queries.writes.swapped`)."""

    def adopt(self, _database: object) -> None:
        """The journal's batches are already on the server (`queries.writes.swapped`)."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError("the store is read-only")

    def _update(self, text: str) -> None:
        self._check_writable()
        self._forget()
        try:
            self._http.update(text)
        finally:
            self._forget()

    def _forget(self) -> None:
        """Drop what `states` fetched: the dataset is changing."""
        self._seen = ox.Store()
        self._probed: set[OxTerm] = set()

    # ---- writing -------------------------------------------------------------------------

    def write(self, drop: Iterable[str], put: Mapping[str, rdflib.Graph],
              register: Mapping[str, str], *, atomic: bool = True) -> None:
        """`PolicyStore.write` as one update request (`write_triples`)."""
        triples = {name: [ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in graph]
                   for name, graph in put.items()}
        self.write_triples(drop, triples, register, atomic=atomic)

    def write_triples(self, drop: Iterable[str], put: Mapping[str, Iterable[ox.Triple]],
                      register: Mapping[str, str], *, atomic: bool = True) -> None:
        """`PolicyStore.write_triples` as one update request: remove from the merge and drop
        every graph of `drop` and `put`, then one INSERT DATA of the new graphs, their merge
        into the default graph and the registrations. `atomic` is always so (one request)."""
        self._check_writable()
        lines: list[str] = []
        for name, triples in put.items():
            node = ox.NamedNode(name)
            for t in triples:
                triple = f"{t.subject} {t.predicate} {t.object}"
                lines.append(f"GRAPH {node} {{ {triple} }}")
                lines.append(triple + " .")
        for name, source in register.items():
            node = ox.NamedNode(name)
            lines.append(f"GRAPH {node} {{ {node} {_SOURCE_FILE} {ox.Literal(source)} }}")
        gone = [ox.NamedNode(g) for g in sorted(set(drop) | set(put))]
        parts = [f"{_UNMERGE.format(graph=g)} ;\nDROP SILENT GRAPH {g}" for g in gone]
        if lines:
            parts.append("INSERT DATA {\n" + "\n".join(lines) + "\n}")
        if parts:
            self._update(" ;\n".join(parts))

    def flush(self) -> None:
        """Nothing buffered here: each write is one request the server has committed."""
        self._check_writable()

    def optimize(self) -> None:
        """Compaction is the server's business."""
        self._check_writable()

    def copy(self) -> tuple[RemoteStore, _Journal]:
        """The target of a load of many batches (`queries.writes.swapped`): this store, with an
        undo journal instead of a copy (see the module docstring)."""
        self._check_writable()
        journal = _Journal(self)
        return _JournalledStore(journal), journal

    def _holds_source(self, source: str) -> bool:
        return source in self.sources()

    def _background_marked(self, marker: ox.Literal) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {_BACKGROUND} {{ {_BACKGROUND} {_HAS_VERSION} {marker} }} }}"))

    # ---- reading -------------------------------------------------------------------------

    def sources(self) -> list[str]:
        """Names of the loaded source files, sorted."""
        rows = self.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?g {_SOURCE_FILE} ?s }} }}").rows
        return sorted(str(row["s"]) for row in rows)

    def _triples_in(self, name: ox.NamedNode) -> Iterable[ox.Triple]:
        return self._http.graph(name)

    def states(self, subject: rdflib.URIRef, predicate: rdflib.URIRef | None = None,
               obj: rdflib.term.Node | None = None) -> bool:
        """Whether the default graph (the merge) holds a triple matching the pattern.

        The write path probes every triple of a subject it is about to store again
        (`neighbourhood._changed`): the first probe of a subject fetches all its triples in one
        request into an in-memory pyoxigraph store, which answers the next probes with the
        embedded store's own term matching (canonical literals). It holds until this store's
        next write — valid because one process writes a dataset (docs/deploy.md)."""
        node = from_rdflib(subject)
        if node not in self._probed:
            self._seen.extend(ox.Quad(t.subject, t.predicate, t.object)
                              for t in self.raw_query(f"CONSTRUCT WHERE {{ {node} ?p ?o }}"))
            self._probed.add(node)
        pattern = (node, None if predicate is None else from_rdflib(predicate),
                   None if obj is None else from_rdflib(obj))
        return next(self._seen.quads_for_pattern(*pattern, ox.DefaultGraph()), None) is not None

    def subjects_labelled(self, predicates: Iterable[str], text: str, rdf_type: str) -> list[str]:
        """`PolicyStore.subjects_labelled` as one query: IRIs of `rdf_type` labelled `text`
        (plain, @zh or @en) by one of `predicates`, in the embedded store's order."""
        predicates = list(predicates)
        literals = [ox.Literal(text), ox.Literal(text, language="zh"), ox.Literal(text, language="en")]
        values_p = " ".join(str(ox.NamedNode(p)) for p in predicates)
        values_l = " ".join(sparql_term(lit) for lit in literals)
        solutions = self.raw_query(
            f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?p {{ {values_p} }} VALUES ?l {{ {values_l} }} "
            f"?x ?p ?l ; a {ox.NamedNode(rdf_type)} . FILTER(isIRI(?x)) }}")
        order = {p: i for i, p in enumerate(predicates)}
        langs = {None: 0, "zh": 1, "en": 2}
        rows = sorted(((order[s["p"].value], langs.get(s["l"].language, 3), s["x"].value)
                       for s in solutions), key=lambda row: row[:2])
        found: list[str] = []
        for _p, _l, iri in rows:
            if iri not in found:
                found.append(iri)
        return found

    def checkpoint(self, _target: object) -> None:
        raise StoreError("a remote store has no checkpoints (its workers query the server)")

    def dataset_size(self) -> int:
        """Number of quads in all graphs, background and the default graph's merge included."""
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION "
                          "{ GRAPH ?g { ?s ?p ?o } } }").rows
        return int(rows[0]["n"])

    def raw_query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
                  union_default_graph: bool = False, timeout: float | None = None,
                  ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """The server's answer as pyoxigraph result objects (parsed from SPARQL JSON/XML or
        N-Triples), so callers treat both stores alike. Updates and SERVICE are refused."""
        if union_default_graph:
            raise StoreError("a remote store's default graph is already the merge of all graphs")
        if _UPDATE_START.match(sparql):
            raise ReadOnlyStoreError("SPARQL Update is not accepted by the query interface")
        terms = {name: as_term(value) for name, value in (bindings or {}).items()}
        return self._http.query(bind_values(sparql, terms), timeout=timeout)

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              timeout: float | None = None, union_default_graph: bool = False) -> QueryResult:
        """`PolicyStore.query` over HTTP: `timeout` is the request's time limit."""
        result = self.raw_query(sparql, bindings, union_default_graph=union_default_graph,
                                timeout=timeout)
        return plain_result(result, None)


class _Journal:
    """Undo record of a load of many batches on a remote store: before a batch's write, the
    stored content of each graph it is about to change for the first time; `discard` puts
    them all back in one update request (see the module docstring)."""

    def __init__(self, store: RemoteStore):
        self.store = store
        self.saved: dict[str, list[ox.Triple]] = {}

    def record(self, graphs: Iterable[str]) -> None:
        for name in graphs:
            if name not in self.saved:
                self.saved[name] = self.store._http.graph(ox.NamedNode(name))

    def discard(self) -> None:
        if not self.saved:
            return
        parts = [f"{_UNMERGE.format(graph=ox.NamedNode(g))} ;\nDROP SILENT GRAPH {ox.NamedNode(g)}"
                 for g in sorted(self.saved)]
        lines = []
        for name, triples in self.saved.items():
            node = ox.NamedNode(name)
            for t in triples:
                lines.append(f"GRAPH {node} {{ {t.subject} {t.predicate} {t.object} }}")
                if not (t.subject == node and t.predicate == _SOURCE_FILE):
                    lines.append(f"{t.subject} {t.predicate} {t.object} .")
        if lines:
            parts.append("INSERT DATA {\n" + "\n".join(lines) + "\n}")
        self.store._update(" ;\n".join(parts))
        self.saved = {}

    def adopt(self) -> None:
        self.saved = {}


class _JournalledStore(RemoteStore):
    """The remote store as the target of a journalled load: each write is recorded first."""

    def __init__(self, journal: _Journal):
        origin = journal.store
        super().__init__(origin.url, client=origin._http.sibling())
        self._journal = journal

    def write_triples(self, drop: Iterable[str], put: Mapping[str, Iterable[ox.Triple]],
                      register: Mapping[str, str], *, atomic: bool = True) -> None:
        drop = list(drop)
        self._journal.record([*drop, *put])
        super().write_triples(drop, put, register, atomic=atomic)

    def release(self) -> None:
        self.close()
