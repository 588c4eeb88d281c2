"""Resource routes over real HTTP (httpx): /policies, /jurisdictions, /instruments, /queries,
content negotiation (JSON / JSON-LD / Turtle) and the one error shape."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from policykg.ontology.vocab import PKG

P = "https://w3id.org/policykg/id/policy/"
J = "https://w3id.org/policykg/id/jurisdiction/"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(p["id"] for p in response.json())


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_policies_list(api):
    with api.client() as client:
        response = client.get("/policies")
    assert ids(response) == ["news", "plan", "zone"]
    plan = next(p for p in response.json() if p["id"] == "plan")
    assert plan["iri"] == P + "plan"
    assert plan["doc_number"] == "通政办规〔2024〕7号"
    assert plan["jurisdictions"] == [J + "南通市"]
    assert plan["in_force_from"] == "2025-02-01" and plan["in_force_until"] == "2027-12-31"
    assert plan["stacking_rules"] == ["highest_applies"]


@pytest.mark.parametrize(("place", "expected"), [
    ("南通创新区", ["news", "plan", "zone"]),   # the zone, its city and province
    ("南通市", ["news", "plan"]),               # not the zone's own policy
    ("江苏省", []),
    (J + "南通创新区", ["news", "plan", "zone"]),
])
def test_policies_by_jurisdiction_include_enclosing(api, place, expected):
    with api.client() as client:
        assert ids(client.get("/policies", params={"jurisdiction": place})) == expected


def test_policies_in_force_and_category(api):
    with api.client() as client:
        # as the in-force query: the zone's dates are unknown, so it is listed, never dropped
        assert ids(client.get("/policies", params={"in_force": "2026-06-01"})) == ["plan", "zone"]
        assert ids(client.get("/policies", params={"in_force": "2025-01-31"})) == ["zone"]
        assert ids(client.get("/policies", params={"in_force": "2027-12-31"})) == ["plan", "zone"]
        assert ids(client.get("/policies", params={"in_force": "2028-01-01"})) == ["zone"]
        assert ids(client.get("/policies", params={"category": "compute_voucher"})) == ["plan", "zone"]
        assert ids(client.get("/policies", params={"category": "talent"})) == []
        both = client.get("/policies", params={"jurisdiction": "南通市", "in_force": "2026-01-01",
                                                "category": "compute_voucher"})
        assert ids(both) == ["plan"]


def test_policies_bad_filters(api):
    with api.client() as client:
        error = assert_error(client.get("/policies", params={"jurisdiction": "火星"}), 400,
                             "invalid_parameter")
        assert "火星" in error["message"] and error["detail"] == {"param": "jurisdiction"}
        assert_error(client.get("/policies", params={"category": "nope"}), 400, "invalid_parameter")
        error = assert_error(client.get("/policies", params={"in_force": "yesterday"}), 422,
                             "invalid_request")
        assert error["detail"][0]["location"] == ["query", "in_force"]


def test_policy_detail(api):
    with api.client() as client:
        response = client.get("/policies/plan")
    assert response.status_code == 200
    plan = response.json()
    assert plan["iri"] == P + "plan" and plan["title"] == "关于促进通用人工智能产业创新发展的行动方案"
    (section,) = plan["clauses"]
    assert section["number"] == "三"
    assert [c["number"] for c in section["children"]] == ["三、2"]
    item = section["children"][0]
    assert "https://w3id.org/policykg/id/org/南通市科技局" in item["responsible_units"]
    (instrument,) = plan["instruments"]
    assert instrument["category"] == "compute_voucher" and instrument["rate"] == 0.2
    assert instrument["max_cny"] == 2_000_000
    assert instrument["evidence"]["quote"].startswith("对通过平台使用智能算力的企业")
    assert instrument["evidence"]["clause_number"] == "三、2"
    (target,) = plan["targets"]
    assert (target["value"], target["unit"], target["year"]) == (500, "PFLOPS", 2027)
    (relation,) = plan["relations"]
    assert relation["type"] == "supports" and relation["direction"] == "incoming"
    assert relation["other"] == P + "zone" and relation["other_loaded"] is False
    assert relation["evidence"]["quote"]
    assert plan["warnings"] == []


def test_policy_detail_zone_tops_up(api):
    with api.client() as client:
        zone = client.get("/policies/zone").json()
    assert zone["loaded"] is False and zone["described_in"] == P + "news"
    (instrument,) = zone["instruments"]
    assert instrument["tops_up"] == P + "plan/clause/三、2/instrument/1"
    assert instrument["jurisdictions"] == [J + "南通创新区", J + "南通市"]
    assert {r["type"] for r in zone["relations"]} == {"supports", "described_in"}


def test_policy_not_found(api):
    with api.client() as client:
        error = assert_error(client.get("/policies/nope"), 404, "not_found")
    assert error["detail"] == {"iri": P + "nope"}


def test_policy_jsonld_twin(api):
    with api.client() as client:
        response = client.get("/policies/plan", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    doc = response.json()
    assert "@context" in doc
    graph = Graph()
    graph.parse(data=response.text, format="json-ld")
    plan = URIRef(P + "plan")
    assert (plan, RDF.type, PKG.PolicyDocument) in graph
    assert (None, PKG.ofPolicy, plan) in graph            # clauses
    assert (None, PKG.instrumentOf, plan) in graph         # instruments
    assert (None, RDF.type, PKG.Evidence) in graph         # and their evidence


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"),
                                             ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld")])
def test_list_twins(api, accept, fmt):
    with api.client() as client:
        response = client.get("/policies", params={"jurisdiction": "南通市"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph()
    graph.parse(data=response.text, format=fmt)
    assert set(graph.subjects(RDF.type, PKG.PolicyDocument)) == {URIRef(P + "plan"), URIRef(P + "news")}


def test_negotiation_prefers_json_and_refuses_unknown(api):
    with api.client() as client:
        assert client.get("/policies", headers={"Accept": "*/*"}).headers["content-type"] == "application/json"
        browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        assert client.get("/policies", headers={"Accept": browser}).headers["content-type"] == "application/json"
        ld = client.get("/policies", headers={"Accept": "application/json;q=0.5, application/ld+json"})
        assert ld.headers["content-type"].startswith("application/ld+json")
        assert_error(client.get("/policies", headers={"Accept": "image/png"}), 406, "not_acceptable")


def test_jurisdictions(api):
    with api.client() as client:
        response = client.get("/jurisdictions")
    assert response.status_code == 200
    by_id = {j["id"]: j for j in response.json()}
    zone = by_id["南通创新区"]
    assert zone["iri"] == J + "南通创新区" and zone["level"] == "development_zone"
    assert zone["enclosing"] == [J + "南通市", J + "江苏省", J + "中国"]
    assert by_id["南通市"]["division_code"] == "320600"
    assert by_id["南通市"]["policy_count"] == 2 and zone["policy_count"] == 1
    with api.client() as client:
        ttl = client.get("/jurisdictions", headers={"Accept": "text/turtle"})
    graph = Graph()
    graph.parse(data=ttl.text, format="turtle")
    assert (URIRef(J + "南通创新区"), PKG.within, URIRef(J + "南通市")) in graph


def test_instruments_comparison(api):
    with api.client() as client:
        rows = client.get("/instruments", params={"category": "compute_voucher"}).json()
        assert {r["policy"] for r in rows} == {P + "plan", P + "zone"}
        zone = next(r for r in rows if r["policy"] == P + "zone")
        assert (zone["rate"], zone["max_cny"], zone["period"]) == (0.5, 4_000_000, "yearly")
        assert zone["evidence"]["source_file"] == "000_e0ca90489cf1be8a.txt"
        assert client.get("/instruments", params={"category": "talent"}).json() == []
        city = client.get("/instruments", params={"jurisdiction": "南通市"}).json()
        assert [r["policy"] for r in city] == [P + "plan"]
        assert_error(client.get("/instruments", params={"category": "nope"}), 400, "invalid_parameter")
        ld = client.get("/instruments", params={"category": "compute_voucher"},
                        headers={"Accept": "application/ld+json"})
    graph = Graph()
    graph.parse(data=ld.text, format="json-ld")
    assert len(set(graph.subjects(RDF.type, PKG.FundingInstrument))) == 2


def test_queries_catalogue(api):
    with api.client() as client:
        catalogue = client.get("/queries").json()
        names = {q["name"] for q in catalogue}
        assert "instruments-by-category" in names
        query = next(q for q in catalogue if q["name"] == "instruments-by-category")
        assert query["description"]["zh"] and query["description"]["en"]
        assert query["params"][0]["name"] == "category" and query["params"][0]["type"] == "category"
        answer = client.get("/queries/instruments-by-category", params={"category": "compute_voucher"})
        assert answer.status_code == 200
        body = answer.json()
        assert body["count"] == len(body["rows"]) == 2
        assert body["columns"][:2] == ["jurisdiction", "policy"]
        assert {row["policy"] for row in body["rows"]} == {P + "plan", P + "zone"}
        csv_answer = client.get("/queries/instruments-by-category", headers={"Accept": "text/csv"})
        assert csv_answer.headers["content-type"].startswith("text/csv")
        assert csv_answer.text.splitlines()[0].startswith("jurisdiction,policy,")


@pytest.mark.parametrize(("params", "param"), [
    ({"category": "no_such_category"}, "category"),
    ({"bogus": "1"}, "bogus"),
])
def test_queries_param_errors(api, params, param):
    with api.client() as client:
        error = assert_error(client.get("/queries/instruments-by-category", params=params), 400,
                             "invalid_parameter")
    assert error["detail"] == {"param": param}


def test_queries_typed_params(api):
    with api.client() as client:
        catalogue = client.get("/queries").json()
        dated = [q for q in catalogue for p in q["params"] if p["type"] == "date"]
        assert dated, "the catalogue has date parameters (in-force, expiring)"
        query = dated[0]
        name = next(p["name"] for p in query["params"] if p["type"] == "date")
        error = assert_error(client.get(f"/queries/{query['name']}", params={name: "not-a-date"}),
                             400, "invalid_parameter")
        assert "ISO date" in error["message"]


def test_unknown_query_and_route(api):
    with api.client() as client:
        error = assert_error(client.get("/queries/nope"), 404, "not_found")
        assert "instruments-by-category" in error["detail"]["known"]
        assert_error(client.get("/no/such/route"), 404, "not_found")
        assert_error(client.delete("/policies"), 405, "method_not_allowed")


def test_responses_are_utf8_json(api):
    with api.client() as client:
        raw = client.get("/policies/plan").content
    assert "关于促进".encode() in raw
    json.loads(raw)
