"""HTTP content negotiation (RFC 9110 §12.5.1) as data: media type → serialiser tables and
one function, `choose`, that reads the Accept header (or a `format=` name) against what a
route offers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from fastapi import Request, Response
from rdflib import Graph

from policykg.api.errors import NotAcceptable
from policykg.ontology.vocab import PREFIXES

JSON = "application/json"
JSON_LD = "application/ld+json"
TURTLE = "text/turtle"
RDF_XML = "application/rdf+xml"
N_TRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"

#: SPARQL SELECT/ASK answers: media type → pyoxigraph results format.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    SPARQL_JSON: ox.QueryResultsFormat.JSON,
    SPARQL_XML: ox.QueryResultsFormat.XML,
    CSV: ox.QueryResultsFormat.CSV,
    TSV: ox.QueryResultsFormat.TSV,
}

#: SPARQL CONSTRUCT/DESCRIBE answers: media type → pyoxigraph RDF format.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    TURTLE: ox.RdfFormat.TURTLE,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    JSON_LD: ox.RdfFormat.JSON_LD,
    RDF_XML: ox.RdfFormat.RDF_XML,   # what SPARQLWrapper and rdflib's SPARQLStore ask for
}

Aliases = Mapping[str, Sequence[str]]

#: Media types SPARQL clients commonly send, each with the types it may stand for (the first
#: one the route offers is used). Only `/sparql` passes this table to `choose`, and an alias is
#: only used when the route does not offer the type literally: a JSON route asked for
#: application/json answers application/json.
SPARQL_ALIASES: Aliases = {
    "application/json": (SPARQL_JSON, JSON_LD),
    "text/javascript": (SPARQL_JSON,),
    "application/javascript": (SPARQL_JSON,),
    "application/xml": (SPARQL_XML, RDF_XML),
    "text/xml": (SPARQL_XML, RDF_XML),
    "application/x-turtle": (TURTLE,),
    "application/turtle": (TURTLE,),
    "text/plain": (N_TRIPLES,),
    "application/x-json+ld": (JSON_LD,),
    "text/n3": (TURTLE,),
    "text/rdf+n3": (TURTLE,),
    "application/n3": (TURTLE,),
}

#: RDF spellings older clients use; safe on every route that offers RDF twins.
RDF_ALIASES: Aliases = {
    "application/x-turtle": (TURTLE,),
    "application/turtle": (TURTLE,),
    "application/x-json+ld": (JSON_LD,),
}

#: Names accepted by the optional `format=` parameter, each with the media types it may mean
#: (the first one the route offers is used: `json` is SPARQL JSON on /sparql SELECT, JSON-LD
#: on CONSTRUCT and plain JSON on the JSON routes).
FORMAT_NAMES: Aliases = {
    "json": (JSON, SPARQL_JSON, JSON_LD), "xml": (SPARQL_XML, RDF_XML),
    "rdfxml": (RDF_XML,), "rdf": (RDF_XML,), "csv": (CSV,), "tsv": (TSV,),
    "turtle": (TURTLE,), "ttl": (TURTLE,), "ntriples": (N_TRIPLES,), "nt": (N_TRIPLES,),
    "jsonld": (JSON_LD,), "json-ld": (JSON_LD,), "n3": (TURTLE,),
}


@dataclass(frozen=True)
class GraphSerialiser:
    media_type: str
    render: Callable[[Graph], bytes]


def _jsonld(graph: Graph) -> bytes:
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix != "id"}
    return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")


def _rdflib(fmt: str) -> Callable[[Graph], bytes]:
    def render(graph: Graph) -> bytes:
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        return graph.serialize(format=fmt, encoding="utf-8")

    return render


#: Machine-readable twins of the resource routes: media type → rdflib graph serialiser.
RESOURCE_GRAPH_SERIALISERS: dict[str, GraphSerialiser] = {
    JSON_LD: GraphSerialiser(JSON_LD, _jsonld),
    TURTLE: GraphSerialiser(TURTLE, _rdflib("turtle")),
    N_TRIPLES: GraphSerialiser(N_TRIPLES, _rdflib("nt")),
    RDF_XML: GraphSerialiser(RDF_XML, _rdflib("pretty-xml")),
}

#: What every resource route offers: its JSON model first (the default), then RDF twins.
RESOURCE_TYPES: tuple[str, ...] = (JSON, *RESOURCE_GRAPH_SERIALISERS)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/* or type/*+suffix, 1 */*), 0 for none."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == kind and self.subtype == "*":
            return 2
        if self.type == kind and self.subtype.startswith("*+"):   # application/*+json (Spring)
            return 2 if sub.endswith(self.subtype[1:]) else 0
        return 3 if (self.type, self.subtype) == (kind, sub) else 0


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header, parameters other than q ignored."""
    ranges = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        kind, _, sub = media.partition("/")
        ranges.append(MediaRange(kind, sub, q, order))
    return ranges


def _resolve(media: str, offered: Sequence[str], aliases: Aliases) -> str:
    """`media` itself when offered, else the first offered type it is an alias for."""
    if media in offered:
        return media
    return next((t for t in aliases.get(media, ()) if t in offered), media)


def choose(accept: str | None, offered: Sequence[str], formats: Sequence[str] = (),
           aliases: Aliases = RDF_ALIASES) -> str:
    """The media type to answer with: the first offered `format=` value, else the Accept match.

    `format=` values may be names (csv, turtle…) or media types, comma-separated or repeated;
    values that are unknown or not offered here are ignored (clients such as SPARQLWrapper
    send `format=` with values meant for other servers), so Accept decides. `aliases` maps
    other spellings to offered types; it only applies to types the route does not offer itself.
    Ties on q go to the more specific range, then the client's order, then `offered`'s order
    (so `*/*` or no Accept header yields `offered[0]`). Raises `NotAcceptable`.
    """
    for value in formats:
        for piece in value.split(","):
            wanted = piece.strip().lower()
            media = _resolve(wanted, offered, {**aliases, **FORMAT_NAMES})
            if media in offered:
                return media
    if not accept or not accept.strip():
        return offered[0]
    ranges = [
        MediaRange(*_resolve(f"{r.type}/{r.subtype}", offered, aliases).split("/", 1), r.q, r.order)
        for r in parse_accept(accept)
    ]
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for position, media_type in enumerate(offered):
        matching = [(r.matches(media_type), r) for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        specificity, rng = max(matching, key=lambda m: (m[0], -m[1].order))
        if rng.q <= 0:
            continue
        key = (rng.q, specificity, -rng.order, -position)
        if best is None or key > best:
            best, chosen = key, media_type
    if chosen is None:
        raise NotAcceptable(
            f"cannot answer with any of: {accept}", {"available": list(offered)},
            zh=f"无法以以下任一格式作答:{accept};可用格式见 detail。",
        )
    return chosen


def with_charset(media_type: str) -> str:
    """The Content-Type header value: text and JSON bodies are always UTF-8."""
    if media_type.startswith("text/") or media_type.endswith("json"):
        return f"{media_type}; charset=utf-8"
    return media_type


def rdf_twin(request: Request, graph: Callable[[], Graph]) -> Response | None:
    """The RDF representation when the client asked for one, else None (answer with JSON).
    `graph` is only called when needed."""
    media_type = choose(request.headers.get("accept"), RESOURCE_TYPES)
    if media_type == JSON:
        return None
    body = RESOURCE_GRAPH_SERIALISERS[media_type].render(graph())
    return Response(body, media_type=with_charset(media_type), headers={"Vary": "Accept"})


def resource_responses(example: Any) -> dict[int | str, dict[str, Any]]:
    """OpenAPI 200 entry for a resource route: its JSON example and the RDF twins."""
    return {200: {
        "description": "JSON by default; RDF with Accept: application/ld+json, text/turtle, "
                       "application/n-triples or application/rdf+xml.",
        "content": {
            JSON: {"example": example},
            JSON_LD: {"example": {"@context": {"pkg": "https://w3id.org/policykg/ontology#"},
                                  "@graph": [{"@id": "https://w3id.org/policykg/id/policy/plan"}]}},
            TURTLE: {"example": "<https://w3id.org/policykg/id/policy/plan> a pkg:PolicyDocument ."},
        },
    }}


def choose_language(header: str | None, offered: Sequence[str] = ("zh", "en")) -> str:
    """The best of `offered` for an Accept-Language header (RFC 9110 §12.5.4), default first."""
    if not header:
        return offered[0]
    best: tuple[float, int] | None = None
    chosen = offered[0]
    for order, part in enumerate(header.split(",")):
        tag, *params = [p.strip() for p in part.split(";")]
        primary = tag.lower().split("-")[0]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        candidates = list(offered) if primary == "*" else [primary]
        for lang in candidates:
            if lang in offered and q > 0 and (best is None or (q, -order) > best):
                best, chosen = (q, -order), lang
    return chosen
