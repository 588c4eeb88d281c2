"""The clients people already use, against the served app: the Accept headers browsers, axios,
Spring, curl, SPARQLWrapper and rdflib send on every route, and SPARQLWrapper / rdflib's
SPARQLStore run for real with their defaults (RDF/XML for CONSTRUCT and DESCRIBE)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import SPARQLWrapper

PLAN = "https://w3id.org/policykg/id/policy/plan"
TITLE = URIRef("https://w3id.org/policykg/ontology#title")

#: The Accept headers real clients send by default.
CLIENT_HEADERS = {
    "browser": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
               "image/webp,*/*;q=0.8",
    "axios": "application/json, text/plain, */*",
    "fetch/curl": "*/*",
    "spring-resttemplate": "application/json, application/*+json",
    "spring-string": "text/plain, application/json, application/*+json, */*",
    "plain-json": "application/json",
    "json-charset": "application/json; charset=utf-8",
    "python-requests": "*/*",
}
JSON_ROUTES = [
    ("GET", "/policies", None),
    ("GET", "/policies/plan", None),
    ("GET", "/instruments", None),
    ("GET", "/jurisdictions", None),
    ("GET", "/queries", None),
    ("GET", "/queries/instruments-by-category", None),
]


@pytest.mark.parametrize("client", sorted(CLIENT_HEADERS))
@pytest.mark.parametrize(("method", "path", "body"), JSON_ROUTES)
def test_json_routes_answer_json_to_every_client(api, client, method, path, body):
    with api.client() as http:
        response = http.request(method, path, headers={"Accept": CLIENT_HEADERS[client]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    response.json()


@pytest.mark.parametrize("client", ["plain-json", "axios", "spring-string", "fetch/curl"])
def test_validate_answers_json_to_every_client(api, client):
    with api.client() as http:
        response = http.post("/validate", content=b"@prefix ex: <http://ex/> . ex:a ex:b ex:c .",
                             headers={"Content-Type": "text/turtle",
                                      "Accept": CLIENT_HEADERS[client]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(("accept", "parse_as"), [
    ("application/rdf+xml", "xml"), ("text/turtle", "turtle"),
    ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
])
def test_resource_twins_include_rdf_xml(api, accept, parse_as):
    with api.client() as http:
        response = http.get("/policies/plan", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=parse_as)
    assert (URIRef(PLAN), TITLE, None) in graph


CONSTRUCT = f"""PREFIX pkg: <https://w3id.org/policykg/ontology#>
CONSTRUCT {{ ?p pkg:title ?t }} WHERE {{ ?p pkg:title ?t FILTER(?p = <{PLAN}>) }}"""


@pytest.mark.parametrize("query", [CONSTRUCT, f"DESCRIBE <{PLAN}>"])
def test_sparqlwrapper_default_format_on_graph_queries(api, query):
    sparql = SPARQLWrapper(api.url + "/sparql")   # default return format: XML → RDF/XML
    sparql.setQuery(query)
    graph = sparql.queryAndConvert()
    assert isinstance(graph, Graph)
    assert (URIRef(PLAN), TITLE, None) in graph


def test_rdflib_sparqlstore_defaults(api):
    store = SPARQLStore(api.url + "/sparql")
    graph = Graph(store=store)
    rows = list(graph.query(f"SELECT ?t WHERE {{ <{PLAN}> <{TITLE}> ?t }}"))
    assert rows and str(rows[0][0]) == "关于促进通用人工智能产业创新发展的行动方案"
    constructed = graph.query(CONSTRUCT).graph
    assert (URIRef(PLAN), TITLE, None) in constructed
    described = graph.query(f"DESCRIBE <{PLAN}>").graph
    assert (URIRef(PLAN), TITLE, None) in described
    assert graph.query(f"ASK {{ <{PLAN}> ?p ?o }}").askAnswer is True


def test_named_query_csv_by_url_as_pandas_reads_it(corpus_api):
    """pandas.read_csv(url) opens the URL with urllib and sends no Accept header."""
    import csv
    import io
    import urllib.request

    url = corpus_api.url + "/queries/instruments-by-category?format=csv"
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    assert rows and "max_yuan" in rows[0]
    assert all(not r["max_yuan"].endswith(".0") for r in rows)


def test_csv_with_a_bom_for_excel(corpus_api):
    with corpus_api.client() as http:
        plain = http.get("/queries/targets", params={"format": "csv"})
        excel = http.get("/queries/targets", params={"format": "csv", "bom": "true"})
        wrong = http.get("/queries/targets", params={"format": "csv", "bom": "maybe"})
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    assert excel.content == b"\xef\xbb\xbf" + plain.content
    assert wrong.status_code == 400 and wrong.json()["error"]["detail"] == {"param": "bom"}
