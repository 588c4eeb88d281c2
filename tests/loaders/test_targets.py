"""Targets: indicator tables (TSV) and inline `到2027年,…N个以上`; the corpus table end to end."""

from __future__ import annotations

from decimal import Decimal

import pytest
from clause_helpers import clause, context
from loader_helpers import NANTONG, doc

from policykg.loaders.targets import extract_targets, normalise_unit

LUOYANG = {"市": "洛阳市", "省": "河南省"}
TABLE = ("附件:洛阳市人工智能产业发展主要指标\n"
         "序号\t指标(单位)\t2028年目标(累计数)\t责任部门\n"
         "1\t智算规模(PFLOPS)\t800\t市工信局、数据局\n"
         "2\t行业数据集(个)\t25\t市数据局\n"
         "3\t垂直领域大模型(个)\t15\t各重点行业主管部门")


def test_indicator_table() -> None:
    found = extract_targets(clause(TABLE, "附件"), context(["洛阳市"], LUOYANG))
    assert [(t.name, t.value, t.unit, t.year, t.departments) for t in found] == [
        ("智算规模", Decimal(800), "PFLOPS", 2028, ["洛阳市工信局", "洛阳市数据局"]),
        ("行业数据集", Decimal(25), "个", 2028, ["洛阳市数据局"]),
        ("垂直领域大模型", Decimal(15), "个", 2028, ["各重点行业主管部门"]),
    ]
    first = found[0].evidence
    assert first.quote == "1\t智算规模(PFLOPS)\t800\t市工信局、数据局"
    assert first.start == 100 + TABLE.index("1\t智算规模")


@pytest.mark.parametrize(("text", "expected"), [
    ("序号  指标（单位）  2025年目标  责任单位\n1  智能算力规模（EFLOPS）  12  省发展改革委",
     ("智能算力规模", 12, "EFLOPS", 2025, ["四川省发展改革委"])),
    ("序号\t指标（单位）\t2026年目标值\t牵头单位\n１\t标杆工厂（家）\t３０\t省经济和信息化厅",
     ("标杆工厂", 30, "家", 2026, ["四川省经济和信息化厅"])),
])
def test_table_with_spaces_and_full_width_parentheses(text: str, expected: tuple) -> None:
    (t,) = extract_targets(clause(text, "附件"), context(["四川省"], {"省": "四川省"}))
    assert (t.name, t.value, t.unit, t.year, t.departments) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("到2028年,全市人工智能产业体系基本完善,新建智能算力规模800P以上,"
     "开放高质量数据集30个以上,引育骨干企业50家以上,打造“人工智能+”标杆场景60个以上,"
     "实现人工智能核心产业规模超500亿元。",
     [("智能算力规模", 800, "PFLOPS", 2028),
      ("高质量数据集", 30, "个", 2028),
      ("骨干企业", 50, "家", 2028),
      ("“人工智能+”标杆场景", 60, "个", 2028),
      ("人工智能核心产业规模", Decimal("50000000000"), "CNY", 2028)]),
    ("力争到２０２６年，建成行业数据集２０个以上；培育专精特新企业１５家以上。",
     [("行业数据集", 20, "个", 2026), ("专精特新企业", 15, "家", 2026)]),
])
def test_inline_targets(text: str, expected: list[tuple]) -> None:
    found = extract_targets(clause(text, "一"), context())
    assert [(t.name, t.value, t.unit, t.year) for t in found] == expected
    assert found[-1].evidence.quote.endswith("。")
    assert all(t.evidence.quote in text for t in found)


def test_the_target_year_governs_the_sentence_after_a_semicolon() -> None:
    text = "力争到２０２６年，建成行业数据集２０个以上；培育专精特新企业１５家以上。对新认定的企业给予奖励。"
    found = extract_targets(clause(text, "一"), context())
    assert [t.evidence.quote[-6:] for t in found] == ["２０个以上；", "１５家以上。"]
    assert extract_targets(clause("建成行业数据集20个以上;培育专精特新企业15家以上。"), context()) == []


def test_inline_target_with_unit_list() -> None:
    text = "4. 人工智能+文旅。推动……。到2028年,全市打造示范应用场景8个。(责任单位:市文广旅局、工信局)"
    (t,) = extract_targets(clause(text, "二、(二)、4"), context(["洛阳市"], LUOYANG))
    assert (t.name, t.value, t.unit, t.year, t.departments) == (
        "示范应用场景", 8, "个", 2028, ["洛阳市文广旅局", "洛阳市工信局"])


@pytest.mark.parametrize("text", [
    "对2025年底前建成算力规模300P以上的智算中心给予补助。",
    "对年内新增服务器1000台以上的企业给予奖励。",
])
def test_no_target_without_a_target_year(text: str) -> None:
    assert extract_targets(clause(text), context()) == []


def test_units() -> None:
    assert normalise_unit(Decimal(500), "P") == (500, "PFLOPS")
    assert normalise_unit(Decimal("1.5"), "亿元") == (150_000_000, "CNY")
    assert normalise_unit(Decimal(10), "个") == (10, "个")


def test_corpus_indicator_table(extracted) -> None:
    plan = doc(extracted[NANTONG], "促进通用人工智能产业创新发展的行动方案")
    table = {t.name: t for t in plan.targets if t.evidence.clause == "附件"}
    assert set(table) == {"智算规模", "高质量数据集", "行业垂直模型", "典型应用场景", "创新技术供给企业", "人工智能特色产业园"}
    compute = table["智算规模"]
    assert (compute.value, compute.unit, compute.year, compute.departments) == (
        500, "PFLOPS", 2027, ["南通市科技局", "南通市数据局"])
    original = extracted[NANTONG].original
    assert original[compute.evidence.start:compute.evidence.end] == compute.evidence.quote
