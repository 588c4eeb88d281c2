"""Dates and validity periods as Chinese policies state them.

`自2026年3月1日起施行,有效期至2028年2月29日` gives both ends; `自印发之日起实施,有效期两年`
counts from the issue date, and the last day in force is the day before the anniversary
(issue 2024-03-25, three years -> until 2027-03-24), matching pkg:inForceUntil (inclusive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an

from policykg.loaders.money import normalise

_CN_DIGIT = str.maketrans("〇○零一二三四五六七八九", "001123456789")
DATE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"|((?:19|20)\d{2})[/\-.](\d{1,2})[/\-.](\d{1,2})(?!\d)"
    r"|([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_FROM_DATE = re.compile(rf"自\s*(?:{DATE.pattern})\s*起?(?:施行|实施|执行|生效)")
_FROM_ISSUE = re.compile(r"自(?:发布|印发|公布|颁布)之日起(?:施行|实施|执行|生效)")
_UNTIL_DATE = re.compile(rf"有效期(?:至|到)\s*(?:{DATE.pattern})")
_UNTIL_YEARS = re.compile(r"有效期(?:为|暂定)?\s*([一二两三四五六七八九十\d]{1,3})\s*年")


def parse_date(m: re.Match[str], offset: int = 0) -> date | None:
    """The date in match `m` (groups as in DATE starting at group `offset` + 1)."""
    g = m.groups()[offset:offset + 9]
    try:
        if g[0]:
            return date(int(g[0]), int(g[1]), int(g[2]))
        if g[3]:
            return date(int(g[3]), int(g[4]), int(g[5]))
        if g[6]:
            return date(int(g[6].translate(_CN_DIGIT)), int(cn2an.cn2an(g[7], "smart")), int(cn2an.cn2an(g[8], "smart")))
    except ValueError:
        return None
    return None


def find_date(text: str) -> date | None:
    m = DATE.search(text)
    return parse_date(m) if m else None


def add_years(start: date, years: int) -> date:
    """The last day of a period of `years` years beginning on `start` (inclusive)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + years, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


@dataclass
class Validity:
    effective_from: date | None = None
    effective_to: date | None = None
    from_issue: bool = False        # "from the issue date": needs the issue date
    years: int | None = None        # "valid N years": needs a start
    span: tuple[int, int] | None = None  # where in the text it was said


def find_validity(text: str) -> Validity:
    """Start, end or length of validity stated in `text`; spans index `text` as given."""
    text = normalise(text)          # full-width digits (２０２６年): same length, spans carry over
    v = Validity()
    spans: list[tuple[int, int]] = []
    if m := _FROM_DATE.search(text):
        v.effective_from = parse_date(m)
        spans.append(m.span())
    elif m := _FROM_ISSUE.search(text):
        v.from_issue = True
        spans.append(m.span())
    if m := _UNTIL_DATE.search(text):
        v.effective_to = parse_date(m)
        spans.append(m.span())
    elif m := _UNTIL_YEARS.search(text):
        token = m.group(1).replace("两", "二")
        v.years = int(token) if token.isdigit() else int(cn2an.cn2an(token, "smart"))
        spans.append(m.span())
    if spans:
        v.span = (min(s for s, _ in spans), max(e for _, e in spans))
    return v


def resolve(v: Validity, issued: date | None) -> tuple[date | None, date | None]:
    """(in force from, in force until) once the issue date is known."""
    start = v.effective_from or (issued if v.from_issue else None)
    end = v.effective_to
    if end is None and v.years and start:
        end = add_years(start, v.years)
    return start, end
