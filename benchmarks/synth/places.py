"""Real Chinese jurisdictions for the synthetic benchmark corpus, with their enclosing ones.

The benchmark needs many distinct places so that titles, issuers and departments vary the way
a national corpus does, and it needs the hierarchy (district within city within province) so
that 配套 and 加码 sentences point upward the way real ones do. The hierarchy is real; the
division codes are the GB/T 2260 codes of the provinces and cities (districts left without,
as development zones and new areas have none).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """One jurisdiction: its name, level word (省/市/区/县), enclosing place, 文号 abbreviation."""

    name: str
    level: str           # "省" | "市" | "区" | "县" — the prefix its departments inherit
    parent: str | None   # enclosing jurisdiction's name; None for provinces and 直辖市
    abbr: str            # first character(s) of its document numbers, e.g. 浙 in 浙政办发
    code: str | None = None

    @property
    def short(self) -> str:
        """The name without its level suffix, as titles and sentences use it (杭州市 -> 杭州)."""
        for suffix in ("省", "市"):
            if self.name.endswith(suffix) and len(self.name) > 2:
                return self.name[: -len(suffix)]
        return self.name


PLACES: tuple[Place, ...] = (
    # provinces and municipalities directly under the central government
    Place("北京市", "市", None, "京", "110000"),
    Place("上海市", "市", None, "沪", "310000"),
    Place("天津市", "市", None, "津", "120000"),
    Place("重庆市", "市", None, "渝", "500000"),
    Place("浙江省", "省", None, "浙", "330000"),
    Place("广东省", "省", None, "粤", "440000"),
    Place("江苏省", "省", None, "苏", "320000"),
    Place("山东省", "省", None, "鲁", "370000"),
    Place("四川省", "省", None, "川", "510000"),
    Place("湖北省", "省", None, "鄂", "420000"),
    Place("湖南省", "省", None, "湘", "430000"),
    Place("福建省", "省", None, "闽", "350000"),
    Place("河南省", "省", None, "豫", "410000"),
    Place("安徽省", "省", None, "皖", "340000"),
    Place("贵州省", "省", None, "黔", "520000"),
    Place("陕西省", "省", None, "陕", "610000"),
    # prefecture-level and sub-provincial cities
    Place("杭州市", "市", "浙江省", "杭", "330100"),
    Place("宁波市", "市", "浙江省", "甬", "330200"),
    Place("温州市", "市", "浙江省", "温", "330300"),
    Place("广州市", "市", "广东省", "穗", "440100"),
    Place("深圳市", "市", "广东省", "深", "440300"),
    Place("东莞市", "市", "广东省", "莞", "441900"),
    Place("佛山市", "市", "广东省", "佛", "440600"),
    Place("南京市", "市", "江苏省", "宁", "320100"),
    Place("苏州市", "市", "江苏省", "苏", "320500"),
    Place("无锡市", "市", "江苏省", "锡", "320200"),
    Place("南通市", "市", "江苏省", "通", "320600"),
    Place("常州市", "市", "江苏省", "常", "320400"),
    Place("济南市", "市", "山东省", "济", "370100"),
    Place("青岛市", "市", "山东省", "青", "370200"),
    Place("成都市", "市", "四川省", "成", "510100"),
    Place("武汉市", "市", "湖北省", "武", "420100"),
    Place("长沙市", "市", "湖南省", "长", "430100"),
    Place("福州市", "市", "福建省", "榕", "350100"),
    Place("厦门市", "市", "福建省", "厦", "350200"),
    Place("郑州市", "市", "河南省", "郑", "410100"),
    Place("合肥市", "市", "安徽省", "合", "340100"),
    Place("芜湖市", "市", "安徽省", "芜", "340200"),
    Place("贵阳市", "市", "贵州省", "筑", "520100"),
    Place("西安市", "市", "陕西省", "西", "610100"),
    # districts, counties, development zones and new areas
    Place("海淀区", "区", "北京市", "海", "110108"),
    Place("朝阳区", "区", "北京市", "朝", "110105"),
    Place("浦东新区", "区", "上海市", "浦", "310115"),
    Place("徐汇区", "区", "上海市", "徐", "310104"),
    Place("闵行区", "区", "上海市", "闵", "310112"),
    Place("滨海新区", "区", "天津市", "滨", "120116"),
    Place("两江新区", "区", "重庆市", "两"),
    Place("余杭区", "区", "杭州市", "余", "330110"),
    Place("滨江区", "区", "杭州市", "滨", "330108"),
    Place("南山区", "区", "深圳市", "深南", "440305"),
    Place("福田区", "区", "深圳市", "福", "440304"),
    Place("天河区", "区", "广州市", "天", "440106"),
    Place("黄埔区", "区", "广州市", "埔", "440112"),
    Place("江宁区", "区", "南京市", "江宁", "320115"),
    Place("苏州工业园区", "区", "苏州市", "苏园"),
    Place("崇川区", "区", "南通市", "崇", "320613"),
    Place("南通创新区", "区", "南通市", "通创"),
    Place("东湖新技术开发区", "区", "武汉市", "武新"),
    Place("岳麓区", "区", "长沙市", "岳", "430104"),
    Place("成都高新区", "区", "成都市", "成高"),
    Place("蜀山区", "区", "合肥市", "蜀", "340104"),
    Place("包河区", "区", "合肥市", "包", "340111"),
    Place("观山湖区", "区", "贵阳市", "观", "520115"),
    Place("贵安新区", "区", "贵州省", "贵安"),
    Place("雁塔区", "区", "西安市", "雁", "610113"),
    Place("思明区", "区", "厦门市", "思", "350203"),
    Place("金水区", "区", "郑州市", "金", "410105"),
    Place("历下区", "区", "济南市", "历", "370102"),
    Place("崂山区", "区", "青岛市", "崂", "370212"),
    Place("湖州市", "市", "浙江省", "湖", "330500"),
    Place("长兴县", "县", "湖州市", "长兴", "330522"),
)

BY_NAME: dict[str, Place] = {p.name: p for p in PLACES}


def enclosing(place: Place) -> list[Place]:
    """The places enclosing `place`, nearest first (崇川区 -> 南通市, 江苏省)."""
    chain: list[Place] = []
    current = place
    while current.parent is not None:
        current = BY_NAME[current.parent]
        chain.append(current)
    return chain


_LEVEL_LOCAL = {"province": "Province", "prefecture": "PrefectureCity", "county": "County",
                "new_area": "NewArea", "development_zone": "DevelopmentZone", "region": "Region"}


def level_local(place: Place) -> str:
    """The pkg:JurisdictionLevel concept (local name) of a place, as ontology/policy.ttl names them:
    the loaders' gazetteer where it knows the place (浦东新区 is a GB/T 2260 district), else by suffix."""
    from policykg.loaders import places

    known = places.place(place.name)
    if known is not None and known.level in _LEVEL_LOCAL:
        return _LEVEL_LOCAL[known.level]
    if place.parent is None:
        return "Province"  # provinces and the four municipalities are provincial-level
    if place.level == "市":
        return "PrefectureCity"
    if place.name.endswith(("开发区", "园区", "高新区", "创新区")):
        return "DevelopmentZone"
    if place.name.endswith("新区"):
        return "NewArea"
    return "County"


def jurisdictions_turtle(namespace: str) -> str:
    """The places and their hierarchy as Turtle, in ontology/jurisdictions.ttl's shape.

    The loaders recognise these names by their suffix but only know the hierarchy of the
    places in ontology/jurisdictions.ttl; the benchmark stores this file as one more source
    graph so 加码 and 配套 between synthetic places can be checked like real ones."""
    lines = [
        "@prefix pkg:  <https://w3id.org/policykg/ontology#> .",
        f"@prefix j:    <{namespace}> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "",
        "# Synthetic benchmark corpus: the real places it uses (benchmarks/synth/places.py).",
    ]
    for place in PLACES:
        facts = [f'j:{place.name} a pkg:Jurisdiction', "skos:inScheme pkg:Jurisdictions",
                 f'skos:prefLabel "{place.name}"@zh', f"pkg:level pkg:{level_local(place)}"]
        if place.code:
            facts.append(f'pkg:divisionCode "{place.code}"')
        facts.append(f"pkg:within j:{place.parent}" if place.parent else "pkg:within j:中国")
        lines.append(" ;\n    ".join(facts) + " .")
    return "\n".join(lines) + "\n"
