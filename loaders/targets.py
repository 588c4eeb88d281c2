"""Quantified targets (指标) a policy sets: indicator tables and inline `到2027年,…N个以上`.

Call it per clause, like the other clause-level parsers:

    extract_targets(clause: Clause, ctx: ExtractionContext) -> list[Target]

It reads two shapes, both keyed on the genre's layout rather than on particular documents:

* an indicator table, one row a line, cells separated by tabs (or 2+ spaces), with a header
  row naming the indicator column (`指标`), a year column (`2027年目标(累计数)`) and optionally a
  department column (`责任部门`/`责任单位`); the unit is the indicator's parenthesis
  (`智算规模(PFLOPS)` -> name 智算规模, unit PFLOPS);
* inline targets in a sentence that names a target year (`到2027年`, `力争到2025年`), or follows
  such a sentence after a `;`, split on commas: `新增智能算力300P以上`, `建成行业数据集20个以上`, `打造标杆应用场景8个`,
  `核心产业规模突破600亿元`.

Units are normalised: `P`/`PF`/`PFLOPS` -> PFLOPS; money (`亿元`, `万元`, `元`) becomes `CNY`
with the value in yuan; counting words (个, 家, 项) are kept.
Departments are the unit list after the sentence (inline) or the row's department cell (table).
A segment that grants something (`给予`, `补贴`…) is an offer, never a target; `dedupe_targets`
keeps one target where the body and the annex table state the same one.
"""

from __future__ import annotations

import re
from decimal import Decimal

from policykg.loaders.departments import parse_unit_list, unit_blocks
from policykg.loaders.facts import Clause, ExtractionContext, Target
from policykg.loaders.money import MAGNITUDES, normalise
from policykg.loaders.sentences import sentences

_CELL_SEP = re.compile(r"\t|\s{2,}")
_GRANT = re.compile(r"给予|予以|补助|补贴|资助|奖励|奖补|贴息")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止)\s*((?:19|20)\d{2})\s*年")
_NAME_UNIT = re.compile(r"^(?P<name>.+?)\s*\((?P<unit>[^()]{1,12})\)\s*$")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)")
_COMPUTE_UNITS = {"P": "PFLOPS", "PF": "PFLOPS", "PFLOPS": "PFLOPS", "E": "EFLOPS", "EFLOPS": "EFLOPS"}
_VERBS = r"(?:引进培育|布局|构建|建成|新建|建设|培育|引进|引育|打造|形成|实现|达到|新增|累计|集聚|推动|开放|力争)"
_SCOPE = r"(?:全市|全省|全区|全县|我市|我省|全国)"
_INLINE = re.compile(
    rf"^{_SCOPE}?{_VERBS}?{_SCOPE}?(?P<name>[^\d,;。]{{2,30}}?)"
    r"(?:超过|超|达到|达|突破|不少于|不低于)?"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>PFLOPS|PF|P|EFLOPS|E|万亿元|亿元|万元|元|个|家|项|款|座|所|人|名|条)"
    r"(?:以上|左右|及以上)?$"
)


def normalise_unit(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """(value, unit) with compute in PFLOPS/EFLOPS and money in yuan (`CNY`)."""
    unit = unit.strip()
    if unit.upper() in _COMPUTE_UNITS:
        return value, _COMPUTE_UNITS[unit.upper()]
    if unit.endswith("元"):
        factor = MAGNITUDES.get(unit[:-1], Decimal(1))
        scaled = value * factor
        return (scaled.quantize(Decimal(1)) if scaled == scaled.to_integral_value() else scaled), "CNY"
    return value, unit


def extract_targets(clause: Clause, ctx: ExtractionContext) -> list[Target]:
    """Targets in one clause: table rows if it holds an indicator table, else inline targets."""
    text = normalise(clause.text)
    table = _table_targets(clause, text, ctx)
    return table if table else _inline_targets(clause, text, ctx)


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _table_targets(clause: Clause, text: str, ctx: ExtractionContext) -> list[Target]:
    out: list[Target] = []
    header: list[str] | None = None
    cols: dict[str, int] = {}
    year: int | None = None
    for pos, line in _lines(text):
        cells = [c.strip() for c in _CELL_SEP.split(line.strip())]
        if len(cells) < 2:
            header = None if header and not line.strip() else header
            continue
        if header is None:
            name_col = next((i for i, c in enumerate(cells) if "指标" in c), None)
            value_col = next((i for i, c in enumerate(cells) if _YEAR.search(c) or "目标" in c), None)
            if name_col is None or value_col is None:
                continue
            header = cells
            cols = {"name": name_col, "value": value_col}
            dept = next((i for i, c in enumerate(cells) if re.search(r"责任|牵头", c)), None)
            if dept is not None:
                cols["dept"] = dept
            y = _YEAR.search(cells[value_col])
            year = int(y.group(1)) if y else None
            continue
        if len(cells) <= max(cols["name"], cols["value"]):
            continue
        number = _NUMBER.match(cells[cols["value"]])
        if not number:
            continue
        raw = cells[cols["name"]]
        nu = _NAME_UNIT.match(raw)
        name, unit = (nu["name"], nu["unit"]) if nu else (raw, "")
        value, unit = normalise_unit(Decimal(number.group(1)), unit)
        depts: list[str] = []
        if "dept" in cols and cols["dept"] < len(cells):
            depts = [n for n, _ in parse_unit_list(cells[cols["dept"]], ctx.level_names)]
        start = pos + len(line) - len(line.lstrip())
        out.append(Target(name, value, unit, year, ctx.evidence(clause, start, pos + len(line.rstrip())), depts))
    return out


def _inline_targets(clause: Clause, text: str, ctx: ExtractionContext) -> list[Target]:
    out: list[Target] = []
    blocks = unit_blocks(text)
    carried: int | None = None      # `到2027年,A;B。`: the year still governs B after the ;
    for s, e in sentences(text):
        sentence = text[s:e]
        year, carried = carried, None
        if not _TARGET_YEAR.search(sentence) and year is None:
            continue
        after = next((b for b in blocks if b[0] >= e - 1), None)
        depts = [n for n, role in parse_unit_list(after[2], ctx.level_names)
                 if role != "cooperating"] if after else []
        for segment in re.split(r"[,;。、]", sentence):
            y = _TARGET_YEAR.search(segment)
            if y:
                year = int(y.group(1))
                segment = segment[y.end():]
            if _GRANT.search(segment):
                continue          # 给予…万元: an offer, never a target (loaders/instruments.py)
            m = _INLINE.match(segment.strip())
            if not m or year is None:
                continue
            name = m["name"].strip("的 ")
            value, unit = normalise_unit(Decimal(m["value"]), m["unit"])
            out.append(Target(name, value, unit, year, ctx.evidence(clause, s, e), list(depts)))
        if sentence.endswith(";"):
            carried = year
    return out


def _key(target: Target) -> tuple:
    name = re.sub(r"[\s()（）“”\"'、,，的]", "", normalise(target.name))
    return name, target.value, target.unit, target.year


def dedupe_targets(targets: list[Target]) -> list[Target]:
    """A target stated in the body and again in the annex table is one target: the table row
    (the indicator's own statement, with its department column) is kept, with the departments
    of both; otherwise the first statement."""
    out: dict[tuple, Target] = {}
    for target in targets:
        key = _key(target)
        kept = out.get(key)
        if kept is None:
            out[key] = target
            continue
        if _is_row(target) and not _is_row(kept):
            target.departments += [d for d in kept.departments if d not in target.departments]
            out[key] = target
        else:
            kept.departments += [d for d in target.departments if d not in kept.departments]
    return list(out.values())


def _is_row(target: Target) -> bool:
    return bool(_CELL_SEP.search(target.evidence.quote.strip()))
