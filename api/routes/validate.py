"""`/validate`: SHACL-validate (https://www.w3.org/TR/shacl/) posted RDF against the policykg
shapes, without storing it. The report is JSON (or the SHACL report graph in Turtle with
`Accept: text/turtle`), its messages in zh or en by `Accept-Language`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from policykg.api.errors import error_responses
from policykg.api.negotiation import JSON, TURTLE, choose, choose_language, with_charset
from policykg.api.rdf_input import parse_rdf
from policykg.ontology.validation import LANGUAGES, ValidationReport, validate_graph

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
               **error_responses(400, 406, 413, 415)},
)
async def validate(request: Request) -> Response | ValidationOut:
    """Validate posted Turtle or JSON-LD (by Content-Type) against the SHACL shapes."""
    media_type = choose(request.headers.get("accept"), (JSON, TURTLE))
    lang = choose_language(request.headers.get("accept-language"), LANGUAGES)
    graph = parse_rdf(await request.body(), request.headers.get("content-type"))
    report = await run_in_threadpool(validate_graph, graph, lang)
    if media_type == TURTLE and report.report_graph is not None:
        body = report.report_graph.serialize(format="turtle", encoding="utf-8")
        return Response(body, media_type=with_charset(TURTLE), headers={"Content-Language": lang})
    out = report_out(report, lang)
    return Response(out.model_dump_json().encode("utf-8"), media_type=JSON,
                    headers={"Content-Language": lang})

