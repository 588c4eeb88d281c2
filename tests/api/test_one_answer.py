"""One question, one answer, whatever the interface: /policies filters against the `in-force`
named query (API and CLI), ids from /policies accepted wherever a policy is a parameter, the
OpenAPI example ids answering on the served corpus, exact numbers in every serialisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from policykg.api.commands import query as query_commands
from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build_graphs
from policykg.queries import writes
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DATES = ["2024-06-01", "2025-06-01", "2026-01-15", "2028-01-01"]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> str:
    data = tmp_path_factory.mktemp("corpus") / "store"
    with PolicyStore.open(data) as store:
        graphs = build_graphs(sorted(CORPUS.glob("*.txt")), load_manifest(CORPUS / "manifest.yaml"))
        writes.apply(store, writes.Change(put=dict(graphs)))  # the write path derives the links
    return str(data)


def cli_in_force(data: str, jurisdiction: str, date: str) -> set[str]:
    app = typer.Typer()
    query_commands.register(app)
    result = CliRunner().invoke(app, ["query", "in-force", "-p", f"jurisdiction={jurisdiction}",
                                      "-p", f"date={date}", "--format", "json", "--data", data])
    assert result.exit_code == 0, result.output
    return {row["policy"] for row in json.loads(result.stdout)["rows"]}


def test_wanbei_policies_filter_agrees_with_the_in_force_query(corpus_api):
    with corpus_api.client() as http:
        listed = http.get("/policies", params={"jurisdiction": "皖北", "in_force": "2025-06-01"})
        asked = http.get("/queries/in-force", params={"jurisdiction": "皖北", "date": "2025-06-01"})
    numbers = {p["doc_number"] for p in listed.json()}
    assert "皖政秘〔2023〕218号" in numbers
    assert {p["iri"] for p in listed.json()} == {r["policy"] for r in asked.json()["rows"]}


def test_api_and_cli_in_force_agree_everywhere(corpus_api, corpus_dir):
    with corpus_api.client() as http:
        places = [j["name"] for j in http.get("/jurisdictions").json()]
        assert "南通创新区" in places
        for place in places:
            for date in DATES:
                listed = http.get("/policies", params={"jurisdiction": place, "in_force": date})
                assert listed.status_code == 200, listed.text
                api_set = {p["iri"] for p in listed.json()}
                assert api_set == cli_in_force(corpus_dir, place, date), (place, date)
        zone = http.get("/policies", params={"jurisdiction": "南通创新区", "in_force": "2026-01-15"})
    assert len(zone.json()) == 2      # the city's action plan and the zone's own opinions


def test_ids_from_policies_are_accepted_as_policy_parameters(corpus_api):
    with corpus_api.client() as http:
        for policy in http.get("/policies").json():
            answer = http.get("/queries/precedence", params={"policy": policy["id"]})
            assert answer.status_code == 200, (policy["id"], answer.text)


def test_openapi_path_examples_exist_on_the_corpus(corpus_api):
    with corpus_api.client() as http:
        spec = http.get("/openapi.json").json()
        ids = spec["paths"]["/policies/{policy_id}"]["get"]["parameters"][0]["schema"]["examples"]
        assert ids
        for policy_id in ids:
            assert http.get(f"/policies/{policy_id}").status_code == 200, policy_id


def test_yuan_amounts_are_integers_everywhere(corpus_api):
    with corpus_api.client() as http:
        instruments = http.get("/instruments").content.decode()
        answer = http.get("/queries/instruments-by-category").content.decode()
        csv_answer = http.get("/queries/instruments-by-category", params={"format": "csv"}).text
    amounts = [i["max_cny"] for i in json.loads(instruments) if i["max_cny"] is not None]
    assert amounts and all(isinstance(a, int) for a in amounts if a == int(a))
    assert '"max_cny":1000000,' in instruments and "1000000.0" not in instruments
    assert "0000.0" not in answer and "0000.0" not in csv_answer


@pytest.mark.parametrize("value", ["\x85", "x\x80", "\x9f", "a\x00b", "\x1b[31m"])
@pytest.mark.parametrize(("path", "param"), [
    ("/queries/top-ups", "jurisdiction"), ("/queries/departments", "jurisdiction"),
    ("/queries/search", "text"), ("/queries/precedence", "policy"),
    ("/policies", "jurisdiction"), ("/instruments", "category"),
])
def test_control_characters_are_a_client_error(corpus_api, path, param, value):
    with corpus_api.client() as http:
        response = http.get(path, params={param: value})
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["code"] in ("invalid_parameter", "invalid_request")
