"""The API over the real corpus, loaded through loaders/pipeline.py (latency: benchmarks/)."""

from __future__ import annotations

J = "https://w3id.org/policykg/id/jurisdiction/"


def test_corpus_policies_for_a_firm_in_the_zone(corpus_api):
    with corpus_api.client() as client:
        everything = client.get("/policies").json()
        zone = client.get("/policies", params={"jurisdiction": "南通创新区"}).json()
    assert sum(1 for p in everything if p["loaded"]) >= 4
    places = {j for p in zone for j in p["jurisdictions"]}
    assert J + "南通市" in places
    assert not places & {J + "安徽省", J + "贵阳市", J + "贵安新区"}
    assert {p["iri"] for p in zone} < {p["iri"] for p in everything}


def test_corpus_policy_details(corpus_api):
    with corpus_api.client() as client:
        loaded = [p for p in client.get("/policies").json() if p["loaded"]]
        for policy in loaded:
            detail = client.get(f"/policies/{policy['id']}")
            assert detail.status_code == 200, policy
            assert detail.json()["iri"] == policy["iri"]
        assert any(client.get(f"/policies/{p['id']}").json()["clauses"] for p in loaded)


def test_every_named_query_runs_over_http(corpus_api):
    with corpus_api.client() as client:
        catalogue = client.get("/queries").json()
        assert catalogue
        for query in catalogue:
            if any(p["required"] for p in query["params"]):
                continue
            response = client.get(query["href"])
            assert response.status_code == 200, (query["name"], response.text)
            assert response.json()["columns"]


def test_compute_vouchers_across_jurisdictions(corpus_api):
    with corpus_api.client() as client:
        rows = client.get("/instruments", params={"category": "compute_voucher"}).json()
    places = {j.removeprefix(J) for r in rows for j in r["jurisdictions"]}
    assert {"南通市", "南通创新区", "安徽省", "贵阳市", "贵安新区"} <= places
    assert all(r["evidence"]["quote"] for r in rows)


def test_damage_warnings_stay_with_the_document(corpus_api):
    with corpus_api.client() as client:
        plan = next(p for p in client.get("/policies").json() if p.get("doc_number") == "通政办规〔2024〕7号")
        warnings = client.get(f"/policies/{plan['id']}").json()["warnings"]
    assert any("item 5 missing" in w for w in warnings)
    assert any("truncated" in w for w in warnings)
