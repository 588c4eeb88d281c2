"""Instrument extraction on single clauses, including sentences from policies not in the corpus."""

from __future__ import annotations

from decimal import Decimal

from clause_helpers import ANHUI, clause, context

from policykg.loaders.instruments import classify, extract_instruments, offers


def one(text: str, **kw):
    found = extract_instruments(clause(text, **kw), context())
    assert len(found) == 1, found
    return found[0]


def test_rate_and_cap_in_one_sentence_are_one_offer() -> None:
    inst = one("2. 促进算力资源应用。对通过平台使用智能算力的企业,以“算力券”方式给予不超过实际支付智能算力费用"
               "20%的补助,每年每家企业最高不超过200万元。(责任单位:市科技局、数据局)",
               heading="促进算力资源应用")
    assert inst.category == "compute_voucher"
    assert (inst.rate, inst.rate_kind, inst.rate_base) == (Decimal("0.2"), "share", "实际支付智能算力费用")
    assert (inst.min_cny, inst.max_cny, inst.period, inst.cap_scope) == (None, 2_000_000, "yearly", "per_recipient")
    assert inst.departments == ["南通市科技局", "南通市数据局"]
    assert inst.beneficiary == "通过平台使用智能算力的企业"
    assert inst.evidence.quote.startswith("对通过平台") and inst.evidence.quote.endswith("200万元。")
    assert inst.evidence.clause == "三、1"


def test_several_offers_in_one_clause() -> None:
    text = ("9. 提供高层次人才激励。对通过评审的创业人才,给予个人100~500万元、团队200~600万元创业启动资助;"
            "对市区企事业单位引进的创新型人才,给予硕士2000元/月、博士3000元/月生活津贴。")
    found = extract_instruments(clause(text, heading="提供高层次人才激励"), context())
    assert [(i.category, i.min_cny, i.max_cny, i.period, i.cap_scope) for i in found] == [
        ("talent", 1_000_000, 5_000_000, None, "per_person"),
        ("talent", 2_000_000, 6_000_000, None, "per_team"),
        ("talent", 2000, 3000, "monthly", "per_person"),   # tiers by class: one instrument
    ]


def test_pool_and_per_recipient_offer_are_two_instruments() -> None:
    text = ("六、支持数据流通。鼓励人工智能企业通过数据交易机构购买数据并用于大模型训练,每年安排300万元,"
            "对年度交易额超过500万元的市场主体,按其年度数据交易金额的1%给予补贴,单个企业每年补助最高不超过50万元。")
    pool, offer = extract_instruments(clause(text, "六", "支持数据流通"), context())
    assert (pool.category, pool.cap_scope, pool.min_cny, pool.max_cny, pool.period) == (
        "data_trading", "yearly_pool", 3_000_000, 3_000_000, "yearly")
    assert (offer.rate, offer.max_cny, offer.cap_scope, offer.period) == (Decimal("0.01"), 500_000, "per_recipient", "yearly")
    assert offer.conditions == ["年度交易额超过500万元"]


def test_matching_rate_and_funding_level_and_stacking() -> None:
    text = ("对新增智能算力规模400P以上的建设项目,鼓励符合条件的市通过贷款贴息等方式给予支持,"
            "省级按照市级实际补助额度的1/3给予符合条件的市补助。对特别重大的项目,省市可采用“一事一议”方式支持。"
            "(责任单位:省人工智能产业推进组工作专班;配合单位:省财政厅)")
    inst, case = extract_instruments(clause(text, "一、1", "加快智算中心建设"), context(["安徽省"], ANHUI))
    assert (case.quantified, case.max_cny, case.rate, case.stacking_rules) == (False, None, None, ["case_by_case"])
    assert inst.quantified and inst.kind == "matching"
    assert inst.category == "compute_infrastructure"       # not finance: 贷款贴息 is how the city pays
    assert (inst.rate_kind, inst.rate_base) == ("matching", "市级实际补助额度")
    assert inst.rate == Decimal("0.3333333333")
    assert inst.funding_jurisdictions == ["安徽省"]
    assert inst.stacking_rules == ["case_by_case"]
    assert inst.departments == ["安徽省人工智能产业推进组工作专班"]   # cooperating units excluded


def test_reduction_and_uplift_are_rate_only_instruments() -> None:
    fee = one("鼓励融资担保机构对相关项目给予优先支持,担保费率在规定费率的基础上降低50%。", heading="加大金融支持力度")
    assert (fee.category, fee.rate_kind, fee.rate_base, fee.max_cny, fee.cap_scope) == (
        "finance_guarantee", "reduction", "规定费率", None, None)
    up = one("对皖北地区符合条件的项目,奖补资金可上浮20%。", number="附则")
    assert (up.rate_kind, up.rate_base, up.beneficiary) == ("uplift", "奖补资金", "皖北地区符合条件的项目")


def test_news_report_top_up_with_two_levels() -> None:
    text = ("对通过公共算力服务平台使用智算算力的区内企业,市、区两级给予不超过实际使用算力成本50%的补贴,"
            "最高可达400万元/年;对在通用人工智能领域提供高质量数据集的,市、区两级最高给予400万元。")
    ctx = context(["南通创新区"], {"市": "南通市", "省": "江苏省"})
    compute, data = extract_instruments(clause(text, "p7"), ctx)
    assert (compute.category, compute.rate, compute.max_cny, compute.period, compute.cap_scope) == (
        "compute_voucher", Decimal("0.5"), 4_000_000, "yearly", None)   # the text names no unit
    assert (compute.funder_level, compute.rate_is_max) == ("city+district", True)
    assert compute.funding_jurisdictions == ["南通市", "南通创新区"]
    assert (data.category, data.max_cny) == ("dataset", 4_000_000)


def test_fund_size_and_floor() -> None:
    fund = one("加快运营总规模不低于200亿元的省人工智能产业主题基金,以参股方式支持市县国资平台设立子基金。")
    assert (fund.category, fund.cap_scope, fund.min_cny, fund.max_cny) == ("fund", "fund_size", 20_000_000_000, None)


def test_tiers_by_class_are_one_instrument() -> None:
    text = "对主导制定国际、国家(行业)标准的企业,每个标准分别给予一次性最高奖补100万元、50万元。"
    (a,) = extract_instruments(clause(text, heading="支持标准化体系建设"), context())
    assert (a.category, a.min_cny, a.max_cny, a.period, a.cap_scope) == ("standard", None, 1_000_000, "one_time", "per_item")
    (b,) = extract_instruments(clause("对新引进的博士、硕士、本科生分别给予10万元、3万元和1万元一次性生活补贴。"), context())
    assert (b.min_cny, b.max_cny, b.period, b.recipient, b.cap_scope) == (10_000, 100_000, "one_time", "individual", "per_person")
    (c,) = extract_instruments(clause("获得一、二、三等奖的团队分别给予最高50万元、30万元、10万元奖励。"), context())
    assert (c.kind, c.min_cny, c.max_cny, c.recipient) == ("award_by_rank", None, 500_000, "team")
    team, person = extract_instruments(clause("对新获评的创新团队、领军人才,分别给予最高1000万元、300万元资助。"), context())
    assert (team.max_cny, team.recipient, person.max_cny, person.recipient) == (10_000_000, "team", 3_000_000, "individual")


def test_support_without_figures_is_kept_unquantified() -> None:
    for text in (
        "对提供数据标注等服务的供应商,鼓励各市按企业当年数据交易额的一定比例给予补贴。",
        "重大项目可按照“一事一议”方式予以支持。",
        "对举办赛事的机构给予一定奖励。",
        "对企业采购模型服务的费用,按比例给予补贴。",
        "对符合条件的孵化器给予适当补助。",
    ):
        (inst,) = extract_instruments(clause(text), context())
        assert not inst.quantified and (inst.rate, inst.min_cny, inst.max_cny) == (None, None, None), text


def test_text_without_support_or_figures_is_no_instrument() -> None:
    for text in (
        "对通用人工智能企业占比超过60%的产业园区,同等条件下优先授予示范园区称号。",
        "畅通高层次人才职称评审绿色通道,动态开展评审认定。",
        "预留规划建设算力的10%用于招引新兴国产算力企业在皖落地。",
    ):
        assert extract_instruments(clause(text), context()) == [], text


def test_unseen_policies_of_the_same_genre() -> None:
    gift = one("对首次认定的专精特新“小巨人”企业,给予一次性奖励50万元。")
    assert (gift.category, gift.min_cny, gift.max_cny, gift.period, gift.cap_scope) == (
        "other", 500_000, 500_000, "one_time", None)   # 的企业 alone states no cap scope
    rent = one("对租用本市智算中心算力的企业,按照实际租用费用的30%给予补贴,每家企业每年最高500万元。")
    assert (rent.category, rent.rate_base, rent.max_cny, rent.cap_scope) == (
        "compute_voucher", "实际租用费用", 5_000_000, "per_recipient")
    corpus = one("对开放高质量行业语料的企业,按语料交易额的20%给予奖励,单个企业最高100万元。")
    assert (corpus.category, corpus.rate, corpus.max_cny) == ("dataset", Decimal("0.2"), 1_000_000)
    filing = one("对首次通过国家生成式人工智能服务备案的企业,给予一次性奖励一百万元。")
    assert (filing.category, filing.min_cny, filing.period) == ("model_filing", 1_000_000, "one_time")
    loan = one("对获得银行贷款的人工智能企业,按贷款利息的50%给予贴息,每家企业每年最高50万元。")
    assert (loan.category, loan.rate_base, loan.max_cny) == ("finance_guarantee", "贷款利息", 500_000)


def test_classify_order() -> None:
    assert classify("通过贵州省数据流通交易平台提供高质量数据集") == "dataset"
    assert classify("对通过国家网信办境内深度合成服务算法备案的大模型", "支持人工智能大模型研发训练") == "model_filing"
    assert classify("鼓励基金、金融机构开展投贷联动,担保费率降低50%") == "finance_guarantee"
    assert classify("加快运营总规模不低于200亿元的主题基金,支持市县国资平台设立子基金") == "fund"
    assert classify("省级按照市级实际补助金额的30%给予奖补,用于智能算力建设和招引重点企业") == "other"
    assert classify("优先给予人才奖励、大赛奖金等支持") == "competition"
    assert classify("对优质项目给予支持", "支持应用场景建设") == "application_scenario"


def test_offers_pairing() -> None:
    found = offers("给予总投资额20%、最高100万元补助")
    assert len(found) == 1 and found[0].rate is not None and found[0].money is not None
    found = offers("最高奖补100万元;按20%给予补助")
    assert len(found) == 2
