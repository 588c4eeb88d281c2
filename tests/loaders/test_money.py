"""Money, rate and ratio parsing on the tricky shapes policy texts use."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policykg.loaders.money import (
    RATE_PLACES,
    find_money,
    find_rates,
    find_ratios,
    normalise,
    parse_amount,
    parse_number,
    parse_rate,
)


@pytest.mark.parametrize(("text", "yuan"), [
    ("500万元", 5_000_000),
    ("20亿元", 2_000_000_000),
    ("200亿元", 20_000_000_000),
    ("2000元", 2000),
    ("1.5亿元", 150_000_000),
    ("0.5万元", 5000),
    ("三千万元", 30_000_000),
    ("两百万元", 2_000_000),
    ("五十万元", 500_000),
    ("５００万元", 5_000_000),          # full-width digits
    ("二十亿元", 2_000_000_000),
    ("三百萬元", 3_000_000),            # traditional magnitude
    ("1.2億元", 120_000_000),
    ("伍拾萬元", 500_000),              # capital numerals
    ("８０ 万元", 800_000),             # a space before the magnitude
])
def test_amounts_with_units(text: str, yuan: int) -> None:
    value = parse_amount(text)
    assert value == Decimal(yuan)
    assert isinstance(value, Decimal)


def test_numbers_never_float() -> None:
    assert parse_number("1.5") == Decimal("1.5")
    assert parse_number("一千零五十") == Decimal(1050)
    with pytest.raises(ValueError):
        parse_number("千万")


@pytest.mark.parametrize(("text", "low", "high"), [
    ("给予个人100~500万元", 1_000_000, 5_000_000),
    ("团队200～600万元", 2_000_000, 6_000_000),      # full-width tilde
    ("100-500万元", 1_000_000, 5_000_000),
    ("100万元-500万元", 1_000_000, 5_000_000),
    ("50至200万元", 500_000, 2_000_000),
    ("一百至五百万元", 1_000_000, 5_000_000),
])
def test_ranges(text: str, low: int, high: int) -> None:
    (m,) = find_money(text)
    assert (m.low, m.high) == (Decimal(low), Decimal(high))
    assert m.is_range and not m.cap


def test_per_month_and_per_year() -> None:
    a, b = find_money("给予硕士2000元/月、博士3000元/月生活津贴")
    assert (a.low, a.period, b.low, b.period) == (2000, "monthly", 3000, "monthly")
    (c,) = find_money("最高可达400万元/年")
    assert (c.high, c.period, c.cap) == (4_000_000, "yearly", True)
    (d,) = find_money("最高可达400万元／年")   # full-width slash
    assert d.period == "yearly"


@pytest.mark.parametrize("text", [
    "每个课题资助总额最高不超过800万元",
    "每所高校最高可给予150万元",
    "最高可达400万元",
    "最高不超过500万元",
    "每季度兑付不超过1200万元",
    "每条产线最高奖励２５０万元",            # full-width digits
    "单家机构最高 60 万元",                  # spaces inside
    "资助金额以3亿元为限",
    "补助500万元以内",
    "单个平台补助不高于四百万元",
    "给予一次性奖励，\n最多不超过90万元",     # line break inside
    "奖励封顶七千万元",
    "單個項目最高獎勵300萬元",                # traditional characters
])
def test_caps(text: str) -> None:
    (m,) = find_money(text)
    assert m.cap and not m.condition and not m.floor


@pytest.mark.parametrize("text", [
    "设立总规模不低于80亿元的市级创投引导基金",
    "募资规模不少于1.5亿元的子基金",
    "组建首期规模不低于３０亿元的天使基金",
])
def test_floors(text: str) -> None:
    (fund,) = find_money(text)
    assert fund.floor and not fund.cap and not fund.condition


@pytest.mark.parametrize("text", [
    "上年度营业收入超过800万元的软件企业",
    "年销售额达到2亿元的工业企业",
    "产业规模超1000亿元",
    "总投资1亿元以上的项目",
    "研发投入高于５００万元的主体",
    "对年度营收首次突破十亿元的企业",
])
def test_thresholds(text: str) -> None:
    (threshold,) = find_money(text)
    assert threshold.condition and not threshold.cap


@pytest.mark.parametrize(("text", "highs"), [
    ("每项分别给予一次性最高奖励80万元、30万元", (800_000, 300_000)),
    ("按A、B、C三档分别最高资助300万元、200万元、100万元", (3_000_000, 2_000_000, 1_000_000)),
    ("对一等奖、二等奖分别给予不超过５万元和２万元的奖励", (50_000, 20_000)),
    ("按首台、首套分别最高补助 200 万元、100 万元", (2_000_000, 1_000_000)),
])
def test_enumerated_amounts_inherit_the_cap(text: str, highs: tuple[int, ...]) -> None:
    found = find_money(text)
    assert tuple(m.high for m in found) == highs
    assert all(m.cap for m in found)


def test_an_amount_after_a_clause_comma_is_found() -> None:
    """A comma after 元 starts a new figure; only a digit's thousands comma does not."""
    assert [m.high for m in find_money("最高５万元，２万元")] == [50_000, 20_000]
    assert [m.high for m in find_money("最高1,000万元")] == [10_000_000]


@pytest.mark.parametrize("text", [
    "到2028年，新建智能算力800P以上，开放行业数据集30个以上",
    "力争2026年底前建成标杆工厂15家、培育链主企业5家",
    "到二〇三〇年，服务器装机量达到10万台",
    "数千万元",
    "上亿元规模",
])
def test_year_and_counts_are_not_money(text: str) -> None:
    assert find_money(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("20%", Decimal("0.2")),
    ("20％", Decimal("0.2")),
    ("1%", Decimal("0.01")),
    ("12.5%", Decimal("0.125")),
    ("1/3", Decimal("0.3333333333")),
    ("三分之一", Decimal("0.3333333333")),
    ("四分之一", Decimal("0.25")),
    ("百分之二十", Decimal("0.2")),
    ("5个百分点", Decimal("0.05")),
])
def test_rates(text: str, value: Decimal) -> None:
    assert parse_rate(text) == value


def test_non_terminating_fraction_is_quantised() -> None:
    third = parse_rate("1/3")
    assert third == (Decimal(1) / Decimal(3)).quantize(Decimal(1).scaleb(-RATE_PLACES))
    assert -third.as_tuple().exponent == RATE_PLACES


@pytest.mark.parametrize(("text", "kind", "base"), [
    # share of a cost the recipient paid: "按/按照 … 的 N%", "不超过 … N%", base before or after 给予
    ("给予不超过实际采购云服务费用30%的补贴", "share", "实际采购云服务费用"),
    ("按其设备购置费的15%给予一次性奖励", "share", "设备购置费"),
    ("按照其实际投入的２５％给予资金补助", "share", "实际投入"),
    ("按其改造投资额的８％给予补助", "share", "改造投资额"),
    ("按企业年度技术合同成交额的2%给予奖励", "share", "企业年度技术合同成交额"),
    ("给予不超过租金总额40%的补贴", "share", "租金总额"),
    ("按照不超过项目审计费用的25%予以资助", "share", "项目审计费用"),
    ("对入选项目给予合同金额15%、最高80万元补助", "share", "合同金额"),
    ("区、街两级给予不超过实际发生培训成本60%的补贴", "share", "实际发生培训成本"),
    ("依照首年保费的50%予以补贴", "share", "首年保费"),
    # matching: a share of what another level of government paid
    ("市级按照区级实际补助额度的1/2给予配套", "matching", "区级实际补助额度"),
    ("州财政按县级实际补助金额的40%、最高500万元再予支持", "matching", "县级实际补助金额"),
    ("按照国拨经费的三分之一给予配套支持", "matching", "国拨经费"),
    # reduction and uplift of an existing rate or sum
    ("贷款利率在基准利率的基础上下浮10%", "reduction", "基准利率"),
    ("对山区县申报的项目，奖补资金可上浮15%", "uplift", "奖补资金"),
    ("补贴比例提高5个百分点", "uplift", "补贴比例"),
    ("贴息比例再上调10个百分点", "uplift", "贴息比例"),
])
def test_rate_kind_and_base(text: str, kind: str, base: str) -> None:
    (rate,) = find_rates(text)
    assert (rate.kind, rate.base, rate.condition) == (kind, base, False)


@pytest.mark.parametrize("text", [
    "对数字经济企业占比超过70%的园区",
    "研发费用占营业收入比重达到5%的企业",
    "本地配套率高于３０％的整机项目",
])
def test_rate_thresholds(text: str) -> None:
    (share,) = find_rates(text)
    assert share.condition


@pytest.mark.parametrize("text", [
    "来源：某市工业和信息化局2025/11/3 9:05:12",
    "发布时间:2023/7/19 16:40:01",
    "更新于 2026/1/1",
])
def test_dates_are_not_rates_or_ratios(text: str) -> None:
    assert find_rates(text) == []
    assert find_ratios(text) == []


@pytest.mark.parametrize(("text", "a", "b"), [
    ("由市级财政和区财政按照1∶1的比例予以兑现", 1, 1),
    ("所需资金由省、市按３：７比例分担", 3, 7),
    ("所需经费按照2:1的比例由市、县承担", 2, 1),
    ("县、乡两级按2:1分担", 2, 1),
    ("市、区按1∶1配套", 1, 1),
    ("奖补资金由省级和县级按照４：６承担", 4, 6),
    ("建设经费由市、区财政依照3:7出资", 3, 7),
    ("区级财政按 1:2 的比例负担", 1, 2),
])
def test_ratio(text: str, a: int, b: int) -> None:
    ((x, y, start, end),) = find_ratios(text)
    assert (x, y) == (a, b)
    assert normalise(text)[start:end] == f"{a}:{b}"


@pytest.mark.parametrize("text", [
    "决赛中甲队以3:1获胜",                 # a score: no 按, no 比例
    "请于上午9:30前按时到场",              # a time of day
    "按1:500的比例尺绘制总平面图",          # a map scale is no split of who pays
])
def test_near_misses_are_no_cost_sharing_ratio(text: str) -> None:
    assert find_ratios(text) == []


def test_normalise_keeps_length_so_spans_carry_over() -> None:
    text = "给予（个人）１００～５００万元，最高２０％；"
    norm = normalise(text)
    assert len(norm) == len(text)
    (m,) = find_money(text)
    assert text[m.start:m.end] == "１００～５００万元"
