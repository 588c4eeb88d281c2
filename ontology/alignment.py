"""Materialised alignments (RDFS entailment rules rdfs7 and rdfs9, restricted to policy.ttl):
what the loaders state in `pkg:` terms is also stated in the ELI, DCTERMS, ORG, PROV-O and
SKOS terms the ontology aligns them to, so a query written against those vocabularies
(`?doc eli:date_document ?d`, `?doc dcterms:spatial ?place`) finds the same facts.

When: at load time, by `loaders/to_rdf.to_graph`, into each source file's own graph, so
removing or replacing a source removes its entailments too (no separate pass to keep in step).
Only super-properties and super-classes outside `pkg:` are added: the `pkg:` triples stay
exactly what the loaders state (a supersedes pair is not also stored as pkg:prevailsOver; the
queries and the Neo4j mapping read `pkg:` only). The Neo4j sync leaves these triples out.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from policykg.ontology.vocab import PKG

Triple = tuple[URIRef, URIRef, object]


@cache
def _ontology() -> Graph:
    graph = Graph()
    graph.parse(resources.files("policykg.ontology").joinpath("policy.ttl").read_bytes(),
                format="turtle")
    return graph


def _closure(graph: Graph, relation: URIRef) -> dict[URIRef, frozenset[URIRef]]:
    """Every `pkg:` term → all its (transitive) super-terms by `relation`."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(relation):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sup != OWL.Thing:
            direct.setdefault(sub, set()).add(sup)
    out: dict[URIRef, frozenset[URIRef]] = {}
    for term in direct:
        if not str(term).startswith(str(PKG)):
            continue
        seen: set[URIRef] = set()
        todo = list(direct[term])
        while todo:
            sup = todo.pop()
            if sup not in seen and sup != term:
                seen.add(sup)
                todo.extend(direct.get(sup, ()))
        out[term] = frozenset(t for t in seen if not str(t).startswith(str(PKG)))
    return out


@cache
def super_properties() -> dict[URIRef, frozenset[URIRef]]:
    return _closure(_ontology(), RDFS.subPropertyOf)


@cache
def super_classes() -> dict[URIRef, frozenset[URIRef]]:
    return _closure(_ontology(), RDFS.subClassOf)


@cache
def aligned_predicates() -> frozenset[URIRef]:
    """Every predicate `entailed` may add (besides rdf:type)."""
    return frozenset(p for sups in super_properties().values() for p in sups)


def entailed(graph: Graph) -> Iterator[Triple]:
    """The alignment triples `graph` entails that it does not already hold."""
    properties, classes = super_properties(), super_classes()
    a = RDF.type  # an attribute of rdflib's namespace costs a lookup per access
    for s, p, o in graph:
        if p == a:
            for cls in classes.get(o, ()):  # type: ignore[arg-type]
                if (s, a, cls) not in graph:
                    yield s, a, cls
        for sup in properties.get(p, ()):  # type: ignore[arg-type]
            if (s, sup, o) not in graph:
                yield s, sup, o


def materialise(graph: Graph) -> Graph:
    """`graph` with its alignment triples added (in place; returned for chaining)."""
    for triple in list(entailed(graph)):
        graph.add(triple)
    return graph
