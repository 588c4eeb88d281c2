"""SPARQL 1.1 Protocol at /sparql through real HTTP, with SPARQLWrapper as the client."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import xml.dom.minidom

import httpx
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

PLAN = "https://w3id.org/policykg/id/policy/plan"
TITLES = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?policy ?title WHERE { ?policy a pkg:PolicyDocument ; pkg:title ?title } ORDER BY ?policy"""
CONSTRUCT = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
CONSTRUCT { ?policy pkg:title ?title } WHERE { ?policy a pkg:PolicyDocument ; pkg:title ?title }"""


def wrapper(api, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(api.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(api, method):
    result = wrapper(api, TITLES, JSON, method).queryAndConvert()
    assert result["head"]["vars"] == ["policy", "title"]
    rows = {b["policy"]["value"]: b["title"] for b in result["results"]["bindings"]}
    assert rows[PLAN] == {"type": "literal", "xml:lang": "zh",
                          "value": "关于促进通用人工智能产业创新发展的行动方案"}


def test_select_xml(api):
    doc = wrapper(api, TITLES, XML).queryAndConvert()
    assert isinstance(doc, xml.dom.minidom.Document)
    uris = [node.firstChild.data for node in doc.getElementsByTagName("uri")]
    assert PLAN in uris


def test_select_csv(api):
    raw = wrapper(api, TITLES, CSV).queryAndConvert()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert {"policy": PLAN, "title": "关于促进通用人工智能产业创新发展的行动方案"} in rows


def test_select_tsv(api):
    raw = wrapper(api, TITLES, TSV).queryAndConvert().decode("utf-8")
    header, *lines = raw.splitlines()
    assert header == "?policy\t?title"
    assert f'<{PLAN}>\t"关于促进通用人工智能产业创新发展的行动方案"@zh' in lines


def test_ask(api):
    query = f"ASK {{ <{PLAN}> a <https://w3id.org/policykg/ontology#PolicyDocument> }}"
    assert wrapper(api, query, JSON).queryAndConvert()["boolean"] is True
    xml_doc = wrapper(api, query, XML).queryAndConvert()
    assert xml_doc.getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_construct_turtle(api):
    graph = Graph()
    graph.parse(data=wrapper(api, CONSTRUCT, TURTLE).queryAndConvert(), format="turtle")
    assert (URIRef(PLAN), URIRef("https://w3id.org/policykg/ontology#title"), None) in graph
    assert len(graph) == 3


def test_construct_ntriples(api):
    sparql = wrapper(api, CONSTRUCT, TURTLE)
    sparql.setOnlyConneg(True)
    sparql.addCustomHttpHeader("Accept", "application/n-triples")
    response = sparql.query().response
    assert response.headers["Content-Type"].startswith("application/n-triples")
    body = response.read().decode("utf-8")
    assert not body.startswith("@prefix")
    graph = Graph()
    graph.parse(data=body, format="nt")
    assert len(graph) == 3


def test_construct_jsonld(api):
    graph = wrapper(api, CONSTRUCT, JSONLD).queryAndConvert()
    assert isinstance(graph, Graph)
    assert len(graph) == 3


def test_describe_and_project_prefixes(api):
    """`pkg:` and the other project prefixes are predeclared."""
    query = f"DESCRIBE <{PLAN}>"
    graph = wrapper(api, query, TURTLE).queryAndConvert()
    parsed = Graph()
    parsed.parse(data=graph, format="turtle")
    assert (URIRef(PLAN), None, None) in parsed
    result = wrapper(api, "SELECT (COUNT(*) AS ?n) WHERE { ?p a pkg:PolicyDocument }", JSON).queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == "3"


def test_post_sparql_query_body_and_format_param(api):
    with api.client() as client:
        response = client.post("/sparql", content=TITLES.encode(), params={"format": "csv"},
                               headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["x-result-rows"] == "3"


def test_not_acceptable(api):
    with api.client() as client:
        response = client.get("/sparql", params={"query": TITLES}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"


# ---- refusals -----------------------------------------------------------------------------


def error_of(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}
    return body["error"]


@pytest.mark.parametrize("send", ["update_param", "update_body", "update_as_query", "update_get"])
def test_updates_are_refused(api, send):
    before = api.dump()
    update = "INSERT DATA { <urn:x> <urn:p> <urn:o> }"
    with api.client() as client:
        if send == "update_param":
            response = client.post("/sparql", data={"update": update})
        elif send == "update_body":
            response = client.post("/sparql", content=update,
                                   headers={"Content-Type": "application/sparql-update"})
        elif send == "update_as_query":
            response = client.post("/sparql", data={"query": "PREFIX x: <urn:x>\n" + update})
        else:
            response = client.get("/sparql", params={"update": update})
    assert response.status_code == 403
    assert error_of(response)["code"] == "read_only"
    assert "read-only" in error_of(response)["message"]
    assert api.dump() == before


def test_update_via_sparqlwrapper_is_refused(api):
    sparql = SPARQLWrapper(api.url + "/sparql")
    sparql.setMethod("POST")
    sparql.setQuery("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(Exception) as caught:  # SPARQLWrapper raises urllib's HTTPError for 403
        sparql.query()
    assert "403" in str(caught.value)


REFUSED_SERVICES = [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(?o < 3) # > \n SERVICE <{url}/> {{ ?a ?b ?c }} }} LIMIT 1",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}/x> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ S\\u0045RVICE <{url}/> {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}/> SELECT * WHERE {{ SERVICE :sparql {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", REFUSED_SERVICES)
def test_service_is_refused_and_never_connects(api, listener, template):
    url, hits = listener.url, listener.hits
    with api.client() as client:
        response = client.get("/sparql", params={"query": template.format(url=url)})
    assert response.status_code in (400, 403, 422), response.text
    if response.status_code == 403:
        assert error_of(response)["code"] == "service_forbidden"
    time.sleep(0.2)
    assert hits == []


def test_service_silent_answers_as_unreachable(api, listener):
    """SERVICE SILENT: the worker cannot connect, so the service counts as unreachable."""
    url, hits = listener.url, listener.hits
    query = f"select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}"
    with api.client() as client:
        response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == [{}]
    time.sleep(0.2)
    assert hits == []


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service ?p "SERVICE <http://x/> {}" } LIMIT 1',
    "PREFIX service: <urn:service:> SELECT * WHERE { ?s service:SERVICE ?o } # SERVICE",
    "SELECT * WHERE { <http://example.org/#SERVICE> ?p ?o }",
])
def test_service_word_elsewhere_is_fine(api, query):
    with api.client() as client:
        response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


def test_malformed_query_has_position(api):
    with api.client() as client:
        response = client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_query"
    assert error["detail"]["line"] == 3 and error["detail"]["column"] >= 1
    assert "error at 3:" in error["message"]


def test_malformed_query_via_sparqlwrapper(api):
    with pytest.raises(QueryBadFormed):
        wrapper(api, "SELECT * WHERE { ?s ?p }", JSON).query()


def test_missing_query_and_bad_content_type(api):
    with api.client() as client:
        assert client.get("/sparql").status_code == 400
        response = client.post("/sparql", content="x", headers={"Content-Type": "text/plain"})
        assert response.status_code == 415
        response = client.get("/sparql", params={"query": TITLES, "default-graph-uri": "urn:g"})
        assert response.status_code == 400


def test_row_limit(limited_api):
    with limited_api.client() as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert response.status_code == 422
        error = error_of(response)
        assert error["code"] == "result_too_large" and error["detail"] == {"max_rows": 5}
        assert "more than 5 rows" in error["message"]
        response = client.get("/sparql", params={"query": CONSTRUCT.replace("WHERE", "WHERE") + ""})
        assert response.status_code == 200  # 3 triples
        response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert response.status_code == 422
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
        assert response.status_code == 200


def test_row_limit_via_sparqlwrapper(limited_api):
    with pytest.raises(Exception) as caught:
        wrapper(limited_api, "SELECT * WHERE { ?s ?p ?o }", JSON).query()
    assert "422" in str(caught.value)


STREAMING = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# ~3 s of work on the example data: one blocking step that Oxigraph cannot interrupt.
AGGREGATE = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
             "?g pkg:title ?i . ?h pkg:title ?j . ?k pkg:title ?l }")


@pytest.mark.parametrize("query", [STREAMING, AGGREGATE])
def test_time_limit(timeout_api, query):
    """0.3 s limit: the client gets 503 promptly and the server keeps answering."""
    with timeout_api.client() as client:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": query})
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        error = error_of(response)
        assert error["code"] in ("query_timeout", "busy")
        if error["code"] == "query_timeout":
            assert "0.3 s limit" in error["message"]
        assert elapsed < 5.0  # the limit is 0.3 s: a hung worker would take the full ~3 s query or more
        ok = client.get("/jurisdictions")
        assert ok.status_code == 200


def test_time_limit_via_sparqlwrapper(timeout_api):
    with pytest.raises(urllib.error.HTTPError) as caught:
        wrapper(timeout_api, STREAMING, JSON).query()
    assert caught.value.code == 503


def test_oversized_query_body(limited_api):
    with limited_api.client() as client:
        padding = "#" + "x" * 2000 + "\n"
        response = client.post("/sparql", content=padding + TITLES,
                               headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_json_results_are_sparql_json(api):
    with api.client() as client:
        response = client.get("/sparql", params={"query": TITLES},
                              headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(response.content)["head"]["vars"] == ["policy", "title"]
