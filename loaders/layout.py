"""Repair steps for the shape of the input: HTML pages, text without line breaks, PDF hard wraps.

Each step rewrites `RepairedText` through `repair._rewrite`, so every character still maps to
its span in the file as stored (for HTML: inside the markup, not in some extracted copy).

* HTML: markup, scripts and entities are removed in place; block tags become line breaks; the
  page's main text is chosen by trafilatura (a kept library for exactly this) and every line
  outside it — navigation, footers, share buttons — is dropped, so it never starts a document.
* Headings inside running text (`…模型微调。（二）突破…`, a whole page on one line) get a line
  break of their own, so clause segmentation never depends on the file's line breaks.
* PDF transcriptions wrap every line at one width, inside sentences and titles: a full-width
  line that does not end a sentence is joined to the next one.
* A date glued to the title that follows it (`2025 年 8 月 11 日上海市…实施方案`) is split off.
* PDF files are read by their text layer (pypdfium2, PDFium's own text extraction); evidence
  offsets then point into that text layer, page after page. A PDF without one (a scan) is an
  error naming the file, never an empty document.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache

from policykg.loaders.repair import MAX_BYTES, LoaderError, Piece, RepairedText, _rewrite

_CN = "一二三四五六七八九十百"

# -- HTML -----------------------------------------------------------------------------------

_HTML_SIGN = re.compile(r"<(?:!doctype\s+html|html|body|div|p|meta)\b", re.I)
_INVISIBLE_BLOCKS = re.compile(r"<(script|style|head|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|tr|li|ul|ol|table|h[1-6]|section|article|header|footer|dd|dt|td|th|hr|form)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")


def looks_like_html(text: str) -> bool:
    head = text[:4000]
    return bool(_HTML_SIGN.search(head)) and head.count("<") > 10


def strip_html(rt: RepairedText) -> None:
    """Markup out, offsets kept; then only the lines trafilatura counts as the main text."""
    if not looks_like_html(rt.text):
        return
    main = _main_text(rt.original)

    def gone(m: re.Match[str]) -> list[Piece]:
        return []

    def newline(m: re.Match[str]) -> list[Piece]:
        return [("\n", rt.starts[m.start()], rt.ends[m.end() - 1])]

    def entity(m: re.Match[str]) -> list[Piece]:
        return [(html.unescape(m.group()), rt.starts[m.start()], rt.ends[m.end() - 1])]

    _rewrite(rt, _INVISIBLE_BLOCKS, gone)
    _rewrite(rt, _BLOCK_TAG, newline)
    _rewrite(rt, _TAG, gone)
    _rewrite(rt, _ENTITY, entity)
    rt.notes.append("HTML page: markup removed")
    if main is None:
        return
    kept = {_key(line) for line in main.split("\n") if _key(line)}

    def outside_main(m: re.Match[str]) -> list[Piece] | None:
        key = _key(m.group())
        return None if not key or key in kept else []

    n = _rewrite(rt, re.compile(r"[^\n]+"), outside_main)
    if n:
        rt.notes.append(f"HTML page: {n} line(s) outside the main text dropped")


def _key(line: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", line)


def _main_text(page: str) -> str | None:
    """trafilatura's main text of the page (None if it finds none: then every line is kept)."""
    import trafilatura

    return trafilatura.extract(page, include_comments=False, include_tables=True, favor_recall=True)


# -- headings inside running text -----------------------------------------------------------

_INLINE_HEADING = re.compile(
    rf"(?<=[。；;！!？?])[ \t]*(?=(?:[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)]|第[{_CN}\d]{{1,4}}条|\d{{1,2}}[.．﹒](?!\d)))"
)


def break_inline_headings(rt: RepairedText) -> None:
    """A heading after a sentence's end, on the same line, starts a line of its own."""
    def newline(m: re.Match[str]) -> list[Piece]:
        at = rt.starts[m.end()] if m.end() < len(rt.starts) else len(rt.original)
        return [("\n", at, at)]

    n = _rewrite(rt, _INLINE_HEADING, newline)
    if n:
        rt.notes.append(f"{n} heading(s) inside running text put on lines of their own")


# -- PDF hard wraps -------------------------------------------------------------------------

_SENTENCE_END = "。；;！!？?：:）)"
#: a title line (…的通知, 《X》) ends its block even at full width
_ENDS_BLOCK = re.compile(r"(?:通知|决定|》)$|https?://\S+$|^[\u4e00-\u9fff]{2,6}[:：]")  # + page fields, links
#: an addressee (有关单位：) or a date line never continues the line above
_STANDS_ALONE = re.compile(r"[:：]$|^(?:19|20)\d{2}\s*年[\d\s]+月[\d\s]+日$")
_HEADING_START = re.compile(rf"^(?:[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)]|第[{_CN}\d]{{1,4}}[条章]|\d{{1,2}}[.．﹒、](?!\d)|附件)")


@lru_cache(maxsize=64)
def _wrap_width(text: str) -> int | None:
    """The width a PDF transcription wraps at, if most long lines share one width."""
    lengths = [len(line) for line in text.split("\n") if len(line) >= 15]
    if len(lengths) < 10:
        return None
    width, count = max(Counter(lengths).items(), key=lambda kv: (kv[1], kv[0]))
    near = sum(1 for n in lengths if width - 2 <= n <= width)
    return width if near >= 0.3 * len(lengths) and width <= 60 else None


def join_hard_wraps(rt: RepairedText) -> None:
    width = _wrap_width(rt.text)
    if width is None:
        return
    lines = rt.text.split("\n")
    joins: set[int] = set()  # offsets of "\n" to remove
    pos = 0
    for k, line in enumerate(lines[:-1]):
        pos += len(line)
        nxt = lines[k + 1]
        ends = line[-1] in _SENTENCE_END or line.endswith(("。”", "。」", "！”", "？”"))
        if (len(line) >= width - 3 and not ends and nxt
                and not _HEADING_START.match(nxt) and not _ENDS_BLOCK.search(line)
                and not (len(nxt) < width // 2 and _STANDS_ALONE.search(nxt))):
            joins.add(pos)
        pos += 1
    if not joins:
        return
    # a quote across a joined wrap is no longer the original span char for char
    rt.lossy += [(rt.starts[p], rt.ends[p]) for p in sorted(joins)]

    def join(m: re.Match[str]) -> list[Piece] | None:
        return [] if m.start() in joins else None

    n = _rewrite(rt, re.compile(r"\n"), join)
    rt.notes.append(f"joined {n} line(s) wrapped by a PDF transcription at {width} characters")


# -- a date glued to a title ----------------------------------------------------------------

_GLUED_DATE = re.compile(r"^((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?=[\u4e00-\u9fff《“])(?![^\n]{0,4}(?:印发|起|前|后|至|止))", re.M)


def split_glued_dates(rt: RepairedText) -> None:
    def rewrite(m: re.Match[str]) -> list[Piece] | None:
        rest = rt.text[m.end():rt.text.find("\n", m.end()) if "\n" in rt.text[m.end():] else len(rt.text)]
        if "。" in rest or "，" in rest or len(rest) < 6:
            return None
        pieces: list[Piece] = []
        for i, ch in enumerate(m.group(1)):
            pieces.append((ch, rt.starts[m.start() + i], rt.ends[m.start() + i]))
        at = rt.starts[m.end()]
        pieces.append(("\n", at, at))
        return pieces

    _rewrite(rt, _GLUED_DATE, rewrite)


# -- PDF ------------------------------------------------------------------------------------

def pdf_text(data: bytes, source: str) -> str:
    """The text layer of a PDF, pages joined by line breaks."""
    import pypdfium2 as pdfium

    if len(data) > 8 * MAX_BYTES:
        raise LoaderError(f"{source}: PDF is {len(data):,} bytes, more than a policy text can be")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise LoaderError(f"{source}: not a readable PDF ({exc})") from exc
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
    finally:
        doc.close()
    text = "\n".join(pages)
    if not text.strip():
        raise LoaderError(f"{source}: PDF has no text layer (a scan?); run OCR first")
    return text


STEPS = (strip_html, split_glued_dates, join_hard_wraps, break_inline_headings)
