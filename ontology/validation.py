"""SHACL validation (https://www.w3.org/TR/shacl/) of policykg data with readable reports.

The data is validated together with the ontology and the jurisdictions, so shapes can follow
the jurisdiction hierarchy (top-ups) and class hierarchy (sh:class) without the caller
remembering to add them.

Two engines give the same findings (tests/ontology/test_engines.py compares them on the
shapes' broken examples, the corpus and generated documents): pyshacl-turbo (Rust, shapes
compiled once, reads a pyoxigraph store without an rdflib copy; the default) and pyshacl (the
reference). `POLICYKG_SHACL_ENGINE=pyshacl` selects the reference, which is also used when
pyshacl-turbo is not installed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

try:
    import pyshacl_turbo
except ImportError:  # pragma: no cover - a dependency; the reference engine still works
    pyshacl_turbo = None

from policykg.ontology import BACKGROUND_FILES, SHAPES_TTL
from policykg.ontology.vocab import SH

LANGUAGES = ("zh", "en")
ENGINES = ("turbo", "pyshacl")


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


@cache
def background_triples() -> tuple[ox.Triple, ...]:
    """The background as pyoxigraph triples, for validation data built as a pyoxigraph store."""
    return tuple(ox.Triple(q.subject, q.predicate, q.object) for path in BACKGROUND_FILES
                 for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@cache
def read_predicates() -> frozenset[ox.NamedNode] | None:
    """Every predicate a shape can read, derived from the shapes graph: each IRI it mentions
    (paths, targets, sh:lessThan…), each IRI of its SPARQL constraints, and rdf:type and
    rdfs:subClassOf (targets by class, sh:class). Triples of other predicates cannot change a
    finding, so the write path leaves them out of the data it validates. None when a shape
    reads every predicate (sh:closed)."""
    g = shapes_graph()
    if (None, SH.closed, Literal(True)) in g:
        return None
    found = {o for o in g.objects() if isinstance(o, URIRef)} | {RDF.type, RDFS.subClassOf}
    namespaces = {str(g.value(d, SH.prefix)): g.value(d, SH.namespace) for d in g.objects(None, SH.declare)}
    for query in g.objects(None, SH.select):
        _collect(translateQuery(parseQuery(str(query)), initNs=namespaces).algebra, found, set())
    return frozenset(ox.NamedNode(str(iri)) for iri in found)


def _collect(node: object, found: set[URIRef], seen: set[int]) -> None:
    """The IRIs anywhere in a SPARQL algebra tree (patterns, property paths, filters)."""
    if isinstance(node, URIRef):
        found.add(node)
    elif isinstance(node, str | int | float | Literal) or node is None or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, list | tuple | set | frozenset):
        children = node
    else:
        children = getattr(node, "__dict__", {}).values()
    for child in children:
        _collect(child, found, seen)


def engine() -> str:
    """The engine `validate_graph` uses: `$POLICYKG_SHACL_ENGINE`, else turbo when installed."""
    chosen = os.environ.get("POLICYKG_SHACL_ENGINE") or ("turbo" if pyshacl_turbo else "pyshacl")
    if chosen not in ENGINES:
        raise ValueError(f"POLICYKG_SHACL_ENGINE must be one of {ENGINES}, not {chosen!r}")
    return chosen


@cache
def _compiled():  # pyshacl_turbo.CompiledShapes
    return pyshacl_turbo.compile_shapes(shapes_graph())


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
    if isinstance(node, Literal) and node.datatype is not None:
        # rdflib's lexical form (2000000.0 for an xsd:double), whichever engine built the report
        node = Literal(str(node), datatype=node.datatype)
    return None if node is None else str(node)


def validate_graph(data: Graph | ox.Store, lang: str = "zh", with_background: bool = True, *,
                   using: str | None = None) -> ValidationReport:
    """Validate `data` (an rdflib graph, or a pyoxigraph store whose default graph holds the
    triples) against the shapes; messages in `lang` ("zh" or "en"). `using`: the engine
    (`ENGINES`), else `engine()`."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    using = using or engine()
    if using not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {using!r}")
    combined = data  # without the background, the engine reads the caller's data as it is
    if isinstance(data, ox.Store):
        if with_background or using == "pyshacl":
            combined = ox.Store()
            combined.bulk_extend(data.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            if with_background:
                combined.bulk_extend(ox.Quad(*t) for t in background_triples())
        if using == "pyshacl":  # the reference reads rdflib graphs only
            combined = Graph().parse(data=combined.dump(format=ox.RdfFormat.N_TRIPLES,
                                                        from_graph=ox.DefaultGraph()), format="nt")
    elif with_background:
        combined = Graph()
        for triple in data:
            combined.add(triple)
        for triple in background_graph():
            combined.add(triple)
    if using == "turbo":
        if pyshacl_turbo is None:
            raise ValueError("the turbo engine needs pyshacl-turbo installed")
        conforms, report, _text = _compiled().validate(
            combined, inference="none", abort_on_first=False, allow_warnings=True)
    else:
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
