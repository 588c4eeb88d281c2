"""Responsible, cooperating and lead units named in a clause, resolved to full names.

Chinese policies close each task with a unit list: `(责任单位:市商务局、财政局、数据局)`, or,
with cooperating units after a semicolon, `【牵头单位:省经济和信息化厅;配合单位:省财政厅、省教育厅】`;
a plan as a whole is `由市工信局牵头组织实施` (lead) or `由X、Y负责组织实施` (responsible). Names
are written short and resolved here:

* a leading level character takes the full name of that level from the document's context:
  `市商务局` -> `岳阳市商务局` when `level_names["市"] == "岳阳市"`;
* a name without a level character inherits the last one used in the same list:
  `市商务局、财政局` -> `岳阳市财政局`;
* collective bodies (`各县(市、区)人民政府`, `相关市人民政府`, `各重点行业牵头单位`) are kept:
  they are real organisations that answer for the task. They are qualified with the
  document's own jurisdiction (`岳阳市各县(市、区)人民政府`) so that the same words in
  another province's policy name a different node;
* names that already start with a place (`岳阳市公共资源交易中心`, `岳阳职业技术学院`) are kept as written.

Full-width and half-width punctuation are treated alike; the list may stand in any of `BRACKETS`.
"""

from __future__ import annotations

import re

from policykg.loaders.facts import Clause, Department, ExtractionContext
from policykg.loaders.money import normalise

ROLES = {"责任单位": "responsible", "责任部门": "responsible", "牵头单位": "lead",
         "牵头部门": "lead", "配合单位": "cooperating", "配合部门": "cooperating",
         "协同单位": "cooperating", "参与单位": "cooperating"}
_ROLE_WORD = "|".join(ROLES)
#: Brackets that enclose a unit list, opening -> closing (after `normalise`, （） are ()).
BRACKETS = {"(": ")", "【": "】", "[": "]", "〔": "〕", "〖": "〗"}
_CLOSERS = "".join(re.escape(c) for c in BRACKETS.values())
#: a unit-list parenthetical in any of `BRACKETS`; one level of nested round parentheses
#: (各县(市、区)人民政府) is allowed inside
UNIT_BLOCK = re.compile("|".join(
    rf"{re.escape(o)}(?P<body{i}>(?:{_ROLE_WORD})\s*:(?:[^(){_CLOSERS}]|\([^()]*\))*){re.escape(c)}"
    for i, (o, c) in enumerate(BRACKETS.items())))
_ROLE_HEAD = re.compile(rf"^\s*(?P<role>{_ROLE_WORD})\s*:\s*")
#: `由市科技局牵头` names the lead; `由X、Y负责组织实施` names who runs the whole policy
_BY = re.compile(r"由(?P<name>[^,;。由]{2,80}?)(?P<verb>牵头|负责(?:组织)?实施)")
_COLLECTIVE = re.compile(r"^(?:各|相关|有关|所在|其他)")
#: `(省工业和信息化厅、省科技厅按职责分工负责，各地级以上市人民政府落实)`: a unit list with no role word
_DUTY_BLOCK = re.compile(r"\((?P<body>[^()]{2,160}?)按职责(?:分工)?负责[^()]*\)")
_ORG_END = re.compile(r"(?:厅|局|委|办|委员会|中心|院|部|馆|会|政府|实验室|集团|公司)$")

#: Short forms of body names and their full forms: one body, one IRI (安徽省科技厅 =
#: 安徽省科学技术厅). Applied to the part after the place; longest short form first.
ALIASES = (
    ("科技厅", "科学技术厅"), ("科技局", "科学技术局"), ("工信厅", "工业和信息化厅"), ("工信局", "工业和信息化局"),
    ("经信厅", "经济和信息化厅"), ("经信局", "经济和信息化局"), ("经信委", "经济和信息化委员会"),
    ("发展改革委", "发展和改革委员会"), ("发改委", "发展和改革委员会"), ("人社厅", "人力资源和社会保障厅"),
    ("人社局", "人力资源和社会保障局"), ("人力社保局", "人力资源和社会保障局"), ("人力资源社会保障厅", "人力资源和社会保障厅"),
    ("人力资源社会保障局", "人力资源和社会保障局"), ("市场监管局", "市场监督管理局"), ("国资委", "国有资产监督管理委员会"),
    ("卫健委", "卫生健康委员会"), ("卫生健康委", "卫生健康委员会"), ("财政金融工作局", "财政和金融工作局"),
    ("大数据局", "大数据发展管理局"), ("商务厅", "商务厅"), ("网信办", "网信办"),
)


def canonical(name: str) -> str:
    """The full form of a body's name, so its short and long spellings meet on one node."""
    for short, full in sorted(ALIASES, key=lambda a: -len(a[0])):
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name
LEVEL_ORDER = ("区", "县", "市", "省")   # innermost first


def _split_top(text: str, seps: str) -> list[str]:
    """Split on any of `seps` outside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def home_name(level_names: dict[str, str]) -> str | None:
    """The document's own (innermost) jurisdiction among its level names."""
    return next((level_names[c] for c in LEVEL_ORDER if c in level_names), None)


def _has_place(name: str, level_names: dict[str, str]) -> bool:
    stems = {v[:-1] for v in level_names.values() if len(v) > 2} | set(level_names.values())
    return any(name.startswith(s) for s in stems if s)


def resolve_unit(name: str, level_names: dict[str, str], inherit: str | None = None,
                 home: str | None = None) -> str:
    """Full name of one unit; see the module docstring for the rules."""
    name = re.sub(r"等$", "", name.strip())
    home = home or home_name(level_names)
    if _has_place(name, level_names):
        return name
    if name[:1] in level_names:
        return level_names[name[:1]] + name[1:]
    if _COLLECTIVE.match(name):
        return (home or "") + name
    if inherit and inherit in level_names:
        return level_names[inherit] + name
    return name


def parse_unit_list(text: str, level_names: dict[str, str],
                    home: str | None = None) -> list[tuple[str, str]]:
    """`责任单位:市科技局、工信局;配合单位:…` -> [(full name, role), …] in order.

    A segment without a role word keeps the previous role (default `responsible`).
    """
    text = normalise(text).strip()
    if text[:1] in BRACKETS and text.endswith(BRACKETS[text[0]]):
        text = text[1:-1]
    out: list[tuple[str, str]] = []
    role = "responsible"
    for segment in _split_top(text, ";"):
        head = _ROLE_HEAD.match(segment)
        if head:
            role = ROLES[head["role"]]
            segment = segment[head.end():]
        inherit: str | None = None
        for raw in _split_top(segment, "、,"):
            name = resolve_unit(raw, level_names, inherit, home)
            if raw[:1] in level_names and not _COLLECTIVE.match(raw):
                inherit = raw[:1]
            if name and (name, role) not in out:
                out.append((name, role))
    return out


def unit_blocks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, body) of every unit-list parenthetical in `text`."""
    return [(m.start(), m.end(), next(b for b in m.groups() if b is not None))
            for m in UNIT_BLOCK.finditer(normalise(text))]


def extract_departments(clause: Clause, ctx: ExtractionContext) -> list[Department]:
    """Every unit a clause names, with its role and the parenthetical or sentence as evidence."""
    text = normalise(clause.text)
    home = ctx.jurisdictions[0] if ctx.jurisdictions else None
    out: list[Department] = []
    seen: set[tuple[str, str]] = set()

    def add(name: str, role: str, start: int, end: int) -> None:
        if (name, role) not in seen:
            seen.add((name, role))
            out.append(Department(name, role, clause.number, ctx.evidence(clause, start, end)))

    for start, end, body in unit_blocks(text):
        for name, role in parse_unit_list(body, ctx.level_names, home):
            add(name, role, start, end)
    for m in _DUTY_BLOCK.finditer(text):
        if UNIT_BLOCK.search(m.group()):
            continue
        names = _split_top(m["body"], "、,")
        if names and all(_ORG_END.search(n) for n in names):
            for name, role in parse_unit_list(m["body"], ctx.level_names, home):
                add(name, role, m.start(), m.end())
    for m in _BY.finditer(text):
        role = "lead" if m["verb"] == "牵头" else "responsible"
        s = max((b.end() for b in re.finditer(r"[。;!?\n]", text[:m.start()])), default=0)
        e = next((b.end() for b in re.finditer(r"[。;!?\n]", text[m.end():])), len(text) - m.end())
        for raw in _split_top(m["name"], "、,"):
            add(resolve_unit(raw, ctx.level_names, None, home), role, s, m.end() + e)
    return out
