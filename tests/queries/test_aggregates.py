"""The aggregate queries count each thing once: a fund restated in two documents, a policy
covering two places of one province, a department met under two nodes of one name."""

from __future__ import annotations

from pathlib import Path

import pytest
from eligibility_graphs import Policy, graph, instrument
from rdflib import Graph

from policykg.queries.catalogue import run_query
from policykg.queries.store import PolicyStore

FUNDS_TTL = Path(__file__).resolve().parent / "data" / "funds.ttl"
JOINT = """t:joint pkg:jurisdiction j:贵安新区 .
t:dept1 a pkg:Department ; skos:prefLabel "贵阳市财政局"@zh ; pkg:departmentOf j:贵阳市 .
t:dept2 a pkg:Department ; skos:prefLabel "贵阳市财政局"@zh ; pkg:departmentOf j:贵阳市 .
t:pool1 pkg:administeredBy t:dept1 . t:pool2 pkg:administeredBy t:dept2 . t:fund pkg:administeredBy t:dept1 .
t:joint pkg:loaded true ; pkg:issued "2024-03-25"^^xsd:date .
t:restating pkg:loaded true ; pkg:issued "2025-01-02"^^xsd:date .
"""


@pytest.fixture(scope="module")
def store():
    s = PolicyStore.in_memory()
    data = graph(
        Policy("joint", "贵阳市").ttl(), Policy("restating", "贵阳市").ttl(), Policy("other", "贵州省").ttl(),
        instrument("pool1", "joint", "每年发放不超过2000万元智算券。", max="20000000", scope="pkg:YearlyPool"),
        instrument("pool2", "restating", "每年发放2000万元智算券。", max="20000000", scope="pkg:YearlyPool"),
        instrument("fund", "joint", "设立总规模20亿元的基金。", category="fund", max="2000000000", scope="pkg:FundSize"),
        instrument("prov_pool", "other", "省级每年安排1亿元。", max="100000000", scope="pkg:YearlyPool"),
        instrument("grant", "joint", "给予最高100万元补助。", max="1000000", scope="pkg:PerRecipient"),
        JOINT)
    data += "\nt:restating pkg:jurisdiction j:贵安新区 ."  # both policies: 贵阳市 and 贵安新区
    data += "\nt:restating pkg:basedOn t:joint ."  # restates the joint policy's pool
    s.replace_source("aggregates.ttl", Graph().parse(data=data, format="turtle"))
    yield s
    s.close()


def test_pools_and_funds_per_jurisdiction_count_a_restated_fund_once(store):
    rows = {(r["jurisdiction_name"], r["cap_scope"]): r for r in run_query(store, "funding-totals").rows}
    assert rows[("贵阳市", "yearly_pool")]["total_yuan"] == 20_000_000
    assert rows[("贵阳市", "yearly_pool")]["funds"] == 1 and rows[("贵阳市", "yearly_pool")]["instruments"] == 2
    assert rows[("贵安新区", "fund_size")]["total_yuan"] == 2_000_000_000
    assert ("贵阳市", "per_recipient") not in rows


def test_province_totals_count_a_joint_policy_once(store):
    rows = {(r["jurisdiction_name"], r["cap_scope"]): r for r in
            run_query(store, "funding-totals", {"scope": "province"}).rows}
    assert rows[("贵州省", "yearly_pool")]["total_yuan"] == 120_000_000  # 2000万 once + 1亿
    assert rows[("贵州省", "fund_size")]["total_yuan"] == 2_000_000_000


def test_instrument_counts_by_category_and_place(store):
    rows = {(r["jurisdiction_name"], r["category"]): r for r in run_query(store, "instrument-counts").rows}
    assert rows[("贵阳市", "compute_voucher")]["instruments"] == 3
    assert rows[("贵安新区", "fund")]["instruments"] == 1


def test_departments_of_one_name_are_one(store):
    rows = run_query(store, "department-ranking").rows
    assert [(r["department_name"], r["instruments"]) for r in rows] == [("贵阳市财政局", 3)]


def test_policies_per_level_and_year(store):
    rows = {(r["level"], r["year"]): r["policies"] for r in run_query(store, "policies-by-level-year").rows}
    assert rows[("prefecture", 2024)] == 1 and rows[("prefecture", 2025)] == 1
    assert rows[("new_area", 2024)] == 1


@pytest.fixture(scope="module")
def funds():
    s = PolicyStore.in_memory()
    s.replace_source("funds.ttl", Graph().parse(FUNDS_TTL))
    yield s
    s.close()


def test_a_fund_is_one_when_restated_and_distinct_funds_are_never_merged(funds):
    rows = {(r["jurisdiction_name"], r["cap_scope"]): (r["funds"], r["instruments"], r["total_yuan"])
            for r in run_query(funds, "funding-totals").rows}
    # the measure (stated twice) and its rules are one fund; the other policy's pool is a second
    assert rows[("贵阳市", "yearly_pool")] == (2, 4, 40_000_000)
    assert rows[("遵义市", "yearly_pool")] == (1, 1, 20_000_000)
    assert rows[("贵阳市", "fund_size")] == (1, 1, 20_000_000)  # same amount, another cap scope
    assert rows[("贵州省", "yearly_pool")] == (1, 1, 20_000_000)  # the news report restates it


def test_province_totals_keep_distinct_funds_of_one_amount(funds):
    rows = {(r["jurisdiction_name"], r["cap_scope"]): (r["funds"], r["instruments"], r["total_yuan"])
            for r in run_query(funds, "funding-totals", {"scope": "province"}).rows}
    # measure (+ rules, + news report), the other policy's pool, 遵义's pool: three funds
    assert rows[("贵州省", "yearly_pool")] == (3, 6, 60_000_000)
