"""Fixtures shared by every layer: the real corpus and the hand-made example graph."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
EXAMPLE_TTL = Path(__file__).parent / "data" / "example.ttl"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture
def example_graph() -> Graph:
    """A fresh copy each test: tests may break it on purpose."""
    g = Graph()
    g.parse(EXAMPLE_TTL)
    return g


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that counts connection attempts and never answers: the
    address SERVICE / LOAD / FROM attacks point at, to prove nothing connects."""

    url: str
    hits: list[int] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    found = Listener(f"http://127.0.0.1:{server.getsockname()[1]}")
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            found.hits.append(1)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join(timeout=2)
    server.close()
