"""The document layer on texts of every shape (issue 11): layout, metadata, places, relations,
stacking rules and identity. Strings are made up for each rule, in several shapes each."""

from __future__ import annotations

import pytest

from policykg.loaders import places
from policykg.loaders.extract import extract_text
from policykg.loaders.repair import repair
from policykg.loaders.to_rdf import doc_iri


def only(text: str, source: str = "t.txt"):
    result = extract_text(text, source)
    docs = [d for d in result.documents if d.loaded]
    assert len(docs) == 1, [d.title for d in docs]
    return docs[0]


# -- layout ---------------------------------------------------------------------------------

def test_headings_inside_running_text_are_found():
    text = ("丙市促进机器人产业发展的若干措施\n为促进发展，制定本措施。一、总体要求。坚持创新。二、支持措施。"
            "（一）研发支持。对企业给予最高50万元补助。（二）应用支持。1.首台套。给予奖励。2.示范项目。给予支持。"
            "三、附则。本措施自2025年1月1日起施行。")
    numbers = [c.number for root in only(text).clauses for c in root.walk()]
    assert {"一", "二", "二、(一)", "二、(二)", "二、(二)、1", "二、(二)、2", "三"} <= set(numbers)


def test_decimal_amounts_do_not_start_items():
    text = "丁县数据产业行动方案\n为发展数据产业，制定本方案。一、目标。到2026年规模达到1.5亿元。2.5倍增长。\n"
    numbers = [c.number for root in only(text).clauses for c in root.walk()]
    assert "一、1" not in numbers and "一、2" not in numbers


def test_pdf_hard_wraps_are_joined_but_titles_and_addressees_stay():
    width = "为推动制造业数字化转型智能化发展加快形成新质生产力制定本方案现"
    body = "\n".join([width[:28]] * 12)
    text = f"戊市人工智能赋能制造业实施方案\n有关单位：\n{body}\n一、目标\n"
    rt = repair(text)
    assert "有关单位：\n" in rt.text
    assert rt.text.count("\n") < text.count("\n") - 8
    # every kept character still points at itself in the file
    assert all(text[rt.starts[i]:rt.ends[i]] == ch for i, ch in enumerate(rt.text) if ch != "\n")


def test_html_main_text_keeps_offsets_into_the_page():
    page = ("<!DOCTYPE html><html><head><title>x</title><script>var a=1;</script></head><body>"
            "<div class='nav'><a href='/'>首页</a> | <a>政务公开</a></div>"
            "<div class='article'><h1>己市支持软件产业发展的若干措施</h1>"
            "<p>为支持软件产业发展，结合本市实际，制定本措施。</p>"
            "<p>一、对软件企业给予最高100万元奖励&nbsp;。</p>"
            "<p>二、本措施自2025年3月1日起施行，有效期三年。</p></div>"
            "<div class='footer'>网站地图 | 联系我们 主办：某某网站</div></body></html>")
    result = extract_text(page, "page.html")
    doc = [d for d in result.documents if d.loaded][0]
    assert doc.title == "己市支持软件产业发展的若干措施"
    assert doc.effective_from is not None and doc.effective_from.isoformat() == "2025-03-01"
    clause = next(c for root in doc.clauses for c in root.walk() if c.number == "一")
    k = clause.text.index("最高")
    assert page[clause.offsets[k]:clause.offsets[k] + 2] == "最高"
    assert "网站地图" not in "".join(c.text for root in doc.clauses for c in root.walk())


# -- metadata -------------------------------------------------------------------------------

@pytest.mark.parametrize(("head", "title"), [
    ("庚省关于促进低空经济发展\n\n的若干措施", "庚省关于促进低空经济发展的若干措施"),
    ("庚省促进低空经济发展行动方案\n（2025—2027年）", "庚省促进低空经济发展行动方案（2025—2027年）"),
    ("庚省促进低空经济\n发展行动计划（2025-2027年）", "庚省促进低空经济发展行动计划（2025-2027年）"),
])
def test_a_title_over_several_lines_is_one_title(head: str, title: str):
    doc = only(f"{head}\n为促进低空经济发展，制定本文件。\n一、支持措施。对企业给予支持。\n")
    assert doc.title == title


@pytest.mark.parametrize(("number", "normalised"), [
    ("辛科规〔2024〕3号", "辛科规〔2024〕3号"), ("辛科规[2024]3号", "辛科规〔2024〕3号"),
    ("辛科规【2024】3号", "辛科规〔2024〕3号"), ("辛科规〔2024〕 3 号", "辛科规〔2024〕3号"),
    ("辛科规〔2024〕3號", "辛科规〔2024〕3号"), ("辛新区管规字〔2024〕12号", "辛新区管规字〔2024〕12号"),
])
def test_doc_numbers_in_every_form(number: str, normalised: str):
    text = (f"关于印发《壬市促进算力发展的若干措施》的通知\n{number}\n各区人民政府：\n现将《壬市促进算力发展的若干措施》"
            "印发给你们，请认真贯彻执行。\n壬市科学技术局\n2024年5月6日\n壬市促进算力发展的若干措施\n"
            "为促进算力发展，制定本措施。\n一、对企业给予最高10万元补助。\n")
    doc = only(text)
    assert doc.doc_number == normalised
    assert doc.notice_title == "关于印发《壬市促进算力发展的若干措施》的通知"
    assert doc.issuers == ["壬市科学技术局"] and doc.issued.isoformat() == "2024-05-06"


def test_red_header_and_notice_title_name_joint_issuers_and_start_no_document():
    text = ("癸 市 科 学 技 术 局\n癸市财政局\n文件\n癸科发〔2025〕8号\n癸市科学技术局 癸市财政局关于印发\n"
            "《癸市算力券管理办法》的通知\n各有关单位：\n现将《癸市算力券管理办法》印发给你们。\n癸市科学技术局 癸市财政局\n"
            "2025 年 6 月 1 日\n癸市算力券管理办法\n第一条 为规范算力券管理，制定本办法。\n第二条 本办法自印发之日起施行。\n")
    result = extract_text(text, "red.txt")
    docs = [d for d in result.documents if d.loaded]
    assert [d.title for d in docs] == ["癸市算力券管理办法"]
    doc = docs[0]
    assert doc.issuers == ["癸市科学技术局", "癸市财政局"]
    assert doc.notice_title == "关于印发《癸市算力券管理办法》的通知"
    assert doc.doc_number == "癸科发〔2025〕8号" and doc.issued.isoformat() == "2025-06-01"
    assert doc.effective_from == doc.issued


def test_source_lines_never_give_the_issuer_and_organ_codes_do_with_a_warning():
    text = ("来源：某某资讯网 2025-01-02\n浏览次数：1024\n深工信〔2025〕7号\n为发展终端产业，结合我市实际，制定本行动计划。\n"
            "一、发展目标。到2026年，深圳终端产业规模达到1000亿元。\n")
    doc = only(text)
    assert doc.title.startswith("未命名文件")  # no title line: never invented
    assert doc.doc_type == "action_plan"       # what the text calls itself
    assert doc.issuers == ["深圳市工业和信息化局"]
    assert any("inferred" in w for w in doc.warnings)
    assert "某某资讯网" not in doc.issuers


def test_silent_text_gets_warnings_not_guesses():
    doc = only("子省促进数据要素发展行动方案\n为促进数据要素发展，制定本方案。\n一、目标。\n二、任务。\n")
    assert doc.issuers == [] and doc.doc_number is None and doc.issued is None
    assert "issuer not found in the text" in doc.warnings


def test_draft_status():
    doc = only("丑市促进人工智能产业发展的若干措施（征求意见稿）\n为促进发展，制定本措施。\n一、支持研发。\n")
    assert doc.status == "draft"


# -- places ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "name", "level", "parent"), [
    ("上海市徐汇区关于促进人工智能发展的若干措施", "徐汇区", "county", "上海市"),
    ("南京市鼓楼区关于促进软件产业发展的若干措施", "南京市鼓楼区", "county", "南京市"),
    ("福州市鼓楼区数字经济行动方案", "福州市鼓楼区", "county", "福州市"),
    ("南京江北新区促进集成电路发展的若干政策", "南京江北新区", "new_area", "南京市"),
    ("无锡市促进机器人产业发展的若干措施", "无锡市", "prefecture", "江苏省"),
    ("重庆市人工智能行动计划", "重庆市", "province", "中国"),
    ("新疆维吾尔自治区数字经济行动方案", "新疆维吾尔自治区", "province", "中国"),
])
def test_every_place_gets_its_level_and_parent(title: str, name: str, level: str, parent: str):
    doc = only(f"{title}\n为促进发展，制定本文件。\n一、支持措施。\n")
    assert doc.jurisdictions == [name]
    assert doc.jurisdiction_levels[name] == level and doc.jurisdiction_parents[name] == parent


def test_a_firm_in_a_district_is_under_its_city_not_another():
    assert places.enclosing("徐汇区")[:3] == ["徐汇区", "上海市", "中国"]
    assert not places.is_within("徐汇区", "常州市")
    assert places.describe("天河区").code == "440106"


def test_a_zone_unknown_to_the_gazetteer_is_attached_to_its_city():
    zone = places.describe("某某高新区", ["苏州市", "某某高新区"])
    assert zone.level == "development_zone" and zone.within == "苏州市"


# -- relations and stacking rules -----------------------------------------------------------

def relations_of(sentence: str):
    doc = only(f"寅市促进人工智能发展的若干措施\n{sentence}\n一、支持研发。对企业给予最高10万元补助。\n")
    return {(r.type, r.target, r.target_doc_number, r.target_kind) for r in doc.relations}


def test_citation_runs_take_their_type_from_the_lead_words():
    rels = relations_of("根据《甲乙丙关于算力的意见》（国发〔2024〕9号）、《丁戊己关于数据的通知》（国办发〔2024〕3号）等文件精神，"
                        "为深入贯彻落实《寅省人工智能产业行动方案》，制定本措施。")
    assert ("based_on", "甲乙丙关于算力的意见", "国发〔2024〕9号", "document") in rels
    assert ("based_on", "丁戊己关于数据的通知", "国办发〔2024〕3号", "document") in rels
    assert ("supports", "寅省人工智能产业行动方案", None, "document") in rels
    rels = relations_of("依据《卯市算力发展规划》《卯市数据条例》有关规定，立足本地情况，制定本措施。")
    assert {r[0] for r in rels} == {"based_on"} and len(rels) == 2


def test_a_repeal_naming_several_documents_supersedes_each():
    rels = relations_of("本措施自2025年1月1日起施行，《寅市旧算力补贴办法》（寅科规〔2020〕1号）、"
                        "《寅市旧数据奖励办法》同时废止。")
    assert ("supersedes", "寅市旧算力补贴办法", "寅科规〔2020〕1号", "document") in rels
    assert ("supersedes", "寅市旧数据奖励办法", None, "document") in rels
    rels = relations_of("本措施施行后，寅政规〔2019〕5号文件不再执行。")
    assert ("supersedes", "寅政规〔2019〕5号", "寅政规〔2019〕5号", "document") in rels


def test_programmes_that_are_not_documents_are_topped_up():
    rels = relations_of("对获批国家级平台的，按照国拨经费给予1:1配套支持。")
    assert ("tops_up", "国拨经费", None, "programme") in rels
    rels = relations_of("对获得国家专项资金支持的项目，给予最高500万元支持。")
    assert any(r[0] == "tops_up" and r[3] == "programme" and "国家专项资金" in r[1] for r in rels)
    rels = relations_of("在国家智能券的基础上，再给予企业算力费用10%的补贴。")
    assert any(r[0] == "tops_up" and r[1] == "国家智能券" for r in rels)


@pytest.mark.parametrize(("sentence", "rules"), [
    ("与本级其他政策交叉的，按照“就高、不重复”的原则兑现。", {"highest_applies"}),
    ("同一项目按照从优、就高、不重复原则支持。", {"most_favourable"}),
    ("同一事项按就高不重复原则予以支持。", {"highest_applies"}),
    ("同一项目不得重复享受市级财政资金支持。", {"no_double_funding"}),
    ("已获市级其他政策支持的，不重复资金支持。", {"no_double_funding"}),
    ("申报单位须未获得其他同类财政资金支持。", {"eligibility_exclusion"}),
    ("同一合同只能申报一次。", {"one_claim"}),
    ("多种政策叠加效应明显，形成发展合力。", set()),
])
def test_stacking_rules_in_their_written_variants(sentence: str, rules: set[str]):
    doc = only(f"辰市促进算力发展的若干措施\n一、算力补贴。对企业给予最高10万元补助。{sentence}\n")
    assert {r for r, _ in doc.stacking_rules} == rules


# -- identity -------------------------------------------------------------------------------

PLAN = "关于促进人工智能产业发展的若干措施\n为促进发展，制定本措施。\n一、对企业给予最高10万元补助。\n"


def test_two_cities_same_titled_plans_are_two_policies_and_a_reprint_is_one():
    a = only(PLAN + "常州市科学技术局\n2024年1月2日\n", "a.txt")
    b = only(PLAN + "无锡市科学技术局\n2024年1月2日\n", "b.txt")
    assert a.title == b.title and a.jurisdictions != b.jurisdictions
    assert doc_iri(a) != doc_iri(b)
    reprint = only("来源：转载网站\n" + PLAN + "常州市科学技术局\n2024年1月2日\n", "c.txt")
    assert doc_iri(reprint) == doc_iri(a)


def test_short_and_full_department_names_are_one_node():
    from policykg.loaders.to_rdf import to_graph
    from policykg.ontology.vocab import PKG

    text = ("安徽省促进数据产业发展的若干措施\n为促进发展，制定本措施。\n一、对企业给予最高10万元补助。（责任单位：省科技厅）\n"
            "二、对平台给予最高20万元补助。（责任单位：安徽省科学技术厅）\n安徽省科学技术厅\n2024年3月1日\n")
    g = to_graph(extract_text(text, "ah.txt"))
    bodies = {o for o in g.objects(None, PKG.administeredBy)} | {o for o in g.objects(None, PKG.issuedBy)}
    assert len(bodies) == 1 and str(bodies.pop()).endswith("安徽省科学技术厅")

