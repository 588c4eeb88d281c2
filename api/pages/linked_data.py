"""Dereferenceable IRIs (W3C "Cool URIs for the Semantic Web", §4.3, 303 URIs).

`GET /id/{path}` names a thing (a policy, a clause, a place), not a document, so it answers
303 See Other to a document about it, chosen by Accept:
- a browser (text/html preferred) → the HTML page (`links.page_url`);
- an RDF client → `/data/{path}.ttl|.jsonld|.nt|.rdf`, its description in that format.
`/data/{path}` without an extension negotiates too (200, `Vary: Accept`). The description of a
policy is its API twin (`GET /policies/{id}` as RDF: clauses, instruments, evidence…); of any
other IRI, every triple with it as subject or object.
Point `https://w3id.org/policykg/` at a deployment with a w3id.org `.htaccess` redirecting
`id/(.*)` to `https://HOST/id/$1` with 303, keeping the Accept header (docs/linked-data.md).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from rdflib import Graph, URIRef

from policykg.api.deps import StoreDep
from policykg.api.errors import NotFound
from policykg.api.negotiation import (
    JSON_LD,
    N_TRIPLES,
    RESOURCE_GRAPH_SERIALISERS,
    TURTLE,
    choose,
    with_charset,
)
from policykg.api.routes import policies as policy_routes
from policykg.ontology.vocab import ID, PREFIXES
from policykg.queries.store import PolicyStore

from .browser import prefers_html
from .links import page_url

router = APIRouter(include_in_schema=False)

RDF_XML = "application/rdf+xml"


def _rdfxml(graph: Graph) -> bytes:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph.serialize(format="xml", encoding="utf-8")


#: media type → serialiser; extension → media type (the `/data/…` document names).
SERIALISERS: dict[str, Callable[[Graph], bytes]] = {
    **{media: s.render for media, s in RESOURCE_GRAPH_SERIALISERS.items()}, RDF_XML: _rdfxml,
}
EXTENSIONS = {"ttl": TURTLE, "jsonld": JSON_LD, "nt": N_TRIPLES, "rdf": RDF_XML}
SUFFIX = {media: ext for ext, media in EXTENSIONS.items()}
URI_SAFE = ":/?#[]@!$&'()*+,;=%"
OFFERED = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)

DESCRIBE = """
CONSTRUCT { ?thing ?p ?o . ?s ?q ?thing } WHERE {
  { ?thing ?p ?o } UNION { ?s ?q ?thing }
}
"""


def describe(store: PolicyStore, iri: str) -> Graph:
    """The description served for `iri` (empty graph: the store knows nothing about it)."""
    term = URIRef(iri)
    if iri.startswith(policy_routes.POLICY_NS) and "/" not in iri[len(policy_routes.POLICY_NS):]:
        graph = policy_routes._graph(store, policy_routes.DETAIL_GRAPH, {"policy": term})
        if len(graph):
            return graph
    return policy_routes._graph(store, DESCRIBE, {"thing": term})


def _known(store: PolicyStore, iri: str) -> bool:
    return bool(store.query("ASK { { ?thing ?p ?o } UNION { ?s ?q ?thing } }",
                            {"thing": URIRef(iri)}))


def _iri(path: str) -> str:
    # ox.NamedNode validates the IRI (a path with spaces or quotes is not one of ours)
    try:
        return ox.NamedNode(str(ID) + path).value
    except ValueError:
        raise NotFound(f"Not an IRI of this graph: {path!r}.") from None


@router.get("/id/{path:path}")
def dereference(request: Request, store: StoreDep, path: str) -> Response:
    iri = _iri(path)
    if not _known(store, iri):
        raise NotFound(f"No resource {iri} in the graph.", {"iri": iri})
    if prefers_html(request, OFFERED):
        target = page_url(iri)
    else:
        media = choose(request.headers.get("accept"), OFFERED)
        target = f"/data/{quote(path, safe='/')}.{SUFFIX[media]}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


@router.get("/ontology")
def ontology() -> Response:
    """The ontology document, where `https://w3id.org/policykg/ontology#…` terms are defined
    (hash IRIs: the client strips the fragment and fetches this)."""
    text = resources.files("policykg.ontology").joinpath("policy.ttl").read_bytes()
    return Response(text, media_type=with_charset(TURTLE))


@router.get("/data/{path:path}")
def data_document(request: Request, store: StoreDep, path: str) -> Response:
    stem, dot, ext = path.rpartition(".")
    if dot and ext in EXTENSIONS and "/" not in ext:
        media, path = EXTENSIONS[ext], stem
    else:
        media = choose(request.headers.get("accept"), OFFERED)
    iri = _iri(path)
    graph = describe(store, iri)
    if not len(graph):
        raise NotFound(f"No resource {iri} in the graph.", {"iri": iri})
    return Response(SERIALISERS[media](graph), media_type=with_charset(media),
                    headers={"Vary": "Accept", "Link": f'<{quote(iri, safe=URI_SAFE)}>; rel="describes"'})
