"""What a firm is, where it is and what it spends: the input of the eligibility calculator.

A profile is a small YAML (or JSON) mapping; the CLI's --at/--date/--spend override its
fields. Every attribute but the place may be left out: an instrument that depends on an
attribute the profile does not state is listed, not counted, and the reason names the
attribute to state. Group words (`GROUPS`) are data: which words in an instrument's
beneficiary or conditions restrict it to firms with that attribute.

    at: 南通创新区
    date: 2026-11-29
    spend: {compute_voucher: 10000000}
    firm:
      kind: enterprise        # enterprise | institution | team | individual | organisation
      size: small             # micro | small | medium | large
      new_firm: true          # 初创 / 新设立 / 新落户
      above_scale: true       # 规上
      listed: false           # 上市
      research_institute: false
      support_year: 1         # which year of a multi-year support (year schedules, N years)
      quantities: {营业收入: 50000000}   # what thresholds are checked against
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from policykg.loaders.facts import CATEGORIES, RECIPIENTS
from policykg.queries.eligibility_data import EligibilityInputError

SIZES = ("micro", "small", "medium", "large")
#: profile attribute -> words that, in a beneficiary or condition, restrict to such firms
GROUPS: dict[str, tuple[str, ...]] = {
    "new_firm": ("初创", "新设立", "新注册", "新成立", "新落户", "新引进"),
    "above_scale": ("规上", "规模以上"),
    "listed": ("上市企业", "上市公司"),
    "small": ("中小企业", "中小微", "小微企业", "小型企业"),
    "research_institute": ("科研院所", "高校院所", "研究院所", "新型研发机构", "高等院校"),
}
#: attribute names as the reason tells the user to state them
FLAG_NAMES = {"new_firm": "new_firm (初创/新设立)", "above_scale": "above_scale (规上)",
              "listed": "listed (上市)", "small": "size (中小/小微)",
              "research_institute": "research_institute (科研院所)"}


@dataclass
class Firm:
    kind: str = "enterprise"
    size: str | None = None
    new_firm: bool | None = None
    above_scale: bool | None = None
    listed: bool | None = None
    research_institute: bool | None = None
    support_year: int = 1
    quantities: dict[str, Decimal] = field(default_factory=dict)

    def flag(self, name: str) -> bool | None:
        """True, False, or None when the profile does not say."""
        if name == "small":
            return None if self.size is None else self.size in ("micro", "small", "medium")
        return getattr(self, name)


@dataclass
class Profile:
    at: str | None = None
    date: dt.date | None = None
    spend: dict[str, Decimal] = field(default_factory=dict)
    firm: Firm = field(default_factory=Firm)


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as err:
        raise EligibilityInputError(f"bad date {value!r}: expected YYYY-MM-DD / 日期格式应为 YYYY-MM-DD",
                                    "date") from err


def parse_yuan(value: Any, where: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace("_", "").strip())
    except (InvalidOperation, ValueError) as err:
        raise EligibilityInputError(f"{where}: {value!r} is not an amount in yuan / 不是以元计的金额",
                                    "spend") from err
    if not amount.is_finite() or amount < 0:
        raise EligibilityInputError(f"{where}: amount must be a non-negative number of yuan", "spend")
    return amount


def parse_category(name: str) -> str:
    code = name.strip()
    if code not in CATEGORIES:
        raise EligibilityInputError(f"unknown category {code!r}; known: {', '.join(CATEGORIES)}",
                                    "spend")
    return code


def parse_spend(pairs: list[str]) -> dict[str, Decimal]:
    """`CATEGORY=YUAN` pairs (`compute_voucher=10000000`)."""
    out: dict[str, Decimal] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise EligibilityInputError(f"--spend expects CATEGORY=YUAN, got {pair!r}", "spend")
        out[parse_category(key)] = parse_yuan(value, key.strip())
    return out


def _flag(data: dict, name: str) -> bool | None:
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise EligibilityInputError(f"profile: firm.{name} must be true or false, got {value!r}", "profile")


def firm_from(data: Any) -> Firm:
    if data is None:
        return Firm()
    if not isinstance(data, dict):
        raise EligibilityInputError("profile: `firm` must be a mapping", "profile")
    kind = str(data.get("kind") or "enterprise")
    if kind not in RECIPIENTS:
        raise EligibilityInputError(f"profile: firm.kind {kind!r} is not one of {', '.join(RECIPIENTS)}", "profile")
    size = data.get("size")
    if size is not None and size not in SIZES:
        raise EligibilityInputError(f"profile: firm.size {size!r} is not one of {', '.join(SIZES)}", "profile")
    year = data.get("support_year", 1)
    if not isinstance(year, int) or isinstance(year, bool) or year < 1:
        raise EligibilityInputError("profile: firm.support_year must be a whole number from 1", "profile")
    quantities = data.get("quantities") or {}
    if not isinstance(quantities, dict):
        raise EligibilityInputError("profile: firm.quantities must be a mapping", "profile")
    return Firm(kind=kind, size=size, new_firm=_flag(data, "new_firm"),
                above_scale=_flag(data, "above_scale"), listed=_flag(data, "listed"),
                research_institute=_flag(data, "research_institute"), support_year=year,
                quantities={str(k): parse_yuan(v, f"firm.quantities.{k}") for k, v in quantities.items()})


def profile_from(data: Any) -> Profile:
    """A profile from parsed YAML/JSON; EligibilityInputError names the bad field."""
    if data is None:
        return Profile()
    if not isinstance(data, dict):
        raise EligibilityInputError("profile: expected a mapping (at, date, spend, firm)", "profile")
    unknown = sorted(set(data) - {"at", "date", "spend", "firm"})
    if unknown:
        raise EligibilityInputError(f"profile: unknown field(s) {', '.join(map(str, unknown))}", "profile")
    spend = data.get("spend") or {}
    if not isinstance(spend, dict):
        raise EligibilityInputError("profile: `spend` must map categories to yuan", "profile")
    return Profile(
        at=str(data["at"]) if data.get("at") else None,
        date=parse_date(data["date"]) if data.get("date") else None,
        spend={parse_category(str(k)): parse_yuan(v, str(k)) for k, v in spend.items()},
        firm=firm_from(data.get("firm")),
    )


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise EligibilityInputError(f"cannot read profile {path}: {err}", "profile") from err
    try:
        return profile_from(yaml.safe_load(text))
    except yaml.YAMLError as err:
        raise EligibilityInputError(f"profile {path} is not valid YAML: {err}", "profile") from err
