"""`/queries` and `/queries/{name}`: the named-query catalogue (`queries/*.rq`) served as a
JSON API, datasette-style: parameters come from each query's header and are validated against
their declared types (400 `invalid_parameter` naming the parameter) before anything runs."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from policykg.api.deps import RunnerDep, SettingsDep, StoreDep
from policykg.api.errors import FOREIGN_ERRORS, InvalidParameter, error_responses, translate
from policykg.api.negotiation import CSV, JSON, choose, with_charset
from policykg.api.settings import Settings
from policykg.queries.catalogue import NamedQuery, get_query, load_catalogue, run_query
from policykg.queries.labels import with_labels
from policykg.queries.store import PolicyStore, SelectResult
from policykg.queries.workers import WorkerPool

router = APIRouter(tags=["queries"])


class ParamOut(BaseModel):
    name: str
    type: str = Field(description="string, date, integer, decimal, iri, jurisdiction, category or policy")
    required: bool
    default: str | None = None
    description: str = ""


class NamedQueryOut(BaseModel):
    """One named question: what it answers (zh/en), what it takes, which columns it returns."""

    name: str
    description: dict[str, str]
    params: list[ParamOut]
    columns: list[str]
    href: str


class QueryAnswer(BaseModel):
    """Rows as plain JSON values (IRIs as strings), in the query's column order; every code
    column (rate_kind, cap_scope, rule…) is followed by its labels, `<column>_zh` / `_en`."""

    name: str
    params: dict[str, Any] = Field(description="The parameters as received.")
    columns: list[str]
    rows: list[dict[str, Any]]
    count: int


CATALOGUE_EXAMPLE = [{
    "name": "instruments-by-category",
    "description": {"zh": "某一类支持在各辖区的政策对比", "en": "What each jurisdiction offers for one kind of support"},
    "params": [{"name": "category", "type": "category", "required": False,
                "default": "compute_voucher", "description": "kind of support"}],
    "columns": ["jurisdiction", "policy", "policy_title", "instrument", "rate", "max_yuan"],
    "href": "/queries/instruments-by-category",
}]
ANSWER_EXAMPLE = {
    "name": "instruments-by-category", "params": {"category": "compute_voucher"},
    "columns": ["jurisdiction", "policy_title", "rate", "max_yuan"],
    "rows": [{"jurisdiction": "南通市", "policy_title": "关于促进通用人工智能产业创新发展的行动方案",
              "rate": 0.2, "max_yuan": 2000000}],
    "count": 1,
}


def describe(query: NamedQuery) -> NamedQueryOut:
    return NamedQueryOut(
        name=query.name, description=dict(query.description), columns=list(query.columns),
        params=[ParamOut(name=p.name, type=p.type, required=p.required, default=p.default,
                         description=p.description) for p in query.params],
        href=f"/queries/{query.name}",
    )


def _csv(answer: QueryAnswer) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=answer.columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(answer.rows)
    return out.getvalue().encode("utf-8")


def _run(store: PolicyStore, name: str, params: dict[str, str], timeout: float) -> SelectResult:
    """Runs in a query worker (`queries/workers.py`), which is killed at the deadline. Every
    code column is followed by its labels (`queries/labels.py`)."""
    try:
        query = get_query(name, load_catalogue())
        result = run_query(store, query, params, timeout=timeout)
        return SelectResult(*with_labels(store, list(query.columns) or list(result.columns),
                                         result.rows))
    except FOREIGN_ERRORS as exc:
        raise translate(exc) from None


@router.get("/queries", response_model=list[NamedQueryOut],
            responses={200: {"content": {JSON: {"example": CATALOGUE_EXAMPLE}}}})
def list_queries() -> list[NamedQueryOut]:
    """List the named queries with their descriptions, parameters and columns."""
    return [describe(q) for q in load_catalogue().values()]


#: Query-string parameters of every named query that are not the query's own.
RESERVED = ("format", "bom")

#: OpenAPI schema and example for each catalogue parameter type (params.PARAM_TYPES); the
#: examples name things in the seed corpus, so they answer on a server that loaded corpus/.
PARAM_SCHEMAS: dict[str, tuple[dict[str, Any], Any]] = {
    "string": ({"type": "string", "minLength": 1}, "算力券"),
    "date": ({"type": "string", "format": "date"}, "2026-01-15"),
    "integer": ({"type": "integer"}, 90),
    "decimal": ({"type": "number"}, 0.6),
    "iri": ({"type": "string", "format": "iri"}, "pkg:compute_voucher"),
    "jurisdiction": ({"type": "string", "minLength": 1}, "南通创新区"),
    "category": ({"type": "string", "minLength": 1}, "compute_voucher"),
    "policy": ({"type": "string", "minLength": 1}, "通政办规〔2024〕7号"),
}
FORMAT_PARAM = {
    "name": "format", "in": "query", "required": False,
    "description": "json (default) or csv; overrides Accept.",
    "schema": {"type": "string", "enum": ["json", "csv"]}, "example": "csv",
}
BOM_PARAM = {
    "name": "bom", "in": "query", "required": False,
    "description": "CSV only: start with a UTF-8 byte-order mark, so Excel reads Chinese text.",
    "schema": {"type": "boolean", "default": False}, "example": True,
}


def openapi_parameters(query: NamedQuery) -> list[dict[str, Any]]:
    """The OpenAPI parameter objects of one named query, read from its `.rq` header."""
    out = []
    for param in query.params:
        schema, example = PARAM_SCHEMAS[param.type]
        schema = dict(schema)
        if param.default is not None and param.default != "today":
            default = param.default
            if param.type == "integer":
                default = int(default)
            elif param.type == "decimal":
                default = float(default)
            schema["default"] = example = default
        note = " Default: today." if param.default == "today" else ""
        out.append({
            "name": param.name, "in": "query", "required": param.required, "schema": schema,
            "example": example, "description": f"{param.description} ({param.type}).{note}".strip(),
        })
    return [*out, FORMAT_PARAM, BOM_PARAM]


def _flag(name: str, value: str | None) -> bool:
    if value is None or value.lower() in ("", "0", "false", "no"):
        return False
    if value.lower() in ("1", "true", "yes"):
        return True
    raise InvalidParameter(f"parameter {name!r} expects true or false, got {value!r}",
                           {"param": name})


async def answer_query(request: Request, store: PolicyStore, settings: Settings,
                       runner: WorkerPool, query: NamedQuery) -> Response | QueryAnswer:
    """Negotiate (Accept or `format=`), run under the time limit, serialise."""
    formats = request.query_params.getlist("format")
    media_type = choose(request.headers.get("accept"), (JSON, CSV), formats)
    bom = _flag("bom", request.query_params.get("bom"))
    params = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    timeout = settings.sparql_timeout

    result = await runner.call(_run, query.name, params, timeout, timeout=timeout)
    answer = QueryAnswer(name=query.name, params=params, columns=list(result.columns),
                         rows=result.rows, count=len(result.rows))
    if media_type == CSV:
        body = ("\ufeff".encode() if bom else b"") + _csv(answer)
        return Response(body, media_type=with_charset(CSV), headers={"Vary": "Accept"})
    return answer


ANSWER_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {JSON: {"example": ANSWER_EXAMPLE},
                      CSV: {"example": "jurisdiction,policy_title,rate,max_yuan\r\n南通市,…,0.2,2000000\r\n"}}},
    **error_responses(400, 404, 406, 503),
}


@router.get("/queries/{name}", response_model=QueryAnswer, responses=ANSWER_RESPONSES)
async def run_named_query(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    name: Annotated[str, Path(description="Query name (see /queries).",
                              examples=["instruments-by-category"])],
) -> Response | QueryAnswer:
    """Run one named query; its parameters are passed as query-string parameters."""
    return await answer_query(request, store, settings, runner, get_query(name, load_catalogue()))


def _named_route(query: NamedQuery) -> None:
    """`/queries/<name>` in the OpenAPI with the query's own parameters, types and examples,
    so generated clients can pass them (served by the same `answer_query`)."""

    async def endpoint(request: Request, store: StoreDep, settings: SettingsDep,
                       runner: RunnerDep) -> Response | QueryAnswer:
        return await answer_query(request, store, settings, runner, query)

    router.add_api_route(
        f"/queries/{query.name}", endpoint, methods=["GET"], response_model=QueryAnswer,
        responses=ANSWER_RESPONSES, summary=query.describe("en")[:120],
        description=f"{query.describe('en')} / {query.describe('zh')}",
        operation_id=f"query_{query.name.replace('-', '_')}",
        openapi_extra={"parameters": openapi_parameters(query)},
    )


for _query in load_catalogue().values():
    _named_route(_query)
