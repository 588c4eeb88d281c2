"""POST /validate over real HTTP: SHACL reports as JSON or Turtle, zh/en by Accept-Language."""

from __future__ import annotations

import json

from rdflib import Graph, Literal
from rdflib.namespace import SH

from .conftest import EXAMPLE_TTL

BROKEN = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix j: <https://w3id.org/policykg/id/jurisdiction/> .
<https://w3id.org/policykg/id/policy/broken> a pkg:PolicyDocument ;
    pkg:jurisdiction j:南通市 .
"""
TTL = {"Content-Type": "text/turtle"}


def test_example_conforms(api):
    with api.client() as client:
        response = client.post("/validate", content=EXAMPLE_TTL.read_bytes(), headers=TTL)
    assert response.status_code == 200
    assert response.json() == {"conforms": True, "lang": "zh", "results": []}


def test_report_languages(api):
    with api.client() as client:
        zh = client.post("/validate", content=BROKEN.encode(), headers=TTL).json()
        en = client.post("/validate", content=BROKEN.encode(),
                         headers={**TTL, "Accept-Language": "en-GB,en;q=0.9"})
        zh_cn = client.post("/validate", content=BROKEN.encode(),
                            headers={**TTL, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).json()
    assert zh["conforms"] is False and zh["lang"] == "zh"
    (finding,) = [f for f in zh["results"] if f["path"] and f["path"].endswith("#title")]
    assert finding["focus"] == "https://w3id.org/policykg/id/policy/broken"
    assert finding["message"] == "政策文件缺少标题。" and finding["severity"] == "Violation"
    assert en.headers["content-language"] == "en"
    assert "The policy has no title." in [f["message"] for f in en.json()["results"]]
    assert zh_cn["lang"] == "zh"


def test_jsonld_body(api):
    doc = {"@id": "https://w3id.org/policykg/id/policy/broken",
           "@type": "https://w3id.org/policykg/ontology#PolicyDocument"}
    with api.client() as client:
        response = client.post("/validate", content=json.dumps(doc),
                               headers={"Content-Type": "application/ld+json", "Accept-Language": "en"})
    assert response.status_code == 200
    assert "The policy has no title." in [f["message"] for f in response.json()["results"]]


def test_turtle_report(api):
    with api.client() as client:
        response = client.post("/validate", content=BROKEN.encode(),
                               headers={**TTL, "Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    report = Graph()
    report.parse(data=response.text, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report


def test_malformed_rdf(api):
    with api.client() as client:
        response = client.post("/validate", content=b"<urn:a> <urn:b> \"unterminated .\n", headers=TTL)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "malformed_rdf"
        assert "line" in error["message"] and error["detail"]["format"] == "Turtle"
        bad_json = client.post("/validate", content=b"{not json",
                               headers={"Content-Type": "application/ld+json"})
        assert bad_json.status_code == 400
        unsupported = client.post("/validate", content=b"hello", headers={"Content-Type": "application/pdf"})
        assert unsupported.status_code == 415
        assert "text/turtle" in unsupported.json()["error"]["message"]


def test_remote_context_is_not_fetched(api):
    doc = {"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:x"}
    with api.client() as client:
        response = client.post("/validate", content=json.dumps(doc),
                               headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 400


def test_oversized_rdf(limited_api):
    body = BROKEN + "# " + "x" * 4096 + "\n"
    with limited_api.client() as client:
        response = client.post("/validate", content=body.encode(), headers=TTL)
    assert response.status_code == 413
    assert response.json()["error"]["detail"] == {"max_bytes": 1024}
