"""Namespaces and IRI minting rules shared by loaders, queries, API and the Neo4j sync.

IRIs are derived from content (names, titles, clause numbers), never from counters, so a
document loaded twice yields the same graph and a document cited by title in another file
resolves to the same node.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD


class CachedNamespace(Namespace):
    """rdflib's `Namespace` that keeps each term it makes: `PKG.rate` builds and checks a new
    URIRef on every access (1.3 µs), and the loaders name a few dozen terms hundreds of times
    per document. The term is kept as an attribute, so the next access is a plain lookup."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        if not name.startswith("_"):
            self.__dict__[name] = term
        return term


PKG = CachedNamespace("https://w3id.org/policykg/ontology#")
ID = CachedNamespace("https://w3id.org/policykg/id/")
JUR = CachedNamespace("https://w3id.org/policykg/id/jurisdiction/")
ELI = CachedNamespace("http://data.europa.eu/eli/ontology#")
ORG = CachedNamespace("http://www.w3.org/ns/org#")
SH = CachedNamespace("http://www.w3.org/ns/shacl#")

#: Named graph holding the ontology, jurisdictions and vocabularies in the store.
BACKGROUND_GRAPH = ID["graph/background"]

PREFIXES = {
    "pkg": PKG,
    "id": ID,
    "j": JUR,
    "eli": ELI,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
}

_UNSAFE = re.compile(r"[\s<>\"{}|\\^`]")


#: RFC 3987 `ucschar`: the non-ASCII code points an IRI path may hold as they are.
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF),
            *((plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)),
            (0xE1000, 0xEFFFD))


def _iri_char(ch: str) -> bool:
    code = ord(ch)
    if code < 128:
        return ch.isalnum() or ch in "-_.~()"
    return any(low <= code <= high for low, high in _UCSCHAR)


def _segment(text: str) -> str:
    """An IRI path segment for any string: Chinese stays readable (IRIs allow it); ASCII
    delimiters and what RFC 3987 does not allow (controls, private use, U+FFFD, lone
    surrogates) are percent-encoded, so every string mints a valid IRI."""
    cleaned = _UNSAFE.sub("", text.strip())
    return "".join(ch if _iri_char(ch) else quote(ch, safe="", errors="surrogatepass")
                   for ch in cleaned)


def digest(text: str, length: int = 16) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def jurisdiction_iri(name: str):
    return JUR[_segment(name)]


def department_iri(name: str):
    return ID["org/" + _segment(name)]


def policy_iri(title: str, place: str | None = None):
    """A policy is identified by its normalised title and, when the title does not name its
    place (关于促进…的行动方案, 若干措施), by the place issuing it: two cities' same-titled plans
    are two policies, one policy loaded twice or reprinted is one (docs/architecture.md)."""
    normalised = re.sub(r"[\s《》“”\"]", "", title)
    return ID["policy/" + digest(f"{place}|{normalised}" if place else normalised)]


def programme_iri(name: str):
    """A funding programme that is not a document (国家智能券, 国拨经费), by its name."""
    return ID["programme/" + digest(re.sub(r"\s", "", name))]


def source_graph_iri(source_file: str):
    """One named graph per source file, so a file can be replaced or removed alone."""
    return ID["graph/" + _segment(source_file)]


def links_graph_iri(source_file: str):
    """The links derived for one source file (`queries.links`), kept apart from what it states."""
    return ID["links/" + _segment(source_file)]


def clause_iri(policy, number_path: str):
    return type(policy)(f"{policy}/clause/{_segment(number_path)}")


def fact_iri(parent, kind: str, key: str):
    """A fact under its clause or policy, keyed by its content (e.g. the quoted sentence)."""
    return type(parent)(f"{parent}/{kind}/{digest(key, 12)}")


