"""Alignments are materialised at load time: questions asked in ELI or DCTERMS terms find what
the loaders stated in pkg: terms; ELI's deprecated eli:implements is no longer used."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build_graphs
from policykg.ontology.alignment import materialise, super_properties
from policykg.ontology.vocab import PKG
from policykg.queries import writes
from policykg.queries.store import PolicyStore

ROOT = Path(__file__).resolve().parents[2]
ELI = "http://data.europa.eu/eli/ontology#"


@pytest.fixture(scope="module")
def corpus_store():
    store = PolicyStore.in_memory()
    writes.apply(store, writes.Change(put=dict(build_graphs(sorted((ROOT / "corpus").glob("*.txt")),
                                      load_manifest(ROOT / "corpus" / "manifest.yaml")))))  # the write path derives the links
    yield store
    store.close()


@pytest.mark.parametrize(("query", "at_least"), [
    (f"SELECT ?d WHERE {{ ?d a <{ELI}LegalResource> ; <{ELI}date_document> ?on }}", 3),
    (f"SELECT ?d WHERE {{ ?d <{ELI}jurisdiction> ?place }}", 5),
    (f"SELECT ?c WHERE {{ ?c <{ELI}is_part_of> ?parent }}", 50),
    (f"SELECT ?d WHERE {{ ?d <{DCTERMS.spatial}> ?place }}", 5),
    (f"SELECT ?d WHERE {{ ?d <{DCTERMS.publisher}> ?who }}", 3),
    (f"SELECT ?d WHERE {{ ?d <{DCTERMS.title}> ?t }}", 10),
])
def test_eli_and_dcterms_queries_answer(corpus_store, query, at_least):
    assert len(corpus_store.query(query).rows) >= at_least


def test_no_deprecated_eli_terms():
    ontology = Graph().parse(ROOT / "ontology" / "policy.ttl")
    assert not list(ontology.triples((None, None, URIRef(ELI + "implements"))))
    assert URIRef(ELI + "applies") in super_properties()[PKG.supports]


def test_materialise_follows_chains_and_classes():
    doc, other = URIRef("http://ex/a"), URIRef("http://ex/b")
    graph = Graph()
    graph.add((doc, RDF.type, PKG.PolicyDocument))
    graph.add((doc, PKG.supersedes, other))
    graph.add((doc, PKG.issued, Literal("2025-01-01")))
    materialise(graph)
    assert (doc, PKG.prevailsOver, other) not in graph        # pkg: data stays as stated
    assert (doc, DCTERMS.replaces, other) in graph
    assert (doc, URIRef(ELI + "date_document"), Literal("2025-01-01")) in graph
    assert (doc, RDF.type, URIRef(ELI + "LegalResource")) in graph
    before = len(graph)
    assert len(materialise(graph)) == before                   # idempotent


def test_every_concept_class_has_definitions_in_both_languages():
    from rdflib.namespace import OWL, RDFS, SKOS

    ontology = Graph().parse(ROOT / "ontology" / "policy.ttl")
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(str(PKG)):
            langs = {d.language for d in ontology.objects(cls, SKOS.definition)}
            assert {"zh", "en"} <= langs, f"{cls} lacks a zh/en skos:definition"
    assert list(ontology.subjects(RDFS.subClassOf, SKOS.Concept))


def test_no_ranges_outside_the_owl2_datatype_map():
    """rdf:langString (Pellet: inconsistent) and xsd:date (HermiT: refused) stay out of the OWL;
    the SHACL shapes check language tags and dates instead."""
    from rdflib.namespace import RDFS, XSD

    ontology = Graph().parse(ROOT / "ontology" / "policy.ttl")
    assert not list(ontology.triples((None, RDFS.range, RDF.langString)))
    assert not list(ontology.triples((None, RDFS.range, XSD.date)))
