"""What kind of support an offer is, as the text states it: kind, tiers (alternative rates, and
amounts tiered by class: 博士/硕士/本科), year schedule, who pays, who receives, for how long,
the thresholds that are conditions, and support named without a figure (issue 12).

Each reader takes the offer's sentence (normalised, see money.normalise) and the figures found
in it, and returns one field of `facts.Instrument`. The phrase tables are the genre's words;
none names a document or a place.
"""

from __future__ import annotations

import re
from decimal import Decimal

import cn2an

from policykg.loaders.facts import Instrument, RateOption, ScheduleStep, Threshold
from policykg.loaders.money import Money, Rate
from policykg.loaders.recipients import recipient

# ---- kind ------------------------------------------------------------------------------------
#: (kind, words) checked in order on the offer's own segment, then on its sentence
KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("combined_ceiling", r"叠加后|叠加[^,;。]{0,12}最高|合计最高|累计叠加"),
    ("interest_subsidy", r"贴息"),
    ("rent_subsidy", r"租金|房租|场地租赁|办公用房租|租赁费"),
    ("risk_compensation", r"风险补偿"),
    ("award_by_rank", r"[一二三四五]等奖|金奖|银奖|铜奖|特等奖|优秀奖|排名前[\d一二三四五六七八九十]+|前[\d一二三四五六七八九十]+名"),
    ("top_up", r"加码|国家资金支持的|国家[^,;。]{0,8}立项的?[^,;。]{0,6}项目"),
))
_VOUCHER = re.compile(r"[\u4e00-\u9fff]{1,3}券")
_POOL_WORDS = re.compile(r"总规模|总额|每年(?:安排|发放|统筹)|年度资金|资金池|发放总量")


def kind_of(sentence: str, segment: str, money: Money | None, rate: Rate | None, scope: str | None) -> str:
    """The kind of support of one offer (facts.KINDS)."""
    if scope == "fund_size" or (money is not None and money.floor and "基金" in sentence):
        return "fund"
    if rate is not None and rate.kind == "uplift":
        return "uplift"
    if rate is not None and rate.kind == "reduction":
        return "other"            # a fee cut (担保费率降低50%) is no grant of money
    for kind, pattern in KIND_WORDS:            # the offer's own segment first
        if kind == "combined_ceiling" and rate is None:
            continue                            # a combined ceiling is on a rate (叠加后最高70%)
        if pattern.search(segment):
            return kind
    if rate is not None and rate.kind == "matching":
        return "matching"
    for kind, pattern in KIND_WORDS:            # then the sentence (not for segment-bound kinds)
        if kind not in ("combined_ceiling", "rent_subsidy") and pattern.search(sentence):
            return kind
    if _VOUCHER.search(sentence):
        pool = money is not None and (scope == "yearly_pool" or _POOL_WORDS.search(money.lead))
        return "voucher_pool" if pool else "voucher"
    return "grant"


#: What a recipient pays: a cut in one (`担保费率下浮20%`, `租金减免50%`) is support even where no
#: grant word stands; a cut in a cost or a quantity (`融资成本降低`, `能耗降低`) is an aim.
#: A bare 费用 is left out: `运营费用降低30%` is an aim as often as a price cut.
CHARGES = ("费率", "利率", "担保费", "保费", "服务费", "手续费", "使用费", "租金", "房租", "价格", "电价",
           "收费", "利息")


def charge_cut(sentence: str, rate: Rate) -> bool:
    """A reduction of a charge the recipient pays (see `CHARGES`), named in the rate's own
    comma segment (`担保费在原标准基础上下调30%`)."""
    if rate.kind != "reduction":
        return False
    segment = sentence[max(sentence.rfind(c, 0, rate.start) for c in ",;。") + 1:rate.start]
    return any(word in segment for word in CHARGES)


# ---- tiers and schedules -----------------------------------------------------------------------
_YEAR_STEP = re.compile(r"(?:第(?P<n>[一二三四五六七八九十\d]+)年|首年|次年)[^,;。、]{0,6}$")
_OPTION_JOIN = re.compile(r"^\s*(?:或|或者|/)\s*$")


def year_of(before: str) -> int | None:
    """`…第二年` / `首年` / `次年` right before a rate -> its year number."""
    m = _YEAR_STEP.search(before)
    if not m:
        return None
    if m["n"] is None:
        return 1 if "首年" in m.group() else 2
    n = m["n"]
    return int(n) if n.isdigit() else int(cn2an.cn2an(n, "normal"))


def group_rates(sentence: str, rates: list[Rate]) -> list[list[Rate]]:
    """Rates that state one offer together: a year schedule (第一年60%、第二年45%) or
    alternatives (40%或25%); every other rate is a group of its own."""
    groups: list[list[Rate]] = []
    for rate in rates:
        if groups:
            prev = groups[-1][-1]
            between = sentence[prev.end:rate.start]
            seg_start = max(sentence.rfind(c, 0, rate.start) for c in ",;。、") + 1
            scheduled = year_of(sentence[max(prev.end, seg_start - 8):rate.start]) is not None
            if (scheduled and year_of(sentence[max(0, prev.start - 10):prev.start]) is not None
                    and len(between) <= 12) or _OPTION_JOIN.match(between):
                groups[-1].append(rate)
                continue
        groups.append([rate])
    return groups


def schedule(sentence: str, group: list[Rate]) -> list[ScheduleStep]:
    steps = []
    for r in group:
        year = year_of(sentence[max(0, r.start - 10):r.start])
        if year is None:
            return []
        steps.append(ScheduleStep(year, r.value))
    distinct = len({s.year for s in steps}) == len(steps)
    return steps if len(steps) > 1 and distinct else []


def options(sentence: str, group: list[Rate]) -> list[RateOption]:
    """Alternatives A或B; each option's condition is the words just before it, if any (对X按)."""
    if len(group) < 2:
        return []
    out = []
    prev_end = max(sentence.rfind(c, 0, group[0].start) for c in ",;。") + 1
    for r in group:
        words = re.sub(r"^(?:或者|或|、|/)", "", sentence[prev_end:r.start]).strip()
        words = re.sub(r"(?:按照|按|给予|不超过|最高|的)+$", "", words).strip()
        out.append(RateOption(r.value, words if 1 < len(words) <= 20 and r is not group[0] or (
            r is group[0] and words and not re.search(r"按|给予", words) and len(words) <= 20) else None))
        prev_end = r.end
    return out


# ---- who pays, who receives -----------------------------------------------------------------
_LEVEL = {"省": "province", "市": "city", "区": "district", "县": "district"}
_TWO_LEVELS = re.compile(r"(?P<a>[省市区县])、?(?P<b>[省市区县])两级|(?P<c>[省市])、?(?P<d>[市区县])(?:统筹|可|合力|协同|联动)|"
                         r"(?P<e>[省市区县])(?P<f>[市区县])共同|统筹(?P<g>[省市])、(?P<h>[市区县])")
_ONE_LEVEL = re.compile(r"(?P<a>[省市区县])(?:本级|级财政|统筹|级(?=按|根据|给予|财政|对|统筹|安排|奖补|补助|再|"
                        r"[\u4e00-\u9fff]{0,8}(?:基金|资金)))|(?:支持|由|组织)(?:地市|各市|试点城市)(?P<city>)|"
                        r"(?P<p>省)[\u4e00-\u9fff]{0,12}(?:母基金|引导基金|产业基金|投资基金)")


def funder_level(sentence: str) -> str | None:
    """`市本级` -> city; `市、区两级` -> city+district; `省市统筹` -> province+city."""
    m = _TWO_LEVELS.search(sentence)
    if m:
        a, b = next((m[x], m[y]) for x, y in ("ab", "cd", "ef", "gh") if m[x])
        return f"{_LEVEL[a]}+{_LEVEL[b]}"
    m = _ONE_LEVEL.search(sentence)
    if m is None:
        return None
    if m["a"]:
        return _LEVEL[m["a"]]
    return "province" if m["p"] else "city"


# ---- periods --------------------------------------------------------------------------------
_CUMULATIVE = re.compile(r"累计|总计|合计|累积")
_YEARS_STRICT = re.compile(r"(?:连续|最长|最多|不超过|为期|期限|为)(?P<n>[一二两三四五六七八九十\d]{1,2})(?:个)?年|(?P<m>[一二两三四五六七八九十\d]{1,2})(?:个)?年(?:内|总计|累计|合计)")


def period_years(text: str) -> int | None:
    """`连续3年` / `三年内` / `最长2年` / `三年总计` -> N (a year like 2027年 is not a period)."""
    m = _YEARS_STRICT.search(text)
    if not m:
        return None
    n = m["n"] or m["m"]
    value = int(n) if n.isdigit() else int(cn2an.cn2an(n.replace("两", "二"), "normal"))
    return value if 0 < value <= 20 else None


def cumulative(text: str) -> bool:
    return bool(_CUMULATIVE.search(text))


# ---- thresholds -------------------------------------------------------------------------------
_QUANTITY_CUT = re.compile(r"[,、;。:对的且和及或在]|(?:其|年度|当年)(?=[\u4e00-\u9fff])")
_VERB_TAIL = re.compile(r"(?:超过|超|高于|大于|多于|达到|达|满|不少于|不低于|低于|少于|小于|不满|不足|在)\s*$")


def threshold(money: Money) -> Threshold:
    """A condition amount -> Threshold; the quantity is the noun right before its verb."""
    lead = _VERB_TAIL.sub("", money.lead).strip()
    cut = 0
    for m in _QUANTITY_CUT.finditer(lead):
        cut = m.end()
    quantity = lead[cut:].strip() or None
    if money.bound == "range":
        return Threshold(quantity, money.low, money.low_inclusive, money.high, money.high_inclusive)
    if money.bound == "max":
        return Threshold(quantity, None, True, money.high, money.high_inclusive)
    return Threshold(quantity, money.low, money.low_inclusive, None, True)


def rate_threshold(sentence: str, rate: Rate) -> Threshold:
    before = sentence[max(0, rate.start - 20):rate.start]
    inclusive = not re.search(r"(?:超过|超|高于|大于|低于|少于)\s*$", before)
    lead = re.sub(r"(?:超过|超|达到|达|高于|大于|低于|少于|占比|占)\s*$", "", before)
    cut = max((m.end() for m in _QUANTITY_CUT.finditer(lead)), default=0)
    quantity = lead[cut:].strip() or None
    after = sentence[rate.end:rate.end + 3]
    if after.startswith("以下") or re.search(r"(?:低于|少于)\s*$", before):
        return Threshold(quantity, None, True, rate.value, inclusive, "%")
    return Threshold(quantity, rate.value, inclusive, None, True, "%")


# ---- support named without a figure -------------------------------------------------------------
_VOUCHER_NAME = re.compile(r"(?P<word>[\u4e00-\u9fff]{2}券)(?![^《》]*》)")   # 算力券, 训力券: two characters
_TOOLS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("other", r"融资担保|担保服务|给予[^,;。]{1,8}等支持"),
    ("interest_subsidy", r"贴息|贷款利息"),
    ("risk_compensation", r"风险补偿"),
))
_FUND = re.compile(r"(?<!担保)基金(?![^《》]*》)")
_FUND_VERB = re.compile(r"设立|依托|发挥|协同|推动|加大|运营|用好|引导")
#: a fund of the market, or a fund only sought: not a government instrument
_NOT_GOVERNMENT_FUND = re.compile(r"撬动|社会资金|争取|有条件的(?:园区|地区|市|县|区)")
_GENERIC = re.compile(
    r"一事一议|一定(?:比例|额度|金额)?的?(?:[\u4e00-\u9fff]{0,4})(?:奖励|补贴|补助|资助|奖补|支持|扶持)|按比例|"
    r"适当(?:奖励|补贴|补助|资助)|(?:给予|予以|提供)[^,;。]{0,8}?(?:资金支持|奖励|补贴|补助|资助|扶持|奖补)|"
    r"资金予以扶持|方式提供支持|(?:以|通过)[^,;。]{0,10}(?:补贴|补助|资助)(?:、|等方式)")
#: asks lower governments or encourages others (banks, social capital) rather than offering
_ASKS_OTHERS = re.compile(r"^[^,;。]{0,6}(?:(?:鼓励|引导)[、]?(?:各地|各市|地市|有条件的|各区|园区)|"
                          r"(?:鼓励|支持|推动|引导)[^,;。]{0,10}(?:机构|银行|社会资本))")
#: a lead-in to tiers that follow (`具体如下:`), a stacking rule, a rule deferred to another text
_NOT_AN_OFFER = re.compile(r"如下\s*[::]?\s*$|就高|不重复|从优|另行出台|管理办法|实施细则|相关管理规定")


def unquantified_tools(sentence: str) -> list[tuple[str, str | None, int]]:
    """Support a sentence names without a figure, one entry per tool it names:
    (kind, the word naming it, where). `发放“模型券”“数据券”` names two vouchers; `通过贷款贴息、
    风险补偿等方式` two tools; `发挥…基金作用` a fund; `视情予以资金支持`, `给予一定奖励`,
    `一事一议`, `按比例给予` a grant. Empty when the sentence names no support."""
    out: list[tuple[str, str | None, int]] = []
    if _ASKS_OTHERS.search(sentence) or _NOT_AN_OFFER.search(sentence):
        return out
    seen: set[str] = set()
    for m in _VOUCHER_NAME.finditer(sentence):
        word = m["word"]
        if word[1] in "证债":   # 证券, 债券: securities, not vouchers
            continue
        if word not in seen:
            seen.add(word)
            out.append(("voucher", word, m.start()))
    for kind, pattern in _TOOLS:
        m = pattern.search(sentence)
        if m:
            out.append((kind, m.group(), m.start()))
    fund = _FUND.search(sentence)
    if fund and _FUND_VERB.search(sentence) and not _NOT_GOVERNMENT_FUND.search(sentence):
        out.append(("fund", "基金", fund.start()))
    generic = _GENERIC.search(sentence)
    if generic and (not out or re.search(r"^(?:以|通过)", generic.group())
                    and not any(k == "voucher" for k, _, _ in out)):
        out.append(("grant", None, generic.start()))
    return out


_IN_OFFER_GENERIC = re.compile(r"一事一议|一定(?:比例|额度|金额)?的?(?:[\u4e00-\u9fff]{0,4})(?:奖励|补贴|补助|资助|奖补|支持|扶持)")


def unquantified_beside_figures(sentence: str, figures: list[tuple[int, int]]) -> int | None:
    """`视评审结果予以一定资助,其中…单个项目最高资助60万元`: where a sentence that states
    figures also names support without one, in a comma segment holding no figure."""
    for m in _IN_OFFER_GENERIC.finditer(sentence):
        lo = max(sentence.rfind(c, 0, m.start()) for c in ",;。") + 1
        hi = min((i for i in (sentence.find(c, m.end()) for c in ",;。") if i >= 0), default=len(sentence))
        if not any(lo <= a < hi for a, _ in figures) and not _NOT_AN_OFFER.search(sentence[lo:hi]):
            return m.start()
    return None


_QUANTITY_BOUND = re.compile(
    r"(?P<q>[\u4e00-\u9fff]{2,12}?)(?P<v>满|达到|达|超过|不少于|不低于|不超过|少于|低于)?"
    r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?:个)?"
    r"(?P<u>年|个月|人|名|家|项|台|套|P|PFLOPS|PF|平方米|㎡)(?![\u4e00-\u9fff]*元)"
    r"(?P<b>\(含\)以上|及以上|以上|\(含\)以下|及以下|以下)?")
_QUANTITY_LEAD = re.compile(r"^(?:对|经|且|并|为|其|的|在|须|需|应)+")


def quantity_thresholds(sentence: str) -> list[tuple[int, Threshold]]:
    """Conditions on a counted quantity (`连续就业1年以上`, `新增算力规模400P以上`,
    `员工50人以下`), with where they stand: (position, Threshold)."""
    out = []
    for m in _QUANTITY_BOUND.finditer(sentence):
        if not (m["v"] or m["b"]):
            continue              # 培育10家: a count, not a condition
        n = m["n"]
        value = Decimal(n) if n[0].isdigit() else Decimal(int(cn2an.cn2an(n.replace("两", "二"), "normal")))
        quantity = _QUANTITY_LEAD.sub("", m["q"]) or None
        unit = {"PFLOPS": "P", "PF": "P", "㎡": "平方米", "名": "人"}.get(m["u"], m["u"])
        verb, bound = m["v"] or "", m["b"] or ""
        inclusive = verb not in ("超过", "少于", "低于")       # 以上/以下/满/不少于 include the number
        if "以下" in bound or verb in ("不超过", "少于", "低于"):
            out.append((m.start(), Threshold(quantity, None, True, value, inclusive, unit)))
        else:
            out.append((m.start(), Threshold(quantity, value, inclusive, None, True, unit)))
    return out


# ---- tiers by class ---------------------------------------------------------------------------
_TIER_VERB = re.compile(r"给予|予以|补助|补贴|资助|奖补|奖励|扶持|贴息|配套|兑现|发放|支持")
FIRM_CAP = re.compile(r"每家(?:企业|单位)|单个(?:企业|单位)|同一(?:企业|单位)")
_CLASS_BETWEEN = re.compile(r"^[、,]?\s*[\u4e00-\u9fff]{1,6}$")


def class_tier(sentence: str, prev: Instrument | None, money: Money | None, start: int) -> bool:
    """`给予硕士(…)2000元/月、博士(…)3000元/月`: the amounts differ only by a class word between."""
    if prev is None or money is None or prev.evidence is None:
        return False
    before = sentence[:start]
    last = before.rfind("元")
    if last < 0:
        return False
    between = re.sub(r"\([^()]*\)", "", before[last + 1:])
    between = re.sub(r"^/[月年人]", "", between)
    prev_class = re.sub(r"\([^()]*\)", "", before[:prev_start(before, last)])[-6:]
    kinds = {recipient(between.strip("、, "), ""), recipient(prev_class, "")}
    if len(kinds - {None}) > 1:
        return False              # 个人50~300万元、团队100~400万元: two recipients, two offers
    return bool(_CLASS_BETWEEN.match(between)) and not _TIER_VERB.search(between) and (
        money.period == prev.period or prev.period is None)


def prev_start(before: str, last_yuan: int) -> int:
    """Start of the amount that ends at `last_yuan` (its digits and magnitude words)."""
    i = last_yuan
    while i > 0 and (before[i - 1].isdigit() or before[i - 1] in "万亿千百十.~-—至,"):
        i -= 1
    return i


def merge_tier(inst: Instrument, money: Money) -> None:
    """Fold one more tier amount into `inst`: the highest tier is the cap, the lowest the floor
    where the amounts are fixed (a tier that is itself a cap, `最高A、B`, leaves no floor)."""
    inst.max_cny = max(x for x in (inst.max_cny, money.high) if x is not None)
    if inst.min_cny is not None and not money.cap:
        inst.min_cny = min(inst.min_cny, money.low)
    else:
        inst.min_cny = None
