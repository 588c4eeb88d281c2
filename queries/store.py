"""The embedded store: pyoxigraph (RocksDB on disk, or in memory), one named graph per source file.

Layout of the dataset:
- one named graph per corpus file, `vocab.source_graph_iri(source)`, holding exactly the triples
  the loaders built for that file plus one registration triple `<graph> pkg:sourceFile "source"`
  (so `sources()` can list the original file names, which graph IRIs cannot always spell back);
- one named graph per source file of links derived for it, `vocab.links_graph_iri(source)`
  (`queries.links`: top-ups, presumed types of cited policies), rebuilt by every write that
  touches the file or what it refers to;
- `vocab.BACKGROUND_GRAPH`: ontology/policy.ttl + categories.ttl + jurisdictions.ttl, so queries can
  walk `pkg:within*`, read category notations and labels.
- the default graph: the RDF merge (a set, no duplicates) of every named graph, kept up to date by
  each write in the same transaction. Queries run over it, so `.rq` files need no `GRAPH` and a
  triple that several files state (a cited policy's title, a shared department) is counted
  once; pyoxigraph's union-default-graph mode would return it once per graph.

Data directory: `default_data_dir()` is `$POLICYKG_DATA` when set, else `./data` under the
current directory; every CLI command takes `--data DIR` to override both.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS

from policykg.ontology import vocab

from .binding import bind_values
from .swap import Copy, recover
from .terms import OxTerm, as_term, from_rdflib, to_plain, to_rdflib, triples_from_rdflib

BACKGROUND_FILES = ("policy.ttl", "categories.ttl", "jurisdictions.ttl")
_BACKGROUND = ox.NamedNode(str(vocab.BACKGROUND_GRAPH))
_SOURCE_FILE = ox.NamedNode(str(vocab.PKG.sourceFile))
_HAS_VERSION = ox.NamedNode(str(DCTERMS.hasVersion))
_UPDATE_START = re.compile(
    r"^\s*(?:(?:#[^\n]*\n|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
_POSITION = re.compile(r"error at (\d+):(\d+)")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


# Remove from the default graph the triples of one named graph that no other named graph holds.
_UNMERGE = (
    "DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
    "FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }} }}"
)


class StoreError(Exception):
    """Base class for store errors (the API maps these to HTTP status codes in one place)."""


class ReadOnlyStoreError(StoreError):
    """A write (or a SPARQL Update) was attempted on a read-only store."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """A read-only open of a data directory that holds no store yet."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse; `line` and `column` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QueryTimeoutError(StoreError):
    """The query ran past its deadline (checked between result rows)."""


@dataclass(frozen=True)
class SelectResult:
    """SELECT answers as plain values (see `terms.to_plain`), in projection order."""

    columns: list[str]
    rows: list[dict[str, Any]]


QueryResult = SelectResult | bool | rdflib.Graph


def default_data_dir() -> Path:
    """`$POLICYKG_DATA` if set, else `./data` relative to the current working directory."""
    env = os.environ.get("POLICYKG_DATA")
    return Path(env) if env else Path.cwd() / "data"


def _background_quads() -> tuple[list[ox.Quad], str]:
    """The background files as quads in the background graph, and a digest of their bytes."""
    package = resources.files("policykg.ontology")
    digest = hashlib.sha1()
    quads: list[ox.Quad] = []
    for name in BACKGROUND_FILES:
        data = package.joinpath(name).read_bytes()
        digest.update(data)
        for quad in ox.parse(data, ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, _BACKGROUND))
    return quads, digest.hexdigest()


class GraphLayout:
    """The project's graph layout, kept the same way on either backend (one named graph per
    source and one for its links, the background graph, the default graph as their merge).
    Each backend gives the primitives: the triples of a named graph, whether a source is
    loaded, whether the background carries a version marker, one update, one graph replace."""

    def _triples_in(self, name: ox.NamedNode) -> Iterable[ox.Quad | ox.Triple]:
        raise NotImplementedError

    def _holds_source(self, source: str) -> bool:
        raise NotImplementedError

    def _background_marked(self, marker: ox.Literal) -> bool:
        raise NotImplementedError

    def _update(self, text: str) -> None:
        raise NotImplementedError

    def _replace_graph(self, graph: ox.NamedNode, triples: Iterable[tuple[OxTerm, ...]],
                       private: Iterable[tuple[OxTerm, ...]] = ()) -> None:
        """Drop and refill one named graph, and keep the default graph the merge of all named
        graphs, in ONE SPARQL update (one transaction embedded, one request remote): readers
        see the old state or the new one, never a mix or nothing. `private` triples (the source
        registration) go into the named graph only. Terms are serialised first, so a bad term
        fails before the store is touched."""
        body = "\n".join(" ".join(str(t) for t in triple) + " ." for triple in triples)
        extra = "\n".join(" ".join(str(t) for t in triple) + " ." for triple in private)
        self._update(f"{_UNMERGE.format(graph=graph)} ;\nDROP SILENT GRAPH {graph} ;\n"
                     f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n{extra}\n}} }} ;\n"
                     f"INSERT DATA {{\n{body}\n}}")

    def replace_source(self, source: str, graph: rdflib.Graph) -> int:
        """Atomically swap the named graph of one source file; returns its triple count."""
        self._check_writable()
        name = ox.NamedNode(str(vocab.source_graph_iri(source)))
        triples = triples_from_rdflib(graph)
        self._replace_graph(name, triples, private=[(name, _SOURCE_FILE, ox.Literal(source))])
        return len(triples)

    def _check_writable(self) -> None:
        raise NotImplementedError

    def remove_source(self, source: str) -> bool:
        """Remove one source file's graph and its links; False when it was not loaded."""
        self._check_writable()
        if not self._holds_source(source):
            return False
        name = ox.NamedNode(str(vocab.source_graph_iri(source)))
        links = ox.NamedNode(str(vocab.links_graph_iri(source)))
        self._update(f"{_UNMERGE.format(graph=name)} ;\nDROP SILENT GRAPH {name} ;\n"
                     f"{_UNMERGE.format(graph=links)} ;\nDROP SILENT GRAPH {links}")
        return True

    def ensure_background(self) -> bool:
        """Load or refresh the ontology + jurisdictions graph; True when it was (re)written."""
        quads, digest = _background_quads()
        marker = ox.Literal("sha1:" + digest)
        if self._background_marked(marker):
            return False
        self._check_writable()
        triples = [(q.subject, q.predicate, q.object) for q in quads]
        self._replace_graph(_BACKGROUND, triples, private=[(_BACKGROUND, _HAS_VERSION, marker)])
        return True

    def graph_for(self, source: str, *, links: bool = True) -> rdflib.Graph:
        """One source file's triples as loaded (without the registration triple), with the links
        derived for it (`queries.links`) unless `links=False`."""
        graph = self._graph_named(ox.NamedNode(str(vocab.source_graph_iri(source))))
        if links:
            graph += self._graph_named(ox.NamedNode(str(vocab.links_graph_iri(source))))
        return graph

    def links_for(self, source: str) -> rdflib.Graph:
        """The links derived for one source file."""
        return self._graph_named(ox.NamedNode(str(vocab.links_graph_iri(source))))

    def _graph_named(self, name: ox.NamedNode) -> rdflib.Graph:
        graph = rdflib.Graph()
        for prefix, namespace in vocab.PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self._triples_in(name):
            if triple.subject == name and triple.predicate == _SOURCE_FILE:
                continue
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return graph


class PolicyStore(GraphLayout):
    """A pyoxigraph store plus the project's graph layout; see the module docstring."""

    remote = False  # queries run in this process's engine (the API's workers sandbox them)

    def __init__(self, store: ox.Store, *, read_only: bool = False, path: Path | None = None):
        self._store: ox.Store | None = store
        self.read_only = read_only
        self.path = path

    # ---- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | str, *, read_only: bool = False) -> PolicyStore:
        """The persistent store in `data_dir` (created if missing), background graph ensured.

        `read_only=True` opens RocksDB without its write lock (pyoxigraph `Store.read_only`), so
        queries can run while another process holds the store; results then reflect the data
        as of opening, and the store must already exist.
        """
        path = Path(data_dir)
        if read_only:
            if not (path / "CURRENT").exists():
                raise StoreNotFoundError(f"no store in {path} (load some data first)")
            return cls(ox.Store.read_only(str(path)), read_only=True, path=path)
        recover(path)  # a load killed while swapping in its copy (`queries.swap`)
        path.mkdir(parents=True, exist_ok=True)
        store = cls(ox.Store(str(path)), path=path)
        store.ensure_background()
        return store

    @classmethod
    def in_memory(cls, *, background: bool = True) -> PolicyStore:
        """A throw-away store (tests, API uploads preview); background loaded unless told not to."""
        store = cls(ox.Store())
        if background:
            store.ensure_background()
        return store

    def as_read_only(self) -> PolicyStore:
        """A read-only view over the same data, e.g. for the API's /sparql endpoint."""
        return PolicyStore(self._ox, read_only=True, path=self.path)

    def close(self) -> None:
        """Flush and release the store (and its RocksDB lock) once no result iterator holds it."""
        if self._store is not None and self.path is not None and not self.read_only:
            self._store.flush()
        self._store = None

    def release(self) -> None:
        """Let go of the database (flushed first), as `close`, so another can take its place."""
        self.close()

    def adopt(self, database: ox.Store) -> None:
        """Use `database` from now on (`queries.writes.swapped` after a load's copy is in place)."""
        self._store = database

    def __enter__(self) -> PolicyStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def _ox(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError("the store is read-only")

    # ---- writing -------------------------------------------------------------------------

    def subjects_labelled(self, predicates: Iterable[str], text: str, rdf_type: str) -> list[str]:
        """IRIs of `rdf_type` whose value for one of `predicates` is `text` as a plain, @zh or @en
        literal: index lookups in the default graph, where a SPARQL `FILTER(STR(?l) = ?text)`
        reads every label of the store (parameter resolution runs before every named query)."""
        default = ox.DefaultGraph()
        rdf_type_node = ox.NamedNode(rdf_type)
        found: list[str] = []
        for predicate in predicates:
            for literal in (ox.Literal(text), ox.Literal(text, language="zh"),
                            ox.Literal(text, language="en")):
                for quad in self._ox.quads_for_pattern(None, ox.NamedNode(predicate), literal, default):
                    subject = quad.subject
                    if (isinstance(subject, ox.NamedNode) and subject.value not in found
                            and next(self._ox.quads_for_pattern(subject, _RDF_TYPE, rdf_type_node,
                                                                default), None)):
                        found.append(subject.value)
        return found

    # ---- the write primitive of `queries.writes` -------------------------------------------

    def write(
        self,
        drop: Iterable[str],
        put: Mapping[str, rdflib.Graph],
        register: Mapping[str, str],
        *,
        atomic: bool = True,
    ) -> None:
        """Drop the named graphs `drop`, (re)fill those of `put` (graph IRI -> triples), keep the
        default graph the merge of all named graphs, and register `register` (graph IRI ->
        source name) so `sources()` lists it. Every triple is converted before the store is
        touched, so a bad term fails with nothing written.

        `atomic`: one transaction — `Store.extend` when nothing stored is dropped, else one
        SPARQL update. `atomic=False` is for a store nobody reads until the write is over
        (`queries.swap`): removals as one update, then `bulk_load` of the batch as N-Quads
        (`_nquads`), RocksDB's fast path.
        Callers validate first; this only writes (`queries.writes` is the one caller)."""
        self._check_writable()
        triples = {name: triples_from_rdflib(graph) for name, graph in put.items()}
        self.write_triples(drop, triples, register, atomic=atomic)

    def write_triples(self, drop: Iterable[str], put: Mapping[str, Iterable[ox.Triple]],
                      register: Mapping[str, str], *, atomic: bool = True) -> None:
        """`write` for triples already converted to pyoxigraph terms (`queries.writes` converts
        each once, for its validation and this write)."""
        self._check_writable()
        default = ox.DefaultGraph()

        def quads() -> Iterator[ox.Quad]:
            for name, triples in put.items():
                node = ox.NamedNode(name)
                for t in triples:
                    yield ox.Quad(t.subject, t.predicate, t.object, node)
                    yield ox.Quad(t.subject, t.predicate, t.object, default)
            for name, source in register.items():
                node = ox.NamedNode(name)
                yield ox.Quad(node, _SOURCE_FILE, ox.Literal(source), node)

        dropped = [ox.NamedNode(g) for g in sorted(set(drop) | set(put))
                   if self._ox.contains_named_graph(ox.NamedNode(g))]
        removal = " ;\n".join(f"{_UNMERGE.format(graph=g)} ;\nDROP SILENT GRAPH {g}" for g in dropped)
        if not atomic:
            if removal:
                self._ox.update(removal)
            text = _nquads(put, register)
            if text is None:  # blank nodes: bulk_load would rename them
                self._ox.bulk_extend(quads())
            else:
                self._ox.bulk_load(input=text, format=ox.RdfFormat.N_QUADS, lenient=True)
        elif not dropped:
            self._ox.extend(list(quads()))
        else:
            body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." if isinstance(q.graph_name, ox.DefaultGraph)
                             else f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                             for q in quads())
            self._ox.update(f"{removal} ;\nINSERT DATA {{\n{body}\n}}")

    def flush(self) -> None:
        """Write RocksDB's in-memory buffers to disk (bounds memory during a long load)."""
        self._check_writable()
        self._ox.flush()

    def optimize(self) -> None:
        """Compact RocksDB after a large load (pyoxigraph `Store.optimize`): reads get faster."""
        self._check_writable()
        if self.path is not None:
            self._ox.optimize()

    def copy(self) -> tuple[PolicyStore, Copy]:
        """A writable copy of this store (`queries.swap`), and the handle that adopts or
        discards it: a RocksDB checkpoint beside an on-disk store, a quad copy in memory."""
        self._check_writable()
        copy = Copy(self.path, self._ox)
        return PolicyStore(copy.store, path=copy.where), copy

    def _holds_source(self, source: str) -> bool:
        return self._ox.contains_named_graph(ox.NamedNode(str(vocab.source_graph_iri(source))))

    def _background_marked(self, marker: ox.Literal) -> bool:
        return any(self._ox.quads_for_pattern(_BACKGROUND, _HAS_VERSION, marker, _BACKGROUND))

    def _update(self, text: str) -> None:
        self._ox.update(text)

    # ---- reading -------------------------------------------------------------------------

    def sources(self) -> list[str]:
        """Names of the loaded source files, sorted."""
        # per named graph, an index probe of its own registration triple: scanning the
        # predicate instead read every document's pkg:sourceFile too (40× as many quads)
        result = self._ox.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?g {_SOURCE_FILE} ?s }} }}")
        return sorted(row["s"].value for row in result)  # type: ignore[union-attr]

    def _triples_in(self, name: ox.NamedNode) -> Iterator[ox.Quad]:
        return self._ox.quads_for_pattern(None, None, None, name)

    def states(self, subject: rdflib.URIRef, predicate: rdflib.URIRef | None = None,
               obj: rdflib.term.Node | None = None) -> bool:
        """Whether some graph states a triple matching the pattern (an index probe in the
        default graph, the merge of all graphs; `None` matches anything)."""
        pattern = (from_rdflib(subject), None if predicate is None else from_rdflib(predicate),
                   None if obj is None else from_rdflib(obj))
        return next(self._ox.quads_for_pattern(*pattern, ox.DefaultGraph()), None) is not None

    def checkpoint(self, target: Path) -> None:
        """A consistent copy of an on-disk store in `target` (must not exist): RocksDB hard-links
        its immutable files, so the copy costs milliseconds and no compaction can pull a file
        from under a reader of the copy (query workers read one, see `queries/workers.py`)."""
        if self.path is None:
            raise StoreError("only an on-disk store has checkpoints")
        self._ox.backup(str(target))

    def dataset_size(self) -> int:
        """Number of quads in all graphs, background included."""
        return len(self._ox)

    def raw_query(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        *,
        union_default_graph: bool = False,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """pyoxigraph's own result object (for the SPARQL protocol endpoint, which serialises it
        with pyoxigraph). Updates are refused here whatever the mode: this is the read path."""
        if _UPDATE_START.match(sparql):
            raise ReadOnlyStoreError("SPARQL Update is not accepted by the query interface")
        terms = {name: as_term(value) for name, value in (bindings or {}).items()}
        text = bind_values(sparql, terms)
        try:
            return self._ox.query(
                text, prefixes=_prefixes(), use_default_graph_as_union=union_default_graph
            )
        except SyntaxError as err:
            raise _syntax_error(err) from err

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        union_default_graph: bool = False,
    ) -> QueryResult:
        """Run a SELECT / ASK / CONSTRUCT / DESCRIBE query with optional safe bindings.

        `bindings` maps variable names (without `?`) to RDF terms or Python values (`str` is a
        string literal; pass `rdflib.URIRef` for an IRI). The project prefixes (`pkg:`, `j:`…)
        are predeclared. `timeout` (seconds) is checked between rows: a single blocking step such
        as a large ORDER BY cannot be interrupted by pyoxigraph 0.5.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        result = self.raw_query(sparql, bindings, union_default_graph=union_default_graph)
        return plain_result(result, deadline)


def _nquads(put: Mapping[str, Iterable[ox.Triple]], register: Mapping[str, str]) -> bytes | None:
    """What `write_triples` stores, as N-Quads for `Store.bulk_load`, which parses and sorts
    them in Rust: a Python quad object per stored quad had cost as much again. Each graph's
    triples are serialised by pyoxigraph once, as the named graph's lines and, unchanged, the
    default graph's (the merge). A line of N-Triples ends in " .\n" and nowhere else (a
    literal's line breaks are escaped), so naming the graph is one replacement. The terms are
    pyoxigraph's own, already checked: `lenient` skips checking them again.

    None when a graph may hold a blank node (" _:" or a line starting "_:"; a literal holding
    that text only costs the slower path): bulk_load gives blank nodes new labels, and the
    loaders never make any."""
    parts = []
    for name, triples in put.items():
        lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        if lines.startswith(b"_:") or b" _:" in lines or b"\n_:" in lines:
            return None
        parts += [lines.replace(b" .\n", f" {ox.NamedNode(name)} .\n".encode()), lines]
    registration = [ox.Quad(ox.NamedNode(name), _SOURCE_FILE, ox.Literal(source), ox.NamedNode(name))
                    for name, source in register.items()]
    parts.append(ox.serialize(registration, format=ox.RdfFormat.N_QUADS))
    return b"".join(parts)


def plain_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
                 deadline: float | None) -> QueryResult:
    """pyoxigraph's answer as `QueryResult` (both stores' `query`); the deadline is checked
    between rows."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = [var.value for var in result.variables]
        rows = [
            {col: to_plain(solution[col]) for col in columns}
            for solution in _until(result, deadline)
        ]
        return SelectResult(columns, rows)
    graph = rdflib.Graph()
    for triple in _until(result, deadline):
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def _until(items: Iterable[Any], deadline: float | None) -> Iterator[Any]:
    for item in items:
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeoutError("the query exceeded its time limit")
        yield item


def _prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in vocab.PREFIXES.items()}


def _syntax_error(err: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph reports 'error at LINE:COLUMN: …' in the message; lift the position out."""
    message = str(err)
    match = _POSITION.search(message)
    if match:
        return QuerySyntaxError(message, int(match.group(1)), int(match.group(2)))
    return QuerySyntaxError(message)
