"""`policykg load` and `policykg extract` on the command line, over a real on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner

from policykg.api.cli import app

runner = CliRunner()
CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"
PLAN = CORPUS / "001_3ed52c5da64ca356.txt"
# Dates in the wrong order: extracts fine, but the shapes refuse it.
NON_CONFORMING = """关于支持人工智能大模型发展的若干措施
一、支持算力应用
对企业使用智能算力的,给予不超过算力费用20%的补助,每年每家企业最高不超过100万元。(责任单位:市科技局)
本措施自2027年2月1日起施行,有效期至2025年12月31日。
"""


def dump(data: Path) -> bytes:
    store = ox.Store.read_only(str(data))
    return b"".join(sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)))


def test_load_then_query_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = runner.invoke(app, ["load", str(CORPUS), "--data", str(data)])
    assert result.exit_code == 0, result.output
    texts = [p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html")]
    assert f"loaded {len(texts)} file(s)" in result.output  # the seeds and the 13 texts of 11 provinces
    listed = runner.invoke(app, ["sparql", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pkg:loaded true }",
                                 "--data", str(data), "--format", "json"])
    # one policy per text, two in the Nantong and Anhui seed files and in the Guiyang reprint
    assert json.loads(listed.stdout)["rows"] == [{"n": len(texts) + 2}]
    assert runner.invoke(app, ["validate", "--data", str(data)]).exit_code == 0


def test_a_load_that_does_not_conform_stores_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert runner.invoke(app, ["load", str(PLAN), "--data", str(data)]).exit_code == 0
    before = dump(data)
    bad = tmp_path / "bad.txt"
    bad.write_text(NON_CONFORMING, encoding="utf-8")
    # a new bad file, and a good one reloaded beside it: neither is written
    result = runner.invoke(app, ["load", str(bad), str(PLAN), "--data", str(data), "--lang", "en"],
                           env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert "The policy comes into force after it stops being in force." in result.output
    assert "nothing was stored" in result.output
    assert dump(data) == before


def test_unreadable_files_are_reported_and_the_rest_loaded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    result = runner.invoke(app, ["load", str(garbage), str(PLAN), "--data", str(data)])
    assert result.exit_code == 1
    assert "garbage.txt" in result.output and "not a text file" in result.output
    assert "loaded 1 file(s)" in result.output
    nothing = runner.invoke(app, ["load", str(garbage), "--data", str(tmp_path / "other")])
    assert nothing.exit_code == 2


def test_extract_json_shape(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(PLAN), "--format", "json"])
    assert result.exit_code == 0, result.output
    (plan,) = json.loads(result.stdout)["documents"]
    assert plan["doc_number"] == "通政办规〔2024〕7号"
    assert (plan["issued"], plan["effective_from"], plan["effective_to"]) == ("2024-11-28", "2025-02-01", "2027-12-31")
    voucher = next(i for i in plan["instruments"] if i["category"] == "compute_voucher")
    assert (voucher["rate"], voucher["max_cny"], voucher["period"], voucher["cap_scope"]) == (0.2, 2000000, "yearly", "per_recipient")
    assert voucher["departments"] == ["南通市科技局", "南通市数据局"]
    assert "算力券" in voucher["evidence"]["quote"]
