"""Reading RDF request bodies (Turtle, N-Triples, JSON-LD, RDF/XML, N3) by Content-Type.

Parsed with pyoxigraph, not rdflib: its errors are uniform `SyntaxError`s with line and column,
and its JSON-LD parser never fetches remote `@context` documents, so a request body cannot
make the server send HTTP requests. Quads in named graphs are merged into one graph.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from policykg.api.errors import MalformedRdf, UnsupportedMediaType
from policykg.queries.terms import to_rdflib

ACCEPTED = ("text/turtle", "application/ld+json", "application/n-triples",
            "application/rdf+xml", "text/n3")


def rdf_format(content_type: str | None) -> ox.RdfFormat:
    media_type = (content_type or "").split(";")[0].strip().lower()
    fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if fmt is None or fmt.supports_datasets and fmt != ox.RdfFormat.JSON_LD:
        raise UnsupportedMediaType(
            f"Send RDF as one of {', '.join(ACCEPTED)}, not {media_type or 'no Content-Type'}.",
            {"accepted": list(ACCEPTED)},
        )
    return fmt


def parse_rdf(body: bytes, content_type: str | None) -> Graph:
    """The body as an rdflib Graph; 415 for an unknown type, 400 (with position) if unparsable."""
    fmt = rdf_format(content_type)
    graph = Graph()
    try:
        for quad in ox.parse(body, fmt):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        raise MalformedRdf(f"The body is not valid {fmt.name}: {exc}",
                           {"format": fmt.name, "parser_message": str(exc)}) from None
    return graph
