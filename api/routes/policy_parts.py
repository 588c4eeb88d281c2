"""The parts of one policy shown by `/policies/{id}`: its clause tree, targets, relations to
other documents (with the evidence sentence where a relation statement records one), and the
loader's warnings. Each part is one query over the store; the models sit beside them."""

from __future__ import annotations

from pydantic import BaseModel, Field
from rdflib import URIRef

from policykg.api.routes.instruments import Evidence, Number
from policykg.queries.store import PolicyStore, SelectResult

CLAUSES = """
SELECT ?clause ?parent ?number ?heading ?text ?position ?source ?start ?end
  (GROUP_CONCAT(DISTINCT STR(?resp); separator=" ") AS ?responsible)
  (GROUP_CONCAT(DISTINCT STR(?coop); separator=" ") AS ?cooperating)
WHERE {
  ?clause pkg:ofPolicy ?policy .
  OPTIONAL { ?clause pkg:partOf ?parent }
  OPTIONAL { ?clause pkg:number ?number }
  OPTIONAL { ?clause pkg:heading ?heading }
  OPTIONAL { ?clause pkg:text ?text }
  OPTIONAL { ?clause pkg:position ?position }
  OPTIONAL { ?clause pkg:sourceFile ?source }
  OPTIONAL { ?clause pkg:charStart ?start }
  OPTIONAL { ?clause pkg:charEnd ?end }
  OPTIONAL { ?clause pkg:responsibleUnit ?resp }
  OPTIONAL { ?clause pkg:cooperatingUnit ?coop }
} GROUP BY ?clause ?parent ?number ?heading ?text ?position ?source ?start ?end
ORDER BY ?position ?number
"""

TARGETS = """
SELECT ?target ?name ?value ?unit ?year ?quote ?evclause ?evnumber ?source ?start ?end WHERE {
  ?target pkg:targetOf ?policy .
  OPTIONAL { ?target rdfs:label ?name }
  OPTIONAL { ?target pkg:targetValue ?value }
  OPTIONAL { ?target pkg:unit ?unit }
  OPTIONAL { ?target pkg:targetYear ?year }
  OPTIONAL { ?target pkg:evidence ?ev . ?ev pkg:quote ?quote .
             OPTIONAL { ?ev pkg:inClause ?evclause OPTIONAL { ?evclause pkg:number ?evnumber } } OPTIONAL { ?ev pkg:sourceFile ?source }
             OPTIONAL { ?ev pkg:charStart ?start } OPTIONAL { ?ev pkg:charEnd ?end } }
} ORDER BY ?target
"""

RELATIONS = """
SELECT ?type ?direction ?other ?title ?loaded ?scope ?quote ?evclause ?evnumber ?source ?start ?end WHERE {
  VALUES (?rel ?type) {
    (pkg:supports "supports") (pkg:supersedes "supersedes") (pkg:prevailsOver "prevails_over")
    (pkg:cites "cites") (pkg:alignsWith "aligns_with") (pkg:implementedBy "implemented_by")
    (pkg:describedIn "described_in")
  }
  { ?policy ?rel ?other . BIND("outgoing" AS ?direction) BIND(?policy AS ?subj) BIND(?other AS ?obj) }
  UNION
  { ?other ?rel ?policy . BIND("incoming" AS ?direction) BIND(?other AS ?subj) BIND(?policy AS ?obj) }
  OPTIONAL { ?other pkg:title ?title }
  BIND(EXISTS { ?other pkg:loaded true } AS ?loaded)
  OPTIONAL { ?st pkg:relationSubject ?subj ; pkg:relationObject ?obj ; pkg:relationType ?rel .
             OPTIONAL { ?st pkg:precedenceScope/skos:notation ?scope }
             OPTIONAL { ?st pkg:evidence ?ev . ?ev pkg:quote ?quote .
                        OPTIONAL { ?ev pkg:inClause ?evclause OPTIONAL { ?evclause pkg:number ?evnumber } } OPTIONAL { ?ev pkg:sourceFile ?source }
                        OPTIONAL { ?ev pkg:charStart ?start } OPTIONAL { ?ev pkg:charEnd ?end } } }
} ORDER BY ?direction ?type ?other
"""

#: Loader warnings kept with a policy (`skos:editorialNote`), when the loader stored any.
WARNINGS = "SELECT DISTINCT ?note WHERE { ?policy skos:editorialNote ?note } ORDER BY ?note"


class ClauseNode(BaseModel):
    iri: str
    number: str | None = None
    heading: str | None = None
    text: str | None = None
    position: int | None = None
    source_file: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    responsible_units: list[str] = Field(default_factory=list, description="Department IRIs.")
    cooperating_units: list[str] = Field(default_factory=list)
    children: list[ClauseNode] = Field(default_factory=list)


class TargetOut(BaseModel):
    iri: str
    name: str | None = None
    value: Number | None = None
    unit: str | None = None
    year: int | None = None
    evidence: Evidence


class RelationOut(BaseModel):
    """`outgoing`: this policy → other (e.g. this supports other); `incoming`: other → this."""

    type: str = Field(description="supports, supersedes, prevails_over, cites, aligns_with, "
                                  "implemented_by or described_in")
    direction: str
    other: str = Field(description="IRI of the other document.")
    other_title: str | None = None
    other_loaded: bool | None = None
    scope: str | None = None
    evidence: Evidence | None = None


def _rows(store: PolicyStore, query: str, policy: str) -> list[dict]:
    result = store.query(query, {"policy": URIRef(policy)})
    assert isinstance(result, SelectResult)
    return result.rows


def _evidence(row: dict) -> Evidence | None:
    if row.get("quote") is None:
        return None
    return Evidence(clause=row.get("evclause"), clause_number=row.get("evnumber"), quote=row["quote"], source_file=row.get("source"),
                    char_start=row.get("start"), char_end=row.get("end"))


def clause_tree(store: PolicyStore, policy: str) -> list[ClauseNode]:
    """The policy's clauses nested by `pkg:partOf`; orphans (parent not found) go to the top."""
    rows = _rows(store, CLAUSES, policy)
    nodes = {
        r["clause"]: ClauseNode(
            iri=r["clause"], number=r["number"], heading=r["heading"], text=r["text"],
            position=r["position"], source_file=r["source"], char_start=r["start"],
            char_end=r["end"], responsible_units=sorted((r["responsible"] or "").split()),
            cooperating_units=sorted((r["cooperating"] or "").split()),
        )
        for r in rows
    }
    roots: list[ClauseNode] = []
    for r in rows:
        node = nodes[r["clause"]]
        parent = nodes.get(r["parent"]) if r["parent"] != r["clause"] else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def targets(store: PolicyStore, policy: str) -> list[TargetOut]:
    return [
        TargetOut(iri=r["target"], name=r["name"], value=r["value"], unit=r["unit"],
                  year=r["year"], evidence=_evidence(r) or Evidence())
        for r in _rows(store, TARGETS, policy)
    ]


def relations(store: PolicyStore, policy: str) -> list[RelationOut]:
    return [
        RelationOut(type=r["type"], direction=r["direction"], other=r["other"],
                    other_title=r["title"], other_loaded=r["loaded"], scope=r["scope"],
                    evidence=_evidence(r))
        for r in _rows(store, RELATIONS, policy)
    ]


def warnings(store: PolicyStore, policy: str) -> list[str]:
    return [r["note"] for r in _rows(store, WARNINGS, policy)]
