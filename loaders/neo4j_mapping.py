"""Ontology → property graph: labels, relationship types and property keys, read from policy.ttl.

The mapping is derived, not listed twice: every `owl:Class` of the `pkg:` namespace becomes a
node label (its local name, two renamed for readability), every `owl:ObjectProperty` a
relationship type (its local name in UPPER_SNAKE_CASE, a few renamed) carrying the property's
Chinese label as the `zh` caption, and every `owl:DatatypeProperty` a node property
(`snake_case`, with a `_zh` / `_en` suffix for language-tagged strings). Only the handful of
SKOS / RDFS terms the loaders use outside `pkg:` are listed here (`EXTERNAL_PROPERTIES`).

`graph_rows(graph_by_source)` turns one RDF graph per source file into the node and
relationship rows the sync writes; values are typed for Neo4j (see `neo4j_value`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import neo4j.time
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from policykg.loaders.neo4j_captions import caption
from policykg.ontology.alignment import aligned_predicates
from policykg.ontology.vocab import PKG

#: Name under which the background graph (ontology concepts + jurisdictions) is synced.
BACKGROUND_SOURCE = "background"
BACKGROUND_FILES = ("policy.ttl", "jurisdictions.ttl")

#: Label of the per-source sync markers (one node per synced source file).
MARKER_LABEL = "SyncSource"

#: Properties the sync itself maintains on every node / relationship it writes.
RESERVED_KEYS = ("iri", "sources", "sync_hash")

LABEL_RENAMES = {"PolicyDocument": "Policy", "InstrumentCategory": "Category"}
RELATIONSHIP_RENAMES = {
    "jurisdiction": "APPLIES_IN",
    "evidence": "HAS_EVIDENCE",
    "relationSubject": "SUBJECT",
    "relationObject": "OBJECT",
}
#: Caption property of the nodes of each label (Bloom caption, search): the Chinese name.
CAPTION_KEYS = {"Policy": "title_zh", "Clause": "number", "Evidence": "quote"}
DEFAULT_CAPTION = "name_zh"

#: Terms outside `pkg:` the loaders use: predicate → (property key, always a list).
EXTERNAL_PROPERTIES: dict[URIRef, tuple[str, bool]] = {
    RDFS.label: ("name", False),
    SKOS.prefLabel: ("name", False),
    SKOS.altLabel: ("alt_names", True),
    SKOS.notation: ("code", False),
    SKOS.definition: ("definition", False),
}


def upper_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def lower_snake(name: str) -> str:
    return upper_snake(name).lower()


@dataclass(frozen=True)
class RelationshipType:
    """One relationship type: its RDF property, name, captions and endpoint labels (if declared)."""

    iri: URIRef
    name: str
    zh: str
    en: str
    start_label: str | None
    end_label: str | None


@dataclass(frozen=True)
class GraphMapping:
    """The whole mapping; see `mapping()`."""

    labels: dict[URIRef, str]                    # class → label
    label_zh: dict[str, str]                     # label → Chinese class name
    relationships: dict[URIRef, RelationshipType]  # object property → type
    datatype_keys: dict[URIRef, str]             # datatype property → key (without language)
    property_refs: dict[URIRef, str]             # object properties whose object is a property
    class_order: tuple[str, ...] = field(default=())

    def caption_key(self, label: str) -> str:
        return CAPTION_KEYS.get(label, DEFAULT_CAPTION)

    @property
    def relationship_names(self) -> list[str]:
        return sorted({rel.name for rel in self.relationships.values()})


def ontology_graph() -> Graph:
    return background_graph(("policy.ttl",))


def background_graph(files: Iterable[str] = BACKGROUND_FILES) -> Graph:
    """The ontology and jurisdiction files shipped with the package, as one graph."""
    graph = Graph()
    package = resources.files("policykg.ontology")
    for name in files:
        graph.parse(data=package.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def _text(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> str:
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def _local(iri: URIRef) -> str:
    return str(iri)[len(str(PKG)):]


@cache
def mapping() -> GraphMapping:
    """The mapping derived from ontology/policy.ttl (cached: the file ships with the package)."""
    onto = ontology_graph()
    labels: dict[URIRef, str] = {}
    label_zh: dict[str, str] = {}
    order: list[str] = []
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(str(PKG)):
            name = LABEL_RENAMES.get(_local(cls), _local(cls))
            labels[cls] = name
            label_zh[name] = _text(onto, cls, RDFS.label, "zh")
    order = sorted(labels.values())
    relationships: dict[URIRef, RelationshipType] = {}
    property_refs: dict[URIRef, str] = {}
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        if not (isinstance(prop, URIRef) and str(prop).startswith(str(PKG))):
            continue
        rng = onto.value(prop, RDFS.range)
        if rng == OWL.ObjectProperty:  # pkg:relationType names a property: kept as a value
            property_refs[prop] = lower_snake(_local(prop))
            continue
        local = _local(prop)
        relationships[prop] = RelationshipType(
            iri=prop,
            name=RELATIONSHIP_RENAMES.get(local, upper_snake(local)),
            zh=_text(onto, prop, RDFS.label, "zh"),
            en=_text(onto, prop, RDFS.label, "en"),
            start_label=labels.get(onto.value(prop, RDFS.domain)),  # type: ignore[arg-type]
            end_label=labels.get(rng),  # type: ignore[arg-type]
        )
    datatype_keys = {
        prop: lower_snake(_local(prop))
        for prop in onto.subjects(RDF.type, OWL.DatatypeProperty)
        if isinstance(prop, URIRef) and str(prop).startswith(str(PKG))
    }
    return GraphMapping(labels, label_zh, relationships, datatype_keys, property_refs, tuple(order))


# ---- values ------------------------------------------------------------------------------------


_INT64 = (-(2**63), 2**63 - 1)


def neo4j_value(term: Literal) -> Any:
    """A literal as a Neo4j property value.

    xsd:decimal (amounts in yuan, rates, target values) becomes an int when integral (no float
    rounding of yuan amounts) and a float otherwise (rates such as 0.2 or 1/3: binary floats);
    an integer beyond Neo4j's 64 bits stays exact as its decimal text;
    xsd:date becomes `neo4j.time.Date`; integers, booleans and strings keep their type.
    """
    value = term.toPython()
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if _INT64[0] <= value <= _INT64[1] else str(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            whole = int(value)
            return whole if _INT64[0] <= whole <= _INT64[1] else str(whole)
        return float(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dt.datetime):
        return neo4j.time.DateTime.from_native(value)
    if isinstance(value, dt.date):
        return neo4j.time.Date.from_native(value)
    return str(term)


def plain(value: Any) -> Any:
    """A JSON-ready form of a property value (for hashing and dumps)."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def content_hash(label: str, props: Mapping[str, Any]) -> str:
    payload = json.dumps([label, {k: plain(v) for k, v in props.items()}],
                         sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


# ---- rows --------------------------------------------------------------------------------------


@dataclass
class NodeRow:
    label: str
    iri: str
    props: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return (self.label, self.iri)


@dataclass
class RelRow:
    type: str
    start_label: str
    start: str
    end_label: str
    end: str
    props: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.type, self.start_label, self.start, self.end_label, self.end)


@dataclass
class Rows:
    nodes: dict[tuple[str, str], NodeRow]
    relationships: dict[tuple[str, str, str, str, str], RelRow]
    skipped: dict[str, int]  # why → how many triples were not mapped


def _primary_label(classes: set[str], order: tuple[str, ...]) -> str:
    return sorted(classes, key=order.index)[0] if len(classes) > 1 else next(iter(classes))


def graph_rows(graph_by_source: Mapping[str, Graph]) -> Rows:
    """Node and relationship rows for the union of the source graphs.

    A node (one per IRI typed with an ontology class, or untyped but the object of a property
    whose range is a class) gathers the triples of every source that mentions it; `sources`
    lists those sources. Multi-valued properties become sorted lists.
    """
    m = mapping()
    classes: dict[str, set[str]] = defaultdict(set)
    for graph in graph_by_source.values():
        for subject, cls in graph.subject_objects(RDF.type):
            if isinstance(subject, URIRef) and cls in m.labels:
                classes[str(subject)].add(m.labels[cls])  # type: ignore[index]
    # untyped subjects / objects of properties with a declared domain / range (e.g. a
    # department another source types, named here only as the object of pkg:issuedBy)
    inferred: dict[str, set[str]] = defaultdict(set)
    for graph in graph_by_source.values():
        for prop, rel in m.relationships.items():
            for subject, obj in graph.subject_objects(prop):
                if rel.start_label and isinstance(subject, URIRef) and str(subject) not in classes:
                    inferred[str(subject)].add(rel.start_label)
                if rel.end_label and isinstance(obj, URIRef) and str(obj) not in classes:
                    inferred[str(obj)].add(rel.end_label)
    for iri, found in inferred.items():
        classes[iri] |= found
    label_of = {iri: _primary_label(found, m.class_order) for iri, found in classes.items()}

    values: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    list_keys: set[str] = set()
    node_sources: dict[str, set[str]] = defaultdict(set)
    rel_sources: dict[tuple[str, str, str, str, str], set[str]] = defaultdict(set)
    rel_caption: dict[str, str] = {}
    skipped: dict[str, int] = defaultdict(int)
    aligned = aligned_predicates() - set(m.relationships) - set(m.datatype_keys) - set(EXTERNAL_PROPERTIES)

    for source, graph in graph_by_source.items():
        for s, p, o in graph:
            if not isinstance(s, URIRef) or str(s) not in label_of:
                continue
            subject = str(s)
            node_sources[subject].add(source)
            if p == RDF.type or p in aligned:   # ELI / DCTERMS twins: ontology/alignment.py
                continue
            if p in m.relationships:
                rel = m.relationships[p]  # type: ignore[index]
                target = str(o)
                if not isinstance(o, URIRef) or target not in label_of:
                    skipped[f"{rel.name}: object is not a node"] += 1
                    continue
                key = (rel.name, label_of[subject], subject, label_of[target], target)
                rel_sources[key].add(source)
                rel_caption[rel.name] = rel.zh
                node_sources[target].add(source)
            elif p in m.property_refs and isinstance(o, URIRef):
                ref = m.relationships.get(o)
                values[subject][m.property_refs[p]].add(ref.name if ref else str(o))  # type: ignore[index]
            elif isinstance(o, Literal) and (p in m.datatype_keys or p in EXTERNAL_PROPERTIES):
                if p in m.datatype_keys:
                    key_name, always_list = m.datatype_keys[p], False  # type: ignore[index]
                else:
                    key_name, always_list = EXTERNAL_PROPERTIES[p]  # type: ignore[index]
                if o.language:
                    key_name = f"{key_name}_{o.language.lower().replace('-', '_')}"
                if always_list:
                    list_keys.add(key_name)
                values[subject][key_name].add(neo4j_value(o))
            else:
                skipped[f"unmapped predicate {p}"] += 1

    all_props: dict[str, dict[str, Any]] = {}
    for iri in label_of:
        props: dict[str, Any] = {"iri": iri}
        for key_name, found in sorted(values[iri].items()):
            ordered = sorted(found, key=lambda v: json.dumps(plain(v), ensure_ascii=False))
            props[key_name] = ordered if key_name in list_keys or len(ordered) > 1 else ordered[0]
        all_props[iri] = props
    targets: dict[tuple[str, str], str] = {}
    for rel_name, _start_label, start, _end_label, end in sorted(rel_sources):
        targets.setdefault((start, rel_name), end)
    relation_zh = {rel.name: rel.zh for rel in m.relationships.values()}

    def target_caption(iri: str, rel_name: str) -> str | None:
        end = targets.get((iri, rel_name))
        return caption(label_of[end], all_props[end], target_caption, relation_zh) if end else None

    nodes: dict[tuple[str, str], NodeRow] = {}
    for iri, label in label_of.items():
        props = all_props[iri]
        shown = caption(label, props, target_caption, relation_zh)
        props = {**props, **({"caption": shown} if shown else {})}
        props["sources"] = sorted(node_sources[iri])
        props["sync_hash"] = content_hash(label, props)
        nodes[(label, iri)] = NodeRow(label, iri, props)

    relationships: dict[tuple[str, str, str, str, str], RelRow] = {}
    for key, sources in rel_sources.items():
        props = {"zh": rel_caption[key[0]], "sources": sorted(sources)}
        props["sync_hash"] = content_hash(key[0], {**props, "start": key[2], "end": key[4]})
        relationships[key] = RelRow(key[0], key[1], key[2], key[3], key[4], props)
    return Rows(nodes, relationships, dict(skipped))


def source_hash(graph: Graph) -> str:
    """A content hash of one source graph (sorted N-Triples), for the per-source sync marker."""
    lines = sorted(graph.serialize(format="nt").splitlines())
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()
