"""The Neo4j sync against a real Bolt server: counts, idempotence, incremental change and
removal, a sync killed midway, and the CLI's one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import neo4j
import pytest
from conftest import EXAMPLE_TTL, EXTRA_TTL, dump
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.loaders.neo4j_mapping import graph_rows, mapping
from policykg.loaders.neo4j_sync import sync_graph
from policykg.ontology.vocab import PKG
from policykg.queries.store import PolicyStore

PLAN = "https://w3id.org/policykg/id/policy/plan"
NANTONG = "https://w3id.org/policykg/id/jurisdiction/南通市"
SCIENCE = "https://w3id.org/policykg/id/org/南通市科技局"


def count(driver: neo4j.Driver, database: str, query: str, **params: object) -> int:
    return driver.execute_query(query, params, database_=database).records[0][0]


def test_counts_and_types_after_sync(driver, fresh_database, example_graphs):
    report = sync_graph(driver, fresh_database, example_graphs, batch_size=7)
    rows = graph_rows({**example_graphs})
    assert report.created["Policy"] == 6
    assert count(driver, fresh_database, "MATCH (n:Policy) RETURN count(n)") == 6
    assert count(driver, fresh_database, "MATCH (n) WHERE n.sync_hash IS NOT NULL RETURN count(n)") == report.nodes
    assert count(driver, fresh_database, "MATCH ()-[r]->() RETURN count(r)") == report.relationships
    assert report.nodes > len(rows.nodes)  # + the background concepts and jurisdictions
    record = driver.execute_query(
        "MATCH (i:FundingInstrument)-[:INSTRUMENT_OF]->(p:Policy {iri: $plan}) "
        "MATCH (p)-[r:APPLIES_IN]->(j:Jurisdiction) "
        "RETURN i.max_amount AS cap, i.rate AS rate, p.in_force_until AS until, p.title_zh AS title, "
        "r.zh AS zh, j.name_zh AS place, p.sources AS sources", {"plan": PLAN},
        database_=fresh_database).records[0]
    assert record["cap"] == 2_000_000 and isinstance(record["cap"], int)  # yuan: integers, no float
    assert record["rate"] == pytest.approx(0.2)
    assert record["until"] == neo4j.time.Date(2027, 12, 31)
    assert record["title"] == "关于促进通用人工智能产业创新发展的行动方案"
    assert (record["zh"], record["place"], record["sources"]) == ("适用辖区", "南通市", ["example.ttl"])
    zh = driver.execute_query("MATCH ()-[r:TOPS_UP]->() RETURN r.zh AS zh", database_=fresh_database)
    assert zh.records[0]["zh"] == "加码"


def test_stated_terms_become_nodes_with_captions(driver, fresh_database, example_graphs):
    """Issue 12: tiers, years and thresholds are nodes captioned as they read; money stays exact."""
    sync_graph(driver, fresh_database, example_graphs)
    records = driver.execute_query(
        "MATCH (i:FundingInstrument)-[:RATE_OPTION]->(o:RateOption) "
        "MATCH (i)-[:INSTRUMENT_KIND]->(k:InstrumentKind) MATCH (i)-[:THRESHOLD]->(t:Threshold) "
        "RETURN o.name_zh AS option, o.option_rate AS rate, k.code AS kind, i.rate_is_max AS ceiling, "
        "i.terms_zh AS terms, t.threshold_min AS low, t.max_inclusive AS closed ORDER BY option",
        database_=fresh_database).records
    assert [(r["option"], r["kind"], r["ceiling"]) for r in records] == \
        [("25%", "grant", True), ("40%(首次认定的)", "grant", True)]
    assert records[0]["low"] == 20_000_000 and isinstance(records[0]["low"], int)
    assert records[0]["closed"] is False and records[1]["rate"] == pytest.approx(0.4)
    years = driver.execute_query("MATCH (:FundingInstrument)-[:RATE_STEP]->(s:ScheduleStep) "
                                 "RETURN s.step_year AS year, s.name_zh AS caption ORDER BY year",
                                 database_=fresh_database).records
    assert [(r["year"], r["caption"]) for r in years] == [(1, "第1年 60%"), (2, "第2年 45%"), (3, "第3年 30%")]


def test_second_sync_is_a_no_op(driver, fresh_database, example_graphs):
    sync_graph(driver, fresh_database, example_graphs)
    before = dump(driver, fresh_database)
    started = time.perf_counter()
    report = sync_graph(driver, fresh_database, example_graphs)
    elapsed = time.perf_counter() - started
    assert report.changes == 0 and report.batches == 0
    assert dump(driver, fresh_database) == before
    assert elapsed < 10


def test_change_and_removal_of_one_source(driver, fresh_database, example_graphs):
    sync_graph(driver, fresh_database, example_graphs)
    changed = dict(example_graphs)
    graph = Graph()
    for triple in example_graphs["example.ttl"]:
        graph.add(triple)
    graph.set((URIRef(PLAN), PKG.docNumber, Literal("通政办规〔2025〕1号")))
    changed["example.ttl"] = graph
    report = sync_graph(driver, fresh_database, changed)
    assert report.updated == {"Policy": 1} and not report.created and not report.deleted
    assert count(driver, fresh_database, "MATCH (p:Policy {iri: $i}) WHERE p.doc_number = '通政办规〔2025〕1号' "
                 "RETURN count(p)", i=PLAN) == 1

    # remove example.ttl: its nodes go, shared nodes used by extra.ttl or the background stay
    report = sync_graph(driver, fresh_database, {"extra.ttl": example_graphs["extra.ttl"]})
    assert report.deleted["Policy"] == 3 and report.deleted["FundingInstrument"] == 2
    assert count(driver, fresh_database, "MATCH (p {iri: $i}) RETURN count(p)", i=PLAN) == 0
    assert count(driver, fresh_database, "MATCH (d {iri: $i}) RETURN count(d)", i=SCIENCE) == 0
    assert count(driver, fresh_database, "MATCH (j:Jurisdiction {iri: $i}) RETURN count(j)", i=NANTONG) == 1
    assert count(driver, fresh_database, "MATCH (m:SyncSource) RETURN count(m)") == 2  # extra + background
    fresh = driver.execute_query("MATCH (j:Jurisdiction {iri: $i}) RETURN j.sources AS s", {"i": NANTONG},
                                 database_=fresh_database).records[0]["s"]
    assert fresh == ["background"]


def test_node_shared_by_two_sources_survives_removal_of_one(driver, fresh_database, example_graphs):
    shared = Graph()
    shared.add((URIRef(SCIENCE), PKG.departmentOf, URIRef(NANTONG)))
    sync_graph(driver, fresh_database, {**example_graphs, "shared.ttl": shared})
    report = sync_graph(driver, fresh_database, {"extra.ttl": example_graphs["extra.ttl"], "shared.ttl": shared})
    assert report.deleted["Policy"] == 3
    assert count(driver, fresh_database, "MATCH (d:Department {iri: $i}) RETURN count(d)", i=SCIENCE) == 1
    assert count(driver, fresh_database, "MATCH (:Department {iri: $i})-[:DEPARTMENT_OF]->() RETURN count(*)",
                 i=SCIENCE) == 1


WORKER = textwrap.dedent("""
    import sys, time, neo4j
    from rdflib import Graph
    from policykg.loaders.neo4j_sync import sync_graph
    uri, password, database, *paths = sys.argv[1:]
    graphs = {path.rsplit('/', 1)[-1]: Graph().parse(path) for path in paths}
    def on_batch(phase, name, rows):
        print('batch', phase, name, flush=True)
        time.sleep(0.05)
    with neo4j.GraphDatabase.driver(uri, auth=('root', password)) as driver:
        sync_graph(driver, database, graphs, batch_size=3, on_batch=on_batch)
    print('done', flush=True)
""")


def test_interrupted_sync_rerun_equals_clean_sync(bolt_server, driver, fresh_database, example_graphs):
    args = [sys.executable, "-c", WORKER, bolt_server.bolt_uri, bolt_server.password, fresh_database,
            str(EXAMPLE_TTL), str(EXTRA_TTL)]
    worker = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    seen = 0
    for line in worker.stdout:
        seen += line.startswith("batch")
        if seen == 8:
            worker.kill()  # SIGKILL: no cleanup, mid-sync
            break
    worker.wait(timeout=30)
    assert seen == 8 and worker.returncode != 0
    partial = dump(driver, fresh_database)

    clean_db = bolt_server.create_database(fresh_database + "clean")
    sync_graph(driver, clean_db, example_graphs)
    clean = dump(driver, clean_db)
    assert partial != clean and len(partial) < len(clean)

    sync_graph(driver, fresh_database, example_graphs)  # the re-run
    assert dump(driver, fresh_database) == clean


# ---- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def store_dir(tmp_path: Path, example_graphs) -> Path:
    path = tmp_path / "store"
    with PolicyStore.open(path) as store:
        for source, graph in example_graphs.items():
            store.replace_source(source, graph)
    return path


def cli(*args: str, env: dict[str, str]) -> object:
    return CliRunner().invoke(app, list(args), env=env)


def test_cli_sync_then_status(bolt_server, fresh_database, store_dir):
    env = {"NEO4J_URI": bolt_server.bolt_uri, "NEO4J_USERNAME": "root",
           "NEO4J_PASSWORD": bolt_server.password, "NEO4J_DATABASE": fresh_database}
    first = cli("neo4j", "sync", "--data", str(store_dir), "--batch-size", "50", env=env)
    assert first.exit_code == 0, first.output
    assert "created" in first.output and "Policy" in first.output
    second = cli("neo4j", "sync", "--data", str(store_dir), env=env)
    assert second.exit_code == 0 and "0 change(s)" in second.output
    status = cli("neo4j", "status", env=env)
    assert status.exit_code == 0 and "example.ttl" in status.output and "extra.ttl" in status.output
    twin = cli("query", "top-ups", "--backend", "cypher", "--format", "json", env=env)
    assert twin.exit_code == 0, twin.output
    assert json.loads(twin.output)["rows"][0]["lower_max_yuan"] == 4_000_000


@pytest.mark.parametrize("case", ["wrong port", "bad credentials", "missing database"])
def test_cli_errors_are_one_line(bolt_server, store_dir, case):
    env = {"NEO4J_URI": bolt_server.bolt_uri, "NEO4J_USERNAME": "root",
           "NEO4J_PASSWORD": bolt_server.password, "NEO4J_DATABASE": bolt_server.database}
    if case == "wrong port":
        env["NEO4J_URI"] = "bolt://127.0.0.1:9"
    elif case == "bad credentials":
        env["NEO4J_PASSWORD"] = "wrong-password"
    else:
        env["NEO4J_DATABASE"] = "no_such_database"
    result = CliRunner().invoke(app, ["neo4j", "sync", "--data", str(store_dir)], env=env)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    expected = {"wrong port": "cannot connect", "bad credentials": "authentication failed",
                "missing database": "does not exist"}[case]
    assert expected in lines[0]


def test_mapping_is_derived_from_the_ontology():
    m = mapping()
    assert {"Policy", "Clause", "Department", "Jurisdiction", "FundingInstrument", "Target",
            "Evidence", "Category", "StackingRule"} <= set(m.labels.values())
    names = {rel.name: rel.zh for rel in m.relationships.values()}
    assert names["SUPPORTS"] == "配套" and names["TOPS_UP"] == "加码"
    assert {"SUPERSEDES", "PREVAILS_OVER", "CITES", "ALIGNS_WITH", "IMPLEMENTED_BY", "PART_OF",
            "ISSUED_BY", "APPLIES_IN", "ADMINISTERED_BY", "DEFINED_IN", "WITHIN"} <= set(names)
