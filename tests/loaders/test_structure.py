"""Clause trees from numbered headings; damage becomes warnings, no text is lost."""

from __future__ import annotations

from loader_helpers import ANHUI, CORPUS, GUIYANG, NANTONG

from policykg.loaders.repair import repair
from policykg.loaders.split import split
from policykg.loaders.structure import build


def _trees(name: str):
    rt = repair((CORPUS / name).read_text(encoding="utf-8"))
    out = []
    for part in split(rt).parts:
        roots, warnings = build(rt, part)
        out.append(([c for r in roots for c in r.walk()], warnings, part, rt))
    return out


def test_nantong_sections_items_and_damage_warnings():
    [(clauses, warnings, _, _)] = _trees(NANTONG)
    numbers = [c.number for c in clauses]
    assert [f"三、{i}" for i in range(1, 10)] == [n for n in numbers if n.startswith("三、")]
    assert "二、(一)、1" in numbers and "二、(三)、6" in numbers and "二、(三)、7" in numbers
    assert not any(n.endswith("、5") and n.startswith("二") for n in numbers)
    assert any("item 5 missing" in w and w.startswith("二") for w in warnings)
    assert any(w.startswith("二、(三)、7 seems truncated") for w in warnings)
    assert numbers[0] == "通知" and "附则" in numbers and numbers[-1] == "附件"
    item2 = next(c for c in clauses if c.number == "三、2")
    assert item2.heading == "促进算力资源应用" and "算力券" in item2.text


def test_anhui_policies_items_1_to_15_run_through_sections():
    plan, policies = _trees(ANHUI)
    items = [c.number.split("、")[-1] for c in policies[0] if c.level == 2]
    assert items == [str(i) for i in range(1, 16)]
    assert policies[1] == []  # straight numbering through sections is not a gap
    assert plan[1] == [] and "三、(三)、5" in [c.number for c in plan[0]]


def test_guiyang_measures_one_to_eight():
    _, (clauses, warnings, _, _) = _trees(GUIYANG)
    tops = [c.number for c in clauses if c.level == 1 and c.number not in ("通知", "序言", "附则")]
    assert tops == list("一二三四五六七八")
    assert [c.number for c in clauses if c.number.startswith("八、")] == [f"八、({n})" for n in "一二三四五六"]
    assert warnings == []


def test_no_kept_text_is_lost():
    for name in (NANTONG, GUIYANG, ANHUI):
        for clauses, _, part, _rt in _trees(name):
            text = "\n".join(c.text for c in clauses)
            for line in part.lines:
                assert line.text in text


def test_clause_offsets_point_into_the_file():
    for name in (NANTONG, ANHUI):
        original = (CORPUS / name).read_text(encoding="utf-8")
        for clauses, _, _, _ in _trees(name):
            for c in clauses:
                assert len(c.offsets) == len(c.text)
                if c.text:
                    first_line = c.text.split("\n")[0]
                    assert original[c.start:c.start + len(first_line)] == first_line


def test_unnumbered_text_becomes_paragraph_clauses():
    from policykg.loaders.split import Line, Part
    rt = repair("第一段。\n第二段。")
    roots, warnings = build(rt, Part("news_report", None, [Line(0, 4, "第一段。"), Line(5, 9, "第二段。")]))
    assert [c.number for c in roots] == ["p1", "p2"] and warnings == []
