"""Document-level facts and relations, on the corpus and on unseen texts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from loader_helpers import ANHUI, GUIYANG, NANTONG, NEWS, doc

from policykg.loaders.dates import add_years, find_validity, resolve
from policykg.loaders.document_facts import normalise_doc_number
from policykg.loaders.extract import extract_text

PLAN = "关于促进通用人工智能产业创新发展的行动方案"
GY = "贵阳贵安关于支持人工智能大模型发展的若干措施(试行)"
ZONE = "关于打造“紫琅三谷”、培育未来产业的若干政策意见"


def test_nantong_plan_takes_metadata_from_its_spliced_notice(extracted):
    plan = doc(extracted[NANTONG], PLAN)
    assert plan.doc_type == "action_plan" and plan.loaded
    assert plan.doc_number == "通政办规〔2024〕7号"
    assert plan.issuers == ["南通市人民政府办公室"]
    assert plan.jurisdictions == ["南通市"]
    assert (plan.issued, plan.effective_from, plan.effective_to) == (date(2024, 11, 28), date(2025, 2, 1), date(2027, 12, 31))
    assert [r for r, _ in plan.stacking_rules] == ["highest_applies"]
    assert [p for p, _ in plan.precedence] == ["later_prevails"]
    assert any("item 5 missing" in w for w in plan.warnings)
    assert any("truncated" in w for w in plan.warnings)


def test_guiyang_measures(extracted):
    result = extracted[GUIYANG]
    m = next(d for d in result.documents if d.title == GY)
    assert m.doc_type == "measures"
    assert m.issuers == ["贵阳市大数据发展管理局", "贵阳市财政局", "贵安新区大数据和科技创新局", "贵安新区财政和金融工作局"]
    assert m.jurisdictions == ["贵阳市", "贵安新区"]
    assert (m.issued, m.effective_from, m.effective_to) == (date(2024, 3, 25), date(2024, 3, 25), date(2027, 3, 24))
    assert {r for r, _ in m.stacking_rules} == {"most_favourable", "upgrade_difference", "case_by_case"}
    assert [p for p, _ in m.precedence] == ["this_prevails"]
    rels = {(r.type, r.target): r for r in m.relations}
    prevails = rels[("prevails_over", "贵阳贵安原有关文件")]
    assert prevails.scope == "conflicting_provisions" and "以本文件为准" in prevails.evidence.quote
    assert ("implemented_by", "贵阳贵安智算券管理办法(试行)") in rels
    assert ("implemented_by", GY + "实施细则") in rels
    aligned = "关于促进全国一体化算力网络国家(贵州)枢纽节点建设的若干激励政策"
    assert ("aligns_with", aligned) in rels and ("supports", aligned) in rels
    assert rels[("supports", aligned)].evidence.document.endswith("政策解读")


def test_guiyang_interpretation_is_its_own_document_without_instruments(extracted):
    interp = doc(extracted[GUIYANG], "政策解读")
    assert interp.doc_type == "interpretation"
    assert interp.instruments == [] and interp.targets == []
    assert [r.type for r in interp.relations] == ["cites"]


def test_anhui_documents(extracted):
    result = extracted[ANHUI]
    plan = doc(result, "三年行动计划")
    policies = doc(result, "若干政策")
    assert plan.doc_number == "皖科高〔2023〕9号" and policies.doc_number == "皖政秘〔2023〕218号"
    assert plan.jurisdictions == policies.jurisdictions == ["安徽省"]
    assert (policies.effective_from, policies.effective_to) == (None, date(2025, 12, 31))
    assert {r for r, _ in policies.stacking_rules} == {"case_by_case"}
    supports = [r for r in policies.relations if r.type == "supports"]
    assert [r.target for r in supports] == [plan.title]
    assert "出台" in supports[0].evidence.quote and supports[0].evidence.document == plan.title
    assert any(w.startswith("issuer not stated; inferred") for w in plan.warnings)


def test_news_report_describes_a_zone_policy_that_tops_up_the_city(extracted):
    result = extracted[NEWS]
    news = doc(result, "新闻报道")
    assert news.doc_type == "news_report" and news.jurisdictions == ["南通市"]
    assert news.instruments == []  # the report's own sentences repeat the plan
    zone = doc(result, ZONE)
    assert not zone.loaded and zone.described_in == news.title
    assert zone.jurisdictions == ["南通创新区"] and zone.doc_type == "policy_opinions"
    assert [(r.type, r.target) for r in zone.relations] == [("supports", PLAN)]
    assert zone.instruments and all(i.tops_up and i.tops_up.startswith(PLAN + "#") for i in zone.instruments)
    cited = {r.target for r in news.relations if r.type == "cites"}
    assert PLAN in cited and "行动方案" not in cited  # the 以下简称 alias is not a citation


@pytest.mark.parametrize(("text", "issued", "expected"), [
    ("本措施自印发之日起施行，有效期三年。", date(2025, 4, 10), (date(2025, 4, 10), date(2028, 4, 9))),
    ("自公布之日起实施,有效期5年", date(2026, 1, 1), (date(2026, 1, 1), date(2030, 12, 31))),
    ("本办法自颁布之日起生效；有效期 两 年", date(2023, 9, 30), (date(2023, 9, 30), date(2025, 9, 29))),
    ("本办法自2025年7月1日起施行，有效期两年。", None, (date(2025, 7, 1), date(2027, 6, 30))),
    ("自２０２６年３月１日起施行,有效期至２０２８年２月２９日", None, (date(2026, 3, 1), date(2028, 2, 29))),
    ("自2026/3/1起实施，有效期到2029/2/28", None, (date(2026, 3, 1), date(2029, 2, 28))),
    ("自二〇二五年一月一日起执行，有效期至二〇二七年十二月三十一日", None, (date(2025, 1, 1), date(2027, 12, 31))),
    ("有效期至2028年6月30日", None, (None, date(2028, 6, 30))),
    ("有效期暂定三年", date(2024, 5, 20), (None, None)),        # no start stated: no end either
])
def test_validity_rules(text: str, issued: date | None, expected: tuple) -> None:
    assert resolve(find_validity(text), issued) == expected


def test_add_years_on_a_leap_day():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


@pytest.mark.parametrize(("raw", "number"), [
    ("(洛政办规[2025]4号)", "洛政办规〔2025〕4号"),
    ("绵府发(2023)12号", "绵府发〔2023〕12号"),
    ("川经信〔2026〕 21号", "川经信〔2026〕21号"),
    ("宜府办发【2024】9号", "宜府办发〔2024〕9号"),
    ("（株政发﹝2025﹞3号）", "株政发〔2025〕3号"),
])
def test_doc_number_variants(raw: str, number: str):
    assert normalise_doc_number(raw) == number


HONGSHAN = """武汉市洪山区人民政府办公室关于印发《洪山区加快人工智能产业集聚发展的若干措施》的通知
（洪政办发﹝2025﹞6号）
各街道办事处,区政府各部门:
《洪山区加快人工智能产业集聚发展的若干措施》已经区人民政府同意,现印发给你们,请遵照执行。
武汉市洪山区人民政府办公室
2025年5月12日
洪山区加快人工智能产业集聚发展的若干措施
为推动人工智能企业在我区集聚,结合本区情况,制定本措施。
一、支持租用算力。对租用智能算力的企业,给予不超过租用费用25%的补贴,每年最高不超过80万元。(责任单位:区科经局)
二、支持语料建设。对行业语料库给予最高30万元奖励。(责任单位:区科经局、财政局)
3. 这一条编号错了。
三、其他
本措施自发布之日起施行,有效期两年。洪山区原有关政策与本措施不一致的,以本措施为准。同一事项符合多项支持的,按照从优不重复原则执行。
"""

@pytest.mark.parametrize(("wording", "group"), [
    ("洪山区此前出台的政策与本措施不一致的,以本措施为准", "洪山区此前出台的政策"),
    ("我区以往出台的扶持政策与本措施不一致的，以本措施为准", "我区以往出台的扶持政策"),
    ("现行相关规定与本措施不一致的,按照本措施执行", "现行相关规定"),
    ("区内原有关文件规定与本措施不一致的,以本措施为准", "区内原有关文件"),
])
def test_precedence_over_earlier_policies_in_other_words(wording: str, group: str):
    result = extract_text(HONGSHAN.replace("洪山区原有关政策与本措施不一致的,以本措施为准", wording), "hongshan.txt")
    [m] = [d for d in result.documents if d.loaded]
    assert [p for p, _ in m.precedence] == ["this_prevails"]
    assert [r.target for r in m.relations if r.type == "prevails_over"] == [group]


@pytest.mark.parametrize("wording", [
    "国家和省出台的政策与本措施不一致的，以国家和省的政策为准",    # the higher level prevails, not this one
    "申报材料与本措施要求不一致的,不予受理",
])
def test_no_precedence_of_this_document(wording: str):
    result = extract_text(HONGSHAN.replace("洪山区原有关政策与本措施不一致的,以本措施为准", wording), "hongshan.txt")
    [m] = [d for d in result.documents if d.loaded]
    assert "this_prevails" not in [p for p, _ in m.precedence]
    assert not [r for r in m.relations if r.type == "prevails_over"]


MIANYANG = """绵阳市关于推进人工智能产业发展的实施意见
为加快我市人工智能产业发展,制定本意见。
第一条 支持算力建设。对新建智算中心,按照设备投资的10%给予补助,最高1000万元。
第二条 支持模型研发。对通过备案的大模型,给予一次性奖励200万元。
第四条 本意见自2024年1月1日起施行,有效期至2026年12月31日。
绵阳市人民政府
2023年12月20日
"""


def test_unseen_district_policy():
    result = extract_text(HONGSHAN, "hongshan.txt")
    [m] = [d for d in result.documents if d.loaded]
    assert m.title == "洪山区加快人工智能产业集聚发展的若干措施"
    assert m.doc_number == "洪政办发〔2025〕6号"
    assert m.issuers == ["武汉市洪山区人民政府办公室"] and m.jurisdictions == ["洪山区"]
    assert (m.issued, m.effective_from, m.effective_to) == (date(2025, 5, 12), date(2025, 5, 12), date(2027, 5, 11))
    assert [r for r, _ in m.stacking_rules] == ["most_favourable"]
    assert [p for p, _ in m.precedence] == ["this_prevails"]
    assert ("prevails_over", "洪山区原有关政策") in {(r.type, r.target) for r in m.relations}
    assert m.instruments, "the clause-level parsers run on unseen text too"


def test_unseen_city_policy_with_articles():
    result = extract_text(MIANYANG.encode("gb18030"), "mianyang.txt")
    [m] = result.documents
    assert m.doc_type == "policy_opinions" and m.jurisdictions == ["绵阳市"] and m.issuers == ["绵阳市人民政府"]
    assert (m.issued, m.effective_from, m.effective_to) == (date(2023, 12, 20), date(2024, 1, 1), date(2026, 12, 31))
    numbers = [c.number for root in m.clauses for c in root.walk()]
    assert numbers[:4] == ["序言", "第一条", "第二条", "第四条"]
    assert any("第三条" in w or "article 3 missing" in w for w in m.warnings)


def test_a_traditional_text_is_read_like_a_simplified_one():
    """repair converts traditional characters (per character), so every rule runs on one script."""
    text = ("宜昌市關於支持人工智能產業發展的若干措施\n為加快人工智能產業發展，制定本措施。\n"
            "一、對租用智能算力的企業，按照實際支付費用的２０％給予補助，每家企業每年最高１００萬元。（責任單位：市數據局）\n"
            "二、本措施自2025年10月1日起施行，有效期兩年。\n")
    m = only_loaded(extract_text(text, "yichang.txt"))
    assert m.title == "宜昌市关于支持人工智能产业发展的若干措施"
    assert (m.effective_from, m.effective_to) == (date(2025, 10, 1), date(2027, 9, 30))
    (inst,) = [i for i in m.instruments if i.quantified]
    assert (inst.rate, inst.max_cny, inst.period, inst.cap_scope) == (Decimal("0.2"), 1_000_000, "yearly", "per_recipient")
    assert inst.departments == ["宜昌市数据局"]


def only_loaded(result):
    [m] = [d for d in result.documents if d.loaded]
    return m


@pytest.mark.parametrize(("signed", "issued"), [
    ("２０２６年３月１日", date(2026, 3, 1)),        # full-width digits, as typed in many notices
    ("2026年3月1日", date(2026, 3, 1)),
    ("２０２６年 ３月 １日", date(2026, 3, 1)),
    ("二〇二六年三月一日", date(2026, 3, 1)),
])
def test_issue_date_on_the_signature_line(signed: str, issued: date | None):
    text = ("衡阳市支持智能算力应用的若干措施\n为推动算力应用,制定本措施。\n"
            "一、对租用智能算力的企业,给予最高５０万元补贴。\n二、本措施自印发之日起施行,有效期两年。\n"
            f"衡阳市人民政府办公室\n{signed}\n")
    m = only_loaded(extract_text(text, "hengyang.txt"))
    assert m.issued == issued
    expected_end = date(2028, 2, 29) if issued else None
    assert (m.effective_from, m.effective_to) == (issued, expected_end)
