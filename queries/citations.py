"""Which document a citation names: the rules the linking phase (`queries.links`) applies to
a relation stated by title (配套, 依据, 引用, 取代, 优先于, 衔接, 实施细则).

Extraction states the reference as the text gives it (`pkg:citedTitle`, `pkg:citedDocNumber`
on the relation statement); it is resolved here against the documents the store will hold —
those loaded from their own text and those a loaded text describes — never against the files
that happen to be read together:

1. the documents with the same normalised title (`loaders.split.norm_title`: script, dashes,
   brackets); else those with the cited 文号; else those whose title is within a character or
   two of it with the same digits (years, editions: `near_titles`);
2. never the citing document itself; of several, the loaded ones; of several still, the one
   whose place is or encloses the citing document's;
3. nothing found, or no single one: the node for the title alone, `vocab.policy_iri(title)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from policykg.loaders.places import enclosing
from policykg.loaders.split import norm_title
from policykg.ontology.vocab import PKG, policy_iri

#: how alike two normalised titles must be (rapidfuzz ratio, 0–100) to name one document:
#: a dropped or doubled character in a long title, never a different year or place
NEAR_TITLE = 96


def near_titles(wanted: str, known: Iterable[str]) -> list[str]:
    """Titles within a character or two of `wanted` with the same digits (years, editions): a
    citation copied with a typo still finds its document. Both sides normalised."""
    return NearTitles(known).near(wanted)


class NearTitles:
    """Titles grouped by their digits, to ask `near_titles` of one set many times: a batch asks
    once per citation, and comparing each with every stored title made linking grow with the
    square of the store (2 s a batch at 10,000 documents)."""

    def __init__(self, titles: Iterable[str]) -> None:
        self.by_digits: dict[tuple[str, ...], list[str]] = {}
        for title in titles:
            self.by_digits.setdefault(tuple(_DIGITS.findall(title)), []).append(title)

    def near(self, wanted: str) -> list[str]:
        """The (at most three) closest titles with `wanted`'s digits."""
        from rapidfuzz import fuzz, process

        candidates = self.by_digits.get(tuple(_DIGITS.findall(wanted)), [])
        hits = process.extract(wanted, candidates, scorer=fuzz.ratio, score_cutoff=NEAR_TITLE, limit=3)
        return [title for title, _score, _ in hits]


_DIGITS = re.compile(r"\d+")


def named(table: Mapping[str, set[str]], titles: Iterable[str]) -> set[str]:
    """The entries of `table` (normalised title -> values) for each of `titles` (normalised) and
    for the titles near it (`near_titles`)."""
    near = NearTitles(table)
    return {value for title in titles for hit in [title, *near.near(title)] for value in table.get(hit, ())}


@dataclass(frozen=True)
class Known:
    """A document a citation may name: loaded from its text, or described by a loaded one."""

    iri: URIRef
    title: str
    loaded: bool
    places: frozenset[str]
    doc_number: str | None = None


@dataclass(frozen=True)
class Citation:
    """A relation a source graph states by title: `statement` says `subject` `relation` it."""

    statement: URIRef
    subject: URIRef
    relation: URIRef
    title: str
    doc_number: str | None
    places: tuple[str, ...]  # the citing document's places, each with those enclosing it


class Index:
    """Known documents by normalised title and by 文号."""

    def __init__(self, known: Iterable[Known]) -> None:
        self.by_title: dict[str, set[Known]] = {}
        self.by_number: dict[str, set[Known]] = {}
        for k in known:
            self.by_title.setdefault(norm_title(k.title), set()).add(k)
            if k.doc_number:
                self.by_number.setdefault(k.doc_number, set()).add(k)

    def resolve(self, citation: Citation) -> URIRef | None:
        """The known document `citation` names, or None (see the module docstring)."""
        wanted = norm_title(citation.title)
        found = self.by_title.get(wanted, set())
        if not found and citation.doc_number:
            found = self.by_number.get(citation.doc_number, set())
        if not found:
            found = {k for near in near_titles(wanted, self.by_title) for k in self.by_title[near]}
        # a document known from two graphs is one; a title never names the document citing it
        # (《X》实施细则 is within a near title of a long X)
        ranked = {k.iri: k for k in found if k.iri != citation.subject}.values()
        if len(ranked) > 1 and any(k.loaded for k in ranked):
            ranked = [k for k in ranked if k.loaded]
        if len(ranked) > 1:
            around = set(citation.places)
            ranked = [k for k in ranked if k.places & around]
        return next(iter(ranked)).iri if len(ranked) == 1 else None


def title_node(citation: Citation) -> URIRef:
    return policy_iri(citation.title)


def _places(graph: Graph, policy: URIRef) -> list[str]:
    names = []
    for j in graph.objects(policy, PKG.jurisdiction):
        name = graph.value(j, SKOS.prefLabel) or graph.value(j, RDFS.label)
        if name is not None:
            names.append(str(name))
    return names


def citations(graph: Graph) -> list[Citation]:
    """The citations a source graph states."""
    out = []
    for st, title in graph.subject_objects(PKG.citedTitle):
        subject, relation = graph.value(st, PKG.relationSubject), graph.value(st, PKG.relationType)
        if not (isinstance(st, URIRef) and isinstance(subject, URIRef) and isinstance(relation, URIRef)):
            continue
        number = graph.value(st, PKG.citedDocNumber)
        around = [p for name in _places(graph, subject) for p in enclosing(name)]
        out.append(Citation(st, subject, relation, str(title), None if number is None else str(number),
                            tuple(dict.fromkeys(around))))
    return sorted(out, key=lambda c: str(c.statement))


def known_in(graph: Graph) -> list[Known]:
    """The documents a graph loads or describes."""
    out = []
    for policy in {*graph.subjects(PKG.loaded, Literal(True)), *graph.subjects(PKG.describedIn, None)}:
        if not isinstance(policy, URIRef):
            continue
        number = graph.value(policy, PKG.docNumber)
        for title in graph.objects(policy, PKG.title):
            out.append(Known(policy, str(title), (policy, PKG.loaded, Literal(True)) in graph,
                             frozenset(_places(graph, policy)), None if number is None else str(number)))
    return out


#: the SPARQL twin of `known_in`, over the graphs `?g` (bound by the caller's filter)
KNOWN_PATTERN = """
    { ?x pkg:loaded true BIND(true AS ?loaded) } UNION { ?x pkg:describedIn ?by BIND(false AS ?loaded) }
    ?x pkg:title ?title .
    OPTIONAL { ?x pkg:docNumber ?number }
    OPTIONAL { ?x pkg:jurisdiction ?j . ?j skos:prefLabel ?place }
"""


def known_from_rows(rows: Iterable[Mapping[str, object]]) -> list[Known]:
    """`Known` documents from rows of `KNOWN_PATTERN` (one row per title × place)."""
    merged: dict[tuple[str, str], tuple[bool, set[str], str | None]] = {}
    for row in rows:
        key = (str(row["x"]), str(row["title"]))
        loaded, places, number = merged.get(key, (False, set(), None))
        if row.get("place") is not None:
            places.add(str(row["place"]))
        merged[key] = (loaded or bool(row["loaded"]), places,
                       number or (None if row.get("number") is None else str(row["number"])))
    return [Known(URIRef(iri), title, loaded, frozenset(places), number)
            for (iri, title), (loaded, places, number) in merged.items()]


def naming(citation_titles: Mapping[str, set[str]], changed: Iterable[Known]) -> set[str]:
    """Of the cited titles (normalised title -> the titles as stated), those a change to the
    `changed` documents can re-resolve: the same title, or one within `near_titles`."""
    return named(citation_titles, (norm_title(known.title) for known in changed))
