"""Store fixtures for the query layer, in the spirit of sqlite-utils' `fresh_db`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from policykg.queries.store import PolicyStore

EXAMPLE_TTL = Path(__file__).resolve().parent.parent / "data" / "example.ttl"
EXTRA_TTL = Path(__file__).resolve().parent / "data" / "extra.ttl"


@pytest.fixture
def fresh_store() -> Iterator[PolicyStore]:
    """An in-memory Oxigraph store with only the background graph (ontology + jurisdictions)."""
    store = PolicyStore.in_memory()
    yield store
    store.close()


@pytest.fixture
def example_store(fresh_store: PolicyStore) -> PolicyStore:
    """fresh_store + tests/data/example.ttl loaded as one source file."""
    fresh_store.replace_source("example.ttl", Graph().parse(EXAMPLE_TTL))
    return fresh_store


@pytest.fixture
def two_source_store(example_store: PolicyStore) -> PolicyStore:
    """example_store + tests/queries/data/extra.ttl (Guiyang pool and precedence, expired Anhui)."""
    example_store.replace_source("extra.ttl", Graph().parse(EXTRA_TTL))
    return example_store
