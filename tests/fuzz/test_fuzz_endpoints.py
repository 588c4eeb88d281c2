"""Hypothesis against the public endpoints of a real server process: whatever is sent, the
answer is a 2xx or a JSON error below 500 (503 only for time limits), the server stays up,
a refused request leaves the store byte-identical, and no connection reaches the listener."""

from __future__ import annotations

import httpx
from conftest import Listener
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import API_KEY, Served

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SPARQL_PIECES = [
    "SELECT", "*", "?s", "?p", "?o", "WHERE", "{", "}", "(", ")", "[", "]", ".", ";", ",",
    "UNION", "OPTIONAL", "FILTER", "BIND", "AS", "VALUES", "GRAPH", "SERVICE", "SILENT",
    "LOAD", "INSERT", "DELETE", "DATA", "CLEAR", "DROP", "ALL", "ASK", "CONSTRUCT", "DESCRIBE",
    "ORDER BY", "LIMIT 3", "COUNT(*)", "PREFIX ex: <{url}/>", "ex:x", "<{url}/sparql>",
    "<http://localhost:{port}/>", "'", '"', "'''", "#", "\n", "\\u0053ERVICE", "pkg:title",
    "1", "1e9", "REGEX(?o, '.*')", "<urn:x>", "a", "/", "|", "*", "+", "^",
]


def sparql_texts(listener: Listener) -> st.SearchStrategy[str]:
    port = listener.url.rsplit(":", 1)[1]
    piece = st.sampled_from([p.replace("{url}", listener.url).replace("{port}", port)
                             for p in SPARQL_PIECES])
    return st.lists(piece | st.text(max_size=5), max_size=30).map(" ".join)


def check(response: httpx.Response) -> None:
    assert response.status_code < 500 or response.status_code == 503, response.text[:300]
    assert "Traceback" not in response.text
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
        if response.status_code == 503:
            assert body["error"]["code"] in ("query_timeout", "busy")


def test_fuzz_sparql(server: Served, listener: Listener):
    before = server.dump()

    @FUZZ
    @given(sparql_texts(listener), st.sampled_from(["get", "form", "body"]))
    def attack(query: str, how: str) -> None:
        with server.client() as client:
            if how == "get":
                response = client.get("/sparql", params={"query": query})
            elif how == "form":
                response = client.post("/sparql", data={"query": query})
            else:
                response = client.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                                       headers={"Content-Type": "application/sparql-query"})
        check(response)

    attack()
    assert server.alive()
    assert listener.hits == []
    assert server.dump() == before


JSON_PIECES = ["{", "}", "[", "]", ",", ":", '"@id"', '"@context"', '"@type"', '"@graph"',
               '"http://x/p"', '"{url}/ctx.jsonld"', '"@value"', "1", "null", "true", '"\\u0000"']
TURTLE_PIECES = ["<http://x/a>", "<http://x/p>", "[", "]", "(", ")", ".", ";", ",", "1",
                 '"x"', "@prefix p: <{url}/> .", "p:a", "_:b", "@base <{url}/> .", "<>", "a"]


def test_fuzz_validate(server: Served, listener: Listener):
    before = server.dump()
    json_body = st.lists(st.sampled_from([p.replace("{url}", listener.url) for p in JSON_PIECES]),
                         max_size=60).map("".join)
    turtle_body = st.lists(st.sampled_from([p.replace("{url}", listener.url) for p in TURTLE_PIECES]),
                           max_size=60).map(" ".join)

    @FUZZ
    @given(st.one_of(json_body.map(lambda b: (b, "application/ld+json")),
                     turtle_body.map(lambda b: (b, "text/turtle")),
                     st.tuples(st.binary(max_size=200), st.sampled_from(
                         ["application/ld+json", "text/turtle", "application/rdf+xml", "text/n3"]))))
    def attack(sent: tuple[str | bytes, str]) -> None:
        body, media_type = sent
        with server.client() as client:
            response = client.post("/validate", content=body, headers={"Content-Type": media_type})
        check(response)

    attack()
    assert server.alive()
    assert listener.hits == []
    assert server.dump() == before


UPLOAD_PIECES = ["南京市关于支持人工智能产业发展的若干措施\n", "一、", "（二）", "对企业给予最高",
                 "万元", "1234567890123456789012345", "\ufffd", "\ue000", "\x00", "市科技局", "。",
                 "\n", "补助", "%", "2024年5月1日"]


def test_fuzz_uploads(server: Served, listener: Listener):
    texts = st.lists(st.sampled_from(UPLOAD_PIECES) | st.text(max_size=6), max_size=30).map("".join)
    names = st.sampled_from(["fuzz.txt", "a b.txt", "../x", "", "x" * 300, "名.txt"])

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.one_of(texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)),
           names)
    def attack(raw: bytes, source: str) -> None:
        before = server.dump()
        with server.client() as client:
            response = client.post("/documents", params={"source": source}, content=raw,
                                   headers={"Content-Type": "text/plain", "X-API-Key": API_KEY})
            check(response)
            if response.status_code >= 400:
                assert server.dump() == before
            else:
                assert client.delete(f"/documents/{response.json()['source']}",
                                     headers={"X-API-Key": API_KEY}).status_code == 200

    attack()
    assert server.alive()
    assert listener.hits == []
