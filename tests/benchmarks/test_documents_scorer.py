"""The documents-layer scorer: silence is right only where the text is silent, inventions and
split-off documents cost accuracy, harmless spelling variants do not."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from evaluation import documents  # noqa: E402  (benchmarks/ is scripts, not a package)
from evaluation.texts import EXPECTED  # noqa: E402


def expected_doc(**over) -> dict:
    doc = {"title": "甲市促进乙产业发展的若干措施（2024—2026年）", "notice_title": None,
           "doc_number": "甲政规〔2024〕3号", "doc_type": "measures", "status": "in_force_text",
           "issuers": ["甲市人民政府"], "jurisdictions": [{"name": "甲市", "level": "prefecture", "parent": "丙省"}],
           "issued": "2024-05-01", "effective_from": None, "effective_to": None,
           "relations": [{"type": "supports", "target_title": "丙省乙产业行动方案", "target_doc_number": None,
                          "target_kind": "document"}],
           "stacking_rules": ["highest_applies"], "precedence": [], "clauses": ["一", "一、(一)", "二"]}
    doc.update(over)
    return doc


def extracted_doc(**over) -> dict:
    doc = {"title": "甲市促进乙产业发展的若干措施(2024-2026年)", "notice_title": None,
           "doc_number": "甲政规[2024] 3 号", "doc_type": "measures", "status": "in_force_text",
           "issuers": ["甲市人民政府"], "jurisdictions": ["甲市"],
           "jurisdiction_levels": [{"name": "甲市", "level": "prefecture", "parent": "丙省"}],
           "issued": "2024-05-01", "effective_from": None, "effective_to": None, "loaded": True,
           "relations": [{"type": "supports", "target_title": "丙省乙产业行动方案", "target_doc_number": None,
                          "target_kind": "document"}],
           "stacking_rules": ["highest_applies"], "precedence": [],
           "clauses": [{"number": n} for n in ("序言", "一", "一、(一)", "二", "附则")]}
    doc.update(over)
    return doc


def run(expected: list[dict], extracted: list[dict]) -> dict[str, tuple[int, int]]:
    return documents.score({"documents": extracted}, {"documents": expected})


def test_a_faithful_extraction_scores_full_marks_despite_width_and_dash_variants():
    figures = run([expected_doc()], [extracted_doc()])
    assert all(r == t for r, t in figures.values()), figures


def test_an_invented_title_issuer_or_rule_costs_accuracy():
    figures = run([expected_doc(title=None, issuers=[], stacking_rules=[])],
                  [extracted_doc(title="二、重点任务", issuers=["某网站"], stacking_rules=["case_by_case"])])
    assert figures["title"] == (0, 1)
    assert figures["issuers"] == (0, 1)
    assert figures["stacking_rules"] == (0, 1)


def test_silence_where_the_text_is_silent_is_right_and_the_untitled_placeholder_is_silence():
    figures = run([expected_doc(title=None, issuers=[], doc_number=None)],
                  [extracted_doc(title="未命名文件(x)", issuers=[], doc_number=None)])
    assert figures["title"] == (1, 1) and figures["issuers"] == (1, 1) and figures["doc_number"] == (1, 1)


def test_split_off_documents_count_against_documents():
    figures = run([expected_doc()], [extracted_doc(), extracted_doc(title="上海市某某委员会文件", doc_number=None)])
    assert figures["documents"] == (1, 2)
    assert figures["title"] == (1, 1)


def test_relation_needs_type_and_target_and_extra_targets_are_inventions():
    wrong_type = extracted_doc(relations=[{"type": "cites", "target_title": "丙省乙产业行动方案"}])
    assert run([expected_doc()], [wrong_type])["relations"] == (0, 1)
    invented = extracted_doc(relations=[*extracted_doc()["relations"], {"type": "cites", "target_title": "别的文件"}])
    assert run([expected_doc()], [invented])["relations"] == (1, 2)
    by_number = expected_doc(relations=[{"type": "supersedes", "target_title": "旧办法", "target_doc_number": "甲政〔2020〕1号",
                                         "target_kind": "document"}])
    found = extracted_doc(relations=[{"type": "supersedes", "target_title": "关于印发旧办法的通知",
                                      "target_doc_number": "甲政[2020]1号", "target_kind": "document"}])
    assert run([by_number], [found])["relations"] == (1, 1)


def test_levels_and_parents_follow_the_matched_place_and_district_names_may_carry_their_city():
    exp = expected_doc(jurisdictions=[{"name": "乙区", "level": "county", "parent": "甲市"}])
    got = extracted_doc(jurisdictions=["甲市乙区"], jurisdiction_levels=[{"name": "甲市乙区", "level": "prefecture",
                                                                        "parent": "甲市"}])
    figures = run([exp], [got])
    assert figures["jurisdictions"] == (1, 1)
    assert figures["levels"] == (0, 1)
    assert figures["parents"] == (1, 1)


def test_clause_numbers_ignore_pseudo_clauses_and_count_missing_and_extra_ones():
    got = extracted_doc(clauses=[{"number": n} for n in ("序言", "一", "二", "三")])
    assert run([expected_doc()], [got])["clauses"] == (2, 4)


def test_notice_title_ignores_issuers_written_before_guanyu():
    exp = expected_doc(notice_title="关于印发《甲市若干措施》的通知")
    got = extracted_doc(notice_title="甲市人民政府 丙省某厅关于印发《甲市若干措施》的通知")
    assert run([exp], [got])["notice_title"] == (1, 1)


def test_every_expected_file_is_well_formed():
    files = sorted((EXPECTED / "documents").glob("*.yaml"))
    assert len(files) >= 13
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["file"].startswith(path.stem)
        for doc in data["documents"]:
            assert set(documents.FIELDS) - {"documents", "levels", "parents"} <= set(doc), path
            for place in doc["jurisdictions"]:
                assert place["level"] and place["parent"], path
            for rel in doc["relations"]:
                assert rel["target_kind"] in ("document", "programme"), path
