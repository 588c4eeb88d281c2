"""Both languages: errors follow Accept-Language (zh or en), the CLI follows --lang, and codes
come with their zh / en labels in JSON, CSV and the CLI."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.ontology.vocab import ID, PKG

CJK = re.compile(r"[\u4e00-\u9fff]")
EXAMPLE_TTL = Path(__file__).resolve().parents[1] / "data" / "example.ttl"


@pytest.mark.parametrize(("path", "params"), [
    ("/queries/in-force", {"jurisdiction": "火星"}),
    ("/queries/in-force", {"jurisdiction": "南通", "bogus": "1"}),
    ("/queries/expiring", {"days": "many"}),
    ("/policies/no-such-policy", {}),
    ("/policies", {"in_force": "yesterday"}),
    ("/no/such/route", {}),
])
def test_errors_in_chinese_and_english(api, path, params):
    with api.client() as http:
        zh = http.get(path, params=params, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
        en = http.get(path, params=params, headers={"Accept-Language": "en-US,en;q=0.9"})
        default = http.get(path, params=params)
    assert zh.status_code == en.status_code >= 400
    assert zh.headers["content-language"] == "zh" and en.headers["content-language"] == "en"
    assert CJK.search(zh.json()["error"]["message"])
    assert zh.json()["error"]["code"] == en.json()["error"]["code"]
    assert default.json()["error"]["message"] == en.json()["error"]["message"]


def test_parameter_errors_are_translated_not_only_prefixed(api):
    with api.client() as http:
        zh = http.get("/queries/in-force", params={"jurisdiction": "火星"},
                      headers={"Accept-Language": "zh"}).json()["error"]["message"]
    assert zh.startswith("未知辖区") and "unknown" not in zh


def test_codes_carry_labels_in_json_and_csv(api):
    with api.client() as http:
        answer = http.get("/queries/precedence", params={"policy": "plan"}).json()
        table = http.get("/queries/precedence", params={"policy": "plan", "format": "csv"}).text
        policy = http.get("/policies/plan").json()
        instruments = http.get("/instruments").json()
    rules = [r for r in answer["rows"] if r["rule"] == "highest_applies"]
    assert rules and rules[0]["rule_zh"] == "就高不重复" and rules[0]["rule_en"]
    header = next(csv.reader(io.StringIO(table)))
    assert header.index("rule_zh") == header.index("rule") + 1
    assert policy["labels"]["highest_applies"]["zh"] == "就高不重复"
    assert policy["labels"][policy["jurisdictions"][0]]["zh"] == "南通市"
    scoped = [i for i in instruments if i["cap_scope"] == "per_recipient"]
    assert scoped and scoped[0]["labels"]["per_recipient"]["zh"]


def test_category_by_label_and_traditional_script(api):
    with api.client() as http:
        by_code = http.get("/queries/instruments-by-category", params={"category": "compute_voucher"})
        by_name = http.get("/queries/instruments-by-category", params={"category": "算力券"})
        listed = http.get("/policies", params={"category": "算力券"})
        simplified = http.get("/queries/search", params={"text": "算力资源"}).json()["rows"]
        traditional = http.get("/queries/search", params={"text": "算力資源"}).json()["rows"]
    assert by_name.status_code == 200 and by_name.json()["rows"] == by_code.json()["rows"]
    assert listed.status_code == 200 and listed.json()
    assert simplified and traditional == simplified


@pytest.fixture
def data_dir(tmp_path: Path) -> str:
    from policykg.queries.store import PolicyStore

    with PolicyStore.open(tmp_path / "store") as store:
        store.replace_source("example.ttl", Graph().parse(EXAMPLE_TTL))
    return str(tmp_path / "store")


def test_cli_table_shows_labels_in_the_chosen_language(data_dir):
    default = CliRunner().invoke(app, ["query", "precedence", "-p", "policy=plan", "--data", data_dir])
    assert default.exit_code == 0 and "列未显示" in default.output   # a few columns by default
    zh = CliRunner().invoke(app, ["query", "precedence", "-p", "policy=plan", "--data", data_dir,
                                  "--columns", "kind,rule"])
    en = CliRunner().invoke(app, ["query", "precedence", "-p", "policy=plan", "--data", data_dir,
                                  "--lang", "en", "--columns", "kind,rule"])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert "就高不重复" in zh.output and "highest_applies" in zh.output
    assert "highest" in en.output and "applies" in en.output


def test_cli_errors_follow_lang(data_dir):
    zh = CliRunner().invoke(app, ["query", "in-force", "-p", "jurisdiction=火星", "--data", data_dir])
    en = CliRunner().invoke(app, ["query", "in-force", "-p", "jurisdiction=火星", "--data", data_dir,
                                  "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2
    assert "未知辖区" in zh.output and "unknown jurisdiction" in en.output


def test_validate_prints_english_with_lang_en(tmp_path):
    graph = Graph().parse(EXAMPLE_TTL)
    graph.remove((ID["policy/plan"], PKG.title, None))
    path = tmp_path / "broken.ttl"
    graph.serialize(path, format="turtle")
    en = CliRunner().invoke(app, ["validate", str(path), "--lang", "en"])
    zh = CliRunner().invoke(app, ["validate", str(path), "--lang", "zh"])
    assert en.exit_code == zh.exit_code == 1
    assert "The policy has no title" in en.output and "缺少标题" not in en.output
    assert "政策文件缺少标题" in zh.output
