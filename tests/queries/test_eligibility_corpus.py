"""Issue 16's answers on the bundled corpus (corpus/), loaded through the real pipeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from policykg.loaders import places
from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build_graphs
from policykg.queries import writes
from policykg.queries.comparison import compare
from policykg.queries.eligibility import calculate
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
COMPUTE = {"compute_voucher": Decimal(10_000_000)}


@pytest.fixture(scope="module")
def corpus_store():
    store = PolicyStore.in_memory()
    graphs = build_graphs(sorted(CORPUS.glob("*.txt")), load_manifest(CORPUS / "manifest.yaml"))
    writes.apply(store, writes.Change(put=dict(graphs)))  # the write path derives the links
    yield store
    store.close()


def test_nantong_innovation_zone_claims_the_combined_400_wan(corpus_store):
    answer = calculate(corpus_store, "南通创新区", dt.date(2026, 11, 29), COMPUTE)
    [cat] = answer.categories
    assert cat.total == Decimal(4_000_000)
    assert answer.to_json()["categories"][0]["total_yuan"] == 4000000  # an exact integer in JSON
    counted = [i for i in cat.items if i.applied]
    assert len(counted) == 1 and counted[0].candidate.jurisdiction == "南通创新区"
    assert "市、区两级" in counted[0].evidence[0].quote
    city = next(i for i in cat.items if i.candidate.jurisdiction == "南通市")
    assert city.status == "replaced" and city.amount == Decimal(2_000_000) and not city.applied
    assert [p.name for p in answer.places][:3] == ["南通创新区", "南通市", "江苏省"]


def test_hefei_claims_anhuis_uncapped_20_percent_while_it_is_in_force(corpus_store):
    """合肥市 comes from the GB/T 2260 gazetteer (loaders/places.py), whether or not a text of
    the corpus names it: a firm may be anywhere the gazetteer knows."""
    assert places.enclosing("合肥市")[:2] == ["合肥市", "安徽省"]
    in_force = calculate(corpus_store, "合肥市", dt.date(2025, 6, 1), COMPUTE)
    assert [p.name for p in in_force.places][:2] == ["合肥市", "安徽省"]
    assert in_force.total == Decimal(2_000_000)
    [item] = [i for i in in_force.categories[0].items if i.applied]
    assert item.candidate.jurisdiction == "安徽省" and item.candidate.max_yuan is None
    expired = calculate(corpus_store, "合肥市", dt.date(2026, 11, 29), COMPUTE)
    assert expired.total == 0
    assert not any(i.applied for i in expired.categories[0].items)
    gone = next(i for i in expired.categories[0].items if i.candidate.iri == item.candidate.iri)
    assert gone.status == "expired" and any(q.role == "validity" and "2025年12月31日" in q.quote
                                            for q in gone.evidence)


def test_every_counted_figure_carries_its_sentence_and_clause(corpus_store):
    answer = calculate(corpus_store, "南通创新区", dt.date(2026, 1, 1))
    counted = [i for c in answer.categories for i in c.items if i.applied]
    assert counted
    for item in counted:
        figure = [q for q in item.evidence if q.role == "figure"]
        assert figure and figure[0].quote and figure[0].clause, item.candidate.iri
    rules = [r for c in answer.categories for r in c.rules]
    assert all(r.evidence and r.evidence.quote for r in rules if r.rule == "highest_applies")


def test_json_contract(corpus_store):
    data = calculate(corpus_store, "南通创新区", dt.date(2026, 11, 29), COMPUTE).to_json()
    for cat in data["categories"]:
        assert {"category", "total_yuan", "items"} <= set(cat)
        for item in cat["items"]:
            assert {"instrument", "policy_title", "jurisdiction", "amount_yuan", "applied", "reason",
                    "evidence"} <= set(item)


def test_comparison_across_places_and_a_level(corpus_store):
    table = compare(corpus_store, "compute_voucher", ["南通市", "安徽省"], on=dt.date(2026, 1, 1))
    by_place = {r["jurisdiction"]: r for r in table.rows}
    assert by_place["南通市"]["rate"] == 0.2 and by_place["南通市"]["max_yuan"] == 2000000
    assert by_place["安徽省"]["status"] == "expired" and by_place["安徽省"]["evidence"]
    cities = compare(corpus_store, "dataset", level="prefecture", within="江苏省")
    assert "南通市" in {r["jurisdiction"] for r in cities.rows}
    assert all(r["jurisdiction"] for r in cities.rows)
