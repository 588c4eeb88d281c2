"""Safe parameter binding for SPARQL text: a `VALUES` block at the top of every `WHERE` group.

Why not pyoxigraph's `substitutions=` (SEP-0007)? In pyoxigraph 0.5 it only accepts variables
that appear in the top-level SELECT projection: it rejects `SELECT *`, ASK, grouped queries and
sub-queries. A `VALUES` block carries the same meaning (the variable holds one value for the whole
group) and is plain SPARQL 1.1. The value is written as an RDF term by pyoxigraph itself
(`terms.sparql_term`), never pasted from user text, so `" } ; DROP ALL` stays a string literal.

It is inserted after *every* `WHERE {` (outer query and sub-queries), since a sub-query does not
see the outer query's bindings. Consequence for `.rq` authors: a parameter variable must not be
re-assigned with `BIND(… AS ?param)` or `(… AS ?param)`. An unbound optional parameter is simply
left out, so queries test it with `!BOUND(?param)`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .terms import OxTerm, sparql_term

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_NAME_CHARS = re.compile(r"[\w:?$]")
# Keywords after which the next `{` opens a group pattern (CONSTRUCT's first `{` is a template).
_KEYWORD = re.compile(r"(?:WHERE|SELECT|ASK|DESCRIBE)(?![\w:])", re.IGNORECASE)


def _skip_string(text: str, i: int) -> int:
    """Index just past the string literal starting at `i` (short or long form, with escapes)."""
    quote = text[i]
    long_quote = text.startswith(quote * 3, i)
    end_mark = quote * 3 if long_quote else quote
    j = i + len(end_mark)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(end_mark, j):
            return j + len(end_mark)
        if not long_quote and text[j] == "\n":
            return j  # unterminated: let the SPARQL parser report it
        j += 1
    return j


def where_brace_positions(sparql: str) -> list[int]:
    """Offsets just after the `{` opening each query's group pattern (`WHERE {`, `ASK {`,
    `SELECT * {`), outer query and sub-queries, skipping strings, IRIs and comments."""
    positions: list[int] = []
    i, n = 0, len(sparql)
    pending_where = False
    while i < n:
        ch = sparql[i]
        if ch == "#":
            newline = sparql.find("\n", i)
            i = n if newline < 0 else newline + 1
            continue
        if ch in "\"'":
            i = _skip_string(sparql, i)
            continue
        if ch == "<":
            match = _IRIREF.match(sparql, i)
            if match:
                i = match.end()
                continue
        if ch == "{":
            if pending_where:
                positions.append(i + 1)
                pending_where = False
            i += 1
            continue
        word = _KEYWORD.match(sparql, i)
        if word and (i == 0 or not _NAME_CHARS.match(sparql[i - 1])):
            pending_where = True
            i = word.end()
            continue
        i += 1
    return positions


def code_only(sparql: str) -> str:
    """The query with comments and string literals blanked out (same length), for scanning."""
    out = list(sparql)
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch == "#":
            end = sparql.find("\n", i)
            end = n if end < 0 else end
        elif ch in "\"'":
            end = _skip_string(sparql, i)
        elif ch == "<" and (match := _IRIREF.match(sparql, i)):
            i = match.end()
            continue
        else:
            i += 1
            continue
        out[i:end] = " " * (end - i)
        i = end
    return "".join(out)


def values_block(bindings: Mapping[str, OxTerm]) -> str:
    """`VALUES (?a ?b) { (<x> "y") }` on one line, so error line numbers are not shifted."""
    for name in bindings:
        if not _VARNAME.match(name):
            raise ValueError(f"invalid variable name for a binding: {name!r}")
    names = " ".join("?" + name for name in bindings)
    row = " ".join(sparql_term(term) for term in bindings.values())
    return f" VALUES ({names}) {{ ({row}) }} "


def bind_values(sparql: str, bindings: Mapping[str, OxTerm]) -> str:
    """The query with `bindings` fixed in every WHERE group (unchanged when there are none)."""
    if not bindings:
        return sparql
    positions = where_brace_positions(sparql)
    if not positions:
        raise ValueError("cannot bind parameters: the query has no `WHERE {` group")
    block = values_block(bindings)
    parts: list[str] = []
    last = 0
    for pos in positions:
        parts.append(sparql[last:pos])
        parts.append(block)
        last = pos
    parts.append(sparql[last:])
    return "".join(parts)
