"""`/eligibility` (what a firm can claim) and `/comparison` (one kind of support across
jurisdictions), JSON or CSV: the functions `policykg eligibility` and `policykg compare` call.

Both run the project's own fixed queries (no user SPARQL), so they run on FastAPI's thread
pool rather than the SPARQL query workers. Bad input is 400 `invalid_parameter` naming it.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from policykg.api.deps import StoreDep
from policykg.api.errors import InvalidParameter, error_responses
from policykg.api.negotiation import CSV, JSON, choose, with_charset
from policykg.queries.comparison import COLUMNS as COMPARISON_COLUMNS
from policykg.queries.comparison import compare
from policykg.queries.eligibility import ROW_COLUMNS, calculate
from policykg.queries.eligibility_data import EligibilityInputError
from policykg.queries.firm_profile import firm_from, parse_date, parse_spend

router = APIRouter(tags=["eligibility"])

ELIGIBILITY_EXAMPLE = {
    "at": "南通创新区", "date": "2026-11-29", "total_yuan": 4000000,
    "categories": [{"category": "compute_voucher", "total_yuan": 4000000, "items": [
        {"instrument": "https://w3id.org/policykg/id/policy/…/instrument/…", "jurisdiction": "南通创新区",
         "policy_title": "关于打造“紫琅三谷”、培育未来产业的若干政策意见", "amount_yuan": 4000000,
         "applied": True, "reason": "counted: 50% × 10,000,000 = 5,000,000, capped at 4,000,000 a year",
         "evidence": [{"role": "figure", "clause": "p7",
                       "quote": "…市、区两级给予不超过实际使用算力成本50%的补贴,最高可达400万元/年;"}]}]}],
}


def _invalid(err: EligibilityInputError) -> InvalidParameter:
    return InvalidParameter(str(err), {"param": err.param})


def _media_type(request: Request, fmt: str | None) -> str:
    if fmt == "csv":
        return CSV
    return JSON if fmt == "json" else choose(request.headers.get("accept"), (JSON, CSV))


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue().encode("utf-8"), media_type=with_charset(CSV))


@router.get("/eligibility", responses={200: {"content": {JSON: {"example": ELIGIBILITY_EXAMPLE}, CSV: {}}},
                                       **error_responses(400, 406)})
def eligibility(
    request: Request,
    store: StoreDep,
    at: Annotated[str, Query(description="Where the firm is (南通创新区, 合肥市…).", examples=["南通创新区"])],
    date: Annotated[str, Query(description="The day, YYYY-MM-DD.", examples=["2026-11-29"])],
    spend: Annotated[list[str], Query(description="CATEGORY=YUAN, repeatable.",
                                      examples=[["compute_voucher=10000000"]])] = [],  # noqa: B006
    kind: Annotated[Literal["enterprise", "institution", "team", "individual", "organisation"], Query()] = "enterprise",
    size: Annotated[Literal["micro", "small", "medium", "large"] | None, Query()] = None,
    new_firm: Annotated[bool | None, Query(description="初创 / 新设立")] = None,
    above_scale: Annotated[bool | None, Query(description="规上")] = None,
    listed: Annotated[bool | None, Query(description="上市")] = None,
    research_institute: Annotated[bool | None, Query(description="科研院所")] = None,
    support_year: Annotated[int, Query(ge=1, description="Year of a multi-year support.")] = 1,
    format: Annotated[Literal["json", "csv"] | None, Query(description="Overrides the Accept header.")] = None,
) -> Any:
    """What a firm can claim, per category, stacking applied, every figure with its sentence."""
    media_type = _media_type(request, format)
    try:
        firm = firm_from({"kind": kind, "size": size, "new_firm": new_firm, "above_scale": above_scale,
                          "listed": listed, "research_institute": research_institute,
                          "support_year": support_year})
        answer = calculate(store, at, parse_date(date), parse_spend(spend), firm)
    except EligibilityInputError as err:
        raise _invalid(err) from err
    if media_type == CSV:
        return _csv(ROW_COLUMNS, answer.rows())
    return answer.to_json()


@router.get("/comparison", responses={200: {"content": {JSON: {}, CSV: {}}}, **error_responses(400, 406)})
def comparison(
    request: Request,
    store: StoreDep,
    category: Annotated[str, Query(description="Kind of support.", examples=["compute_voucher"])],
    at: Annotated[list[str], Query(description="Jurisdictions to compare; repeatable.")] = [],  # noqa: B006
    level: Annotated[str | None, Query(description="Every place of this level (prefecture, county…) …")] = None,
    within: Annotated[str | None, Query(description="… inside this place.")] = None,
    date: Annotated[str | None, Query(description="Say whether each policy is in force on this day.")] = None,
    format: Annotated[Literal["json", "csv"] | None, Query(description="Overrides the Accept header.")] = None,
) -> Any:
    """One kind of support across jurisdictions: rate, cap, period, cap scope, conditions, evidence."""
    media_type = _media_type(request, format)
    try:
        table = compare(store, category, at, level, within, parse_date(date) if date else None)
    except EligibilityInputError as err:
        raise _invalid(err) from err
    if media_type == CSV:
        return _csv(COMPARISON_COLUMNS, table.rows)
    return table.to_json()
