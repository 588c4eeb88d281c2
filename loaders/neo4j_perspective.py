"""A Neo4j Bloom 2.x perspective generated from the ontology and the Cypher query catalogue.

Structure as Bloom exports it (`name`, `id`, `version`, `categories`, `labels`,
`relationshipTypes`, `palette`, `templates`, `hiddenCategories`, …): one category per node label
with the Chinese name as caption, one relationship type per ontology object property with its
Chinese label as caption, one search phrase per named query. Import it in Bloom with
Perspectives → Import (see docs/neo4j.md). Ids are derived from names, so the file is stable.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from policykg.loaders.neo4j_mapping import MARKER_LABEL, mapping

BLOOM_VERSION = "2.6.0"
PALETTE = ["#FFE081", "#C990C0", "#F79767", "#57C7E3", "#F16667", "#D9C8AE", "#8DCC93",
           "#ECB5C9", "#4C8EDA", "#FFC454", "#DA7194", "#569480", "#848484", "#D9D9D9"]
#: Bloom icon ids (Bloom's built-in icon set) for the main labels; others get none.
ICONS = {"Policy": "document", "Clause": "list", "Department": "building", "Jurisdiction": "map-pin",
         "FundingInstrument": "money", "Target": "target", "Evidence": "quote",
         "RelationStatement": "link", "Category": "tag"}
#: Property keys shown per label (besides the caption); None: show every mapped key.
SHOWN = {
    "Policy": ["title_zh", "title_en", "doc_number", "issued", "in_force_from", "in_force_until",
               "loaded", "source_file", "iri"],
    "FundingInstrument": ["name_zh", "terms_zh", "rate", "rate_is_max", "rate_base_zh", "min_amount",
                          "max_amount", "period_years", "funder_level", "quantified", "beneficiary_zh",
                          "condition_zh", "iri"],
    # issue 12: tiers, years and thresholds, captioned as they read ("40%(首次认定的)", "第1年 60%")
    "RateOption": ["name_zh", "option_rate", "option_condition_zh", "option_order", "iri"],
    "ScheduleStep": ["name_zh", "step_year", "step_rate", "iri"],
    "Threshold": ["name_zh", "threshold_quantity_zh", "threshold_min", "min_inclusive", "threshold_max",
                  "max_inclusive", "threshold_unit", "iri"],
    "Clause": ["number", "heading_zh", "text_zh", "position", "source_file", "iri"],
}
_NAMESPACE = uuid.UUID("6f1c9a5e-8f0e-4c7e-9a55-2f9d3e0b7a11")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_DATA_TYPES = {"date": "Date", "integer": "Integer", "decimal": "Float"}


def _id(kind: str, name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def _properties(label: str, keys: list[str]) -> list[dict[str, Any]]:
    return [{"name": key, "exclude": False, "dataType": _data_type(key)} for key in keys]


def _data_type(key: str) -> str:
    if key in {"issued", "in_force_from", "in_force_until"}:
        return "date"
    if key in {"rate", "min_amount", "max_amount", "target_value", "share_fraction", "option_rate",
               "step_rate", "threshold_min", "threshold_max"}:
        return "number"
    if key in {"position", "char_start", "char_end", "target_year", "option_order", "step_year", "period_years"}:
        return "integer"
    if key in {"loaded", "rate_is_max", "quantified", "min_inclusive", "max_inclusive"}:
        return "boolean"
    if key in {"sources", "alt_names_zh", "alt_names_en"}:
        return "array"
    return "string"


def categories() -> list[dict[str, Any]]:
    m = mapping()
    out = []
    labels = sorted(set(m.labels.values())) + [MARKER_LABEL]
    for index, label in enumerate(labels):
        caption = "name" if label == MARKER_LABEL else "caption"   # loaders/neo4j_captions.py
        keys = SHOWN.get(label) or [m.caption_key(label), "name_en", "code", "iri"]
        keys = list(dict.fromkeys([caption, *keys, "sources"]))
        out.append({
            "id": index + 1,
            "name": m.label_zh.get(label) and f"{m.label_zh[label]} {label}" or label,
            "labels": [label],
            "properties": _properties(label, keys),
            "color": PALETTE[index % len(PALETTE)],
            "size": 1,
            "icon": ICONS.get(label, "no-icon"),
            "captionKeys": [caption],
            "styleRules": [],
        })
    return out


def relationship_types() -> list[dict[str, Any]]:
    by_name: dict[str, Any] = {}
    for rel in mapping().relationships.values():
        by_name.setdefault(rel.name, rel)
    return [
        {
            "id": name,
            "name": name,
            "caption": rel.zh,
            "properties": [{"propertyKey": "zh", "type": name, "dataType": "string"},
                           {"propertyKey": "sources", "type": name, "dataType": "array"}],
            "color": "#848484",
            "size": 1,
            "captionKeys": ["zh"],
        }
        for name, rel in sorted(by_name.items())
    ]


def templates() -> list[dict[str, Any]]:
    """One search phrase per named Cypher query, its parameters typed as Bloom expects."""
    from policykg.queries.cypher_runner import load_cypher_catalogue

    out = []
    for name, query in sorted(load_cypher_catalogue().items()):
        words = " ".join(f"${p.name}" for p in query.params)
        out.append({
            "name": query.describe("zh"),
            "id": "tmpl:" + _id("template", name),
            "createdAt": 0,
            "text": f"{name} {words}".strip(),
            "cypher": query.sparql,
            "isUpdateQuery": False,
            "params": [
                {"name": f"${p.name}", "dataType": _DATA_TYPES.get(p.type, "String"),
                 "collapsed": False, "suggestionLabel": None, "suggestionProp": None,
                 "suggestionBoolean": False, "cypher": None}
                for p in query.params
            ],
            "hasCypherErrors": False,
        })
    return out


def perspective(name: str = "policykg") -> dict[str, Any]:
    cats = categories()
    rels = relationship_types()
    return {
        "name": name,
        "id": _id("perspective", name),
        "version": BLOOM_VERSION,
        "categories": cats,
        "labels": {
            label: [{"propertyKey": p["name"], "type": label, "dataType": p["dataType"]}
                    for p in cat["properties"]]
            for cat in cats for label in cat["labels"]
        },
        "relationshipTypes": rels,
        "palette": {"colors": PALETTE, "currentIndex": len(cats) % len(PALETTE)},
        "createdAt": 0,
        "lastEditedAt": 0,
        "templates": templates(),
        "hiddenRelationshipTypes": [],
        "hiddenCategories": [c["id"] for c in cats if MARKER_LABEL in c["labels"]],
        "hideUncategorisedData": False,
        "isAuto": False,
        "parentPerspectiveId": None,
        "metadata": {
            "pathSegments": [
                {"source": r.start_label, "relationshipType": r.name, "target": r.end_label}
                for r in sorted(mapping().relationships.values(), key=lambda r: r.name)
                if r.start_label and r.end_label
            ],
            "indexes": [{"label": label, "type": "native", "propertyKeys": [{"key": "iri", "metadataProp": False}]}
                        for label in sorted(set(mapping().labels.values()))],
            "stats": {"labels": {}, "relationshipTypes": {}},
        },
        "sceneActions": [],
    }
