"""Documents found in each corpus file; boilerplate dropped and reported."""

from __future__ import annotations

from loader_helpers import ANHUI, CORPUS, GUIYANG, NANTONG, NEWS

from policykg.loaders.repair import repair
from policykg.loaders.split import split


def _split(name: str):
    return split(repair((CORPUS / name).read_text(encoding="utf-8")))


def test_news_report_is_one_untitled_report_about_the_plan():
    r = _split(NEWS)
    assert [p.kind for p in r.parts] == ["news_report"]
    assert r.parts[0].subject == "关于促进通用人工智能产业创新发展的行动方案"


def test_nantong_notice_merged_into_the_plan_and_footer_dropped():
    r = _split(NANTONG)
    assert [(p.kind, p.title.text) for p in r.parts] == [("policy", "关于促进通用人工智能产业创新发展的行动方案")]
    plan = r.parts[0]
    assert len(plan.notices) == 1 and plan.notices[0][-1].text == "2024年11月28日"
    assert any("spliced" in w for w in plan.warnings)
    assert any(ln.text.startswith("三、政策支持") for ln in plan.lines), "the plan continues after the notice"
    reasons = {d.reason for d in r.dropped}
    assert reasons == {"public-service advert footer"}
    assert any("人民日报社" in d.text for d in r.dropped)


def test_guiyang_interpretation_then_measures_with_notice():
    r = _split(GUIYANG)
    assert [p.kind for p in r.parts] == ["interpretation", "policy"]
    assert r.parts[1].notices and "4部门印发" in r.parts[1].notices[0][0].text
    texts = {d.reason: d.text for d in r.dropped}
    assert "copyright / disclaimer" in texts and "版权与免责声明" in texts["copyright / disclaimer"]
    assert "page navigation / scraper noise" in texts
    assert "duplicated heading or paragraph" in texts


def test_anhui_two_documents_duplicates_and_noise_dropped():
    r = _split(ANHUI)
    titles = [p.title.text for p in r.parts]
    assert titles == ["安徽省通用人工智能创新发展三年行动计划(2023—2025年)", "打造通用人工智能产业创新和应用高地若干政策"]
    dropped = [d.text for d in r.dropped]
    assert {"国内", "24快报", "JSON抓取失败"} <= set(dropped)
    assert "安徽省通用人工智能创新发展三年行动计划(2023—2025年)" in dropped  # the repeated heading
    original = (CORPUS / ANHUI).read_text(encoding="utf-8")
    for d in r.dropped:
        assert original[d.start:d.end] == d.text  # dropped spans point into the file


def test_every_kept_line_belongs_to_exactly_one_part():
    for name in (NEWS, NANTONG, GUIYANG, ANHUI):
        rt = repair((CORPUS / name).read_text(encoding="utf-8"))
        r = split(rt)
        seen = [ln.start for p in r.parts for ln in ([p.title] if p.title else []) + p.lines + [x for n in p.notices for x in n]]
        assert len(seen) == len(set(seen))
        kept_or_dropped = len(seen) + len(r.dropped)
        assert kept_or_dropped == sum(1 for ln in rt.text.split("\n") if ln.strip())
