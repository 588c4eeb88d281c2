"""Collect SPARQL answers under a row limit and serialise them (SPARQL 1.1 Query Results
JSON, XML, CSV/TSV; Turtle, N-Triples, JSON-LD for graphs).

Answers are collected first (so the row limit and the cancellation flag are checked per row
and a refused answer has sent nothing), then written: SELECT rows as SPARQL JSON directly,
other result formats by handing that JSON to pyoxigraph's own serialisers.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from policykg.api.errors import ResultTooLarge
from policykg.api.negotiation import GRAPH_FORMATS, RESULT_FORMATS, SPARQL_JSON
from policykg.ontology.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Cancelled(Exception):
    """The request gave up (time limit); the worker stops collecting."""


@dataclass
class Solutions:
    variables: list[str]
    rows: list[ox.QuerySolution]


@dataclass
class Boolean:
    value: bool


@dataclass
class Triples:
    triples: list[ox.Triple]


Answer = Solutions | Boolean | Triples

def _too_many(limit: int) -> ResultTooLarge:
    return ResultTooLarge(
        f"The answer has more than {limit} rows; add LIMIT/OFFSET to page through it "
        "or narrow the query.",
        {"max_rows": limit},
    )


def collect(results: Any, max_rows: int, cancelled: threading.Event) -> Answer:
    """Drain a pyoxigraph result, refusing answers over `max_rows` rows (or triples).

    pyoxigraph result objects are thread-bound ("unsendable"): they must be dropped on the
    worker thread that made them, so no exception raised from here keeps one alive in its
    traceback (the exception is raised after every reference is gone).
    """
    if isinstance(results, ox.QueryBoolean):
        return Boolean(bool(results))
    variables = (
        [v.value for v in results.variables] if isinstance(results, ox.QuerySolutions) else None
    )
    items, stop = _drain(results, max_rows, cancelled)
    del results
    if stop is not None:
        items.clear()
        raise stop
    return Triples(items) if variables is None else Solutions(variables, items)


def _drain(results: Any, max_rows: int, cancelled: threading.Event) -> tuple[list[Any], Exception | None]:
    items: list[Any] = []
    for item in results:
        if cancelled.is_set():
            return items, Cancelled()
        if len(items) >= max_rows:
            return items, _too_many(max_rows)
        items.append(item)
    return items, None


def term_json(term: Any) -> dict[str, Any]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format (§3.2.2, RDF-star triples)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": term_json(term.subject), "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        }}
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_json(answer: Solutions) -> dict[str, Any]:
    bindings = []
    for row in answer.rows:
        binding = {}
        for name in answer.variables:
            value = row[name]
            if value is not None:
                binding[name] = term_json(value)
        bindings.append(binding)
    return {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}


def render(answer: Answer, media_type: str) -> bytes:
    """The answer serialised as `media_type` (one of RESULT_FORMATS or GRAPH_FORMATS)."""
    if isinstance(answer, Triples):
        prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        fmt = GRAPH_FORMATS[media_type]
        if fmt == ox.RdfFormat.N_TRIPLES:
            prefixes = {}
        return ox.serialize(answer.triples, format=fmt, prefixes=prefixes) or b""
    if isinstance(answer, Boolean):
        document: dict[str, Any] = {"head": {}, "boolean": answer.value}
    else:
        document = solutions_json(answer)
    text = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if media_type == SPARQL_JSON:
        return text
    parsed = ox.parse_query_results(text, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[media_type]) or b""


def row_count(answer: Answer) -> int:
    if isinstance(answer, Solutions):
        return len(answer.rows)
    if isinstance(answer, Triples):
        return len(answer.triples)
    return 1
