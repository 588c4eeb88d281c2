"""The parameter sets the parity test runs on both backends."""

from __future__ import annotations

CASES: list[tuple[str, dict[str, str]]] = [
    ("instruments-by-category", {}),
    ("instruments-by-category", {"category": "dataset"}),
    ("instruments-by-category", {"category": "算力券/算力补贴"}),
    ("instruments-by-category", {"category": "算力券"}),            # one name of the label
    ("instruments-by-category", {"category": "compute subsidy"}),
    ("instruments-by-category", {"category": "model_rnd"}),  # tiers, years, thresholds, unquantified
    ("top-ups", {}),
    ("top-ups", {"jurisdiction": "南通创新区"}),
    ("top-ups", {"jurisdiction": "贵阳市"}),
    ("in-force", {"date": "2025-06-01", "jurisdiction": "南通创新区"}),
    ("in-force", {"date": "2026-01-15", "jurisdiction": "贵安新区"}),
    ("in-force", {"date": "2024-06-01", "jurisdiction": "安徽"}),
    ("expiring", {"date": "2025-12-01", "days": "90"}),
    ("expiring", {"date": "2027-11-01", "days": "90"}),
    ("expiring", {"date": "2030-01-01", "days": "10"}),
    ("precedence", {"policy": "大模型"}),
    ("precedence", {"policy": "通政办规〔2024〕7号"}),
    ("departments", {}),
    ("departments", {"jurisdiction": "南通市"}),
    ("targets", {}),
    ("targets", {"jurisdiction": "江苏省"}),
    ("search", {"text": "算力券"}),
    ("search", {"text": "数据标注"}),
    ("search", {"text": "补助"}),
    ("funding-totals", {}),
    ("funding-totals", {"scope": "province"}),
    ("instrument-counts", {}),
    ("department-ranking", {}),
    ("department-ranking", {"jurisdiction": "南通市"}),
    ("policies-by-level-year", {}),
]


CORPUS_POLICY = "贵阳贵安关于支持人工智能大模型发展的若干措施(试行)"

#: On the real corpus: the same questions, with a precedence policy named by its full title.
CORPUS_CASES: list[tuple[str, dict[str, str]]] = [
    (name, {"policy": CORPUS_POLICY} if params.get("policy") == "大模型" else params)
    for name, params in CASES
] + [("search", {"text": "数据标注", "min_share": "0.3"}), ("precedence", {"policy": "大模型"})]
