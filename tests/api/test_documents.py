"""POST/DELETE /documents over real HTTP: API key, size limit, validation gate, atomicity,
serialised concurrent uploads, and an accepted upload answering catalogue queries at once."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from rdflib.namespace import RDF

from policykg.loaders.extract import extract_text
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.validation import validate_graph
from policykg.ontology.vocab import PKG

from .conftest import API_KEY, CORPUS

KEY = {"X-API-Key": API_KEY}
# Extracts to a policy with no jurisdiction, no issuer and dates in the wrong order.
NON_CONFORMING = """关于支持人工智能大模型发展的若干措施
一、支持算力应用
对企业使用智能算力的,给予不超过算力费用20%的补助,每年每家企业最高不超过100万元。(责任单位:市科技局)
本措施自2027年2月1日起施行,有效期至2025年12月31日。
"""


def conforming_corpus_file() -> Path:
    """A corpus file whose extraction conforms on its own (checked with the library)."""
    for path in sorted(CORPUS.glob("*.txt"), reverse=True):
        graph = to_graph(extract_text(path.read_bytes(), "probe.txt"))
        if validate_graph(graph).conforms:
            return path
    pytest.fail("no corpus file extracts to conforming data on its own")


def error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == code
    return body


def test_writes_disabled_without_key(nokey_api):
    before = nokey_api.dump()
    with nokey_api.client() as client:
        body = error(client.post("/documents", params={"source": "a.txt"}, content="文本".encode(),
                                 headers={"Content-Type": "text/plain", **KEY}), 403, "writes_disabled")
        assert "POLICYKG_API_KEY" in body["message"]
        error(client.delete("/documents/example.ttl", headers=KEY), 403, "writes_disabled")
    assert nokey_api.dump() == before


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}])
def test_missing_or_wrong_key(api, headers):
    before = api.dump()
    with api.client() as client:
        body = error(client.post("/documents", params={"source": "a.txt"}, content=NON_CONFORMING.encode(),
                                 headers={"Content-Type": "text/plain", **headers}), 401, "unauthorized")
        assert "X-API-Key" in body["message"]
        error(client.delete("/documents/example.ttl", headers=headers), 401, "unauthorized")
    assert api.dump() == before


def test_oversized_upload(limited_api):
    big = ("关于支持人工智能发展的若干措施\n" * 200).encode()
    assert len(big) > 1024
    with limited_api.client() as client:
        error(client.post("/documents", params={"source": "big.txt"}, content=big,
                          headers={"Content-Type": "text/plain", **KEY}), 413, "payload_too_large")

        def chunks():  # no Content-Length: counted as it streams in
            for _ in range(20):
                yield b"x" * 200

        error(client.post("/documents", params={"source": "big.txt"}, content=chunks(),
                          headers={"Content-Type": "text/plain", **KEY}), 413, "payload_too_large")


def test_non_conforming_upload_changes_nothing(upload_api):
    before = upload_api.dump()
    with upload_api.client() as client:
        response = client.post("/documents", params={"source": "bad.txt"},
                               content=NON_CONFORMING.encode(),
                               headers={"Content-Type": "text/plain", "Accept-Language": "en", **KEY})
        body = error(response, 422, "does_not_conform")
        messages = {f["message"] for f in body["detail"]["results"]}
        assert "The policy comes into force after it stops being in force." in messages
        assert body["detail"]["conforms"] is False
        assert "bad.txt" not in client.get("/documents").json()["sources"]
    assert upload_api.dump() == before


def test_upload_errors(upload_api):
    before = upload_api.dump()
    with upload_api.client() as client:
        plain = {"Content-Type": "text/plain", **KEY}
        error(client.post("/documents", content=b"x", headers=plain), 400, "bad_request")
        error(client.post("/documents", params={"source": "../etc/passwd"}, content=b"x", headers=plain),
              400, "bad_request")
        error(client.post("/documents", params={"source": "a.txt", "jurisdiction": "火星"},
                          content=NON_CONFORMING.encode(), headers=plain), 400, "invalid_parameter")
        error(client.post("/documents", params={"source": "a.txt"}, content=b"{}",
                          headers={"Content-Type": "application/json", **KEY}), 415, "unsupported_media_type")
        error(client.post("/documents", params={"source": "empty.txt"}, content=b"   ", headers=plain),
              422, "unprocessable")
        error(client.delete("/documents/never-loaded.txt", headers=KEY), 404, "not_found")
    assert upload_api.dump() == before


def test_conforming_upload_is_queryable_at_once(upload_api):
    path = conforming_corpus_file()
    expected = to_graph(extract_text(path.read_bytes(), "uploaded.txt"))
    policies = {str(p) for p in expected.subjects(RDF.type, PKG.PolicyDocument)
                if (p, PKG.loaded, None) in expected}
    categories = {str(c).rsplit("#", 1)[-1] for c in expected.objects(None, PKG.category)}
    with upload_api.client() as client:
        response = client.post("/documents", params={"source": "uploaded.txt"},
                               content=path.read_bytes(), headers={"Content-Type": "text/plain", **KEY})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["source"] == "uploaded.txt" and body["replaced"] is False
        assert body["validation"]["conforms"] is True
        assert body["triples"] == len(expected)
        assert {d["iri"] for d in body["documents"]} >= policies
        assert "uploaded.txt" in client.get("/documents").json()["sources"]
        if categories:
            category = sorted(categories)[0]
            rows = client.get("/queries/instruments-by-category", params={"category": category}).json()["rows"]
            assert policies & {row["policy"] for row in rows}
        listed = {p["iri"] for p in client.get("/policies").json()}
        assert policies <= listed
        some = next(d for d in body["documents"] if d["iri"] in policies)
        assert client.get(f"/policies/{some['id']}").status_code == 200
        again = client.post("/documents", params={"source": "uploaded.txt"},
                            content=path.read_bytes(), headers={"Content-Type": "text/plain", **KEY})
        assert again.status_code == 201 and again.json()["replaced"] is True
        removed = client.delete("/documents/uploaded.txt", headers=KEY)
        assert removed.status_code == 200 and removed.json() == {"source": "uploaded.txt", "removed": True}
        assert "uploaded.txt" not in client.get("/documents").json()["sources"]
        assert not policies & {p["iri"] for p in client.get("/policies").json()}


def test_multipart_upload_uses_file_name(upload_api):
    path = conforming_corpus_file()
    with upload_api.client() as client:
        response = client.post("/documents", headers=KEY,
                               files={"file": ("policy-upload.txt", path.read_bytes(), "text/plain")})
        assert response.status_code == 201, response.text
        assert response.json()["source"] == "policy-upload.txt"
        missing = client.post("/documents", headers=KEY, data={"source": "x.txt"},
                              files={"other": ("a.txt", b"x", "text/plain")})
        error(missing, 400, "bad_request")


def test_concurrent_uploads_are_serialised(upload_api):
    path = conforming_corpus_file()
    data = path.read_bytes()
    names = [f"parallel-{i}.txt" for i in range(6)] + ["same.txt"] * 4
    statuses: list[int] = []

    def upload(name: str) -> None:
        with upload_api.client() as client:
            response = client.post("/documents", params={"source": name}, content=data,
                                   headers={"Content-Type": "text/plain", **KEY})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=upload, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * len(names)
    with upload_api.client() as client:
        sources = client.get("/documents").json()["sources"]
        assert set(names) <= set(sources)
        counts = client.get("/sparql", params={"format": "json", "query": """
            SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"""}).json()
    sizes = {b["g"]["value"].rsplit("/", 1)[-1]: int(b["n"]["value"]) for b in counts["results"]["bindings"]
             if "/graph/" in b["g"]["value"]}  # source graphs, not their derived links
    assert len({sizes[name] for name in set(names)}) == 1  # every copy whole, none mixed


def test_jurisdiction_hint_reaches_the_loader(upload_api):
    """A text that names no place gets its jurisdiction from the hint (and then conforms
    unless something else is missing); without the hint it has none."""
    text = NON_CONFORMING.replace("本措施自2027年2月1日起施行", "本措施自2024年2月1日起施行")
    with upload_api.client() as client:
        plain = {"Content-Type": "text/plain", "Accept-Language": "en", **KEY}
        without = client.post("/documents", params={"source": "hint.txt"}, content=text.encode(),
                              headers=plain)
        with_hint = client.post("/documents", params={"source": "hint.txt", "jurisdiction": "南通市"},
                                content=text.encode(), headers=plain)
    missing = "A loaded policy has no jurisdiction."
    assert missing in {f["message"] for f in without.json()["error"]["detail"]["results"]}
    if with_hint.status_code == 422:
        assert missing not in {f["message"] for f in with_hint.json()["error"]["detail"]["results"]}
    else:
        assert with_hint.status_code == 201


def test_upload_links_top_ups_to_documents_loaded_earlier(upload_api):
    """The news report's 南通创新区 top-ups raise the city plan's instruments, even when the
    plan was uploaded in an earlier request."""
    plain = {"Content-Type": "text/plain", "Accept-Language": "en", **KEY}
    with upload_api.client() as client:
        for name in ("001_3ed52c5da64ca356.txt", "000_e0ca90489cf1be8a.txt"):
            response = client.post("/documents", params={"source": name},
                                   content=(CORPUS / name).read_bytes(), headers=plain)
            assert response.status_code in (200, 201), response.text
            assert response.json()["validation"]["conforms"] is True
        rows = client.get("/queries/top-ups", params={"jurisdiction": "南通创新区"}).json()["rows"]
    by_category = {r["category"]: r for r in rows}
    assert set(by_category) == {"compute_voucher", "dataset"}
    compute = by_category["compute_voucher"]
    assert (compute["lower_rate"], compute["upper_rate"]) == (0.5, 0.2)
    assert (compute["lower_max_yuan"], compute["upper_max_yuan"]) == (4000000, 2000000)
    assert "400万元/年" in compute["evidence"]


def test_reserved_and_colliding_source_names(upload_api):
    data = conforming_corpus_file().read_bytes()
    headers = {"Content-Type": "text/plain", **KEY}
    with upload_api.client() as client:
        for name in ("background", "Links"):
            error(client.post("/documents", params={"source": name}, content=data, headers=headers),
                  400, "bad_request")
        error(client.delete("/documents/background", headers=KEY), 403, "forbidden")
        assert client.get("/jurisdictions").json()  # the background is still there
        assert client.post("/documents", params={"source": "Twin Name.txt"}, content=data,
                           headers=headers).status_code == 201
        clash = client.post("/documents", params={"source": "twinname.TXT"}, content=data, headers=headers)
        assert "Twin Name.txt" in error(clash, 400, "bad_request")["message"]


def test_top_ups_do_not_depend_on_upload_order(upload_api):
    """The news report first, the city plan second: the 加码 link appears with the plan."""
    news, plan = CORPUS / "000_e0ca90489cf1be8a.txt", CORPUS / "001_3ed52c5da64ca356.txt"
    headers = {"Content-Type": "text/plain", **KEY}
    ask = {"format": "json", "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a pkg:topsUp ?b }"}
    with upload_api.client() as client:
        for path in (news, plan):
            response = client.post("/documents", params={"source": "order-" + path.name},
                                   content=path.read_bytes(), headers=headers)
            assert response.status_code == 201, response.text
        count = client.get("/sparql", params=ask).json()["results"]["bindings"][0]["n"]["value"]
        assert int(count) >= 2
        assert client.delete("/documents/order-" + plan.name, headers=KEY).status_code == 200
        dangling = {"format": "json", "query": "ASK { ?a pkg:topsUp ?b FILTER NOT EXISTS { ?b pkg:instrumentOf ?p } }"}
        assert client.get("/sparql", params=dangling).json()["boolean"] is False  # re-linked, none dangling
