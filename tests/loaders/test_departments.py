"""Unit lists: prefix inheritance, roles, collective bodies, full/half-width punctuation."""

from __future__ import annotations

import pytest
from clause_helpers import clause, context

from policykg.loaders.departments import (
    extract_departments,
    parse_unit_list,
    resolve_unit,
    unit_blocks,
)
from policykg.loaders.money import normalise
from policykg.loaders.places import level_names

LUOYANG = {"市": "洛阳市", "省": "河南省"}
SICHUAN = {"省": "四川省"}


@pytest.mark.parametrize(("text", "names", "expected"), [
    ("责任单位:市科技局、工信局、数据局", LUOYANG, ["洛阳市科技局", "洛阳市工信局", "洛阳市数据局"]),
    ("责任单位：市发展改革委、财政局、人社局", LUOYANG, ["洛阳市发展改革委", "洛阳市财政局", "洛阳市人社局"]),
    ("责任单位:省经济和信息化厅、科技厅", SICHUAN, ["四川省经济和信息化厅", "四川省科技厅"]),
    ("牵头单位: 市商务局、 市数据局", LUOYANG, ["洛阳市商务局", "洛阳市数据局"]),
])
def test_abbreviations_inherit_the_first_prefix(text: str, names: dict[str, str], expected: list[str]) -> None:
    assert [name for name, _ in parse_unit_list(text, names)] == expected


@pytest.mark.parametrize(("area", "text", "expected"), [
    ("西咸新区", "责任单位:区数据局、科技局", ["西咸新区数据局", "西咸新区科技局"]),
    ("两江新区", "（责任单位：区经济运行局、财政局）", ["两江新区经济运行局", "两江新区财政局"]),
])
def test_a_new_area_is_the_district_level(area: str, text: str, expected: list[str]) -> None:
    """区科技局 in a 新区's policy is that 新区's bureau, not one shared by every 新区."""
    names = level_names([area])
    assert names["区"] == area
    assert parse_unit_list(text, names) == [(name, "responsible") for name in expected]


@pytest.mark.parametrize("text", [
    "（责任单位：市科技局、数据局）",
    "(责任单位:市科技局、数据局)",
    "（责任单位:市科技局，数据局）",
    "【责任单位：市科技局、数据局】",
    "[责任单位:市科技局、数据局]",
    "〔责任单位：市科技局，数据局〕",
    "责任单位：市科技局、数据局",
])
def test_full_width_punctuation_and_parentheses(text: str) -> None:
    assert parse_unit_list(text, LUOYANG) == [("洛阳市科技局", "responsible"), ("洛阳市数据局", "responsible")]


@pytest.mark.parametrize(("text", "expected"), [
    ("推进算力普惠。【责任单位：市科技局、数据局】", ["洛阳市科技局", "洛阳市数据局"]),
    ("建设训练数据集〔牵头单位:市数据局;配合单位:各县(市、区)人民政府〕", ["洛阳市数据局"]),
])
def test_unit_blocks_in_any_bracket(text: str, expected: list[str]) -> None:
    ((start, end, body),) = unit_blocks(text)
    assert normalise(text)[end - 1] in "】〕"
    named = [n for n, role in parse_unit_list(body, LUOYANG) if role != "cooperating"]
    assert named == expected


def test_a_bracketed_title_is_no_unit_list() -> None:
    """【】 around a heading or a source note hold no role word: not a unit list."""
    assert unit_blocks("【政策解读】对企业给予最高50万元奖励。【来源：市科技局】") == []


def test_responsible_and_cooperating() -> None:
    units = parse_unit_list("责任单位:省发展改革委;配合单位:省财政厅、省商务厅、省国资委", SICHUAN)
    assert units == [("四川省发展改革委", "responsible"), ("四川省财政厅", "cooperating"),
                     ("四川省商务厅", "cooperating"), ("四川省国资委", "cooperating")]
    units = parse_unit_list("牵头单位：省科技厅；配合单位：省教育厅，各市（州）人民政府", SICHUAN)
    assert units[0] == ("四川省科技厅", "lead")
    assert units[-1] == ("各市(州)人民政府", "cooperating")


def test_collective_bodies_are_kept_as_written() -> None:
    """泛称照写 (the annotation guideline); the graph node is qualified (`node_name`)."""
    units = dict(parse_unit_list(
        "责任单位:市发改委、科技局、商务局,各县(市、区)人民政府、市各开发区管委会", LUOYANG))
    assert "各县(市、区)人民政府" in units          # the nested 、 does not split it
    assert "洛阳市各开发区管委会" in units
    assert "洛阳市商务局" in units
    assert parse_unit_list("责任单位:省数字经济发展工作专班;配合单位:有关市(州)人民政府", SICHUAN) == [
        ("四川省数字经济发展工作专班", "responsible"), ("有关市(州)人民政府", "cooperating")]


@pytest.mark.parametrize(("name", "names", "resolved"), [
    ("宜昌市大数据应用中心", {"市": "宜昌市", "省": "湖北省"}, "宜昌市大数据应用中心"),
    ("洛阳理工学院", LUOYANG, "洛阳理工学院"),
    ("省档案馆等", SICHUAN, "四川省档案馆"),
    ("市委人才办", LUOYANG, "洛阳市委人才办"),
    ("市委网信办", LUOYANG, "洛阳市委网信办"),
])
def test_names_with_a_place_are_kept(name: str, names: dict[str, str], resolved: str) -> None:
    assert resolve_unit(name, names) == resolved


def test_extract_departments_blocks_and_lead() -> None:
    text = ("3．推进算力普惠。建设全省算力调度平台。（责任单位：省大数据中心）省级给予奖补。"
            "（责任单位：省数字经济发展工作专班；配合单位：省发展改革委、省财政厅）")
    deps = extract_departments(clause(text, "一、3"), context(["四川省"], SICHUAN))
    assert [(d.name, d.role) for d in deps] == [
        ("四川省大数据中心", "responsible"), ("四川省数字经济发展工作专班", "responsible"),
        ("四川省发展改革委", "cooperating"), ("四川省财政厅", "cooperating")]
    first = deps[0].evidence
    assert first.quote == "（责任单位：省大数据中心）"
    assert first.start == 100 + text.index("（责任单位：省大数据中心）")
    assert first.clause == "一、3"


@pytest.mark.parametrize(("text", "expected"), [
    ("本方案由市工业和信息化局牵头组织实施,各县区、各部门协同推进。", [("洛阳市工业和信息化局", "lead")]),
    ("本措施由市科技局牵头实施，市直各部门按职责分工落实。", [("洛阳市科技局", "lead")]),
])
def test_lead_unit(text: str, expected: list[tuple[str, str]]) -> None:
    deps = extract_departments(clause(text, "附则"), context(["洛阳市"], LUOYANG))
    assert [(d.name, d.role) for d in deps] == expected


def test_implementing_units() -> None:
    text = "（二）本措施由宜昌市数据局、宜昌市财政局负责组织实施，并受理申报。"
    deps = extract_departments(clause(text, "八、(一)"), context(["宜昌市"], {"市": "宜昌市"}))
    assert [(d.name, d.role) for d in deps] == [
        ("宜昌市数据局", "responsible"), ("宜昌市财政局", "responsible")]
