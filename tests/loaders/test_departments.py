"""Unit lists: prefix inheritance, roles, collective bodies, full/half-width punctuation."""

from __future__ import annotations

from clause_helpers import ANHUI, NANTONG, clause, context

from policykg.loaders.departments import extract_departments, parse_unit_list, resolve_unit
from policykg.loaders.places import level_names


def test_abbreviations_inherit_the_first_prefix() -> None:
    assert parse_unit_list("责任单位:市科技局、工信局、数据局", NANTONG) == [
        ("南通市科技局", "responsible"), ("南通市工信局", "responsible"), ("南通市数据局", "responsible")]


def test_a_new_area_is_the_district_level() -> None:
    """区科技局 in a 新区's policy is that 新区's bureau, not one shared by every 新区."""
    names = level_names(["贵安新区"])
    assert names["区"] == "贵安新区"
    assert parse_unit_list("责任单位:区数据局、科技局", names) == [
        ("贵安新区数据局", "responsible"), ("贵安新区科技局", "responsible")]


def test_full_width_punctuation_and_parentheses() -> None:
    assert parse_unit_list("（责任单位：市科技局、数据局）", NANTONG) == [
        ("南通市科技局", "responsible"), ("南通市数据局", "responsible")]


def test_responsible_and_cooperating() -> None:
    units = parse_unit_list("责任单位:省发展改革委;配合单位:省财政厅、省自然资源厅、省国资委", ANHUI)
    assert units == [("安徽省发展改革委", "responsible"), ("安徽省财政厅", "cooperating"),
                     ("安徽省自然资源厅", "cooperating"), ("安徽省国资委", "cooperating")]
    units = parse_unit_list("责任单位：省科技厅；配合单位：省财政厅，各市人民政府", ANHUI)
    assert units[-1] == ("安徽省各市人民政府", "cooperating")


def test_collective_bodies_are_kept_and_qualified() -> None:
    units = dict(parse_unit_list(
        "责任单位:市发改委、科技局、工信局、数据局,各县(市、区)人民政府、市各直属园区管委会", NANTONG))
    assert "南通市各县(市、区)人民政府" in units          # the nested 、 does not split it
    assert "南通市各直属园区管委会" in units
    assert "南通市工信局" in units
    assert parse_unit_list("责任单位:省人工智能产业推进组工作专班;配合单位:相关市人民政府", ANHUI) == [
        ("安徽省人工智能产业推进组工作专班", "responsible"), ("安徽省相关市人民政府", "cooperating")]


def test_names_with_a_place_are_kept() -> None:
    assert resolve_unit("贵阳市大数据发展管理局", {"市": "贵阳市", "省": "贵州省"}) == "贵阳市大数据发展管理局"
    assert resolve_unit("南通大学", NANTONG) == "南通大学"
    assert resolve_unit("省地方志研究院等", ANHUI) == "安徽省地方志研究院"
    assert resolve_unit("市委人才办", NANTONG) == "南通市委人才办"


def test_extract_departments_blocks_and_lead() -> None:
    text = ("2﹒降低算力使用成本。建设省级智能算力统筹调度平台。(责任单位:省数据资源局)省级给予补助。"
            "(责任单位:省人工智能产业推进组工作专班;配合单位:省发展改革委、省财政厅)")
    deps = extract_departments(clause(text, "一、2"), context(["安徽省"], ANHUI))
    assert [(d.name, d.role) for d in deps] == [
        ("安徽省数据资源局", "responsible"), ("安徽省人工智能产业推进组工作专班", "responsible"),
        ("安徽省发展改革委", "cooperating"), ("安徽省财政厅", "cooperating")]
    first = deps[0].evidence
    assert first.quote == "(责任单位:省数据资源局)"
    assert first.start == 100 + text.index("(责任单位:省数据资源局)")
    assert first.clause == "一、2"


def test_lead_and_implementing_units() -> None:
    deps = extract_departments(clause("本行动方案由市科技局牵头组织实施,各板块、部门协同推进。", "附则"), context())
    assert [(d.name, d.role) for d in deps] == [("南通市科技局", "lead")]
    text = "(一)本政策由贵阳市大数据发展管理局、贵阳市财政局负责组织实施申报及兑现工作。"
    deps = extract_departments(clause(text, "八、(一)"), context(["贵阳市", "贵安新区"], {"市": "贵阳市"}))
    assert [(d.name, d.role) for d in deps] == [
        ("贵阳市大数据发展管理局", "responsible"), ("贵阳市财政局", "responsible")]
