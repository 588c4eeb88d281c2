"""Money, rates and ratios in Chinese policy sentences, as exact Decimals with their spans.

Subsidy clauses state figures in a few recurring shapes: amounts with a magnitude word
(`500万元` = 5,000,000, `20亿元` = 2,000,000,000, `三千万元`), ranges (`100~500万元`,
`200～600万元`, `100万元-500万元`), per-period amounts (`2000元/月`, `400万元/年`), caps
(`最高不超过`, `最高可达`, `最高`, `不超过`), floors (`不低于`), thresholds that are conditions
rather than offers (`年度交易额超过500万元`), rates (`20%`, `20%`, `1/3`, `三分之一`,
`百分之二十`) and their kind: a fee reduction (`降低50%`), an uplift (`上浮20%`), a matching
of a lower level's subsidy (`市级实际补助额度的1/3`) or a plain share of a base.

Everything is Decimal, never float. A fraction that does not terminate (1/3) is quantised to
`RATE_PLACES` (10) decimal places: Decimal("0.3333333333").

`normalise` maps full-width digits and punctuation to ASCII one character for one character,
so every span found in the normalised text is also a span of the text that was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

RATE_PLACES = 10
_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)

_FULL = "０１２３４５６７８９％～／．﹒，：∶︰；（）－＋"
_HALF = "0123456789%~/..,:::;()-+"
_TABLE = str.maketrans(_FULL, _HALF)


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII; same length, so spans carry over."""
    return text.translate(_TABLE)


MAGNITUDES = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12)}
_DIGITS = r"\d+(?:\.\d+)?"
# a Chinese numeral must start with a digit word (千万元 / 数千万元 are not amounts)
_CN = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
_NUM = rf"(?:{_DIGITS}|{_CN})"
_MAG = r"(?:万亿|亿|万)"
_RANGE_SIGN = r"\s*(?:~|-|—|–|至|到)\s*"
_MONEY = re.compile(
    rf"(?<![\d.])(?P<a>{_NUM})(?P<ma>{_MAG})?(?:元)?"
    rf"(?:{_RANGE_SIGN}(?P<b>{_NUM})(?P<mb>{_MAG})?)?元"
    r"(?:\s*(?:/|每)\s*(?P<per>月|年))?"
)
_PERIOD_SUFFIX = {"月": "monthly", "年": "yearly"}

_CAP = re.compile(r"最高|不超过|不高于|最多|上限|封顶")
_CAP_AFTER = re.compile(r"^(?:以内|封顶|为限)")
_FLOOR = re.compile(r"不低于|不少于")
_THRESHOLD_BEFORE = re.compile(r"(?<!不)(?:超过|超|达到|达|满|高于|大于|低于|少于)$")
_THRESHOLD_AFTER = re.compile(r"^(?:以上|以下|及以上)")
_CLAUSE_BREAK = re.compile(r"[,;。:!?]")


@dataclass(frozen=True)
class Money:
    """An amount or range in yuan; `low == high` for a single amount."""

    low: Decimal
    high: Decimal
    start: int
    end: int
    period: str | None = None    # from a `/月` `/年` suffix
    cap: bool = False            # a maximum: 最高…, 不超过…
    floor: bool = False          # a minimum: 不低于…
    condition: bool = False      # a threshold the recipient must pass, not an offer
    lead: str = ""               # text between the previous break (or amount) and this one

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def _integral(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


#: Digits beyond any amount a policy states (10^18 yuan); longer numbers are not amounts, and
#: would overflow Decimal's 28-digit context once scaled by 万/亿 (InvalidOperation).
MAX_DIGITS = 18


def parse_number(token: str) -> Decimal:
    """`500` `1.5` `三千` `两百万` -> Decimal; raises ValueError on anything else."""
    token = normalise(token).strip()
    if sum(ch.isdigit() for ch in token) > MAX_DIGITS:
        raise ValueError(f"not a plausible number (over {MAX_DIGITS} digits): {token[:40]!r}")
    if re.fullmatch(_DIGITS, token):
        return Decimal(token)
    if re.fullmatch(_CN, token):
        return Decimal(str(cn2an.cn2an(token, "normal")))
    raise ValueError(f"not a number: {token!r}")


def _scaled(token: str, magnitude: str | None) -> Decimal:
    return _integral(parse_number(token) * MAGNITUDES.get(magnitude or "", Decimal(1)))


def parse_amount(text: str) -> Decimal:
    """The single amount in `text` (`500万元`, `20亿元`, `三千万元`, `2000元`) in yuan."""
    found = find_money(text)
    if len(found) != 1 or found[0].is_range:
        raise ValueError(f"not exactly one amount: {text!r}")
    return found[0].low


def find_money(text: str) -> list[Money]:
    """Every amount or range in `text`, with cap / floor / threshold marks read from context."""
    norm = normalise(text)
    out: list[Money] = []
    prev_end = 0
    for m in _MONEY.finditer(norm):
        try:
            high = _scaled(m["b"] or m["a"], m["mb"] if m["b"] else m["ma"])
            low = _scaled(m["a"], m["ma"])
        except ValueError:
            continue
        if m["b"] and not m["ma"] and not re.search(r"[万亿]", m["a"]):
            # 100~500万元, 一百至五百万元: the low end borrows the high end's magnitude
            tail = m["mb"] or next((k for k in ("万亿", "亿", "万") if m["b"].endswith(k)), None)
            low = _integral(low * MAGNITUDES.get(tail or "", Decimal(1)))
        lead_start = prev_end
        for brk in _CLAUSE_BREAK.finditer(norm, prev_end, m.start()):
            lead_start = brk.end()
        lead = norm[lead_start:m.start()]
        after = norm[m.end():m.end() + 4]
        cap = bool(_CAP.search(lead)) or bool(_CAP_AFTER.match(after))
        floor = bool(_FLOOR.search(lead))
        if _THRESHOLD_AFTER.match(after) and "规模" in lead:
            floor = True  # 总规模200亿元以上: a fund's floor, not a threshold
        condition = not (cap or floor) and (
            bool(_THRESHOLD_BEFORE.search(lead)) or bool(_THRESHOLD_AFTER.match(after)))
        if out and lead.strip() in ("、", "和", "或", "及") and lead_start == prev_end:
            # 最高奖补100万元、50万元: an enumeration inherits the first amount's marks
            cap, floor, condition = out[-1].cap, out[-1].floor, out[-1].condition
        out.append(Money(low, high, m.start(), m.end(), _PERIOD_SUFFIX.get(m["per"] or ""),
                         cap, floor, condition, lead))
        prev_end = m.end()
    return out


# ---- rates -------------------------------------------------------------------------------

_CN_SMALL = r"[零〇一二两三四五六七八九十百]+"
_RATE = re.compile(
    rf"(?P<pct>{_DIGITS})\s*(?:%|个百分点)"
    rf"|(?<![\d/.])(?P<num>\d{{1,3}})\s*/\s*(?P<den>\d{{1,3}})(?![\d/])"
    rf"|百分之(?P<cpct>{_CN_SMALL}(?:点[零〇一二三四五六七八九]+)?)"
    rf"|(?P<cden>{_CN_SMALL})分之(?P<cnum>{_CN_SMALL})"
)
_REDUCTION = re.compile(r"(?:降低|下降|减少|下浮|减免|降)$")
_UPLIFT = re.compile(r"(?:上浮|提高|增加|上调)$")
_MATCHED = re.compile(r"(?:补助|补贴|奖补|奖励|资助)(?:额度|金额|资金|额)$")
_BASE_ON = re.compile(r"在(?P<base>[^,;。]{1,20}?)的?基础上$")
_BASE_ANCHOR = re.compile(r"按照|按|依照|不超过|不高于|给予|予以|根据|,|;|:|、")
_THRESHOLD_RATE = re.compile(r"(?<!不)(?:超过|超|达到|达|高于|大于|低于|占比|占)$")
_MODAL = re.compile(r"(?:可|将|再|均|的)+$")


@dataclass(frozen=True)
class Rate:
    """A fraction (20% -> 0.2) with its kind and the noun phrase it is a fraction of."""

    value: Decimal
    kind: str                    # share | matching | reduction | uplift
    base: str | None
    start: int
    end: int
    condition: bool = False      # 企业占比超过60%: a threshold, not an offer


def _fraction(num: Decimal, den: Decimal) -> Decimal:
    value = num / den
    exact = value.quantize(_QUANTUM)
    return _integral(value) if value == exact else exact


def parse_rate(text: str) -> Decimal:
    """`20%` `20%` `1/3` `三分之一` `百分之二十` -> fraction as Decimal (1/3 to 10 places)."""
    m = _RATE.search(normalise(text))
    if not m:
        raise ValueError(f"no rate in {text!r}")
    return _rate_value(m)


def _rate_value(m: re.Match[str]) -> Decimal:
    if m["pct"]:
        return _fraction(Decimal(m["pct"]), Decimal(100))
    if m["num"]:
        return _fraction(Decimal(m["num"]), Decimal(m["den"]))
    if m["cpct"]:
        whole, _, frac = m["cpct"].partition("点")
        value = parse_number(whole) if whole else Decimal(0)
        if frac:
            value += Decimal("0." + "".join(str(int(cn2an.cn2an(c, "normal"))) for c in frac))
        return _fraction(value, Decimal(100))
    return _fraction(parse_number(m["cnum"]), parse_number(m["cden"]))


def rate_base(before: str) -> str | None:
    """The noun phrase a rate applies to, read backwards from the rate (`按其建设成本的` -> 建设成本)."""
    before = normalise(before).rstrip()
    on = _BASE_ON.search(before)
    if on:
        return on["base"]
    before = _MODAL.sub("", before)
    cut = 0
    for m in _BASE_ANCHOR.finditer(before):
        cut = m.end()
    base = before[cut:].lstrip("其").strip()
    return base or None


def find_rates(text: str) -> list[Rate]:
    """Every rate in `text` with its kind, base and whether it is only a threshold."""
    norm = normalise(text)
    out: list[Rate] = []
    for m in _RATE.finditer(norm):
        try:
            value = _rate_value(m)
        except (ValueError, ArithmeticError):
            continue
        before = norm[:m.start()]
        segment_start = max((b.end() for b in re.finditer(r"[;。!?]", before)), default=0)
        before = before[segment_start:]
        after = norm[m.end():m.end() + 3]
        threshold = _THRESHOLD_RATE.search(before.rstrip())
        condition = bool(threshold) or after.startswith(("以上", "以下"))
        if threshold:
            before = before.rstrip()[:threshold.start()]
        kind = "share"
        if _REDUCTION.search(before):
            kind, before = "reduction", _REDUCTION.sub("", before)
        elif _UPLIFT.search(before):
            kind, before = "uplift", _UPLIFT.sub("", before)
        base = rate_base(before)
        if kind == "share" and base and _MATCHED.search(base):
            kind = "matching"
        out.append(Rate(value, kind, base, m.start(), m.end(), condition))
    return out


_RATIO = re.compile(r"(?P<a>\d{1,3})\s*:\s*(?P<b>\d{1,3})(?=\s*的?比例)")


def find_ratios(text: str) -> list[tuple[Decimal, Decimal, int, int]]:
    """Cost-sharing ratios such as `按照1∶1的比例`: (a, b, start, end)."""
    return [(Decimal(m["a"]), Decimal(m["b"]), m.start(), m.end())
            for m in _RATIO.finditer(normalise(text))]
