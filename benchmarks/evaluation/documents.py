"""Scorer for the documents layer: title, 文号, issuers, places, dates, relations, rules, clauses.

Expected facts (tests/expected/documents/<stem>.yaml) are written by hand from the text; `null`
or `[]` means the text is silent, so an extractor that guesses there is wrong, one that stays
silent is right. Each expected document is paired with the extracted document whose title is
closest (untitled documents by their 文号); extracted documents left over (a red header or a
covering notice split off as documents of their own) count against the `documents` field.

Scalar fields score 1 per expected document. Set fields (issuers, jurisdictions, relations,
stacking rules, precedence, clauses) score |expected ∩ extracted| out of |expected| + the
extracted items matching nothing, so both misses and inventions lower the accuracy; two empty
sets are one right answer (the text is silent and the extractor said nothing).
Comparisons forgive only spelling that carries no meaning: character width, spaces, dash and
quotation-mark variants, and bracket shapes around a 文号's year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

FIELDS = (
    "documents", "title", "notice_title", "doc_number", "doc_type", "status", "issuers",
    "jurisdictions", "levels", "parents", "issued", "effective_from", "effective_to",
    "relations", "stacking_rules", "precedence", "clauses",
)
_UNTITLED = "未命名文件"
_PSEUDO_CLAUSE = re.compile(r"^(?:序言|附则|附件|通知\d*|p\d+)$")
_DASHES = re.compile(r"[‐‑‒–—―－~～〜-]+")
_QUOTES = re.compile(r"[“”\"'‘’「」『』《》〈〉]")


def norm(text: str | None) -> str:
    """Width, spaces, dashes and quotes folded: the spelling a careful editor would not care about."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    text = _QUOTES.sub("", text)
    return re.sub(r"\s+", "", text)


def norm_doc_number(text: str | None) -> str:
    """文号 with one bracket shape for the year and traditional 號 folded."""
    t = norm(text).replace("號", "号")
    return re.sub(r"[\[【〔(]((?:19|20)\d{2})[\]】〕)]", r"〔\1〕", t)


def norm_notice(text: str | None) -> str:
    """A notice title without the issuers written before 关于 (the red-header style keeps them)."""
    t = norm(text)
    return t[t.index("关于"):] if "关于" in t else t


def _title(doc: dict) -> str | None:
    t = doc.get("title")
    return None if not t or t.startswith(_UNTITLED) else t


def _similarity(a: str, b: str) -> float:
    """Share of characters in the longer string that the two have in common, in order (LCS)."""
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1] / max(len(a), len(b))


def _pair(expected: list[dict], extracted: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each expected document with its extracted counterpart (greedy on title, then 文号)."""
    left = list(extracted)
    pairs: list[tuple[dict, dict | None]] = []
    for exp in expected:
        def closeness(doc: dict, exp: dict = exp) -> float:
            score = _similarity(norm(_title(exp)), norm(_title(doc)))
            if exp.get("doc_number") and norm_doc_number(exp["doc_number"]) == norm_doc_number(doc.get("doc_number")):
                score += 1
            return score
        best = max(left, key=closeness, default=None)
        if best is not None and (closeness(best) > 0.5 or len(left) == 1 == len(expected)):
            left.remove(best)
            pairs.append((exp, best))
        else:
            pairs.append((exp, None))
    return pairs


def _set_score(expected: Iterable[Any], extracted: Iterable[Any],
               same: Callable[[Any, Any], bool]) -> tuple[int, int]:
    exp, ext = list(expected), list(extracted)
    if not exp and not ext:
        return 1, 1
    used: set[int] = set()
    right = 0
    for e in exp:
        hit = next((k for k, x in enumerate(ext) if k not in used and same(e, x)), None)
        if hit is not None:
            used.add(hit)
            right += 1
    extra = sum(1 for k, x in enumerate(ext) if k not in used and not any(same(e, x) for e in exp))
    return right, len(exp) + extra


def _same_place(expected: dict, name: str | None) -> bool:
    n = norm(name)
    return n in (norm(expected["name"]), norm((expected.get("parent") or "") + expected["name"]))


def _same_target(expected: dict, rel: dict) -> bool:
    num = norm_doc_number(expected.get("target_doc_number"))
    if num and num == norm_doc_number(rel.get("target_doc_number")):
        return True
    a, b = norm(expected.get("target_title")), norm(rel.get("target_title") or rel.get("target"))
    if expected.get("target_kind") == "programme":
        return bool(a and b) and (a in b or b in a)
    return bool(a) and a == b


def _relation_score(expected: list[dict], extracted: list[dict]) -> tuple[int, int]:
    """Right: type, target and target kind agree. Extracted relations to a target nobody expected
    are inventions; a second relation to an expected target (cites beside supports) is not."""
    if not expected and not extracted:
        return 1, 1
    right = sum(1 for e in expected if any(
        _same_target(e, r) and r.get("type") == e["type"] and r.get("target_kind", "document") == e["target_kind"]
        for r in extracted))
    extra = sum(1 for r in extracted if not any(_same_target(e, r) for e in expected))
    return right, len(expected) + extra


def _clause_numbers(doc: dict) -> list[str]:
    return [c["number"] for c in doc.get("clauses", []) if not _PSEUDO_CLAUSE.match(c["number"])]


def _clause_key(number: str) -> str:
    return norm(number).replace("(", "（").replace(")", "）")


def score(extracted: dict, expected: dict) -> dict[str, tuple[int, int]]:
    """{field: (right, total)} for one file."""
    docs = [d for d in extracted.get("documents", []) if d.get("loaded", True)
            and d.get("doc_type") not in ("news_report", "interpretation")]
    exp_docs = expected.get("documents", [])
    out: dict[str, list[int]] = {f: [0, 0] for f in FIELDS}

    def add(field: str, right: int, total: int = 1) -> None:
        out[field][0] += right
        out[field][1] += total

    pairs = _pair(exp_docs, docs)
    matched = sum(1 for _, d in pairs if d is not None)
    add("documents", matched, len(exp_docs) + len(docs) - matched)
    for exp, doc in pairs:
        got = doc or {}
        add("title", int(norm(exp["title"]) == norm(_title(got))))
        add("notice_title", int(norm_notice(exp.get("notice_title")) == norm_notice(got.get("notice_title"))))
        add("doc_number", int(norm_doc_number(exp.get("doc_number")) == norm_doc_number(got.get("doc_number"))))
        for f in ("doc_type", "issued", "effective_from", "effective_to"):
            add(f, int(exp.get(f) == got.get(f)))
        add("status", int(exp.get("status", "in_force_text") == got.get("status")))
        add("issuers", *_set_score(exp.get("issuers", []), got.get("issuers", []), lambda e, x: norm(e) == norm(x)))
        places = got.get("jurisdiction_levels") or [{"name": n} for n in got.get("jurisdictions", [])]
        add("jurisdictions", *_set_score(exp["jurisdictions"], [p["name"] for p in places], _same_place))
        for place in exp["jurisdictions"]:
            hit = next((p for p in places if _same_place(place, p["name"])), {})
            add("levels", int(hit.get("level") == place["level"]))
            add("parents", int(norm(hit.get("parent")) == norm(place.get("parent"))))
        add("relations", *_relation_score(exp.get("relations", []), got.get("relations", [])))
        add("stacking_rules", *_set_score(exp.get("stacking_rules", []), got.get("stacking_rules", []),
                                          lambda e, x: e == x))
        add("precedence", *_set_score(exp.get("precedence", []), got.get("precedence", []), lambda e, x: e == x))
        add("clauses", *_set_score([_clause_key(c) for c in exp.get("clauses", [])],
                                   [_clause_key(c) for c in _clause_numbers(got)], lambda e, x: e == x))
    return {f: (r, t) for f, (r, t) in out.items()}
