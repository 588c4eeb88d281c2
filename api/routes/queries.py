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
from policykg.api.errors import FOREIGN_ERRORS, error_responses, translate
from policykg.api.negotiation import CSV, JSON, choose, with_charset
from policykg.queries.catalogue import NamedQuery, get_query, load_catalogue, run_query
from policykg.queries.store import PolicyStore, SelectResult

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
    """Rows as plain JSON values (IRIs as strings), in the query's column order."""

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
              "rate": 0.2, "max_yuan": 2000000.0}],
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
    """Runs in a query worker (`queries/workers.py`), which is killed at the deadline."""
    try:
        return run_query(store, get_query(name, load_catalogue()), params, timeout=timeout)
    except FOREIGN_ERRORS as exc:
        raise translate(exc) from None


@router.get("/queries", response_model=list[NamedQueryOut],
            responses={200: {"content": {JSON: {"example": CATALOGUE_EXAMPLE}}}})
def list_queries() -> list[NamedQueryOut]:
    """List the named queries with their descriptions, parameters and columns."""
    return [describe(q) for q in load_catalogue().values()]


@router.get(
    "/queries/{name}", response_model=QueryAnswer,
    responses={200: {"content": {JSON: {"example": ANSWER_EXAMPLE},
                                 CSV: {"example": "jurisdiction,policy_title,rate,max_yuan\r\n南通市,…,0.2,2000000.0\r\n"}}},
               **error_responses(400, 404, 406, 503)},
)
async def run_named_query(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    name: Annotated[str, Path(description="Query name (see /queries).",
                              examples=["instruments-by-category"])],
) -> Response | QueryAnswer:
    """Run one named query; its parameters are passed as query-string parameters."""
    media_type = choose(request.headers.get("accept"), (JSON, CSV))
    query = get_query(name, load_catalogue())
    params = dict(request.query_params)
    timeout = settings.sparql_timeout
    result = await runner.call(_run, query.name, params, timeout, timeout=timeout)
    columns = list(query.columns) or list(result.columns)
    answer = QueryAnswer(name=query.name, params=params, columns=columns, rows=result.rows,
                         count=len(result.rows))
    if media_type == CSV:
        return Response(_csv(answer), media_type=with_charset(CSV))
    return answer
