"""Each named query's answers on the hand-made data (example.ttl, plus extra.ttl where needed).

These mirror the answers expected from the real corpus (Nantong 20% / 2,000,000 a year, the
南通创新区 top-up at 50% / 4,000,000, Anhui's 20% of 算力总支出, Guiyang's 20,000,000 yearly pool,
the expired Anhui 若干政策) so the same queries can be trusted on the loaders' output.
"""

from __future__ import annotations

from policykg.queries.catalogue import load_catalogue, run_query
from policykg.queries.store import PolicyStore

PLAN = "https://w3id.org/policykg/id/policy/plan"
ZONE = "https://w3id.org/policykg/id/policy/zone"
PLAN_CLAUSE = "https://w3id.org/policykg/id/policy/plan/clause/三、2"
NEWS_CLAUSE = "https://w3id.org/policykg/id/policy/news/clause/p7"


def _by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_columns_match_the_header(two_source_store: PolicyStore) -> None:
    defaults = {"in-force": {"jurisdiction": "南通市"}, "precedence": {"policy": PLAN}, "search": {"text": "算力"}}
    for name, query in load_catalogue().items():
        result = run_query(two_source_store, query, defaults.get(name, {}))
        assert tuple(result.columns) == query.columns, name


def test_instruments_by_category(two_source_store: PolicyStore) -> None:
    rows = run_query(two_source_store, "instruments-by-category", {"category": "compute_voucher"}).rows
    by = _by(rows, "jurisdiction")
    assert set(by) == {"南通市", "南通创新区", "安徽省", "贵安新区、贵阳市"}
    city = by["南通市"]
    assert (city["rate"], city["max_yuan"], city["period"], city["cap_scope"]) == (0.2, 2_000_000, "yearly", "per_recipient")
    assert city["rate_base"] == "实际支付智能算力费用"
    assert set(city["departments"].split("、")) == {"南通市科技局", "南通市数据局"}
    assert city["clause"] == PLAN_CLAUSE and "20%" in city["evidence"]
    zone = by["南通创新区"]
    assert (zone["rate"], zone["max_yuan"]) == (0.5, 4_000_000)
    assert zone["tops_up"] == PLAN_CLAUSE + "/instrument/1"
    assert zone["clause"] == NEWS_CLAUSE and zone["source_file"] == "000_e0ca90489cf1be8a.txt"
    assert set(zone["funded_by"].split("、")) == {"南通市", "南通创新区"}
    assert (by["安徽省"]["rate"], by["安徽省"]["rate_base"]) == (0.2, "算力总支出")
    pool = by["贵安新区、贵阳市"]
    assert (pool["max_yuan"], pool["cap_scope"], pool["period"]) == (20_000_000, "yearly_pool", "yearly")


def test_instruments_as_the_text_states_them(two_source_store: PolicyStore) -> None:
    """Issue 12: kind, ceiling, tiers, year schedule, thresholds, unquantified support."""
    rows = _by(run_query(two_source_store, "instruments-by-category", {"category": "model_rnd"}).rows, "label")
    assert set(rows) == {"模型研发资助", "办公用房租金减免", "重大项目"}
    tiers = rows["模型研发资助"]
    assert (tiers["kind"], tiers["rate_is_max"], tiers["recipient"], tiers["funder_level"]) == \
        ("grant", True, "enterprise", "province")
    assert tiers["rate_options"] == "25%、40%(首次认定的)"
    assert tiers["thresholds"] == "营业收入 ≥ 2000万元 且 < 1亿元"
    assert tiers["terms"].startswith("研发投入的 最高 40%(首次认定的) 或 25%")
    rent = rows["办公用房租金减免"]
    assert (rent["kind"], rent["period_years"], rent["rate"]) == ("rent_subsidy", 3, None)
    assert rent["rate_schedule"] == "第1年 60%、第2年 45%、第3年 30%"
    case = rows["重大项目"]
    assert (case["quantified"], case["terms"], case["max_yuan"]) == (False, "未给出具体标准", None)
    voucher = run_query(two_source_store, "instruments-by-category", {"category": "compute_voucher"}).rows
    assert {r["kind"] for r in voucher} == {"voucher", "top_up", "grant", "voucher_pool"}


def test_top_ups(two_source_store: PolicyStore) -> None:
    (row,) = run_query(two_source_store, "top-ups").rows
    assert (row["lower_jurisdiction"], row["upper_jurisdiction"]) == ("南通创新区", "南通市")
    assert (row["lower_rate"], row["upper_rate"]) == (0.5, 0.2)
    assert (row["rate_difference"], row["rate_relative_difference"]) == (0.3, 1.5)
    assert (row["cap_difference"], row["cap_relative_difference"]) == (2_000_000, 1.0)
    assert row["clause"] == NEWS_CLAUSE and "50%" in row["evidence"]
    assert (row["lower_terms"], row["upper_terms"]) == ("实际使用算力成本的 最高 50%;每年最高 400万元",
                                                        "实际支付智能算力费用的 最高 20%;每年最高 200万元")
    for place, count in [("南通创新区", 1), ("南通市", 1), ("江苏省", 1), ("安徽省", 0)]:
        assert len(run_query(two_source_store, "top-ups", {"jurisdiction": place}).rows) == count, place


def test_in_force_includes_enclosing_jurisdictions(two_source_store: PolicyStore) -> None:
    rows = run_query(two_source_store, "in-force", {"date": "2026-11-23", "jurisdiction": "南通创新区"}).rows
    by = _by(rows, "policy")
    assert set(by) == {PLAN, ZONE}  # no news report, no Anhui or Guiyang policy
    assert by[PLAN]["status"] == "in_force" and by[PLAN]["policy_jurisdiction"] == "南通市"
    assert by[ZONE]["status"] == "unknown_dates" and by[ZONE]["loaded"] is False
    before = run_query(two_source_store, "in-force", {"date": "2025-01-31", "jurisdiction": "南通创新区"}).rows
    assert {r["policy"] for r in before} == {ZONE}  # the plan starts on 2025-02-01
    guian = run_query(two_source_store, "in-force", {"date": "2026-11-23", "jurisdiction": "贵安新区"}).rows
    assert [r["title"] for r in guian] == ["关于支持人工智能大模型发展的若干措施(试行)"]
    anhui = run_query(two_source_store, "in-force", {"date": "2026-11-23", "jurisdiction": "皖北"}).rows
    assert anhui == []  # expired on 2025-12-31
    assert len(run_query(two_source_store, "in-force", {"date": "2025-12-31", "jurisdiction": "皖北"}).rows) == 1


def test_expiring(two_source_store: PolicyStore) -> None:
    rows = run_query(two_source_store, "expiring", {"date": "2026-11-23", "days": 90}).rows
    (anhui,) = rows
    assert (anhui["doc_number"], anhui["status"], anhui["in_force_until"]) == ("皖政秘〔2023〕218号", "expired", "2025-12-31")
    assert anhui["days_left"] == -327
    soon = _by(run_query(two_source_store, "expiring", {"date": "2027-11-01", "days": 60}).rows, "policy")
    assert soon[PLAN]["status"] == "expiring" and soon[PLAN]["days_left"] == 60
    assert PLAN not in _by(run_query(two_source_store, "expiring", {"date": "2027-11-01", "days": 59}).rows, "policy")


def test_precedence(two_source_store: PolicyStore) -> None:
    rows = run_query(two_source_store, "precedence", {"policy": "大模型发展"}).rows
    kinds = {(r["kind"], r["direction"]): r for r in rows}
    prevails = kinds[("prevails_over", "outgoing")]
    assert prevails["object_label"] == "贵阳贵安原有关文件" and prevails["scope"] == "conflicting_provisions"
    assert prevails["evidence"] == "贵阳贵安原有关文件规定与本文件不一致的,以本文件为准。"
    assert kinds[("precedence_principle", "own")]["principle"] == "this_prevails"
    assert kinds[("stacking_rule", "own")]["rule"] == "highest_applies"
    assert len(rows) == 3  # the bare pkg:prevailsOver triple is not repeated
    incoming = run_query(two_source_store, "precedence", {"policy": "贵阳贵安原有关文件"}).rows
    assert [(r["kind"], r["direction"]) for r in incoming] == [("prevails_over", "incoming")]
    plan = {r["kind"]: r for r in run_query(two_source_store, "precedence", {"policy": PLAN}).rows}
    assert plan["stacking_rule"]["rule"] == "highest_applies"
    assert plan["precedence_principle"]["principle"] == "later_prevails"


def test_departments(two_source_store: PolicyStore) -> None:
    rows = run_query(two_source_store, "departments", {"jurisdiction": "南通市"}).rows
    roles = {(r["department_name"], r["role"], r["item_kind"]) for r in rows}
    assert roles == {
        ("南通市科技局", "responsible", "clause"), ("南通市数据局", "responsible", "clause"),
        ("南通市科技局", "administers", "instrument"), ("南通市数据局", "administers", "instrument"),
        ("南通市科技局", "administers", "target"),
    }
    clause_row = next(r for r in rows if r["item_kind"] == "clause")
    assert clause_row["clause"] == PLAN_CLAUSE and "责任单位" in clause_row["evidence"]
    assert clause_row["item_label"] == "三、2 促进算力资源应用"
    everyone = {r["department_name"] for r in run_query(two_source_store, "departments").rows}
    assert everyone == {"南通市科技局", "南通市数据局", "贵阳市大数据局"}
    assert {r["department_name"] for r in run_query(two_source_store, "departments", {"jurisdiction": "贵州省"}).rows} == {"贵阳市大数据局"}


def test_targets(two_source_store: PolicyStore) -> None:
    (row,) = run_query(two_source_store, "targets").rows
    assert (row["name"], row["value"], row["unit"], row["year"]) == ("智算规模", 500, "PFLOPS", 2027)
    assert row["policy_jurisdiction"] == "南通市" and row["evidence"]
    assert run_query(two_source_store, "targets", {"jurisdiction": "南通市"}).rows == [row]
    assert run_query(two_source_store, "targets", {"jurisdiction": "安徽省"}).rows == []


def test_search_exact_and_bigram(two_source_store: PolicyStore) -> None:
    rows = run_query(two_source_store, "search", {"text": "算力券"}).rows
    assert [r["occurrences"] for r in rows] == [1, 1]
    plan = next(r for r in rows if r["clause"] == PLAN_CLAUSE)
    assert plan["sentence"].startswith("打造全市公共算力服务平台") and plan["sentence"].endswith("200万元。")
    # 数据标注 is not in the text, but 数据 and 标注 are ("数据的标注"): a bigram match
    (fuzzy,) = run_query(two_source_store, "search", {"text": "数据标注"}).rows
    assert fuzzy["occurrences"] == 0 and fuzzy["bigram_share"] > 0.6
    assert fuzzy["sentence"] == "支持企业开展数据的标注和清洗。"
    assert run_query(two_source_store, "search", {"text": "数据标注", "min_share": 0.9}).rows == []
    # ranking: more occurrences first
    ranked = run_query(two_source_store, "search", {"text": "算力"}).rows
    counts = [r["occurrences"] for r in ranked]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 3
