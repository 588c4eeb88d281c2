"""`/cypher` through the served app (uvicorn on 127.0.0.1, real HTTP) against the real Bolt server."""

from __future__ import annotations

import pytest
from conftest import dump, served_api
from pydantic import SecretStr

from policykg.api.settings import Settings
from policykg.loaders.neo4j_sync import sync_graph


@pytest.fixture(scope="module")
def synced_database(bolt_server, driver):
    from conftest import EXAMPLE_TTL, EXTRA_TTL
    from rdflib import Graph

    database = bolt_server.create_database("cypher_api")
    sync_graph(driver, database, {"example.ttl": Graph().parse(EXAMPLE_TTL),
                                  "extra.ttl": Graph().parse(EXTRA_TTL)})
    return database


@pytest.fixture(scope="module")
def api(bolt_server, synced_database):
    settings = Settings(neo4j_uri=bolt_server.bolt_uri, neo4j_username="root",
                        neo4j_password=SecretStr(bolt_server.password), neo4j_database=synced_database,
                        sparql_max_rows=20)
    with served_api(settings) as test_client:
        yield test_client


def test_rows(api):
    response = api.get("/cypher", params={"query": "MATCH (p:Policy) RETURN p.title_zh AS title, "
                                                   "p.in_force_until AS until ORDER BY title"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["title", "until"] and body["count"] == 6
    assert {"title": "关于促进通用人工智能产业创新发展的行动方案", "until": "2027-12-31"} in body["rows"]


def test_post_with_parameters_and_graph_format(api):
    response = api.post("/cypher", params={"format": "graph"}, json={
        "query": "MATCH (i:FundingInstrument)-[r:TOPS_UP]->(u) WHERE i.max_amount > $cap RETURN i, r, u",
        "params": {"cap": 3_000_000}})
    assert response.status_code == 200, response.text
    graph = response.json()
    assert len(graph["nodes"]) == 2 and len(graph["relationships"]) == 1
    rel = graph["relationships"][0]
    assert rel["type"] == "TOPS_UP" and rel["properties"]["zh"] == "加码"
    ids = {node["id"] for node in graph["nodes"]}
    assert {rel["start"], rel["end"]} == ids


WRITES = [
    "CREATE (n:Policy {iri: 'x'})",
    "MATCH (n:Policy) SET n.title_zh = 'x'",
    "MATCH (n) DETACH DELETE n",
    "MERGE (n:X {iri: 'y'}) RETURN n",
    "MATCH (n:Policy) REMOVE n.loaded",
    "match (n) foreach (x IN [1] | create (:X))",
    # the attack: a quote inside a comment hid the SET from the old text filter
    "MATCH (n:Policy) // it's only a read\nSET n.title_zh = 'hacked' RETURN n.iri",
    "MATCH (n:Policy) /* ' */ SET n.title_zh = 'hacked' RETURN n.iri",
    "UNWIND range(1, 3) AS i CREATE (:Policy {iri: 'x' + i})",
]
REFUSED_OR_UNKNOWN = [
    "DROP CONSTRAINT policy_iri",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "UNWIND [1] AS i CALL { WITH i MATCH (n) RETURN n } IN TRANSACTIONS RETURN 1",
    "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
    "CALL db.createLabel('X')",
    "CALL /* db.labels */ dbms.security.createUser('x', 'y', false)",
    "LoAd CsV FROM 'file:///etc/hostname' AS line RETURN line",
]


@pytest.mark.parametrize("query", WRITES)
def test_writes_are_refused_and_leave_the_database_untouched(api, driver, synced_database, query):
    before = dump(driver, synced_database)
    response = api.get("/cypher", params={"query": query})
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == "read_only" and "read-only" in error["message"]
    assert dump(driver, synced_database) == before


@pytest.mark.parametrize("query", REFUSED_OR_UNKNOWN)
def test_other_non_reads_change_nothing(api, driver, synced_database, query):
    before = dump(driver, synced_database)
    response = api.get("/cypher", params={"query": query})
    assert response.status_code in (400, 403, 422), response.text  # 422: a read, too many rows
    assert dump(driver, synced_database) == before


@pytest.mark.parametrize("query", [
    "MATCH (c:Clause) WHERE c.text_zh CONTAINS 'CREATE' RETURN c.iri LIMIT 5",
    "MATCH (n:Policy) // DELETE everything\nRETURN n.iri",
    "MATCH (n:Policy) WHERE n.title_zh STARTS WITH 'SET' RETURN count(n) AS c",
    "CALL db.labels() YIELD label RETURN label LIMIT 5",
    "MATCH (p:Policy) CALL { WITH p RETURN p.iri AS iri } RETURN iri LIMIT 3",
])
def test_reads_with_write_words_pass(api, query):
    response = api.get("/cypher", params={"query": query})
    assert response.status_code == 200, response.text


def test_query_limits(api):
    response = api.get("/cypher", params={"query": "RETURN " + "[" * 500 + "]" * 500})
    assert response.status_code == 400
    assert response.json()["error"]["detail"]["limit"] == "nesting_depth"


def test_row_limit(api):
    response = api.get("/cypher", params={"query": "MATCH (n) RETURN n.iri"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "result_too_large"
    ok = api.get("/cypher", params={"query": "MATCH (n) RETURN n.iri LIMIT 20"})
    assert ok.status_code == 200 and ok.json()["count"] == 20


def test_syntax_error_is_400(api):
    response = api.get("/cypher", params={"query": "MATCH (n RETURN n"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "cypher_error"


def test_503_when_unconfigured():
    with served_api(Settings()) as test_client:
        response = test_client.get("/cypher", params={"query": "RETURN 1"})
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "neo4j_unavailable" and "NEO4J_URI" in error["message"]


def test_503_when_unreachable():
    with served_api(Settings(neo4j_uri="bolt://127.0.0.1:9", neo4j_password=SecretStr("x"))) as test_client:
        response = test_client.get("/cypher", params={"query": "RETURN 1"})
    assert response.status_code == 503 and response.json()["error"]["code"] == "neo4j_unavailable"
