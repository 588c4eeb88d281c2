"""`policykg validate`: readable report, exit 0 conforms, 1 does not, 2 cannot run."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Literal
from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.ontology.vocab import ID, PKG

runner = CliRunner()


def test_conforming_file_exits_0(tmp_path: Path, example_graph: Graph) -> None:
    path = tmp_path / "ok.ttl"
    example_graph.serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_violations_exit_1_with_message(tmp_path: Path, example_graph: Graph) -> None:
    example_graph.remove((ID["policy/plan"], PKG.title, None))
    path = tmp_path / "broken.jsonld"
    example_graph.serialize(path, format="json-ld")
    result = runner.invoke(app, ["validate", str(path), "--lang", "zh"])
    assert result.exit_code == 1
    assert "政策文件缺少标题" in result.output


def test_json_output_names_focus_and_path(tmp_path: Path, example_graph: Graph) -> None:
    example_graph.set((ID["policy/zone/instrument/compute"], PKG.rate, Literal(2)))
    path = tmp_path / "broken.ttl"
    example_graph.serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path), "--lang", "en", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    paths = {r["path"] for r in report["results"]}
    assert str(PKG.rate) in paths


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is <not turtle", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "not valid turtle" in result.output
    missing = runner.invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 2
    assert "no such file" in missing.output
