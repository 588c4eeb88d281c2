"""The instrument scorer (benchmarks/evaluation/instruments.py) and the expected files it reads:
matching by quote and figures, one to one, field by field; every expected quote is in its text."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from evaluation.instruments import explain, norm, score  # noqa: E402
from evaluation.texts import EXPECTED, find_text  # noqa: E402

from policykg.loaders.facts import (  # noqa: E402
    CAP_SCOPES,
    CATEGORIES,
    KINDS,
    PERIODS,
    RATE_KINDS,
    RECIPIENTS,
)
from policykg.loaders.repair import read_source, repair  # noqa: E402


def found(quote: str, **fields: Any) -> dict[str, Any]:
    """An instrument as `policykg extract --format json` writes it."""
    base: dict[str, Any] = {
        "clause": "二、3", "category": "compute_voucher", "kind": "grant", "quantified": True,
        "rate": None, "rate_is_max": False, "rate_kind": None, "rate_base": None,
        "rate_options": [], "rate_schedule": [], "min_cny": None, "max_cny": None,
        "period": None, "period_years": None, "cap_scope": None, "thresholds": [],
        "recipient": None, "funder_level": None, "departments": [],
        "evidence": {"clause": "二、3", "quote": quote, "start": 0, "end": len(quote)},
    }
    base.update(fields)
    return base


def extracted(*instruments: dict[str, Any]) -> dict[str, Any]:
    return {"documents": [{"instruments": list(instruments)}]}


SENTENCE = "对租用算力的企业，按不超过实际支付费用的25%，给予每家每年最高300万元补贴。"
WANT = {"quote": "按不超过实际支付费用的25%", "clause": "二、3", "category": "compute_voucher",
        "kind": "grant", "rate": 0.25, "rate_is_max": True, "rate_kind": "share",
        "rate_base": "实际支付费用", "max_cny": 3000000, "period": "yearly",
        "cap_scope": "per_recipient", "recipient": "enterprise", "departments": ["甲市科技局", "甲市数据局"]}
GOOD = dict(rate=0.25, rate_is_max=True, rate_kind="share", rate_base="实际支付费用", max_cny=3000000,
            period="yearly", cap_scope="per_recipient", recipient="enterprise",
            departments=["甲市数据局", "甲市科技局"])


def test_a_right_instrument_is_right_on_every_field() -> None:
    result = score(extracted(found(SENTENCE, **GOOD)), {"instruments": [WANT]})
    assert all(right == total for right, total in result.values()), result
    assert result["figures_found"] == (1, 1) and result["all_fields"] == (1, 1)


def test_missed_and_unreal_instruments_count_against_recall_and_precision() -> None:
    other = {**WANT, "quote": "给予承接方最高50万元", "rate": None, "max_cny": 500000}
    noise = found("到2027年产业规模超1000亿元。", max_cny=100000000000)
    result = score(extracted(found(SENTENCE, **GOOD), noise), {"instruments": [WANT, other]})
    assert result["figures_found"] == (1, 2)
    assert result["instruments_real"] == (1, 2)
    assert result["all_fields"] == (1, 2)   # the missed one counts as wrong
    assert result["category"] == (1, 1)     # field scores count over matched pairs only


def test_nothing_expected_makes_every_extracted_instrument_unreal() -> None:
    result = score(extracted(found(SENTENCE, **GOOD)), {"instruments": []})
    assert result["instruments_real"] == (0, 1)
    assert result["figures_found"] == (0, 0)


def test_quotes_match_across_width_and_whitespace() -> None:
    spaced = SENTENCE.replace("，", ",").replace("费用", "费 用\n")
    result = score(extracted(found(spaced, **GOOD)), {"instruments": [WANT]})
    assert result["figures_found"] == (1, 1)
    assert norm("（一）  ，") == "(一),"


def test_two_offers_in_one_sentence_pair_by_figures_not_order() -> None:
    sentence = "单个项目验收后，给予发布方最高100万元支持，给予承接方最高500万元支持。"
    first = {"quote": "给予发布方最高100万元支持", "category": "model_rnd", "max_cny": 1000000}
    second = {"quote": "给予承接方最高500万元支持", "category": "model_rnd", "max_cny": 5000000}
    # extracted in the opposite order: the pairing must follow the amounts
    pair = extracted(found(sentence, category="model_rnd", max_cny=5000000),
                     found(sentence, category="model_rnd", max_cny=1000000))
    result = score(pair, {"instruments": [first, second]})
    assert result["max_cny"] == (2, 2)
    assert result["instruments_real"] == (2, 2)


def test_matching_is_one_to_one() -> None:
    result = score(extracted(found(SENTENCE, **GOOD), found(SENTENCE, **GOOD)), {"instruments": [WANT]})
    assert result["figures_found"] == (1, 1)
    assert result["instruments_real"] == (1, 2)
    sentence = "给予发布方最高100万元支持，给予承接方最高500万元支持。"
    both = [{"quote": "给予发布方最高100万元支持", "category": "other", "max_cny": 1000000},
            {"quote": "给予承接方最高500万元支持", "category": "other", "max_cny": 5000000}]
    one = score(extracted(found(sentence, category="other", max_cny=5000000)), {"instruments": both})
    assert one["figures_found"] == (1, 2) and one["max_cny"] == (1, 1)


@pytest.mark.parametrize(("change", "field"), [
    ({"rate_is_max": False}, "rate"),
    ({"rate": 0.2}, "rate"),
    ({"max_cny": 300}, "max_cny"),
    ({"period": "one_time"}, "period"),
    ({"period_years": 3}, "period"),
    ({"cap_scope": "per_project"}, "cap_scope"),
    ({"departments": ["甲市科技局"]}, "departments"),
    ({"kind": "voucher"}, "kind"),
    ({"rate_base": "合同金额"}, "rate_base"),
    ({"rate_options": [{"rate": 0.25, "condition": None}, {"rate": 0.1, "condition": None}]}, "rate_options"),
    ({"rate_schedule": [{"year": 1, "rate": 0.25}]}, "rate_schedule"),
])
def test_one_wrong_figure_fails_its_field_and_all_fields(change: dict[str, Any], field: str) -> None:
    result = score(extracted(found(SENTENCE, **{**GOOD, **change})), {"instruments": [WANT]})
    assert result[field] == (0, 1)
    assert result["all_fields"] == (0, 1)


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "model_rnd"}, "category"),
    ({"recipient": "individual"}, "recipient"),
    ({"funder_level": "city"}, "funder_level"),
    ({"quantified": False}, "quantified"),
    ({"clause": "二、4"}, "clause"),
])
def test_fields_outside_all_fields_do_not_spoil_it(change: dict[str, Any], field: str) -> None:
    result = score(extracted(found(SENTENCE, **{**GOOD, **change})), {"instruments": [WANT]})
    assert result[field] == (0, 1)
    assert result["all_fields"] == (1, 1)


def test_loose_rate_base_unstated_period_and_rate_tolerance() -> None:
    loose = {**GOOD, "rate_base": "企业实际支付费用总额", "rate": 0.2500001}
    result = score(extracted(found(SENTENCE, **loose)), {"instruments": [WANT]})
    assert result["rate_base"] == (1, 1) and result["rate"] == (1, 1)
    unstated = score(extracted(found(SENTENCE, **{**GOOD, "period": "unstated"})),
                     {"instruments": [{**WANT, "period": None}]})
    assert unstated["period"] == (1, 1)


def test_options_schedules_and_thresholds_compare_as_sets_with_bounds() -> None:
    want = {**WANT, "rate": None, "rate_is_max": False,
            "rate_options": [{"rate": 0.4, "condition": "首次"}, {"rate": 0.25}],
            "rate_schedule": [{"year": 1, "rate": 0.6}, {"year": 2, "rate": 0.45}],
            "thresholds": [{"quantity": "合同金额", "min": 200000, "min_inclusive": True,
                            "max": 500000, "max_inclusive": False, "unit": "CNY"}]}
    got = {**GOOD, "rate": None, "rate_is_max": False,
           "rate_options": [{"rate": 0.25, "condition": None}, {"rate": 0.4, "condition": None}],
           "rate_schedule": [{"year": 2, "rate": 0.45}, {"year": 1, "rate": 0.6}],
           "thresholds": [{"quantity": "单个合同金额", "min": 200000, "min_inclusive": True,
                           "max": 500000, "max_inclusive": False, "unit": "CNY"}]}
    result = score(extracted(found(SENTENCE, **got)), {"instruments": [want]})
    assert result["rate_options"] == result["rate_schedule"] == result["thresholds"] == (1, 1)
    inclusive = copy.deepcopy(got)
    inclusive["thresholds"][0]["max_inclusive"] = True
    assert score(extracted(found(SENTENCE, **inclusive)), {"instruments": [want]})["thresholds"] == (0, 1)


def test_a_repeated_sentence_pairs_by_clause_and_a_null_clause_is_not_judged() -> None:
    article, measure = found(SENTENCE, **{**GOOD, "clause": "p3"}), found(SENTENCE, **GOOD)
    result = score(extracted(article, measure), {"instruments": [WANT, {**WANT, "clause": None}]})
    assert result["clause"] == (1, 1)
    lone = score(extracted(article), {"instruments": [WANT]})
    assert lone["clause"] == (0, 1) and lone["figures_found"] == (1, 1)


def test_explain_names_the_wrong_field() -> None:
    lines = explain(extracted(found(SENTENCE, **{**GOOD, "max_cny": 30000})), {"instruments": [WANT]})
    assert any("max_cny" in line and "30000" in line for line in lines)


EXPECTED_FILES = sorted((EXPECTED / "instruments").glob("*.yaml"))
VOCABULARY = {"category": CATEGORIES, "kind": KINDS, "period": PERIODS, "cap_scope": CAP_SCOPES,
              "rate_kind": RATE_KINDS, "recipient": RECIPIENTS}
KNOWN_KEYS = {"quote", "clause", "category", "kind", "quantified", "rate", "rate_is_max", "rate_kind",
              "rate_base", "rate_options", "rate_schedule", "min_cny", "max_cny", "period", "period_years",
              "cap_scope", "thresholds", "recipient", "funder_level", "departments", "note"}


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_expected_file_quotes_are_in_the_text_and_values_in_the_vocabularies(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert Path(data["file"]).stem == path.stem
    text = norm(repair(read_source(find_text(data["file"]))).text)  # quotes are of the repaired text
    for inst in data["instruments"]:
        assert set(inst) <= KNOWN_KEYS, set(inst) - KNOWN_KEYS
        assert norm(inst["quote"]) in text, inst["quote"]
        assert inst.get("category") in CATEGORIES, inst
        for key, allowed in VOCABULARY.items():
            assert inst.get(key) is None or inst[key] in allowed, (key, inst)
        if inst.get("quantified", True) is False:
            assert inst.get("rate") is None and inst.get("max_cny") is None, inst
        if inst.get("min_cny") is not None and inst.get("max_cny") is not None:
            assert inst["min_cny"] <= inst["max_cny"], inst
