"""The HTML pages: landing, search, policy, jurisdiction, department, comparison (+ CSV),
graph view and the generic page of any other minted IRI. Read-only, no forms that write."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from policykg.api.deps import StoreDep
from policykg.api.errors import NotFound
from policykg.api.routes.jurisdictions import list_jurisdictions
from policykg.ontology.vocab import ID, PKG
from policykg.queries.comparison import COLUMNS as COMPARISON_COLUMNS
from policykg.queries.eligibility import calculate
from policykg.queries.eligibility_data import EligibilityInputError
from policykg.queries.firm_profile import parse_date, parse_spend
from policykg.queries.params import QueryParameterError

from . import graph, views
from .i18n import Words, page_language, scheme_notations
from .linked_data import _iri, describe
from .render import render

router = APIRouter(include_in_schema=False)


def not_found(request: Request) -> HTMLResponse:
    return render(request, "not_found.html", {}, status_code=404)


def bad_request(request: Request, message: str) -> HTMLResponse:
    """A page's parameter names nothing in the graph: say which, as the API would (400)."""
    return render(request, "not_found.html", {"message": message}, status_code=400)


def _iri_or_none(path: str) -> str | None:
    try:
        return _iri(path)
    except NotFound:
        return None


@router.get("/", response_class=HTMLResponse)
def landing(request: Request, store: StoreDep) -> HTMLResponse:
    return render(request, "landing.html", {"o": views.overview(store)})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, store: StoreDep, q: str = "") -> HTMLResponse:
    titles, clauses = views.search(store, q)
    return render(request, "search.html", {"q": q, "titles": titles, "clauses": clauses})


@router.get("/policy/{policy_id}", response_class=HTMLResponse)
def policy_page(request: Request, store: StoreDep, policy_id: str) -> HTMLResponse:
    view = views.policy_view(store, policy_id, dt.date.today())
    if view is None:
        return not_found(request)
    return render(request, "policy.html", {"v": view, "policy_id": policy_id,
                                           "extra_fields": views.extra_fields})


@router.get("/graph/{policy_id}", response_class=HTMLResponse)
def graph_page(request: Request, store: StoreDep, policy_id: str) -> HTMLResponse:
    view = views.policy_view(store, policy_id, dt.date.today())
    if view is None:
        return not_found(request)
    return render(request, "graph.html", {"v": view, "policy_id": policy_id})


@router.get("/graph/{policy_id}/elements.json")
def graph_data(request: Request, store: StoreDep, policy_id: str) -> JSONResponse:
    if not views.policy_exists(store, policy_id):
        raise NotFound(f"No policy with id {policy_id!r}.")
    return JSONResponse(graph.neighbourhood(store, policy_id, Words(page_language(request))))


@router.get("/jurisdiction/{name}", response_class=HTMLResponse)
def jurisdiction_page(request: Request, store: StoreDep, name: str) -> HTMLResponse:
    view = views.jurisdiction_view(store, name, dt.date.today())
    if view is None:
        return not_found(request)
    return render(request, "jurisdiction.html", {"v": view})


@router.get("/department/{name}", response_class=HTMLResponse)
def department_page(request: Request, store: StoreDep, name: str) -> HTMLResponse:
    iri = _iri_or_none("org/" + name)
    view = views.department_view(store, iri) if iri else None
    if view is None:
        return not_found(request)
    return render(request, "department.html", {"v": view, "name": name})


CompareCategory = Annotated[str, Query()]
Chosen = Annotated[list[str], Query()]


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, store: StoreDep, category: CompareCategory = "compute_voucher",
                 jurisdiction: Chosen = [], level: Chosen = []) -> HTMLResponse:  # noqa: B006
    """The comparison table as a page: the same `compare` as `GET /comparison`."""
    try:
        table = views.comparison(store, category, jurisdiction, level)
    except (EligibilityInputError, QueryParameterError) as exc:
        return bad_request(request, str(exc))
    csv_url = request.url.path + ".csv" + (f"?{request.url.query}" if request.url.query else "")
    by_place: dict[str, list[dict]] = {}
    for row in table.rows if table else []:
        by_place.setdefault(row["jurisdiction"], []).append(row)
    return render(request, "compare.html", {
        "category": category, "chosen": jurisdiction, "levels": level,
        "places": table.places if table else [], "rows": by_place,
        "all_places": list_jurisdictions(store), "csv_url": csv_url,
        "categories": scheme_notations(str(PKG.InstrumentCategories)),
        "all_levels": scheme_notations(str(PKG.JurisdictionLevels)),
    })


@router.get("/calculator", response_class=HTMLResponse)
def calculator_page(request: Request, store: StoreDep, at: str = "", date: str = "",
                    spend: Chosen = []) -> HTMLResponse:  # noqa: B006
    """The eligibility calculator as a page: the same `calculate` as `GET /eligibility`."""
    day = date or dt.date.today().isoformat()
    answer = None
    if at:
        try:
            answer = calculate(store, at, parse_date(day), parse_spend([s for s in spend if s.strip()]))
        except EligibilityInputError as exc:
            return bad_request(request, str(exc))
    return render(request, "calculator.html", {
        "at": at, "date": day, "spend": [s for s in spend if s.strip()] or ["compute_voucher=10000000"],
        "answer": answer.to_json() if answer else None,
        "categories": scheme_notations(str(PKG.InstrumentCategories)),
    })


@router.get("/compare.csv")
def compare_csv(request: Request, store: StoreDep, category: CompareCategory = "compute_voucher",
                jurisdiction: Chosen = [], level: Chosen = []) -> Response:  # noqa: B006
    """The page's table as CSV (with a BOM, for spreadsheets): `GET /comparison`'s columns."""
    try:
        table = views.comparison(store, category, jurisdiction, level)
    except (EligibilityInputError, QueryParameterError) as exc:
        return bad_request(request, str(exc))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COMPARISON_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table.rows if table else [])
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="compare-{_safe(category)}.csv"'})


def _safe(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and (ch.isalnum() or ch in "-_")) or "table"


@router.get("/resource/{path:path}", response_class=HTMLResponse)
def resource_page(request: Request, store: StoreDep, path: str) -> HTMLResponse:
    iri = _iri_or_none(path)
    graph_ = describe(store, iri) if iri else None
    if iri is None or graph_ is None or not len(graph_):
        return not_found(request)
    outgoing = sorted((str(p), o) for s, p, o in graph_ if str(s) == iri)
    incoming = sorted((str(s), str(p)) for s, p, o in graph_ if str(o) == iri)
    policy = next((str(o) for s, p, o in graph_ if str(s) == iri and p in (
        PKG.ofPolicy, PKG.instrumentOf, PKG.targetOf)), None)
    return render(request, "resource.html", {"iri": iri, "outgoing": outgoing,
                                             "incoming": incoming, "policy": policy,
                                             "id_ns": str(ID)})
