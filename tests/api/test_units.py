"""Small pure pieces of the API: negotiation tables, settings."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from policykg.api.errors import NotAcceptable
from policykg.api.negotiation import (
    CSV,
    GRAPH_FORMATS,
    JSON,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    RESULT_FORMATS,
    SPARQL_ALIASES,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    choose,
    choose_language,
)
from policykg.api.settings import Settings

RESOURCE = (JSON, JSON_LD, TURTLE)
RESULTS = tuple(RESULT_FORMATS)
GRAPHS = tuple(GRAPH_FORMATS)


@pytest.mark.parametrize(("accept", "offered", "expected"), [
    (None, RESOURCE, JSON),
    ("*/*", RESOURCE, JSON),
    ("application/ld+json", RESOURCE, JSON_LD),
    ("text/*", RESOURCE, TURTLE),
    ("application/json;q=0.1, text/turtle;q=0.9", RESOURCE, TURTLE),
    ("application/json", RESOURCE, JSON),                          # never rewritten here
    ("application/json, text/plain, */*", RESOURCE, JSON),         # axios
    ("application/json, application/*+json", RESOURCE, JSON),      # Spring
    ("application/*+json", RESOURCE, JSON_LD),                     # structured suffix
    ("application/x-turtle", RESOURCE, TURTLE),                    # RDF spelling
])
def test_choose(accept, offered, expected):
    assert choose(accept, offered) == expected


@pytest.mark.parametrize(("accept", "offered", "expected"), [
    ("application/json", RESULTS, SPARQL_JSON),                     # common alias
    ("text/tab-separated-values, text/csv", RESULTS, TSV),         # client order on ties
    ("text/csv;q=0, */*", RESULTS, SPARQL_JSON),                   # q=0 excludes
    ("application/xml", RESULTS, SPARQL_XML),
    ("application/xml", GRAPHS, RDF_XML),                          # same alias, graph form
    ("application/sparql-results+xml, application/rdf+xml", GRAPHS, RDF_XML),   # rdflib
    ("application/json", GRAPHS, JSON_LD),
    ("text/plain", GRAPHS, N_TRIPLES),
])
def test_choose_sparql_aliases(accept, offered, expected):
    assert choose(accept, offered, aliases=SPARQL_ALIASES) == expected


def test_choose_format_param_and_refusal():
    assert choose("application/json", RESULTS, ["csv"]) == CSV
    assert choose(None, (TURTLE, N_TRIPLES), ["ntriples"]) == N_TRIPLES
    assert choose("text/csv", RESULTS, ["bogus", "tsv"]) == TSV
    assert choose("text/csv", RESULTS, ["output-for-another-server"]) == CSV   # ignored
    assert choose(None, (JSON, CSV), ["json"]) == JSON
    assert choose(None, GRAPHS, ["xml"]) == RDF_XML
    with pytest.raises(NotAcceptable):
        choose("image/png", RESULTS)


@pytest.mark.parametrize(("header", "expected"), [
    (None, "zh"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    ("fr, en;q=0.5", "en"), ("fr", "zh"), ("*", "zh"), ("zh;q=0.2, en;q=0.8", "en"),
])
def test_choose_language(header, expected):
    assert choose_language(header) == expected


def test_settings_from_env(tmp_path: Path):
    settings = Settings.from_env({
        "POLICYKG_DATA": str(tmp_path), "POLICYKG_API_KEY": "s3cret",
        "POLICYKG_SPARQL_TIMEOUT": "2.5", "POLICYKG_SPARQL_MAX_ROWS": "100",
        "POLICYKG_MAX_UPLOAD_BYTES": "2048", "NEO4J_URI": "bolt://127.0.0.1:7687",
        "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "pw", "NEO4J_DATABASE": "policies",
    })
    assert settings.data_dir == tmp_path and settings.writes_enabled
    assert (settings.sparql_timeout, settings.sparql_max_rows, settings.max_upload_bytes) == (2.5, 100, 2048)
    assert settings.neo4j_uri == "bolt://127.0.0.1:7687" and settings.neo4j_database == "policies"
    assert "s3cret" not in repr(settings) and "pw" not in repr(settings)


def test_settings_defaults_and_errors():
    settings = Settings.from_env({})
    assert settings.api_key is None and not settings.writes_enabled
    assert (settings.sparql_timeout, settings.sparql_max_rows) == (10.0, 10_000)
    assert settings.max_upload_bytes == 5 * 1024 * 1024 and settings.neo4j_uri is None
    with pytest.raises(ValueError, match="POLICYKG_SPARQL_TIMEOUT"):
        Settings.from_env({"POLICYKG_SPARQL_TIMEOUT": "soon"})
    with pytest.raises(ValueError):
        Settings.from_env({"POLICYKG_SPARQL_MAX_ROWS": "0"})


def test_unexpected_errors_keep_the_shape():
    """A bug in a route still answers with the one JSON error shape (500)."""
    from policykg.api.app import create_app
    from policykg.queries.store import PolicyStore

    from .conftest import serve_app

    app = create_app(PolicyStore.in_memory(background=False), Settings())

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with serve_app(app) as url:
        response = httpx.get(url + "/boom")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error",
                                         "message": "Internal server error; see the server log.",
                                         "detail": None}}
