"""Money, rates, ratios and thresholds in Chinese policy sentences, as exact Decimals with spans.

The shapes of a figure are a grammar kept as data, `figures.lark`: amounts with a magnitude
word (`500万元`, `1,000万元`, `2千万元`, `伍佰万元`, `壹仟萬元`), ranges (`100~500万元`,
`20万—100万元`), inclusive/exclusive bounds (`20万元(含)至50万元(不含)`), rates (`20%`,
`5个百分点`, `1/3`, `三分之一`, `百分之二十`) and ratios (`1:1`, `1∶1`). Its composed terminal
FIGURE is compiled once into a regular expression that finds every figure in one pass (linear
in the clause); each figure's text is parsed by the grammar's LALR rules into its value.

What a figure *means* is read from the few characters around it, never from the whole clause:
a cap (`最高`, `不超过`), a fund floor (`规模不低于`), a threshold the recipient must pass
(`超过`, `以上`, `不少于`, `(含)`), a period or unit after it (`/月`, `/年`, `/人`), a unit price
(`每P每年600元`, `600元/P`), and for rates their kind (reduction `降低`, uplift `上浮`/`提高至`,
matching `补助额度的1/2` or `到账资金的15%`) and base (`按其设备购置费的15%` -> 设备购置费).

Everything is Decimal, never float; arithmetic runs in a wide local context, and a figure of
more than `MAX_DIGITS` digits (a 30-digit "amount") is no figure at all: a clean result, never
decimal.InvalidOperation. A fraction that
does not terminate (1/3) is quantised to `RATE_PLACES` (10) places.

`normalise` maps full-width digits and punctuation to ASCII one character for one character,
so every span found in the normalised text is also a span of the text that was given.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path

import cn2an
from lark import Lark, Transformer, v_args
from lark.exceptions import LarkError

RATE_PLACES = 10
_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)
_PRECISION = 80               # digits of the local Decimal context: no scaling ever overflows
#: Digits beyond any amount a policy states (10^18 yuan): a longer digit string is no figure
#: (a serial number, a hash, garbage), so it never reaches a Decimal, a graph or a store.
MAX_DIGITS = 18

_FULL = "０１２３４５６７８９％～／．﹒，：∶︰；（）－＋"
_HALF = "0123456789%~/..,:::;()-+"
_TABLE = str.maketrans(_FULL, _HALF)


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII; same length, so spans carry over."""
    return text.translate(_TABLE)


MAGNITUDES = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12)}
_MAG_CHAR = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
             "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_TRAD = str.maketrans({"萬": "万", "億": "亿"})


# ---- the grammar ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Qty:
    value: Decimal
    magnitude: Decimal | None     # the trailing magnitude word's value, if any (万 -> 10000)


@v_args(inline=True)
class _Values(Transformer):
    """Parse tree of one figure -> ("money", low, high, low_incl, high_incl, low_has_unit) …"""

    def arabic(self, digits, mag=None):
        number = Decimal(str(digits).replace(",", ""))
        if mag is None:
            return _Qty(number, None)
        factor = Decimal(1)
        for ch in str(mag):
            factor *= _MAG_CHAR[ch]
        return _Qty(number * factor, factor)

    def chinese(self, token):
        text = str(token).translate(_TRAD)
        value = Decimal(str(cn2an.cn2an(text, "normal")))
        tail = next((Decimal(v) for k, v in (("万亿", 10**12), ("亿", 10**8), ("万", 10**4))
                     if text.endswith(k)), None)
        return _Qty(value, tail)

    def bound(self, token):
        return token.type == "BOUND_IN"

    def single(self, qty, _yuan, bound=None):
        return ("money", qty.value, qty.value, bound, bound)

    def range(self, *parts):
        qtys = [p for p in parts if isinstance(p, _Qty)]
        low, high = qtys[0], qtys[1]
        sign = next(i for i, p in enumerate(parts) if getattr(p, "type", None) == "RANGE_SIGN")
        low_part, high_part = parts[:sign], parts[sign + 1:]
        low_unit = any(getattr(p, "type", None) == "YUAN" for p in low_part)
        low_incl = next((p for p in low_part if isinstance(p, bool)), None)
        high_incl = next((p for p in high_part if isinstance(p, bool)), None)
        value = low.value
        if not low_unit and low.magnitude is None and high.magnitude is not None:
            value *= high.magnitude                   # 100~500万元: the low end borrows 万
        return ("money", value, high.value, low_incl, high_incl)

    def quantity_range(self, low, _sign, high):
        return ("quantity", low.value, high.value)

    def percent(self, digits, _pct):
        return ("rate", Decimal(str(digits).replace(",", "")) / 100, False)

    def points(self, digits, _pts):
        return ("rate", Decimal(str(digits)) / 100, True)

    def cn_percent(self, _b, whole, _dian=None, frac=None):
        value = Decimal(str(cn2an.cn2an(str(whole), "normal")))
        if frac is not None:
            value += Decimal("0." + "".join(str(int(cn2an.cn2an(c, "normal"))) for c in str(frac)))
        return ("rate", value / 100, False)

    def cn_fraction(self, den, _f, num):
        return ("rate", Decimal(str(cn2an.cn2an(str(num), "normal"))) /
                Decimal(str(cn2an.cn2an(str(den), "normal"))), False)

    def fraction(self, num, _s, den):
        return ("rate", Decimal(str(num)) / Decimal(str(den)), False)

    def ratio(self, a, _c, b):
        return ("ratio", Decimal(str(a)), Decimal(str(b)))

    def start(self, value):
        return value if isinstance(value, tuple) else ("quantity", value.value, value.value)


GRAMMAR_PATH = Path(__file__).with_name("figures.lark")
_PARSER = Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr", start=["start", "scan"],
               transformer=_Values())
#: one regular expression for every figure, composed by the grammar from its terminals
FIGURE = re.compile(_PARSER.get_terminal("FIGURE").pattern.to_regexp())


@lru_cache(maxsize=4096)
def parse_figure(text: str) -> tuple | None:
    """The value of one figure's text by the grammar, or None if it is not one.

    ("money", low, high, low_inclusive, high_inclusive) · ("rate", fraction, points) ·
    ("ratio", a, b) · ("quantity", low, high). Inclusive flags are None when the text is silent.
    """
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        return None
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        try:
            value = _PARSER.parse(normalise(text), start="start")
        except (LarkError, ValueError, ArithmeticError, KeyError):
            return None
        if value[0] == "money":
            return (value[0], _integral(value[1]), _integral(value[2]), value[3], value[4])
        if value[0] == "rate":
            return ("rate", _exact(value[1]), value[2])
        return value


def _integral(value: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _exact(value: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        exact = value.quantize(_QUANTUM)
        return _integral(value) if value == exact else exact


def parse_number(token: str) -> Decimal:
    """`500` `1,000` `1.5` `三千` `两百万` `伍佰` -> Decimal; raises ValueError on anything else."""
    token = normalise(token).strip()
    if sum(ch.isdigit() for ch in token) > MAX_DIGITS:
        raise ValueError(f"not a plausible number (over {MAX_DIGITS} digits): {token[:40]!r}")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        try:
            qty = _PARSER.parse(token, start="start")
        except (LarkError, ValueError, ArithmeticError, KeyError) as err:
            raise ValueError(f"not a number: {token!r}") from err
    if qty[0] != "quantity" or qty[1] != qty[2]:
        raise ValueError(f"not a number: {token!r}")
    return _integral(qty[1])


# ---- context words -------------------------------------------------------------------------
# Words before or after a figure that say what it is. Each table is a list of phrases, read
# from the genre; the scanning stays linear because the context is at most a clause segment.

_CAP = re.compile(r"最高|不超过|不高于|最多|上限|封顶|原则上不超过")
_CAP_AFTER = re.compile(r"^(?:以内|封顶|为限)")
_FLOOR = re.compile(r"不低于|不少于")
#: threshold words before a figure -> the figure is a lower (min) or upper (max) bound, inclusive?
_THRESHOLD_BEFORE = (
    (re.compile(r"(?<!不)(?:超过|超|高于|大于|多于|突破)$"), "min", False),
    (re.compile(r"(?:达到|达|满|不少于|不低于|在)$"), "min", True),
    (re.compile(r"(?:低于|少于|小于|不满|不足)$"), "max", False),
)
_THRESHOLD_AFTER = (
    (re.compile(r"^(?:以上|及以上|\(含\)以上|或以上)"), "min", True),
    (re.compile(r"^(?:以下|及以下|\(含\)以下)"), "max", True),
)
_CLAUSE_BREAK = re.compile(r"[,;。:!?]")
_PER_AFTER = re.compile(r"^\s*(?:/|每)\s*(?P<per>月|年|人|名|户|家|个|项|次|[A-Za-z]+|卡时|卡|台|平方米|㎡|张|小时|度)")
_PERIODS = {"月": "monthly", "年": "yearly"}
_PER_SCOPES = {"人": "per_person", "名": "per_person", "户": "per_recipient", "家": "per_recipient",
               "个": "per_item", "项": "per_item", "次": "per_item"}
#: 每P每年600元, 每卡时2元: a price per unit of a good, not a grant
_UNIT_BEFORE = re.compile(r"每(?P<unit>[A-Za-z]+|卡时|卡|台|张|小时|度|平方米|㎡)(?:每(?:年|月))?(?:\s*(?:给予|补贴|补助|奖励|按|计))*\s*$")


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
    low_inclusive: bool = True   # for a condition: does the bound include the figure itself
    high_inclusive: bool = True
    bound: str | None = None     # for a condition: "min", "max" or "range"
    unit: str | None = None      # a unit price: 每P每年600元 -> "P"
    per: str | None = None       # a scope from the suffix: 200万元/人 -> "per_person"

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def parse_amount(text: str) -> Decimal:
    """The single amount in `text` (`500万元`, `20亿元`, `三千万元`, `2000元`) in yuan."""
    found = find_money(text)
    if len(found) != 1 or found[0].is_range:
        raise ValueError(f"not exactly one amount: {text!r}")
    return found[0].low


def _figures(norm: str):
    """(match, value) for every figure of the normalised text, in order."""
    for m in FIGURE.finditer(norm):
        value = parse_figure(m.group())
        if value is not None:
            yield m, value


def find_money(text: str) -> list[Money]:
    """Every amount or range in `text`, with cap / floor / threshold marks read from context."""
    norm = normalise(text)
    out: list[Money] = []
    prev_end = 0
    for m, value in _figures(norm):
        if value[0] != "money":
            prev_end = m.end()
            continue
        _, low, high, low_incl, high_incl = value
        lead_start = prev_end
        for brk in _CLAUSE_BREAK.finditer(norm, prev_end, m.start()):
            lead_start = brk.end()
        lead = norm[lead_start:m.start()]
        after = norm[m.end():m.end() + 12]
        per_m = _PER_AFTER.match(after)
        per = per_m["per"] if per_m else None
        period = _PERIODS.get(per or "")
        scope = _PER_SCOPES.get(per or "")
        unit = per if per and not period and not scope else None
        unit_before = _UNIT_BEFORE.search(lead)
        if unit_before:
            unit = unit_before["unit"]
        tail = after[per_m.end():] if per_m else after
        cap = bool(_CAP.search(lead)) or bool(_CAP_AFTER.match(tail))
        floor = bool(_FLOOR.search(lead)) and "规模" in lead   # 首期规模不低于30亿元: a fund floor
        bound: str | None = "range" if (low_incl is not None or high_incl is not None) and low != high else None
        lo_in, hi_in = (low_incl is not False), (high_incl is not False)
        if low_incl is not None and low == high:
            bound = "min" if low_incl or "以上" in tail[:4] else "max"
            lo_in = hi_in = bool(low_incl)
        if bound is None and not cap and not floor:
            stripped = lead.rstrip()
            for pattern, side, inclusive in _THRESHOLD_BEFORE:
                if pattern.search(stripped):
                    bound, lo_in, hi_in = side, inclusive, inclusive
                    break
            for pattern, side, inclusive in _THRESHOLD_AFTER:
                if pattern.match(tail):
                    bound, lo_in, hi_in = side, inclusive, inclusive
                    break
            if bound == "min" and "规模" in lead and "以上" in tail[:3]:
                bound, floor = None, True     # 总规模50亿元以上: a fund's floor, not a threshold
        condition = bound is not None
        if out and lead.strip() in ("、", "和", "或", "及") and lead_start == prev_end:
            # 最高奖励80万元、30万元: an enumeration inherits the first amount's marks
            prev = out[-1]
            cap, floor, condition, bound = prev.cap, prev.floor, prev.condition, prev.bound
        out.append(Money(low, high, m.start(), m.end(), period, cap, floor, condition, lead,
                         lo_in, hi_in, bound, unit, scope))
        prev_end = m.end()
    return out


# ---- rates -------------------------------------------------------------------------------

_REDUCTION = re.compile(r"(?:降低|下降|减少|下浮|下调|减免|降)$")
_UPLIFT = re.compile(r"(?:上浮|提高|增加|上调|提高至|提高到|提升至|提升到|增加至|增加到)$")
_MATCHED = re.compile(r"(?:补助|补贴|奖补|奖励|资助|支持)(?:额度|金额|资金|额)$|到账资金$|到位资金$|拨付资金$|国拨经费$")
_BASE_ON = re.compile(r"在(?P<base>[^,;。]{1,20}?)的?基础上$")
_BASE_ANCHOR = re.compile(r"按照|按|依照|不超过|不高于|给予|予以|根据|,|;|:|、")
_THRESHOLD_RATE = re.compile(r"(?<!不)(?:超过|超|达到|达|高于|大于|低于|占比|占)$")
_MODAL = re.compile(r"(?:可|将|再|均|的|最高|最多|原则上|不超过|至|到|达到|可达)+$")
_RATE_CAP = re.compile(r"(?:最高|不超过|不高于|原则上不超过|最多|上限)(?:[^,;。]{0,12}?)$")
_SEGMENT_END = re.compile(r"[;。!?]")


@dataclass(frozen=True)
class Rate:
    """A fraction (20% -> 0.2) with its kind and the noun phrase it is a fraction of."""

    value: Decimal
    kind: str                    # share | matching | reduction | uplift
    base: str | None
    start: int
    end: int
    condition: bool = False      # 企业占比超过60%: a threshold, not an offer
    is_max: bool = False         # 最高 / 不超过 / 原则上不超过 before the rate
    points: bool = False         # 个百分点: percentage points, not a share
    ratio: bool = False          # 1:1 (a matching ratio), value = b/a


def parse_rate(text: str) -> Decimal:
    """`20%` `20%` `1/3` `三分之一` `百分之二十` -> fraction as Decimal (1/3 to 10 places)."""
    for _, value in _figures(normalise(text)):
        if value[0] == "rate":
            return value[1]
    raise ValueError(f"no rate in {text!r}")


def rate_base(before: str) -> str | None:
    """The noun phrase a rate applies to, read backwards from the rate (`按其设备购置费的` -> 设备购置费)."""
    before = normalise(before).rstrip()
    on = _BASE_ON.search(before)
    if on:
        return on["base"]
    before = _MODAL.sub("", before)
    cut = 0
    for m in _BASE_ANCHOR.finditer(before):
        cut = m.end()
    base = before[cut:].lstrip("其").strip().removesuffix("的").removeprefix("叠加后")
    return base or None


_BEFORE_WINDOW = 60   # a rate's base and kind are read from at most this many characters back


def find_rates(text: str) -> list[Rate]:
    """Every rate in `text` with its kind, base and whether it is only a threshold.

    A ratio such as `1:1` (`按1:1配套`, `按照1∶1的比例`) is a rate too: b/a of the base, kind
    matching. Linear: each rate looks back only to the previous segment end, at most
    `_BEFORE_WINDOW` characters.
    """
    norm = normalise(text)
    ends = [m.end() for m in _SEGMENT_END.finditer(norm)]
    out: list[Rate] = []
    for m, value in _figures(norm):
        if value[0] not in ("rate", "ratio"):
            continue
        seg = ends[bisect_right(ends, m.start()) - 1] if ends and ends[0] <= m.start() else 0
        before = norm[max(seg, m.start() - _BEFORE_WINDOW):m.start()]
        after = norm[m.end():m.end() + 6]
        if value[0] == "ratio":
            # a matching of other funding (`按国拨经费1:1配套`), not a split of who pays
            # (`由市、区财政按照1:1的比例兑现`)
            if "配套" not in norm[m.end():m.end() + 12] and "配套" not in before[-12:]:
                continue
            a, b = value[1], value[2]
            if a == 0:
                continue
            base = rate_base(re.sub(r"(?:给予|予以)\s*$", "", before)) or None
            out.append(Rate(_exact(b / a), "matching", base, m.start(), m.end(),
                            False, bool(_RATE_CAP.search(before)), False, True))
            continue
        rate_value, points = value[1], value[2]
        threshold = _THRESHOLD_RATE.search(before.rstrip())
        condition = bool(threshold) or after.startswith(("以上", "以下", "(含)以上"))
        if threshold:
            before = before.rstrip()[:threshold.start()]
        is_max = bool(_RATE_CAP.search(before))
        kind = "share"
        if _REDUCTION.search(before):
            kind, before = "reduction", _REDUCTION.sub("", before)
        elif _UPLIFT.search(before):
            kind, before = "uplift", _UPLIFT.sub("", before)
        base = rate_base(before)
        if kind == "share" and base and _MATCHED.search(base):
            kind = "matching"
        out.append(Rate(rate_value, kind, base, m.start(), m.end(), condition, is_max, points))
    return out


#: A ratio is a split of who pays when `比例` follows it (`按照1∶1的比例`), or when `按` leads to it
#: and a verb of sharing follows (`按2:1分担`, `按1∶1配套`); a bare `9:30` or `3:1` is none.
RATIO_BEFORE = ("按照", "依照", "按")
RATIO_AFTER = ("分担", "配套", "承担", "负担", "出资", "匹配", "兑现")
_RATIO_BEFORE = re.compile("(?:" + "|".join(RATIO_BEFORE) + r")\s*$")
_RATIO_PROPORTION = re.compile(r"^\s*的?比例(?!尺)")        # 1:500的比例尺 is a map scale
_RATIO_AFTER = re.compile(r"^\s*的?(?:" + "|".join(RATIO_AFTER) + ")")


def find_ratios(text: str) -> list[tuple[Decimal, Decimal, int, int]]:
    """Cost-sharing ratios (`按照1∶1的比例`, `按2:1分担`, `按1∶1配套`): (a, b, start, end)."""
    norm = normalise(text)
    out = []
    for m, value in _figures(norm):
        if value[0] != "ratio":
            continue
        after = norm[m.end():m.end() + 6]
        if _RATIO_PROPORTION.match(after) or (
                _RATIO_AFTER.match(after) and _RATIO_BEFORE.search(norm[max(0, m.start() - 4):m.start()])):
            out.append((value[1], value[2], m.start(), m.end()))
    return out
