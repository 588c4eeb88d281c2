"""Hypothesis against `/cypher` on the real Bolt server: whatever the text, the answer is rows
or a JSON error below 500 (503 only for time limits), and the database is exactly as before."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE_TTL, dump, served_api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from rdflib import Graph

from policykg.api.settings import Settings
from policykg.loaders.neo4j_sync import sync_graph

PIECES = [
    "MATCH", "(n)", "(n:Policy)", "(m)", "-[r]->", "RETURN", "n", "n.iri", "WHERE", "WITH",
    "CREATE", "MERGE", "SET", "n.title_zh = 'x'", "DELETE", "DETACH", "REMOVE", "n.loaded",
    "FOREACH", "(x IN [1] |", ")", "CALL", "{", "}", "IN TRANSACTIONS", "db.labels()",
    "LOAD CSV FROM 'file:///etc/hostname' AS l", "UNWIND [1,2] AS i", "LIMIT 3", "//", "/*",
    "*/", "'", '"', "`", "\n", "\\", ";", ",", "count(*)", "apoc.create.node(['X'], {})",
]


@pytest.fixture(scope="module")
def fuzz_api(bolt_server, driver):
    database = bolt_server.create_database("cypher_fuzz")
    sync_graph(driver, database, {"example.ttl": Graph().parse(EXAMPLE_TTL)})
    settings_ = Settings(neo4j_uri=bolt_server.bolt_uri, neo4j_username="root",
                         neo4j_password=SecretStr(bolt_server.password), neo4j_database=database,
                         sparql_max_rows=50, sparql_timeout=5)
    with served_api(settings_) as client:
        yield client, database


def test_fuzz_cypher(fuzz_api, driver):
    client, database = fuzz_api
    before = dump(driver, database)

    @settings(max_examples=80, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=20).map(" ".join))
    def attack(query: str) -> None:
        response = client.post("/cypher", json={"query": query})
        assert response.status_code < 500 or response.status_code == 503, response.text[:300]
        if response.status_code >= 400:
            error = response.json()["error"]
            assert error["code"] and error["message"]
        assert dump(driver, database) == before, query

    attack()
