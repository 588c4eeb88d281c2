"""What a firm can claim: every instrument in force on a date in the firm's place and every
enclosing one, the amount each yields for the stated spend, the stacking rules applied, and
the sentence behind every figure and rule (issue 16; rules in docs/eligibility.md).

One function, `calculate`, shared by `policykg eligibility`, `GET /eligibility` and the web
page. Its answer's JSON contract:

    {"categories": [{"category", "total_yuan", "items": [{"instrument", "policy_title",
      "jurisdiction", "amount_yuan", "applied", "reason", "evidence"}, …]}, …]}

with extra fields (labels zh/en, status code, reason_zh, counted_yuan, notes, rules).
Money is exact: whole yuan are integers, fen amounts decimals with two places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from policykg.loaders.facts import CATEGORIES
from policykg.queries.eligibility_amounts import Item, assess
from policykg.queries.eligibility_data import (
    EligibilityInputError,
    Place,
    fetch_candidates,
    place_chain,
)
from policykg.queries.eligibility_stacking import RuleNote, stack
from policykg.queries.firm_profile import Firm, Profile
from policykg.queries.store import PolicyStore

__all__ = ["CategoryAnswer", "EligibilityAnswer", "EligibilityInputError", "calculate", "money"]


def money(value: Decimal | None) -> int | float | None:
    """Exact JSON money: an int for whole yuan, else the two-decimal number (its shortest
    float repr is the decimal itself)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(str(value))


@lru_cache(maxsize=1)
def category_labels() -> dict[str, tuple[str, str]]:
    """notation -> (zh, en) prefLabels, from the ontology."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from policykg.ontology import POLICY_TTL

    g = Graph().parse(POLICY_TTL)
    out: dict[str, tuple[str, str]] = {}
    for concept, notation in g.subject_objects(SKOS.notation):
        if str(notation) in CATEGORIES:
            labels = {lit.language: str(lit) for lit in g.objects(concept, SKOS.prefLabel)}
            out[str(notation)] = (labels.get("zh", str(notation)), labels.get("en", str(notation)))
    return out


@dataclass
class CategoryAnswer:
    category: str
    spend: Decimal | None
    items: list[Item]
    rules: list[RuleNote] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((i.counted for i in self.items), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        zh, en = category_labels().get(self.category, (self.category, self.category))
        return {"category": self.category, "label_zh": zh, "label_en": en,
                "spend_yuan": money(self.spend), "total_yuan": money(self.total),
                "items": [item_json(i) for i in self.items],
                "rules": [r.to_json() for r in self.rules]}


@dataclass
class EligibilityAnswer:
    at: str
    places: list[Place]
    date: dt.date
    firm: Firm
    categories: list[CategoryAnswer]

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.categories), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "places": [p.name for p in self.places], "date": self.date.isoformat(),
                "firm": {"kind": self.firm.kind, "size": self.firm.size, "new_firm": self.firm.new_firm,
                         "above_scale": self.firm.above_scale, "listed": self.firm.listed,
                         "research_institute": self.firm.research_institute,
                         "support_year": self.firm.support_year},
                "total_yuan": money(self.total),
                "categories": [c.to_json() for c in self.categories]}

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per item (CSV, tables)."""
        out = []
        for cat in self.categories:
            for item in cat.items:
                row = item_json(item)
                first = row["evidence"][0] if row["evidence"] else {}
                out.append({"category": cat.category, "spend_yuan": money(cat.spend),
                            "category_total_yuan": money(cat.total),
                            "jurisdiction": row["jurisdiction"], "policy_title": row["policy_title"],
                            "label": row["label"], "amount_yuan": row["amount_yuan"],
                            "counted_yuan": row["counted_yuan"], "applied": row["applied"],
                            "status": row["status"], "reason": row["reason"], "reason_zh": row["reason_zh"],
                            "clause": first.get("clause"), "evidence": first.get("quote"),
                            "instrument": row["instrument"]})
        return out


ROW_COLUMNS = ["category", "spend_yuan", "category_total_yuan", "jurisdiction", "policy_title", "label",
               "amount_yuan", "counted_yuan", "applied", "status", "reason", "reason_zh", "clause",
               "evidence", "instrument"]


def item_json(item: Item) -> dict[str, Any]:
    c = item.candidate
    return {"instrument": c.iri, "policy": c.policy, "policy_title": c.policy_title,
            "jurisdiction": c.jurisdiction, "label": c.label, "amount_yuan": money(item.amount),
            "counted_yuan": money(item.counted), "applied": item.applied, "status": item.status,
            "reason": item.reason[0], "reason_zh": item.reason[1],
            "notes": [{"en": en, "zh": zh} for en, zh in item.notes],
            "terms": {"rate": None if c.rate is None else float(c.rate),
                      "rate_base": c.rate_base, "max_yuan": money(c.max_yuan), "period": c.period,
                      "cap_scope": c.cap_scope, "kind": c.kind, "funder_level": c.funder_level,
                      "funded_by": c.funders, "in_force_from": _iso(c.in_force_from),
                      "in_force_until": _iso(c.in_force_until)},
            "evidence": [q.to_json() for q in item.evidence]}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def calculate(store: PolicyStore, at: str, on: dt.date, spend: Mapping[str, Decimal] | None = None,
              firm: Firm | None = None) -> EligibilityAnswer:
    """The eligibility answer for a firm at place `at` on date `on` spending `spend` (yuan per
    category). Without `spend`, every category with an instrument is listed, nothing counted
    that depends on a spend. Raises EligibilityInputError for an unknown place or category."""
    firm = firm or Firm()
    spend = dict(spend or {})
    for category in spend:
        if category not in CATEGORIES:
            raise EligibilityInputError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}", "spend")
    chain = place_chain(store, at)
    candidates = fetch_candidates(store, chain, sorted(spend) if spend else None)
    by_category: dict[str, list[Item]] = {c: [] for c in sorted(spend)}
    for candidate in candidates:
        by_category.setdefault(candidate.category, []).append(
            assess(candidate, on, spend.get(candidate.category), firm))
    categories = []
    for category in sorted(by_category, key=CATEGORIES.index):
        items = by_category[category]
        rules = stack(items, spend.get(category))
        categories.append(CategoryAnswer(category, spend.get(category), items, rules))
    return EligibilityAnswer(chain[0].name if chain else at, chain, on, firm, categories)


def calculate_profile(store: PolicyStore, profile: Profile) -> EligibilityAnswer:
    if not profile.at:
        raise EligibilityInputError("no place given: --at or `at:` in the profile", "at")
    if profile.date is None:
        raise EligibilityInputError("no date given: --date or `date:` in the profile", "date")
    return calculate(store, profile.at, profile.date, profile.spend, profile.firm)
