"""What each page shows, gathered through the functions the API routes call (`list_policies`,
`instrument_rows`, `list_jurisdictions`, `policy_parts`, the named-query catalogue), so a page
and its JSON twin never disagree. Nothing here renders HTML."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from policykg.api.routes import policies as policy_routes
from policykg.api.routes import policy_parts as parts
from policykg.api.routes.instruments import InstrumentOut, instrument_rows
from policykg.api.routes.jurisdictions import JurisdictionOut, list_jurisdictions
from policykg.loaders.facts import CATEGORIES
from policykg.queries.catalogue import run_query
from policykg.queries.comparison import Comparison, compare, offering_places
from policykg.queries.eligibility_data import EligibilityInputError
from policykg.queries.store import PolicyStore

from .links import anchor

POLICY_NS = policy_routes.POLICY_NS


def all_policies(store: PolicyStore, *, jurisdiction: str | None = None,
                 in_force: dt.date | None = None) -> list[dict[str, Any]]:
    """`GET /policies` as the API answers it (same filters, same query)."""
    # `_bindings` is the route's own filter builder: pages reuse it rather than repeat it.
    fragment, bindings = policy_routes._bindings(store, jurisdiction, in_force, None)
    return policy_routes.list_policies(store, fragment, bindings)


def status_on(policy: dict[str, Any], day: dt.date) -> str:
    """in_force | not_yet | expired | unknown_dates, by the rule of `GET /policies?in_force=`."""
    start = policy.get("in_force_from") or policy.get("issued")
    end = policy.get("in_force_until")
    if start is None and end is None:
        return "unknown_dates"
    if start is not None and day < start:
        return "not_yet"
    if end is not None and day > end:
        return "expired"
    return "in_force"


# ---- landing ------------------------------------------------------------------------------------


@dataclass
class Overview:
    policies: int
    loaded: int
    instruments: int
    jurisdictions: list[JurisdictionOut]
    by_jurisdiction: list[tuple[JurisdictionOut, int]]
    by_level: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    recent: list[dict[str, Any]]
    departments: list[str]
    tree: list[tuple[int, JurisdictionOut, int]]  # (depth, place, policies) in tree order


def overview(store: PolicyStore) -> Overview:
    policies = all_policies(store)
    instruments = instrument_rows(store)
    places = list_jurisdictions(store)
    level_of = {j.iri: j.level for j in places}
    per_place = Counter(p for policy in policies for p in policy["jurisdictions"])
    by_jurisdiction = sorted(((j, per_place[j.iri]) for j in places if per_place[j.iri]),
                             key=lambda item: (-item[1], item[0].id))
    by_level = Counter(level_of.get(p) or "" for policy in policies
                       for p in set(policy["jurisdictions"]))
    by_category = Counter(i.category or "other" for i in instruments)
    loaded = [p for p in policies if p["loaded"]]
    recent = sorted(loaded, key=lambda p: p["issued"] or dt.date.min, reverse=True)
    departments = sorted({d for p in policies for d in p["issued_by"]})
    return Overview(tree=_tree(places, per_place),
        policies=len(policies), loaded=len(loaded), instruments=len(instruments),
        jurisdictions=places, by_jurisdiction=by_jurisdiction,
        by_level=sorted(((k, v) for k, v in by_level.items() if k), key=lambda kv: -kv[1]),
        by_category=by_category.most_common(), recent=recent, departments=departments,
    )


def _tree(places: list[JurisdictionOut], counts: Counter) -> list[tuple[int, JurisdictionOut, int]]:
    """The jurisdiction hierarchy depth-first (a place without a known parent is a root)."""
    known = {j.iri for j in places}
    children: dict[str | None, list[JurisdictionOut]] = defaultdict(list)
    for place in places:
        children[place.within if place.within in known else None].append(place)
    out: list[tuple[int, JurisdictionOut, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for place in sorted(children[parent], key=lambda j: j.division_code or j.id):
            if len(out) < len(places):  # a cycle in pkg:within cannot loop forever
                out.append((depth, place, counts[place.iri]))
                walk(place.iri, depth + 1)

    walk(None, 0)
    return out


# ---- policy page -------------------------------------------------------------------------------


@dataclass
class Segment:
    """A run of clause text; `mark` is the anchor of the evidence sentence it highlights."""

    text: str
    mark: str | None = None
    title: str | None = None


@dataclass
class ClauseView:
    node: parts.ClauseNode
    anchor: str
    segments: list[Segment]
    children: list[ClauseView] = field(default_factory=list)


def highlight(text: str, quotes: list[tuple[str, str, str]]) -> list[Segment]:
    """`text` cut into runs, each quoted sentence (quote, anchor, title) marked where it first
    occurs; overlapping or absent quotes are left unmarked (the instrument row still links)."""
    spans: list[tuple[int, int, str, str]] = []
    for quote, mark, title in quotes:
        start = text.find(quote) if quote else -1
        if start < 0 or any(s < start + len(quote) and start < e for s, e, _, _ in spans):
            continue
        spans.append((start, start + len(quote), mark, title))
    segments: list[Segment] = []
    position = 0
    for start, end, mark, title in sorted(spans):
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], mark, title))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def _clause_views(nodes: list[parts.ClauseNode],
                  quotes: dict[str, list[tuple[str, str, str]]]) -> list[ClauseView]:
    return [ClauseView(node, anchor(node.iri), highlight(node.text or "", quotes.get(node.iri, [])),
                       _clause_views(node.children, quotes)) for node in nodes]


@dataclass
class PolicyView:
    summary: dict[str, Any]
    status: str
    clauses: list[ClauseView]
    instruments: list[InstrumentOut]
    evidence_anchor: dict[str, str]
    targets: list[parts.TargetOut]
    relations: list[parts.RelationOut]
    warnings: list[str]


def policy_exists(store: PolicyStore, policy_id: str) -> bool:
    return bool(store.query("ASK { ?policy a pkg:PolicyDocument }",
                            {"policy": URIRef(POLICY_NS + policy_id)}))


def policy_view(store: PolicyStore, policy_id: str, today: dt.date) -> PolicyView | None:
    """Everything `GET /policies/{id}` answers, arranged for the page; None when unknown."""
    iri = POLICY_NS + policy_id
    found = policy_routes.list_policies(store, "FILTER(?policy = ?wanted)", {"wanted": URIRef(iri)})
    if not found:
        return None
    instruments = instrument_rows(store, policy=iri)
    targets = parts.targets(store, iri)
    quotes: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    evidence_anchor: dict[str, str] = {}
    for fact_iri, evidence, title in (
        [(i.iri, i.evidence, i.label or "") for i in instruments]
        + [(t.iri, t.evidence, t.name or "") for t in targets]
    ):
        if evidence.clause and evidence.quote:
            mark = "ev-" + anchor(fact_iri)
            evidence_anchor[fact_iri] = mark
            quotes[evidence.clause].append((evidence.quote, mark, title))
    return PolicyView(
        summary=found[0], status=status_on(found[0], today),
        clauses=_clause_views(parts.clause_tree(store, iri), quotes),
        instruments=instruments, evidence_anchor=evidence_anchor, targets=targets,
        relations=parts.relations(store, iri), warnings=parts.warnings(store, iri),
    )


#: InstrumentOut fields the instrument table shows in its own columns; any other field (the
#: extraction model grows: kind, rate_options, thresholds…) is listed under "other fields".
SHOWN_FIELDS = {"iri", "label", "category", "policy", "policy_title", "jurisdictions", "rate",
                "rate_kind", "rate_base", "min_cny", "max_cny", "period", "cap_scope",
                "beneficiary", "administered_by", "tops_up", "evidence"}


def extra_fields(instrument: InstrumentOut) -> list[tuple[str, Any]]:
    """Fields beyond the table's columns that carry something (a false flag does not); tiers,
    years and thresholds show their labels as they read (40%(首次认定的)、25%)."""
    data = instrument.model_dump(exclude=SHOWN_FIELDS)
    return [(k, _readable(v)) for k, v in data.items() if v not in (None, [], {}, "") and v is not False]


def _readable(value: Any) -> Any:
    if isinstance(value, list) and value and all(isinstance(x, dict) and x.get("label") for x in value):
        return "、".join(x["label"] for x in value)
    return value


# ---- jurisdiction, department, comparison, search --------------------------------------------


@dataclass
class JurisdictionView:
    place: JurisdictionOut
    enclosing: list[JurisdictionOut]
    enclosed: list[JurisdictionOut]
    in_force: list[dict[str, Any]]
    own: list[dict[str, Any]]
    by_category: list[tuple[str, list[InstrumentOut]]]


def jurisdiction_view(store: PolicyStore, name: str, today: dt.date) -> JurisdictionView | None:
    places = list_jurisdictions(store)
    by_iri = {j.iri: j for j in places}
    place = next((j for j in places if j.id == name), None)
    if place is None:
        return None
    grouped: dict[str, list[InstrumentOut]] = defaultdict(list)
    for row in instrument_rows(store, jurisdiction=place.iri):
        grouped[row.category or "other"].append(row)
    return JurisdictionView(
        place=place,
        enclosing=[by_iri[i] for i in place.enclosing if i in by_iri],
        enclosed=[j for j in places if j.within == place.iri],
        in_force=all_policies(store, jurisdiction=place.iri, in_force=today),
        own=[p for p in all_policies(store) if place.iri in p["jurisdictions"]],
        by_category=sorted(grouped.items()),
    )


@dataclass
class DepartmentView:
    iri: str
    name: str
    jurisdiction: str | None
    issued: list[dict[str, Any]]
    roles: list[dict[str, Any]]


def department_view(store: PolicyStore, iri: str) -> DepartmentView | None:
    """The `departments` named query's rows for one department, and the policies it issued."""
    rows = [r for r in run_query(store, "departments").rows if r["department"] == iri]
    issued = [p for p in all_policies(store) if iri in p["issued_by"]]
    if not rows and not issued:
        return None
    first = rows[0] if rows else {}
    return DepartmentView(iri=iri, name=first.get("department_name") or "",
                          jurisdiction=first.get("department_jurisdiction"), issued=issued,
                          roles=rows)


def comparison(store: PolicyStore, category: str, jurisdictions: list[str],
               levels: list[str]) -> Comparison | None:
    """`queries.comparison.compare` (what `GET /comparison` answers) for the jurisdictions
    (IRIs or ids) and levels ticked on the page; with none ticked, every place offering the
    category. None when no place qualifies."""
    places = list_jurisdictions(store)
    chosen = [j.iri for j in places if j.iri in jurisdictions or j.id in jurisdictions
              or (levels and j.level in levels)]
    if not jurisdictions and not levels:
        chosen = [p.iri for p in offering_places(store, category)]
    if category not in CATEGORIES:  # before the no-place answer: a bad category is a bad request
        raise EligibilityInputError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}", "category")
    return compare(store, category, chosen) if chosen else None


def search(store: PolicyStore, text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Policies whose title contains `text`, and the `search` named query's clauses."""
    needle = text.strip()
    if not needle:
        return [], []
    titles = [p for p in all_policies(store) if needle in (p["title"] or "")
              or needle == (p["doc_number"] or "")]
    return titles, run_query(store, "search", {"text": needle}).rows
