"""SHACL validation (https://www.w3.org/TR/shacl/) of policykg data with readable reports.

The data is validated together with the ontology and the jurisdictions, so shapes can follow
the jurisdiction hierarchy (top-ups) and class hierarchy (sh:class) without the caller
remembering to add them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from policykg.ontology import BACKGROUND_FILES, SHAPES_TTL
from policykg.ontology.vocab import SH

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Finding:
    """One validation result, reduced to what a person needs to fix it."""

    focus: str
    path: str | None
    message: str
    severity: str
    shape: str
    component: str
    value: str | None = None


@dataclass
class ValidationReport:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    report_graph: Graph | None = None

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "results": [f.__dict__ for f in self.findings],
        }


@cache
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(SHAPES_TTL)
    return g


@cache
def background_graph() -> Graph:
    g = Graph()
    for path in BACKGROUND_FILES:
        g.parse(path)
    return g


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _pick_message(messages: list[Literal], lang: str) -> str:
    for m in messages:
        if m.language == lang:
            return str(m)
    # pyshacl drops the language tags of SPARQL-constraint messages; tell them apart by script
    for m in messages:
        if _has_cjk(str(m)[:1]) == (lang == "zh"):  # substituted IRIs may hold CJK too
            return str(m)
    return str(messages[0]) if messages else ""


def _short(node) -> str | None:
    return None if node is None else str(node)


def validate_graph(data: Graph, lang: str = "zh", with_background: bool = True) -> ValidationReport:
    """Validate `data` against the shapes; messages in `lang` ("zh" or "en")."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    combined = data  # without the background, pyshacl reads the caller's graph as it is
    if with_background:
        combined = Graph()
        for triple in data:
            combined.add(triple)
        for triple in background_graph():
            combined.add(triple)
    conforms, report, _text = validate(
        combined, shacl_graph=shapes_graph(), inference="none", abort_on_first=False,
        allow_warnings=True,
    )
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages = list(report.objects(result, SH.resultMessage))
        findings.append(Finding(
            focus=str(report.value(result, SH.focusNode)),
            path=_short(report.value(result, SH.resultPath)),
            message=_pick_message(messages, lang),
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            # a SPARQL-based constraint is more specific than the node shape holding it
            shape=str(report.value(result, SH.sourceConstraint) or report.value(result, SH.sourceShape)),
            component=str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            value=_short(report.value(result, SH.value)),
        ))
    findings.sort(key=lambda f: (f.focus, f.shape, f.path or ""))
    return ValidationReport(conforms=bool(conforms), findings=findings, report_graph=report)


def shape_iri(local: str) -> URIRef:
    return URIRef("https://w3id.org/policykg/shapes#" + local)
