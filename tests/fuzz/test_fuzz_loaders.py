"""Fuzzing the loaders: any bytes or text yield documents (whose graph the store accepts) or a
one-line `LoaderError` naming the file — never another exception. Texts are built from the
pieces policy texts are made of (titles, clause numbers, amounts, rates, departments) mixed
with what breaks naive code (25-digit amounts, U+FFFD, private-use and control characters,
lone surrogates, binary)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.loaders.extract import LoaderError, extract_text
from policykg.loaders.to_rdf import instrument_index, to_graph
from policykg.queries.store import PolicyStore

PIECES = [
    "南京市关于支持人工智能产业发展的若干措施\n", "关于印发《苏州市算力券管理办法》的通知\n",
    "一、", "（二）", "3.", "第五条", "\n", "。", "，", "对企业给予最高", "补助", "奖励",
    "万元", "亿元", "元", "%", "％", "分之", "不超过", "以上", "市工业和信息化局", "区科技局",
    "牵头", "负责", "自发布之日起施行", "有效期至2027年12月31日", "苏政发〔2024〕12号",
    "1234567890123456789012345", "123456789012345678901234567890", "0.5", "三千", "两百万",
    "\ufffd", "\ue000", "\U000f0000", "\x00", "\x01", "\x7f", "\u200b", "\u3000", "\r",
    "《", "》", "“", "”", "<", ">", "{", "}", "\\", "\"", "~",
]
TEXTS = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=40).map("".join)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(raw: str | bytes) -> None:
    try:
        result = extract_text(raw, "fuzz.txt")
    except LoaderError as exc:
        message = str(exc)
        assert "fuzz.txt" in message and "\n" not in message.strip(), message
        return
    if not result.documents:
        return
    graph = to_graph(result, index=instrument_index([result]))
    store = PolicyStore.in_memory(background=False)
    store.replace_source("fuzz.txt", graph)  # every minted IRI and literal is storable
    assert store.sources() == ["fuzz.txt"]


@FUZZ
@given(TEXTS)
def test_any_text_loads_or_names_the_file(text):
    _check(text)


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_load_or_name_the_file(raw):
    _check(raw)


@FUZZ
@given(TEXTS)
def test_any_text_as_utf8_bytes(text):
    _check(text.encode("utf-8", "surrogatepass"))


def test_the_issue_examples():
    for amount in ("1234567890123456789012345", "123456789012345678901234567890"):
        _check(f"南京市关于支持人工智能产业发展的若干措施\n一、对企业给予最高{amount}万元补助。\n")
    for odd in ("\ufffd", "\ue000", "\x01\x7f"):
        _check(f"南京市关于支持人工智能产业发展的若干措施\n一、由市工业和信息化局{odd}牵头，给予最高100万元补助。\n")
