"""Scorer for the instruments layer: extracted funding instruments against hand-read ones.

Expected facts: `tests/expected/instruments/<file-stem>.yaml` (guideline and schema in the
README there). An extracted instrument matches an expected one when its evidence sentence
contains the expected `quote` (after normalising width and whitespace); where several expected
instruments share a sentence, pairs are taken greedily by how many figure fields agree, one to
one. Recall (`figures_found`) counts matched expected instruments, precision (`instruments_real`)
matched extracted ones; field scores count over matched pairs, except `all_fields`, which counts
over every expected instrument so that a missed one is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

#: Fields scored over matched pairs, in the order `make eval` prints them.
PAIR_FIELDS = (
    "category", "kind", "quantified", "rate", "rate_options", "rate_schedule", "rate_base",
    "min_cny", "max_cny", "period", "cap_scope", "thresholds", "recipient", "funder_level",
    "departments", "clause",
)
#: The fields a researcher needs right at once (issue 12's "right on every field").
ALL_FIELDS = ("rate", "rate_options", "rate_schedule", "min_cny", "max_cny", "kind",
              "rate_base", "period", "cap_scope", "departments")
#: What an omitted field means in the expected YAML (and a missing key in the JSON).
DEFAULTS: dict[str, Any] = {"kind": "grant", "quantified": True, "rate_is_max": False,
                            "rate_options": [], "rate_schedule": [], "thresholds": [], "departments": []}
RATE_TOLERANCE = Decimal("0.0005")   # 1/3 written as 0.333 or 0.3333… is the same rate
_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"<": "(", ">": ")", "〈": "(", "〉": ")", "［": "(", "］": ")", "[": "(", "]": ")"})


def norm(text: str | None) -> str:
    """Width-folded (NFKC: ，→, （→() text without whitespace, for quote and name comparison."""
    if text is None:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).translate(_BRACKETS)


def _get(inst: dict, key: str) -> Any:
    value = inst.get(key)
    return DEFAULTS.get(key) if value is None else value


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _same_number(a: Any, b: Any, tolerance: Decimal = Decimal(0)) -> bool:
    da, db = _dec(a), _dec(b)
    if da is None or db is None:
        return da is None and db is None
    return abs(da - db) <= tolerance


def _same_rate_value(a: Any, b: Any) -> bool:
    return _same_number(a, b, RATE_TOLERANCE)


def _rate(x: dict, e: dict) -> bool:
    return _same_rate_value(x.get("rate"), e.get("rate")) and (
        e.get("rate") is None or bool(_get(x, "rate_is_max")) == bool(_get(e, "rate_is_max")))


def _rate_options(x: dict, e: dict) -> bool:
    xs = sorted(_dec(o.get("rate")) or Decimal(0) for o in _get(x, "rate_options"))
    es = sorted(_dec(o.get("rate")) or Decimal(0) for o in _get(e, "rate_options"))
    return len(xs) == len(es) and all(_same_rate_value(a, b) for a, b in zip(xs, es, strict=True))


def _rate_schedule(x: dict, e: dict) -> bool:
    xs = sorted((int(s.get("year") or 0), _dec(s.get("rate"))) for s in _get(x, "rate_schedule"))
    es = sorted((int(s.get("year") or 0), _dec(s.get("rate"))) for s in _get(e, "rate_schedule"))
    return len(xs) == len(es) and all(
        ya == yb and _same_rate_value(ra, rb) for (ya, ra), (yb, rb) in zip(xs, es, strict=True))


def _rate_base(x: dict, e: dict) -> bool:
    a, b = norm(x.get("rate_base")), norm(e.get("rate_base"))
    if not a or not b:
        return a == b
    return a in b or b in a


def _period(x: dict, e: dict) -> bool:
    def p(inst: dict) -> str | None:
        return None if inst.get("period") in (None, "unstated") else inst["period"]
    return p(x) == p(e) and x.get("period_years") == e.get("period_years")


def _threshold_key(t: dict) -> tuple:
    return (_dec(t.get("min")), t.get("min_inclusive", True) if t.get("min") is not None else None,
            _dec(t.get("max")), t.get("max_inclusive", True) if t.get("max") is not None else None,
            norm(t.get("unit") or "CNY"))


def _thresholds(x: dict, e: dict) -> bool:
    """Same bounds, inclusivity and unit, one to one; the bounded quantity is compared loosely."""
    left = list(_get(x, "thresholds"))
    for t in _get(e, "thresholds"):
        hit = next((c for c in left if _threshold_key(c) == _threshold_key(t)
                    and _loose(c.get("quantity"), t.get("quantity"))), None)
        if hit is None:
            return False
        left.remove(hit)
    return not left


def _loose(a: str | None, b: str | None) -> bool:
    na, nb = norm(a), norm(b)
    return not na or not nb or na in nb or nb in na


def _departments(x: dict, e: dict) -> bool:
    return {norm(d) for d in _get(x, "departments")} == {norm(d) for d in _get(e, "departments")}


def _clause(x: dict, e: dict) -> bool:
    def c(value: Any) -> str:
        return norm(value).replace("、", "").replace(".", "")
    return c(x.get("clause") or (x.get("evidence") or {}).get("clause")) == c(e.get("clause"))


def _equal(key: str) -> Callable[[dict, dict], bool]:
    return lambda x, e: _get(x, key) == _get(e, key)


CHECKS: dict[str, Callable[[dict, dict], bool]] = {
    "category": _equal("category"), "kind": _equal("kind"), "quantified": _equal("quantified"),
    "rate": _rate, "rate_options": _rate_options, "rate_schedule": _rate_schedule,
    "rate_base": _rate_base,
    "min_cny": lambda x, e: _same_number(x.get("min_cny"), e.get("min_cny")),
    "max_cny": lambda x, e: _same_number(x.get("max_cny"), e.get("max_cny")),
    "period": _period, "cap_scope": _equal("cap_scope"), "thresholds": _thresholds,
    "recipient": _equal("recipient"), "funder_level": _equal("funder_level"),
    "departments": _departments, "clause": _clause,
}
#: What `explain` shows for a field judged on more than one key.
SHOWN = {"rate": ("rate", "rate_is_max"), "period": ("period", "period_years")}
FIGURES = ("rate", "rate_options", "rate_schedule", "min_cny", "max_cny")


def _affinity(x: dict, e: dict) -> int:
    """How well a candidate pair agrees: figures first, then kind and category, then the clause
    (which tells apart a sentence a text repeats, e.g. a restating article before the measures)."""
    return (sum(4 for f in FIGURES if CHECKS[f](x, e)) + 2 * CHECKS["kind"](x, e)
            + 2 * CHECKS["category"](x, e) + CHECKS["clause"](x, e))


def extracted_instruments(extracted: dict) -> list[dict]:
    """Every instrument of every document of the file's `extract --format json` output."""
    return [i for doc in extracted.get("documents", []) for i in doc.get("instruments", [])]


def match(found: list[dict], expected: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (found index, expected index) pairs: quote containment, then best agreement."""
    quotes = [norm((x.get("evidence") or {}).get("quote")) for x in found]
    candidates = sorted(
        ((-_affinity(x, e), ei, xi) for ei, e in enumerate(expected) for xi, x in enumerate(found)
         if norm(e["quote"]) and norm(e["quote"]) in quotes[xi]),
    )
    used_x: set[int] = set()
    used_e: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, ei, xi in candidates:
        if xi in used_x or ei in used_e:
            continue
        used_x.add(xi)
        used_e.add(ei)
        pairs.append((xi, ei))
    return pairs


def score(extracted: dict, expected: dict) -> dict[str, tuple[int, int]]:
    """{field: (right, total)} for one file."""
    found = extracted_instruments(extracted)
    wanted = expected.get("instruments") or []
    pairs = match(found, wanted)
    result: dict[str, tuple[int, int]] = {
        "figures_found": (len(pairs), len(wanted)),
        "instruments_real": (len(pairs), len(found)),
    }
    for fld in PAIR_FIELDS:
        # an expected `clause: null` (a news paragraph has no clause number) is not judged
        judged = [(xi, ei) for xi, ei in pairs if fld != "clause" or wanted[ei].get("clause") is not None]
        result[fld] = (sum(CHECKS[fld](found[xi], wanted[ei]) for xi, ei in judged), len(judged))
    result["all_fields"] = (sum(all(CHECKS[f](found[xi], wanted[ei]) for f in ALL_FIELDS)
                                for xi, ei in pairs), len(wanted))
    return result


def explain(extracted: dict, expected: dict) -> list[str]:
    """Human-readable differences: missed expected, unmatched extracted, wrong fields per pair."""
    found = extracted_instruments(extracted)
    wanted = expected.get("instruments") or []
    pairs = match(found, wanted)
    lines = [f"missed  {e.get('clause')}: {e['quote']}"
             for ei, e in enumerate(wanted) if ei not in {p[1] for p in pairs}]
    lines += [f"unreal  {x.get('clause')}: {(x.get('evidence') or {}).get('quote', '')[:60]}"
              for xi, x in enumerate(found) if xi not in {p[0] for p in pairs}]
    for xi, ei in pairs:
        x, e = found[xi], wanted[ei]
        for fld in PAIR_FIELDS:
            if fld == "clause" and e.get("clause") is None:
                continue
            if not CHECKS[fld](x, e):
                keys = SHOWN.get(fld, (fld,))
                got = ", ".join(repr(_get(x, k)) for k in keys)
                want = ", ".join(repr(_get(e, k)) for k in keys)
                lines.append(f"wrong   {e['quote']} | {fld}: got {got}, want {want}")
    return lines
