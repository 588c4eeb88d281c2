"""Live HTTP servers for the API tests, like datasette's local server fixture: uvicorn in a
background thread on 127.0.0.1 and a free port, polled until it answers, stopped at the end.

Each server has its own store and settings:
- `api`: example.ttl, an API key configured (reads, uploads and deletes);
- `corpus_api`: the real corpus loaded through `loaders/pipeline.py`;
- `nokey_api`: example.ttl, no API key (writes disabled);
- `limited_api`: example.ttl, tiny limits (row limit 5, 1 KiB bodies);
- `timeout_api`: example.ttl, a 0.3 s query time limit.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI
from rdflib import Graph

from policykg.api.app import create_app
from policykg.api.settings import Settings
from policykg.queries.store import PolicyStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TTL = ROOT / "tests" / "data" / "example.ttl"
CORPUS = ROOT / "corpus"
API_KEY = "test-secret-key"


@dataclass
class LiveServer:
    url: str
    store: PolicyStore
    raw: ox.Store          # the pyoxigraph store under `store`, for byte-level dumps
    settings: Settings

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]

    def dump(self) -> bytes:
        """Every quad of every graph as N-Quads, to compare the store before/after."""
        return self.raw.dump(format=ox.RdfFormat.N_QUADS) or b""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def example_store() -> tuple[PolicyStore, ox.Store]:
    raw = ox.Store()
    store = PolicyStore(raw)
    store.ensure_background()
    graph = Graph()
    graph.parse(EXAMPLE_TTL)
    store.replace_source("example.ttl", graph)
    return store, raw


def corpus_store() -> tuple[PolicyStore, ox.Store]:
    from policykg.loaders.manifest import load_manifest
    from policykg.loaders.pipeline import build_graphs
    from policykg.queries import writes

    raw = ox.Store()
    store = PolicyStore(raw)
    store.ensure_background()
    graphs = build_graphs(sorted(CORPUS.glob("*.txt")), load_manifest(CORPUS / "manifest.yaml"))
    writes.apply(store, writes.Change(put=graphs))  # the write path derives the links
    return store, raw


@contextmanager
def serve_app(app: FastAPI) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 and a free port; yield its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(url + "/openapi.json", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the API server on {url} did not start")
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def live_server(store: PolicyStore, raw: ox.Store, settings: Settings) -> Iterator[LiveServer]:
    with serve_app(create_app(store, settings)) as url:
        yield LiveServer(url, store, raw, settings)


@pytest.fixture(scope="session")
def api() -> Iterator[LiveServer]:
    store, raw = example_store()
    with live_server(store, raw, Settings(api_key=API_KEY)) as server:
        yield server


@pytest.fixture(scope="session")
def nokey_api() -> Iterator[LiveServer]:
    store, raw = example_store()
    with live_server(store, raw, Settings()) as server:
        yield server


@pytest.fixture(scope="session")
def limited_api() -> Iterator[LiveServer]:
    store, raw = example_store()
    settings = Settings(api_key=API_KEY, sparql_max_rows=5, max_upload_bytes=1024)
    with live_server(store, raw, settings) as server:
        yield server


@pytest.fixture(scope="session")
def timeout_api() -> Iterator[LiveServer]:
    store, raw = example_store()
    settings = Settings(sparql_timeout=0.3, sparql_max_rows=10_000_000, sparql_workers=2)
    with live_server(store, raw, settings) as server:
        yield server


@pytest.fixture(scope="session")
def corpus_api() -> Iterator[LiveServer]:
    store, raw = corpus_store()
    with live_server(store, raw, Settings(api_key=API_KEY)) as server:
        yield server


@pytest.fixture
def upload_api() -> Iterator[LiveServer]:
    """A fresh server per test for uploads, so writes never leak into other tests."""
    store, raw = example_store()
    with live_server(store, raw, Settings(api_key=API_KEY)) as server:
        yield server
