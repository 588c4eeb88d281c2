"""SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/) query operation at `/sparql`.

- GET `?query=`; POST `application/x-www-form-urlencoded` (`query=`); POST
  `application/sparql-query` (the body is the query).
- Answers: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle,
  N-Triples, JSON-LD or RDF/XML; chosen by Accept, or by the optional `format=` parameter.
- Read-only by construction: the text only ever reaches pyoxigraph's `Store.query` (whose
  grammar has no update operations) on a read-only store, inside a query worker
  (`queries/workers.py`). SPARQL Update (`update=`, `application/sparql-update`, or update
  text sent as a query) → 403 `read_only`; `SERVICE` → 403 `service_forbidden`, because the
  worker cannot open a network socket (seccomp), whatever the text looks like; `SERVICE
  SILENT` answers as SPARQL says for an unreachable service. 403 rather than 400: the request
  is well-formed, this endpoint refuses to perform it.
  Over a remote store (`queries/remote_store.py`) the text goes to the server's *query*
  endpoint only, and any `SERVICE` (SILENT too) is refused before sending: the worker needs
  its network to reach the server.
- Limits: size and shape before parsing (`query_limits`, 400 `limit_exceeded`);
  `POLICYKG_SPARQL_TIMEOUT` → 503 `query_timeout` (the worker is killed);
  `POLICYKG_QUERY_MEMORY_MB` → 422 `query_aborted`; queue full → 503 `busy` with Retry-After;
  more than `POLICYKG_SPARQL_MAX_ROWS` rows or triples → 422 `result_too_large` (an error,
  never a silently truncated answer); request body over `POLICYKG_MAX_UPLOAD_BYTES` → 413.
- Syntax errors → 400 `malformed_query` with the parser's message, line and column.
- `default-graph-uri` / `named-graph-uri` → 400: the default graph is always the merge of all
  graphs; use `FROM` / `GRAPH` in the query instead.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response

from policykg.api.deps import RunnerDep, SettingsDep, StoreDep
from policykg.api.errors import (
    FOREIGN_ERRORS,
    BadRequest,
    QueryFailed,
    ReadOnlyEndpoint,
    UnsupportedMediaType,
    error_responses,
    translate,
)
from policykg.api.negotiation import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    SPARQL_ALIASES,
    choose,
    with_charset,
)
from policykg.api.pages.sparql_editor import browser_editor
from policykg.api.query_limits import check_query_text
from policykg.api.settings import Settings
from policykg.api.sparql_results import collect, render, row_count
from policykg.queries.store import PolicyStore
from policykg.queries.workers import WorkerPool

router = APIRouter(tags=["sparql"])

EXAMPLE_QUERY = (
    "SELECT ?policy ?title WHERE { ?policy a pkg:PolicyDocument ; pkg:title ?title } LIMIT 10"
)
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

_RESULT_EXAMPLE = {
    "head": {"vars": ["policy", "title"]},
    "results": {"bindings": [{
        "policy": {"type": "uri", "value": "https://w3id.org/policykg/id/policy/plan"},
        "title": {"type": "literal", "xml:lang": "zh", "value": "关于促进通用人工智能产业创新发展的行动方案"},
    }]},
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results (SELECT/ASK) or an RDF graph (CONSTRUCT/DESCRIBE).",
        "content": {
            "application/sparql-results+json": {"example": _RESULT_EXAMPLE},
            "application/sparql-results+xml": {"example": "<sparql xmlns=…>…</sparql>"},
            "text/csv": {"example": "policy,title\r\nhttps://w3id.org/policykg/id/policy/plan,…\r\n"},
            "text/tab-separated-values": {"example": "?policy\t?title\n<…/policy/plan>\t\"…\"@zh\n"},
            "text/turtle": {"example": "<…/policy/plan> a pkg:PolicyDocument ."},
            "application/n-triples": {"example": "<…/policy/plan> <…#title> \"…\"@zh ."},
            "application/ld+json": {"example": [{"@id": "…/policy/plan"}]},
            "application/rdf+xml": {"example": "<rdf:RDF xmlns:rdf=…>…</rdf:RDF>"},
        },
    },
    **error_responses(400, 403, 406, 413, 415, 422, 503),
}
POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            SPARQL_QUERY: {"schema": {"type": "string"}, "example": EXAMPLE_QUERY},
            FORM: {
                "schema": {"type": "object", "properties": {"query": {"type": "string"}}},
                "example": {"query": EXAMPLE_QUERY},
            },
        },
    }
}


def _refuse_update() -> ReadOnlyEndpoint:
    return ReadOnlyEndpoint(
        "This SPARQL endpoint is read-only: SPARQL Update is refused. "
        "Upload documents with POST /documents instead."
    )


def _refuse_dataset(default_graphs: list[str], named_graphs: list[str]) -> None:
    if default_graphs or named_graphs:
        raise BadRequest(
            "default-graph-uri and named-graph-uri are not supported: the default graph is the "
            "merge of all graphs; use FROM or GRAPH in the query.",
        )


def evaluate(store: PolicyStore, text: str, accept: str | None, formats: list[str],
             max_rows: int) -> tuple[bytes, str, int]:
    """Runs in a query worker: evaluate, negotiate by the engine's own query form, serialise."""
    try:
        results = store.raw_query(text)
        graph = isinstance(results, ox.QueryTriples)
        media_type = choose(accept, list(GRAPH_FORMATS if graph else RESULT_FORMATS), formats,
                            SPARQL_ALIASES)
        answer = collect(results, max_rows, threading.Event())
        return render(answer, media_type), media_type, row_count(answer)
    except FOREIGN_ERRORS as exc:
        raise translate(exc) from None
    except PermissionError:
        raise  # a socket refused by the worker's seccomp filter: `WorkerPool.run` names it
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        raise QueryFailed(f"The query failed during evaluation: {exc}") from None


async def answer(request: Request, text: str, store: PolicyStore, settings: Settings,
                 runner: WorkerPool, formats: list[str]) -> Response:
    """Check the limits, evaluate in a query worker, answer."""
    if not text.strip():
        raise BadRequest("The query is empty; send it as `query=` or an application/sparql-query body.")
    check_query_text(text, settings.text_limits)
    body, media_type, rows = await runner.call(
        evaluate, text, request.headers.get("accept"), formats, settings.sparql_max_rows,
        timeout=settings.sparql_timeout)
    return Response(body, media_type=with_charset(media_type),
                    headers={"X-Result-Rows": str(rows), "Vary": "Accept"})


@router.get("/sparql", responses=RESPONSES, summary="SPARQL 1.1 query (GET)")
async def sparql_get(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    query: Annotated[str | None, Query(description="The SPARQL query.", examples=[EXAMPLE_QUERY])] = None,
    update: Annotated[str | None, Query(description="Refused: the endpoint is read-only.")] = None,
    format: Annotated[list[str], Query(description="json, xml, csv, tsv, turtle, ntriples or jsonld (or a media type); overrides Accept when offered.", examples=[["csv"]])] = [],  # noqa: B006
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],  # noqa: B006
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = [],  # noqa: B006
) -> Response:
    """Run a read-only SPARQL query given as `?query=` (SPARQL 1.1 Protocol)."""
    if (editor := browser_editor(request, store, query, update)) is not None:
        return editor  # a browser (Accept prefers text/html): the YASGUI editor
    if update is not None:
        raise _refuse_update()
    if query is None:
        raise BadRequest("Missing the `query` parameter.")
    _refuse_dataset(default_graph_uri, named_graph_uri)
    return await answer(request, query, store, settings, runner, format)


@router.post("/sparql", responses=RESPONSES, openapi_extra=POST_BODY,
             summary="SPARQL 1.1 query (POST)")
async def sparql_post(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    format: Annotated[list[str], Query(description="Overrides Accept when offered (json, xml, csv, tsv, turtle, ntriples, jsonld).", examples=[["json"]])] = [],  # noqa: B006
) -> Response:
    """Run a read-only SPARQL query sent form-encoded or as an application/sparql-query body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if content_type == SPARQL_UPDATE:
        raise _refuse_update()
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not UTF-8.") from None
    if content_type == SPARQL_QUERY:
        _refuse_dataset(request.query_params.getlist("default-graph-uri"),
                        request.query_params.getlist("named-graph-uri"))
        return await answer(request, decoded, store, settings, runner, format)
    if content_type != FORM:
        raise UnsupportedMediaType(
            f"POST /sparql takes {FORM} or {SPARQL_QUERY}, not {content_type or 'no Content-Type'}.",
        )
    fields = parse_qs(decoded, keep_blank_values=True)
    if "update" in fields:
        raise _refuse_update()
    queries = fields.get("query", [])
    if len(queries) != 1:
        raise BadRequest("Send exactly one `query` field.")
    _refuse_dataset(fields.get("default-graph-uri", []), fields.get("named-graph-uri", []))
    return await answer(request, queries[0], store, settings, runner, fields.get("format", []) + format)
