"""Size and shape limits checked on request text before any parser sees it.

Oxigraph's SPARQL and JSON-LD parsers recurse: a few KB of nested groups, parentheses or
JSON arrays overflow their stack (SIGSEGV), and tens of thousands of patterns or UNIONs
do too. The counts here are taken on the raw characters, with no SPARQL or Turtle lexer, so
that nothing a query hides in a string, an IRI or a comment can make them undercount:

- `brackets`: every `{`, `(`, `[` in the text. The engine's nesting depth cannot exceed it,
  whatever is quoted where; `depth` (running depth of all brackets) gives the clearer message
  for the common case;
- `unions`: every occurrence of the letters `union`, any case;
- `patterns`: every `.`, `;`, `,`, `/`, `|` — the separators between triple patterns and
  path steps — plus 1.

Quoted text only makes these counts larger, so a legitimate query can at worst be refused
with a message naming the limit. JSON (JSON-LD bodies) is measured exactly: its strings have
one escape rule. Each refusal is `LimitExceeded` (400 `limit_exceeded`), its detail naming the
limit, the value found and the setting that raises it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from policykg.api.errors import BadRequest


class LimitExceeded(BadRequest):
    code = "limit_exceeded"


@dataclass(frozen=True)
class TextLimits:
    max_chars: int
    max_depth: int
    max_brackets: int
    max_unions: int
    max_patterns: int


def _refuse(what: str, limit: str, found: int, maximum: int, setting: str) -> LimitExceeded:
    return LimitExceeded(
        f"The {what} exceeds the {limit} limit ({found} > {maximum}); simplify it or ask the "
        f"operator to raise {setting}. / 超出限制 {limit}（{found} > {maximum}）。",
        {"limit": limit, "found": found, "max": maximum, "setting": setting},
    )


def _deepest(brackets: Iterable[str | bytes], opening: str | bytes) -> int:
    depth = deepest = 0
    for bracket in brackets:
        if bracket in opening:
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def raw_depth(text: str, brackets: str = "{}()[]") -> int:
    """The deepest running count of brackets (never below zero)."""
    found = re.findall("[" + re.escape(brackets) + "]", text)
    return _deepest(found, brackets[0::2])


def check_query_text(text: str, limits: TextLimits, language: str = "SPARQL") -> None:
    """Refuse a query whose size or shape is past `limits` (see the module docstring)."""
    prefix = "POLICYKG_QUERY_MAX_"
    what = f"{language} query"
    if len(text) > limits.max_chars:
        raise _refuse(what, "query_chars", len(text), limits.max_chars, prefix + "CHARS")
    brackets = sum(text.count(c) for c in "{([")
    depth = raw_depth(text)
    if depth > limits.max_depth:
        raise _refuse(what, "nesting_depth", depth, limits.max_depth, prefix + "DEPTH")
    if brackets > limits.max_brackets:
        raise _refuse(what, "brackets", brackets, limits.max_brackets, prefix + "BRACKETS")
    unions = text.lower().count("union")
    if unions > limits.max_unions:
        raise _refuse(what, "unions", unions, limits.max_unions, prefix + "UNIONS")
    patterns = 1 + sum(text.count(c) for c in ".;,/|")
    if patterns > limits.max_patterns:
        raise _refuse(what, "patterns", patterns, limits.max_patterns, prefix + "PATTERNS")


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)


def json_depth(data: bytes) -> int:
    """The nesting depth of a JSON text (arrays and objects), strings skipped exactly."""
    found = re.findall(rb"[\[\]{}]", _JSON_STRING.sub(b"", data))
    return _deepest(found, (b"[", b"{"))


def check_rdf_body(body: bytes, media_type: str, max_depth: int) -> None:
    """Refuse RDF whose nesting (JSON-LD objects/arrays; Turtle `[`/`(`) is past `max_depth`."""
    if "json" in media_type:
        depth = json_depth(body)
    else:
        depth = raw_depth(body.decode("utf-8", "replace"), "[]()")
    if depth > max_depth:
        raise _refuse("RDF body", "rdf_nesting_depth", depth, max_depth, "POLICYKG_RDF_MAX_DEPTH")
