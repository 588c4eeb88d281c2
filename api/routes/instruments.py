"""`/instruments`: the cross-jurisdiction comparison table of funding instruments — for one
kind of support, what each jurisdiction offers (rate, base, cap, period, administrators) and
the clause and quoted sentence it comes from."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from rdflib import Graph

from policykg.api.deps import StoreDep
from policykg.api.errors import error_responses
from policykg.api.negotiation import rdf_twin, resource_responses
from policykg.queries.labels import labels_for
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
  (SAMPLE(?tops_) AS ?topsUp)
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
  OPTIONAL { ?instrument pkg:fundingJurisdiction ?fj }
  OPTIONAL { ?instrument pkg:administeredBy ?dept }
} GROUP BY ?instrument
ORDER BY ?cat ?instrument
"""
CONSTRUCT = """
CONSTRUCT { ?instrument ?p ?o . ?ev ?ep ?eo } WHERE {
  ?instrument a pkg:FundingInstrument .
  %s
  { ?instrument ?p ?o } UNION { ?instrument pkg:evidence ?ev . ?ev ?ep ?eo }
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
    min_cny: Number | None = Field(None, description="Yuan; an integer when whole.")
    max_cny: Number | None = Field(None, description="Yuan; an integer when whole.")
    period: str | None = None
    cap_scope: str | None = None
    beneficiary: str | None = None
    administered_by: list[str] = Field(default_factory=list, description="Department IRIs.")
    tops_up: str | None = Field(None, description="IRI of the instrument this one tops up (加码).")
    evidence: Evidence
    labels: dict[str, dict[str, str | None]] = Field(
        default_factory=dict,
        description="zh / en labels of the codes and IRIs above (每个受益主体 for per_recipient).")

    def labelled_values(self) -> list[str | None]:
        return [self.category, self.rate_kind, self.period, self.cap_scope, *self.jurisdictions,
                *self.administered_by]


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


def instrument_rows(store: PolicyStore, **filters: Any) -> list[InstrumentOut]:
    """The comparison table, filtered by category / jurisdiction (with enclosing) / policy."""
    fragment, bindings = _bindings(store, filters)
    result = store.query(SELECT % fragment, bindings)
    assert isinstance(result, SelectResult)
    rows = [
        InstrumentOut(
            iri=r["instrument"], label=r["label"], category=r["cat"], policy=r["of"],
            policy_title=r["title"], jurisdictions=_split(r["funders"]) or _split(r["policyPlaces"]),
            rate=r["rate"], rate_kind=r["kind"], rate_base=r["base"], min_cny=r["min"],
            max_cny=r["max"], period=r["period"], cap_scope=r["scope"],
            beneficiary=r["beneficiary"], administered_by=_split(r["administrators"]),
            tops_up=r["topsUp"],
            evidence=Evidence(clause=r["clause"], clause_number=r["number"], quote=r["quote"],
                              source_file=r["source"], char_start=r["start"], char_end=r["end"]),
        )
        for r in result.rows
    ]
    named = labels_for(store, (v for row in rows for v in row.labelled_values()))
    for row in rows:
        row.labels = {v: named[v] for v in row.labelled_values() if v and v in named}
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
