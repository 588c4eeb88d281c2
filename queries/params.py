"""Named-query parameters: declared types, coercion of user input, resolution to RDF terms.

Two steps, so errors are precise and cheap:
1. `coerce` turns raw input (CLI `key=value` strings, JSON values) into typed Python values and
   rejects missing, unknown and mistyped parameters without touching the store;
2. `resolve` turns domain names into the IRIs the graph uses, asking the store: a jurisdiction
   by name or alias (南通创新区, 南通) or IRI, a category by notation (compute_voucher), label or
   IRI, a policy by IRI, id (the last segment of its IRI, as /policies gives it), document
   number, exact title or an unambiguous part of its title.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import SKOS

from policykg.loaders.repair import to_simplified
from policykg.ontology import vocab

from .terms import OxTerm, as_term

PARAM_TYPES = ("string", "date", "integer", "decimal", "iri", "jurisdiction", "category", "policy")
_NAMED = ("jurisdiction", "category", "policy")


class QueryParameterError(ValueError):
    """A parameter is missing, unknown, mistyped or names nothing in the graph."""

    def __init__(self, message: str, param: str | None = None, zh: str | None = None):
        super().__init__(message)
        self.param = param
        self.zh = zh or message   # the message in Chinese (API Accept-Language, CLI --lang zh)

    def in_language(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


#: Parameter types in Chinese, for messages.
KIND_ZH = {"string": "文本", "date": "日期", "integer": "整数", "decimal": "数值", "iri": "IRI",
           "jurisdiction": "辖区", "category": "支持类别", "policy": "政策"}


@dataclass(frozen=True)
class QueryParam:
    """One `# param:` header line. `default` is the raw text from the header (`today` for a date
    means the day the query runs); `required` is True when there is neither default nor `?`."""

    name: str
    type: str
    default: str | None = None
    required: bool = True
    description: str = ""


def coerce(params: tuple[QueryParam, ...], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for every parameter that has a value (missing optional ones are left out)."""
    declared = {p.name: p for p in params}
    unknown = sorted(set(raw) - set(declared))
    if unknown:
        raise QueryParameterError(
            f"unknown parameter(s) {', '.join(unknown)}; this query takes: "
            + (", ".join(declared) or "no parameters"),
            unknown[0],
            zh=f"未知参数 {'、'.join(unknown)};本查询接受:" + ("、".join(declared) or "无参数"),
        )
    values: dict[str, Any] = {}
    for param in params:
        value = raw.get(param.name)
        if value is None or value == "":
            value = param.default
        if value is None:
            if param.required:
                raise QueryParameterError(
                    f"missing required parameter {param.name!r} ({param.type})", param.name,
                    zh=f"缺少必填参数 {param.name!r}({KIND_ZH[param.type]})",
                )
            continue
        values[param.name] = _coerce_one(param, value)
    return values


def _coerce_one(param: QueryParam, value: Any) -> Any:
    kind = param.type
    try:
        if kind == "date":
            return _to_date(value)
        if kind == "integer":
            return _to_int(value)
        if kind == "decimal":
            if isinstance(value, bool):
                raise ValueError("not a number")
            return Decimal(str(value))
        if kind == "iri":
            return _to_iri(value)
    except (ValueError, TypeError, InvalidOperation) as err:
        raise QueryParameterError(
            f"parameter {param.name!r} expects {_EXPECTS[kind]}, got {value!r}", param.name,
            zh=f"参数 {param.name!r} 应为{_EXPECTS_ZH[kind]},收到 {value!r}",
        ) from err
    if isinstance(value, ox.NamedNode):
        return value
    if not isinstance(value, str) or not value.strip():
        raise QueryParameterError(
            f"parameter {param.name!r} expects {_EXPECTS[kind]}, got {value!r}", param.name,
            zh=f"参数 {param.name!r} 应为{_EXPECTS_ZH[kind]},收到 {value!r}",
        )
    text = _printable(param.name, value.strip())
    # names and search text in traditional script meet the simplified text the loaders store;
    # IRIs and prefixed names are left alone
    return text if _looks_like_iri(text) else to_simplified(text)


def _printable(name: str, text: str) -> str:
    """`text` unless it holds control characters (C0/C1, Unicode category Cc), which no name,
    title or search phrase contains and which IRIs cannot hold."""
    bad = next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise QueryParameterError(
            f"parameter {name!r} contains the control character U+{ord(bad):04X}", name,
            zh=f"参数 {name!r} 含有控制字符 U+{ord(bad):04X}",
        )
    return text


_EXPECTS_ZH = {
    "string": "非空文本",
    "date": "ISO 日期,如 2026-11-23(或 today)",
    "integer": "整数",
    "decimal": "数值",
    "iri": "绝对 IRI 或前缀名,如 pkg:compute_voucher",
    "jurisdiction": "辖区名称(如 南通创新区)或其 IRI",
    "category": "支持类别代码(如 compute_voucher)、名称或 IRI",
    "policy": "政策 IRI、id、文号或标题",
}
_EXPECTS = {
    "string": "a non-empty text",
    "date": "an ISO date like 2026-11-23 (or 'today')",
    "integer": "a whole number",
    "decimal": "a number",
    "iri": "an absolute IRI or a prefixed name like pkg:compute_voucher",
    "jurisdiction": "a jurisdiction name like 南通创新区 or its IRI",
    "category": "a category notation like compute_voucher or its IRI",
    "policy": "a policy IRI, document number or title",
}


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text.lower() == "today":
        return dt.date.today()
    return dt.date.fromisoformat(text)


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return int(str(value).strip())


def _to_iri(value: Any) -> ox.NamedNode:
    if isinstance(value, ox.NamedNode):
        return value
    text = str(value).strip()
    prefix, sep, local = text.partition(":")
    if sep and prefix in vocab.PREFIXES and not local.startswith("//"):
        text = str(vocab.PREFIXES[prefix]) + local
    return ox.NamedNode(text)  # raises ValueError for anything that is not an absolute IRI


def _looks_like_iri(text: str) -> bool:
    prefix, sep, local = text.partition(":")
    return bool(sep) and (local.startswith("//") or prefix in vocab.PREFIXES)


# ---- resolution against the store ---------------------------------------------------------------

#: predicates naming a parameter's value, and its type: probed by index first
#: (PolicyStore.subjects_labelled), then scanned for other datatypes or language tags
_LABEL_INDEX = {
    "jurisdiction": ((str(SKOS.prefLabel), str(SKOS.altLabel)), str(vocab.PKG.Jurisdiction)),
    "category": ((str(SKOS.notation), str(SKOS.prefLabel)), str(vocab.PKG.InstrumentCategory)),
    "policy": ((str(vocab.PKG.docNumber), str(vocab.PKG.title)), str(vocab.PKG.PolicyDocument)),
}


def _label_scan(kind: str) -> str:
    predicates, rdf_type = _LABEL_INDEX[kind]
    branches = " UNION ".join(f"{{ ?x <{p}> ?l }}" for p in predicates)
    return f"SELECT DISTINCT ?x WHERE {{ ?x a <{rdf_type}> . {branches} FILTER(STR(?l) = ?text) }}"


_KNOWN = {
    "jurisdiction": "SELECT ?l WHERE { ?x a pkg:Jurisdiction ; skos:prefLabel ?l FILTER(LANG(?l) = 'zh') } ORDER BY ?l",
    "category": "SELECT ?l WHERE { ?x a pkg:InstrumentCategory ; skos:notation ?l } ORDER BY ?l",
    "policy": "SELECT ?l WHERE { ?x a pkg:PolicyDocument ; pkg:title ?l } ORDER BY ?l",
}
_CATEGORY_PART = """
    SELECT DISTINCT ?x WHERE { ?x a pkg:InstrumentCategory ; skos:prefLabel|skos:altLabel ?l
      FILTER(CONTAINS(CONCAT("/", REPLACE(STR(?l), " */ *", "/"), "/"), CONCAT("/", ?text, "/"))) }
    ORDER BY ?x"""
_TITLE_PART = """
    SELECT DISTINCT ?x ?l WHERE { ?x a pkg:PolicyDocument ; pkg:title ?l FILTER(CONTAINS(STR(?l), ?text)) }
    ORDER BY ?l"""


def resolve(store: Any, params: tuple[QueryParam, ...], values: Mapping[str, Any]) -> dict[str, OxTerm]:
    """RDF terms for the coerced `values`; `store` is a `PolicyStore` (duck-typed to avoid a cycle)."""
    types = {p.name: p.type for p in params}
    terms: dict[str, OxTerm] = {}
    for name, value in values.items():
        kind = types[name]
        terms[name] = _resolve_named(store, name, kind, value) if kind in _NAMED else as_term(value)
    return terms


def _resolve_named(store: Any, name: str, kind: str, value: str | ox.NamedNode) -> ox.NamedNode:
    if isinstance(value, str):
        value = _printable(name, value)
        value = value if _looks_like_iri(value) else to_simplified(value)
    if isinstance(value, ox.NamedNode) or _looks_like_iri(value):
        try:
            iri = _to_iri(value)
        except ValueError as err:
            raise QueryParameterError(f"{kind} {value!r} is not a valid IRI: {err}", name,
                                      zh=f"{KIND_ZH[kind]} {value!r} 不是有效的 IRI:{err}") from err
        if not _mentioned(store, iri):
            raise QueryParameterError(f"{kind} {iri.value} is not in the graph", name,
                                      zh=f"图中没有{KIND_ZH[kind]} {iri.value}")
        return iri
    predicates, rdf_type = _LABEL_INDEX[kind]
    found = store.subjects_labelled(predicates, value, rdf_type)
    if not found:  # other datatypes or language tags: rare, exact, and a scan
        found = [row["x"] for row in store.query(_label_scan(kind), {"text": value}).rows]
    if kind == "jurisdiction" and not found:
        try:
            minted = ox.NamedNode(str(vocab.jurisdiction_iri(value)))
        except ValueError:   # characters no IRI may hold: no jurisdiction has that name
            minted = None
        found = [minted.value] if minted is not None and _mentioned(store, minted) else []
    if kind == "category" and not found:   # one name of a label "算力券/算力补贴", or an altLabel
        found = [row["x"] for row in store.query(_CATEGORY_PART, {"text": value}).rows]
    if kind == "policy" and not found:   # the id /policies gives (last segment of the IRI)
        by_id = ox.NamedNode(str(vocab.ID) + "policy/" + value) if _ID.fullmatch(value) else None
        # (_ID: only ASCII ids, so the IRI is always valid)
        found = [by_id.value] if by_id is not None and _is_policy(store, by_id) else []
    if kind == "policy" and not found:
        rows = store.query(_TITLE_PART, {"text": value}).rows
        if len(rows) > 1:
            titles = "; ".join(row["l"] for row in rows)
            raise QueryParameterError(f"policy {value!r} is ambiguous: {titles}", name,
                                      zh=f"政策 {value!r} 有歧义:{titles}")
        found = [row["x"] for row in rows]
    if len(found) > 1:
        raise QueryParameterError(f"{kind} {value!r} is ambiguous: {', '.join(found)}", name,
                                  zh=f"{KIND_ZH[kind]} {value!r} 有歧义:{'、'.join(found)}")
    if not found:
        known = ", ".join(row["l"] for row in store.query(_KNOWN[kind]).rows)
        raise QueryParameterError(f"unknown {kind} {value!r}; known: {known or 'none loaded'}", name,
                                  zh=f"未知{KIND_ZH[kind]} {value!r};已知:{known or '尚未载入'}")
    return ox.NamedNode(found[0])


_ID = re.compile(r"[A-Za-z0-9_-]+")


def _is_policy(store: Any, iri: ox.NamedNode) -> bool:
    return bool(store.query("ASK { ?x a pkg:PolicyDocument }", {"x": iri}))


def _mentioned(store: Any, iri: ox.NamedNode) -> bool:
    return bool(store.query("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", {"x": iri}))
