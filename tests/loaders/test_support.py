"""Issue 12 on strings of many shapes: tiers, schedules, combined ceilings, thresholds, unit
prices, kinds, who pays and receives, unquantified support, categories from the vocabulary,
targets that are never offers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from clause_helpers import clause, context

from policykg.loaders import categories, support
from policykg.loaders.facts import CATEGORIES, Evidence, Target
from policykg.loaders.instruments import extract_instruments
from policykg.loaders.targets import dedupe_targets, extract_targets


def one(text: str, **kw):
    found = extract_instruments(clause(text, **kw), context())
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "rates"), [
    ("对购买算力服务的企业,按40%或25%分档补贴,每家最高500万元。", ["0.4", "0.25"]),
    ("对数据标注企业按合同额的30%或者20%给予补助。", ["0.3", "0.2"]),
    ("给予不超过费用15%/10%的补贴。", ["0.15", "0.1"]),
    ("按研发投入的25%或40%给予资助。", ["0.25", "0.4"]),
])
def test_alternative_tiers_are_one_instrument(text: str, rates: list[str]) -> None:
    inst = one(text)
    assert [o.rate for o in inst.rate_options] == [Decimal(r) for r in rates]   # in the text's order
    assert inst.rate == max(Decimal(r) for r in rates) and inst.rate_schedule == []   # the highest tier
    assert inst.rate_base is None or "研发投入" in inst.rate_base or "合同额" in inst.rate_base or "费用" in inst.rate_base


@pytest.mark.parametrize(("text", "steps"), [
    ("对初创企业租用办公用房的,第一年给予60%、第二年45%、第三年30%的租金补贴。", [(1, "0.6"), (2, "0.45"), (3, "0.3")]),
    ("首年按50%补贴,次年按30%补贴。", [(1, "0.5"), (2, "0.3")]),
    ("第1年补贴80%,第2年补贴40%", [(1, "0.8"), (2, "0.4")]),
])
def test_year_schedules_are_one_instrument(text: str, steps: list[tuple[int, str]]) -> None:
    inst = one(text)
    assert [(s.year, s.rate) for s in inst.rate_schedule] == [(y, Decimal(r)) for y, r in steps]
    assert inst.rate_options == []


def test_rent_schedule_kind() -> None:
    assert one("对企业租用办公用房的,第一年给予60%、第二年30%的租金补贴。").kind == "rent_subsidy"


def test_combined_ceiling_is_not_another_grant() -> None:
    inst = one("对同时享受省级补贴的项目,叠加后补贴比例最高至70%。")
    assert (inst.kind, inst.rate, inst.rate_is_max, inst.rate_base) == ("combined_ceiling", Decimal("0.7"), True, "补贴比例")


def test_threshold_is_a_condition_not_an_offer() -> None:
    inst = one("对营业收入20万元(含)至50万元(不含)的企业,给予5万元一次性奖励。")
    assert (inst.min_cny, inst.max_cny, inst.period) == (50_000, 50_000, "one_time")
    (t,) = inst.thresholds
    assert (t.quantity, t.min, t.min_inclusive, t.max, t.max_inclusive, t.unit) == (
        "营业收入", 200_000, True, 500_000, False, "CNY")
    inst = one("对年营收超过1亿元的企业,最高奖励100万元。")
    assert inst.max_cny == 1_000_000
    assert [(t.min, t.min_inclusive) for t in inst.thresholds] == [(100_000_000, False)]
    inst = one("对研发投入占比达到5%以上的企业给予最高50万元奖励。")
    assert inst.rate is None and [(t.min, t.unit) for t in inst.thresholds] == [(Decimal("0.05"), "%")]


def test_unit_price_is_not_a_grant() -> None:
    inst = one("算力服务价格按每P每年600元计,对使用企业给予不超过费用30%的补助。")
    assert (inst.rate, inst.min_cny, inst.max_cny) == (Decimal("0.3"), None, None)
    assert extract_instruments(clause("租用价格为2元/卡时。"), context()) == []


@pytest.mark.parametrize(("text", "kind", "rate", "base"), [
    ("对获得国家立项的项目,按上级实际到账资金的20%给予配套,最高500万元。", "matching", "0.2", "上级实际到账资金"),
    ("对获得国家项目支持的,按国拨经费1:1给予配套。", "matching", "1", "国拨经费"),
    ("按国拨经费最高给予１∶１配套资助。", "matching", "1", "国拨经费"),
    ("对初创企业,补贴比例提高至50%。", "uplift", "0.5", "补贴比例"),
    ("对贷款企业给予贴息,贴息不超过2个百分点。", "interest_subsidy", "0.02", "贴息"),
])
def test_kinds_with_rates(text: str, kind: str, rate: str, base: str) -> None:
    inst = one(text)
    assert (inst.kind, inst.rate, inst.rate_base) == (kind, Decimal(rate), base)


@pytest.mark.parametrize(("text", "kind", "period", "scope"), [
    ("市本级每年发放总额不超过1亿元的算力券。", "voucher_pool", "yearly", "yearly_pool"),
    ("设立总规模不低于100亿元的人工智能产业基金。", "fund", None, "fund_size"),
    ("对银行发放的科技贷款损失给予最高1000万元风险补偿。", "risk_compensation", None, None),
    ("获得一、二、三等奖的团队分别给予最高50万元、30万元、10万元奖励。", "award_by_rank", None, "per_team"),
    ("每年安排资金不超过300万元,对综合排名前10的企业给予奖励。", "award_by_rank", "yearly", "yearly_pool"),
    ("每年安排资金不超过300万元,对交易额排名前列的企业给予奖励。", "grant", "yearly", "yearly_pool"),
])
def test_kinds_with_amounts(text: str, kind: str, period: str | None, scope: str | None) -> None:
    inst = one(text)
    assert (inst.kind, inst.period, inst.cap_scope) == (kind, period, scope)


@pytest.mark.parametrize(("text", "level"), [
    ("市本级给予最高100万元补助。", "city"),
    ("市、区两级给予最高200万元补助。", "city+district"),
    ("省市统筹给予高校院所最高300万元支持。", "province+city"),
    ("省级按照市级补助额度的1/3给予奖补。", "province"),
    ("对企业给予最高100万元补助。", None),
])
def test_who_pays(text: str, level: str | None) -> None:
    assert one(text).funder_level == level


@pytest.mark.parametrize(("text", "who"), [
    ("对首次认定的企业给予一次性奖励50万元。", "enterprise"),
    ("对新引进的博士给予一次性生活补贴10万元。", "individual"),
    ("对创业团队给予最高200万元资助。", "team"),
    ("对高校院所给予最高300万元支持。", "institution"),
    ("对新认定的孵化器给予一次性奖励100万元。", "organisation"),
    ("给予每人每月2500元见习补贴。", "individual"),
    ("对带动作用突出的项目给予最高1000万元支持。", None),
])
def test_who_receives(text: str, who: str | None) -> None:
    assert one(text).recipient == who


@pytest.mark.parametrize(("text", "years"), [
    ("连续3年给予每年最高50万元补贴。", 3),
    ("三年内给予每家最高100万元奖励。", 3),
    ("最长2年给予每月2000元补贴。", 2),
    ("到2027年前给予最高100万元补贴。", None),
])
def test_period_years(text: str, years: int | None) -> None:
    assert support.period_years(text) == years


def test_support_without_a_figure_names_each_tool() -> None:
    found = extract_instruments(clause("向企业发放训力券、模型券和语料券。"), context())
    assert [(i.kind, i.category, i.quantified) for i in found] == [
        ("voucher", "compute_voucher", False), ("voucher", "model_rnd", False), ("voucher", "dataset", False)]
    found = extract_instruments(clause("引导区县通过贷款贴息、风险补偿等方式缓解融资难题。"), context())
    assert [i.kind for i in found] == ["interest_subsidy", "risk_compensation"]
    (fund,) = extract_instruments(clause("发挥市级产业引导基金作用,支持人工智能企业发展。"), context())
    assert (fund.kind, fund.category, fund.quantified) == ("fund", "fund", False)


@pytest.mark.parametrize("text", [
    "鼓励各市设立算力券。",                                  # asks lower governments
    "鼓励金融机构加大信贷支持力度。",                         # banks' own products
    "撬动社会资本设立产业基金。",                             # market money
    "对留学回国人员创办的企业给予以下支持：",                  # a lead-in to figures that follow
    "《算力券管理办法》另行出台。",                            # a document, not an offer
    "同一项目同时符合其他扶持政策的,按照就高不重复的原则给予支持。",  # a stacking rule
])
def test_text_that_names_no_offer(text: str) -> None:
    assert extract_instruments(clause(text), context()) == []


@pytest.mark.parametrize(("text", "category"), [
    ("对举办人工智能赛事的机构,给予最高50万元补助。", "competition"),
    ("对新认定的孵化器,给予一次性奖励100万元。", "platform"),
    ("对企业使用训力券的费用给予最高100万元补助。", "compute_voucher"),
    ("发放模型券,每家最高20万元。", "model_rnd"),
    ("发放语料券,每家最高10万元。", "dataset"),
    ("对开展标准化试点的企业给予最高20万元奖励。", "other"),   # 标准化 is not 标准
])
def test_categories_from_the_vocabulary(text: str, category: str) -> None:
    assert one(text).category == category


def test_offer_words_outweigh_heading_words() -> None:
    assert one("对通过算法备案的大模型给予最高100万元奖励。", heading="支持大模型研发训练").category == "model_filing"
    assert one("对优质项目给予最高100万元支持。", heading="支持应用场景建设").category == "application_scenario"


def test_vocabulary_is_data() -> None:
    vocab = categories.vocabulary()
    assert {"训力券", "模型券", "语料券", "赛事", "孵化器"} <= set(vocab)
    assert all(c in CATEGORIES and w in (1, 3) for senses in vocab.values() for c, w in senses)


def test_targets_are_never_instruments_and_instruments_never_targets() -> None:
    text = "到2027年,全市人工智能产业规模超1000亿元,培育企业100家。"
    assert extract_instruments(clause(text), context()) == []
    assert {t.name for t in extract_targets(clause(text), context())} == {"人工智能产业规模", "企业"}
    offer = "到2027年,对新建智算中心给予最高1000万元补助。"
    assert extract_targets(clause(offer), context()) == []
    assert one(offer).max_cny == 10_000_000


def test_duplicated_targets_are_one() -> None:
    ev = Evidence("t.txt", "智算规模500P", 0, 1, "一")
    row = Evidence("t.txt", "智算规模(PFLOPS)\t500\t市科技局", 5, 9, "附件")
    body = Target("智算规模", Decimal(500), "PFLOPS", 2027, ev, ["南通市数据局"])
    table = Target("智算规模", Decimal(500), "PFLOPS", 2027, row, ["南通市科技局"])
    other = Target("智算规模", Decimal(600), "PFLOPS", 2027, ev, [])
    kept = dedupe_targets([body, table, other])
    assert [t.value for t in kept] == [500, 600]
    assert kept[0].evidence is row and kept[0].departments == ["南通市科技局", "南通市数据局"]


def test_a_fund_stated_twice_is_one() -> None:
    from policykg.loaders.instruments import dedupe
    text = "组建总规模为15亿元的数字经济天使基金。"
    a = one(text, number="七")
    b = one(text, number="八")
    assert len(dedupe([a, b])) == 1
    grant = one("对企业给予最高100万元补助。")
    assert len(dedupe([grant, one("对企业给予最高100万元补助。")])) == 2   # two grants may be equal


def test_a_described_zone_policy_tops_up_the_city(extracted) -> None:
    """The news report's zone policy raises the city's offers (加码): its instruments are top-ups."""
    zone = [d for result in extracted.values() for d in result.documents if not d.loaded]
    raised = [i for d in zone for i in d.instruments if i.tops_up]
    assert raised and all(i.kind == "top_up" for i in raised)


@pytest.mark.parametrize(("text", "quantity", "low", "high", "unit"), [
    ("对连续就业1年以上的港澳青年,给予每人每月1500元补贴。", "连续就业", 1, None, "年"),
    ("对新增算力规模400P以上的项目,给予最高1000万元补助。", "新增算力规模", 400, None, "P"),
    ("对员工50人以下的小微企业,给予最高20万元奖励。", "员工", None, 50, "人"),
    ("对实际运营满三年以上的孵化器,给予一次性奖励30万元。", "实际运营", 3, None, "年"),
    ("对研发人员不少于10人的企业,给予最高50万元补助。", "研发人员", 10, None, "人"),
])
def test_counted_thresholds(text: str, quantity: str, low, high, unit: str) -> None:
    (t,) = one(text).thresholds
    assert (t.quantity, t.min, t.max, t.unit) == (quantity, low, high, unit)


def test_exclusive_counted_bound_and_counts_that_are_no_condition() -> None:
    (t,) = one("对团队成员超过5人的项目,给予最高30万元资助。").thresholds
    assert (t.min, t.min_inclusive, t.unit) == (5, False, "人")
    assert one("每年培育10家企业,给予每家最高50万元奖励。").thresholds == []


def test_a_condition_binds_the_offers_after_it() -> None:
    pool, offer = extract_instruments(clause(
        "每年安排500万元,对年交易额超过1000万元的企业,按交易额的1%给予补贴,每家最高50万元。"), context())
    assert pool.thresholds == [] and [t.min for t in offer.thresholds] == [10_000_000]


@pytest.mark.parametrize(("text", "person", "firm"), [
    ("对取得高级职业资格证书的技能人才给予奖励,单人最高10万元,每家企业累计不超过30万元。", 100_000, "30万元"),
    ("对新引进的青年人才给予奖励，每人最高５万元，同一企业每年最高２０万元。", 50_000, "20万元"),
    ("对新引进的青年人才给予奖励，每人最高５万元；同一企业每年最高２０万元。", 50_000, "20万元"),
    ("对考取高级技师证书的技能人才给予一次性奖励,每人最高3万元;每家企业累计不超过15万元。", 30_000, "15万元"),
    ("对来本市实习的研究生给予补贴,单人最高1万元。单个单位每年最高10万元。", 10_000, "10万元"),
    ("对获评首席技师的人才给予资助,单人最高8万元,单个单位最高不超过40万元", 80_000, "40万元"),
])
def test_a_firm_cap_on_a_personal_award_is_no_second_offer(text: str, person: int, firm: str) -> None:
    inst = one(text)
    assert (inst.max_cny, inst.cap_scope, inst.recipient) == (person, "per_person", "individual")
    assert any(firm in c for c in inst.conditions)


def test_a_firm_award_after_a_semicolon_is_a_second_offer() -> None:
    """A sentence after ； that names its own recipient or grant verb is an offer, not a cap."""
    person, firm = extract_instruments(clause(
        "对新引进的青年人才给予奖励，每人最高５万元；对新落户企业给予最高２０万元奖励。"), context())
    assert (person.max_cny, person.cap_scope, person.conditions) == (50_000, "per_person", [])
    assert (firm.max_cny, firm.recipient) == (200_000, "enterprise")


def test_a_pdf_line_break_inside_a_sentence_does_not_cut_it() -> None:
    inst = one("对购买算力服务的企业,按实际费用的30%给予\n补贴,每家最高\n200万元。")
    assert (inst.rate, inst.max_cny) == (Decimal("0.3"), 2_000_000)
    a, b = extract_instruments(clause("对企业给予最高100万元补助\n2.对团队给予最高50万元补助。"), context())
    assert (a.max_cny, b.max_cny) == (1_000_000, 500_000)      # a new item starts a new sentence
