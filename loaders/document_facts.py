"""Document-level facts: title, type, number, issuers, dates, validity, jurisdictions.

Each fact is read from a fixed place in the layout of an official document: the number sits
under the title or in the covering notice; the issuers sign the notice (or the document) just
above its date line; validity is in the closing provisions. What a text does not say is
inferred only by documented conventions (the issuer from a document number's prefix, 皖科高 =
安徽省 + 科技厅) and every inference is reported as a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import PurePath

from policykg.loaders import places
from policykg.loaders.dates import DATE, find_validity, parse_date, resolve
from policykg.loaders.facts import Clause, Document
from policykg.loaders.money import normalise
from policykg.loaders.split import DOC_NUMBER, Line, Part, flat

DOC_TYPES = (
    ("implementing_rules", r"(?:实施细则|管理办法|实施办法|细则|办法|规定|指南)(?:[(（][^)）]*[)）])?$"),
    ("policy_opinions", r"意见(?:[(（][^)）]*[)）])?$"),
    ("action_plan", r"(?:行动方案|行动计划|实施方案|工作方案|方案|计划|规划|纲要)(?:[(（][^)）]*[)）])?$"),
    ("measures", r"(?:若干措施|若干政策|政策措施|措施|政策)(?:[(（][^)）]*[)）])?$"),
    ("notice", r"通知$"),
)
_ORG = re.compile(
    r"^[\u4e00-\u9fff()（）]{2,30}?(?:委员会|管理委员会|管委会|人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|"
    r"局|厅|委|办|中心|专班|小组|院|部|署|总局|集团|日报|日报社)$"
)
#: Organ codes in document numbers (what follows the place's abbreviation: 皖[科高], 深[工信],
#: 宁新区[管规字]) and the body they stand for, as (code, at province level, below it).
_ORGAN_CODES = (
    ("政办", "人民政府办公厅", "人民政府办公室"), ("府办", "人民政府办公厅", "人民政府办公室"),
    ("政秘", "人民政府", "人民政府"), ("政发", "人民政府", "人民政府"), ("政", "人民政府", "人民政府"),
    ("府", "人民政府", "人民政府"), ("管", "管理委员会", "管理委员会"),
    ("科", "科学技术厅", "科学技术局"), ("工信", "工业和信息化厅", "工业和信息化局"),
    ("经信", "经济和信息化厅", "经济和信息化局"), ("发改", "发展和改革委员会", "发展和改革委员会"),
    ("财", "财政厅", "财政局"), ("数据", "数据局", "数据局"), ("数", "数据局", "数据局"),
    ("人社", "人力资源和社会保障厅", "人力资源和社会保障局"), ("商务", "商务厅", "商务局"),
    ("商", "商务厅", "商务局"), ("教", "教育厅", "教育局"), ("网信", "委网信办", "委网信办"),
)
#: 制定本实施方案 / 现制定以下若干措施: what an untitled document calls itself
_SELF_TYPE = re.compile(r"制定(?:了)?(?:本|如下|以下)([\u4e00-\u9fff]{2,6}?)(?:[。，,：:]|$)")
#: 本措施与…, 本方案自…起施行: the name a text gives itself where nothing introduces it
_SELF_NAME = re.compile(r"本(行动计划|行动方案|实施方案|工作方案|若干措施|政策措施|措施|方案|办法|意见|细则|规定)")
_DRAFT = re.compile(r"征求意见稿|送审稿|草案")
_META_ORG = re.compile(r"(?:发布机构|发文机关|发文单位|制发机关)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})")
_META_DATE = re.compile(r"(?:成文日期|生成日期|发文日期)\s*[:：]\s*(?:" + DATE.pattern + ")")
_META_NUMBER = re.compile(r"(?:文号|发文字号)\s*[:：]\s*([^；;，,\s]{4,40})")


def doc_type(title: str) -> str | None:
    for name, pattern in DOC_TYPES:
        if re.search(pattern, title):
            return name
    return None


def normalise_doc_number(raw: str) -> str:
    """One spelling for the year brackets: 〔2024〕 (also written [2024], (2024), ［2024］, ﹝2024﹞)."""
    raw = re.sub(r"\s+", "", raw.strip("()（）")).replace("號", "号")
    return re.sub(r"[\[［(（【﹝](\d{4})[\]］)）】﹞]", r"〔\1〕", raw)


def _header_lines(part: Part, clauses: list[Clause]) -> list[str]:
    """Lines where a document's own number may stand: notices and the preamble."""
    out = [ln.text for block in part.notices for ln in block]
    preamble = next((c for c in clauses if c.number == "序言"), None)
    if preamble:
        out += preamble.text.split("\n")
    return out


def find_doc_number(part: Part, clauses: list[Clause]) -> str | None:
    for text in _header_lines(part, clauses):
        m = DOC_NUMBER.search(text)
        if m and len(text) <= len(m.group()) + 4:  # a line of its own, not a citation in a sentence
            return normalise_doc_number(m.group())
    return None


def _signature(lines: list[Line]) -> tuple[list[str], date | None]:
    """Issuers signing above a date line at the end of `lines` (a notice or a document)."""
    for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
        line = normalise(lines[k].text)      # ２０２６年３月１日: full-width digits, as validity dates
        m = DATE.fullmatch(line.strip())     # 2026年3月1日, 二〇二六年三月一日, 2026/3/1
        if m:
            issued = parse_date(m)
            names: list[str] = []
            for line in reversed(lines[max(0, k - 4):k]):
                tokens = line.text.split()
                if not tokens or not all(_ORG.match(t) for t in tokens):
                    break
                names = tokens + names
            return names, issued
    return [], None


def _meta(part: Part) -> tuple[list[str], date | None]:
    """来源:机构 2024/4/8 — the page's source line, used for articles about a policy."""
    for line in part.meta:
        body = re.sub(r"^[^:：]*[:：]\s*", "", normalise(line.text))
        org = re.match(r"[\u4e00-\u9fff]{2,30}", body)
        m = DATE.search(body)
        return ([org.group()] if org and _ORG.match(org.group()) else []), (parse_date(m) if m else None)
    return [], None


def _number_place(doc_number: str, jurisdictions: list[str]) -> tuple[str, str] | None:
    """(place, organ code) a document number names: its first character abbreviates a province
    or a city (宁 is 南京 in a Nanjing text, 宁夏 elsewhere); a zone follows its city (宁新区)."""
    head = doc_number.split("〔", 1)[0]
    chains = [places.enclosing(j) for j in jurisdictions]
    around = [p for chain in chains for p in chain]
    candidates = [places.CITY_ABBREVIATIONS.get(head[:1]), places.PROVINCE_ABBREVIATIONS.get(head[:1])]
    place = next((c for c in candidates if c and (not around or c in around)), None)
    if place is None:
        return None
    code = head[1:]
    for zone in jurisdictions:
        info = places.place(zone)
        suffix = next((s for s in ("新区", "开发区", "高新区") if zone.endswith(s)), None)
        if info and info.level in ("new_area", "development_zone") and suffix and code.startswith(suffix):
            return zone, code[len(suffix):]
    return place, code


def infer_issuer(doc_number: str, jurisdictions: list[str]) -> str | None:
    """鄂科技〔2024〕12号 -> 湖北省科学技术厅; 杭经信〔2025〕7号 -> 杭州市经济和信息化局:
    the place and organ code of the number."""
    found = _number_place(doc_number, jurisdictions)
    if found is None:
        return None
    place, code = found
    info = places.place(place)
    provincial = info is not None and info.level == "province"
    organ = next(((prov if provincial else local) for prefix, prov, local in _ORGAN_CODES
                  if code.startswith(prefix)), None)
    if organ is None:
        return None
    return ("中共" + place + organ) if organ.startswith("委") else place + organ


def _split_notice_title(text: str) -> tuple[str, list[str]]:
    """`上海市A委员会 上海市B委员会关于印发《X》的通知` -> (关于印发《X》的通知, [issuers])."""
    m = re.search(r"关于(?:印发|转发|发布|颁布)", text)
    if not m or m.start() == 0:
        return text, []
    names = text[:m.start()].split()
    if names and all(_ORG.match(n) for n in names):
        return text[m.start():], names
    return text, []


def qualify(name: str, jurisdictions: list[str]) -> str:
    """A body named without its place (发布机构：经济发展局) is the one of the document's place."""
    if places.leading_places(name) or not jurisdictions or name.startswith("中共"):
        return name
    return jurisdictions[0] + name


def find_jurisdictions(title: str, issuers: list[str], text: str, doc_number: str | None,
                       hint: list[str]) -> list[str]:
    """From the title's and issuers' leading place names, else the number's province, else
    the place the text calls 我市/我省/我区, else the manifest's hint."""
    found: list[str] = places.leading_places(title)
    for issuer in issuers:
        found += places.leading_places(re.sub(r"^中共", "", issuer))
    if not found and doc_number:
        province = places.PROVINCE_ABBREVIATIONS.get(doc_number[:1])
        if province:
            found.append(province)
    if not found:
        mentions = places.mentioned_places(text)
        for self_ref, suffix in (("我市", "市"), ("我省", "省"), ("我区", "区"), ("我县", "县"),
                                 ("全市", "市"), ("全省", "省")):
            if self_ref in text:
                best = [n for n, _ in mentions.most_common() if n.endswith(suffix)]
                if best:
                    found.append(best[0])
                    break
    if not found:
        found = list(hint)
    return list(dict.fromkeys(found))


def describe(part: Part, clauses: list[Clause], source: str, hint: list[str]) -> Document:
    """A Document with its document-level facts (no clause-level facts yet).

    Issuers, in the order a careful editor trusts them: a red header, the names before 关于 in
    the notice title, the notice's signature, the document's own signature, the organ code of
    its 文号, then a page's 发布机构 field — never a reprint site's 来源: line."""
    warnings = list(part.warnings)
    body = "\n".join(ln.text for ln in part.lines)
    if part.kind == "news_report":
        title = f"关于《{part.subject}》的新闻报道" if part.subject else f"新闻报道({PurePath(source).stem})"
    elif part.kind == "interpretation":
        title = f"《{part.subject}》政策解读"
    else:
        title = flat(part.title.text) if part.title else part.title_from_notice or f"未命名文件({PurePath(source).stem})"
        if part.title is None and not part.title_from_notice:
            warnings.append("no title line found; document named after the file")
    kind = part.kind if part.kind in ("news_report", "interpretation") else doc_type(title)
    if kind is None and part.kind in ("policy", "notice") and title.startswith("未命名"):
        m = _SELF_TYPE.search(body[:600])
        named = [m.group(1)] if m else [w for w, _ in Counter(_SELF_NAME.findall(body)).most_common(1)]
        kind = doc_type(named[0]) if named else None
    number = find_doc_number(part, clauses) if part.kind in ("policy", "notice") else None
    meta = " ".join(ln.text for ln in part.meta)
    if number is None and part.kind == "policy" and (m := _META_NUMBER.search(meta)) and DOC_NUMBER.search(m.group(1)):
        number = normalise_doc_number(DOC_NUMBER.search(m.group(1)).group())
    notice_title = None
    issuers: list[str] = list(part.header)
    issued: date | None = None
    for block in part.notices:
        text, named = _split_notice_title(re.sub(r"\s*\n\s*", " ", block[0].text))
        text = re.sub(r"(?<=[\u4e00-\u9fff《》“”])\s+(?=[\u4e00-\u9fff《》“”])", "", flat(text))
        notice_title = notice_title or text
        issuers += named
        names, when = _signature(block)
        issuers += names
        issued = issued or when
    if not issuers:
        names, when = _signature(part.lines)
        issuers, issued = names, issued or when
    named_title = part.subject if part.kind in ("news_report", "interpretation") else \
        ("" if title.startswith("未命名") else title)
    jurisdictions = find_jurisdictions(named_title or "", issuers, body, number, hint)
    if not issuers and number and part.kind == "policy":
        inferred = infer_issuer(number, jurisdictions)
        if inferred:
            issuers = [inferred]
            warnings.append(f"issuer not stated; inferred {inferred} from the document number {number}")
    if not issuers and (m := _META_ORG.search(meta)):
        issuers = [qualify(m.group(1), jurisdictions)]
        warnings.append(f"issuer taken from the page's 发布机构 field: {issuers[0]}")
    if not issuers and part.kind in ("news_report", "interpretation") and part.meta:
        issuers, when = _meta(part)  # the outlet that published an article about a policy
        issued = issued or when
    elif issued is None and (m := _META_DATE.search(normalise(meta))):
        issued = parse_date(m, 0)
    if not issuers and part.kind == "policy":
        warnings.append("issuer not found in the text")
    validity = find_validity(body)
    start, end = resolve(validity, issued)
    if validity.from_issue and issued is None:
        warnings.append("in force from the issue date, but the issue date is not in the text")
    if not jurisdictions:
        warnings.append("jurisdiction not found in the text")
    status = "draft" if _DRAFT.search(title) or _DRAFT.search(body[:200]) else "in_force_text"
    doc = Document(source=source, title=title, loaded=True, doc_type=kind, doc_number=number,
                   notice_title=notice_title, status=status,
                   issuers=list(dict.fromkeys(issuers)), jurisdictions=jurisdictions, issued=issued,
                   effective_from=start, effective_to=end, clauses=clauses, warnings=warnings)
    for name in jurisdictions:
        info = places.describe(name, jurisdictions)
        if info.level:
            doc.jurisdiction_levels[name] = info.level
        if info.within:
            doc.jurisdiction_parents[name] = info.within
        if info.code:
            doc.jurisdiction_codes[name] = info.code
        if not info.level or not info.within:
            warnings.append(f"jurisdiction {name}: level or enclosing place unknown")
    spans = [(c.start, c.end) for root in clauses for c in root.walk() if c.end > c.start]
    doc.start = min((s for s, _ in spans), default=0)
    doc.end = max((e for _, e in spans), default=0)
    return doc
