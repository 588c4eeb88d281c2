"""Comparison tables: one kind of support across a set of jurisdictions, or across a whole
level (all prefecture cities of a province), one row per instrument with rate, tiers, cap,
period, cap scope, conditions and the clause and sentence behind it (issue 16).

`compare` is the one function behind `policykg compare`, `GET /comparison` (JSON/CSV) and the
web comparison page (`/compare`, `/compare.csv`). A jurisdiction offering nothing in the
category still gets a row (`policy_title` empty), so the table shows the gaps too. Rows list
what each place's own policies offer; what applies there through an enclosing place is that
place's row. `offering_places` names the places whose own policies offer a category (the
page's choice when none is made).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from policykg.loaders import places as gazetteer_places
from policykg.loaders.facts import CATEGORIES
from policykg.ontology import vocab
from policykg.queries.eligibility import category_labels, money
from policykg.queries.eligibility_data import (
    NOT_OFFERING,
    PREFIXES,
    Candidate,
    EligibilityInputError,
    Place,
    fetch_candidates,
    place_chain,
)
from policykg.queries.store import PolicyStore

LEVELS = ("province", "prefecture", "county", "development_zone", "new_area", "region")
#: the gazetteer's level names as ontology class names (before GB/T 2260) -> notation
_LEVEL_NAMES = {"Province": "province", "PrefectureCity": "prefecture", "County": "county",
                "DevelopmentZone": "development_zone", "NewArea": "new_area", "Region": "region",
                "Nation": "nation"}
COLUMNS = ["jurisdiction", "policy_title", "label", "rate", "rate_base", "terms", "min_yuan", "max_yuan",
           "period", "cap_scope", "kind", "beneficiary", "conditions", "funded_by", "in_force_from",
           "in_force_until", "status", "clause", "evidence", "source_file", "instrument", "policy"]

_LEVEL_QUERY = PREFIXES + """
SELECT DISTINCT ?j ?name WHERE {
  ?j pkg:level/skos:notation ?level ; pkg:within+ ?within .
  OPTIONAL { ?j skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "zh")) }
  BIND(COALESCE(STR(?l), REPLACE(STR(?j), "^.*/", "")) AS ?name)
}"""
#: the places whose own policies (not news reports or interpretations) offer the category
_OFFERING_QUERY = PREFIXES + """
SELECT DISTINCT ?j ?name ?level WHERE {
  ?i pkg:category/skos:notation ?category ; pkg:instrumentOf ?policy .
  ?policy pkg:jurisdiction ?j .
  FILTER NOT EXISTS { ?policy pkg:documentType ?t FILTER(?t IN (%(not_offering)s)) }
  OPTIONAL { ?j pkg:level/skos:notation ?level }
  OPTIONAL { ?j skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "zh")) }
  BIND(COALESCE(STR(?l), REPLACE(STR(?j), "^.*/", "")) AS ?name)
}"""


@dataclass
class Comparison:
    category: str
    places: list[Place]
    rows: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        zh, en = category_labels().get(self.category, (self.category, self.category))
        return {"category": self.category, "label_zh": zh, "label_en": en,
                "jurisdictions": [p.name for p in self.places], "columns": COLUMNS, "rows": self.rows}


def level_places(store: PolicyStore, level: str, within: str) -> list[Place]:
    """Every place of `level` inside `within`: the store's hierarchy, and the gazetteer's."""
    if level not in LEVELS:
        raise EligibilityInputError(f"unknown level {level!r}; known: {', '.join(LEVELS)}", "level")
    outer = place_chain(store, within)[0]
    rows = store.query(_LEVEL_QUERY, {"level": level, "within": ox.NamedNode(outer.iri)}).rows
    found = {r["j"]: Place(r["j"], r["name"], level) for r in rows}
    known, _ = gazetteer_places.gazetteer()
    for name, place in known.items():
        if _LEVEL_NAMES.get(place.level or "", place.level) == level and outer.name in gazetteer_places.enclosing(name)[1:]:
            iri = str(vocab.jurisdiction_iri(name))
            found.setdefault(iri, Place(iri, name, level))
    return sorted(found.values(), key=lambda p: p.name)


def offering_places(store: PolicyStore, category: str) -> list[Place]:
    """The places whose own policies offer `category`, by name."""
    text = _OFFERING_QUERY % {"not_offering": ", ".join(f"pkg:{t}" for t in NOT_OFFERING)}
    rows = store.query(text, {"category": category}).rows
    return sorted({r["j"]: Place(r["j"], r["name"], r["level"]) for r in rows}.values(), key=lambda p: p.name)


def compare(store: PolicyStore, category: str, jurisdictions: list[str] | None = None,
            level: str | None = None, within: str | None = None, on: dt.date | None = None) -> Comparison:
    """One row per instrument of `category` in each jurisdiction named, or in every place of
    `level` within `within`; `on` adds whether each policy is in force that day."""
    if category not in CATEGORIES:
        raise EligibilityInputError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}", "category")
    chosen: list[Place] = [place_chain(store, name)[0] for name in (jurisdictions or [])]
    if level:
        if not within:
            raise EligibilityInputError("--level needs --within (e.g. --level prefecture --within 江苏省)", "within")
        chosen += [p for p in level_places(store, level, within) if p.iri not in {c.iri for c in chosen}]
    if not chosen:
        raise EligibilityInputError("name jurisdictions (--at, repeatable) or a level (--level … --within …)", "at")
    rows: list[dict[str, Any]] = []
    for place in chosen:
        found = fetch_candidates(store, [place], [category])
        rows += [row(c, on) for c in found] or [{**dict.fromkeys(COLUMNS), "jurisdiction": place.name,
                                                 "status": "none"}]
    return Comparison(category, chosen, rows)


def _status(c: Candidate, on: dt.date | None) -> str | None:
    if on is None:
        return None
    if c.in_force_until is not None and c.in_force_until < on:
        return "expired"
    if (c.in_force_from or c.issued) is not None and (c.in_force_from or c.issued) > on:
        return "not_yet"
    return "in_force" if (c.in_force_from or c.in_force_until) else "unknown_dates"


def row(c: Candidate, on: dt.date | None = None) -> dict[str, Any]:
    ev = c.evidence
    return {"jurisdiction": c.jurisdiction, "policy_title": c.policy_title, "label": c.label,
            "rate": None if c.rate is None else float(c.rate), "rate_base": c.rate_base, "terms": c.terms,
            "min_yuan": money(c.min_yuan), "max_yuan": money(c.max_yuan), "period": c.period,
            "cap_scope": c.cap_scope, "kind": c.kind, "beneficiary": c.beneficiary,
            "conditions": "、".join(c.conditions) or None, "funded_by": "、".join(sorted(c.funders)) or None,
            "in_force_from": c.in_force_from.isoformat() if c.in_force_from else None,
            "in_force_until": c.in_force_until.isoformat() if c.in_force_until else None,
            "status": _status(c, on), "clause": ev.clause if ev else None, "evidence": ev.quote if ev else None,
            "source_file": ev.source_file if ev else None, "instrument": c.iri, "policy": c.policy}
