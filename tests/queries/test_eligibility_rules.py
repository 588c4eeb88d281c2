"""The eligibility rules on small graphs, one rule per test: validity, caps and periods, tiers,
year schedules, thresholds, recipients and groups, top-ups (combined vs additive), 就高不重复,
combined ceilings, matching, pools and unquantified support."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from eligibility_graphs import Policy, graph, instrument
from rdflib import Graph

from policykg.queries.eligibility import calculate
from policykg.queries.eligibility_data import EligibilityInputError
from policykg.queries.firm_profile import Firm
from policykg.queries.store import PolicyStore

DAY = dt.date(2026, 6, 1)
CITY, ZONE = "南通市", "南通创新区"


@pytest.fixture
def store():
    s = PolicyStore.in_memory()
    yield s
    s.close()


def load(store: PolicyStore, *parts: str) -> PolicyStore:
    store.replace_source("rules.ttl", Graph().parse(data=graph(*parts), format="turtle"))
    return store


def answer(store, spend=None, at=ZONE, on=DAY, firm=None, category="compute_voucher"):
    spend = {category: Decimal(spend)} if spend is not None else {}
    result = calculate(store, at, on, spend, firm)
    cats = {c.category: c for c in result.categories}
    return cats[category]


def items(cat):
    return {i.candidate.label: i for i in cat.items}


def test_rate_times_spend_capped_per_year(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("v", "city", "给予不超过费用20%的补助,每年最高200万元。", rate="0.2", max="2000000",
                    period="pkg:Yearly", scope="pkg:PerRecipient"))
    assert answer(store, 5_000_000).total == Decimal(1_000_000)
    cat = answer(store, 50_000_000)
    assert cat.total == Decimal(2_000_000)
    assert "capped at 2,000,000 a year" in items(cat)["v"].reason[0]
    assert items(cat)["v"].evidence[0].quote.startswith("给予不超过费用20%")


def test_amounts_are_exact_and_rounded_to_the_fen(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("v", "city", "按三分之一给予补助。", rate="0.333333333333333333"))
    assert answer(store, 100).total == Decimal("33.33")


def test_expired_and_not_yet_in_force_are_listed_not_counted(store):
    load(store, Policy("old", CITY, "2023-01-01", "2025-12-31").ttl(),
         Policy("new", CITY, "2027-01-01").ttl(),
         instrument("a", "old", "旧政策补助20%。", rate="0.2"),
         instrument("b", "new", "新政策补助30%。", rate="0.3"))
    cat = answer(store, 1000)
    assert cat.total == 0
    assert items(cat)["a"].status == "expired" and "2025-12-31" in items(cat)["a"].reason[0]
    assert items(cat)["b"].status == "not_yet"
    assert answer(store, 1000, on=dt.date(2025, 6, 1)).total == Decimal(200)


def test_unstated_validity_is_counted_and_said(store):
    load(store, Policy("p", ZONE, None, None).ttl(), instrument("v", "p", "补助10%。", rate="0.1"))
    item = items(answer(store, 1000))["v"]
    assert item.counted == 100 and any("no validity period" in en for en, _ in item.notes)


def test_combined_top_up_replaces_the_level_it_raises(store):
    load(store, Policy("city", CITY).ttl(), Policy("zone", ZONE).ttl(),
         instrument("city_v", "city", "市级补助20%,最高200万元。", rate="0.2", max="2000000", period="pkg:Yearly"),
         instrument("zone_v", "zone", "市、区两级给予50%,最高400万元/年。", rate="0.5", max="4000000",
                    period="pkg:Yearly", tops_up="t:city_v", funder_level='"city+district"'))
    cat = answer(store, 10_000_000)
    assert cat.total == Decimal(4_000_000)
    assert items(cat)["city_v"].status == "replaced"
    assert items(cat)["city_v"].amount == Decimal(2_000_000)
    assert any(q.role == "top_up" for q in items(cat)["city_v"].evidence)


def test_combined_level_read_from_funding_jurisdictions_when_no_funder_level(store):
    load(store, Policy("city", CITY).ttl(), Policy("zone", ZONE).ttl(),
         instrument("city_v", "city", "市级补助20%。", rate="0.2"),
         instrument("zone_v", "zone", "市、区两级给予50%。", rate="0.5", tops_up="t:city_v",
                    funded_by="j:南通市 , j:南通创新区"))
    assert answer(store, 100).total == Decimal(50)


def test_top_up_paid_by_the_lower_level_alone_adds(store):
    load(store, Policy("city", CITY).ttl(), Policy("zone", ZONE).ttl(),
         instrument("city_v", "city", "市级补助20%。", rate="0.2"),
         instrument("zone_v", "zone", "区级再给予10%。", rate="0.1", tops_up="t:city_v", funded_by="j:南通创新区"))
    cat = answer(store, 1000)
    assert cat.total == Decimal(300)
    assert items(cat)["city_v"].applied and items(cat)["zone_v"].applied


def test_highest_applies_keeps_the_best_with_the_rule_sentence(store):
    rule = ("HighestApplies", "同一企业符合多项政策的,按就高不重复原则执行。")
    load(store, Policy("city", CITY, rules=[rule]).ttl(), Policy("prov", "江苏省").ttl(),
         instrument("city_v", "city", "市级补助20%。", rate="0.2"),
         instrument("prov_v", "prov", "省级补助30%。", rate="0.3"))
    cat = answer(store, 1000)
    assert cat.total == Decimal(300)
    dropped = items(cat)["city_v"]
    assert dropped.status == "overlap" and "就高不重复" in dropped.reason[0]
    assert any(q.role == "rule" and "就高不重复" in q.quote for q in dropped.evidence)
    assert cat.rules[0].rule == "highest_applies" and cat.rules[0].applied


def test_without_a_stacking_rule_instruments_add_up(store):
    load(store, Policy("city", CITY).ttl(), Policy("prov", "江苏省").ttl(),
         instrument("city_v", "city", "市级补助20%。", rate="0.2"),
         instrument("prov_v", "prov", "省级补助30%。", rate="0.3"))
    assert answer(store, 1000).total == Decimal(500)


def test_combined_ceiling_caps_the_sum(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("a", "city", "补助40%。", rate="0.4"),
         instrument("b", "city", "再补助40%。", rate="0.4"),
         instrument("cap", "city", "叠加后补贴比例最高至70%。", rate="0.7", kind="pkg:kind_combined_ceiling"))
    cat = answer(store, 1000)
    assert cat.total == Decimal(700)
    assert items(cat)["cap"].status == "ceiling" and not items(cat)["cap"].applied
    assert any(r.rule == "combined_ceiling" and r.applied for r in cat.rules)


def test_unquantified_and_pools_are_listed_not_counted(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("u", "city", "重大项目一事一议。", quantified="false"),
         instrument("pool", "city", "每年安排资金总额不超过2000万元。", max="20000000", scope="pkg:YearlyPool"))
    cat = answer(store, 1000)
    assert cat.total == 0
    assert items(cat)["u"].status == "unquantified"
    assert items(cat)["pool"].status == "pool" and "20,000,000" in items(cat)["pool"].reason[0]


def test_award_without_rate_counts_its_stated_maximum(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("award", "city", "每家最高给予300万元。", category="dataset", max="3000000"))
    cat = answer(store, None, category="dataset")
    assert cat.total == Decimal(3_000_000)


def test_rate_instrument_without_spend_is_not_counted(store):
    load(store, Policy("city", CITY).ttl(), instrument("v", "city", "补助20%。", rate="0.2"))
    result = calculate(store, ZONE, DAY)
    assert result.categories[0].items[0].status == "no_spend"


def test_monthly_cap_covers_twelve_months(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("m", "city", "按50%给予补贴,每月最高1万元。", rate="0.5", max="10000", period="pkg:Monthly"))
    assert answer(store, 1_000_000).total == Decimal(120_000)


def test_year_schedule_uses_the_profile_year_and_ends(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("s", "city", "第一年60%、第二年45%。", step="t:s1 , t:s2"),
         "t:s1 pkg:stepYear 1 ; pkg:stepRate 0.6 . t:s2 pkg:stepYear 2 ; pkg:stepRate 0.45 .")
    assert answer(store, 100).total == Decimal(60)
    assert answer(store, 100, firm=Firm(support_year=2)).total == Decimal(45)
    assert items(answer(store, 100, firm=Firm(support_year=3)))["s"].status == "years"


def test_tiers_choose_by_profile_else_the_lowest(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("o", "city", "初创企业按40%、其他按25%补助。", option="t:o1 , t:o2"),
         't:o1 pkg:optionRate 0.4 ; pkg:optionOrder 1 ; pkg:optionCondition "初创企业"@zh .'
         "t:o2 pkg:optionRate 0.25 ; pkg:optionOrder 2 .")
    assert answer(store, 100, firm=Firm(new_firm=True)).total == Decimal(40)
    cat = answer(store, 100)
    assert cat.total == Decimal(25) and any("lowest" in en for en, _ in items(cat)["o"].notes)


@pytest.mark.parametrize(("value", "counted"), [(100_000, True), (99_999, False), (500_000, False), (499_999, True)])
def test_thresholds_respect_inclusive_and_exclusive_bounds(store, value, counted):
    load(store, Policy("city", CITY).ttl(),
         instrument("t", "city", "合同金额10万元(含)至50万元(不含)的,补助10%。", rate="0.1", base='"合同金额"@zh',
                    threshold="t:th"),
         't:th pkg:thresholdQuantity "合同金额"@zh ; pkg:thresholdMin 100000 ; pkg:minInclusive true ; '
         'pkg:thresholdMax 500000 ; pkg:maxInclusive false ; pkg:thresholdUnit "CNY" .')
    item = items(answer(store, value))["t"]
    assert item.applied is counted
    if not counted:
        assert item.status == "threshold"


def test_threshold_on_a_quantity_the_profile_does_not_state_is_undecided(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("t", "city", "营业收入超过1亿元的,补助10%。", rate="0.1", threshold="t:th"),
         't:th pkg:thresholdQuantity "营业收入"@zh ; pkg:thresholdMin 100000000 ; pkg:minInclusive false ; '
         'pkg:thresholdUnit "CNY" .')
    assert items(answer(store, 1000))["t"].status == "undecided"
    rich = Firm(quantities={"营业收入": Decimal(200_000_000)})
    assert answer(store, 1000, firm=rich).total == Decimal(100)


def test_group_restriction_needs_the_profile_to_say(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("g", "city", "对规上企业补助10%。", rate="0.1", beneficiary='"规上企业"@zh'))
    assert items(answer(store, 1000))["g"].status == "undecided"
    assert answer(store, 1000, firm=Firm(above_scale=True)).total == Decimal(100)
    assert items(answer(store, 1000, firm=Firm(above_scale=False)))["g"].status == "group"


def test_recipient_kind_must_match(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("r", "city", "对团队给予补助10%。", rate="0.1", recipient="pkg:recipient_team"))
    assert items(answer(store, 1000))["r"].status == "recipient"
    assert answer(store, 1000, firm=Firm(kind="team")).total == Decimal(100)


def test_matching_pays_a_share_of_what_the_lower_level_pays(store):
    load(store, Policy("city", CITY).ttl(), Policy("prov", "江苏省").ttl(),
         instrument("city_v", "city", "市级补助30%。", rate="0.3"),
         instrument("prov_m", "prov", "省级按市级实际补助额度的1/3给予配套。", rate="0.333333333333333333",
                    kind="pkg:kind_matching"))
    cat = answer(store, 900)
    assert items(cat)["prov_m"].counted == Decimal(90)
    assert cat.total == Decimal(360)


def test_fee_reduction_and_uplift_are_listed_not_counted(store):
    load(store, Policy("city", CITY).ttl(),
         instrument("red", "city", "担保费率降低50%。", rate="0.5", rate_kind="pkg:Reduction"),
         instrument("up", "city", "皖北地区项目上浮20%。", rate="0.2", kind="pkg:kind_uplift"))
    cat = answer(store, 1000)
    assert cat.total == 0
    assert {items(cat)["red"].status, items(cat)["up"].status} == {"reduction", "uplift"}


def test_news_reports_do_not_offer_support(store):
    load(store, Policy("report", CITY, doc_type="NewsReport").ttl(), instrument("v", "report", "补助20%。", rate="0.2"))
    assert calculate(store, ZONE, DAY, {"compute_voucher": Decimal(100)}).categories[0].items == []


def test_unknown_place_and_category_are_input_errors(store):
    with pytest.raises(EligibilityInputError) as err:
        calculate(store, "不存在的地方", DAY)
    assert err.value.param == "at"
    with pytest.raises(EligibilityInputError):
        calculate(store, ZONE, DAY, {"nonsense": Decimal(1)})


@pytest.mark.parametrize("concept", ["MostFavourable", "NoDoubleFunding", "EligibilityExclusion"])
def test_every_no_double_funding_rule_keeps_the_best(store, concept):
    load(store, Policy("city", CITY, rules=[(concept, "不得重复享受同类支持。")]).ttl(),
         Policy("prov", "江苏省").ttl(),
         instrument("city_v", "city", "市级补助20%。", rate="0.2"),
         instrument("prov_v", "prov", "省级补助30%。", rate="0.3"))
    assert answer(store, 1000).total == Decimal(300)


def test_texts_come_back_as_stated_whatever_they_hold(store):
    """Values travel joined into one string per node (eligibility_data._ATTRIBUTES): spaces,
    percent signs and escape-like text must come back unchanged."""
    odd = "按 10% 给予补助 %20 与 %25 及 a  b"
    load(store, Policy("city", CITY).ttl(),
         instrument("odd", "city", odd, rate="0.1", base='"算力 费用 %20"@zh'))
    item = items(answer(store, 1000))["odd"]
    assert item.candidate.rate_base == "算力 费用 %20"
    assert [q.quote for q in item.evidence if q.role == "figure"] == [odd]
    assert item.amount == Decimal(100)


def test_a_figure_stated_twice_cites_its_first_sentence_by_text(store):
    """Evidence is read in the attribute pass (quote, clause number, source joined): with two
    sentences for one figure the first by text is cited, each with its own clause and file; a
    sentence without clause or file still comes back, with neither."""
    load(store, Policy("city", CITY).ttl(),
         instrument("twice", "city", "乙：按20%补助。", rate="0.2"),
         instrument("bare", "city", "按10%补助。", rate="0.1"),
         't:twice pkg:evidence t:twice_e2 . t:twice_e2 a pkg:Evidence ; pkg:quote "一：按20%补助。" ; '
         'pkg:inClause t:twice_c2 ; pkg:sourceFile "other.txt" . t:twice_c2 pkg:number "二、1" .',
         't:bare pkg:evidence t:bare_e2 . t:bare_e2 a pkg:Evidence ; pkg:quote "按 10% 补助(另述)。" .')
    cat = answer(store, 1000)
    twice = next(q for q in items(cat)["twice"].evidence if q.role == "figure")
    assert (twice.quote, twice.clause, twice.source_file) == ("一：按20%补助。", "二、1", "other.txt")
    bare = next(q for q in items(cat)["bare"].evidence if q.role == "figure")
    assert (bare.quote, bare.clause, bare.source_file) == ("按 10% 补助(另述)。", None, None)
