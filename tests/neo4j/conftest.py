"""A real Bolt server for the whole session (ArcadeDB, see arcadedb_server.py) and fresh
databases on it, in the spirit of datasette's local-server fixture: start once, poll until it
answers, stop at the end. Nothing is mocked."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import neo4j
import pytest
import uvicorn
from arcadedb_server import ArcadeDBServer
from rdflib import Graph

from policykg.api.app import create_app
from policykg.api.settings import Settings
from policykg.queries.store import PolicyStore

TESTS = Path(__file__).resolve().parent.parent
EXAMPLE_TTL = TESTS / "data" / "example.ttl"
EXTRA_TTL = TESTS / "queries" / "data" / "extra.ttl"
_names = itertools.count(1)


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArcadeDBServer]:
    server = ArcadeDBServer.start(tmp_path_factory.mktemp("arcadedb"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def driver(bolt_server: ArcadeDBServer) -> Iterator[neo4j.Driver]:
    with neo4j.GraphDatabase.driver(bolt_server.bolt_uri, auth=bolt_server.auth) as drv:
        yield drv


@pytest.fixture
def fresh_database(bolt_server: ArcadeDBServer) -> str:
    """A new, empty database on the session server (ArcadeDB creates them in milliseconds)."""
    return bolt_server.create_database(f"t{next(_names)}")


@pytest.fixture
def example_graphs() -> dict[str, Graph]:
    """Two source files: the example miniature and the second query-test source."""
    return {"example.ttl": Graph().parse(EXAMPLE_TTL), "extra.ttl": Graph().parse(EXTRA_TTL)}


def dump(driver: neo4j.Driver, database: str) -> list[tuple]:
    """Every node and relationship with its properties, sorted; marker timestamps left out."""
    with driver.session(database=database) as session:
        nodes = session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").data()
        rels = session.run("MATCH (a)-[r]->(b) RETURN a.iri AS a, type(r) AS type, b.iri AS b, "
                           "properties(r) AS props").data()
    out: list[tuple] = []
    for node in nodes:
        props = {k: (v.iso_format() if hasattr(v, "iso_format") else v)
                 for k, v in node["props"].items() if k != "synced_at"}
        out.append(("node", tuple(sorted(node["labels"])), repr(sorted(props.items()))))
    for rel in rels:
        out.append(("rel", rel["a"], rel["type"], rel["b"], repr(sorted(rel["props"].items()))))
    return sorted(out)


@contextmanager
def served_api(settings: Settings) -> Iterator[httpx.Client]:
    """An HTTP client for an app over an empty store, served by uvicorn on a free 127.0.0.1
    port (real HTTP, as tests/api/conftest.py serves it; no TestClient)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(PolicyStore.in_memory(), settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the API server on {url} did not start")
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            yield http
    finally:
        server.should_exit = True
        thread.join(timeout=10)
