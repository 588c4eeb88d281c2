"""Sentence boundaries in repaired Chinese text, shared by every extractor.

Evidence quotes a whole sentence, so a match found anywhere inside it is widened to the
sentence: ends at 。；;！!？? or a line break (the scraped texts often drop final 。).
"""

from __future__ import annotations

import re

SENTENCE_END = "。；;！!？?\n"
_END_RE = re.compile(r"[。；;！!？?\n]")


def sentence_at(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """Widen `text[start:end]` to the sentence(s) containing it; the end mark is included."""
    end = start if end is None else end
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    s = start
    while s > 0 and text[s - 1] not in SENTENCE_END:
        s -= 1
    e = end
    if e > s and text[e - 1] in SENTENCE_END:
        pass
    else:
        while e < len(text) and text[e] not in SENTENCE_END:
            e += 1
        if e < len(text) and text[e] != "\n":
            e += 1
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def sentences(text: str) -> list[tuple[int, int]]:
    """All non-blank sentence spans of `text`, in order."""
    ends = [m.end() for m in _END_RE.finditer(text)] + [len(text)]
    spans: list[tuple[int, int]] = []
    start = 0
    for end in ends:
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        start = end
    return spans
