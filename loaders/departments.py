"""Responsible, cooperating and lead units named in a clause, resolved to full names.

Chinese policies close each task with a unit list: `(责任单位:市商务局、财政局、数据局)`, or,
with cooperating units after a semicolon, `【牵头单位:省经济和信息化厅;配合单位:省财政厅、省教育厅】`;
a plan as a whole is `由市工信局牵头组织实施` (lead) or `由X、Y负责组织实施` (responsible). Names
are written short and resolved here:

* a leading level character takes the full name of that level from the document's context:
  `市商务局` -> `岳阳市商务局` when `level_names["市"] == "岳阳市"`;
* a name without a level character inherits the last one used in the same list:
  `市商务局、财政局` -> `岳阳市财政局`;
* only a government body's short name inherits (`财政局`, `科技厅`, `国资委`): a laboratory, a
  company or a bank branch in the same list (`之江实验室`, `中国电信某某分公司`) is no body of that level;
* collective bodies (`各县(市、区)人民政府`, `相关市人民政府`, `各重点行业牵头单位`) are kept
  as written: they are real organisations that answer for the task;
* names that hold a place (`岳阳市公共资源交易中心`, `岳阳职业技术学院`, `人民银行某省分行`) are kept as written.

Full-width and half-width punctuation are treated alike; the list may stand in any of `BRACKETS`.

A list need not carry a role word: `(省工业和信息化厅、省科技厅按职责分工负责，各地级以上市人民政府落实)`
is read by its verbs (`DUTY_VERBS`), each group of names taking the role of the verb that closes it.
A standing instruction `以下均需各区人民政府落实，不再列出` names units that join every later
unit list of the document (`standing_units`; extract.py applies it, walking the clauses in order).
Collective bodies are kept as written in the facts (`各有关主管部门`, the annotation guideline);
`node_name` qualifies them with the document's place where the graph needs one node per body.
"""

from __future__ import annotations

import re

from policykg.loaders import places
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
#: Verbs that close a group of names in a unit list without role words, and the role they give
#: (`X、Y按职责分工负责，Z落实`; `X牵头，Y配合`). Longest first when matched.
DUTY_VERBS = {"按职责分工负责": "responsible", "按职能分工负责": "responsible", "按职责负责": "responsible",
              "分工负责": "responsible", "负责落实": "responsible", "组织落实": "responsible",
              "抓好落实": "responsible", "落实": "responsible", "负责": "responsible",
              "牵头": "lead", "配合": "cooperating", "协同": "cooperating", "参与": "cooperating"}
_VERB = "|".join(sorted(map(re.escape, DUTY_VERBS), key=len, reverse=True))
_GROUP = re.compile(rf"^(?P<names>.+?)(?P<verb>{_VERB})$")
#: a bracket holding no role word but a duty verb; nested round parentheses allowed as above
DUTY_BLOCK = re.compile("|".join(
    rf"{re.escape(o)}(?P<body{i}>(?:[^(){_CLOSERS}]|\([^()]*\)){{2,400}}?){re.escape(c)}"
    for i, (o, c) in enumerate(BRACKETS.items())))
#: `以下均需Z落实，不再列出` / `以下各项任务均由Z负责落实，不再一一列出`: Z answers for every later task
STANDING = re.compile(
    rf"以下[^,;。()]{{0,12}}?(?:均|都|一律)(?:需要|需|须|由|请)?(?P<names>[^,;。]{{2,120}}?)"
    rf"(?:{_VERB})[,;]?\s*不再(?:一一|逐一|重复)?列(?:出|明|举)[。;]?")
#: the shape of an organisation's name: a unit list names nothing else
_ORG_END = re.compile(r"(?:厅|局|委|办|委员会|中心|院|部|部门|单位|馆|会|政府|实验室|集团|公司|分行|银行|专班|小组)$")
#: a government body's short name, the only kind that inherits a level from the name before it
_BODY_END = re.compile(r"(?:厅|局|委|办|委员会|办公室|管委会|专班)$")

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


def _has_place(name: str, level_names: dict[str, str]) -> bool:
    """The name holds one of the document's places (`岳阳职业技术学院`, `人民银行某省分行`)."""
    stems = {v[:-1] for v in level_names.values() if len(v) > 2} | set(level_names.values())
    return any(s in name for s in stems if s)


def resolve_unit(name: str, level_names: dict[str, str], inherit: str | None = None) -> str:
    """Full name of one unit; see the module docstring for the rules. Collective bodies are
    qualified only where a graph node is made (`node_name`)."""
    name = re.sub(r"等$", "", name.strip())
    if name[:1] in level_names and not _has_place(name, level_names):
        return level_names[name[:1]] + name[1:]
    if _has_place(name, level_names) or _COLLECTIVE.match(name):
        return name
    if inherit and inherit in level_names and _BODY_END.search(name):
        return level_names[inherit] + name
    return name


def node_name(name: str, home: str | None) -> str:
    """The name a graph node is made for: a collective body (`各县(市、区)人民政府`) qualified with
    the document's own jurisdiction, so that the same words in another province's policy name a
    different node; every other name in its full form (`canonical`)."""
    if home and _COLLECTIVE.match(name):
        name = home + name
    return canonical(name)


def node_home(name: str, jurisdictions: list[str]) -> str | None:
    """The jurisdiction a body belongs to: the known place its name starts with (`广东省…厅`),
    else the document's own (`之江实验室`, `人民银行某省分行`: no gazetteer place at the start)."""
    known = [p for p in places.leading_places(name) if places.place(p)]
    return known[0] if known else (jurisdictions[0] if jurisdictions else None)


def _duty_groups(segment: str) -> list[tuple[str, str]] | None:
    """`X、Y按职责分工负责,Z落实` -> [("X、Y", "responsible"), ("Z", "responsible")], or None when
    no part of the segment is a group of organisation names closed by a duty verb."""
    groups: list[tuple[str, str]] = []
    pending: list[str] = []
    for part in _split_top(segment, ","):
        m = _GROUP.match(part)
        if m is None:
            pending.append(part)        # `X,Y按职责负责`: a comma may separate names too
            continue
        names = ",".join([*pending, m["names"]])
        pending = []
        if _org_names(names):
            groups.append((names, DUTY_VERBS[m["verb"]]))
    return groups or None


def _org_names(text: str) -> bool:
    names = _split_top(re.sub(r"^由", "", text), "、,")
    return bool(names) and all(_ORG_END.search(re.sub(r"等$", "", n)) for n in names)


def parse_unit_list(text: str, level_names: dict[str, str]) -> list[tuple[str, str]]:
    """`责任单位:市科技局、工信局;配合单位:…` or `X、Y按职责分工负责,Z落实` -> [(full name, role), …].

    A segment without a role word or duty verb keeps the previous role (default `responsible`);
    a standing instruction (`以下均需…不再列出`) is no part of this list (see `standing_units`).
    """
    text = normalise(text).strip()
    if text[:1] in BRACKETS and text.endswith(BRACKETS[text[0]]):
        text = text[1:-1]
    text = STANDING.sub("", text)
    out: list[tuple[str, str]] = []
    role = "responsible"
    for segment in _split_top(text, ";。"):
        head = _ROLE_HEAD.match(segment)
        if head:
            role = ROLES[head["role"]]
            rest = segment[head.end():]   # `责任单位:市科技局牵头,市财政局配合`: the verbs say more
            groups = _duty_groups(rest) or [(rest, role)]
        else:
            groups = _duty_groups(segment) or [(segment, role)]
        for names, group_role in groups:
            inherit: str | None = None
            for raw in _split_top(re.sub(r"^由", "", names), "、,"):
                name = resolve_unit(raw, level_names, inherit)
                if raw[:1] in level_names and not _COLLECTIVE.match(raw):
                    inherit = raw[:1]
                if name and (name, group_role) not in out:
                    out.append((name, group_role))
    return out


def unit_blocks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, body) of every unit-list parenthetical in `text`, in order: those with a role
    word (`UNIT_BLOCK`) and those whose groups of organisation names end in duty verbs."""
    text = normalise(text)
    found = [(m.start(), m.end(), next(b for b in m.groups() if b is not None))
             for m in UNIT_BLOCK.finditer(text)]
    for m in DUTY_BLOCK.finditer(text):
        body = next(b for b in m.groups() if b is not None)
        if any(s <= m.start() < e for s, e, _ in found) or _ROLE_HEAD.match(body):
            continue
        rest = STANDING.sub("", body)
        if any(_duty_groups(seg) for seg in _split_top(rest, ";。")):
            found.append((m.start(), m.end(), body))
    return sorted(found)


def standing_units(text: str, level_names: dict[str, str]) -> list[tuple[int, int, list[str]]]:
    """(start, end, names) of each `以下均需Z落实,不再列出` in `text`: units that answer for every
    later task of the document though its lists no longer name them."""
    out = []
    for m in STANDING.finditer(normalise(text)):
        if _org_names(m["names"]):
            names = [n for n, _ in parse_unit_list(m["names"], level_names)]
            out.append((m.start(), m.end(), names))
    return out


def extract_departments(clause: Clause, ctx: ExtractionContext) -> list[Department]:
    """Every unit a clause names, with its role and the parenthetical or sentence as evidence."""
    text = normalise(clause.text)
    out: list[Department] = []
    seen: set[tuple[str, str]] = set()

    def add(name: str, role: str, start: int, end: int) -> None:
        if (name, role) not in seen:
            seen.add((name, role))
            out.append(Department(name, role, clause.number, ctx.evidence(clause, start, end)))

    for start, end, body in unit_blocks(text):
        for name, role in parse_unit_list(body, ctx.level_names):
            add(name, role, start, end)
    for m in _BY.finditer(text):
        role = "lead" if m["verb"] == "牵头" else "responsible"
        s = max((b.end() for b in re.finditer(r"[。;!?\n]", text[:m.start()])), default=0)
        e = next((b.end() for b in re.finditer(r"[。;!?\n]", text[m.end():])), len(text) - m.end())
        for raw in _split_top(m["name"], "、,"):
            add(resolve_unit(raw, ctx.level_names), role, s, m.end() + e)
    return out
