"""One instrument on its own: is it in force, does the firm qualify, and what does it yield
for the stated spend (rate × spend, tier or year rate chosen, capped per its scope and period).

Amounts are maxima, as the texts state them (`不超过…20%`, `最高…200万元`), computed with
Decimal and rounded to the nearest fen (1/3 is stored to finitely many places, so 1/3 × 270
computes as 89.999…). Stacking between instruments is `eligibility_stacking`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from policykg.queries.eligibility_data import Candidate, Quote, Threshold
from policykg.queries.eligibility_reasons import reason
from policykg.queries.firm_profile import FLAG_NAMES, GROUPS, Firm

FEN = Decimal("0.01")
#: kinds and cap scopes whose figure is a programme total, not what one firm receives
POOL_KINDS = ("voucher_pool", "fund")
POOL_SCOPES = ("yearly_pool", "fund_size")
_ALTERNATIVES = re.compile(r"[、,，/或和及与]|以及|等")
_GROUP_WORDS = [w for words in GROUPS.values() for w in words]


@dataclass
class Item:
    """An instrument as the answer lists it: its own amount, whether it counts, and why."""

    candidate: Candidate
    status: str
    reason: tuple[str, str]
    amount: Decimal | None = None        # what it yields on its own (None: cannot be computed)
    counted: Decimal = Decimal(0)        # what it adds to the category total
    notes: list[tuple[str, str]] = field(default_factory=list)
    evidence: list[Quote] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return self.counted > 0 or self.status == "counted"

    def drop(self, status: str, why: tuple[str, str], *quotes: Quote | None) -> None:
        self.status, self.reason, self.counted = status, why, Decimal(0)
        self.evidence.extend(q for q in quotes if q is not None and q not in self.evidence)


def yuan(value: Decimal) -> str:
    """A readable amount: 4000000 -> 4,000,000."""
    value = value.quantize(FEN, rounding=ROUND_HALF_UP)
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def assess(c: Candidate, on: dt.date, spend: Decimal | None, firm: Firm) -> Item:
    """The instrument alone on date `on` for `firm` spending `spend` in its category."""
    item = Item(c, "counted", ("", ""), evidence=[q for q in (c.evidence,) if q])
    if c.validity is not None:
        item.evidence.append(c.validity)
    for check in (_validity, _kind, _eligibility):
        check(item, on, spend, firm)
        if item.status != "counted":
            return item
    _amount(item, spend, firm)
    return item


# ---- checks, in order --------------------------------------------------------------------------

def _validity(item: Item, on: dt.date, _spend: Decimal | None, _firm: Firm) -> None:
    c = item.candidate
    if c.in_force_until is not None and c.in_force_until < on:
        item.drop("expired", reason("expired", until=c.in_force_until.isoformat()))
    elif c.in_force_from is not None and c.in_force_from > on:
        item.drop("not_yet", reason("not_yet", since=c.in_force_from.isoformat()))
    elif c.in_force_from is None and c.issued is not None and c.issued > on:
        item.drop("not_yet", reason("not_yet", since=c.issued.isoformat()))
    elif c.in_force_from is None and c.in_force_until is None:
        item.notes.append(("the text states no validity period: treated as in force",
                           "原文未说明有效期:按有效处理"))


def _kind(item: Item, _on: dt.date, _spend: Decimal | None, _firm: Firm) -> None:
    c = item.candidate
    if c.kind == "combined_ceiling":
        item.drop("ceiling", reason("ceiling", what=c.terms or _figure(c)))
    elif c.quantified is False:
        item.drop("unquantified", reason("unquantified", what=f" ({c.label})" if c.label else ""))
    elif c.rate is None and not c.options and not c.schedule and (c.kind in POOL_KINDS or c.cap_scope in POOL_SCOPES):
        if c.max_yuan is None:
            item.drop("unquantified", reason("unquantified", what=""))
        else:
            item.drop("pool", reason("pool", amount=yuan(c.max_yuan), scope=c.cap_scope or c.kind))
    elif c.rate_kind == "reduction":
        item.drop("reduction", reason("reduction", rate=pct(c.rate or 0), base=c.rate_base or ""))
    elif c.kind == "uplift" or c.rate_kind == "uplift":
        item.drop("uplift", reason("uplift", what=c.beneficiary or "; ".join(c.conditions) or c.label or ""))
    elif c.rate is None and c.max_yuan is None and not c.options and not c.schedule:
        item.drop("no_figure", reason("no_figure"))


def _eligibility(item: Item, _on: dt.date, spend: Decimal | None, firm: Firm) -> None:
    c = item.candidate
    if c.recipient and c.recipient != firm.kind and not (
            c.recipient == "institution" and firm.research_institute):
        item.drop("recipient", reason("recipient", recipient=c.recipient, kind=firm.kind))
        return
    texts = [*c.conditions, *([c.beneficiary] if c.beneficiary else [])]
    for text in texts:
        verdict = restriction(text, firm)
        if verdict is not None:
            item.drop(*verdict)
            return
    for t in c.thresholds:
        verdict = _threshold(t, c, spend, firm)
        if verdict is not None:
            item.drop(*verdict)
            return
    if c.period_years is not None and firm.support_year > c.period_years:
        item.drop("years", reason("years", years=c.period_years, year=firm.support_year))


def restriction(text: str, firm: Firm) -> tuple[str, tuple[str, str]] | None:
    """None when `text` does not restrict the firm out; else (status, reason). A text naming
    groups (初创企业, 规上企业 …) restricts to them, unless one of the alternatives it lists is
    plain 企业 (`在皖企业、高校院所等`: any firm qualifies)."""
    groups = [name for name, words in GROUPS.items() if any(w in text for w in words)]
    if not groups:
        return None
    parts = _ALTERNATIVES.split(text)
    if any("企业" in part and not any(w in part for w in _GROUP_WORDS) for part in parts):
        return None
    flags = [firm.flag(g) for g in groups]
    if any(flags):
        return None
    if all(f is False for f in flags):
        return "group", reason("group", group="/".join(groups), text=text)
    unknown = [g for g, f in zip(groups, flags, strict=True) if f is None]
    return "undecided", reason("undecided", what=text, field=", ".join(FLAG_NAMES[g] for g in unknown))


def _threshold(t: Threshold, c: Candidate, spend: Decimal | None, firm: Firm) -> tuple[str, tuple[str, str]] | None:
    label = t.label or t.quantity or "a threshold"
    value = None
    if t.quantity:
        value = next((v for k, v in firm.quantities.items() if k in t.quantity or t.quantity in k), None)
    if value is None and t.unit == "CNY" and spend is not None and (
            t.quantity is None or (c.rate_base and (t.quantity in c.rate_base or c.rate_base in t.quantity))):
        value = spend
    if value is None:
        return "undecided", reason("undecided", what=label, field=f"firm.quantities.{t.quantity or '…'}")
    low_ok = t.min is None or value > t.min or (t.min_inclusive and value == t.min)
    high_ok = t.max is None or value < t.max or (t.max_inclusive and value == t.max)
    if low_ok and high_ok:
        return None
    return "threshold", reason("threshold", what=t.quantity or "the spend", value=yuan(value), bound=label)


# ---- the amount --------------------------------------------------------------------------------

def _rate(item: Item, firm: Firm) -> Decimal | None:
    """The rate that applies: the year's step of a schedule, the tier the profile selects
    (else the lowest, said so), else the single rate."""
    c = item.candidate
    if c.schedule:
        step = next((r for y, r in c.schedule if y == firm.support_year), None)
        if step is None:
            item.drop("years", reason("years", years=max(y for y, _ in c.schedule), year=firm.support_year))
            return None
        item.notes.append((f"year {firm.support_year} of the schedule: {pct(step)}",
                           f"逐年比例第{firm.support_year}年:{pct(step)}"))
        return step
    if c.options:
        chosen = [(r, cond) for _, r, cond in c.options if cond and restriction(cond, firm) is None
                  and any(w in cond for w in _GROUP_WORDS)]
        if chosen:
            rate, cond = max(chosen)
            item.notes.append((f"tier {pct(rate)} ({cond}) chosen by the profile", f"按画像适用{pct(rate)}档({cond})"))
            return rate
        low = min(r for _, r, _ in c.options)
        tiers = " / ".join(pct(r) + (f" ({cond})" if cond else "") for _, r, cond in c.options)
        item.notes.append((f"tiers {tiers}: the profile does not select one, the lowest is counted",
                           f"分档 {tiers}:画像无法确定档次,按最低档计"))
        return low
    return c.rate


def _amount(item: Item, spend: Decimal | None, firm: Firm) -> None:
    c = item.candidate
    if c.kind == "matching" or c.rate_kind == "matching":
        item.status = "matching"  # resolved by the stacking step, which sees the other levels
        return
    rate = _rate(item, firm)
    if item.status != "counted":
        return
    cap, scope_note = _cap(c)
    if rate is None:  # an award up to a stated amount, not a share of the spend
        item.amount = cap
        how = (f"up to {yuan(cap)} yuan as stated; the text gives no rate, so the amount does not depend on the spend",
               f"原文最高{yuan(cap)}元;未给比例,金额与支出无关")
    elif spend is None:
        item.drop("no_spend", reason("no_spend", category=c.category))
        return
    else:
        raw = rate * spend
        item.amount = raw if cap is None else min(raw, cap)
        capped = cap is not None and raw > cap
        how = (f"{pct(rate)} × {yuan(spend)} = {yuan(raw)}" + (f", capped at {yuan(cap)}{scope_note[0]}" if capped else ""),
               f"{pct(rate)} × {yuan(spend)} = {yuan(raw)}" + (f",上限{yuan(cap)}{scope_note[1]}" if capped else ""))
    item.amount = item.amount.quantize(FEN, rounding=ROUND_HALF_UP) if item.amount is not None else None
    item.counted = item.amount or Decimal(0)
    item.reason = reason("counted", how=how[0])[0], reason("counted", how=how[1])[1]
    if c.period in (None, "unstated") and c.max_yuan is not None:
        item.notes.append(("the text states no period for the cap: applied once to this spend",
                           "原文未说明上限周期:按本次支出适用一次"))


def _cap(c: Candidate) -> tuple[Decimal | None, tuple[str, str]]:
    """The per-firm cap for a year's spend, and how it was read."""
    if c.max_yuan is None:
        return None, ("", "")
    if c.cap_scope in POOL_SCOPES:
        return c.max_yuan, (" (the programme's whole pool)", "(资金总额)")
    if c.period == "monthly":
        return c.max_yuan * 12, (" (12 months of the monthly cap)", "(按月上限×12个月)")
    scope = {"per_project": (" per project", "/项目"), "per_item": (" per item", "/项"),
             "per_person": (" per person", "/人"), "per_team": (" per team", "/团队")}.get(c.cap_scope or "", ("", ""))
    period = {"yearly": (" a year", "/年"), "one_time": (" once", "(一次性)"),
              "cumulative": (" in total", "(累计)")}.get(c.period or "", ("", ""))
    return c.max_yuan, (scope[0] + period[0], scope[1] + period[1])


def _figure(c: Candidate) -> str:
    parts = []
    if c.rate is not None:
        parts.append(pct(c.rate))
    if c.max_yuan is not None:
        parts.append(f"{yuan(c.max_yuan)} yuan")
    return " / ".join(parts)
