"""Language of a page and the words on it.

The language is `?lang=` (the switch; remembered in a cookie), else the `lang` cookie, else the
Accept-Language header (zh first). Words have two homes: names of classes, properties and SKOS
concepts (文号, 配套, 算力券…) are read from the ontology and jurisdiction files (`rdfs:label`,
`skos:prefLabel` @zh/@en), so a page says what the graph says; the few words that are not
ontology terms (navigation, headings) live in `messages.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fastapi import Request
from rdflib import RDFS, SKOS, Literal, URIRef

from policykg.api.negotiation import choose_language
from policykg.loaders.neo4j_mapping import background_graph
from policykg.ontology.vocab import PKG

LANGUAGES = ("zh", "en")
COOKIE = "lang"


def page_language(request: Request) -> str:
    """zh or en for this request (see module docstring)."""
    for value in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if value in LANGUAGES:
            return value
    return choose_language(request.headers.get("accept-language"), LANGUAGES)


@cache
def messages() -> dict[str, dict[str, str]]:
    text = resources.files("policykg.api.pages").joinpath("messages.json").read_text("utf-8")
    return json.loads(text)


@cache
def ontology_labels() -> dict[str, dict[str, str]]:
    """IRI → {lang: label} for every labelled term of the ontology and the jurisdiction files,
    plus `notation:<code>` keys for SKOS concepts (categories, levels, periods…)."""
    graph = background_graph()
    labels: dict[str, dict[str, str]] = {}
    for predicate in (RDFS.label, SKOS.prefLabel):
        for subject, value in graph.subject_objects(predicate):
            if isinstance(value, Literal) and value.language in LANGUAGES:
                labels.setdefault(str(subject), {}).setdefault(value.language, str(value))
    for concept, notation in graph.subject_objects(SKOS.notation):
        if str(concept) in labels:
            labels.setdefault(f"notation:{notation}", labels[str(concept)])
    return labels


@cache
def scheme_notations(scheme: str) -> list[str]:
    """Notations of the concepts in a SKOS concept scheme (categories, levels), sorted."""
    graph = background_graph()
    return sorted(str(graph.value(concept, SKOS.notation))
                  for concept in graph.subjects(SKOS.inScheme, URIRef(scheme))
                  if graph.value(concept, SKOS.notation) is not None)


@dataclass(frozen=True)
class Words:
    """The words of one page in one language; templates call it as `t.*`."""

    lang: str

    def msg(self, key: str) -> str:
        """A navigation / heading word from messages.json (the key itself when missing)."""
        entry = messages().get(key, {})
        return entry.get(self.lang) or entry.get("en") or key

    def term(self, iri: str | URIRef) -> str:
        """The ontology's label of a class, property or concept IRI."""
        return self._pick(ontology_labels().get(str(iri))) or _local_name(str(iri))

    def prop(self, local: str) -> str:
        """Label of the ontology property `pkg:<local>` (e.g. docNumber → 文号)."""
        return self.term(PKG[local])

    def rel(self, snake: str) -> str:
        """Label of a relation named in snake case by the API (prevails_over → 优先于)."""
        return self.prop(camel(snake))

    def field(self, snake: str) -> str:
        """Label of an API field (rate_options → the label of pkg:rateOptions), if the
        ontology has that property; else the field name itself."""
        labels = ontology_labels()
        name = FIELD_PROPERTIES.get(snake, camel(snake))
        entry = labels.get(str(PKG[name])) or labels.get(str(PKG[name.removesuffix("s")]))
        return self._pick(entry) or snake

    def code(self, notation: str | None) -> str:
        """Label of a SKOS concept given by its notation (compute_voucher → 算力券/算力补贴)."""
        if not notation:
            return ""
        return self._pick(ontology_labels().get(f"notation:{notation}")) or notation

    def _pick(self, entry: dict[str, str] | None) -> str:
        if not entry:
            return ""
        return entry.get(self.lang) or next(iter(entry.values()))

    @property
    def other(self) -> str:
        return "en" if self.lang == "zh" else "zh"


#: API fields named otherwise than their ontology property (a plural list names a singular
#: property: thresholds → pkg:threshold, found without this table).
FIELD_PROPERTIES = {"kind": "instrumentKind", "rate_schedule": "rateStep"}


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
