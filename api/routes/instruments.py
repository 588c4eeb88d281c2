"""`/instruments`: the cross-jurisdiction comparison table of funding instruments — for one
kind of support, what each jurisdiction offers (rate, base, cap, period, administrators; the
kind of support, tiers, year schedule and thresholds as the text states them) and the clause
and quoted sentence it comes from."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from rdflib import Graph

from policykg.api.deps import StoreDep
from policykg.api.errors import error_responses
from policykg.api.negotiation import rdf_twin, resource_responses
from policykg.queries.labels import Labeller
from policykg.queries.params import QueryParam, resolve
from policykg.queries.store import PolicyStore, SelectResult

router = APIRouter(tags=["instruments"])

# Filters are fixed fragments; their values are bound by the store as RDF terms, never pasted.
FILTERS = {
    "category": "?instrument pkg:category ?category .",
    "jurisdiction": "?place pkg:within* ?applies . ?instrument pkg:instrumentOf/pkg:jurisdiction ?applies .",
    "policy": "?instrument pkg:instrumentOf ?policy .",
}
SELECT = """
SELECT ?instrument (SAMPLE(?label_) AS ?label) (SAMPLE(?cat_) AS ?cat) (SAMPLE(?pol) AS ?of)
  (SAMPLE(?title_) AS ?title) (SAMPLE(?rate_) AS ?rate) (SAMPLE(?kind_) AS ?kind)
  (SAMPLE(?base_) AS ?base) (SAMPLE(?min_) AS ?min) (SAMPLE(?max_) AS ?max)
  (SAMPLE(?period_) AS ?period) (SAMPLE(?scope_) AS ?scope) (SAMPLE(?ben_) AS ?beneficiary)
  (SAMPLE(?clause_) AS ?clause) (SAMPLE(?number_) AS ?number) (SAMPLE(?quote_) AS ?quote)
  (SAMPLE(?source_) AS ?source) (SAMPLE(?start_) AS ?start) (SAMPLE(?end_) AS ?end)
  (SAMPLE(?tops_) AS ?topsUp) (SAMPLE(?ikind_) AS ?instrumentKind) (SAMPLE(?ceiling_) AS ?rateIsMax)
  (SAMPLE(?recipient_) AS ?recipient) (SAMPLE(?funder_) AS ?funderLevel)
  (SAMPLE(?years_) AS ?periodYears) (SAMPLE(?quantified_) AS ?quantified) (SAMPLE(?terms_) AS ?terms)
  (GROUP_CONCAT(DISTINCT STR(?fj); separator=" ") AS ?funders)
  (GROUP_CONCAT(DISTINCT STR(?pj); separator=" ") AS ?policyPlaces)
  (GROUP_CONCAT(DISTINCT STR(?dept); separator=" ") AS ?administrators)
WHERE {
  ?instrument a pkg:FundingInstrument .
  %s
  OPTIONAL { ?instrument pkg:category/skos:notation ?cat_ }
  OPTIONAL { ?instrument rdfs:label ?label_ }
  OPTIONAL { ?instrument pkg:instrumentOf ?pol .
             OPTIONAL { ?pol pkg:title ?title_ } OPTIONAL { ?pol pkg:jurisdiction ?pj } }
  OPTIONAL { ?instrument pkg:rate ?rate_ }
  OPTIONAL { ?instrument pkg:rateKind/skos:notation ?kind_ }
  OPTIONAL { ?instrument pkg:rateBase ?base_ }
  OPTIONAL { ?instrument pkg:minAmount ?min_ }
  OPTIONAL { ?instrument pkg:maxAmount ?max_ }
  OPTIONAL { ?instrument pkg:period/skos:notation ?period_ }
  OPTIONAL { ?instrument pkg:capScope/skos:notation ?scope_ }
  OPTIONAL { ?instrument pkg:beneficiary ?ben_ }
  OPTIONAL { ?instrument pkg:definedIn ?clause_ . OPTIONAL { ?clause_ pkg:number ?number_ } }
  OPTIONAL { ?instrument pkg:evidence ?ev . ?ev pkg:quote ?quote_ .
             OPTIONAL { ?ev pkg:sourceFile ?source_ } OPTIONAL { ?ev pkg:charStart ?start_ }
             OPTIONAL { ?ev pkg:charEnd ?end_ } }
  OPTIONAL { ?instrument pkg:topsUp ?tops_ }
  OPTIONAL { ?instrument pkg:instrumentKind/skos:notation ?ikind_ }
  OPTIONAL { ?instrument pkg:rateIsMax ?ceiling_ }
  OPTIONAL { ?instrument pkg:recipient/skos:notation ?recipient_ }
  OPTIONAL { ?instrument pkg:funderLevel ?funder_ }
  OPTIONAL { ?instrument pkg:periodYears ?years_ }
  OPTIONAL { ?instrument pkg:quantified ?quantified_ }
  OPTIONAL { ?instrument pkg:terms ?terms_ }
  OPTIONAL { ?instrument pkg:fundingJurisdiction ?fj }
  OPTIONAL { ?instrument pkg:administeredBy ?dept }
} GROUP BY ?instrument
ORDER BY ?cat ?instrument
"""
#: Tiers, year schedule and thresholds (issue 12) of the instruments the same filters select.
PARTS = """
SELECT ?instrument ?part ?type ?label ?rate ?condition ?order ?year ?quantity ?min ?minInclusive
       ?max ?maxInclusive ?unit
WHERE {
  ?instrument a pkg:FundingInstrument .
  %s
  { ?instrument pkg:rateOption ?part . BIND("option" AS ?type)
    OPTIONAL { ?part pkg:optionRate ?rate } OPTIONAL { ?part pkg:optionCondition ?condition }
    OPTIONAL { ?part pkg:optionOrder ?order } }
  UNION
  { ?instrument pkg:rateStep ?part . BIND("step" AS ?type)
    OPTIONAL { ?part pkg:stepYear ?year } OPTIONAL { ?part pkg:stepRate ?rate } }
  UNION
  { ?instrument pkg:threshold ?part . BIND("threshold" AS ?type)
    OPTIONAL { ?part pkg:thresholdQuantity ?quantity } OPTIONAL { ?part pkg:thresholdUnit ?unit }
    OPTIONAL { ?part pkg:thresholdMin ?min } OPTIONAL { ?part pkg:minInclusive ?minInclusive }
    OPTIONAL { ?part pkg:thresholdMax ?max } OPTIONAL { ?part pkg:maxInclusive ?maxInclusive } }
  OPTIONAL { ?part rdfs:label ?label }
}
"""
CONSTRUCT = """
CONSTRUCT { ?instrument ?p ?o . ?ev ?ep ?eo . ?part ?pp ?po } WHERE {
  ?instrument a pkg:FundingInstrument .
  %s
  { ?instrument ?p ?o } UNION { ?instrument pkg:evidence ?ev . ?ev ?ep ?eo }
  UNION { ?instrument pkg:rateOption|pkg:rateStep|pkg:threshold ?part . ?part ?pp ?po }
}
"""


#: Numbers as the store holds them: an int when whole (yuan amounts: 2000000, never 2000000.0),
#: else a float (see queries/terms.plain_number). `int` first so pydantic keeps ints as ints.
Number = int | float


class Evidence(BaseModel):
    """Where a fact was read: the clause, the quoted sentence, its span in the source file."""

    clause: str | None = Field(None, description="Clause IRI.")
    clause_number: str | None = None
    quote: str | None = None
    source_file: str | None = None
    char_start: int | None = None
    char_end: int | None = None


Money = int | float  # whole yuan are ints, so amounts stay exact


class RateOptionOut(BaseModel):
    """One tier of 按40%或25%分档, in the text's order."""

    rate: float | None = Field(None, description="A fraction: 40% is 0.4.")
    condition: str | None = Field(None, description="What selects this tier, where the text says.")
    label: str | None = Field(None, description="As it reads, e.g. 40%(首次认定的).")


class ScheduleStepOut(BaseModel):
    """One year of a year schedule (第一年60%…)."""

    year: int | None = None
    rate: float | None = None
    label: str | None = None


class ThresholdOut(BaseModel):
    """A condition on a quantity (营业收入20万元(含)至50万元(不含)): never an offer."""

    quantity: str | None = None
    min: Money | None = None
    min_inclusive: bool | None = None
    max: Money | None = None
    max_inclusive: bool | None = None
    unit: str | None = Field(None, description="CNY, % (bounds are fractions) or the unit as written.")
    label: str | None = None


class InstrumentOut(BaseModel):
    """One row of the comparison table."""

    iri: str
    label: str | None = None
    category: str | None = Field(None, description="Notation, e.g. compute_voucher.")
    policy: str | None = Field(None, description="IRI of the policy offering it.")
    policy_title: str | None = None
    jurisdictions: list[str] = Field(
        default_factory=list,
        description="Funding jurisdictions (IRIs), else the policy's jurisdictions.")
    rate: Number | None = Field(None, description="A fraction: 20% is 0.2.")
    rate_kind: str | None = None
    rate_base: str | None = None
    min_cny: Money | None = Field(None, description="Yuan; an int when whole.")
    max_cny: Money | None = Field(None, description="Yuan; an int when whole.")
    period: str | None = None
    cap_scope: str | None = None
    beneficiary: str | None = None
    administered_by: list[str] = Field(default_factory=list, description="Department IRIs.")
    tops_up: str | None = Field(None, description="IRI of the instrument this one tops up (加码).")
    kind: str | None = Field(None, description="Kind of support: grant, voucher_pool, matching…")
    rate_is_max: bool = Field(False, description="最高/不超过 before the rate: a ceiling.")
    rate_options: list[RateOptionOut] = Field(default_factory=list, description="A或B tiers.")
    rate_schedule: list[ScheduleStepOut] = Field(default_factory=list, description="Year → rate.")
    thresholds: list[ThresholdOut] = Field(default_factory=list, description="Conditions, never offers.")
    recipient: str | None = Field(None, description="enterprise, institution, team, individual, organisation.")
    funder_level: str | None = Field(None, description="Who pays: city, city+district, province+city…")
    period_years: int | None = Field(None, description="For at most N years.")
    quantified: bool | None = Field(None, description="False for support named without a figure (一事一议).")
    terms: str | None = Field(None, description="The offer as it reads: 最高 30% 或 20%;每年最高 200万元.")
    evidence: Evidence
    labels: dict[str, dict[str, str | None]] = Field(
        default_factory=dict,
        description="zh / en labels of the codes and IRIs above (每个受益主体 for per_recipient).")

    def iris(self) -> list[str]:
        return [*self.jurisdictions, *self.administered_by]

    def codes(self) -> list[tuple[str, str | None]]:
        return [("category", self.category), ("rate_kind", self.rate_kind),
                ("period", self.period), ("cap_scope", self.cap_scope),
                ("recipient", getattr(self, "recipient", None))]


EXAMPLE = [{
    "iri": "https://w3id.org/policykg/id/policy/plan/clause/三、2/instrument/1",
    "label": "算力券", "category": "compute_voucher",
    "policy": "https://w3id.org/policykg/id/policy/plan",
    "policy_title": "关于促进通用人工智能产业创新发展的行动方案",
    "jurisdictions": ["https://w3id.org/policykg/id/jurisdiction/南通市"],
    "rate": 0.2, "rate_kind": "share", "rate_base": "实际支付智能算力费用", "min_cny": None,
    "max_cny": 2000000, "period": "yearly", "cap_scope": "per_recipient",
    "beneficiary": "通过平台使用智能算力的企业",
    "administered_by": ["https://w3id.org/policykg/id/org/南通市科技局"], "tops_up": None,
    "kind": "voucher", "rate_is_max": True, "rate_options": [], "rate_schedule": [], "thresholds": [],
    "recipient": "enterprise", "funder_level": "city", "period_years": None, "quantified": True,
    "terms": "实际支付智能算力费用的 最高 20%;每年最高 200万元",
    "evidence": {"clause": "https://w3id.org/policykg/id/policy/plan/clause/三、2",
                 "clause_number": "三、2", "quote": "对通过平台使用智能算力的企业,…",
                 "source_file": "001_3ed52c5da64ca356.txt", "char_start": 3630, "char_end": 3700},
}]


def _bindings(store: PolicyStore, filters: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The filter fragments and bound terms for the given filters (names resolved to IRIs)."""
    given = {k: v for k, v in filters.items() if v is not None}
    kinds = {"category": "category", "jurisdiction": "jurisdiction", "policy": "policy"}
    names = {"category": "category", "jurisdiction": "place", "policy": "policy"}
    params = tuple(QueryParam(name, kinds[name]) for name in given)
    terms = resolve(store, params, given)
    fragment = "\n  ".join(FILTERS[name] for name in given)
    return fragment, {names[name]: term for name, term in terms.items()}


def _split(text: str | None) -> list[str]:
    return sorted(text.split()) if text else []


def _parts(store: PolicyStore, fragment: str, bindings: dict[str, Any]) -> dict[str, dict[str, list]]:
    """instrument IRI -> {"option" | "step" | "threshold": [part, …]} in reading order."""
    result = store.query(PARTS % fragment, bindings)
    assert isinstance(result, SelectResult)
    parts: dict[str, dict[str, list]] = {}
    for r in sorted(result.rows, key=lambda r: (r["order"] or 0, r["year"] or 0, r["label"] or "", r["part"])):
        found = parts.setdefault(r["instrument"], {"option": [], "step": [], "threshold": []})
        if r["type"] == "option":
            found["option"].append(RateOptionOut(rate=r["rate"], condition=r["condition"], label=r["label"]))
        elif r["type"] == "step":
            found["step"].append(ScheduleStepOut(year=r["year"], rate=r["rate"], label=r["label"]))
        else:
            found["threshold"].append(ThresholdOut(
                quantity=r["quantity"], min=r["min"], min_inclusive=r["minInclusive"], max=r["max"],
                max_inclusive=r["maxInclusive"], unit=r["unit"], label=r["label"]))
    return parts


def instrument_rows(store: PolicyStore, **filters: Any) -> list[InstrumentOut]:
    """The comparison table, filtered by category / jurisdiction (with enclosing) / policy."""
    fragment, bindings = _bindings(store, filters)
    result = store.query(SELECT % fragment, bindings)
    assert isinstance(result, SelectResult)
    parts = _parts(store, fragment, bindings)
    none: dict[str, list] = {"option": [], "step": [], "threshold": []}
    rows = [
        InstrumentOut(
            iri=r["instrument"], label=r["label"], category=r["cat"], policy=r["of"],
            policy_title=r["title"], jurisdictions=_split(r["funders"]) or _split(r["policyPlaces"]),
            rate=r["rate"], rate_kind=r["kind"], rate_base=r["base"], min_cny=r["min"],
            max_cny=r["max"], period=r["period"], cap_scope=r["scope"],
            beneficiary=r["beneficiary"], administered_by=_split(r["administrators"]),
            tops_up=r["topsUp"], kind=r["instrumentKind"], rate_is_max=bool(r["rateIsMax"]),
            rate_options=parts.get(r["instrument"], none)["option"],
            rate_schedule=parts.get(r["instrument"], none)["step"],
            thresholds=parts.get(r["instrument"], none)["threshold"],
            recipient=r["recipient"], funder_level=r["funderLevel"], period_years=r["periodYears"],
            quantified=r["quantified"], terms=r["terms"],
            evidence=Evidence(clause=r["clause"], clause_number=r["number"], quote=r["quote"],
                              source_file=r["source"], char_start=r["start"], char_end=r["end"]),
        )
        for r in result.rows
    ]
    labeller = Labeller(store, (i for row in rows for i in row.iris()))
    for row in rows:
        row.labels = labeller.record(row.codes(), row.iris())
    return rows


def instruments_graph(store: PolicyStore, **filters: Any) -> Graph:
    fragment, bindings = _bindings(store, filters)
    graph = store.query(CONSTRUCT % fragment, bindings)
    assert isinstance(graph, Graph)
    return graph


@router.get("/instruments", response_model=list[InstrumentOut],
            responses={**resource_responses(EXAMPLE), **error_responses(400, 406)})
def get_instruments(
    request: Request,
    store: StoreDep,
    category: Annotated[str | None, Query(
        description="Kind of support: notation, label or IRI.", examples=["compute_voucher"])] = None,
    jurisdiction: Annotated[str | None, Query(
        description="Only instruments that apply in this jurisdiction or an enclosing one.",
        examples=["南通创新区"])] = None,
) -> Response | list[InstrumentOut]:
    """Compare funding instruments across jurisdictions, each with its clause and quote."""
    filters = {"category": category, "jurisdiction": jurisdiction}
    return (rdf_twin(request, lambda: instruments_graph(store, **filters))
            or instrument_rows(store, **filters))
