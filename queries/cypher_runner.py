"""The Cypher twins of the named queries: `queries/<stem>.cypher`, run on Neo4j in READ transactions.

Each `.cypher` file answers the same question as its `.rq` twin, with the same parameters and
the same column names; its header uses `//` where the `.rq` uses `#`:

    // name: top-ups
    // zh: …
    // param: jurisdiction : jurisdiction? -- …

Parameters are checked with the catalogue's own `params.coerce`, then names are resolved to IRIs
on the Neo4j side (a jurisdiction by name, alias or IRI; a category by notation, label or IRI; a
policy by IRI, document number, title or an unambiguous part of the title), so both backends
accept the same input. Rows come back as plain values: IRIs and text as `str`, dates as ISO
strings, numbers through `terms.plain_number` (as on the SPARQL side), lists as lists, missing values as `None`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import neo4j

from policykg.ontology import vocab

from .catalogue import (
    NamedQuery,
    UnknownQueryError,
    normalise_rows,
    order_columns,
    parse_named_query,
)
from .params import KIND_ZH, QueryParameterError, coerce
from .terms import plain_number

CYPHER_DIR = Path(__file__).resolve().parent
_LIST_LINE = re.compile(r"^//\s*list\s*:\s*(.*?)\s*$", re.I)


@dataclass(frozen=True)
class CypherResult:
    columns: list[str]
    rows: list[dict[str, Any]]


def parse_cypher_query(text: str, path: Path | None = None) -> NamedQuery:
    """A `NamedQuery` (Cypher text in `.sparql`'s place) from a `.cypher` file's `//` header."""
    header: list[str] = []
    list_columns: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("//"):
            break
        match = _LIST_LINE.match(stripped)
        if match:  # checked against the RETURN columns when the query runs
            list_columns += [c.strip() for c in match.group(1).split(",") if c.strip()]
        else:
            header.append("#" + stripped[2:])
    parsed = parse_named_query("\n".join(header), path)
    return replace(parsed, sparql=text, columns=return_columns(text), list_columns=tuple(list_columns))


_RETURN = re.compile(r"\bRETURN\s+(?:DISTINCT\s+)?", re.I)
_TAIL = re.compile(r"\b(?:ORDER\s+BY|SKIP|LIMIT|UNION)\b", re.I)
_ALIAS = re.compile(r"\bAS\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s*$", re.I)


def return_columns(cypher: str) -> tuple[str, ...]:
    """Column names of the last RETURN (its `AS` aliases, or the bare expressions): the
    columns of an empty result, for which a server need not name its fields."""
    code = "\n".join(line.split("//", 1)[0] if line.lstrip().startswith("//") else line
                     for line in cypher.splitlines())
    starts = list(_RETURN.finditer(code))
    if not starts:
        return ()
    body = code[starts[-1].end():]
    tail = _TAIL.search(body)
    body = body[:tail.start()] if tail else body
    items, depth, current = [], 0, ""
    for ch in body:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    columns = []
    for item in (" ".join(i.split()) for i in items):
        alias = _ALIAS.search(item)
        columns.append(alias.group(1) if alias else item)
    return tuple(columns)


@cache
def _load(directory: Path) -> tuple[tuple[str, NamedQuery], ...]:
    found = []
    for path in sorted(directory.glob("*.cypher")):
        query = parse_cypher_query(path.read_text(encoding="utf-8"), path)
        twin = path.with_suffix(".rq")   # one row order for both backends: the .rq's ORDER BY
        if twin.exists():
            order = order_columns(twin.read_text(encoding="utf-8"), query.columns)
            query = replace(query, order_by=order)
        found.append((query.name, query))
    return tuple(found)


def load_cypher_catalogue(directory: Path | None = None) -> dict[str, NamedQuery]:
    return dict(_load(directory or CYPHER_DIR))


def get_cypher_query(name: str) -> NamedQuery:
    catalogue = load_cypher_catalogue()
    query = catalogue.get(name) or catalogue.get(name.replace("_", "-"))
    if query is None:
        raise UnknownQueryError(name, sorted(catalogue))
    return query


# ---- parameters ---------------------------------------------------------------------------------

_LOOKUP = {
    "jurisdiction": ("MATCH (x:Jurisdiction) WHERE x.iri IN $candidates OR x.name_zh = $text "
                     "OR x.name_en = $text OR $text IN coalesce(x.alt_names_zh, []) "
                     "RETURN DISTINCT x.iri AS iri ORDER BY iri"),
    "category": ("MATCH (x:Category) WHERE x.iri IN $candidates OR x.code = $text "
                 "OR x.name_zh = $text OR x.name_en = $text "
                 "OR any(part IN split(coalesce(x.name_zh, ''), '/') WHERE trim(part) = $text) "
                 "OR any(part IN split(coalesce(x.name_en, ''), '/') WHERE trim(part) = $text) "
                 "RETURN DISTINCT x.iri AS iri ORDER BY iri"),
    "policy": ("MATCH (x:Policy) WHERE x.iri IN $candidates OR x.doc_number = $text "
               "OR x.title_zh = $text OR x.title_en = $text RETURN DISTINCT x.iri AS iri ORDER BY iri"),
}
_TITLE_PART = ("MATCH (x:Policy) WHERE x.title_zh CONTAINS $text "
               "RETURN x.iri AS iri, x.title_zh AS title ORDER BY title")
_KNOWN = {
    "jurisdiction": "MATCH (x:Jurisdiction) RETURN x.name_zh AS l ORDER BY l",
    "category": "MATCH (x:Category) RETURN x.code AS l ORDER BY l",
    "policy": "MATCH (x:Policy) RETURN x.title_zh AS l ORDER BY l",
}


def _candidates(kind: str, text: str) -> list[str]:
    found = [text]
    if ":" in text and not text.startswith("http"):
        prefix, _, local = text.partition(":")
        if prefix in vocab.PREFIXES:
            found.append(str(vocab.PREFIXES[prefix]) + local)
    if kind == "jurisdiction":
        found.append(str(vocab.jurisdiction_iri(text)))
    if kind == "policy":   # the id /policies gives: the last segment of the IRI
        found.append(str(vocab.ID) + "policy/" + text)
    return found


def resolve_params(tx: neo4j.ManagedTransaction, query: NamedQuery, values: Mapping[str, Any]) -> dict[str, Any]:
    """Cypher parameter values: named things as IRIs, dates as `neo4j.time.Date`, decimals as float."""
    kinds = {p.name: p.type for p in query.params}
    out: dict[str, Any] = {p.name: None for p in query.params}
    for name, value in values.items():
        kind = kinds[name]
        if kind in _LOOKUP:
            text = str(getattr(value, "value", value))
            found = [r["iri"] for r in tx.run(_LOOKUP[kind], text=text, candidates=_candidates(kind, text))]
            if kind == "policy" and not found:
                rows = tx.run(_TITLE_PART, text=text).data()
                if len(rows) > 1:
                    titles = "; ".join(r["title"] for r in rows)
                    raise QueryParameterError(f"policy {text!r} is ambiguous: {titles}", name,
                                              zh=f"政策 {text!r} 有歧义:{titles}")
                found = [r["iri"] for r in rows]
            if len(found) > 1:
                raise QueryParameterError(f"{kind} {text!r} is ambiguous: {', '.join(found)}", name,
                                          zh=f"{KIND_ZH[kind]} {text!r} 有歧义:{'、'.join(found)}")
            if not found:
                known = ", ".join(str(r["l"]) for r in tx.run(_KNOWN[kind]) if r["l"] is not None)
                raise QueryParameterError(f"unknown {kind} {text!r}; known: {known or 'none loaded'}", name,
                                          zh=f"未知{KIND_ZH[kind]} {text!r};已知:{known or '尚未载入'}")
            out[name] = found[0]
        elif isinstance(value, dt.date):
            out[name] = neo4j.time.Date.from_native(value)
        elif isinstance(value, Decimal):
            out[name] = float(value)
        else:
            out[name] = getattr(value, "value", value)
    return out


# ---- values -------------------------------------------------------------------------------------


def to_plain(value: Any) -> Any:
    """A JSON-ready value: graph elements become dicts of their properties."""
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time):
        return value.iso_format()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return plain_number(value)
    return value


def run_cypher_query(
    driver: neo4j.Driver,
    database: str,
    query: NamedQuery | str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = None,
) -> CypherResult:
    """Run a named Cypher query in one READ transaction; raises QueryParameterError like the
    SPARQL side for missing, mistyped or unknown parameters."""
    named = get_cypher_query(query) if isinstance(query, str) else query
    values = coerce(named.params, params or {})

    @neo4j.unit_of_work(timeout=timeout)
    def work(tx: neo4j.ManagedTransaction) -> CypherResult:
        bound = resolve_params(tx, named, values)
        result = tx.run(named.sparql, bound)
        columns = list(result.keys()) or list(named.columns)
        rows = [{col: to_plain(record[col]) for col in columns} for record in result]
        return CypherResult(columns, normalise_rows(named, rows))

    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        return session.execute_read(work)
