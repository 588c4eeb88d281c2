"""Build the clause tree of one document from its numbered headings.

Chinese policies number their parts `一、` (section), `(一)`/`（一）` (subsection), `1.`/`1﹒`/`1、`
(item), `第X条` (article) and, in explanatory texts, `一是/二是` (enumeration). A clause number
is the path of labels, e.g. `三、2` or `二、(一)、1`. Items may restart under each subsection or
run on through a whole section; both are accepted. Damage never crashes and never loses text:
a numbering gap or an item ending mid-sentence becomes a warning, and every line belongs to
some clause (lines before the first heading form the preamble `序言`, closing provisions after
the last item form `附则`, an attachment `附件`, a covering notice `通知`). Texts without any
numbering (news reports) become one clause per paragraph: `p1`, `p2`, ….
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from policykg.loaders.facts import Clause
from policykg.loaders.repair import RepairedText
from policykg.loaders.split import Line, Part

_CN = "一二三四五六七八九十百"


@dataclass(frozen=True)
class _Kind:
    name: str
    rank: int
    pattern: re.Pattern[str]


KINDS = (
    _Kind("chapter", 0, re.compile(rf"^第([{_CN}\d]+)章\s*")),
    _Kind("article", 1, re.compile(rf"^第([{_CN}\d]+)条\s*")),
    _Kind("section", 1, re.compile(rf"^([{_CN}]+)、\s*")),
    _Kind("subsection", 2, re.compile(rf"^[(（]([{_CN}]+)[)）]\s*")),
    _Kind("item", 3, re.compile(r"^(\d{1,2})\s*[.．﹒、](?!\d)\s*")),
    _Kind("enumeration", 4, re.compile(rf"^([{_CN}]+)是(?=[\u4e00-\u9fff“《])")),
)
_CLOSING = re.compile(
    r"^本(?:行动方案|行动计划|方案|政策|措施|计划|办法|意见|规定|细则|通知)|有效期|自发布之日|起施行|起实施|实施细则"
)
_ATTACHMENT = re.compile(r"^附\s*[件表]\s*\d*\s*[:：]?")
_SENTENCE_END = "。;；!！?？)）”:："


def _number(token: str) -> int:
    return int(token) if token.isdigit() else int(cn2an.cn2an(token, "smart"))


def _label(kind: _Kind, token: str) -> str:
    return {"chapter": f"第{token}章", "article": f"第{token}条", "subsection": f"({token})",
            "enumeration": f"{token}是"}.get(kind.name, token)


def _heading(rest: str) -> str | None:
    """The clause's short title: text up to the first 。 (or the whole line if it is short)."""
    head = re.split(r"[。.;；]", rest, maxsplit=1)[0].strip()
    if head and len(head) <= 40 and (head != rest.strip() or len(rest) <= 40):
        return head
    return None


class _Builder:
    def __init__(self, rt: RepairedText, part: Part) -> None:
        self.rt = rt
        self.part = part
        self.roots: list[Clause] = []
        self.warnings: list[str] = []
        self.position = 0
        self._lines: dict[int, list[Line]] = {}  # id(clause) -> its lines

    def new(self, number: str, heading: str | None, level: int, parent: Clause | None) -> Clause:
        clause = Clause(number, heading, "", 0, 0, level)
        self._lines[id(clause)] = []
        (parent.children if parent else self.roots).append(clause)
        return clause

    def add(self, clause: Clause, line: Line) -> None:
        self._lines[id(clause)].append(line)

    def finish(self) -> list[Clause]:
        for root in self.roots:
            for clause in root.walk():
                lines = self._lines[id(clause)]
                text: list[str] = []
                offsets: list[int] = []
                for k, line in enumerate(lines):
                    if k:
                        text.append("\n")
                        offsets.append(self.rt.ends[lines[k - 1].end - 1])
                    text.append(line.text)
                    offsets.extend(self.rt.starts[line.start:line.end])
                clause.text = "".join(text)
                clause.offsets = offsets
                if lines:
                    clause.start, clause.end = self.rt.span(lines[0].start, lines[-1].end)
                else:
                    child_spans = [(c.start, c.end) for c in clause.children if c.end]
                    clause.start = min((s for s, _ in child_spans), default=0)
                    clause.end = clause.start
        return self.roots


def build(rt: RepairedText, part: Part) -> tuple[list[Clause], list[str]]:
    """Clause tree (document order) and warnings for one document part."""
    b = _Builder(rt, part)
    for k, notice in enumerate(part.notices):
        clause = b.new("通知" if k == 0 else f"通知{k + 1}", notice[0].text, 1, None)
        for line in notice:
            b.add(clause, line)
    lines = list(part.lines)
    numbered = any(kind.pattern.match(ln.text) for ln in lines for kind in KINDS if kind.rank < 4)
    if not numbered:
        for n, line in enumerate(lines, 1):
            b.add(b.new(f"p{n}", None, 1, None), line)
        return b.finish(), b.warnings

    stack: list[tuple[_Kind, int, Clause]] = []   # open headings: kind, number, clause
    last_seen: dict[tuple[int, str], int] = {}     # (id(scope clause or 0), kind) -> last number
    current: Clause | None = None
    attachment: Clause | None = None
    for line in lines:
        if attachment is not None:
            b.add(attachment, line)
            continue
        if _ATTACHMENT.match(line.text):
            attachment = current = b.new("附件", line.text, 1, None)
            stack.clear()
            b.add(attachment, line)
            continue
        kind, m = next(((k, k.pattern.match(line.text)) for k in KINDS if k.pattern.match(line.text)), (None, None))
        if kind is None or m is None:
            if current is None:
                current = b.new("序言", None, 1, None)
            b.add(current, line)
            continue
        token = m.group(1)
        n = _number(token)
        while stack and stack[-1][0].rank >= kind.rank:
            stack.pop()
        parent = stack[-1][2] if stack else None
        _check_number(b, kind, n, parent, stack, last_seen, line)
        number = (parent.number + "、" if parent else "") + _label(kind, token)
        clause = b.new(number, _heading(line.text[m.end():]), len(stack) + 1, parent)
        b.add(clause, line)
        stack.append((kind, n, clause))
        current = clause
    _split_closing(b)
    roots = b.finish()
    _check_truncation(roots, b.warnings)
    return roots, b.warnings


def _check_number(b: _Builder, kind: _Kind, n: int, parent: Clause | None,
                  stack: list, last_seen: dict, line: Line) -> None:
    """Warn on gaps and jumps back; items may restart at 1 or run on through the section."""
    where = parent.number if parent else "the document"
    scope = id(parent) if parent else 0
    prev = last_seen.get((scope, kind.name), 0)
    # items numbered straight through a section or the whole document: the last item under
    # the nearest enclosing section, or anywhere before, counts as well
    run_on: set[int] = set()
    if kind.name == "item":
        section = next((c for k, _, c in reversed(stack) if k.rank <= 1), None)
        for key in ((id(section) if section else 0, "item-run"), (-1, "item-run")):
            run_on.add(last_seen.get(key, 0))
            last_seen[key] = n
    last_seen[(scope, kind.name)] = n
    if n == prev + 1 or n - 1 in run_on or (n == 1 and prev == 0):
        return
    expected = max(prev, *run_on) + 1 if run_on else prev + 1
    if n > expected:
        missing = "、".join(str(x) for x in range(expected, n)) if n - expected < 6 else f"{expected}–{n - 1}"
        b.warnings.append(f"{where}: {kind.name} {missing} missing (numbering jumps to {n} at {line.text[:20]!r})")
    else:
        b.warnings.append(f"{where}: {kind.name} numbering goes back to {n} at {line.text[:20]!r} (duplicate or restart)")


def _split_closing(b: _Builder) -> None:
    """Closing provisions (本政策自…施行, 有效期…) after the last numbered clause become `附则`."""
    roots = [r for r in b.roots if r.number not in ("附件",) and not r.number.startswith("通知")]
    if not roots:
        return
    last = roots[-1]
    while last.children:
        last = last.children[-1]
    lines = b._lines[id(last)]
    for k in range(1, len(lines)):
        if _CLOSING.search(lines[k].text):
            closing = Clause("附则", None, "", 0, 0, 1)
            b._lines[id(closing)] = lines[k:]
            del lines[k:]
            at = next((i for i, r in enumerate(b.roots) if r.number == "附件"), len(b.roots))
            b.roots.insert(at, closing)
            return


def _check_truncation(roots: list[Clause], warnings: list[str]) -> None:
    for root in roots:
        for clause in root.walk():
            if clause.number in ("附件",) or clause.number.startswith("通知") or not clause.text:
                continue
            last_line = clause.text.rsplit("\n", 1)[-1].strip()
            heading_only = "\n" not in clause.text and clause.heading is not None and \
                clause.text.rstrip().endswith(clause.heading)
            if heading_only or last_line[-1] in _SENTENCE_END:
                continue
            warnings.append(f"{clause.number} seems truncated: ends mid-sentence ({last_line[-15:]!r})")

