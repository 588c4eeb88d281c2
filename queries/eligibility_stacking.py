"""The rules that govern stacking, applied to one category's items in a fixed order:

1. 加码 stating a combined level (`市、区两级给予…50%`, funder level `city+district`, or funded
   by the very place whose instrument it raises) replaces the instrument it tops up; a top-up
   paid by the lower level alone adds to it;
2. matching (`按市级实际补助额度的1/3`) is computed from what the lower levels pay;
3. 就高不重复 / 从优不重复 / 不得重复享受 / 未获同类支持方可申报, stated by the policy of any
   counted item or by the item itself, keep only the best of the overlapping items (same
   category): a firm may not be funded twice for one thing, so it claims the best;
4. combined ceilings (`叠加后最高…`) cap the category total.
一事一议, 晋级补差 and 只支持一次 are reported as rules the calculator cannot decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from policykg.queries.eligibility_amounts import FEN, Item, pct, yuan
from policykg.queries.eligibility_data import Quote
from policykg.queries.eligibility_reasons import RULE_NAMES, reason

OVERLAP_RULES = ("highest_applies", "most_favourable", "no_double_funding", "eligibility_exclusion")


@dataclass
class RuleNote:
    """A stacking rule met in a category: what it did, and the sentence stating it."""

    rule: str
    effect: tuple[str, str]
    evidence: Quote | None
    applied: bool

    def to_json(self) -> dict:
        zh, en = RULE_NAMES.get(self.rule, (self.rule, self.rule))
        return {"rule": self.rule, "label_zh": zh, "label_en": en, "applied": self.applied,
                "effect": self.effect[0], "effect_zh": self.effect[1],
                "evidence": self.evidence.to_json() if self.evidence else None}


def stack(items: list[Item], spend: Decimal | None) -> list[RuleNote]:
    """Apply the rules to one category's items (in place); the rules met, for the answer."""
    notes: list[RuleNote] = []
    _top_ups(items)
    _matching(items)
    notes += _overlap(items)
    notes += _ceilings(items, spend)
    notes += _undecided_rules(items)
    return notes


def _counted(items: list[Item]) -> list[Item]:
    return [i for i in items if i.status == "counted"]


def combined_level(top: Item, raised: Item) -> bool:
    """Does the top-up state the total of both levels rather than an addition?"""
    c = top.candidate
    if c.funder_level:
        return "+" in c.funder_level
    return raised.candidate.policy_jurisdiction_iri in c.funder_iris


def _top_ups(items: list[Item]) -> None:
    by_iri = {i.candidate.iri: i for i in items}
    for top in _counted(items):
        for target in top.candidate.tops_up:
            raised = by_iri.get(target)
            if raised is None:
                continue
            levels = top.candidate.funder_level or "、".join(top.candidate.funders)
            quote = top.candidate.evidence
            top_quote = Quote("top_up", quote.quote, quote.clause, quote.source_file, quote.policy_title) if quote else None
            if combined_level(top, raised):
                if raised.status == "counted":
                    raised.drop("replaced", reason("replaced", levels=levels, by=top.candidate.policy_title), top_quote)
            else:
                top.notes.append((f"adds to {raised.candidate.policy_title} (paid by {levels} alone)",
                                  f"在《{raised.candidate.policy_title}》之上叠加({levels}单独出资)"))


def _matching(items: list[Item]) -> None:
    for item in items:
        if item.status != "matching":
            continue
        c = item.candidate
        lower = [i for i in _counted(items) if i.candidate.depth < c.depth]
        matched = sum((i.counted for i in lower), Decimal(0))
        if not lower or matched <= 0 or c.rate is None:
            item.drop("matching_none", reason("matching_none", base=c.rate_base or ""))
            continue
        amount = c.rate * matched
        if c.max_yuan is not None:
            amount = min(amount, c.max_yuan)
        item.amount = item.counted = amount.quantize(FEN, rounding=ROUND_HALF_UP)
        levels = "、".join(sorted({i.candidate.jurisdiction for i in lower}))
        item.status = "counted"
        item.reason = reason("matching", rate=pct(c.rate), matched=yuan(matched), levels=levels)


def _overlap(items: list[Item]) -> list[RuleNote]:
    counted = _counted(items)
    stated = [(rule, quote, i) for i in counted for rule, quote in i.candidate.rules if rule in OVERLAP_RULES]
    if not stated:
        return []
    rule, quote, _ = stated[0]
    best = max(counted, key=lambda i: (i.counted, -i.candidate.depth))
    dropped = 0
    why = reason("overlap", rule=RULE_NAMES[rule][0], by=best.candidate.policy_title, amount=yuan(best.counted))
    for item in counted:
        if item is not best:
            # the rule sentences of the item's own policy, else the one the note quotes: every
            # sentence of every overlapping policy would make n items cite n sentences each
            own = [q for r, q in item.candidate.rules if r in OVERLAP_RULES and q is not None]
            item.drop("overlap", why, *(own or [quote]))
            dropped += 1
    effect = (f"kept the best of {len(counted)} overlapping item(s)", f"{len(counted)}项重叠支持中只取最高一项")
    return [RuleNote(rule, effect, quote, dropped > 0)]


def _ceilings(items: list[Item], spend: Decimal | None) -> list[RuleNote]:
    notes = []
    for ceiling in (i for i in items if i.status == "ceiling"):
        c = ceiling.candidate
        limits = [c.max_yuan] if c.max_yuan is not None else []
        if c.rate is not None and spend is not None:
            limits.append(c.rate * spend)
        if not limits:
            continue
        limit = min(limits)
        counted = sorted(_counted(items), key=lambda i: i.counted)
        total = sum((i.counted for i in counted), Decimal(0))
        excess = total - limit
        for item in counted:
            if excess <= 0:
                break
            cut = min(excess, item.counted)
            item.counted -= cut
            excess -= cut
            item.notes.append(reason("capped_total", ceiling=yuan(limit)))
            if c.evidence:
                item.evidence.append(Quote("ceiling", c.evidence.quote, c.evidence.clause,
                                           c.evidence.source_file, c.evidence.policy_title))
        notes.append(RuleNote("combined_ceiling",
                              (f"category total limited to {yuan(limit)} yuan", f"本类合计不超过{yuan(limit)}元"),
                              c.evidence, total > limit))
    return notes


def _undecided_rules(items: list[Item]) -> list[RuleNote]:
    seen: dict[str, Quote | None] = {}
    for item in _counted(items):
        for rule, quote in item.candidate.rules:
            if rule not in OVERLAP_RULES and rule not in seen:
                seen[rule] = quote
    effect = {"case_by_case": ("major projects are negotiated case by case: not computed", "重大项目一事一议:无法计算"),
              "upgrade_difference": ("moving up a tier pays only the difference: the calculator does not know earlier awards",
                                     "晋级补差:计算器不知以往所获支持"),
              "one_claim": ("one claim per contract, project or person: the calculator counts one claim",
                            "只支持一次:按一次申领计算")}
    return [RuleNote(rule, effect.get(rule, (rule, rule)), quote, False) for rule, quote in sorted(seen.items(), key=lambda kv: kv[0])]
