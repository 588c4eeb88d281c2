"""The API over a remote store (a real Oxigraph server): uploads, deletes and a refused upload
through HTTP, the catalogue and /sparql through the query workers (which reach the server
over their own connections), and SERVICE refused before it reaches the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api.conftest import serve_app
from api.test_documents import NON_CONFORMING, conforming_corpus_file, error
from rdflib.namespace import RDF

from policykg.api.app import create_app
from policykg.api.settings import Settings
from policykg.loaders.extract import extract_text
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.vocab import PKG
from policykg.queries.remote_store import RemoteStore

from .conftest import clear, dump

API_KEY = "remote-test-key"
KEY = {"X-API-Key": API_KEY}
TEXT = {"Content-Type": "text/plain", **KEY}


@pytest.fixture(scope="module")
def remote_api(server_url: str) -> Iterator[str]:
    clear(server_url)
    store = RemoteStore.connect(server_url)
    with serve_app(create_app(store, Settings(api_key=API_KEY, sparql_workers=2))) as url:
        yield url
    store.close()


def test_upload_query_replace_and_delete_over_a_remote_store(remote_api: str, server_url: str) -> None:
    import httpx

    path = conforming_corpus_file()
    expected = to_graph(extract_text(path.read_bytes(), "uploaded.txt"))
    policies = {str(p) for p in expected.subjects(RDF.type, PKG.PolicyDocument)
                if (p, PKG.loaded, None) in expected}
    with httpx.Client(base_url=remote_api, timeout=120) as client:
        empty = dump(server_url)
        response = client.post("/documents", params={"source": "uploaded.txt"},
                               content=path.read_bytes(), headers=TEXT)
        assert response.status_code == 201, response.text
        assert response.json()["triples"] == len(expected)
        assert client.get("/documents").json()["sources"] == ["uploaded.txt"]
        assert policies <= {p["iri"] for p in client.get("/policies").json()}
        # the query workers see the write at once (their own connections to the server)
        rows = client.get("/sparql", params={"query": "SELECT ?p WHERE { ?p pkg:loaded true }"},
                          headers={"Accept": "application/sparql-results+json"})
        assert rows.status_code == 200, rows.text
        assert policies <= {b["p"]["value"] for b in rows.json()["results"]["bindings"]}
        category = sorted(str(c).rsplit("#", 1)[-1] for c in expected.objects(None, PKG.category))[0]
        named = client.get("/queries/instruments-by-category", params={"category": category})
        assert named.status_code == 200, named.text
        assert policies & {row["policy"] for row in named.json()["rows"]}

        stored = dump(server_url)
        refused = client.post("/documents", params={"source": "bad.txt"},
                              content=NON_CONFORMING.encode(), headers=TEXT)
        error(refused, 422, "does_not_conform")
        assert dump(server_url) == stored          # a refused upload leaves the store as it was
        again = client.post("/documents", params={"source": "uploaded.txt"},
                            content=path.read_bytes(), headers=TEXT)
        assert again.status_code == 201 and again.json()["replaced"] is True
        assert dump(server_url) == stored          # replaced by the same text: the same quads

        removed = client.delete("/documents/uploaded.txt", headers=KEY)
        assert removed.status_code == 200, removed.text
        assert client.get("/documents").json()["sources"] == []
        assert dump(server_url) == empty           # the background graph alone, as before
        error(client.delete("/documents/uploaded.txt", headers=KEY), 404, "not_found")


def test_sparql_refusals_over_a_remote_store(remote_api: str) -> None:
    import httpx

    with httpx.Client(base_url=remote_api, timeout=60) as client:
        error(client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
              403, "service_forbidden")
        error(client.post("/sparql", content=b"DROP ALL",
                          headers={"Content-Type": "application/sparql-update"}), 403, "read_only")
        bad = error(client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"}),
                    400, "malformed_query")
        assert bad["detail"]["line"] == 1
        graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a pkg:Jurisdiction } LIMIT 3"},
                           headers={"Accept": "application/n-triples"})
        assert graph.status_code == 200 and graph.text.count("\n") == 3


def test_a_store_that_goes_away_is_a_503_not_a_dead_api() -> None:
    import httpx

    from .oxigraph_server import oxigraph_server

    with oxigraph_server() as url:
        store = RemoteStore.connect(url)
    # the server is stopped now: every read fails, the API answers and stays up
    with serve_app(create_app(store, Settings(api_key=API_KEY, sparql_workers=1))) as api, \
            httpx.Client(base_url=api, timeout=60) as client:
        for path in ("/documents", "/policies", "/queries/top-ups"):
            body = error(client.get(path), 503, "busy")
            assert "cannot reach the store" in body["message"]
        error(client.get("/sparql", params={"query": "ASK {}"}), 503, "busy")
        assert client.get("/openapi.json").status_code == 200
    store.close()
