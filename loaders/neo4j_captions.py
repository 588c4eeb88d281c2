"""One `caption` property per synced node, so Neo4j Bloom (and Browser) show every node by
something a reader recognises: a policy by its title, an instrument without a name by its
category and cap, a target by name, value, unit and year, a relation statement by its
relation and the document it points to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Lookup = Callable[[str, str], str | None]   # (node IRI, relationship name) → target's caption


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _instrument(props: Mapping[str, Any], target: Lookup) -> str | None:
    if props.get("name_zh"):
        return str(props["name_zh"])
    parts = [target(props["iri"], "CATEGORY")]
    if props.get("rate") is not None:
        parts.append(f"{_number(round(float(props['rate']) * 100, 4))}%")
    if props.get("max_amount") is not None:
        parts.append(f"≤{_number(props['max_amount'])}元")
    shown = [p for p in parts if p]
    return " ".join(shown) or None


def _target(props: Mapping[str, Any], _target: Lookup) -> str | None:
    value = props.get("target_value")
    amount = f"{_number(value)}{props.get('unit') or ''}" if value is not None else None
    year = f"({props['target_year']}年)" if props.get("target_year") is not None else None
    shown = [p for p in (props.get("name_zh"), amount, year) if p]
    return " ".join(shown) or None


def _statement(props: Mapping[str, Any], target: Lookup, relation_zh: Mapping[str, str]) -> str | None:
    kinds = props.get("relation_type")
    kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else []
    relation = "、".join(relation_zh.get(k, k) for k in kinds) or None
    other = target(props["iri"], "OBJECT")
    return " → ".join(p for p in (relation, other) if p) or None


def caption(label: str, props: Mapping[str, Any], target: Lookup,
            relation_zh: Mapping[str, str]) -> str | None:
    """The caption of one node, from its own properties and (via `target`) its neighbours'."""
    if label == "FundingInstrument":
        return _instrument(props, target)
    if label == "Target":
        return _target(props, target)
    if label == "RelationStatement":
        return _statement(props, target, relation_zh)
    for key in ("title_zh", "name_zh", "number", "quote", "code", "name"):
        if props.get(key) not in (None, ""):
            text = str(props[key])
            return text if len(text) <= 40 else text[:39] + "…"
    return None
