"""The figure grammar (loaders/figures.lark) on its table of examples, and the meaning of figures
in context: thresholds with bounds, unit prices, per-person scopes, caps on rates, ratios."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from policykg.loaders.money import FIGURE, find_money, find_rates, normalise, parse_figure

EXAMPLES = yaml.safe_load((Path(__file__).with_name("figure_examples.yaml")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["text"])
def test_grammar_examples(example: dict) -> None:
    text = example["text"]
    found = [(m, parse_figure(m.group())) for m in FIGURE.finditer(normalise(text))]
    found = [(m, v) for m, v in found if v is not None and v[0] in ("money", "rate", "ratio")]
    if example["kind"] == "none":
        assert found == []
        return
    [(m, value)] = found
    assert (m.start(), m.end()) == (0, len(text))        # the exact span of the figure
    assert value[0] == example["kind"]
    if value[0] == "money":
        assert [value[1], value[2]] == [Decimal(v) for v in example["value"]]
        if "bounds" in example:
            assert [value[3], value[4]] == example["bounds"]
    elif value[0] == "rate":
        assert value[1] == Decimal(example["value"])
        assert value[2] is bool(example.get("points"))
    else:
        assert [value[1], value[2]] == [Decimal(v) for v in example["value"]]


def test_a_match_never_starts_inside_a_number() -> None:
    (m,) = find_money("单个企业最高1,000万元")
    assert (m.high, m.cap) == (10_000_000, True)
    (m,) = find_money("最高2,500万元")
    assert m.high == 25_000_000


def test_implausibly_long_amounts_are_no_figures() -> None:
    for digits in ("1234567890123456789012345", "123456789012345678901234567890", "9" * 60):
        assert find_money(f"给予{digits}万元补助") == []        # clean: no figure, no error
        assert find_rates(f"按{digits}%给予补助") == []
    (m,) = find_money("给予123456789012345678元补助")                # 18 digits still read
    assert m.high == Decimal("123456789012345678")


def test_thirty_digit_amount_in_a_clause_gives_a_clean_result() -> None:
    from policykg.loaders.extract import extract_text
    result = extract_text("南京市关于支持人工智能产业发展的若干措施\n一、对企业给予最高"
                          "123456789012345678901234567890万元补助。\n", "big.txt")
    [doc] = result.documents
    assert all(i.max_cny is None for i in doc.instruments)


@pytest.mark.parametrize(("text", "bound", "low_in", "high_in"), [
    ("营业收入超过1000万元的企业", "min", False, False),
    ("年营收达到500万元的", "min", True, True),
    ("合同金额不少于100万元的项目", "min", True, True),
    ("投资额5000万元以上的项目", "min", True, True),
    ("营收2000万元以下的小微企业", "max", True, True),
    ("合同额低于50万元的", "max", False, False),
    ("营收20万元(含)至50万元(不含)的企业", "range", True, False),
    ("营收1000万元(含)以上的", "min", True, True),
])
def test_thresholds_are_conditions_with_bounds(text: str, bound: str, low_in: bool, high_in: bool) -> None:
    (m,) = find_money(text)
    assert m.condition and not m.cap
    assert (m.bound, m.low_inclusive, m.high_inclusive) == (bound, low_in, high_in)


def test_unit_price_and_per_person() -> None:
    (price,) = find_money("算力服务价格按每P每年600元计")
    assert price.unit == "P"
    (price,) = find_money("租用价格不高于2元/卡时")
    assert price.unit == "卡时"
    (person,) = find_money("可享受最高200万元/人的项目资助")
    assert (person.per, person.unit, person.cap) == ("per_person", None, True)
    (month,) = find_money("给予博士3000元/月生活津贴")
    assert (month.period, month.unit) == ("monthly", None)


def test_fund_floor_is_not_a_threshold() -> None:
    (a,) = find_money("设立总规模200亿元以上的产业基金")
    assert a.floor and not a.condition
    (b,) = find_money("基金规模不低于100亿元")
    assert b.floor and not b.condition


def test_rate_caps_kinds_and_bases() -> None:
    (r,) = find_rates("给予最高不超过合同金额30%的补贴")
    assert r.is_max and r.base == "合同金额"
    (r,) = find_rates("按实际投入的20%给予补助")
    assert not r.is_max
    (r,) = find_rates("按上级实际到账资金的20%给予配套")
    assert (r.kind, r.base) == ("matching", "上级实际到账资金")
    (r,) = find_rates("贴息不超过2个百分点")
    assert r.points and r.value == Decimal("0.02") and r.is_max
    (r,) = find_rates("初创企业补贴比例提高至50%")
    assert (r.kind, r.value) == ("uplift", Decimal("0.5"))


def test_matching_ratio_is_a_rate_and_cost_split_is_not() -> None:
    (r,) = find_rates("对获得国家立项的项目,按国拨经费给予1:1配套支持")
    assert (r.value, r.kind, r.ratio) == (1, "matching", True)
    (r,) = find_rates("按1∶0.5的比例给予配套") or [None]
    assert r is None or r.kind == "matching"
    assert find_rates("资金由市级财政和区财政按照1∶1的比例兑现") == []


def test_every_figure_keeps_its_span_in_the_given_text() -> None:
    text = "对企业给予（最高）１，０００万元、按２０％补助，第一年60%。"
    for m in find_money(text):
        assert normalise(text[m.start:m.end]).endswith("元")
    for r in find_rates(text):
        assert text[r.start:r.end] in ("２０％", "60%")


def test_parse_number_refuses_implausible_digits() -> None:
    from policykg.loaders.money import parse_number
    with pytest.raises(ValueError, match="18 digits"):
        parse_number("123456789012345678901234567890")
    assert parse_number("1,000") == 1000 and parse_number("伍佰") == 500
