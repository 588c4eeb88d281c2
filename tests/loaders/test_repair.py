"""Repair: pinyin, script, GBK realignment, whitespace — and offsets back into the file."""

from __future__ import annotations

import pytest
from loader_helpers import CORPUS, NEWS

from policykg.loaders.repair import LoaderError, decode, repair
from policykg.loaders.sentences import sentence_at, sentences


def test_pinyin_annotations_are_dropped_and_script_simplified():
    rt = repair("日報(bào)訊 (記者王瑋麗 實(shí)習(xí)生朱一冰)")
    assert rt.text == "日报讯 (记者王玮丽 实习生朱一冰)"


def test_parentheses_that_are_not_pinyin_stay():
    text = "人工智能(AI)和(2024—2027年)以及(试行)、(chat)"
    assert repair(text).text == text


def test_full_width_parentheses_pinyin():
    assert repair("發（fā）展").text == "发展"


def test_offsets_map_every_character_back():
    original = "\ufeff發(fā)展\r\n  關(guān)於  算力"
    rt = repair(original)
    assert rt.text == "发展\n关于 算力"
    assert len(rt.starts) == len(rt.ends) == len(rt.text)
    s, e = rt.span(rt.text.index("关于"), rt.text.index("关于") + 2)
    assert original[s:e] == "關(guān)於"
    assert repair(original[s:e]).text == "关于"


def test_news_report_is_fully_repaired():
    original = (CORPUS / NEWS).read_text(encoding="utf-8")
    rt = repair(original)
    assert "(bào)" not in rt.text and "(nèi)" not in rt.text
    assert "《行动方案》明确" in rt.text       # GBK stream shifted by a lost byte, realigned
    assert "紫琅三谷" in rt.text
    assert "?!" not in rt.text
    assert rt.lossy, "the realigned runs are reported as not character-exact"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_sentence_round_trips_to_the_original(path):
    """original[start:end], repaired on its own, gives back the repaired sentence (line breaks
    aside: joining a PDF's hard wraps depends on the whole file's line width)."""
    original = path.read_text(encoding="utf-8")
    rt = repair(original)
    checked = 0
    for s, e in sentences(rt.text):
        start, end = rt.span(s, e)
        if any(a < end and start < b for a, b in rt.lossy):
            continue
        assert repair(original[start:end]).text.replace("\n", "") == rt.text[s:e].replace("\n", "")
        checked += 1
    assert checked >= 10


def test_evidence_quotes_round_trip(extracted):
    """For every evidence in the corpus: the original span, repaired, is the quote."""
    checked = 0
    for result in extracted.values():
        rt = result.repaired
        facts = []
        for d in result.documents:
            facts += [i.evidence for i in d.instruments] + [t.evidence for t in d.targets]
            facts += [r.evidence for r in d.relations] + [ev for _, ev in d.stacking_rules + d.precedence]
        for ev in facts:
            if any(a < ev.end and ev.start < b for a, b in rt.lossy):
                continue
            assert repair(result.original[ev.start:ev.end]).text == ev.quote, ev
            checked += 1
    assert checked >= 30


def test_sentence_at_widens_to_the_sentence():
    text = "第一句。对企业给予20%的补助,最高200万元;另一句\n下一行"
    s, e = sentence_at(text, text.index("20%"), text.index("20%") + 3)
    assert text[s:e] == "对企业给予20%的补助,最高200万元;"
    s, e = sentence_at(text, text.index("另一"))
    assert text[s:e] == "另一句"


def test_decode_utf8_bom_gb18030_and_garbage():
    assert decode("关于".encode("utf-8-sig"), "x.txt") == "\ufeff关于"
    assert decode("关于促进人工智能".encode("gb18030"), "x.txt") == "关于促进人工智能"
    with pytest.raises(LoaderError, match="bin.dat"):
        decode(bytes(range(256)) * 40, "bin.dat")
