"""zh / en labels for the codes and IRIs in answers, read from the graph (SKOS notations and
prefLabels of the ontology's concept schemes; prefLabels of jurisdictions and departments), so
a reader sees 就高不重复 / "highest applies" next to `highest_applies` and 南通市 next to its IRI.

Labels are added where answers are presented (API JSON/CSV, the CLI), never inside the
query runners: the SPARQL and Cypher twins keep returning the same bare rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .catalogue import LIST_SEPARATOR
from .store import PolicyStore, SelectResult

LANGUAGES = ("zh", "en")

_CODES = """
SELECT ?scheme ?code (SAMPLE(?zh_) AS ?zh) (SAMPLE(?en_) AS ?en) WHERE {
  ?c a ?class ; skos:notation ?notation ; skos:prefLabel ?any .
  FILTER(STRSTARTS(STR(?class), STR(pkg:)))
  BIND(STRAFTER(STR(?class), "#") AS ?scheme)
  BIND(STR(?notation) AS ?code)
  OPTIONAL { ?c skos:prefLabel ?zh_ FILTER(LANGMATCHES(LANG(?zh_), "zh")) }
  OPTIONAL { ?c skos:prefLabel ?en_ FILTER(LANGMATCHES(LANG(?en_), "en")) }
} GROUP BY ?scheme ?code
"""
_NAMES = """
SELECT ?x (SAMPLE(?zh_) AS ?zh) (SAMPLE(?en_) AS ?en) WHERE {
  VALUES ?x { %s }
  OPTIONAL { ?x skos:prefLabel|rdfs:label ?zh_ FILTER(LANGMATCHES(LANG(?zh_), "zh")) }
  OPTIONAL { ?x skos:prefLabel|rdfs:label ?en_ FILTER(LANGMATCHES(LANG(?en_), "en")) }
} GROUP BY ?x
"""


@dataclass(frozen=True)
class Label:
    zh: str | None
    en: str | None

    def get(self, lang: str) -> str | None:
        return (self.en or self.zh) if lang == "en" else (self.zh or self.en)

    def as_dict(self) -> dict[str, str | None]:
        return {"zh": self.zh, "en": self.en}


def code_labels(store: PolicyStore) -> dict[tuple[str, str], Label]:
    """(concept class, notation) → labels, e.g. ("StackingRule", "highest_applies"): the same
    notation may name concepts of two schemes (fund: a category and a kind of support)."""
    result = store.query(_CODES)
    assert isinstance(result, SelectResult)
    return {(r["scheme"], r["code"]): Label(r["zh"], r["en"]) for r in result.rows}


def iri_labels(store: PolicyStore, iris: Iterable[str]) -> dict[str, Label]:
    """Labels of the given IRIs (jurisdictions, departments, categories…) that have one."""
    wanted = sorted({i for i in iris if i.startswith(("http://", "https://"))})
    if not wanted:
        return {}
    result = store.query(_NAMES % " ".join(f"<{i}>" for i in wanted))
    assert isinstance(result, SelectResult)
    return {r["x"]: Label(r["zh"], r["en"]) for r in result.rows if r["zh"] or r["en"]}


def _parts(value: Any) -> list[str]:
    return value.split(LIST_SEPARATOR) if isinstance(value, str) else []


#: Columns holding SKOS notations → the concept class they name (also as `lower_…` / `upper_…`):
#: fixed, so a CSV has the same header whatever the data.
CODE_COLUMNS = {
    "category": "InstrumentCategory", "rate_kind": "RateKind", "period": "Period",
    "cap_scope": "CapScope", "document_type": "DocumentType", "rule": "StackingRule",
    "stacking_rule": "StackingRule", "principle": "PrecedencePrinciple",
    "precedence_principle": "PrecedencePrinciple", "scope": "PrecedenceScope",
    "level": "JurisdictionLevel", "recipient": "RecipientKind",
}


def _scheme(column: str) -> str | None:
    for prefix in ("", "lower_", "upper_"):
        if column.startswith(prefix) and column[len(prefix):] in CODE_COLUMNS:
            return CODE_COLUMNS[column[len(prefix):]]
    return None


def code_columns(columns: Iterable[str]) -> list[str]:
    """The columns of an answer that hold codes (see CODE_COLUMNS)."""
    return [c for c in columns if _scheme(c)]


def with_labels(store: PolicyStore, columns: list[str], rows: list[dict[str, Any]],
                languages: Iterable[str] = LANGUAGES) -> tuple[list[str], list[dict[str, Any]]]:
    """The answer with `<column>_zh` / `<column>_en` after every code column (a 、-joined
    set gets its labels joined the same way)."""
    labelled = code_columns(columns)
    codes = code_labels(store) if labelled else {}
    if not labelled:
        return columns, rows
    languages = tuple(languages)
    out_columns: list[str] = []
    for column in columns:
        out_columns.append(column)
        if column in labelled:
            out_columns += [f"{column}_{lang}" for lang in languages]
    out_rows = []
    for row in rows:
        row = dict(row)
        for column in labelled:
            scheme = _scheme(column)
            parts = _parts(row.get(column))
            for lang in languages:
                names = [(codes.get((scheme, p)) or Label(p, p)).get(lang) or p for p in parts]
                row[f"{column}_{lang}"] = LIST_SEPARATOR.join(names) if names else None
        out_rows.append({c: row.get(c) for c in out_columns})
    return out_columns, out_rows


class Labeller:
    """The `labels` member of the API's resource records: `{value: {"zh": …, "en": …}}` for
    the (field, code) pairs (field as in CODE_COLUMNS) and IRIs of one record. Built once per
    answer: two queries, whatever the number of records."""

    def __init__(self, store: PolicyStore, iris: Iterable[str]):
        self.codes = code_labels(store)
        self.names = iri_labels(store, iris)

    def record(self, codes: Iterable[tuple[str, str | None]],
               iris: Iterable[str]) -> dict[str, dict[str, str | None]]:
        found: dict[str, Label] = {}
        for field, code in codes:
            scheme = _scheme(field)
            if code and scheme and (scheme, code) in self.codes:
                found[code] = self.codes[(scheme, code)]
        found.update({i: self.names[i] for i in iris if i in self.names})
        return {v: found[v].as_dict() for v in sorted(found)}
