"""The OpenAPI document: every operation has a summary, a description and an example."""

from __future__ import annotations

from typing import Any

import pytest


def _has_example(node: Any) -> bool:
    if isinstance(node, dict):
        if "example" in node or node.get("examples"):
            return True
        return any(_has_example(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_example(value) for value in node)
    return False


@pytest.fixture(scope="module")
def operations(api) -> list[tuple[str, str, dict]]:
    with api.client() as client:
        spec = client.get("/openapi.json").json()
    return [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]


def test_every_operation_is_documented(operations):
    assert len(operations) >= 12
    for path, method, op in operations:
        assert op.get("summary"), f"{method} {path} has no summary"
        assert op.get("description"), f"{method} {path} has no docstring"
        assert "\n" not in op["description"].strip(), f"{method} {path}: docstring is not one line"
        assert _has_example(op), f"{method} {path} has no example"


def test_expected_routes(operations):
    routes = {(method.upper(), path) for path, method, _ in operations}
    for route in [("GET", "/policies"), ("GET", "/policies/{policy_id}"), ("GET", "/jurisdictions"),
                  ("GET", "/instruments"), ("GET", "/queries"), ("GET", "/queries/{name}"),
                  ("POST", "/validate"), ("GET", "/documents"), ("POST", "/documents"),
                  ("DELETE", "/documents/{source}"), ("GET", "/sparql"), ("POST", "/sparql")]:
        assert route in routes


def test_error_shape_documented(api):
    with api.client() as client:
        spec = client.get("/openapi.json").json()
    assert "ErrorResponse" in spec["components"]["schemas"]
    post = spec["paths"]["/documents"]["post"]
    assert post["security"] == [{"APIKeyHeader": []}]


def test_named_queries_have_their_parameters_in_the_openapi(api):
    from policykg.queries.catalogue import load_catalogue

    with api.client() as client:
        spec = client.get("/openapi.json").json()
    for name, query in load_catalogue().items():
        operation = spec["paths"][f"/queries/{name}"]["get"]
        documented = {p["name"]: p for p in operation["parameters"]}
        assert {p.name for p in query.params} | {"format", "bom"} == set(documented), name
        for param in query.params:
            entry = documented[param.name]
            assert entry["schema"].get("type"), (name, param.name)
            assert "example" in entry and entry["required"] == param.required, (name, param.name)
