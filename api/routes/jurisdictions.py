"""`/jurisdictions`: the jurisdiction hierarchy (province → city → zone), with GB/T 2260
division codes, the chain of enclosing jurisdictions and how many policies apply in each."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from rdflib import Graph

from policykg.api.deps import StoreDep
from policykg.api.negotiation import rdf_twin, resource_responses
from policykg.ontology.vocab import JUR
from policykg.queries.store import PolicyStore, SelectResult

router = APIRouter(tags=["jurisdictions"])

LIST_QUERY = """
SELECT ?j ?name ?nameEn ?level ?code ?within (COUNT(DISTINCT ?policy) AS ?policies) WHERE {
  ?j a pkg:Jurisdiction .
  OPTIONAL { ?j skos:prefLabel ?name FILTER(LANG(?name) = "zh") }
  OPTIONAL { ?j skos:prefLabel ?nameEn FILTER(LANG(?nameEn) = "en") }
  OPTIONAL { ?j pkg:level/skos:notation ?level }
  OPTIONAL { ?j pkg:divisionCode ?code }
  OPTIONAL { ?j pkg:within ?within }
  OPTIONAL { ?policy pkg:jurisdiction ?j }
} GROUP BY ?j ?name ?nameEn ?level ?code ?within
ORDER BY ?j
"""
GRAPH_QUERY = "CONSTRUCT { ?j ?p ?o } WHERE { ?j a pkg:Jurisdiction ; ?p ?o }"


class JurisdictionOut(BaseModel):
    """One jurisdiction; `enclosing` lists every enclosing one, nearest first."""

    id: str = Field(description="Path segment of the IRI (the Chinese name).")
    iri: str
    name: str | None = None
    name_en: str | None = None
    level: str | None = Field(None, description="province, prefecture, development_zone, …")
    division_code: str | None = Field(None, description="GB/T 2260 code where one exists.")
    within: str | None = Field(None, description="IRI of the directly enclosing jurisdiction.")
    enclosing: list[str] = Field(default_factory=list)
    policy_count: int = 0


EXAMPLE = [{
    "id": "南通创新区", "iri": "https://w3id.org/policykg/id/jurisdiction/南通创新区",
    "name": "南通创新区", "name_en": "Nantong Innovation Zone", "level": "development_zone",
    "division_code": None, "within": "https://w3id.org/policykg/id/jurisdiction/南通市",
    "enclosing": ["https://w3id.org/policykg/id/jurisdiction/南通市",
                  "https://w3id.org/policykg/id/jurisdiction/江苏省",
                  "https://w3id.org/policykg/id/jurisdiction/中国"],
    "policy_count": 1,
}]


def short_id(iri: str) -> str:
    return iri[len(str(JUR)):] if iri.startswith(str(JUR)) else iri


def list_jurisdictions(store: PolicyStore) -> list[JurisdictionOut]:
    result = store.query(LIST_QUERY)
    assert isinstance(result, SelectResult)
    within = {row["j"]: row["within"] for row in result.rows if row["within"]}
    out = []
    for row in result.rows:
        chain: list[str] = []
        up = within.get(row["j"])
        while up and up not in chain and up != row["j"]:
            chain.append(up)
            up = within.get(up)
        out.append(JurisdictionOut(
            id=short_id(row["j"]), iri=row["j"], name=row["name"], name_en=row["nameEn"],
            level=row["level"], division_code=row["code"], within=row["within"],
            enclosing=chain, policy_count=row["policies"] or 0,
        ))
    return out


def jurisdictions_graph(store: PolicyStore) -> Graph:
    graph = store.query(GRAPH_QUERY)
    assert isinstance(graph, Graph)
    return graph


@router.get("/jurisdictions", response_model=list[JurisdictionOut],
            responses=resource_responses(EXAMPLE))
def get_jurisdictions(request: Request, store: StoreDep) -> Response | list[JurisdictionOut]:
    """List the jurisdictions with their level, division code and enclosing jurisdictions."""
    return rdf_twin(request, lambda: jurisdictions_graph(store)) or list_jurisdictions(store)
