"""Find the documents inside one repaired file and drop page boilerplate, saying what was dropped.

Scraped files hold several documents (a covering notice and its policy, an explanatory
article and the measures it explains, two policies one after another) plus page furniture
(navigation words, copyright notices, public-service adverts, repeated headings). The rules
here are keyed on how Chinese official documents are laid out, not on particular files:

* a *title* is a short unpunctuated line ending in a document-type word (…行动方案, …若干政策,
  …措施(试行), …通知) that opens the file or is followed by a document number, an addressee
  line, a preamble (为/根据…) or a first numbered heading;
* a *covering notice* (…印发…的通知) runs from its title to its date line; it is merged into the
  document it transmits (named in its title or body), wherever in the file that document is;
* an untitled text whose first lines have reporter cues (记者, 讯, 获悉) is a news report; a
  titled text that refers to its own title in 《》 (研究编制了《X》) is about X, not X itself:
  an interpretation (解读, 起草原则, 主要内容…) or a news report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from policykg.loaders.repair import RepairedText

DOC_TYPE_WORDS = (
    "行动方案|行动计划|实施方案|工作方案|若干措施|若干政策措施|若干政策意见|若干政策|若干意见|政策意见|实施意见|"
    "指导意见|管理办法|实施细则|实施办法|意见|办法|细则|规定|通知|方案|计划|措施|政策|决定|纲要|规划"
)
_TITLE = re.compile(rf"^(?!附件|附表)[^。，,;；:：]{{4,80}}?(?:{DOC_TYPE_WORDS})(?:[(（][^()（）]{{1,16}}[)）])?$")
_NOTICE_TITLE = re.compile(r"(印发|转发|发布|颁布).{0,80}(通知|决定)$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（【﹝]\s*(?:19|20)\d{2}\s*[〕\]］)）】﹞]\s*\d{1,4}\s*[号號]")
_DOC_NUMBER_LINE = re.compile(rf"^[(（]?{DOC_NUMBER.pattern}[)）]?$")
DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十百]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}\s*[.．﹒、](?!\d)|第[一二三四五六七八九十百\d]+条)")
_PREAMBLE = re.compile(r"^(?:为|根据|按照|依据|近日|日前|经)")
_ADDRESSEE = re.compile(r"[:：]$")
_REPORTER = re.compile(r"记者|通讯员|讯\s*[(（]|日报讯|电\s*[(（]|获悉")
_INTERPRETATION = re.compile(r"解读|起草原则|起草背景|出台背景|主要内容|政策特点|制定背景")
_SELF_REFERENCE = "(?:编制|出台|印发|制定|发布|起草)了?《{title}》"

# Page furniture: navigation words and scraper messages on short lines of their own.
_NAV = re.compile(
    r"^(?:详情|导读|正文|展开全部|收起|热门评论|相关阅读|相关新闻|相关链接|分享到?|打印本页|关闭窗口|返回顶部|"
    r"字号|首页|国内|国际|要闻|快讯|\d*快报|[A-Za-z]*\s*抓取失败|上一篇|下一篇|点击量.*|浏览次数.*|浏览量.*|"
    r"点击查看.*|扫一扫.*|打印.*|关闭.*|公开方式.*|【[^】]{2,40}】)$"
)
_SOURCE_LINE = re.compile(r"^[^:：。]{0,4}(?:来源|发布机构|发布时间|发表时间|信息来源|发文机关|成文日期|生成日期)\s*[:：]")
_LINK_LINE = re.compile(r"^(?:点击查看|点击进入|点击下载|附件下载|相关附件)")
_COPYRIGHT = re.compile(r"版权|免责声明|转载")
#: one or more issuing bodies on a line (a red header's names, spaced out or not)
_ORG_LINE = re.compile(
    r"^(?:(?:中共)?[\u4e00-\u9fff]{2,30}?(?:委员会|管理委员会|管委会|人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|"
    r"局|厅|委|办|中心|部)\s*)+$"
)
_RED_HEADER_END = re.compile(r"^(?:[\u4e00-\u9fff\s]{2,60})?文\s*件$")
_PERIOD_LINE = re.compile(r"^[(（][^()（）]{1,16}[)）]$")
_AD = re.compile(r"公益广告")


@dataclass
class Line:
    start: int   # span in the repaired text
    end: int
    text: str


@dataclass
class Dropped:
    start: int   # span in the ORIGINAL file
    end: int
    reason: str
    text: str


@dataclass
class Part:
    """One document's lines inside a file (title and merged covering notices kept apart)."""

    kind: str                          # "policy" | "news_report" | "interpretation" | "notice"
    title: Line | None
    lines: list[Line] = field(default_factory=list)
    notices: list[list[Line]] = field(default_factory=list)
    meta: list[Line] = field(default_factory=list)   # page metadata lines (来源…) about this part
    subject: str | None = None         # for reports/interpretations: the title they are about
    warnings: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # issuing bodies named by a red header (…文件)
    title_from_notice: str | None = None  # the transmitted title, when the text has no title line

    @property
    def start(self) -> int:
        firsts = [self.title.start] if self.title else []
        firsts += [ln.start for ln in self.lines] + [n[0].start for n in self.notices if n]
        return min(firsts, default=0)

    @property
    def end(self) -> int:
        lasts = [self.title.end] if self.title else []
        lasts += [ln.end for ln in self.lines] + [n[-1].end for n in self.notices if n]
        return max(lasts, default=0)


@dataclass
class SplitResult:
    parts: list[Part]
    dropped: list[Dropped]
    warnings: list[str]


_DASHES = re.compile(r"[‐‑‒–—―－~～〜]+")


def norm_title(title: str) -> str:
    """Compare titles ignoring 的, quotes, brackets and spaces (notices often drop a 的),
    dash shapes (2025—2027, 2025-2027, 2025～2027), character width and Taiwan-script
    spelling (OpenCC tw2sp: 人工智慧 -> 人工智能)."""
    title = unicodedata.normalize("NFKC", title)
    title = _tw2sp().convert(title) if not title.isascii() else title
    title = _DASHES.sub("-", title)
    return re.sub(r"[\s《》“”\"'‘’「」『』〈〉的()（）\[\]【】〔〕]", "", title)


@lru_cache(maxsize=1)
def _tw2sp():
    import opencc

    return opencc.OpenCC("tw2sp")


def _lines(rt: RepairedText) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for raw in rt.text.split("\n"):
        if raw.strip():
            out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _is_title(lines: list[Line], i: int) -> bool:
    text = flat(lines[i].text)
    if _NUMBERED.match(text) or not _TITLE.match(text):
        return False
    if _NOTICE_TITLE.search(text):
        return True
    if i == 0:
        return True
    for nxt in lines[i + 1:i + 4]:
        t = nxt.text
        if _DOC_NUMBER_LINE.match(t) or _ADDRESSEE.search(t) or _PREAMBLE.match(t) or _NUMBERED.match(t):
            return True
        if not (t.startswith(("(", "（")) and len(t) < 20):  # e.g. (公开发布稿) may sit in between
            return False
    return False


def _drop_boilerplate(rt: RepairedText, lines: list[Line]) -> tuple[list[Line], list[Line], list[Dropped]]:
    """Return (kept lines, page-metadata lines, dropped) after removing page furniture and repeats."""
    kept: list[Line] = []
    meta: list[Line] = []
    dropped: list[Dropped] = []

    def drop(line: Line, reason: str) -> None:
        s, e = rt.span(line.start, line.end)
        dropped.append(Dropped(s, e, reason, line.text))

    in_ad = False
    for i, line in enumerate(lines):
        text = line.text
        short = len(text) <= 24 and "。" not in text
        if in_ad and short and not _is_title(lines, i):
            drop(line, "public-service advert footer")
            continue
        in_ad = False
        if _AD.search(text) and short:
            in_ad = True
            drop(line, "public-service advert footer")
        elif (short and _NAV.match(text)) or _LINK_LINE.match(text):
            drop(line, "page navigation / scraper noise")
        elif _SOURCE_LINE.match(text):
            meta.append(line)
            drop(line, "page metadata (source line)")
        elif _COPYRIGHT.search(text) and ("声明" in text or "授权" in text):
            drop(line, "copyright / disclaimer")
        else:
            kept.append(line)
    # repeated headings and paragraphs: a line that recurs within the next few lines is a
    # duplicate of the later copy (the later one sits next to the document number)
    result: list[Line] = []
    for i, line in enumerate(kept):
        later = [k.text for k in kept[i + 1:i + 7]]
        if line.text in later and not _NUMBERED.match(line.text):
            drop(line, "duplicated heading or paragraph")
        else:
            result.append(line)
    return result, meta, dropped


def _notice_block(lines: list[Line], i: int) -> int:
    """Index after the covering notice starting at line i (through its date line)."""
    for j in range(i + 1, min(len(lines), i + 15)):
        if DATE_LINE.match(lines[j].text):
            return j + 1
        if j > i + 1 and _is_title(lines, j):
            return j
    return i + 1


def notice_subject(notice: list[Line]) -> str | None:
    """The title a covering notice transmits: 《X》 in its text, else the 印发X的通知 pattern."""
    for line in notice:
        m = re.search(r"《([^》]{4,80})》", line.text)
        if m:
            return flat(m.group(1))
    m = re.search(r"(?:印发|转发|发布)(.+?)的(?:通知|决定)$", flat(notice[0].text))
    return m.group(1) if m else None


def flat(text: str) -> str:
    """A title read over several lines, as one line."""
    return re.sub(r"\s*\n\s*", "", text)


def _merge_titles(rt: RepairedText, lines: list[Line]) -> list[Line]:
    """A title broken over two to four short lines (`…千行百业` / `的若干措施`, `…行动方案` /
    `（2025～2026年）`, a notice title after its issuers' names) becomes one line whose text
    keeps the line breaks (so offsets stay exact); `flat()` reads it as one title."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        merged = None
        first = lines[i].text
        if 4 <= len(first) <= 60 and not re.search(r"[。，,;；:：]", first) and not _NUMBERED.match(first) \
                and not _NAV.match(first) and not re.match(r"^[【\[].*[】\]]$", first) \
                and not _DOC_NUMBER_LINE.match(first) and not DATE_LINE.match(first):
            for k in range(i + 1, min(len(lines), i + 4)):
                nxt = lines[k].text
                if len(nxt) > 60 or re.search(r"[。，,;；:：]", nxt) or _NUMBERED.match(nxt) \
                        or _DOC_NUMBER_LINE.match(nxt) or DATE_LINE.match(nxt):
                    break
                joined = flat(rt.text[lines[i].start:lines[k].end])
                alone = _TITLE.match(first) and not _NOTICE_TITLE.search(joined)
                if alone and not _PERIOD_LINE.match(nxt):
                    break
                if _TITLE.match(joined) and (not _TITLE.match(flat(rt.text[lines[i].start:lines[k - 1].end]))
                                             or _PERIOD_LINE.match(nxt)):
                    merged = k
                    if not _PERIOD_LINE.match(nxt) and not _NOTICE_TITLE.search(joined):
                        break
        if merged is not None:
            out.append(Line(lines[i].start, lines[merged].end, rt.text[lines[i].start:lines[merged].end]))
            i = merged + 1
        else:
            out.append(lines[i])
            i += 1
    return out


def _red_header(lines: list[Line], dropped_at: list[int]) -> list[str]:
    """Issuing bodies named by a red header (one name a line, then 文件): their names, and the
    indexes of the header's lines in `dropped_at`. A red header never starts a document."""
    for end, line in enumerate(lines[:8]):
        if _RED_HEADER_END.match(line.text.replace(" ", "")) and end:
            names = [re.sub(r"(?<=[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff])", "", ln.text) for ln in lines[:end]]
            head = _RED_HEADER_END.sub("", line.text.replace(" ", ""))
            if all(_ORG_LINE.match(n.replace(" ", "")) for n in names if n):
                dropped_at.extend(range(end + 1))
                return [w for n in names + ([head] if head else []) for w in n.split()]
            return []
    return []


def _notice_head(lines: list[Line]) -> int:
    """How many lines at the end of `lines` head a notice: its 文号 and issuers' names."""
    n = 0
    for line in reversed(lines[-3:]):
        if _DOC_NUMBER_LINE.match(line.text) or _ORG_LINE.match(line.text):
            n += 1
        else:
            break
    return n


def split(rt: RepairedText) -> SplitResult:
    """Documents in file order; boilerplate dropped and reported."""
    all_lines = _merge_titles(rt, _lines(rt))
    lines, meta, dropped = _drop_boilerplate(rt, all_lines)
    header_at: list[int] = []
    header = _red_header(lines, header_at)
    for k in header_at:
        s_, e_ = rt.span(lines[k].start, lines[k].end)
        dropped.append(Dropped(s_, e_, "red header (issuing bodies)", lines[k].text))
    lines = [ln for k, ln in enumerate(lines) if k not in set(header_at)]
    parts: list[Part] = []
    notices: list[tuple[list[Line], int]] = []  # (block, index of the part before it)
    warnings: list[str] = []
    current: Part | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_title(lines, i) and _NOTICE_TITLE.search(flat(line.text)):
            end = _notice_block(lines, i)
            head: list[Line] = []
            if current is not None and current.title is None:
                n = _notice_head(current.lines)
                if n:
                    head, current.lines = current.lines[-n:], current.lines[:-n]
                if not current.lines and not current.notices:
                    parts.remove(current)
            block = lines[i:end]
            notices.append((block + head, len(parts) - 1))
            i = end
            subject = notice_subject(block)
            seen = any(p.title is not None and norm_title(flat(p.title.text)) == norm_title(subject or "")
                       for p in parts)
            if i < len(lines) and subject and not seen and not _is_title(lines, i) \
                    and not _NOTICE_TITLE.search(lines[i].text):
                # the transmitted document follows with no title line of its own
                current = Part("policy", None, title_from_notice=subject)
                parts.append(current)
            continue
        if _is_title(lines, i):
            current = Part("policy", line)
            parts.append(current)
        elif current is None:
            current = Part("policy", None, [line])
            parts.append(current)
        else:
            current.lines.append(line)
        i += 1
    if header and parts:
        parts[0].header = header
    if meta and parts:
        parts[0].meta.extend(meta)
    for part in parts:
        _classify(part)
    for block, before in notices:
        _attach_notice(block, before, parts, warnings)
    return SplitResult(parts, dropped, warnings)


def _classify(part: Part) -> None:
    head = " ".join(ln.text for ln in part.lines[:3])
    if part.title is None:
        part.kind = "news_report" if _REPORTER.search(head) else "policy"
        if part.kind == "news_report":
            m = re.search(r"《([^》]{4,80})》", head)
            part.subject = m.group(1) if m else None
        return
    title = part.title.text
    body = "\n".join(ln.text for ln in part.lines)
    if re.search(_SELF_REFERENCE.format(title=re.escape(title)), body):
        part.subject = title
        part.kind = "news_report" if _REPORTER.search(head) and not _INTERPRETATION.search(body) else "interpretation"


def _attach_notice(block: list[Line], before: int, parts: list[Part], warnings: list[str]) -> None:
    subject = notice_subject(block)
    target = None
    if subject:
        wanted = norm_title(subject)
        policies = [p for p in parts if p.kind == "policy"]
        target = next((p for p in policies if norm_title(flat(p.title.text) if p.title else p.title_from_notice or "")
                       == wanted), None)
    if target is None:
        parts.append(Part("notice", block[0], block[1:]))
        warnings.append(f"covering notice {block[0].text!r}: the document it transmits is not in the file")
        return
    target.notices.append(block)
    if before >= 0 and parts[before] is target:
        target.warnings.append(f"covering notice {block[0].text!r} is spliced into the body; merged into the document")
