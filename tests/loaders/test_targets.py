"""Targets: indicator tables (TSV) and inline `到2027年,…N个以上`; the corpus table end to end."""

from __future__ import annotations

from decimal import Decimal

from clause_helpers import clause, context
from loader_helpers import NANTONG, doc

from policykg.loaders.targets import extract_targets, normalise_unit

TABLE = ("附件:南通市通用人工智能产业创新发展指标\n"
         "序号\t指标(单位)\t2027年目标(累计数)\t责任部门\n"
         "1\t智算规模(PFLOPS)\t500\t市科技局、数据局\n"
         "2\t高质量数据集(个)\t10\t市数据局\n"
         "3\t行业垂直模型(个)\t20\t各重点示范行业牵头单位")


def test_indicator_table() -> None:
    found = extract_targets(clause(TABLE, "附件"), context())
    assert [(t.name, t.value, t.unit, t.year, t.departments) for t in found] == [
        ("智算规模", Decimal(500), "PFLOPS", 2027, ["南通市科技局", "南通市数据局"]),
        ("高质量数据集", Decimal(10), "个", 2027, ["南通市数据局"]),
        ("行业垂直模型", Decimal(20), "个", 2027, ["南通市各重点示范行业牵头单位"]),
    ]
    first = found[0].evidence
    assert first.quote == "1\t智算规模(PFLOPS)\t500\t市科技局、数据局"
    assert first.start == 100 + TABLE.index("1\t智算规模")


def test_table_with_spaces_and_full_width_parentheses() -> None:
    text = "序号  指标（单位）  2025年目标  责任单位\n1  智能算力规模（EFLOPS）  12  省发展改革委"
    (t,) = extract_targets(clause(text, "附件"), context(["安徽省"], {"省": "安徽省"}))
    assert (t.name, t.value, t.unit, t.year, t.departments) == ("智能算力规模", 12, "EFLOPS", 2025, ["安徽省发展改革委"])


def test_inline_targets() -> None:
    text = ("到2027年,基本形成算力充裕、数据丰富,应用多元的产业生态体系,布局智能算力规模500P以上,"
            "构建高质量数据集10个以上,引进培育相关企业100家以上,培育“人工智能+”典型应用场景100个以上,"
            "实现通用人工智能相关产业规模超1000亿元。")
    found = extract_targets(clause(text, "一"), context())
    assert [(t.name, t.value, t.unit, t.year) for t in found] == [
        ("智能算力规模", 500, "PFLOPS", 2027),
        ("高质量数据集", 10, "个", 2027),
        ("相关企业", 100, "家", 2027),
        ("“人工智能+”典型应用场景", 100, "个", 2027),
        ("通用人工智能相关产业规模", Decimal("100000000000"), "CNY", 2027),
    ]
    assert all(t.evidence.quote == text for t in found)


def test_inline_target_with_unit_list() -> None:
    text = "6. 人工智能+海洋经济。支持……。到2027年,全市培育典型应用场景5个。(责任单位:市科技局、工信局)"
    (t,) = extract_targets(clause(text, "二、(三)、6"), context())
    assert (t.name, t.value, t.unit, t.year, t.departments) == (
        "典型应用场景", 5, "个", 2027, ["南通市科技局", "南通市工信局"])


def test_no_target_without_a_target_year() -> None:
    assert extract_targets(clause("对2024年底前完成新增单体智能算力规模400P以上的建设项目给予补助。"), context()) == []


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
