"""`/policies` and `/policies/{id}`: policy documents, filtered by jurisdiction (a firm in
南通创新区 also sees 南通市 and 江苏省 policies), date in force and kind of support; one policy
with its clause tree, instruments, targets, relations and loader warnings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field
from rdflib import Graph, URIRef

from policykg.api.deps import StoreDep
from policykg.api.errors import NotFound, error_responses
from policykg.api.negotiation import rdf_twin, resource_responses
from policykg.api.routes import policy_parts as parts
from policykg.api.routes.instruments import InstrumentOut, instrument_rows
from policykg.ontology.vocab import ID, policy_iri
from policykg.queries.catalogue import get_query
from policykg.queries.labels import Labeller
from policykg.queries.params import QueryParam, resolve
from policykg.queries.store import PolicyStore, SelectResult
from policykg.queries.terms import as_term

router = APIRouter(tags=["policies"])
POLICY_NS = str(ID) + "policy/"

# Filter fragments (fixed text; values are bound as RDF terms by the store).
FILTERS = {
    "jurisdiction": "?place pkg:within* ?applies . ?policy pkg:jurisdiction ?applies .",
    "category": "FILTER EXISTS { ?i pkg:instrumentOf ?policy ; pkg:category ?category }",
}
LIST = """
SELECT ?policy (SAMPLE(?title_) AS ?title) (SAMPLE(?number_) AS ?number) (SAMPLE(?type_) AS ?type)
  (SAMPLE(?issued_) AS ?issued) (SAMPLE(?from_) AS ?from) (SAMPLE(?until_) AS ?until)
  (SAMPLE(?loaded_) AS ?loaded) (SAMPLE(?source_) AS ?source) (SAMPLE(?described_) AS ?described)
  (GROUP_CONCAT(DISTINCT STR(?j); separator=" ") AS ?places)
  (GROUP_CONCAT(DISTINCT STR(?issuer); separator=" ") AS ?issuers)
  (GROUP_CONCAT(DISTINCT ?rule; separator=" ") AS ?rules)
  (GROUP_CONCAT(DISTINCT ?principle; separator=" ") AS ?principles)
WHERE {
  ?policy a pkg:PolicyDocument .
  %s
  OPTIONAL { ?policy pkg:title ?title_ }
  OPTIONAL { ?policy pkg:docNumber ?number_ }
  OPTIONAL { ?policy pkg:documentType/skos:notation ?type_ }
  OPTIONAL { ?policy pkg:issued ?issued_ }
  OPTIONAL { ?policy pkg:inForceFrom ?from_ }
  OPTIONAL { ?policy pkg:inForceUntil ?until_ }
  BIND(EXISTS { ?policy pkg:loaded true } AS ?loaded_)
  OPTIONAL { ?policy pkg:sourceFile ?source_ }
  OPTIONAL { ?policy pkg:describedIn ?described_ }
  OPTIONAL { ?policy pkg:jurisdiction ?j }
  OPTIONAL { ?policy pkg:issuedBy ?issuer }
  OPTIONAL { ?policy pkg:stackingRule/skos:notation ?rule }
  OPTIONAL { ?policy pkg:precedencePrinciple/skos:notation ?principle }
} GROUP BY ?policy
ORDER BY ?policy
"""
LIST_GRAPH = """
CONSTRUCT { ?policy ?p ?o } WHERE {
  { SELECT DISTINCT ?policy WHERE { ?policy a pkg:PolicyDocument . %s } }
  ?policy ?p ?o
}
"""
DETAIL_GRAPH = """
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?policy ?p ?o . BIND(?policy AS ?s) }
  UNION { ?s pkg:ofPolicy ?policy ; ?p ?o }
  UNION { ?s pkg:instrumentOf ?policy ; ?p ?o }
  UNION { ?s pkg:targetOf ?policy ; ?p ?o }
  UNION { ?s pkg:relationSubject ?policy ; ?p ?o }
  UNION { ?x pkg:instrumentOf|pkg:targetOf|pkg:relationSubject ?policy ; pkg:evidence ?s . ?s ?p ?o }
}
"""


class PolicySummary(BaseModel):
    """A policy document's metadata. `id` is the last segment of its stable IRI."""

    id: str
    iri: str
    title: str | None = None
    doc_number: str | None = Field(None, description="文号, e.g. 通政办规〔2024〕7号")
    document_type: str | None = Field(None, description="action_plan, measures, news_report, …")
    jurisdictions: list[str] = Field(default_factory=list, description="Jurisdiction IRIs.")
    issued_by: list[str] = Field(default_factory=list, description="Department IRIs.")
    issued: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = Field(None, description="Last day in force (inclusive).")
    loaded: bool | None = Field(None, description="False: only described or cited, text not loaded.")
    source_file: str | None = None
    described_in: str | None = None
    stacking_rules: list[str] = Field(default_factory=list)
    precedence_principles: list[str] = Field(default_factory=list)
    labels: dict[str, dict[str, str | None]] = Field(
        default_factory=dict,
        description="zh / en labels of the codes and IRIs above (就高不重复 for highest_applies, "
                    "南通市 for its IRI).")


class PolicyDetail(PolicySummary):
    """One policy with everything the graph knows about it."""

    clauses: list[parts.ClauseNode] = Field(default_factory=list)
    instruments: list[InstrumentOut] = Field(default_factory=list)
    targets: list[parts.TargetOut] = Field(default_factory=list)
    relations: list[parts.RelationOut] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


#: The example id is the real one of the seed corpus's 南通 action plan (ids are digests of
#: title and, for titles that name no place, issuing place), so the OpenAPI example answers on
#: a server that loaded corpus/ (tests/api/test_one_answer.py checks it).
EXAMPLE_IRI = str(policy_iri("关于促进通用人工智能产业创新发展的行动方案", "南通市"))
EXAMPLE_ID = EXAMPLE_IRI[len(POLICY_NS):]
SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_ID, "iri": EXAMPLE_IRI,
    "title": "关于促进通用人工智能产业创新发展的行动方案", "doc_number": "通政办规〔2024〕7号",
    "document_type": "action_plan",
    "jurisdictions": ["https://w3id.org/policykg/id/jurisdiction/南通市"],
    "issued_by": ["https://w3id.org/policykg/id/org/南通市人民政府办公室"],
    "issued": "2024-11-28", "in_force_from": "2025-02-01", "in_force_until": "2027-12-31",
    "loaded": True, "source_file": "001_3ed52c5da64ca356.txt", "described_in": None,
    "stacking_rules": ["highest_applies"], "precedence_principles": ["later_prevails"],
    "labels": {"highest_applies": {"zh": "就高不重复", "en": "highest applies, no double funding"},
               "https://w3id.org/policykg/id/jurisdiction/南通市": {"zh": "南通市", "en": "Nantong"}},
}
DETAIL_EXAMPLE = {**SUMMARY_EXAMPLE, "clauses": [{
    "iri": EXAMPLE_IRI + "/clause/三", "number": "三",
    "heading": "政策支持", "text": "三、政策支持", "position": 3, "children": [],
}], "instruments": [], "targets": [], "relations": [{
    "type": "supports", "direction": "incoming",
    "other": str(policy_iri("关于打造“紫琅三谷”、培育未来产业的若干政策意见", "南通创新区")), "other_title": "关于打造“紫琅三谷”、培育未来产业的若干政策意见",
    "other_loaded": False, "scope": None, "evidence": None}], "warnings": []}


def _bindings(store: PolicyStore, jurisdiction: str | None, in_force: dt.date | None,
              category: str | None) -> tuple[str, dict[str, Any]]:
    named = {"jurisdiction": jurisdiction, "category": category}
    given = {k: v for k, v in named.items() if v is not None}
    terms = resolve(store, tuple(QueryParam(k, k) for k in given), given)
    bindings: dict[str, Any] = {("place" if k == "jurisdiction" else k): t for k, t in terms.items()}
    fragments = [FILTERS[k] for k in given]
    if in_force is not None:
        fragments.append(_in_force_filter(store, in_force, terms.get("jurisdiction")))
    return "\n  ".join(fragments), bindings


def _in_force_filter(store: PolicyStore, on: dt.date, place: Any) -> str:
    """A filter to the policies the `in-force` named query lists (one definition of "in force"
    for the API, the CLI and the Cypher twin). Without a place its jurisdiction is left
    unbound, so every jurisdiction counts."""
    bindings = {"date": as_term(on)}
    if place is not None:
        bindings["jurisdiction"] = place
    result = store.query(get_query("in-force").sparql, bindings)
    assert isinstance(result, SelectResult)
    iris = sorted({row["policy"] for row in result.rows})
    return "VALUES ?policy { " + " ".join(f"<{iri}>" for iri in iris) + " }"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    iri = row["policy"]
    return dict(
        id=iri[len(POLICY_NS):] if iri.startswith(POLICY_NS) else iri, iri=iri,
        title=row["title"], doc_number=row["number"], document_type=row["type"],
        jurisdictions=sorted((row["places"] or "").split()),
        issued_by=sorted((row["issuers"] or "").split()), issued=_date(row["issued"]),
        in_force_from=_date(row["from"]), in_force_until=_date(row["until"]),
        loaded=row["loaded"], source_file=row["source"], described_in=row["described"],
        stacking_rules=sorted((row["rules"] or "").split()),
        precedence_principles=sorted((row["principles"] or "").split()),
    )


def list_policies(store: PolicyStore, fragment: str, bindings: dict[str, Any]) -> list[dict]:
    result = store.query(LIST % fragment, bindings)
    assert isinstance(result, SelectResult)
    summaries = [_summary(row) for row in result.rows]
    labeller = Labeller(store, (i for s in summaries for i in _iris(s)))
    for summary in summaries:
        summary["labels"] = labeller.record(_codes(summary), _iris(summary))
    return summaries


def _iris(summary: dict[str, Any]) -> list[str]:
    return [*summary["jurisdictions"], *summary["issued_by"]]


def _codes(summary: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [("document_type", summary["document_type"]),
            *(("stacking_rule", c) for c in summary["stacking_rules"]),
            *(("precedence_principle", c) for c in summary["precedence_principles"])]


def _graph(store: PolicyStore, query: str, bindings: dict[str, Any]) -> Graph:
    graph = store.query(query, bindings)
    assert isinstance(graph, Graph)
    return graph


@router.get("/policies", response_model=list[PolicySummary],
            responses={**resource_responses([SUMMARY_EXAMPLE]), **error_responses(400, 406, 422)})
def get_policies(
    request: Request,
    store: StoreDep,
    jurisdiction: Annotated[str | None, Query(
        description="Where a firm is: policies of this jurisdiction and every enclosing one.",
        examples=["南通创新区"])] = None,
    in_force: Annotated[dt.date | None, Query(
        description="Only policies in force on this date: those the `in-force` named query "
                    "lists (including policies whose dates are unknown).",
        examples=["2026-01-01"])] = None,
    category: Annotated[str | None, Query(
        description="Only policies offering this kind of support.", examples=["compute_voucher"])] = None,
) -> Response | list[dict]:
    """List policies, optionally for a place (with enclosing ones), a date in force, a category."""
    fragment, bindings = _bindings(store, jurisdiction, in_force, category)
    twin = rdf_twin(request, lambda: _graph(store, LIST_GRAPH % fragment, bindings))
    return twin or list_policies(store, fragment, bindings)


@router.get("/policies/{policy_id}", response_model=PolicyDetail,
            responses={**resource_responses(DETAIL_EXAMPLE), **error_responses(404, 406)})
def get_policy(
    request: Request,
    store: StoreDep,
    policy_id: Annotated[str, Path(description="Last segment of the policy IRI.", examples=[EXAMPLE_ID])],
) -> Response | PolicyDetail:
    """One policy: metadata, clause tree, instruments, targets, relations and warnings."""
    iri = POLICY_NS + policy_id
    try:   # an id that cannot be part of an IRI names no policy
        wanted = ox.NamedNode(iri)
    except ValueError:
        raise NotFound(f"No policy with id {policy_id!r}.", {"iri": None},
                       zh=f"没有 id 为 {policy_id!r} 的政策。") from None
    found = list_policies(store, "FILTER(?policy = ?wanted)", {"wanted": wanted})
    if not found:
        raise NotFound(f"No policy with id {policy_id!r}.", {"iri": iri},
                       zh=f"没有 id 为 {policy_id!r} 的政策。")
    twin = rdf_twin(request, lambda: _graph(store, DETAIL_GRAPH, {"policy": URIRef(iri)}))
    if twin is not None:
        return twin
    return PolicyDetail(
        **found[0],
        clauses=parts.clause_tree(store, iri),
        instruments=instrument_rows(store, policy=iri),
        targets=parts.targets(store, iri),
        relations=parts.relations(store, iri),
        warnings=parts.warnings(store, iri),
    )
