"""Instrument extraction on single clauses: made-up sentences of the genre, in several shapes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from clause_helpers import clause, context

from policykg.loaders.instruments import classify, extract_instruments, offers

LUOYANG = {"市": "洛阳市", "省": "河南省"}
HENAN = {"省": "河南省"}


def one(text: str, ctx=None, **kw):
    found = extract_instruments(clause(text, **kw), ctx or context())
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "heading", "rate", "base", "cap", "beneficiary", "departments"), [
    ("2. 扩大算力供给。对通过平台租用智能算力的中小企业,发放“算力券”,给予不超过实际支付算力租赁费用"
     "30%的补助,每年每家企业最高不超过150万元。(责任单位:市科技局、数据局)",
     "扩大算力供给", "0.3", "实际支付算力租赁费用", 1_500_000, "通过平台租用智能算力的中小企业",
     ["洛阳市科技局", "洛阳市数据局"]),
    ("（三）降低用算成本。对在本市智算中心租用算力的企业，按照实际支付算力费用的２０％给予补助，"
     "每年每家企业最高不超过２００万元。（责任单位：市工业和信息化局、市数据局）",
     "降低用算成本", "0.2", "实际支付算力费用", 2_000_000, "在本市智算中心租用算力的企业",
     ["洛阳市工业和信息化局", "洛阳市数据局"]),
    ("3、支持算力调度。对使用算力调度平台的企业,以算力券形式按照实际支付算力费用的25%给予补助,"
     "每年每家企业最高 80 万元。(牵头单位:市数据局;责任单位:市财政局)",
     None, "0.25", "实际支付算力费用", 800_000, "使用算力调度平台的企业",
     ["洛阳市数据局", "洛阳市财政局"]),
])
def test_rate_and_cap_in_one_sentence_are_one_offer(
        text: str, heading: str | None, rate: str, base: str, cap: int, beneficiary: str,
        departments: list[str]) -> None:
    inst = one(text, context(["洛阳市"], LUOYANG), heading=heading)
    assert inst.category == "compute_voucher"
    assert (inst.rate, inst.rate_kind, inst.rate_base) == (Decimal(rate), "share", base)
    assert (inst.min_cny, inst.max_cny, inst.period, inst.cap_scope) == (None, cap, "yearly", "per_recipient")
    assert inst.departments == departments
    assert inst.beneficiary == beneficiary
    assert inst.evidence.quote.startswith("对") and inst.evidence.quote.rstrip("。").endswith("万元")
    assert inst.evidence.clause == "三、1"


@pytest.mark.parametrize(("text", "expected"), [
    ("9. 引育高端人才。对入选市级创业计划的人才,给予个人50~300万元、团队100~800万元项目资助;"
     "对园区企业新引进的青年人才,给予本科1500元/月、硕士2500元/月租房补贴。",
     [("talent", 500_000, 3_000_000, None, "per_person"),
      ("talent", 1_000_000, 8_000_000, None, "per_team"),
      ("talent", 1500, 2500, "monthly", "per_person")]),
    ("（五）集聚创新人才。对评审入选的领军人才，给予个人１００～２００万元、团队３００～５００万元创业资助；"
     "对企业引进的博士后，给予硕士3000元／月、博士5000元／月生活补贴。",
     [("talent", 1_000_000, 2_000_000, None, "per_person"),
      ("talent", 3_000_000, 5_000_000, None, "per_team"),
      ("talent", 3000, 5000, "monthly", "per_person")]),
])
def test_several_offers_in_one_clause(text: str, expected: list[tuple]) -> None:
    found = extract_instruments(clause(text, heading="人才"), context())
    assert [(i.category, i.min_cny, i.max_cny, i.period, i.cap_scope) for i in found] == expected


@pytest.mark.parametrize(("text", "pool", "rate", "cap", "condition"), [
    ("四、活跃数据市场。支持企业通过数据交易场所采购数据用于模型训练,每年安排500万元,"
     "对年度交易额超过300万元的企业,按其年度数据交易金额的2%给予补贴,单个企业每年补助最高不超过80万元。",
     5_000_000, "0.02", 800_000, "年度交易额超过300万元"),
    ("（二）培育数据交易。每年安排1000万元，对年度数据交易额达到200万元的经营主体，"
     "按其年度数据交易额的３％给予补贴，单个企业每年补助最高不超过１２０万元。",
     10_000_000, "0.03", 1_200_000, "年度数据交易额达到200万元"),
])
def test_pool_and_per_recipient_offer_are_two_instruments(
        text: str, pool: int, rate: str, cap: int, condition: str) -> None:
    found_pool, offer = extract_instruments(clause(text, "六", "数据交易"), context())
    assert (found_pool.category, found_pool.cap_scope, found_pool.min_cny, found_pool.max_cny, found_pool.period) == (
        "data_trading", "yearly_pool", pool, pool, "yearly")
    assert (offer.rate, offer.max_cny, offer.cap_scope, offer.period) == (Decimal(rate), cap, "per_recipient", "yearly")
    assert offer.conditions == [condition]


@pytest.mark.parametrize(("text", "place", "names", "rate", "base", "department"), [
    ("对新增智能算力规模300P以上的建设项目,鼓励符合条件的县区通过贷款贴息等方式给予支持,"
     "市级按照县级实际补助额度的1/2给予符合条件的县区补助。对带动作用突出的重大项目,市县可采用“一事一议”方式支持。"
     "(责任单位:市算力设施建设工作专班;配合单位:市财政局)",
     "洛阳市", LUOYANG, "0.5", "县级实际补助额度", "洛阳市算力设施建设工作专班"),
    ("对新建智算中心算力规模达到500P的项目，鼓励符合条件的市通过贷款贴息方式给予支持，"
     "省级按照市级实际补助金额的三分之一给予符合条件的市补助；对带动性强的重大项目，可采用“一事一议”方式支持。"
     "（责任单位：省数字经济发展工作专班；配合单位：省财政厅）",
     "河南省", HENAN, "0.3333333333", "市级实际补助金额", "河南省数字经济发展工作专班"),
])
def test_matching_rate_and_funding_level_and_stacking(
        text: str, place: str, names: dict[str, str], rate: str, base: str, department: str) -> None:
    inst, case = extract_instruments(clause(text, "一、1", "推进算力设施建设"), context([place], names))
    assert (case.quantified, case.max_cny, case.rate, case.stacking_rules) == (False, None, None, ["case_by_case"])
    assert inst.quantified and inst.kind == "matching"
    assert inst.category == "compute_infrastructure"       # not finance: 贷款贴息 is how the lower level pays
    assert (inst.rate_kind, inst.rate_base) == ("matching", base)
    assert inst.rate == Decimal(rate)
    assert inst.funding_jurisdictions == [place]
    assert inst.stacking_rules == ["case_by_case"]
    assert inst.departments == [department]   # cooperating units excluded


@pytest.mark.parametrize(("text", "rate", "base"), [
    ("支持担保机构为人工智能企业提供增信服务,担保费率在原有费率的基础上降低30%。", "0.3", "原有费率"),
    ("鼓励融资担保机构给予科技型企业优先担保，担保费率在现行费率的基础上下浮２０％。", "0.2", "现行费率"),
    # no grant word: the cut in a charge the recipient pays is itself the support
    ("鼓励融资担保机构对科技型企业优先担保，担保费率在现行费率的基础上下浮２０％。", "0.2", "现行费率"),
    ("对首次获得担保的小微企业,担保费率降低50%。", "0.5", "担保费率"),
    ("对入驻园区的科技型中小企业，担保费在原有费率基础上下调３０％。", "0.3", "原有费率"),
    ("政策性融资担保机构为科技型企业办理贷款担保的,担保费在原标准基础上减半收取,年化费率下降１个百分点。",
     "0.01", "年化费率"),
])
def test_reduction_is_a_rate_only_instrument(text: str, rate: str, base: str) -> None:
    fee = one(text, heading="强化金融服务")
    assert (fee.category, fee.rate, fee.rate_kind, fee.rate_base, fee.max_cny, fee.cap_scope) == (
        "finance_guarantee", Decimal(rate), "reduction", base, None, None)


@pytest.mark.parametrize("text", [
    "推动园区企业综合融资成本降低20%。",      # a cost the market sets: an aim, not an offer
    "引导数据中心单位算力能耗下降１５％。",
    "推动中小企业数字化转型运营费用降低30%。",
])
def test_a_cut_in_a_cost_or_quantity_is_no_offer(text: str) -> None:
    assert extract_instruments(clause(text, heading="强化金融服务"), context()) == []


@pytest.mark.parametrize(("text", "rate", "beneficiary"), [
    ("对革命老区县符合条件的项目,奖补资金可上浮10%。", "0.1", "革命老区县符合条件的项目"),
    ("对边境地区申报的重点项目，奖补资金上浮１５％。", "0.15", "边境地区申报的重点项目"),
])
def test_uplift_is_a_rate_only_instrument(text: str, rate: str, beneficiary: str) -> None:
    up = one(text, number="附则")
    assert (up.rate, up.rate_kind, up.rate_base, up.beneficiary) == (Decimal(rate), "uplift", "奖补资金", beneficiary)


@pytest.mark.parametrize(("text", "rate", "cap", "data_cap"), [
    ("对经认定使用公共智算平台算力的园区企业,市、区两级给予不超过实际算力支出40%的补贴,"
     "最高可达300万元/年;对在人工智能领域开放高质量数据集的,市、区两级最高给予200万元。",
     "0.4", 3_000_000, 2_000_000),
    ("对使用公共算力服务平台的区内企业，市、区两级给予不超过实际使用算力费用６０％的补贴，"
     "最高可达５００万元／年；对提供高质量行业数据集的，市、区两级最高给予１５０万元。",
     "0.6", 5_000_000, 1_500_000),
])
def test_news_report_top_up_with_two_levels(text: str, rate: str, cap: int, data_cap: int) -> None:
    ctx = context(["洛阳高新区"], LUOYANG)
    compute, data = extract_instruments(clause(text, "p7"), ctx)
    assert (compute.category, compute.rate, compute.max_cny, compute.period, compute.cap_scope) == (
        "compute_voucher", Decimal(rate), cap, "yearly", None)   # the text names no unit
    assert (compute.funder_level, compute.rate_is_max) == ("city+district", True)
    assert compute.funding_jurisdictions == ["洛阳市", "洛阳高新区"]
    assert (data.category, data.max_cny) == ("dataset", data_cap)


@pytest.mark.parametrize(("text", "size"), [
    ("设立总规模不低于50亿元的市人工智能产业母基金,以参股方式支持区县设立子基金。", 5_000_000_000),
    ("组建首期规模不低于三十亿元的天使投资基金，通过参股方式引导社会资本设立子基金。", 3_000_000_000),
])
def test_fund_size_and_floor(text: str, size: int) -> None:
    fund = one(text)
    assert (fund.category, fund.cap_scope, fund.min_cny, fund.max_cny) == ("fund", "fund_size", size, None)


def test_tiers_by_class_are_one_instrument() -> None:
    text = "对牵头制定国家标准、行业标准的单位,每项标准分别给予一次性最高奖励80万元、40万元。"
    (a,) = extract_instruments(clause(text, heading="推进标准化工作"), context())
    assert (a.category, a.min_cny, a.max_cny, a.period, a.cap_scope) == ("standard", None, 800_000, "one_time", "per_item")
    (b,) = extract_instruments(clause("对新落户的博士、硕士、学士分别给予8万元、4万元和2万元一次性安家补贴。"), context())
    assert (b.min_cny, b.max_cny, b.period, b.recipient, b.cap_scope) == (20_000, 80_000, "one_time", "individual", "per_person")
    (c,) = extract_instruments(clause("获得金奖、银奖、铜奖的团队分别给予最高30万元、20万元、5万元奖励。"), context())
    assert (c.kind, c.min_cny, c.max_cny, c.recipient) == ("award_by_rank", None, 300_000, "team")
    team, person = extract_instruments(clause("对新入选的顶尖团队、青年拔尖人才，分别给予最高５００万元、１００万元资助。"), context())
    assert (team.max_cny, team.recipient, person.max_cny, person.recipient) == (5_000_000, "team", 1_000_000, "individual")


@pytest.mark.parametrize("text", [
    "对提供数据清洗等服务的机构,鼓励各区按企业当年服务收入的一定比例给予补贴。",
    "重大项目可按照“一事一议”方式予以支持。",
    "对带动效应显著的项目，实行“一事一议”。",
    "对举办赛事的机构给予一定奖励。",
    "对企业采购模型服务的费用,按比例给予补贴。",
    "对符合条件的孵化器给予适当补助。",
])
def test_support_without_figures_is_kept_unquantified(text: str) -> None:
    (inst,) = extract_instruments(clause(text), context())
    assert not inst.quantified and (inst.rate, inst.min_cny, inst.max_cny) == (None, None, None)


@pytest.mark.parametrize("text", [
    "对数字企业占比超过70%的园区,同等条件下优先推荐申报示范基地。",
    "开辟人工智能人才职称评审绿色通道，常态化开展认定。",
    "预留新建算力的15%用于引进本地模型企业。",
    "到2028年，全市算力规模达到800P，培育标杆企业20家。",
])
def test_text_without_support_or_figures_is_no_instrument(text: str) -> None:
    assert extract_instruments(clause(text), context()) == []


def test_unseen_policies_of_the_same_genre() -> None:
    gift = one("对新认定的省级技术创新示范企业,给予一次性奖励50万元。")
    assert (gift.category, gift.min_cny, gift.max_cny, gift.period, gift.cap_scope) == (
        "other", 500_000, 500_000, "one_time", None)   # 的企业 alone states no cap scope
    rent = one("对租用本市智算中心算力的企业,按照实际租用费用的30%给予补贴,每家企业每年最高500万元。")
    assert (rent.category, rent.rate_base, rent.max_cny, rent.cap_scope) == (
        "compute_voucher", "实际租用费用", 5_000_000, "per_recipient")
    corpus = one("对开放高质量行业语料的企业,按语料交易额的20%给予奖励,单个企业最高100万元。")
    assert (corpus.category, corpus.rate, corpus.max_cny) == ("dataset", Decimal("0.2"), 1_000_000)
    filing = one("对首次完成国家生成式人工智能服务备案的本地企业，给予一次性奖励一百万元。")
    assert (filing.category, filing.min_cny, filing.period) == ("model_filing", 1_000_000, "one_time")
    loan = one("对获得银行贷款的人工智能企业,按贷款利息的50%给予贴息,每家企业每年最高50万元。")
    assert (loan.category, loan.rate_base, loan.max_cny) == ("finance_guarantee", "贷款利息", 500_000)


@pytest.mark.parametrize(("text", "heading", "category"), [
    ("通过省级数据交易平台开放行业高质量数据集", None, "dataset"),
    ("对年内完成生成式人工智能服务备案的本地企业", "推动大模型研发", "model_filing"),
    # 对<act>的<recipient>: the act is what is funded, the recipient (大模型) only who receives it
    ("对完成深度合成服务算法备案的行业大模型", "推动大模型研发", "model_filing"),
    ("对通过服务备案的垂直领域模型,给予一次性奖励20万元", "支持模型研发", "model_filing"),
    ("对入选省级典型案例的行业大模型，给予最高５０万元奖励", "推动大模型研发", "application_scenario"),
    ("对符合条件的行业大模型，给予最高５０万元奖励", "推动大模型研发", "model_rnd"),   # the act names nothing
    ("对开展垂直领域模型研发的企业给予奖励", None, "model_rnd"),
    ("引导银行、担保机构开展投贷联动,担保费率降低40%", None, "finance_guarantee"),
    ("组建规模不低于30亿元的天使基金，支持区县设立子基金", None, "fund"),
    ("市级按照区级实际补助金额的40%给予奖补,用于算力设施建设和引进龙头企业", None, "other"),
    ("对获奖项目优先给予赛事奖金等支持", None, "competition"),
    ("对优质项目给予支持", "开放应用场景", "application_scenario"),
])
def test_classify_order(text: str, heading: str | None, category: str) -> None:
    assert classify(text, heading) == category


@pytest.mark.parametrize(("paired", "separate"), [
    ("给予合同金额15%、最高80万元补助", "最高奖励60万元;按25%给予补助"),
    ("给予设备投资额１０％、最高２００万元奖励", "最高资助100万元；按照30%给予补贴"),
])
def test_offers_pairing(paired: str, separate: str) -> None:
    found = offers(paired)
    assert len(found) == 1 and found[0].rate is not None and found[0].money is not None
    assert len(offers(separate)) == 2
