"""The remote store (`queries.remote_store`) against a real Oxigraph server: the same layout,
answers and refusals as the embedded store, each write one update request."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from policykg.loaders.manifest import manifest_for
from policykg.ontology import vocab
from policykg.queries.backend import open_store, store_spec
from policykg.queries.ingest import ingest_files
from policykg.queries.remote_store import (
    Endpoints,
    RemoteServiceError,
    RemoteStore,
    StoreUnavailableError,
)
from policykg.queries.store import (
    PolicyStore,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyStoreError,
)

from .conftest import dump
from .oxigraph_server import free_port, oxigraph_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "data" / "example.ttl"
FILES = sorted((ROOT / "corpus").glob("*.txt"))
EX = "https://example.org/"


def _example() -> Graph:
    graph = Graph()
    graph.parse(EXAMPLE)
    return graph


def _both(remote: RemoteStore) -> list[PolicyStore | RemoteStore]:
    embedded = PolicyStore.in_memory()
    for store in (embedded, remote):
        store.replace_source("example.ttl", _example())
    return [embedded, remote]


def test_a_source_reads_back_as_written_with_the_same_layout(remote: RemoteStore) -> None:
    embedded, remote = _both(remote)
    assert remote.sources() == embedded.sources() == ["example.ttl"]
    assert isomorphic(remote.graph_for("example.ttl"), embedded.graph_for("example.ttl"))
    assert len(remote.graph_for("example.ttl")) == len(_example())
    assert remote.dataset_size() == embedded.dataset_size()
    assert not remote.ensure_background()  # the background graph is current: not rewritten
    whole = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert sorted(map(str, remote.raw_query(whole))) == sorted(map(str, embedded.raw_query(whole)))


def test_the_default_graph_is_the_merge_of_the_named_graphs(remote: RemoteStore) -> None:
    shared = (URIRef(EX + "dept"), URIRef(str(vocab.PKG.title)), Literal("科技局", lang="zh"))
    for name in ("a.ttl", "b.ttl"):
        graph = Graph()
        graph.add(shared)
        graph.add((URIRef(EX + name), URIRef(str(vocab.PKG.title)), Literal(name)))
        remote.replace_source(name, graph)
    count = "SELECT (COUNT(*) AS ?n) WHERE { <https://example.org/dept> ?p ?o }"
    assert remote.query(count).rows == [{"n": 1}]          # stated twice, counted once
    assert remote.remove_source("a.ttl")
    assert remote.states(*shared)                          # b.ttl still states it
    assert not remote.states(URIRef(EX + "a.ttl"))
    assert remote.remove_source("b.ttl")
    assert not remote.states(shared[0])
    assert not remote.remove_source("b.ttl")
    assert remote.sources() == []


def test_label_lookups_and_probes_answer_as_the_embedded_store(remote: RemoteStore) -> None:
    embedded, remote = _both(remote)
    rows = embedded.query("SELECT ?x ?l ?t WHERE { ?x pkg:title ?l ; a ?t } LIMIT 5").rows
    assert rows
    for row in rows:
        args = ([str(vocab.PKG.title)], str(row["l"]), row["t"])
        assert remote.subjects_labelled(*args) == embedded.subjects_labelled(*args) != []
        assert remote.states(URIRef(row["x"]), URIRef(str(vocab.PKG.title))) is True
    assert remote.subjects_labelled([str(vocab.PKG.title)], "没有这个标题", str(vocab.PKG.PolicyDocument)) == []


def test_syntax_errors_point_into_the_text_as_written(remote: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        remote.query("SELECT ?s\nWHERE { ?s pkg:title }")
    assert caught.value.line == 2  # not shifted by the PREFIX line added for pkg:
    with pytest.raises(ReadOnlyStoreError):
        remote.query("DELETE WHERE { ?s ?p ?o }")


def test_service_is_refused_but_the_word_in_a_string_or_iri_is_not(remote: RemoteStore) -> None:
    with pytest.raises(RemoteServiceError):
        remote.query("SELECT * WHERE { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(RemoteServiceError):
        remote.query("SELECT * WHERE { SERVICE SILENT ?where { ?s ?p ?o } }")
    assert remote.query('ASK { FILTER("SERVICE" != "x") }') is True
    assert remote.query("SELECT ?service WHERE { <http://x/SERVICE> ?p ?service }").rows == []


def test_a_read_only_store_refuses_writes(remote: RemoteStore, server_url: str) -> None:
    before = dump(server_url)
    reader = open_store(server_url, read_only=True)
    with pytest.raises(ReadOnlyStoreError):
        reader.replace_source("x.ttl", _example())
    with pytest.raises(ReadOnlyStoreError):
        reader.write([], {}, {})
    assert dump(server_url) == before
    reader.close()


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreUnavailableError, match="cannot reach"):
        RemoteStore.connect(f"http://127.0.0.1:{free_port()}")


def test_the_spec_names_a_server_or_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYKG_STORE", raising=False)
    assert store_spec(None, "http://127.0.0.1:7878") == "http://127.0.0.1:7878"
    assert store_spec(tmp_path, None) == tmp_path
    monkeypatch.setenv("POLICYKG_STORE", "https://triples.example.org/ds")
    assert store_spec(None, None) == "https://triples.example.org/ds"
    assert store_spec(tmp_path, None) == tmp_path  # an explicit --data wins over the environment
    with pytest.raises(ValueError, match="not both"):
        store_spec(tmp_path, "http://127.0.0.1:7878")
    fuseki = Endpoints.of("http://h:3030/ds/", {"POLICYKG_STORE_GRAPHS": "http://h:3030/ds/data"})
    assert fuseki == Endpoints("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data")


def test_a_refused_load_of_many_batches_restores_every_graph(remote: RemoteStore,
                                                             server_url: str, tmp_path: Path) -> None:
    """No copy of a remote dataset: the journal puts back what earlier batches changed."""
    assert ingest_files(remote, FILES[1:3], manifest_for(FILES)).conforms
    before = dump(server_url)
    bad = tmp_path / "bad.txt"
    bad.write_text(Path(ROOT / "tests/queries/test_ingest.py").read_text(encoding="utf-8")
                   .split('NON_CONFORMING = """')[1].split('"""')[0], encoding="utf-8")
    outcome = ingest_files(remote, [*FILES, bad], manifest_for(FILES), batch=2)
    assert not outcome.conforms and outcome.stored == []
    assert dump(server_url) == before


def test_a_load_of_many_batches_stores_what_one_batch_stores(remote: RemoteStore, server_url: str) -> None:
    one = ingest_files(remote, FILES, manifest_for(FILES))
    assert one.conforms and one.stored == [p.name for p in FILES]
    whole = dump(server_url)
    remote.write([str(vocab.source_graph_iri(p.name)) for p in FILES]
                 + [str(vocab.links_graph_iri(p.name)) for p in FILES], {}, {})
    assert remote.sources() == []
    many = ingest_files(remote, FILES, manifest_for(FILES), batch=3)
    assert many.conforms and many.stored == one.stored
    assert dump(server_url) == whole


def test_construct_answers_are_pyoxigraph_triples(remote: RemoteStore) -> None:
    _both(remote)
    result = remote.raw_query("CONSTRUCT { ?s pkg:title ?t } WHERE { ?s pkg:title ?t }")
    assert isinstance(result, ox.QueryTriples)
    assert len(remote.query("CONSTRUCT { ?s pkg:title ?t } WHERE { ?s pkg:title ?t }")) > 0


def test_one_update_request_is_all_or_nothing_on_the_server(remote: RemoteStore, server_url: str) -> None:
    """The guarantee every remote write rests on: an update request whose last operation fails
    (a LOAD from nowhere) leaves the dataset as it was, its DROP and INSERT included."""
    remote.replace_source("example.ttl", _example())
    before = dump(server_url)
    with pytest.raises(StoreUnavailableError, match="refused an update"):
        remote._update("DROP ALL ; INSERT DATA { <https://example.org/a> <https://example.org/b> 1 } ; "
                       f"LOAD <http://127.0.0.1:{free_port()}/nothing.ttl>")
    assert dump(server_url) == before


def test_a_query_time_limit_is_the_request_time_limit() -> None:
    """`timeout` ends the HTTP request; the server's own limit (`--timeout-s`) ends its work."""
    with oxigraph_server("--timeout-s", "3") as url, RemoteStore.connect(url) as store:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        with pytest.raises(QueryTimeoutError):
            store.query(heavy, timeout=0.5)
        assert store.query("ASK { ?s a pkg:Jurisdiction }", timeout=5) is True
