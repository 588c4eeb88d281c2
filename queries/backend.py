"""The store interface the write path, the queries, the API and the Neo4j sync depend on, and
the one factory every command opens a store with.

Two backends: the embedded pyoxigraph store (`store.PolicyStore`, a directory, the default) and
any SPARQL 1.1 server (`remote_store.RemoteStore`, a URL). `open_store` tells them apart by the
spec: an `http://` or `https://` URL is a server, anything else a data directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import rdflib

from .remote_store import RemoteStore, is_remote
from .store import PolicyStore, QueryResult, default_data_dir


class GraphStore(Protocol):
    """What both backends offer (method by method as `PolicyStore` documents them)."""

    remote: bool
    read_only: bool
    path: Path | None

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              timeout: float | None = None, union_default_graph: bool = False) -> QueryResult: ...
    def raw_query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
                  union_default_graph: bool = False) -> Any: ...
    def states(self, subject: rdflib.URIRef, predicate: rdflib.URIRef | None = None,
               obj: rdflib.term.Node | None = None) -> bool: ...
    def subjects_labelled(self, predicates: Iterable[str], text: str, rdf_type: str) -> list[str]: ...
    def sources(self) -> list[str]: ...
    def graph_for(self, source: str, *, links: bool = True) -> rdflib.Graph: ...
    def links_for(self, source: str) -> rdflib.Graph: ...
    def write(self, drop: Iterable[str], put: Mapping[str, rdflib.Graph],
              register: Mapping[str, str], *, atomic: bool = True) -> None: ...
    def write_triples(self, drop: Iterable[str], put: Mapping[str, Iterable[Any]],
                      register: Mapping[str, str], *, atomic: bool = True) -> None: ...
    def replace_source(self, source: str, graph: rdflib.Graph) -> int: ...
    def remove_source(self, source: str) -> bool: ...
    def copy(self) -> tuple[Any, Any]: ...
    def flush(self) -> None: ...
    def optimize(self) -> None: ...
    def release(self) -> None: ...
    def adopt(self, database: Any) -> None: ...
    def ensure_background(self) -> bool: ...
    def dataset_size(self) -> int: ...
    def as_read_only(self) -> GraphStore: ...
    def close(self) -> None: ...
    def __enter__(self) -> GraphStore: ...
    def __exit__(self, *exc_info: object) -> None: ...


def store_spec(data: Path | None = None, store: str | None = None) -> str | Path:
    """What to open: `--store` when given, else `--data`, else
    `$POLICYKG_STORE`, else the default data directory (`$POLICYKG_DATA` or ./data). Both
    options given is an error (they name different stores)."""
    if store and data is not None:
        raise ValueError("give either --store (a server URL or a directory) or --data, not both "
                         "/ --store 与 --data 只能选一个")
    spec = store or (None if data is not None else os.environ.get("POLICYKG_STORE"))
    if spec:
        return spec if is_remote(spec) else Path(spec)
    return data or default_data_dir()


def open_store(spec: str | Path, *, read_only: bool = False) -> GraphStore:
    """The store `spec` names: a SPARQL 1.1 server for an http(s) URL (credentials from
    `POLICYKG_STORE_USER` / `POLICYKG_STORE_PASSWORD`), else the embedded store in that
    directory."""
    if is_remote(spec):
        return RemoteStore.connect(str(spec), read_only=read_only)
    return PolicyStore.open(Path(spec), read_only=read_only)
