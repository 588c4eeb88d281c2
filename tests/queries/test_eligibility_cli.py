"""`policykg eligibility` and `policykg compare` through typer's CliRunner, on a stored corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from policykg.api.commands import eligibility as eligibility_commands
from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build_graphs
from policykg.queries import writes
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    eligibility_commands.register(app)
    return app


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("elig") / "store"
    graphs = build_graphs(sorted(CORPUS.glob("*.txt")), load_manifest(CORPUS / "manifest.yaml"))
    with PolicyStore.open(path) as store:
        writes.apply(store, writes.Change(put=dict(graphs)))  # the write path derives the links
    return str(path)


def test_json_csv_and_table(app, data_dir):
    args = ["eligibility", "--at", "南通创新区", "--date", "2026-11-29", "--spend", "compute_voucher=10000000",
            "--data", data_dir]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["categories"][0]["total_yuan"] == 4000000
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, [*args, "--format", "csv"]).stdout)))
    assert sorted(r["applied"] for r in rows) == ["false", "true"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "total: 4000000 yuan" in table.stdout


def test_profile_file_with_overrides(app, data_dir, tmp_path):
    profile = tmp_path / "firm.yaml"
    profile.write_text("at: 南通市\ndate: 2026-11-29\nspend: {compute_voucher: 1000000}\nfirm: {size: small}\n",
                       encoding="utf-8")
    result = runner.invoke(app, ["eligibility", "--profile", str(profile), "--format", "json", "--data", data_dir])
    assert json.loads(result.stdout)["total_yuan"] == 200000
    moved = runner.invoke(app, ["eligibility", "--profile", str(profile), "--at", "南通创新区", "--format", "json",
                                "--data", data_dir])
    assert json.loads(moved.stdout)["total_yuan"] == 500000


@pytest.mark.parametrize(("args", "message"), [
    (["--at", "火星", "--date", "2026-11-29"], "unknown place"),
    (["--at", "南通市", "--date", "tomorrow"], "bad date"),
    (["--at", "南通市", "--date", "2026-11-29", "--spend", "gpu=5"], "unknown category"),
    (["--at", "南通市", "--date", "2026-11-29", "--spend", "compute_voucher"], "CATEGORY=YUAN"),
    (["--at", "南通市"], "no date"),
    (["--date", "2026-11-29"], "no place"),
    (["--profile", "/nonexistent/firm.yaml"], "cannot read profile"),
])
def test_bad_input_exits_2(app, data_dir, args, message):
    result = runner.invoke(app, ["eligibility", *args, "--data", data_dir])
    assert result.exit_code == 2
    assert message in result.stderr


def test_compare(app, data_dir):
    result = runner.invoke(app, ["compare", "compute_voucher", "--at", "南通市", "--at", "贵阳市", "--format", "csv",
                                 "--data", data_dir])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["jurisdiction"] for r in rows} == {"南通市", "贵阳市"}
    assert runner.invoke(app, ["compare", "dataset", "--level", "prefecture", "--data", data_dir]).exit_code == 2
    level = runner.invoke(app, ["compare", "dataset", "--level", "prefecture", "--within", "江苏省", "--data", data_dir])
    assert level.exit_code == 0 and "南通市" in level.stdout
