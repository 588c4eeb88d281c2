"""Funding instruments in one clause: what is offered, to whom, how much, how often, by whom.

One `Instrument` per distinct offer. An offer is a figure: an amount that is not a threshold
(`年营收超过800万元` is a condition, kept in `thresholds`), not a unit price (`每P每年450元`),
or a rate that is not a threshold (`占比超过70%`). A rate is only an offer in a sentence that
grants something (给予/补助/资助/奖补/…), so `预留新建算力的15%用于引进…` is not one, or when it cuts
a charge the recipient pays (`担保费率…下浮20%`: the cut is the support). A sentence that
sets a target (`到2027年…达到…`) and grants nothing holds no offer.

Within a sentence (。；), a rate pairs with the next amount that is not a pool or fund size
(`给予…租赁费用30%的补助,每家企业每年最高150万元` is one offer); every other amount and
every unpaired rate is an offer of its own (`个人50~300万元、团队100~800万元` are two).
Rates that state one offer together are one instrument: alternatives (`按40%或25%`,
`rate_options`) and year schedules (`第一年60%、第二年45%`, `rate_schedule`). A combined
ceiling (`叠加后…最高至70%`) is its own instrument of kind `combined_ceiling`, not a grant.
Support named without a figure (`一事一议`, `给予一定奖励`, `按比例给予`) is kept as an instrument
with `quantified=False`, so researchers see it.

A cap's scope is read from the words right before the amount (`单个项目…最高`, `每年每家企业最高`,
`个人`, `团队`, `每年安排`, `总规模`, `/人`), else from the recipient's head noun (`…的企业` ->
per recipient, `…项目` -> per project); an enumerated amount (`80万元、40万元`) shares the first's.
Categories are scored from the vocabulary in the ontology (loaders/categories.py); a fund size
always means `fund`. Kind, tiers, who pays and receives, periods: loaders/support.py.
All rules are keyed on the language of the genre, never on particular documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykg.loaders import categories, support
from policykg.loaders.departments import parse_unit_list, unit_blocks
from policykg.loaders.facts import Clause, ExtractionContext, Instrument
from policykg.loaders.money import Money, Rate, find_money, find_rates, normalise
from policykg.loaders.recipients import class_before, recipient, recipients_differ
from policykg.loaders.sentences import sentences

_GRANT = re.compile(r"给予|予以|补助|补贴|资助|奖补|奖励|扶持|支持|奖金|资金")

SCOPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (scope, re.compile(pat)) for scope, pat in (
        ("fund_size", r"总规模|基金规模|首期规模"),
        ("yearly_pool", r"每年(?:安排|发放|统筹)|资金总额|安排资金|年度资金"),
        ("per_team", r"团队"),
        ("per_person", r"个人|每人|每名|硕士|博士"),
        ("per_project", r"单个[\u4e00-\u9fff]{0,4}项目|每个项目|每项目|单项(?!冠军)"),
        ("per_recipient", r"每家|单个企业|单家|每个企业|单个主体|每个主体|每户|"
                          r"每个[\u4e00-\u9fff]{0,4}(?:单位|企业|主体|机构)|同一[\u4e00-\u9fff]{0,6}(?:机构|企业|单位|主体)"),
        ("per_item", r"每个标准|每项标准|每(?:个|项|件|款)(?!企业|主体|单位)"),
    )
)
_POOL = re.compile(r"总规模|基金规模|首期规模|每年(?:安排|发放|统筹)|资金总额|安排资金|年度资金")
_YEARLY = re.compile(r"每年(?!择优|评选|遴选|选择|征集|举办|开展|组织)")
_ONE_TIME = re.compile(r"一次性")
_MONTHLY = re.compile(r"每月")
_TO = re.compile(r"(?<![针面相绝应])对(?![接于应标])")
_TO_END = re.compile(r"给予|予以|按照|按其|按|以“|采取")
_CONDITION_START = re.compile(r"[,、且和及对的]")
_TWO_LEVELS = re.compile(r"(?P<a>[省市区县])、(?P<b>[省市区县])两级")
_ONE_LEVEL = re.compile(r"(?P<a>[省市区县])级(?=按|根据|给予|财政|对|统筹|安排|奖补|补助)")
_NEWLINE = re.compile("\n")
_ENDS = set("。;;!?！？:：\n")
#: a line that starts a new clause or a table row, so the break before it is real
_NUMBERED = re.compile(r"\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[.、﹒]|第[一二三四五六七八九十百]+条)")
_LINE_START = re.compile(r"\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[.、﹒]|第[一二三四五六七八九十百]+条|附件|\n|$)")
_WINDOW = 120   # characters around an offer that its readers look at
_LONG = 400     # a longer sentence is read in comma-cut pieces of about this size
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止|力争到?)\s*(?:19|20)\d{2}\s*年")
_GRANT_VERB = re.compile(r"给予|予以|补助|补贴|资助|奖补|奖励|扶持|贴息|配套|兑现|发放|支持")
STACKING = {"就高不重复": "highest_applies", "从优不重复": "most_favourable",
            "晋级补差": "upgrade_difference", "一事一议": "case_by_case"}


@dataclass
class _Offer:
    """One offer: an amount, a rate group (tiers, schedule), or a rate with the amount capping it."""

    money: Money | None
    rates: list[Rate]
    start: int = field(init=False)
    end: int = field(init=False)

    def __post_init__(self) -> None:
        parts = [x for x in (self.money, *self.rates) if x is not None]
        self.start = min((x.start for x in parts), default=0)
        self.end = max((x.end for x in parts), default=0)

    @property
    def rate(self) -> Rate | None:
        return self.rates[0] if self.rates else None


def classify(sentence: str, heading: str | None = None, lead: str | None = None) -> str:
    """Category of an offer, scored from the ontology's vocabulary (loaders/categories.py)."""
    return categories.classify(sentence, heading, lead)


def offers(sentence: str, found_money: list[Money] | None = None,
           found_rates: list[Rate] | None = None) -> list[_Offer]:
    """The offers in one sentence, pairing each rate group with the amount that caps it.

    One forward pass over the figures in order: a rate group takes the next amount if no other
    rate comes between them and the amount is no pool or fund size.
    """
    found_money = find_money(sentence) if found_money is None else found_money
    monies = [m for m in found_money if not m.condition and m.unit is None]
    found_rates = find_rates(sentence) if found_rates is None else found_rates
    granted = bool(_GRANT.search(sentence))
    rates = [r for r in found_rates if not r.condition and (granted or support.charge_cut(sentence, r))]
    groups = support.group_rates(sentence, rates)
    out: list[_Offer] = []
    taken: set[int] = set()
    mi = 0
    for gi, group in enumerate(groups):
        nxt_rate = groups[gi + 1][0].start if gi + 1 < len(groups) else len(sentence) + 1
        while mi < len(monies) and monies[mi].start < group[-1].end:
            mi += 1
        j = mi
        while j < len(monies) and monies[j].start < nxt_rate and _POOL.search(monies[j].lead):
            j += 1
        paired = None
        if j < len(monies) and monies[j].start < nxt_rate and j not in taken:
            paired = j
            taken.add(j)
        out.append(_Offer(monies[paired] if paired is not None else None, group))
    out += [_Offer(m, []) for i, m in enumerate(monies) if i not in taken]
    return sorted(out, key=lambda o: o.start)


def _scope(money: Money | None, recipient: str | None) -> str | None:
    """What a cap is counted per, only where the text says it: the words right before the
    amount (`单个项目`, `每家`, `每个模型`), a `/人` suffix, or a recipient who is a person or a
    team (an award to a person counts per person). `…的企业` alone says nothing: null.

    Only an amount has a scope; a bare rate (`降低50%`) caps nothing.
    """
    if money is None:
        return None
    for scope, pattern in SCOPE_RULES:
        if pattern.search(money.lead):
            return scope
    if money.per:
        return money.per
    return {"individual": "per_person", "team": "per_team"}.get(recipient or "")


def _period(offer: _Offer, context: str, segment: str = "") -> str | None:
    """How often: a `/月` `/年` suffix, else 每月 / 一次性 / 每年 / 累计 in the offer's own
    comma-delimited segment (`每年评选若干…,对入选者给予最高30万元` is not a yearly amount), with
    `每月` and `一次性` also read from the words leading to the offer."""
    if offer.money and offer.money.period:
        return offer.money.period
    if _MONTHLY.search(context) or _MONTHLY.search(segment):
        return "monthly"
    if _ONE_TIME.search(context) or _ONE_TIME.search(segment):
        return "one_time"
    if _YEARLY.search(segment or context):
        return "yearly"
    if support.cumulative(segment or context):
        return "cumulative"
    return None


def beneficiary(sentence: str, before: int) -> str | None:
    """The `对…` phrase naming who receives the offer: the last one before `before`, else the first.

    Only the `_WINDOW` characters before the offer are read, so a long sentence stays linear.
    """
    lo = max(0, before - _WINDOW)
    found: list[tuple[int, str]] = []
    for m in _TO.finditer(sentence, lo, min(len(sentence), before + _WINDOW)):
        rest = sentence[m.end():m.end() + 120]
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
            if m.start() >= before:
                break
    prior = [p for s, p in found if s < before]
    return prior[-1] if prior else (found[0][1] if found else None)


def _conditions(sentence: str, monies: list[Money]) -> list[str]:
    out = []
    for m in monies:
        if m.condition:
            lo = max(0, m.start - _WINDOW)
            starts = [c.end() for c in _CONDITION_START.finditer(sentence, lo, m.start)]
            out.append(sentence[max(starts, default=lo):m.end].strip())
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
    """Sentences of `text`, never running into a unit-list parenthetical (they are masked).

    A sentence longer than `_LONG` characters is cut at its commas into pieces of about that
    size: the readers below look at one piece, which keeps a pathological clause linear.
    """
    masked = list(text)
    line_start = 0
    for brk in _NEWLINE.finditer(text):   # a PDF line break inside a sentence does not end it
        i = brk.start()
        heading_line = bool(_NUMBERED.match(text, line_start))   # `14.构建…体系` ends at its break
        if (0 < i < len(masked) - 1 and masked[i - 1] not in _ENDS and not heading_line
                and not _LINE_START.match(text, i + 1)):
            masked[i] = " "
        line_start = i + 1
    for bs, be, _ in blocks:
        masked[bs:be] = "\n" * (be - bs)
    out: list[tuple[int, int]] = []
    for s, e in sentences("".join(masked)):
        while e - s > _LONG:
            cut = text.rfind(",", s + _LONG // 2, s + _LONG)
            cut = cut + 1 if cut > s else s + _LONG
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


def _departments(blocks: list[tuple[int, int, str]], at: int, ctx: ExtractionContext) -> list[str]:
    """Responsible and lead units of the first unit list after position `at` (else the last one)."""
    after = [b for b in blocks if b[0] >= at]
    block = after[0] if after else (blocks[-1] if blocks else None)
    if block is None:
        return []
    return [n for n, role in parse_unit_list(block[2], ctx.level_names) if role != "cooperating"]


def _lead_sentence(clause: Clause, spans: list[tuple[int, int]], text: str) -> str:
    """The clause's first sentence after its heading: what the clause is about."""
    for s, e in spans:
        sentence = text[s:e]
        if clause.heading and sentence.strip(" 0123456789.、()").startswith(clause.heading):
            continue
        return sentence[:_LONG]
    return ""


def _is_target(sentence: str) -> bool:
    """`到2028年,…核心产业规模突破600亿元`: a target sentence that grants nothing."""
    return bool(_TARGET_YEAR.search(sentence)) and not _GRANT_VERB.search(sentence)


def extract_instruments(clause: Clause, ctx: ExtractionContext) -> list[Instrument]:
    """Every funding instrument offered in `clause` (its own text, children excluded)."""
    text = normalise(clause.text)
    blocks = unit_blocks(text)
    stacking = [code for word, code in STACKING.items() if word in text]
    spans = _sentence_spans(text, blocks)
    lead = _lead_sentence(clause, spans, text)
    out: list[Instrument] = []
    for s, e in spans:
        sentence = text[s:e]
        if _is_target(sentence) or _is_heading(clause.heading, len(text.strip()), sentence):
            continue
        monies = find_money(sentence)
        all_rates = find_rates(sentence)
        found = offers(sentence, monies, all_rates)
        if not found:
            out += _unquantified(clause, ctx, sentence, s, e, lead, blocks, stacking)
            continue
        # (position, Threshold): a condition binds the offers that follow it in the sentence
        bounds = [(m.start, support.threshold(m)) for m in monies if m.condition]
        bounds += [(r.start, support.rate_threshold(sentence, r)) for r in all_rates if r.condition]
        bounds += support.quantity_thresholds(sentence)
        bounds.sort(key=lambda b: b[0])
        conditions = _conditions(sentence, monies)
        funders = funding_jurisdictions(sentence, ctx)
        level = support.funder_level(sentence)
        years = support.period_years(sentence)
        departments = _departments(blocks, e, ctx)
        prev_end = 0
        run = 0
        first_here = len(out)
        beside = support.unquantified_beside_figures(sentence, [(o.start, o.end) for o in found])
        if beside is not None:
            out += [i for i in _unquantified(clause, ctx, sentence, s, e, lead, blocks, stacking)
                    if i.kind == "grant"][:1]
        for offer in found:
            context = sentence[max(prev_end, offer.start - _WINDOW):offer.end]
            segment_start = max(sentence.rfind(c, 0, offer.start) for c in ",;。") + 1
            segment_end = min((i for i in (sentence.find(c, offer.end) for c in ",;。") if i >= 0),
                              default=len(sentence))
            segment = sentence[segment_start:offer.end + 6]
            own_segment = sentence[segment_start:segment_end]
            enumerated = len(out) > first_here and not sentence[prev_end:offer.start].strip("、和或及 ")
            prev_end = offer.end
            money, rate = offer.money, offer.rate
            prev_here = out[-1] if len(out) > first_here else None
            # a sentence that only caps (`；同一企业每年最高20万元。`) continues the previous one's award
            capped = prev_here if prev_here is not None else (out[-1] if out and _only_caps(sentence) else None)
            if (capped is not None and money is not None and rate is None and money.cap
                    and capped.cap_scope in ("per_person", "per_team") and support.FIRM_CAP.search(money.lead)):
                # 每人最高5万元,单家企业累计最高20万元: a cap per firm on the same award
                capped.conditions.append(sentence[money.start - len(money.lead):money.end].strip())
                continue
            tiered = enumerated or support.class_tier(sentence, prev_here, money, offer.start)
            if (tiered and money is not None and rate is None and out[-1].rate is None and out[-1].quantified
                    and not recipients_differ(beneficiary(sentence, offer.start))):
                support.merge_tier(out[-1], money)   # 分别给予8万元、4万元、2万元: tiers by class, one instrument
                continue
            run = run + 1 if enumerated else 0
            who = beneficiary(sentence, offer.start)
            to_whom = recipient(who, sentence[max(0, offer.start - _WINDOW):offer.start],
                                        sentence[offer.end:segment_end])
            if to_whom is None and money is not None and money.per == "per_person":
                to_whom = "individual"    # 200万元/人
            if len(found) > 1 and recipients_differ(who):
                # 团队、人才…分别给予A、B: the n-th amount to the n-th recipient
                parts = re.split(r"[、和及]", who or "")
                to_whom = recipient(parts[min(run, len(parts) - 1)], "") or to_whom
            # 给予个人A、团队B: the class word right before an amount is its recipient
            to_whom = class_before(sentence[max(0, offer.start - _WINDOW):offer.start]) or to_whom
            person = to_whom if not (who and "项目" in who) else None   # 获奖项目和团队: not per team
            scope = out[-1].cap_scope if enumerated and not recipients_differ(who) else _scope(money, person)
            period = out[-1].period if enumerated else _period(offer, context, own_segment)
            window = sentence[max(0, offer.start - _WINDOW):offer.end + _WINDOW]
            category = "fund" if scope == "fund_size" else classify(window, clause.heading, lead)
            kind = support.kind_of(window, segment, money, rate, scope)
            if kind == "voucher_pool" and period is None:
                period = "unstated"
            low = high = None
            if money is not None:
                high = None if money.floor else money.high
                low = None if money.cap and not money.is_range else money.low
            steps = support.schedule(sentence, offer.rates)
            tiers = [] if steps else support.options(sentence, offer.rates)
            # the rate is the highest tier (JSON contract); kind, base and 最高 are the first's
            value = max(r.value for r in offer.rates) if tiers else (rate.value if rate else None)
            out.append(Instrument(
                clause=clause.number, category=category, evidence=ctx.evidence(clause, s, e),
                label=clause.heading, rate=value,
                rate_kind=rate.kind if rate else None, rate_base=rate.base if rate else None,
                min_cny=low, max_cny=high, period=period, cap_scope=scope,
                beneficiary=who, conditions=list(conditions),
                departments=list(departments),
                funding_jurisdictions=list(funders),
                stacking_rules=list(stacking),
                kind=kind, rate_is_max=any(r.is_max for r in offer.rates),
                rate_options=tiers,
                rate_schedule=steps, thresholds=[t for at, t in bounds if at < offer.end],
                recipient=to_whom,
                funder_level=level, period_years=years, quantified=True,
            ))
    return out


def _only_caps(sentence: str) -> bool:
    """A sentence with no grant verb and no `对…` recipient: it can only bound an earlier offer."""
    return not _GRANT_VERB.search(sentence) and not _TO.search(sentence)


def _is_heading(heading: str | None, clause_length: int, sentence: str) -> bool:
    """The clause's heading line (`一、发放“智算券”。`) names the measure; its sentences offer it.
    A clause that is nothing but its heading (`(四)重点项目可一事一议。`) is read as a sentence."""
    if not heading or clause_length <= len(sentence.strip()) + 2:
        return False
    return sentence.strip(" 0123456789.、()一二三四五六七八九十。;").rstrip("。;") == normalise(heading).strip()


def _unquantified(clause: Clause, ctx: ExtractionContext, sentence: str, s: int, e: int, lead: str,
                  blocks: list[tuple[int, int, str]], stacking: list[str]) -> list[Instrument]:
    """Support named without a figure (`一事一议`, `给予一定奖励`, `发放“训力券”`, `发挥…基金作用`),
    one instrument per tool the sentence names, flagged quantified=False."""
    tools = support.unquantified_tools(sentence)
    out = []
    for kind, word, at in tools:
        who = beneficiary(sentence, at)
        category = "fund" if kind == "fund" else classify(word or sentence, clause.heading if word is None else None,
                                                          lead if word is None else None)
        if word is not None and category == "other":
            category = classify(sentence, clause.heading, lead)
        out.append(Instrument(
            clause=clause.number, category=category,
            evidence=ctx.evidence(clause, s, e), label=clause.heading, beneficiary=who,
            departments=_departments(blocks, e, ctx), funding_jurisdictions=funding_jurisdictions(sentence, ctx),
            stacking_rules=list(stacking), kind=kind, recipient=recipient(who, sentence),
            funder_level=support.funder_level(sentence), period=_period(_Offer(None, []), sentence),
            quantified=False,
        ))
    return out


def dedupe(instruments: list[Instrument]) -> list[Instrument]:
    """A fund or a voucher pool stated twice in one document (body and summary) is one instrument."""
    seen: set[tuple] = set()
    out = []
    for inst in instruments:
        if inst.kind in ("fund", "voucher_pool") or inst.cap_scope == "fund_size":
            key = (inst.kind, inst.category, inst.min_cny, inst.max_cny, inst.rate)
            if key in seen:
                continue
            seen.add(key)
        out.append(inst)
    return out
