"""A policy's neighbourhood as cytoscape.js elements, captioned like the Bloom perspective.

The triples are the policy's RDF twin (`GET /policies/{id}` with Accept: text/turtle, the
route's DETAIL_GRAPH) plus the other documents it is related to in either direction
(`policy_parts.relations`). Node labels, captions, colours and relationship captions come from
`loaders.neo4j_perspective` / `neo4j_mapping`, so the page and Bloom name things alike.
Evidence and relation-statement nodes are left out (their sentences are on the policy page):
the picture shows who offers what, where, under which clause.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, Graph, URIRef

from policykg.api.routes import policies as policy_routes
from policykg.api.routes import policy_parts as parts
from policykg.loaders.neo4j_mapping import mapping
from policykg.loaders.neo4j_perspective import categories
from policykg.ontology.vocab import PKG
from policykg.queries.store import PolicyStore

from .i18n import Words, camel
from .links import last_segment, page_url

#: Labels not drawn: evidence and relation statements (their sentences are on the policy page)
#: and the small code lists (period, cap scope…), which every instrument would point at.
HIDDEN = {"Evidence", "RelationStatement", "FundingShare", "CapScope", "Period", "RateKind",
          "DocumentType", "StackingRule", "PrecedenceScope", "PrecedencePrinciple"}
CAPTION_PREDICATES = {"title_zh": PKG.title, "number": PKG.number}
#: Types and names of the nodes the twin only points at (jurisdictions, departments, concepts).
NODE_INFO = """
SELECT ?node ?type ?name WHERE {
  ?node a ?type .
  OPTIONAL { ?node skos:prefLabel|rdfs:label|pkg:title ?name }
}
"""


def _style() -> dict[str, dict[str, Any]]:
    """label → colour and caption key, as in the Bloom perspective's categories."""
    return {c["labels"][0]: {"color": c["color"], "caption": c["captionKeys"][0],
                             "name": c["name"]} for c in categories()}


def neighbourhood(store: PolicyStore, policy_id: str, words: Words) -> dict[str, Any]:
    iri = policy_routes.POLICY_NS + policy_id
    twin = policy_routes._graph(store, policy_routes.DETAIL_GRAPH, {"policy": URIRef(iri)})
    relations = parts.relations(store, iri)
    for rel in relations:  # incoming relations are not in the twin
        predicate = PKG[camel(rel.type)]
        pair = (URIRef(rel.other), URIRef(iri)) if rel.direction == "incoming" else (URIRef(iri), URIRef(rel.other))
        twin.add((pair[0], predicate, pair[1]))
    m = mapping()
    style = _style()
    nodes: dict[str, dict[str, Any]] = {}
    info = _node_info(store, twin, words.lang)
    for node, (label, name) in info.items():
        if label in HIDDEN:
            continue
        caption = _caption(twin, URIRef(node), style.get(label, {}).get("caption"), name, words)
        nodes[node] = {"data": {
            "id": node, "label": caption[:40], "kind": label,
            "color": style.get(label, {}).get("color", "#848484"), "href": page_url(node),
        }}
    edges = []
    for s, p, o in twin:
        rel = m.relationships.get(p)  # type: ignore[arg-type]
        if rel is None or str(s) not in nodes or str(o) not in nodes or s == o:
            continue
        edges.append({"data": {"id": f"{s}|{rel.name}|{o}", "source": str(s), "target": str(o),
                               "label": rel.zh if words.lang == "zh" else (rel.en or rel.zh),
                               "type": rel.name}})
    legend = sorted({(n["data"]["kind"], n["data"]["color"]) for n in nodes.values()})
    return {"elements": list(nodes.values()) + sorted(edges, key=lambda e: e["data"]["id"]),
            "legend": [{"kind": k, "caption": m.label_zh.get(k) if words.lang == "zh" else k,
                        "color": c} for k, c in legend],
            "root": iri}


def _node_info(store: PolicyStore, twin: Graph, lang: str) -> dict[str, tuple[str, str | None]]:
    """node IRI → (Bloom label, name in `lang`) for every IRI of the twin that has a type."""
    iris = {str(n) for t in twin for n in (t[0], t[2]) if isinstance(n, URIRef)}
    labels = mapping().labels
    values = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
    query = NODE_INFO.replace("?node a", f"VALUES ?node {{ {values} }} ?node a", 1)
    result = store.raw_query(query)
    assert isinstance(result, ox.QuerySolutions)
    out: dict[str, tuple[str, str | None]] = {}
    rank: dict[str, int] = {}
    for row in result:
        node, label, name = row["node"].value, labels.get(URIRef(row["type"].value)), row["name"]
        if label is None:
            continue
        # a name in the page's language beats one in another language beats none
        score = 0 if name is None else 2 if getattr(name, "language", None) in (lang, None) else 1
        if score > rank.get(node, -1):
            out[node], rank[node] = (label, None if name is None else name.value), score
    return out


def _caption(twin: Graph, node: URIRef, key: str | None, name: str | None, words: Words) -> str:
    predicate = CAPTION_PREDICATES.get(key or "")
    if predicate is not None:
        for value in twin.objects(node, predicate):
            return str(value)
    for predicate in (RDFS.label, SKOS.prefLabel):
        for value in twin.objects(node, predicate):
            return str(value)
    if name:
        return name
    if (node, RDF.type, PKG.Category) in twin:
        return words.term(node)
    return last_segment(str(node))
