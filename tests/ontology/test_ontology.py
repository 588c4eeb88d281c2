"""The ontology, jurisdictions and shapes parse, are labelled in zh and en, and agree."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from policykg.ontology import JURISDICTIONS_TTL, POLICY_TTL, SHAPES_TTL
from policykg.ontology.vocab import ELI, ORG, PKG, SH

STANDARD_NAMESPACES = {
    "eli": str(ELI), "org": str(ORG), "prov": "http://www.w3.org/ns/prov#",
    "skos": str(SKOS), "dcterms": "http://purl.org/dc/terms/",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(POLICY_TTL)
    return g


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    g.parse(SHAPES_TTL)
    return g


def defined_terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme)
    terms = {s for kind in kinds for s in g.subjects(RDF.type, kind)}
    # concepts are instances of the pkg:* concept classes
    for cls in list(terms):
        terms |= set(g.subjects(RDF.type, cls))
    return {t for t in terms if isinstance(t, URIRef)}


def test_all_files_parse() -> None:
    for path in (POLICY_TTL, JURISDICTIONS_TTL, SHAPES_TTL):
        assert len(Graph().parse(path)) > 20, path


def test_every_class_and_property_has_zh_and_en_labels(ontology: Graph) -> None:
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            langs = {lbl.language for lbl in ontology.objects(term, RDFS.label)}
            assert {"zh", "en"} <= langs, f"{term} lacks a zh or en label"


def test_every_pkg_term_the_shapes_use_is_defined(ontology: Graph, shapes: Graph) -> None:
    defined = defined_terms(ontology)
    used = {o for o in shapes.objects() if isinstance(o, URIRef) and str(o).startswith(str(PKG))}
    for query in shapes.objects(None, SH.select):
        used |= {PKG[name] for name in re.findall(r"pkg:(\w+)", str(query))}
    missing = sorted(str(t) for t in used - defined)
    assert not missing, f"used by shapes but not defined: {missing}"


def test_alignment_axioms_point_at_standard_vocabularies(ontology: Graph) -> None:
    targets = {
        str(o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
        for s, o in ontology.subject_objects(p)
        if str(s).startswith(str(PKG))
    }
    for prefix, namespace in STANDARD_NAMESPACES.items():
        assert any(t.startswith(namespace) for t in targets), f"no alignment to {prefix}"
    # exact IRIs that tools rely on
    for iri in (ELI.LegalResource, ELI.LegalResourceSubdivision, ELI.passed_by, ELI.is_part_of,
                ELI.first_date_entry_in_force, ELI.date_no_longer_in_force, ORG.Organization):
        assert str(iri) in targets, iri


def test_concept_schemes_cover_the_vocabulary(ontology: Graph) -> None:
    from policykg.loaders.facts import CAP_SCOPES, CATEGORIES, PERIODS, RATE_KINDS, STACKING_RULES

    notations = {str(n) for n in ontology.objects(None, SKOS.notation)}
    for codes in (CATEGORIES, CAP_SCOPES, PERIODS, RATE_KINDS, STACKING_RULES):
        assert set(codes) <= notations
    stacking = {str(lbl) for c in ontology.subjects(RDF.type, PKG.StackingRule)
                for lbl in ontology.objects(c, SKOS.prefLabel) if lbl.language == "zh"}
    assert stacking == {"就高不重复", "从优不重复", "晋级补差", "一事一议", "不得重复享受", "未获同类支持方可申报",
                        "只支持一次"}


def test_instrument_codes_are_notations_of_their_own_scheme(ontology: Graph) -> None:
    """Issue-12 codes: notations are unique within a scheme (`fund` is a category and a kind)."""
    from policykg.loaders.facts import KINDS, PERIODS, RECIPIENTS

    for cls, codes in ((PKG.InstrumentKind, KINDS), (PKG.RecipientKind, RECIPIENTS), (PKG.Period, PERIODS)):
        found = [str(n) for c in ontology.subjects(RDF.type, cls) for n in ontology.objects(c, SKOS.notation)]
        assert sorted(found) == sorted(codes), cls
    for cls in (PKG.InstrumentKind, PKG.RecipientKind):
        for concept in ontology.subjects(RDF.type, cls):
            assert {lbl.language for lbl in ontology.objects(concept, SKOS.prefLabel)} == {"zh", "en"}, concept


def test_jurisdiction_hierarchy() -> None:
    g = Graph().parse(JURISDICTIONS_TTL)
    j = "https://w3id.org/policykg/id/jurisdiction/"

    def ancestors(name: str) -> list[str]:
        return [str(x).removeprefix(j) for x in g.transitive_objects(URIRef(j + name), PKG.within)][1:]

    assert ancestors("南通创新区") == ["南通市", "江苏省", "中国"]
    assert ancestors("贵安新区") == ["贵州省", "中国"]
    assert ancestors("皖北") == ["安徽省", "中国"]
    codes = {str(s).removeprefix(j): str(o) for s, o in g.subject_objects(PKG.divisionCode)}
    assert codes == {"江苏省": "320000", "南通市": "320600", "贵州省": "520000",
                     "贵阳市": "520100", "安徽省": "340000"}
