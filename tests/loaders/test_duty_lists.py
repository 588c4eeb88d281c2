"""Unit lists without role words (`X、Y按职责分工负责，Z落实`), the standing `以下均需Z落实，不再列出`,
and which names inherit a level. Made-up places and bodies; no sentence of the corpus."""

from __future__ import annotations

import pytest
from rdflib.namespace import RDF, SKOS

from policykg.loaders.departments import (
    node_home,
    node_name,
    parse_unit_list,
    standing_units,
    unit_blocks,
)
from policykg.loaders.extract import extract_text
from policykg.loaders.money import normalise
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.vocab import PKG

JIANGXI = {"省": "江西省"}
GANZHOU = {"市": "赣州市", "省": "江西省"}


@pytest.mark.parametrize("block", [
    "（省科技厅、省财政厅按职责分工负责）",
    "(省科技厅、省财政厅按职责负责)",
    "【省科技厅，省财政厅按职责分工负责】",
    "〔省科技厅、财政厅分工负责〕",
    "[省科技厅、省财政厅按职能分工负责]",
    "〖省科技厅、省财政厅负责〗",
])
def test_a_duty_list_in_any_bracket_and_separator(block: str) -> None:
    text = f"对新认定的平台给予奖励。{block}下一句。"
    ((start, end, body),) = unit_blocks(text)
    assert normalise(text)[start:end] == normalise(block)
    assert parse_unit_list(body, JIANGXI) == [("江西省科技厅", "responsible"), ("江西省财政厅", "responsible")]


@pytest.mark.parametrize(("body", "expected"), [
    ("省科技厅、省财政厅按职责分工负责，各设区市人民政府落实",
     [("江西省科技厅", "responsible"), ("江西省财政厅", "responsible"), ("各设区市人民政府", "responsible")]),
    ("省科技厅按职责分工负责；各县(市、区)人民政府抓好落实",
     [("江西省科技厅", "responsible"), ("各县(市、区)人民政府", "responsible")]),
    ("省工信厅牵头，省科技厅、省商务厅配合",
     [("江西省工信厅", "lead"), ("江西省科技厅", "cooperating"), ("江西省商务厅", "cooperating")]),
    ("省数据局负责", [("江西省数据局", "responsible")]),
    ("责任单位：省工信厅牵头，省财政厅、省商务厅配合",
     [("江西省工信厅", "lead"), ("江西省财政厅", "cooperating"), ("江西省商务厅", "cooperating")]),
    ("省科技厅、省财政厅按职责分工负责。以下均需各设区市人民政府落实，不再列出",
     [("江西省科技厅", "responsible"), ("江西省财政厅", "responsible")]),
])
def test_each_group_takes_the_role_of_its_verb(body: str, expected: list[tuple[str, str]]) -> None:
    assert unit_blocks(f"({body})")
    assert parse_unit_list(body, JIANGXI) == expected


@pytest.mark.parametrize("text", [
    "对示范项目给予补助（具体办法另行制定并落实）。",
    "对示范项目给予补助（企业自行负责）。",
    "对示范项目给予补助（市科技局负责解释）。",
    "对示范项目给予补助（按职责分工负责）。",
    "对示范项目给予补助（2026年底前落实）。",
    "对示范项目给予补助【政策解读】。",
])
def test_brackets_that_are_no_unit_list(text: str) -> None:
    assert unit_blocks(text) == []


@pytest.mark.parametrize(("text", "names"), [
    ("（省科技厅按职责分工负责。以下均需各设区市人民政府落实，不再列出）", ["各设区市人民政府"]),
    ("以下各项任务均由各县(市、区)人民政府负责落实，不再一一列出。", ["各县(市、区)人民政府"]),
    ("以下任务均需市科技局、财政局落实；不再列出。", ["赣州市科技局", "赣州市财政局"]),
])
def test_standing_instruction_shapes(text: str, names: list[str]) -> None:
    ((start, end, found),) = standing_units(text, GANZHOU)
    assert found == names
    assert normalise(text)[start:end].startswith("以下")


@pytest.mark.parametrize("text", [
    "以下均需各设区市人民政府落实。",             # no 不再列出: an ordinary sentence
    "以下内容不再列出。",                          # nobody named
    "以下均需企业自行落实，不再列出。",            # not an organisation
    "上述任务均需各设区市人民政府落实，不再列出。",  # 上述 looks back, not forward
])
def test_near_misses_are_no_standing_instruction(text: str) -> None:
    assert standing_units(text, GANZHOU) == []


def test_only_a_body_short_name_inherits_the_level() -> None:
    units = [n for n, _ in parse_unit_list("责任单位：市科技局、星河实验室、财政局、某某集团有限公司", GANZHOU)]
    assert units == ["赣州市科技局", "星河实验室", "赣州市财政局", "某某集团有限公司"]


def test_names_holding_a_place_are_kept() -> None:
    units = [n for n, _ in parse_unit_list(
        "省财政厅、人民银行江西省分行、江西金融监管局、中国移动江西公司、省广电网络公司按职责分工负责", JIANGXI)]
    assert units == ["江西省财政厅", "人民银行江西省分行", "江西金融监管局", "中国移动江西公司", "江西省广电网络公司"]


def test_graph_nodes_of_collective_bodies_are_per_jurisdiction() -> None:
    assert node_name("各设区市人民政府", "江西省") == "江西省各设区市人民政府"
    assert node_name("各设区市人民政府", "福建省") == "福建省各设区市人民政府"
    assert node_name("江西省科技厅", "江西省") == "江西省科学技术厅"
    assert node_home("江西省科技厅", ["赣州市"]) == "江西省"
    assert node_home("人民银行江西省分行", ["江西省"]) == "江西省"   # no gazetteer place at the start
    assert node_home("星河实验室", []) is None


PLAN = """江西省机器人产业发展行动方案

一、重点任务
（一）建设开放平台。对新建的开放平台给予最高100万元奖励。（省科技厅按职责分工负责）
（二）培育骨干企业。对首次认定的骨干企业给予最高80万元奖励。（省科技厅、省财政厅按职责分工负责，各设区市人民政府落实。以下均需各设区市人民政府落实，不再列出）
（三）扩大应用。对示范项目给予最高50万元补助。〔省工信厅、省商务厅按职责负责〕
（四）强化宣传推广。对优秀案例给予每个10万元奖励。
（五）支持首台套。对首台套产品给予最高30万元奖励。【责任单位：省发展改革委；配合单位：省财政厅】
"""


def _instruments(text: str) -> dict[int, list[str]]:
    (doc,) = extract_text(text, "plan.txt").documents
    return {int(i.max_cny) // 10000: i.departments for i in doc.instruments}


def test_standing_instruction_joins_every_later_unit_list() -> None:
    by_amount = _instruments(PLAN)
    assert by_amount[100] == ["江西省科技厅"]                              # before the instruction
    assert by_amount[80] == ["江西省科技厅", "江西省财政厅", "各设区市人民政府"]  # names it itself
    assert by_amount[50] == ["江西省工信厅", "江西省商务厅", "各设区市人民政府"]
    assert by_amount[10] == []                                           # no unit list of its own
    assert by_amount[30] == ["江西省发展改革委", "各设区市人民政府"]          # cooperating units apart


def test_without_the_instruction_nothing_joins() -> None:
    by_amount = _instruments(PLAN.replace("。以下均需各设区市人民政府落实，不再列出", ""))
    assert by_amount[50] == ["江西省工信厅", "江西省商务厅"]
    assert by_amount[30] == ["江西省发展改革委"]


def test_standing_units_reach_the_clauses_in_the_graph() -> None:
    result = extract_text(PLAN, "plan.txt")
    (doc,) = result.documents
    later = {d.clause for d in doc.departments if d.name == "各设区市人民政府"}
    assert later == {"一、(二)", "一、(三)", "一、(五)"}
    g = to_graph(result)
    (node,) = [s for s in g.subjects(RDF.type, PKG.Department)
               if "各设区市人民政府" in str(g.value(s, SKOS.prefLabel))]
    assert str(g.value(node, SKOS.prefLabel)) == "江西省各设区市人民政府"
    assert str(g.value(node, SKOS.altLabel)) == "各设区市人民政府"
