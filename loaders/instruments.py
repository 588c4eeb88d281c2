"""Funding instruments in one clause: what is offered, to whom, how much, how often, by whom.

One `Instrument` per distinct offer. An offer is a figure: an amount that is not a threshold
(`年度交易额超过500万元` is a condition) or a rate that is not a threshold (`占比超过60%`).
Support stated without any figure (`给予一定补助`, `予以扶持`, `优先支持`, a title, a green
channel) is *not* an instrument: there is nothing to compare across jurisdictions, and the
clause stays searchable as text. A rate is only an offer in a sentence that grants something
(给予/补助/资助/奖补/…), so `预留算力的10%用于招引…` is not one.

Within a sentence (。；), a rate pairs with the next amount that is not a pool or fund size
(`给予…费用20%的补助,每年每家企业最高不超过200万元` is one offer); every other amount and
every unpaired rate is an offer of its own (`个人100~500万元、团队200~600万元` are two).
A yearly pool stated beside a per-recipient cap (`每年安排300万元,…单个企业每年补助最高不超过
50万元`) gives two instruments: the pool (`yearly_pool`) and the per-recipient offer.

A cap's scope is read from the words right before the amount (`单个项目…最高`, `每年每家企业最高`,
`个人`, `团队`, `每年安排`, `总规模`), else from the recipient's head noun (`…的企业` -> per
recipient, `…项目` -> per project); an enumerated amount (`100万元、50万元`) shares the first's.

Categories come from ordered keyword rules (`CATEGORY_RULES`), first over the offer's sentence
without its purpose phrase (`用于…` says what the money may be spent on, not what is funded),
then over the clause heading; the first rule that matches wins, so the order runs from the
most specific kind of support to the most general. A fund size always means `fund`.
All rules are keyed on the language of the genre, never on particular documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.loaders.departments import parse_unit_list, unit_blocks
from policykg.loaders.facts import Clause, ExtractionContext, Instrument
from policykg.loaders.money import Money, Rate, find_money, find_rates, normalise
from policykg.loaders.sentences import sentences

#: (category, pattern), most specific first. Compute before finance (贷款贴息 for a compute
#: build-out is compute), dataset before data_trading and platform (数据流通交易平台提供数据集),
#: filing before R&D (通过备案的大模型), scenarios before finance (场景 in 金融…等领域),
#: competition before talent and fund (大赛奖金, 人才奖励, 基金资金), finance before fund
#: (鼓励基金、金融机构…担保), fund before platform (市县国资平台 in a fund clause).
CATEGORY_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (cat, re.compile(pat)) for cat, pat in (
        ("compute_voucher", r"算力券|智算券|算力使用|算力费用|算力.{0,2}支出|算力成本|算力补贴|算力租赁|"
                            r"算力服务|智算服务|(?:租用|使用|购买|采购).{0,8}算力"),
        ("compute_infrastructure", r"智算中心|算力项目|算力建设|算力规模|算力基础设施|算力设施"),
        ("dataset", r"数据集|语料|数据供给|数据要素供给|数据空间|数据采集|数据标注"),
        ("data_trading", r"数据交易|数据流通|购买数据"),
        ("model_filing", r"备案"),
        ("model_rnd", r"大模型研发|技术攻关|科技攻关|揭榜挂帅|前瞻技术|研发"),
        ("application_scenario", r"场景"),
        ("standard", r"标准"),
        ("competition", r"大赛|竞赛"),
        ("talent", r"人才|津贴|安家"),
        ("finance_guarantee", r"担保|金融|贷|贴息|保险|风险补偿"),
        ("fund", r"基金"),
        ("platform", r"平台"),
    )
)
_PURPOSE = re.compile(r"用于[^,;。]*")
_GRANT = re.compile(r"给予|予以|补助|补贴|资助|奖补|奖励|扶持|支持|奖金|资金")

SCOPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (scope, re.compile(pat)) for scope, pat in (
        ("fund_size", r"总规模|基金规模"),
        ("yearly_pool", r"每年(?:安排|发放|统筹)|资金总额|安排资金|年度资金"),
        ("per_team", r"团队"),
        ("per_person", r"个人|每人|每名|硕士|博士"),
        ("per_project", r"单个项目|每个项目|每项目|单项"),
        ("per_item", r"每个标准|每项标准|每(?:个|项|件|款)(?!企业|主体|单位)"),
        ("per_recipient", r"每家|单个企业|单家|每个企业|单个主体|每个主体|每户"),
    )
)
_POOL = re.compile(r"总规模|基金规模|每年(?:安排|发放|统筹)|资金总额|安排资金|年度资金")
_RECIPIENT_HEAD = re.compile(r"(?:企业|主体|单位|使用方|机构|供应商|团队)$")
_PROJECT_HEAD = re.compile(r"(?<!和|或|及)项目$")
_YEARLY = re.compile(r"每年(?!择优|评选|遴选|选择|征集|举办|开展|组织)")
_ONE_TIME = re.compile(r"一次性")
_MONTHLY = re.compile(r"每月")
_TO = re.compile(r"(?<![针面相绝应])对(?![接于应标])")
_TO_END = re.compile(r"给予|予以|按照|按其|按|以“|采取")
_CONDITION_START = re.compile(r"[,、且和及对的]")
_TWO_LEVELS = re.compile(r"(?P<a>[省市区县])、(?P<b>[省市区县])两级")
_ONE_LEVEL = re.compile(r"(?P<a>[省市区县])级(?=按|根据|给予|财政|对|统筹|安排|奖补|补助)")
STACKING = {"就高不重复": "highest_applies", "从优不重复": "most_favourable",
            "晋级补差": "upgrade_difference", "一事一议": "case_by_case"}


@dataclass
class _Offer:
    """One offer: an amount, a rate, or a rate with the amount that caps it."""

    money: Money | None
    rate: Rate | None

    @property
    def start(self) -> int:
        return min(x.start for x in (self.money, self.rate) if x is not None)

    @property
    def end(self) -> int:
        return max(x.end for x in (self.money, self.rate) if x is not None)


def classify(sentence: str, heading: str | None = None) -> str:
    """Category of an offer from its sentence, falling back on the clause heading."""
    for text in (_PURPOSE.sub("", sentence), heading or ""):
        for category, pattern in CATEGORY_RULES:
            if pattern.search(text):
                return category
    return "other"


def offers(sentence: str) -> list[_Offer]:
    """The offers in one sentence, pairing each rate with the amount that caps it."""
    monies = [m for m in find_money(sentence) if not m.condition]
    rates = [r for r in find_rates(sentence) if not r.condition] if _GRANT.search(sentence) else []
    taken: set[int] = set()
    out: list[_Offer] = []
    for rate in rates:
        nxt = next((i for i, m in enumerate(monies) if m.start >= rate.end and i not in taken
                    and not _POOL.search(m.lead)
                    and not any(rate.end <= r.start < m.start for r in rates)), None)
        if nxt is not None:
            taken.add(nxt)
        out.append(_Offer(monies[nxt] if nxt is not None else None, rate))
    out += [_Offer(m, None) for i, m in enumerate(monies) if i not in taken]
    return sorted(out, key=lambda o: o.start)


def _scope(money: Money | None, beneficiary: str | None) -> str | None:
    """What a cap is counted per: the words right before the amount, else the recipient's noun.

    Only an amount has a scope; a bare rate (`降低50%`) caps nothing.
    """
    if money is None:
        return None
    for scope, pattern in SCOPE_RULES:
        if pattern.search(money.lead):
            return scope
    if beneficiary and _PROJECT_HEAD.search(beneficiary):
        return "per_project"
    if beneficiary and _RECIPIENT_HEAD.search(beneficiary):
        return "per_recipient"
    return None


def _period(offer: _Offer, context: str) -> str | None:
    if offer.money and offer.money.period:
        return offer.money.period
    if _MONTHLY.search(context):
        return "monthly"
    if _ONE_TIME.search(context):
        return "one_time"
    if _YEARLY.search(context):
        return "yearly"
    return None


def beneficiary(sentence: str, before: int) -> str | None:
    """The `对…` phrase naming who receives the offer: the last one before `before`, else the first."""
    found: list[tuple[int, str]] = []
    for m in _TO.finditer(sentence):
        rest = sentence[m.end():]
        stop = _TO_END.search(rest)
        phrase = rest[:stop.start()] if stop else rest
        parts = re.split(r"[,;。]", phrase)
        keep = []
        for part in parts:   # extend over commas until the phrase has its head noun (…的X)
            keep.append(part)
            if "的" in part:
                break
        else:
            keep = parts[:1]
        phrase = ",".join(keep).strip(" ,").removesuffix("的")
        if 2 <= len(phrase) <= 80:
            found.append((m.start(), phrase))
    prior = [p for s, p in found if s < before]
    return prior[-1] if prior else (found[0][1] if found else None)


def _conditions(sentence: str) -> list[str]:
    out = []
    for m in find_money(sentence):
        if m.condition:
            starts = [c.end() for c in _CONDITION_START.finditer(sentence, 0, m.start)]
            out.append(sentence[max(starts, default=0):m.end].strip())
    return out


def funding_jurisdictions(text: str, ctx: ExtractionContext) -> list[str]:
    """Who pays: `市、区两级` -> city and district; `省级按照…` -> province."""
    chars: list[str] = []
    for m in _TWO_LEVELS.finditer(text):
        chars += [m["a"], m["b"]]
    if not chars:
        chars = [m["a"] for m in _ONE_LEVEL.finditer(text)][:1]
    out: list[str] = []
    for c in chars:
        name = ctx.level_names.get(c)
        if name is None and c in "区县":   # a zone or district named only in the context
            known = set(ctx.level_names.values())
            name = next((j for j in reversed(ctx.jurisdictions) if j not in known), None)
        if name and name not in out:
            out.append(name)
    return out


def _sentence_spans(text: str, blocks: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Sentences of `text`, never running into a unit-list parenthetical (they are masked)."""
    masked = list(text)
    for bs, be, _ in blocks:
        masked[bs:be] = "\n" * (be - bs)
    return sentences("".join(masked))


def _departments(blocks: list[tuple[int, int, str]], at: int, ctx: ExtractionContext) -> list[str]:
    """Responsible and lead units of the first unit list after position `at` (else the last one)."""
    home = ctx.jurisdictions[0] if ctx.jurisdictions else None
    after = [b for b in blocks if b[0] >= at]
    block = after[0] if after else (blocks[-1] if blocks else None)
    if block is None:
        return []
    return [n for n, role in parse_unit_list(block[2], ctx.level_names, home) if role != "cooperating"]


def extract_instruments(clause: Clause, ctx: ExtractionContext) -> list[Instrument]:
    """Every funding instrument offered in `clause` (its own text, children excluded)."""
    text = normalise(clause.text)
    blocks = unit_blocks(text)
    stacking = [code for word, code in STACKING.items() if word in text]
    out: list[Instrument] = []
    for s, e in _sentence_spans(text, blocks):
        sentence = text[s:e]
        found = offers(sentence)
        prev_end = 0
        for offer in found:
            context = sentence[prev_end:offer.end]
            enumerated = bool(out and prev_end) and not sentence[prev_end:offer.start].strip("、和或及 ")
            prev_end = offer.end
            money, rate = offer.money, offer.rate
            who = beneficiary(sentence, offer.start)
            scope = out[-1].cap_scope if enumerated else _scope(money, who)
            period = out[-1].period if enumerated else _period(offer, context)
            category = "fund" if scope == "fund_size" else classify(sentence, clause.heading)
            low = high = None
            if money is not None:
                high = None if money.floor else money.high
                low = None if money.cap and not money.is_range else money.low
            out.append(Instrument(
                clause=clause.number, category=category, evidence=ctx.evidence(clause, s, e),
                label=clause.heading, rate=rate.value if rate else None,
                rate_kind=rate.kind if rate else None, rate_base=rate.base if rate else None,
                min_cny=low, max_cny=high, period=period, cap_scope=scope,
                beneficiary=who, conditions=_conditions(sentence),
                departments=_departments(blocks, e, ctx),
                funding_jurisdictions=funding_jurisdictions(sentence, ctx),
                stacking_rules=list(stacking),
            ))
    return out
