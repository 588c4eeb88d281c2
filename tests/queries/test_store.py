"""PolicyStore: one named graph per source, atomic replace, persistence, read-only mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib import Graph, Literal, URIRef

from policykg.ontology import vocab
from policykg.queries.store import (
    PolicyStore,
    QuerySyntaxError,
    ReadOnlyStoreError,
    SelectResult,
    StoreNotFoundError,
    default_data_dir,
)
from policykg.queries.terms import TermConversionError

EXAMPLE_TTL = Path(__file__).resolve().parent.parent / "data" / "example.ttl"

COUNT_POLICIES = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:PolicyDocument }"


def _tiny(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"https://example.org/s{i}"), vocab.PKG.title, Literal(f"t{i}", lang="zh")))
    return g


def _count(store: PolicyStore, sparql: str = COUNT_POLICIES) -> int:
    result = store.query(sparql)
    assert isinstance(result, SelectResult)
    return result.rows[0]["n"]


def test_background_is_loaded_once(fresh_store: PolicyStore) -> None:
    assert fresh_store.sources() == []
    size = fresh_store.dataset_size()
    assert size > 500
    assert fresh_store.ensure_background() is False  # unchanged files: nothing rewritten
    assert fresh_store.dataset_size() == size
    assert fresh_store.query("ASK { j:南通创新区 pkg:within+ j:江苏省 }") is True


def test_replace_and_remove_one_source_leaves_the_others(example_store: PolicyStore) -> None:
    example_store.replace_source("a.txt", _tiny(3))
    example_store.replace_source("b.txt", _tiny(5))
    assert example_store.sources() == ["a.txt", "b.txt", "example.ttl"]
    assert len(example_store.graph_for("a.txt")) == 3

    example_store.replace_source("a.txt", _tiny(1))
    assert len(example_store.graph_for("a.txt")) == 1
    assert len(example_store.graph_for("b.txt")) == 5

    assert example_store.remove_source("a.txt") is True
    assert example_store.remove_source("a.txt") is False
    assert example_store.sources() == ["b.txt", "example.ttl"]
    assert _count(example_store) == 3


def test_graph_round_trips(example_store: PolicyStore, example_graph: Graph) -> None:
    stored = example_store.graph_for("example.ttl")
    assert len(stored) == len(example_graph)
    # numbers come back canonical (2000000.0 → 2000000): equal as values
    for s, p, o in example_graph:
        assert any(o.eq(other) for other in stored.objects(s, p)), (s, p, o)


class _BreaksMidway(Graph):
    """A graph whose iteration fails after a few triples, like a loader crashing mid-file."""

    def __iter__(self) -> Iterator[tuple]:  # type: ignore[override]
        for i, triple in enumerate(super().__iter__()):
            if i == 5:
                raise RuntimeError("loader crashed")
            yield triple


def test_failing_replace_keeps_the_previous_graph(example_store: PolicyStore) -> None:
    before = len(example_store.graph_for("example.ttl"))
    broken = _BreaksMidway()
    for triple in Graph().parse(EXAMPLE_TTL):
        broken.add(triple)
    with pytest.raises(RuntimeError, match="loader crashed"):
        example_store.replace_source("example.ttl", broken)
    assert len(example_store.graph_for("example.ttl")) == before

    bad = _tiny(3)
    bad.add((URIRef("https://example.org/has space"), vocab.PKG.title, Literal("x")))
    with pytest.raises(TermConversionError):
        example_store.replace_source("example.ttl", bad)
    assert len(example_store.graph_for("example.ttl")) == before
    assert _count(example_store) == 3


def test_persistence_survives_close_and_reopen(tmp_path: Path, example_graph: Graph) -> None:
    data = tmp_path / "store"
    sparql = "SELECT ?p ?t WHERE { ?p pkg:title ?t } ORDER BY ?p"
    with PolicyStore.open(data) as store:
        store.replace_source("example.ttl", example_graph)
        first = store.query(sparql)
        size = store.dataset_size()
    with PolicyStore.open(data) as store:
        assert store.query(sparql) == first
        assert store.dataset_size() == size
        assert store.sources() == ["example.ttl"]
    with PolicyStore.open(data, read_only=True) as store:
        assert store.query(sparql) == first


def test_read_only_open_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError):
        PolicyStore.open(tmp_path / "nothing", read_only=True)


def test_read_only_refuses_writes(example_store: PolicyStore) -> None:
    view = example_store.as_read_only()
    with pytest.raises(ReadOnlyStoreError):
        view.replace_source("x.txt", _tiny(1))
    with pytest.raises(ReadOnlyStoreError):
        view.remove_source("example.ttl")
    assert _count(view) == 3


def test_query_never_runs_an_update(example_store: PolicyStore) -> None:
    for update in ("DROP ALL", "PREFIX x: <http://x/>\n# c\nINSERT DATA { x:a x:b x:c }", "clear default"):
        with pytest.raises(ReadOnlyStoreError):
            example_store.query(update)
    assert _count(example_store) == 3


def test_default_graph_is_the_merge_without_duplicates(example_store: PolicyStore) -> None:
    """A triple stated by two sources is seen once, and stays while either source holds it."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?p pkg:docNumber ?d }"
    assert _count(example_store, count) == 1
    copy = example_store.graph_for("example.ttl")
    example_store.replace_source("copy.ttl", copy)
    assert _count(example_store, count) == 1
    example_store.remove_source("example.ttl")
    assert _count(example_store, count) == 1
    example_store.remove_source("copy.ttl")
    assert _count(example_store, count) == 0
    # the background graph is still merged in
    assert example_store.query("ASK { j:南通创新区 pkg:within j:南通市 }") is True


def test_query_result_shapes(example_store: PolicyStore) -> None:
    assert example_store.query("ASK { ?p pkg:docNumber '通政办规〔2024〕7号' }") is True
    graph = example_store.query("CONSTRUCT { ?p pkg:title ?t } WHERE { ?p pkg:title ?t }")
    assert isinstance(graph, rdflib.Graph) and len(graph) == 3
    rows = example_store.query(
        "SELECT ?max ?from ?loaded WHERE { ?i pkg:maxAmount ?max . ?i pkg:instrumentOf ?p ."
        " ?p pkg:inForceFrom ?from ; pkg:loaded ?loaded }"
    )
    assert isinstance(rows, SelectResult)
    assert rows.rows == [{"max": 2000000.0, "from": "2025-02-01", "loaded": True}]


def test_bindings_are_data_not_syntax(example_store: PolicyStore) -> None:
    evil = '" } ; DROP ALL ; SELECT * WHERE { "'
    sparql = "SELECT ?p WHERE { ?p pkg:title ?t FILTER(CONTAINS(STR(?t), ?needle)) }"
    assert example_store.query(sparql, {"needle": evil}).rows == []
    assert len(example_store.query(sparql, {"needle": "紫琅三谷"}).rows) == 1
    assert _count(example_store) == 3
    with pytest.raises(ValueError):
        example_store.query(sparql, {"bad name": "x"})


def test_syntax_error_has_line_and_column(example_store: PolicyStore) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        example_store.query("SELECT ?s WHERE {\n  ?s ?p \n}")
    assert info.value.line == 3 and info.value.column is not None
    assert "3:" in str(info.value)


def test_default_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICYKG_DATA", str(tmp_path / "d"))
    assert default_data_dir() == tmp_path / "d"
    monkeypatch.delenv("POLICYKG_DATA")
    monkeypatch.chdir(tmp_path)
    assert default_data_dir() == tmp_path / "data"
