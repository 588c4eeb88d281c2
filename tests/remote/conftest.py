"""Fixtures for the remote store: a real Oxigraph server per test module, and a store over it
emptied before each test (`DROP ALL`, then the background graph as `connect` loads it)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from policykg.queries.remote_store import RemoteStore

from .oxigraph_server import oxigraph_server


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with oxigraph_server() as url:
        yield url


def clear(url: str) -> None:
    httpx.post(url + "/update", content=b"DROP ALL",
               headers={"Content-Type": "application/sparql-update"}, timeout=30).raise_for_status()


@pytest.fixture
def remote(server_url: str) -> Iterator[RemoteStore]:
    clear(server_url)
    store = RemoteStore.connect(server_url)
    yield store
    store.close()


def dump(url: str) -> bytes:
    """Every quad on the server, sorted N-Quads: compares the dataset before and after."""
    response = httpx.get(url + "/store", headers={"Accept": "application/n-quads"}, timeout=60)
    response.raise_for_status()
    return b"\n".join(sorted(response.content.splitlines()))
