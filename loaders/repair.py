"""Repair scraped text before anything is extracted, keeping an offset map to the file on disk.

Scraped policy pages arrive damaged in a few recurring ways: traditional characters with
pinyin glued after them (`日報(bào)訊`), GBK text whose byte stream lost one byte and
was decoded one byte out of step (`?!缎袆臃桨浮` for `。《行動方案》`), CRLF line ends,
full-width and non-breaking spaces. Every step here keeps, for each repaired character, the
half-open span of code points in the ORIGINAL text it came from, so evidence quoted from the
repaired text can point into the file as it is on disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import opencc

#: Larger inputs are refused: policy texts are tens of kilobytes, and the offset map costs
#: two integers per character.
MAX_BYTES = 4 * 1024 * 1024
MISSING_CHAR = "〓"  # the typographic "geta" mark for a glyph lost in the source


class LoaderError(Exception):
    """Input the loaders cannot use; the message names the file (and clause, sentence if known)."""


@dataclass
class RepairedText:
    """Repaired text plus, for every character, the original span [starts[i], ends[i])."""

    text: str
    starts: list[int]
    ends: list[int]
    original: str
    notes: list[str] = field(default_factory=list)
    lossy: list[tuple[int, int]] = field(default_factory=list)  # original spans not char-exact

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-file span of repaired `text[start:end]`."""
        if not self.text:
            return 0, 0
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]


Piece = tuple[str, int, int]  # repaired substring, original start, original end
Rewriter = Callable[[re.Match[str]], list[Piece] | None]


def decode(data: bytes, source: str) -> str:
    """UTF-8 (BOM kept as a code point, so offsets match the file), else GB18030; never guess further."""
    if len(data) > MAX_BYTES:
        raise LoaderError(f"{source}: file is {len(data):,} bytes, more than the {MAX_BYTES:,} a policy text can be")
    if data.count(b"\x00") > max(2, len(data) // 1000):
        raise LoaderError(f"{source}: binary data (NUL bytes), not a text file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and "end" in exc.reason and data[:exc.start].decode("utf-8", "strict"):
            raise LoaderError(f"{source}: truncated file (it ends inside a character)") from exc
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls > max(2, len(text) // 100):
            raise LoaderError(f"{source}: binary data ({controls} control characters), not a text file")
        return text
    raise LoaderError(f"{source}: neither UTF-8 nor GB18030 text")


def _rewrite(rt: RepairedText, pattern: re.Pattern[str], rewrite: Rewriter) -> int:
    """Replace each match of `pattern` in `rt.text` by the pieces `rewrite` returns (None: keep)."""
    text, starts, ends = rt.text, rt.starts, rt.ends
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    count = 0
    for m in pattern.finditer(text):
        pieces = rewrite(m)
        if pieces is None:
            continue
        count += 1
        out.append(text[last:m.start()])
        new_starts.extend(starts[last:m.start()])
        new_ends.extend(ends[last:m.start()])
        for chars, s, e in pieces:
            out.append(chars)
            new_starts.extend([s] * len(chars))
            new_ends.extend([e] * len(chars))
        last = m.end()
    if count:
        out.append(text[last:])
        new_starts.extend(starts[last:])
        new_ends.extend(ends[last:])
        rt.text, rt.starts, rt.ends = "".join(out), new_starts, new_ends
    return count


# -- step 1: line ends, BOM, invisible characters -------------------------------------------

_INVISIBLE = re.compile(r"\r\n?|[\ufeff\u200b\u200c\u200d\u2060]")


def _normalise_controls(rt: RepairedText) -> None:
    def rewrite(m: re.Match[str]) -> list[Piece]:
        if m.group().startswith("\r"):
            return [("\n", rt.starts[m.start()], rt.ends[m.end() - 1])]
        return []

    _rewrite(rt, _INVISIBLE, rewrite)


# -- step 2: GBK stream shifted by one byte -------------------------------------------------

# A lost byte inside a GBK-encoded "。" leaves "?!" and every following double-byte character
# decoded one byte out of step, until an ASCII character realigns the stream.
_SHIFTED_GBK = re.compile(r"\?!([^\x00-\x7f]+)([\x21-\x7e])?")


def _realign_gbk(rt: RepairedText) -> None:
    def rewrite(m: re.Match[str]) -> list[Piece] | None:
        run, tail = m.group(1), m.group(2) or ""
        if tail == "?":  # "?" stands for the byte that could not be decoded, not for ASCII
            tail = ""
        try:
            raw = b"\xa1" + (run + tail).encode("gb18030")
        except UnicodeEncodeError:
            return None
        lost = len(raw) % 2 == 1
        try:
            fixed = raw[: len(raw) - 1 if lost else len(raw)].decode("gb18030")
        except UnicodeDecodeError:
            return None
        if len(fixed) * 2 + (1 if lost else 0) != len(raw):
            return None  # some single-byte characters inside: not a shifted double-byte stream
        base = m.start()
        # byte k of `raw` (k >= 1) sits in original char base + 2 + (k - 1) // 2
        pieces: list[Piece] = [("。", rt.starts[base], rt.ends[base + 1])]
        def at(k: int) -> int:  # original char holding byte k of `raw`
            return base + 1 if k == 0 else base + 2 + (k - 1) // 2

        for j, ch in enumerate(fixed):
            pieces.append((ch, rt.starts[at(2 * j)], rt.ends[at(2 * j + 1)]))
        if lost:
            last = m.end() - 1 if m.group(2) in (None, "?") else m.end() - 2
            pieces.append((MISSING_CHAR, rt.starts[last], rt.ends[last]))
            rt.notes.append(f"character lost in the source at offset {rt.starts[last]}; shown as {MISSING_CHAR}")
        rt.lossy.append((rt.starts[base], rt.ends[m.end() - 1]))
        return pieces

    n = _rewrite(rt, _SHIFTED_GBK, rewrite)
    if n:
        rt.notes.append(f"re-decoded {n} GBK run(s) shifted by a lost byte")


# -- step 3: pinyin annotations -------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]([a-zü{_TONED}]{{1,7}})[)）]"
    rf"|(?<={MISSING_CHAR})[(（]?([a-zü{_TONED}]{{1,7}})[)）]"  # the "(" may be lost with the char
)


def _drop_pinyin(rt: RepairedText) -> None:
    def rewrite(m: re.Match[str]) -> list[Piece] | None:
        syllable = m.group(1) or m.group(2)
        return [] if any(ch in _TONED for ch in syllable) else None

    n = _rewrite(rt, _PINYIN, rewrite)
    if n:
        rt.notes.append(f"dropped {n} pinyin annotation(s)")


# -- step 4: traditional -> simplified ------------------------------------------------------

@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


#: Variant characters OpenCC t2s leaves alone but that simplified texts never use.
_VARIANTS = str.maketrans({"瑯": "琅"})


def to_simplified(text: str) -> str:
    """`text` in simplified characters, as the loaders store it (used for query parameters, so
    a search typed in traditional script finds the simplified text)."""
    return _t2s().convert(text).translate(_VARIANTS)


def _simplify(rt: RepairedText) -> None:
    """OpenCC t2s is nearly one-to-one; where the text changes length, map it character by character."""
    converter = _t2s()
    converted = converter.convert(rt.text).translate(_VARIANTS)
    if converted == rt.text:
        return
    if len(converted) == len(rt.text):
        rt.text = converted
        rt.notes.append("converted traditional to simplified characters")
        return
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(rt.text):
        c = (converter.convert(ch) or ch).translate(_VARIANTS)
        out.append(c)
        starts.extend([rt.starts[i]] * len(c))
        ends.extend([rt.ends[i]] * len(c))
    rt.text, rt.starts, rt.ends = "".join(out), starts, ends
    rt.notes.append("converted traditional to simplified characters (per character)")


# -- step 5: whitespace ---------------------------------------------------------------------

_EDGE_SPACE = re.compile(r"^[ \t\u3000\xa0]+|[ \t\u3000\xa0]+$", re.M)
_INNER_SPACE = re.compile(r"[ \u3000\xa0]{2,}|[\u3000\xa0]")


def _normalise_space(rt: RepairedText) -> None:
    _rewrite(rt, _EDGE_SPACE, lambda m: [])
    _rewrite(rt, _INNER_SPACE, lambda m: [(" ", rt.starts[m.start()], rt.ends[m.end() - 1])])


def repair(original: str) -> RepairedText:
    """Apply every repair step to `original`; see the module docstring."""
    from policykg.loaders import layout  # layout's steps are built on _rewrite

    rt = RepairedText(original, list(range(len(original))), list(range(1, len(original) + 1)), original)
    for step in (_normalise_controls, layout.strip_html, _realign_gbk, _drop_pinyin, _simplify,
                 _normalise_space, *layout.STEPS[1:]):
        step(rt)
    return rt


def read_source(path: str | Path) -> str:
    """Read and decode a file (a PDF by its text layer); errors name the file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise LoaderError(f"{p}: cannot read ({exc.strerror})") from exc
    if data[:5] == b"%PDF-":
        from policykg.loaders.layout import pdf_text

        return pdf_text(data, str(p))
    return decode(data, str(p))
