"""Fixtures shared by every layer: the real corpus and the hand-made example graph."""

from __future__ import annotations

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
