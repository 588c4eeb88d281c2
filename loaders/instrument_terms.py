"""An instrument's terms as a researcher reads them in the text: "最高 30% 或 20%;第1年 60%…".

One renderer for every layer: `to_rdf` writes its output as `pkg:terms` (and as the labels of
rate options, schedule steps and thresholds), so the SPARQL catalogue, the Cypher twins, the
API and the Bloom captions all show the same words without formatting numbers themselves.
Numbers are exact: a rate of 1/3 shows every digit it has up to four decimals of a percent,
an amount of 25,000,000 yuan is "2500万元", never a float.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from policykg.loaders.facts import Instrument, RateOption, ScheduleStep, Threshold

PERIOD_WORDS = {
    "one_time": "一次性", "yearly": "每年", "monthly": "每月", "cumulative": "累计",
    "per_project": "每个项目",
}
#: Words a kind of support puts before its rate (提高至50%, 叠加后最高70%).
KIND_WORDS = {"uplift": "提高至 ", "combined_ceiling": "叠加后 "}
#: A rendered part must not hold the list separator the catalogue splits list columns on.
LIST_SEPARATOR = "、"


#: Enough digits that no amount a text can state is rounded (a 30-digit figure stays exact).
PRECISION = 200


def number(value: Decimal) -> str:
    """Plain decimal notation without trailing zeros or exponent (2E+1 -> "20"), exact."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(rate: Decimal) -> str:
    """A fraction as a percentage: 0.3 -> "30%", 1/3 -> "33.3333%" (four decimals at most)."""
    with localcontext(prec=PRECISION):
        return number(rate.scaleb(2).quantize(Decimal("0.0001"))) + "%"


def yuan(amount: Decimal) -> str:
    """An amount in the unit the texts use: 2000000 -> "200万元", 1.5e9 -> "15亿元", 600 -> "600元"."""
    with localcontext(prec=PRECISION):
        if abs(amount) >= 10**8 and amount.scaleb(-4) == amount.scaleb(-4).to_integral_value():
            return number(amount.scaleb(-8)) + "亿元"
        if abs(amount) >= 10**4:
            return number(amount.scaleb(-4)) + "万元"
        return number(amount) + "元"


def _clean(text: str) -> str:
    return text.replace(LIST_SEPARATOR, ",").strip()


def option_label(option: RateOption) -> str:
    """"40%(首次认定的)" or "40%"."""
    condition = f"({_clean(option.condition)})" if option.condition else ""
    return percent(option.rate) + condition


def step_label(step: ScheduleStep) -> str:
    return f"第{step.year}年 {percent(step.rate)}"


def bound(value: Decimal, unit: str) -> str:
    if unit == "CNY":
        return yuan(value)
    if unit == "%":
        return percent(value)
    return number(value) + unit


def threshold_label(threshold: Threshold) -> str:
    """"营业收入 ≥ 20万元 且 < 50万元"; the quantity is left out where the text does not name it."""
    parts = []
    if threshold.min is not None:
        parts.append(("≥ " if threshold.min_inclusive else "> ") + bound(threshold.min, threshold.unit))
    if threshold.max is not None:
        parts.append(("≤ " if threshold.max_inclusive else "< ") + bound(threshold.max, threshold.unit))
    text = " 且 ".join(parts) or "(无界)"
    return _clean(f"{threshold.quantity} {text}" if threshold.quantity else text)


def _rates(inst: Instrument) -> str | None:
    """Tiers (or the single rate) and the year schedule, on their base: "研发投入的 最高 40% 或 25%"."""
    if inst.rate_options:
        rates = " 或 ".join(option_label(o) for o in inst.rate_options)
    elif inst.rate is not None:
        rates = percent(inst.rate)
    else:
        rates = ""
    schedule = "、".join(step_label(s) for s in inst.rate_schedule)
    if not (rates or schedule):
        return None
    text = ",".join(p for p in (rates, schedule) if p)
    if inst.kind == "matching" or inst.rate_kind == "matching":
        text = "1:1" if text == "100%" else text
        text = ("最高 " if inst.rate_is_max else "") + text + " 配套"
        return f"按{_clean(inst.rate_base)} {text}" if inst.rate_base else text
    text = KIND_WORDS.get(inst.kind, "") + ("最高 " if inst.rate_is_max else "") + text
    return f"{_clean(inst.rate_base)}的 {text}" if inst.rate_base else text


def _amounts(inst: Instrument) -> str | None:
    if inst.min_cny is not None and inst.max_cny is not None and inst.min_cny != inst.max_cny:
        text = f"{yuan(inst.min_cny)}–{yuan(inst.max_cny)}"
    elif inst.max_cny is not None:
        text = ("" if inst.max_cny == inst.min_cny else "最高 ") + yuan(inst.max_cny)
    elif inst.min_cny is not None:
        text = "不低于 " + yuan(inst.min_cny)
    else:
        return None
    period = PERIOD_WORDS.get(inst.period or "")
    return f"{period}{text}" if period else text


def terms(inst: Instrument) -> str:
    """The whole offer: rates and year schedule, amount and its period, years, thresholds."""
    if not inst.quantified:
        parts = ["未给出具体标准"]
    else:
        parts = [p for p in (_rates(inst), _amounts(inst)) if p]
    if inst.period_years:
        parts.append(f"支持{inst.period_years}年")
    if inst.thresholds:
        parts.append("条件:" + ",".join(threshold_label(t) for t in inst.thresholds))
    return ";".join(parts) or "未给出具体标准"
