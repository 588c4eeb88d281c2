"""The named-query catalogue: one question per `queries/<stem>.rq`, described by its header.

Like datasette's canned queries, the query file is the single source of truth: the header says
what it answers and what it takes, the SPARQL below it says how. Header grammar (leading `#`
lines, before the first line of SPARQL):

    # name: instruments-by-category                 (= the file stem with `_` → `-`)
    # zh: 某类支持在各辖区的政策对比                      (repeatable: lines are joined)
    # en: Every jurisdiction's offer for one kind of support
    # param: category : category = compute_voucher -- which kind of support
    # param: jurisdiction : jurisdiction?           (`?`: optional, unbound when not given)
    # list: departments, funded_by                  (columns holding a 、-joined set)

A `list` column is a GROUP_CONCAT, whose order SPARQL leaves open; `run_query` sorts its parts so
answers are stable and comparable with the Cypher twin (`normalise_rows`).

Parameter types are `params.PARAM_TYPES`. Columns are read from the SELECT projection, so the
catalogue, the API docs and the `.cypher` twins all see the same names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .binding import code_only
from .params import PARAM_TYPES, QueryParam, QueryParameterError, coerce, resolve
from .store import PolicyStore, SelectResult

QUERY_DIR = Path(__file__).resolve().parent

_HEADER_LINE = re.compile(r"^#\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z]+)\s*(?P<optional>\?)?"
    r"\s*(?:=\s*(?P<default>.+?))?\s*$"
)
_SELECT = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:\bWHERE\b|\{)", re.I | re.S)
_AS_VAR = re.compile(r"\bAS\s+[?$]([A-Za-z_][A-Za-z0-9_]*)", re.I)
_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


class CatalogueError(ValueError):
    """A `.rq` file's header is missing or malformed."""


class UnknownQueryError(LookupError):
    """No named query by that name; the message lists the known ones."""

    def __init__(self, name: str, known: list[str]):
        super().__init__(f"unknown query {name!r}; known queries: {', '.join(known)}")
        self.name = name
        self.known = known


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sparql: str
    description: dict[str, str] = field(default_factory=dict)
    params: tuple[QueryParam, ...] = ()
    columns: tuple[str, ...] = ()
    path: Path | None = None
    list_columns: tuple[str, ...] = ()
    #: (column, descending) from the outermost ORDER BY, for `normalise_rows`
    order_by: tuple[tuple[str, bool], ...] = ()

    def describe(self, lang: str = "zh") -> str:
        """The description in `lang`, falling back to the other language."""
        return self.description.get(lang) or next(iter(self.description.values()), "")


def parse_named_query(text: str, path: Path | None = None) -> NamedQuery:
    """A `NamedQuery` from `.rq` text; raises CatalogueError naming the file and the problem."""
    where = str(path) if path else "<query>"
    name: str | None = None
    description: dict[str, str] = {}
    params: list[QueryParam] = []
    list_columns: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key == "name":
            name = value
        elif key in ("zh", "en"):
            description[key] = (description.get(key, "") + " " + value).strip()
        elif key == "param":
            params.append(_parse_param(value, where))
        elif key == "list":
            list_columns += [c.strip() for c in value.split(",") if c.strip()]
    if not name:
        raise CatalogueError(f"{where}: header has no '# name:' line")
    if path is not None and name != path.stem.replace("_", "-"):
        raise CatalogueError(f"{where}: name {name!r} does not match the file stem {path.stem!r}")
    if not description:
        raise CatalogueError(f"{where}: header has no '# zh:' or '# en:' description")
    if len({p.name for p in params}) != len(params):
        raise CatalogueError(f"{where}: a parameter is declared twice")
    columns = select_columns(text)
    if unknown := set(list_columns) - set(columns):
        raise CatalogueError(f"{where}: '# list:' names columns not selected: {sorted(unknown)}")
    return NamedQuery(name, text, description, tuple(params), columns, path, tuple(list_columns),
                      order_columns(text, columns))


def _parse_param(line: str, where: str) -> QueryParam:
    spec, _, doc = line.partition("--")
    match = _PARAM.match(spec.strip())
    if not match:
        raise CatalogueError(f"{where}: cannot read param line {line!r} (NAME : TYPE [?] [= DEFAULT])")
    kind = match.group("type")
    if kind not in PARAM_TYPES:
        raise CatalogueError(f"{where}: param type {kind!r} is not one of {', '.join(PARAM_TYPES)}")
    default = match.group("default")
    optional = bool(match.group("optional"))
    return QueryParam(
        name=match.group("name"),
        type=kind,
        default=default,
        required=default is None and not optional,
        description=doc.strip(),
    )


def select_columns(sparql: str) -> tuple[str, ...]:
    """Projected variable names of the outermost SELECT, in order (empty for `SELECT *`)."""
    match = _SELECT.search(code_only(sparql))
    if not match:
        return ()
    projection = match.group(1)
    columns: list[str] = []
    depth = 0
    i = 0
    while i < len(projection):
        ch = projection[i]
        if ch == "(":
            depth += 1
            close = _matching_paren(projection, i)
            alias = _AS_VAR.findall(projection[i:close])
            columns.extend(alias[-1:])
            i = close
            depth -= 1
            continue
        var = _VAR.match(projection, i)
        if var and depth == 0:
            columns.append(var.group(1))
            i = var.end()
            continue
        i += 1
    return tuple(columns)


_ORDER_BY = re.compile(r"\bORDER\s+BY\s+(.*?)\s*(?:\bLIMIT\b|\bOFFSET\b|$)", re.I | re.S)
_RENAME = re.compile(r"\(\s*[?$]([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+[?$]([A-Za-z_][A-Za-z0-9_]*)\s*\)", re.I)
_ORDER_KEY = re.compile(r"(?:\b(ASC|DESC)\s*\(\s*)?[?$]([A-Za-z_][A-Za-z0-9_]*)", re.I)


def order_columns(sparql: str, columns: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """The projected columns of the last ORDER BY, each with `descending`; keys on variables
    that are not columns are left out (the remaining columns break ties anyway)."""
    matches = list(_ORDER_BY.finditer(code_only(sparql)))
    if not matches:
        return ()
    renamed = dict(_RENAME.findall(code_only(sparql)))   # (?row_kind AS ?kind)
    keys = [(way, renamed.get(name, name)) for way, name in _ORDER_KEY.findall(matches[-1].group(1))]
    return tuple((name, way.upper() == "DESC") for way, name in keys if name in columns)


def _matching_paren(text: str, start: int) -> int:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def load_catalogue(directory: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries in `directory` (default: the installed `queries/` folder), by name."""
    return dict(_load(directory or QUERY_DIR))


@cache
def _load(directory: Path) -> tuple[tuple[str, NamedQuery], ...]:
    queries = []
    for path in sorted(directory.glob("*.rq")):
        query = parse_named_query(path.read_text(encoding="utf-8"), path)
        queries.append((query.name, query))
    return tuple(queries)


def get_query(name: str, catalogue: Mapping[str, NamedQuery] | None = None) -> NamedQuery:
    """The named query, accepting `top_ups` for `top-ups`; UnknownQueryError otherwise."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    query = catalogue.get(name) or catalogue.get(name.replace("_", "-"))
    if query is None:
        raise UnknownQueryError(name, sorted(catalogue))
    return query


def run_query(
    store: PolicyStore,
    query: NamedQuery | str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = None,
) -> SelectResult:
    """Validate, resolve and bind `params`, run the query, return columns and plain rows."""
    named = get_query(query) if isinstance(query, str) else query
    values = coerce(named.params, params or {})
    bindings = resolve(store, named.params, values)
    result = store.query(named.sparql, bindings, timeout=timeout)
    if not isinstance(result, SelectResult):
        raise CatalogueError(f"{named.name}: a named query must be a SELECT query")
    return SelectResult(result.columns, normalise_rows(named, result.rows))


LIST_SEPARATOR = "、"


def normalise_rows(named: NamedQuery, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as every backend gives them: the parts of every `list` column sorted (an empty set
    is None), then the rows in one total order, the query's ORDER BY first and every other
    column after it, so SPARQL and Cypher answers match byte for byte (ties included).
    Empty parts are dropped: queries write `COALESCE(?x, "")` inside GROUP_CONCAT because
    rdflib fails on an unbound aggregated variable."""
    out = []
    for row in rows:
        row = dict(row)
        for column in named.list_columns:
            value = row.get(column)
            if isinstance(value, str):
                parts = sorted(set(value.split(LIST_SEPARATOR)) - {""})
                row[column] = LIST_SEPARATOR.join(parts) if parts else None
        out.append(row)
    ordered = dict(named.order_by)
    keys = [*ordered.items(), *((c, False) for c in named.columns if c not in ordered)]
    for column, descending in reversed(keys):   # stable sorts, least significant key first
        out.sort(key=lambda row, c=column: _sort_key(row.get(c)), reverse=descending)
    return out


def _sort_key(value: Any) -> tuple[int, Any]:
    """SPARQL's order of terms, roughly: unbound first, then numbers, then text."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value))


__all__ = [
    "CatalogueError",
    "NamedQuery",
    "QueryParam",
    "QueryParameterError",
    "UnknownQueryError",
    "get_query",
    "load_catalogue",
    "normalise_rows",
    "parse_named_query",
    "run_query",
    "select_columns",
]
