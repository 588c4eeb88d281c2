"""The named queries over the REAL corpus, built by the loaders (`loaders/pipeline.py`).

The expectations are the domain's reference answers (../shared/DOMAIN.md, "Questions users
ask"), and every answer leads back to its clause and quoted sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders import manifest as manifest_module
from policykg.loaders import pipeline
from policykg.queries import writes
from policykg.queries.catalogue import run_query
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"


@pytest.fixture(scope="module")
def corpus_store() -> PolicyStore:
    paths = sorted(CORPUS.glob("*.txt"))
    graphs = pipeline.build_graphs(paths, manifest_module.manifest_for(paths))
    store = PolicyStore.in_memory()
    writes.apply(store, writes.Change(put=graphs))  # the write path derives the links
    return store


def _rows(store: PolicyStore, name: str, **params: object) -> list[dict]:
    return run_query(store, name, params).rows


def test_compute_vouchers_across_jurisdictions(corpus_store: PolicyStore) -> None:
    rows = _rows(corpus_store, "instruments-by-category", category="compute_voucher")

    def find(jurisdiction: str, **expected: object) -> dict:
        matches = [
            r for r in rows
            if jurisdiction in (r["jurisdiction"] or "")
            and all(r[k] == v for k, v in expected.items())
        ]
        assert matches, (jurisdiction, expected, rows)
        return matches[0]

    city = find("南通市", rate=0.2, max_yuan=2_000_000, period="yearly")
    assert city["clause"] and city["evidence"]
    zone = find("南通创新区", rate=0.5, max_yuan=4_000_000)
    assert zone["tops_up"] is not None  # a top-up (加码) of the city's voucher
    anhui = find("安徽省", rate=0.2)
    assert "算力总支出" in anhui["rate_base"]
    guiyang = find("贵阳市", max_yuan=20_000_000, cap_scope="yearly_pool")
    assert guiyang["period"] == "yearly"


def test_in_force_for_a_firm_in_nantong_innovation_zone(corpus_store: PolicyStore) -> None:
    rows = _rows(corpus_store, "in-force", date="2026-11-23", jurisdiction="南通创新区")
    titles = [r["title"] or "" for r in rows]
    assert any("促进通用人工智能产业创新发展的行动方案" in t for t in titles), titles
    assert any("紫琅三谷" in t for t in titles), titles
    places = {r["policy_jurisdiction"] for r in rows}
    assert not places & {"安徽省", "皖北", "贵阳市", "贵安新区", "贵州省"}, places


def test_expiring_shows_the_expired_anhui_policies(corpus_store: PolicyStore) -> None:
    rows = _rows(corpus_store, "expiring", date="2026-11-23", days=90)
    anhui = [r for r in rows if "若干政策" in (r["title"] or "") and "安徽省" in (r["jurisdiction"] or "")]
    assert anhui, rows
    assert anhui[0]["status"] == "expired" and anhui[0]["in_force_until"] == "2025-12-31"
    assert anhui[0]["evidence"] == "本政策自发布之日起实施,有效期至2025年12月31日。"
    assert anhui[0]["clause"]


def test_in_force_rows_quote_the_validity_sentence(corpus_store: PolicyStore) -> None:
    rows = _rows(corpus_store, "in-force", date="2026-11-23", jurisdiction="南通市")
    (plan,) = [r for r in rows if r["doc_number"] == "通政办规〔2024〕7号"]
    assert plan["in_force_from"] == "2025-02-01" and plan["in_force_until"] == "2027-12-31"
    assert "自2025年2月1日起施行,有效期至2027年12月31日" in plan["evidence"]


def test_precedence_rules_lead_back_to_their_sentences(corpus_store: PolicyStore) -> None:
    rows = _rows(corpus_store, "precedence", policy="贵阳贵安关于支持人工智能大模型发展的若干措施(试行)")
    rules = {r["rule"]: r for r in rows if r["kind"] == "stacking_rule"}
    assert set(rules) == {"most_favourable", "upgrade_difference", "case_by_case"}
    assert "从优不重复" in rules["most_favourable"]["evidence"]
    assert "一事一议" in rules["case_by_case"]["evidence"]
    assert all(r["clause"] for r in rules.values())
    (over,) = [r for r in rows if r["kind"] == "prevails_over"]
    assert over["scope"] == "conflicting_provisions"
    assert "以本文件为准" in over["evidence"]
    (principle,) = [r for r in rows if r["kind"] == "precedence_principle"]
    assert principle["principle"] == "this_prevails" and "以本文件为准" in principle["evidence"]
