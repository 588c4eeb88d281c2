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
    "单个项目补助总额最高不超过3000万元", "每家最高可给予300万元", "最高可达400万元",
    "最高不超过500万元", "每年发放不超过2000万元", "单个项目最高资助1000万元", "补助500万元以内",
])
def test_caps(text: str) -> None:
    (m,) = find_money(text)
    assert m.cap and not m.condition and not m.floor


def test_floor_and_thresholds() -> None:
    (fund,) = find_money("总规模不低于200亿元的省人工智能产业主题基金")
    assert fund.floor and not fund.cap and not fund.condition
    (threshold,) = find_money("年度交易额超过500万元的市场主体")
    assert threshold.condition
    (size,) = find_money("产业规模超1000亿元")
    assert size.condition
    (above,) = find_money("总投资1亿元以上的项目")
    assert above.condition


def test_enumerated_amounts_inherit_the_cap() -> None:
    a, b = find_money("每个标准分别给予一次性最高奖补100万元、50万元")
    assert (a.high, b.high) == (1_000_000, 500_000)
    assert a.cap and b.cap


def test_year_and_counts_are_not_money() -> None:
    assert find_money("到2027年,布局智能算力规模500P以上,构建高质量数据集10个以上") == []
    assert find_money("数千万元") == []


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
    ("给予不超过实际支付智能算力费用20%的补助", "share", "实际支付智能算力费用"),
    ("按其建设成本的30%给予一次性补助", "share", "建设成本"),
    ("按照其实际投入的20%给予资金补助", "share", "实际投入"),
    ("按其建设投资额的10%给予一次性补助", "share", "建设投资额"),
    ("按其年度数据交易金额的1%给予补贴", "share", "年度数据交易金额"),
    ("给予不超过算力总支出20%的补助", "share", "算力总支出"),
    ("按照不超过项目研发费用的20%予以资助", "share", "项目研发费用"),
    ("对评选优秀的案例给予总投资额20%、最高100万元补助", "share", "总投资额"),
    ("省级按照市级实际补助额度的1/3给予符合条件的市补助", "matching", "市级实际补助额度"),
    ("省级按照市级实际补助金额的30%、最高1000万元", "matching", "市级实际补助金额"),
    ("担保费率在规定费率的基础上降低50%", "reduction", "规定费率"),
    ("对皖北地区符合条件的项目,奖补资金可上浮20%", "uplift", "奖补资金"),
    ("市、区两级给予不超过实际使用算力成本50%的补贴", "share", "实际使用算力成本"),
    ("补贴比例提高5个百分点", "uplift", "补贴比例"),
])
def test_rate_kind_and_base(text: str, kind: str, base: str) -> None:
    (rate,) = find_rates(text)
    assert (rate.kind, rate.base, rate.condition) == (kind, base, False)


def test_rate_thresholds_and_dates() -> None:
    (share,) = find_rates("对通用人工智能企业占比超过60%的产业园区")
    assert share.condition
    assert find_rates("来源:贵阳市大数据发展管理局2024/4/8 8:37:46") == []


def test_ratio() -> None:
    ((a, b, start, end),) = find_ratios("由市级财政和区财政按照1∶1的比例予以兑现")
    assert (a, b) == (1, 1) and end - start == 3
    assert find_ratios("2024/4/8 8:37:46") == []


def test_normalise_keeps_length_so_spans_carry_over() -> None:
    text = "给予（个人）１００～５００万元，最高２０％；"
    norm = normalise(text)
    assert len(norm) == len(text)
    (m,) = find_money(text)
    assert text[m.start:m.end] == "１００～５００万元"
