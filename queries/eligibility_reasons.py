"""Why an item was or was not counted: one code per outcome, its sentence in en and zh.

The codes are the machine-readable `status` of every item of the eligibility answer
(docs/eligibility.md lists them); `reason` and `reason_zh` are these templates filled in.
"""

from __future__ import annotations

REASONS: dict[str, tuple[str, str]] = {
    "counted": ("counted: {how}", "计入:{how}"),
    "expired": ("not counted: the policy expired on {until}", "不计入:政策已于{until}失效"),
    "not_yet": ("not counted: the policy is in force only from {since}", "不计入:政策自{since}起施行"),
    "unquantified": ("listed, not counted: the text names the support without a figure{what}",
                     "列出但不计入:原文未给出具体金额或比例{what}"),
    "pool": ("listed, not counted: {amount} yuan is the programme's total ({scope}), not an amount per firm",
             "列出但不计入:{amount}元为资金总额({scope}),并非单个主体可得金额"),
    "reduction": ("listed, not counted: a {rate} reduction of a fee ({base}); its value depends on the fee, not on the spend",
                  "列出但不计入:费率降低{rate}({base}),金额取决于费用而非支出"),
    "uplift": ("listed, not counted: an uplift for a sub-group ({what}); the calculator does not decide who belongs to it",
               "列出但不计入:对特定对象的上浮({what}),计算器无法判断企业是否属于该对象"),
    "matching": ("counted: {rate} of {matched} yuan paid by {levels}", "计入:按{levels}实付{matched}元的{rate}配套"),
    "matching_none": ("listed, not counted: matches another level's payment ({base}), and no such payment was found",
                      "列出但不计入:按其他层级实付资金配套({base}),未找到该笔资金"),
    "ceiling": ("applied as a ceiling on the category: {what}", "作为本类合计上限适用:{what}"),
    "no_spend": ("listed, not counted: no spend was stated for this category (use --spend {category}=YUAN)",
                 "列出但不计入:未给出该类支出(请使用 --spend {category}=金额)"),
    "no_figure": ("listed, not counted: neither a rate nor an amount is stated", "列出但不计入:未给出比例或金额"),
    "recipient": ("not counted: for {recipient}, the firm is {kind}", "不计入:支持对象为{recipient},企业类型为{kind}"),
    "group": ("not counted: only for {group} ({text})", "不计入:仅限{group}({text})"),
    "undecided": ("not counted: depends on {what}; state {field} in the profile",
                  "不计入:取决于{what};请在企业画像中填写 {field}"),
    "threshold": ("not counted: {what} is {value}, outside {bound}", "不计入:{what}为{value},不满足{bound}"),
    "years": ("not counted: support lasts {years} year(s), the profile asks for year {year}",
              "不计入:支持期为{years}年,画像为第{year}年"),
    "replaced": ("not counted: replaced by the combined {levels} level of {by} (加码 states the total of both levels)",
                 "不计入:被{by}的{levels}合计标准取代(加码所述为两级合计)"),
    "overlap": ("not counted: {rule} keeps only the best of overlapping support, here {by} ({amount} yuan)",
                "不计入:按{rule}只取最高一项,即{by}({amount}元)"),
    "capped_total": ("counted in part: the combined ceiling {ceiling} limits the category total",
                     "部分计入:本类合计受叠加上限{ceiling}限制"),
}

RULE_NAMES = {"highest_applies": ("就高不重复", "highest applies, no double funding"),
              "most_favourable": ("从优不重复", "most favourable applies, no double funding"),
              "upgrade_difference": ("晋级补差", "moving up a tier pays the difference"),
              "case_by_case": ("一事一议", "case by case"),
              "no_double_funding": ("不得重复享受", "no double funding"),
              "eligibility_exclusion": ("未获同类支持方可申报", "excluded if already funded"),
              "one_claim": ("只支持一次", "one claim only")}


def reason(code: str, **fields: object) -> tuple[str, str]:
    """(en, zh) for an outcome code, its fields filled in."""
    en, zh = REASONS[code]
    return en.format(**fields), zh.format(**fields)
