"""Every catalogue question on both backends over the same data: identical rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parity_cases import CASES, CORPUS_CASES, CORPUS_POLICY

from policykg.loaders.neo4j_sync import graphs_from_store, sync_graph
from policykg.queries.catalogue import load_catalogue, run_query
from policykg.queries.cypher_runner import load_cypher_catalogue, run_cypher_query
from policykg.queries.params import QueryParameterError
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FUNDS_TTL = Path(__file__).resolve().parents[1] / "queries" / "data" / "funds.ttl"


def test_every_rq_has_a_cypher_twin_with_the_same_header():
    sparql, cypher = load_catalogue(), load_cypher_catalogue()
    assert sorted(sparql) == sorted(cypher)
    for name, query in sparql.items():
        twin = cypher[name]
        assert twin.params == query.params, name
        assert twin.description == query.description, name
        assert twin.columns == query.columns, name
        assert twin.list_columns == query.list_columns, name
    assert {name for name, _ in CASES} == set(sparql)


def compare(store: PolicyStore, driver, database: str, name: str, params: dict[str, str]) -> int:
    try:
        expected = run_query(store, name, params)
    except QueryParameterError as err:
        with pytest.raises(QueryParameterError):
            run_cypher_query(driver, database, name, params)
        return -1 if err else 0
    got = run_cypher_query(driver, database, name, params)
    assert got.columns == list(expected.columns), name
    # byte for byte: the same numbers (4000000, never 4000000.0), the same row order
    assert as_json(got.rows) == as_json(expected.rows), (name, params)
    return len(got.rows)


def as_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def example_twins(bolt_server, driver):
    from conftest import EXAMPLE_TTL, EXTRA_TTL
    from rdflib import Graph

    store = PolicyStore.in_memory()
    store.replace_source("example.ttl", Graph().parse(EXAMPLE_TTL))
    store.replace_source("extra.ttl", Graph().parse(EXTRA_TTL))
    database = bolt_server.create_database("parity_example")
    sync_graph(driver, database, graphs_from_store(store))
    yield store, database
    store.close()


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_parity_on_the_example(example_twins, driver, name, params):
    store, database = example_twins
    compare(store, driver, database, name, params)


@pytest.fixture(scope="module")
def funds_twins(bolt_server, driver):
    from rdflib import Graph

    store = PolicyStore.in_memory()
    store.replace_source("funds.ttl", Graph().parse(FUNDS_TTL))
    database = bolt_server.create_database("parity_funds")
    sync_graph(driver, database, graphs_from_store(store))
    yield store, database
    store.close()


@pytest.mark.parametrize("params", [{}, {"scope": "province"}], ids=["jurisdiction", "province"])
def test_parity_on_restated_and_distinct_funds(funds_twins, driver, params):
    """A fund restated by a related policy counts once, funds of one amount elsewhere do not merge."""
    store, database = funds_twins
    assert compare(store, driver, database, "funding-totals", params) > 0


@pytest.fixture(scope="module")
def corpus_twins(bolt_server, driver):
    from policykg.loaders.manifest import load_manifest
    from policykg.loaders.pipeline import build_graphs
    from policykg.queries import writes

    store = PolicyStore.in_memory()
    graphs = build_graphs(sorted(CORPUS.glob("*.txt")), load_manifest(CORPUS / "manifest.yaml"))
    writes.apply(store, writes.Change(put=graphs))  # the write path derives the links
    database = bolt_server.create_database("parity_corpus")
    sync_graph(driver, database, graphs_from_store(store))
    yield store, database
    store.close()


@pytest.mark.parametrize(("name", "params"), CORPUS_CASES,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CORPUS_CASES)])
def test_parity_on_the_corpus(corpus_twins, driver, name, params):
    store, database = corpus_twins
    compare(store, driver, database, name, params)


def test_the_corpus_answers_are_not_empty(corpus_twins, driver):
    store, database = corpus_twins
    for name in ("instruments-by-category", "top-ups", "departments", "targets", "funding-totals",
                 "instrument-counts", "department-ranking", "policies-by-level-year"):
        assert run_cypher_query(driver, database, name, {}).rows, name
    assert run_cypher_query(driver, database, "funding-totals", {"scope": "province"}).rows
    assert run_cypher_query(driver, database, "precedence", {"policy": CORPUS_POLICY}).rows
