"""Jurisdiction names: resolve what a text calls a place to the names the graph uses.

The gazetteer is ontology/jurisdictions.ttl (prefLabel, altLabel, pkg:within). Names it does
not know (海淀区, 苏州市) are still recognised by their administrative suffix, so an unseen
text gets jurisdictions too; they become minimal pkg:Jurisdiction nodes downstream.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from policykg.ontology import JURISDICTIONS_TTL
from policykg.ontology.vocab import PKG

#: GB/T 2260 province abbreviations, as used at the head of document numbers (皖科高〔2023〕9号).
PROVINCE_ABBREVIATIONS = {
    "京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省", "晋": "山西省",
    "蒙": "内蒙古自治区", "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省",
    "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省",
    "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省", "川": "四川省", "蜀": "四川省",
    "黔": "贵州省", "贵": "贵州省", "滇": "云南省", "云": "云南省", "藏": "西藏自治区", "陕": "陕西省",
    "甘": "甘肃省", "青": "青海省", "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区",
}
_SUFFIX = r"(?:特别行政区|自治区|自治州|新区|开发区|高新区|创新区|省|市|区|县|州|盟|旗)"
PLACE = re.compile(rf"[\u4e00-\u9fff]{{2,7}}?{_SUFFIX}")
_NOT_PLACE = re.compile(r"^(?:各|全|本|我|该|市|省|区|县|相关|有关|所在|辖|城|地|社|园|片|小|皖北地)")


@dataclass(frozen=True)
class Place:
    name: str
    within: str | None
    level: str | None


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, Place], dict[str, str]]:
    """(places by name, name for every label and alias)."""
    g = Graph()
    g.parse(JURISDICTIONS_TTL)
    places: dict[str, Place] = {}
    labels: dict[str, str] = {}
    for node in set(g.subjects(PKG.level, None)):
        name = next((str(lit) for lit in g.objects(node, SKOS.prefLabel) if isinstance(lit, Literal) and lit.language == "zh"), None)
        if not name:
            continue
        parent = g.value(node, PKG.within)
        parent_name = next((str(lit) for lit in g.objects(parent, SKOS.prefLabel) if lit.language == "zh"), None) if parent else None
        level = g.value(node, PKG.level)
        places[name] = Place(name, parent_name, str(level).rsplit("#", 1)[-1] if level else None)
        labels[name] = name
        for alt in g.objects(node, SKOS.altLabel):
            if isinstance(alt, Literal) and alt.language == "zh" and len(str(alt)) >= 2:
                labels[str(alt)] = name
    return places, labels


def enclosing(name: str) -> list[str]:
    """`name` and every jurisdiction enclosing it, innermost first."""
    places, _ = gazetteer()
    chain = [name]
    while chain[-1] in places and places[chain[-1]].within and places[chain[-1]].within not in chain:
        chain.append(places[chain[-1]].within)  # type: ignore[arg-type]
    return chain


def is_within(inner: str, outer: str) -> bool:
    return inner != outer and outer in enclosing(inner)


def leading_places(text: str) -> list[str]:
    """Place names at the very start of a title or issuer name (贵阳贵安… -> 贵阳市, 贵安新区)."""
    _, labels = gazetteer()
    found: list[str] = []
    pos = 0
    while pos < len(text):
        label = max((lab for lab in labels if text.startswith(lab, pos)), key=len, default=None)
        if label:
            found.append(labels[label])
            pos += len(label)
            continue
        m = PLACE.match(text, pos)
        if m and not _NOT_PLACE.match(m.group()):
            found.append(m.group())
            pos = m.end()
            continue
        break
    return _innermost(list(dict.fromkeys(found)))


_RANK = (("自治区", 1), ("省", 1), ("新区", 3), ("市", 2), ("区", 3), ("县", 3))


def _rank(name: str) -> int:
    return next((r for suffix, r in _RANK if name.endswith(suffix)), 9)


def _innermost(names: list[str]) -> list[str]:
    """北京市海淀区 is an address (keep 海淀区); 贵阳贵安 names two places acting jointly.
    Known places decide by the gazetteer, unknown ones by their administrative suffix."""
    out: list[str] = []
    for name in names:
        if out:
            prev = out[-1]
            known = prev in gazetteer()[0] and name in gazetteer()[0]
            if (known and is_within(name, prev)) or (not known and _rank(name) > _rank(prev)):
                out[-1] = name
                continue
        out.append(name)
    return out


def mentioned_places(text: str) -> Counter[str]:
    """How often each known place is named in `text` (longest label wins: 南通创新区 ≠ 南通)."""
    _, labels = gazetteer()
    counts: Counter[str] = Counter()
    ordered = sorted(labels, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(lab) for lab in ordered))
    for m in pattern.finditer(text):
        counts[labels[m.group()]] += 1
    return counts


def level_char(name: str) -> str | None:
    """The one-character level prefix departments use for this place (市科技局, 省财政厅)."""
    for suffix, char in (("自治区", "区"), ("省", "省"), ("市", "市"), ("区", "区"), ("县", "县")):
        if name.endswith(suffix):
            return char
    return None


def level_names(jurisdictions: list[str]) -> dict[str, str]:
    """{"市": "南通市", "省": "江苏省"}: the innermost place of each level around the jurisdictions."""
    out: dict[str, str] = {}
    for name in jurisdictions:
        for place in enclosing(name):
            char = level_char(place)
            if char and char not in out:
                out[char] = place
    return out
