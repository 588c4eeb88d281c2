"""`policykg query`, `policykg queries`, `policykg sparql` through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from rdflib import Graph
from typer.testing import CliRunner

from policykg.api.commands import query as query_commands
from policykg.queries.store import PolicyStore

EXAMPLE_TTL = Path(__file__).resolve().parent.parent / "data" / "example.ttl"
runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    query_commands.register(app)
    return app


@pytest.fixture
def data_dir(tmp_path: Path) -> str:
    with PolicyStore.open(tmp_path / "store") as store:
        store.replace_source("example.ttl", Graph().parse(EXAMPLE_TTL))
    return str(tmp_path / "store")


def test_query_json(app: typer.Typer, data_dir: str) -> None:
    result = runner.invoke(
        app, ["query", "instruments-by-category", "-p", "category=compute_voucher", "--format", "json", "--data", data_dir]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["columns"][0] == "jurisdiction"
    assert {r["jurisdiction"]: r["max_yuan"] for r in payload["rows"]} == {"南通市": 2000000.0, "南通创新区": 4000000.0}


def test_query_csv_and_table(app: typer.Typer, data_dir: str) -> None:
    args = ["query", "in-force", "-p", "date=2026-11-23", "-p", "jurisdiction=南通创新区", "--data", data_dir]
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["status"] for r in rows} == {"in_force", "unknown_dates"}
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "2 行" in table.stdout   # zh by default (--lang)


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "nope"], "known queries"),
        (["query", "search"], "missing required parameter 'text'"),
        (["query", "expiring", "-p", "days=soon"], "whole number"),
        (["query", "expiring", "-p", "colour=red"], "unknown parameter"),
        (["query", "expiring", "-p", "days"], "key=value"),
        (["query", "in-force", "-p", "jurisdiction=火星市"], "unknown jurisdiction"),
    ],
)
def test_query_errors_exit_2(app: typer.Typer, data_dir: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--data", data_dir, "--lang", "en"])
    assert result.exit_code == 2
    assert message in result.output


def test_missing_store_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "targets", "--data", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no store" in result.output


@pytest.mark.parametrize("lang, word", [("zh", "加码"), ("en", "Top-ups")])
def test_list_queries(app: typer.Typer, lang: str, word: str) -> None:
    result = runner.invoke(app, ["queries", "--lang", lang, "--format", "json"])
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)["rows"]}
    assert word in rows["top-ups"]["description"]
    assert rows["search"]["params"].startswith("text: string")


def test_sparql_inline_file_and_stdin(app: typer.Typer, data_dir: str, tmp_path: Path) -> None:
    sparql = "SELECT ?t WHERE { ?p pkg:docNumber ?t }"
    inline = runner.invoke(app, ["sparql", sparql, "--format", "json", "--data", data_dir])
    assert inline.exit_code == 0, inline.output
    assert json.loads(inline.stdout)["rows"] == [{"t": "通政办规〔2024〕7号"}]
    path = tmp_path / "q.rq"
    path.write_text(sparql, encoding="utf-8")
    from_file = runner.invoke(app, ["sparql", f"@{path}", "--format", "json", "--data", data_dir])
    assert from_file.stdout == inline.stdout
    from_stdin = runner.invoke(app, ["sparql", "-", "--format", "json", "--data", data_dir], input=sparql)
    assert from_stdin.stdout == inline.stdout
    ask = runner.invoke(app, ["sparql", "ASK { ?p pkg:loaded true }", "--data", data_dir])
    assert ask.stdout.strip() == "true"


def test_sparql_syntax_error_has_position(app: typer.Typer, data_dir: str) -> None:
    result = runner.invoke(app, ["sparql", "SELECT ?s WHERE {\n  ?s ?p\n}", "--data", data_dir])
    assert result.exit_code == 2
    assert "line 3, column" in result.output


def test_sparql_refuses_updates(app: typer.Typer, data_dir: str) -> None:
    result = runner.invoke(app, ["sparql", "DROP ALL", "--data", data_dir])
    assert result.exit_code == 2 and "not accepted" in result.output
