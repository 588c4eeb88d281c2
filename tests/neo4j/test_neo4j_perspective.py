"""The Bloom perspective: Bloom 2.x export structure, complete for what the sync writes, and
every search phrase runs on the test server."""

from __future__ import annotations

import json
import re

import neo4j
import pytest
from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.loaders.neo4j_mapping import MARKER_LABEL, mapping
from policykg.loaders.neo4j_perspective import perspective
from policykg.loaders.neo4j_sync import sync_graph
from policykg.queries.catalogue import load_catalogue


@pytest.fixture(scope="module")
def bloom() -> dict:
    result = CliRunner().invoke(app, ["neo4j", "perspective"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_structure(bloom):
    assert bloom == perspective()
    assert {"name", "id", "version", "categories", "relationshipTypes", "templates", "labels",
            "palette", "hiddenCategories"} <= set(bloom)
    for category in bloom["categories"]:
        assert {"id", "name", "labels", "captionKeys", "color", "icon", "properties"} <= set(category)
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", category["color"])
        assert all({"name", "exclude", "dataType"} <= set(p) for p in category["properties"])
    policy = next(c for c in bloom["categories"] if c["labels"] == ["Policy"])
    assert policy["captionKeys"] == ["caption"] and policy["name"].startswith("政策文件")
    supports = next(r for r in bloom["relationshipTypes"] if r["name"] == "SUPPORTS")
    assert supports["caption"] == "配套" and supports["captionKeys"] == ["zh"]


def test_stated_terms_nodes_are_captioned_as_they_read(bloom):
    """Issue 12: tiers, years and thresholds show their label (40%(首次认定的), 第1年 60%)."""
    by_label = {c["labels"][0]: c for c in bloom["categories"]}
    for label, key in (("RateOption", "option_rate"), ("ScheduleStep", "step_year"),
                       ("Threshold", "threshold_min"), ("InstrumentKind", "code"), ("RecipientKind", "code")):
        # the sync's `caption` (loaders/neo4j_captions.py) is their name_zh label
        assert by_label[label]["captionKeys"] == ["caption"], label
        assert key in {p["name"] for p in by_label[label]["properties"]}, label
    shown = {p["name"]: p["dataType"] for p in by_label["FundingInstrument"]["properties"]}
    assert (shown["terms_zh"], shown["rate_is_max"], shown["period_years"]) == ("string", "boolean", "integer")
    relationship_names = {r["name"] for r in bloom["relationshipTypes"]}
    assert {"RATE_OPTION", "RATE_STEP", "THRESHOLD", "INSTRUMENT_KIND", "RECIPIENT"} <= relationship_names


def test_every_label_and_type_the_sync_writes_is_covered(bloom, driver, fresh_database, example_graphs):
    sync_graph(driver, fresh_database, example_graphs)
    with driver.session(database=fresh_database) as session:
        labels = {r["l"] for r in session.run("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l")}
        types = {r["t"] for r in session.run("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")}
    categorised = {label for c in bloom["categories"] for label in c["labels"]}
    assert labels <= categorised and MARKER_LABEL in labels
    assert types <= {r["name"] for r in bloom["relationshipTypes"]}
    assert set(mapping().labels.values()) <= categorised


def test_every_search_phrase_runs(bloom, driver, fresh_database, example_graphs):
    sync_graph(driver, fresh_database, example_graphs)
    assert {t["text"].split()[0] for t in bloom["templates"]} == set(load_catalogue())
    values = {"category": "https://w3id.org/policykg/ontology#compute_voucher",
              "jurisdiction": "https://w3id.org/policykg/id/jurisdiction/南通创新区",
              "policy": "https://w3id.org/policykg/id/policy/plan", "text": "算力券",
              "date": neo4j.time.Date(2025, 6, 1), "days": 90, "min_share": 0.6, "scope": "province"}
    for template in bloom["templates"]:
        names = [p["name"].lstrip("$") for p in template["params"]]
        params = {name: values[name] for name in names}
        with driver.session(database=fresh_database) as session:
            rows = session.run(template["cypher"], params).data()
        assert isinstance(rows, list), template["text"]


def test_every_instrument_target_and_statement_has_a_caption(driver, fresh_database, example_graphs):
    sync_graph(driver, fresh_database, example_graphs)
    with driver.session(database=fresh_database) as session:
        missing = session.run(
            "MATCH (n) WHERE (n:FundingInstrument OR n:Target OR n:RelationStatement OR n:Policy) "
            "AND n.caption IS NULL RETURN labels(n) AS l, n.iri AS iri").data()
        targets = session.run("MATCH (t:Target) RETURN t.caption AS c, t.target_value AS v, "
                              "t.unit AS u, t.target_year AS y").data()
        statements = session.run("MATCH (s:RelationStatement) RETURN s.caption AS c").data()
    assert missing == []
    assert targets and statements
    for t in targets:
        for part in (t["u"], t["y"]):
            if part is not None:
                assert str(part) in t["c"], t
    assert all("→" in s["c"] or s["c"] for s in statements)
