"""`policykg load` and `policykg extract` on the command line, over a real on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.queries import writes
from policykg.queries.store import PolicyStore

runner = CliRunner()
CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"
PLAN = CORPUS / "001_3ed52c5da64ca356.txt"
# Dates in the wrong order: extracts fine, but the shapes refuse it.
NON_CONFORMING = """关于推动人工智能赋能现代农业的若干措施
一、支持模型推理服务
对农业企业购买模型推理服务的,给予不超过服务费用25%的补助,单个企业每年最高80万元。(责任单位:市农业农村局)
本措施自2028年3月1日起施行,有效期至2026年6月30日。
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
    refused = runner.invoke(app, ["load", str(garbage), str(PLAN), "--data", str(data)])
    assert refused.exit_code == 1  # by default one unreadable file stops the batch
    assert "garbage.txt" in refused.output and "nothing was stored" in refused.output
    with PolicyStore.open(data) as store:
        assert store.sources() == []
    result = runner.invoke(app, ["load", str(garbage), str(PLAN), "--data", str(data), "--skip-invalid"])
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


NEWS = CORPUS / "000_e0ca90489cf1be8a.txt"
TOP_UPS = "SELECT (COUNT(*) AS ?n) WHERE { ?low pkg:topsUp ?high }"


def _top_ups(data: Path) -> int:
    result = runner.invoke(app, ["sparql", TOP_UPS, "--data", str(data), "--format", "json"])
    return json.loads(result.stdout)["rows"][0]["n"]


def test_top_ups_do_not_depend_on_load_order(tmp_path: Path) -> None:
    """issue 13: the news report loaded before the city plan, in separate runs, gets its links."""
    together, apart = tmp_path / "together", tmp_path / "apart"
    assert runner.invoke(app, ["load", str(NEWS), str(PLAN), "--data", str(together)]).exit_code == 0
    assert runner.invoke(app, ["load", str(NEWS), "--data", str(apart)]).exit_code == 0
    assert _top_ups(apart) == 0
    assert runner.invoke(app, ["load", str(PLAN), "--data", str(apart)]).exit_code == 0
    assert _top_ups(apart) == _top_ups(together) == 2
    assert dump(apart) == dump(together)


def test_replacing_the_city_plan_keeps_the_store_valid(tmp_path: Path) -> None:
    """issue 13: the city's 算力券 raised to 60 %, above the district's stored 50 % top-up. The
    link is re-derived (the district no longer raises it), and the store still validates."""
    data = tmp_path / "data"
    assert runner.invoke(app, ["load", str(NEWS), str(PLAN), "--data", str(data)]).exit_code == 0
    raised = tmp_path / "60" / PLAN.name
    raised.parent.mkdir()
    text = PLAN.read_text(encoding="utf-8")
    assert "智能算力费用20%的补助" in text
    raised.write_text(text.replace("智能算力费用20%的补助", "智能算力费用60%的补助"), encoding="utf-8")
    result = runner.invoke(app, ["load", str(raised), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert _top_ups(data) == 1  # the dataset top-up stays; the compute voucher one is gone
    assert runner.invoke(app, ["validate", "--data", str(data)]).exit_code == 0
    # removing the plan leaves the report's references unresolved, and the store still valid
    with PolicyStore.open(data) as store:
        assert writes.remove(store, [PLAN.name]).conforms
    assert _top_ups(data) == 0
    assert runner.invoke(app, ["validate", "--data", str(data)]).exit_code == 0


def test_workers_extract_the_same_store_as_this_process(tmp_path: Path) -> None:
    """`--workers 1` (a spawned extraction process, batches of 5) stores exactly what
    `--workers 0` (extraction in the command's own process) stores."""
    stores = {}
    for workers in ("0", "1"):
        data = tmp_path / f"data-{workers}"
        result = runner.invoke(app, ["load", str(CORPUS), "--data", str(data), "--batch", "5",
                                     "--workers", workers])
        assert result.exit_code == 0, result.output
        stores[workers] = dump(data)
    assert stores["0"] == stores["1"]
    assert runner.invoke(app, ["load", str(PLAN), "--data", str(tmp_path / "x"), "--workers", "-1"]).exit_code == 2
