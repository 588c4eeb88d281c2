"""Who receives an offer (facts.RECIPIENTS), read from the nouns of its sentence.

The phrases tried, in order: the `对…` phrase (the beneficiary); `给予X…` before the offer, then
in the offer's own segment after it (`按市级补助额的30%给予所在市奖补`: the city receives;
`…万元经费支持某服务中心建设`: the centre); the
noun before `给予`; the topic that a `，给予…` / `，对其…` continues (`…的孵化载体，给予每家…`);
else whom the sentence helps. A phrase's head is what follows its last `的`. A head that lists
kinds that differ without naming firms (`高校、科研机构`) is an `organisation`, the class
that covers them; one that names firms among other kinds (`企业和单位`, `企业、高校院所等使用方`)
names no single kind (None: a firm qualifies, docs/eligibility.md step 5, and so do the others);
one that lists a project with a kind of recipient (`获奖项目和团队`) is undecidable and names
none; a project alone names none.
"""

from __future__ import annotations

import re

#: (kind, head-noun ending) in order; `None` marks a project, which names no recipient
RECIPIENT_WORDS: tuple[tuple[str | None, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("team", r"团队$"),
    ("individual", r"(?:个人|人才|英才|博士|硕士|学士|研究生|本科生|毕业生|创业者|专家|人员|学生|每人|单人|青年)$"),
    ("enterprise", r"(?:企业|公司|厂商)$"),
    ("institution", r"(?:高校|院所|科研院所|科研机构|研究院|研究所|大学|学院)$"),
    ("organisation", r"(?:主体|单位|机构|协会|联盟|社会组织|中心|平台|园区|产业园|基地|社区|载体|孵化器|"
                     r"[^单]方|市|县|区|实验室|医院|众创空间|加速器)$"),
    (None, r"项目$"),
))
_GIVE_TO = re.compile(r"(?:给予|奖励|补贴|支持|领取)(?P<who>每人|单人|(?:每个|每家|单个|单家)?[\u4e00-\u9fff]{1,8}?)"
                      r"(?=一次性|最高|每年|每月|\d|按|[零一二两三四五六七八九十]|参与|补助|奖补|补贴|奖励|资助|综合)")
_TAIL = re.compile(r"(?:分别|均|可|等|的|各|)+$")
#: `获得一等奖的团队分别给予…`: the noun right before the verb when no `对…` names the recipient
_BEFORE_GIVE = re.compile(r"的(?P<who>[\u4e00-\u9fff]{1,6}?)(?:分别|均|可|再)*(?:给予|予以)[^给予]*$")
#: `…的孵化载体，给予每家…` / `…的企业，对其…`: the segment a grant verb after a comma continues
_TOPIC = re.compile(r"(?:^|[,;。])(?P<who>[^,;。]{2,80}?),(?:一次性|分别|均|可|再|择优)*(?:给予|予以|对其)")
#: `…经费支持某某服务中心(…)建设`: after the amount, what it pays for is who receives it
_SUPPORTS = re.compile(r"^[^,;。]{0,6}?支持(?P<who>[^,;。()]{2,30}?)(?:\([^()]*\))?(?:建设|运营|发展)")
#: last resort: whom the sentence helps (`降低企业成本`, `支持企业研发`, `鼓励高校、企业…`)
_HELPED_KIND = r"(?:高校院所|科研院所|企事业单位|企业|主体|单位|机构|团队|人才|高校|院所)"
_HELPED = re.compile(rf"(?:支持|降低|助力|帮助|对|为|鼓励)(?:符合条件的|各地|各类)?"
                     rf"(?P<who>(?:{_HELPED_KIND}[、和及与])*{_HELPED_KIND})")
#: `给予个人50万元、团队200万元`: the class word just before an amount, after 给予 or a separator
_JUST_BEFORE = re.compile(r"(?:给予|予以|[、,和及])(?P<who>[\u4e00-\u9fff]{1,6})$")
_MODIFIERS = re.compile(r"(?:一次性|最高|不超过|每年|分别|均|可)+$")
_UNDECIDED = "undecided"


def head_kind(phrase: str) -> str | None:
    """The kind named by a phrase's head noun: a RECIPIENTS code, `None` (no kind, or a project),
    or `_UNDECIDED` (a project listed with a kind of recipient)."""
    head = re.sub(r"\([^()]*\)|[)）\]」”\"]+$", "", phrase.strip())
    head = _TAIL.sub("", head)
    head = head[head.rfind("的") + 1:]
    kinds: set[str | None] = set()
    for part in re.split(r"[、和及或与]", head):
        part = _TAIL.sub("", part)
        kind = next((k or "project" for k, pattern in RECIPIENT_WORDS if pattern.search(part)), None)
        if kind is not None:
            kinds.add(kind)
    if "project" in kinds:
        return _UNDECIDED if len(kinds) > 1 else None
    if len(kinds) > 1:   # 企业、高校院所等: open to firms among others, so no one kind (a firm qualifies)
        return None if "enterprise" in kinds else "organisation"
    return next(iter(kinds), None)


def recipient(beneficiary: str | None, sentence: str, after: str = "") -> str | None:
    """Who receives (facts.RECIPIENTS); `sentence` is the text before the offer (or the whole
    sentence), `after` the offer's own segment after it. See the module docstring."""
    before_give = _BEFORE_GIVE.search(sentence)
    topics = list(_TOPIC.finditer(sentence))
    helped = _HELPED.search(sentence)
    supports = _SUPPORTS.search(after)
    phrases = (beneficiary or "", *(m["who"] for m in _GIVE_TO.finditer(sentence)),
               *(m["who"] for m in _GIVE_TO.finditer(after)), supports["who"] if supports else "",
               before_give["who"] if before_give else "", topics[-1]["who"] if topics else "",
               helped["who"] if helped else "")
    for phrase in phrases:
        kind = head_kind(phrase)
        if kind == _UNDECIDED:
            return None
        if kind is not None:
            return kind
    return None


def class_before(text: str) -> str | None:
    """`…给予个人50万元、团队200万元`: the kind named right before an amount (`text` ends where
    the amount starts), which outranks the sentence's `对…` phrase for that amount."""
    m = _JUST_BEFORE.search(_MODIFIERS.sub("", text[-16:]))
    kind = head_kind(m["who"]) if m else None
    return None if kind == _UNDECIDED else kind


def recipients_differ(phrase: str | None) -> bool:
    """`顶尖团队、青年拔尖人才…分别给予最高500万元、100万元`: an offer per kind of recipient."""
    if not phrase:
        return False
    kinds = {head_kind(part) for part in re.split(r"[、和及]", phrase)}
    return len(kinds - {None, _UNDECIDED}) > 1
