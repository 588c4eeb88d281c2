"""Firm profiles: parsing, errors that name the field, and which texts restrict to a group."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policykg.queries.eligibility_amounts import restriction
from policykg.queries.eligibility_data import EligibilityInputError
from policykg.queries.firm_profile import Firm, load_profile, parse_spend, profile_from


def test_profile_yaml(tmp_path):
    path = tmp_path / "firm.yaml"
    path.write_text("at: 南通创新区\ndate: 2026-11-29\nspend: {compute_voucher: 10000000, dataset: '1,500,000'}\n"
                    "firm: {size: small, new_firm: true, quantities: {营业收入: 5e7}}\n", encoding="utf-8")
    profile = load_profile(path)
    assert profile.at == "南通创新区" and profile.date.isoformat() == "2026-11-29"
    assert profile.spend == {"compute_voucher": Decimal(10_000_000), "dataset": Decimal(1_500_000)}
    assert profile.firm.flag("small") is True and profile.firm.flag("listed") is None
    assert profile.firm.quantities["营业收入"] == Decimal(50_000_000)


@pytest.mark.parametrize("data", [
    {"spend": {"compute": 1}}, {"spend": {"compute_voucher": -5}}, {"spend": {"compute_voucher": "lots"}},
    {"date": "29/11/2026"}, {"firm": {"size": "huge"}}, {"firm": {"new_firm": "yes"}},
    {"firm": {"kind": "robot"}}, {"firm": {"support_year": 0}}, {"where": "x"}, ["not", "a", "mapping"],
])
def test_bad_profiles_say_what_is_wrong(data):
    with pytest.raises(EligibilityInputError):
        profile_from(data)


def test_unreadable_and_invalid_yaml(tmp_path):
    with pytest.raises(EligibilityInputError):
        load_profile(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("at: [unclosed", encoding="utf-8")
    with pytest.raises(EligibilityInputError):
        load_profile(bad)


def test_spend_pairs():
    assert parse_spend(["compute_voucher=1_000", "dataset= 20 "]) == {"compute_voucher": Decimal(1000),
                                                                       "dataset": Decimal(20)}
    for bad in (["compute_voucher"], ["x=1"], ["dataset=NaN"], ["dataset=-1"]):
        with pytest.raises(EligibilityInputError):
            parse_spend(bad)


@pytest.mark.parametrize(("text", "firm", "status"), [
    ("通过平台使用智能算力的企业", Firm(), None),                      # no group named
    ("规上工业企业", Firm(), "undecided"),
    ("规模以上企业", Firm(above_scale=True), None),
    ("规上企业", Firm(above_scale=False), "group"),
    ("在皖企业、高校院所等算力使用方", Firm(), None),                 # plain 企业 among alternatives
    ("初创企业或新落户企业", Firm(new_firm=False), "group"),
    ("高校院所、新型研发机构", Firm(research_institute=True), None),
    ("中小企业", Firm(size="large"), "group"),
    ("中小企业", Firm(size="micro"), None),
    ("上市公司", Firm(), "undecided"),
])
def test_group_words_restrict(text, firm, status):
    verdict = restriction(text, firm)
    assert (verdict[0] if verdict else None) == status
