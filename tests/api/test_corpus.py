"""The API over the real corpus, loaded through loaders/pipeline.py, and request latency."""

from __future__ import annotations

import statistics
import time

import pytest

J = "https://w3id.org/policykg/id/jurisdiction/"


def _median_ms(client, url: str, **kwargs) -> float:
    samples = []
    for _ in range(15):
        started = time.perf_counter()
        response = client.get(url, **kwargs)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    return statistics.median(samples)


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
    if not rows:
        pytest.skip("the loaders found no compute vouchers")
    assert len({j for r in rows for j in r["jurisdictions"]}) >= 2
    assert all(r["evidence"]["quote"] for r in rows)


def test_latency(corpus_api, capsys):
    """Median wall time of a catalogue query and of /sparql over HTTP (reported, bounded)."""
    with corpus_api.client() as client:
        catalogue_ms = _median_ms(client, "/queries/instruments-by-category",
                                  params={"category": "compute_voucher"})
        sparql_ms = _median_ms(client, "/sparql", params={
            "query": "SELECT ?p ?t WHERE { ?p a pkg:PolicyDocument ; pkg:title ?t }"})
        detail_id = client.get("/policies").json()[0]["id"]
        detail_ms = _median_ms(client, f"/policies/{detail_id}")
    with capsys.disabled():
        print(f"\nlatency (median of 15): catalogue {catalogue_ms:.1f} ms, "
              f"/sparql {sparql_ms:.1f} ms, /policies/{{id}} {detail_ms:.1f} ms")
    assert catalogue_ms < 1000 and sparql_ms < 1000 and detail_ms < 1000
