"""`/validate`: SHACL-validate (https://www.w3.org/TR/shacl/) posted RDF against the policykg
shapes, without storing it. The report is JSON (or the SHACL report graph in Turtle with
`Accept: text/turtle`), its messages in zh or en by `Accept-Language`.

The body's nesting is checked before parsing (`POLICYKG_RDF_MAX_DEPTH`), then parsing and
validation run in a query worker (`queries/workers.py`): killed past `POLICYKG_VALIDATE_TIMEOUT`,
capped in memory, so a hostile body costs one worker, never the server."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from policykg.api.deps import RunnerDep, SettingsDep
from policykg.api.errors import error_responses
from policykg.api.negotiation import JSON, TURTLE, choose, choose_language, with_charset
from policykg.api.query_limits import check_rdf_body
from policykg.api.rdf_input import parse_rdf, rdf_format
from policykg.ontology.validation import LANGUAGES, ValidationReport, validate_graph
from policykg.queries.store import PolicyStore

router = APIRouter(tags=["validate"])


class FindingOut(BaseModel):
    focus: str = Field(description="IRI of the node that breaks a shape.")
    path: str | None = None
    message: str
    severity: str = Field(description="Violation, Warning or Info")
    shape: str
    component: str
    value: str | None = None


class ValidationOut(BaseModel):
    """A SHACL report reduced to what a person needs to fix the data."""

    conforms: bool
    lang: str
    results: list[FindingOut]


EXAMPLE_TTL = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
<https://w3id.org/policykg/id/policy/x> a pkg:PolicyDocument ; pkg:loaded true ."""
EXAMPLE_REPORT = {"conforms": False, "lang": "en", "results": [{
    "focus": "https://w3id.org/policykg/id/policy/x", "path": "https://w3id.org/policykg/ontology#title",
    "message": "The policy has no title.", "severity": "Violation",
    "shape": "https://w3id.org/policykg/shapes#PolicyTitle", "component": "MinCountConstraintComponent",
    "value": None}]}
BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "text/turtle": {"schema": {"type": "string"}, "example": EXAMPLE_TTL},
    "application/ld+json": {"schema": {"type": "object"},
                            "example": {"@id": "https://w3id.org/policykg/id/policy/x",
                                        "@type": "https://w3id.org/policykg/ontology#PolicyDocument"}},
}}}


def report_out(report: ValidationReport, lang: str) -> ValidationOut:
    return ValidationOut(conforms=report.conforms, lang=lang,
                         results=[FindingOut(**f.__dict__) for f in report.findings])


@router.post(
    "/validate", response_model=ValidationOut, openapi_extra=BODY,
    responses={200: {"content": {JSON: {"example": EXAMPLE_REPORT},
                                 TURTLE: {"example": "[] a sh:ValidationReport ; sh:conforms false ."}}},
               **error_responses(400, 406, 413, 415, 422, 503)},
)
async def validate(request: Request, settings: SettingsDep, runner: RunnerDep) -> Response | ValidationOut:
    """Validate posted Turtle or JSON-LD (by Content-Type) against the SHACL shapes."""
    media_type = choose(request.headers.get("accept"), (JSON, TURTLE))
    lang = choose_language(request.headers.get("accept-language"), LANGUAGES)
    content_type = request.headers.get("content-type")
    rdf_format(content_type)  # 415 before reading further
    body = await request.body()
    check_rdf_body(body, content_type or "", settings.rdf_max_depth)
    out, turtle = await runner.call(validate_body, body, content_type, lang, media_type == TURTLE,
                                    timeout=settings.validate_timeout)
    if turtle is not None:
        return Response(turtle, media_type=with_charset(TURTLE), headers={"Content-Language": lang})
    return Response(out, media_type=JSON, headers={"Content-Language": lang})


def validate_body(_store: PolicyStore, body: bytes, content_type: str | None, lang: str,
                  turtle: bool) -> tuple[bytes, bytes | None]:
    """Runs in a query worker: parse, validate, serialise (JSON report, or Turtle when asked)."""
    report = validate_graph(parse_rdf(body, content_type), lang)
    if turtle and report.report_graph is not None:
        return b"", report.report_graph.serialize(format="turtle", encoding="utf-8")
    return report_out(report, lang).model_dump_json().encode("utf-8"), None

