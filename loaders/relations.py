"""Relations between documents, read from the sentences that state them.

A run of cited titles (`《A》（文号）、《B》等`) takes its type from the words leading into it
(back to the previous comma) or closing it, and each title keeps the 文号 written after it:

* 为(深入/进一步)贯彻(落实)《X》, 落实《X》 -> supports X; 根据/依据/按照/结合《X》 -> based_on X;
* 同时废止《A》、《B》 / 《A》…不再执行 (also by 文号 alone) -> supersedes each;
* 《X》 anywhere else -> cites X (own title and 以下简称 aliases skipped);
* 衔接《X》 -> aligns_with X; in a paragraph that speaks of 配套 (成对配套), also supports X;
* 按照(另行出台的)《X》执行, X a 办法/细则 -> implemented_by X; 制定(具体)实施细则 -> implemented_by
  "<own title>实施细则", a not-yet-issued document;
* …原有关文件(规定) / 此前出台的政策 与本文件不一致的,以本文件为准 (按本文件执行) -> prevails_over
  that group of documents,
  scope conflicting_provisions (precedence this_prevails); 有新规定的,按新规定执行 -> later_prevails;
  《X》同时废止 -> supersedes X;
* programmes that are not documents, topped up (加码) by the document: 按国拨经费给予1:1配套,
  对国家资金支持的…项目给予…, 在国家智能券基础上再给予… -> tops_up, target_kind programme;
* stacking rules in their written variants (就高、不重复; 不得重复享受; 未获得其他…支持; 同一合同只支持一次).

Document-to-document 配套 across documents of one file is decided in `supports_in_file`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from policykg.loaders.facts import Clause, Document, Evidence, ExtractionContext, Relation
from policykg.loaders.sentences import sentence_at, sentences
from policykg.loaders.split import norm_title

_SEP = r"[、，,\s“”\"'‘’]*"
#: stacking and non-cumulation rules as written, most specific first (a span is read once)
STACKING_PATTERNS = (
    ("most_favourable", re.compile(rf"从优{_SEP}(?:就高{_SEP})?不(?:重复|叠加)")),
    ("highest_applies", re.compile(rf"(?:就高|从高){_SEP}不(?:重复|叠加)")),
    ("upgrade_difference", re.compile("晋级补差")),
    ("case_by_case", re.compile("一事一议")),
    ("no_double_funding", re.compile(r"不得(?:重复|多头)(?:享受|申报|申请|支持|获得)|不(?:再)?重复(?:给予)?(?:资金)?(?:支持|享受|奖励|补贴)")),
    ("eligibility_exclusion", re.compile(r"未(?:曾)?(?:获得|享受|申请)(?:过)?[^。；;]{0,16}(?:同类|其他|相关)[^。；;]{0,16}(?:资金|支持|补助|补贴|奖励)")),
    ("one_claim", re.compile(r"同一(?:合同|项目|事项|级别|单位|企业|主体|人)[^。；;，,]{0,12}(?:只|仅)(?:能|可)?(?:申报|申请|享受|给予)?(?:配套)?(?:支持|奖励|补贴)?一次"
                             r"|(?:每人|每家企业|每个企业|每个项目)(?:仅|只)(?:能|可)?(?:申请|申报|享受)一次")),
)
STACKING = {name: name for name, _ in STACKING_PATTERNS}
_CITED = re.compile(r"《([^《》]{3,80})》")
_ALIAS = re.compile(r"(?:以下|下)简称[“\"《]([^”\"》]{2,20})[”\"》]")
_ALIGN = re.compile(r"衔接《([^《》]{3,80})》")
_IMPLEMENTED = re.compile(r"按照?(?:另行|后续)?(?:出台|制定|印发)?的?《([^《》]{3,80}(?:办法|细则|规定|指南)(?:[(（]试行[)）])?)》(?:执行|实施|办理)")
_RULES = re.compile(r"制定(?:具体)?(?:实施细则|操作细则|实施办法)|(?:具体)?实施细则由.{2,40}?制定")
#: What a text calls a policy document, its own (本措施) or earlier ones (此前出台的政策, 原有关文件规定)
DOCUMENT_WORDS = ("文件", "政策", "规定", "措施", "办法", "方案", "意见", "细则", "通知", "条款")
_DOC = "(?:" + "|".join(DOCUMENT_WORDS) + ")"
#: `<earlier documents> 与本<doc> 不一致的, 以本<doc>为准 / 按本<doc>执行`: this document prevails over
#: the group named before 与本 (any noun phrase ending in a document word)
_PREVAILS = re.compile(
    rf"([^,，;；。]{{0,20}}?{_DOC}(?:规定)?)与本{_DOC}[^,，;；。]{{0,6}}不一致的?[,，]?"
    rf"(?:以本{_DOC}为准|按照?本{_DOC}(?:规定)?执行)"
)
_LATER = re.compile(
    r"有新规定的?[,，]?(?:按|从|以)新规定(?:执行|为准)"
    r"|(?:上级|国家|省|市)?(?:政策|规定)(?:有|如有)?(?:调整|变化)的?[,，]?(?:按|以|从)(?:照)?(?:上级|新|最新|调整后)的?(?:政策|规定)(?:执行|为准)"
    r"|(?:如遇|遇有)[^。；;]{0,20}(?:政策|规定)(?:调整|变化)[^。；;]{0,4}[,，]?[^。；;]{0,4}(?:按|以|从)(?:照)?[^。；;]{0,12}(?:最新|新的?)(?:政策|规定)"
)
_SUPERSEDE_CUE = re.compile(r"(?:同时)?废止|不再执行|停止执行|同时失效")
_SUPPORT_CUE = re.compile(r"(?:贯彻落实|贯彻|落实|实施)[^，,。；;]{0,8}$")
_BASED_CUE = re.compile(r"(?:根据|依据|依照|按照|结合)[^，,。；;]{0,8}$")
_RUN = re.compile(r"《([^《》]{3,80})》(?:\s*[(（]\s*([^()（）]{2,30}?号)\s*[)）])?")
_RUN_GAP = re.compile(r"^[、，,和及与以\s]*$")
_ONLY_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*[号號])")
_LEVELS = r"(?:中央|国家|国拨|省|市|区)级?(?:[、和及与](?:中央|国家|省|市|区)级?)*"
_PROGRAMME = _LEVELS + r"[^，,。；;、“”]{0,14}?(?:券|资金|经费|补贴|补助)"
_TOPS_UP = (
    re.compile(rf"按照?(?P<p>{_PROGRAMME}|国拨经费)(?:的?\d+(?:\.\d+)?%|给予\d+[:：]\d+)[^。；;]{{0,8}}配套"),
    re.compile(rf"按照?(?P<p>{_LEVELS}[^，,。；;、“”]{{0,10}}?(?:到账|拨付|下达|支持)[^，,。；;、“”]{{0,6}}?(?:资金|经费|补助))的?\d+(?:\.\d+)?%给予"),
    re.compile(rf"对(?:获得)?(?P<p>{_PROGRAMME})(?:立项)?支持的[^。；;]{{0,30}}?给予"),
    re.compile(rf"在(?P<p>{_PROGRAMME})(?:的)?基础上[^。；;]{{0,10}}(?:再|额外|叠加|加码)"),
)


def aliases(text: str) -> set[str]:
    return {norm_title(a) for a in _ALIAS.findall(text)}


def _clauses(doc: Document) -> Iterator[Clause]:
    for root in doc.clauses:
        yield from root.walk()


def _sentence_evidence(ctx: ExtractionContext, clause: Clause, start: int, end: int) -> Evidence:
    s, e = sentence_at(clause.text, start, end)
    return ctx.evidence(clause, s, e)


def document_relations(doc: Document, ctx: ExtractionContext, skip: set[str]) -> list[Relation]:
    """Relations stated in `doc`'s own text; `skip` holds normalised titles never to cite."""
    own = norm_title(doc.title)
    found: dict[tuple[str, str], Relation] = {}

    def add(kind: str, target: str, ev: Evidence, scope: str | None = None, number: str | None = None,
            target_kind: str = "document", generic: bool = False) -> None:
        key = (kind, norm_title(target))
        if generic and any(k[1] == key[1] for k in found):
            return  # a specific rule (衔接, 按照…办法执行) already said how the target is related
        if key[1] and key[1] != own and key not in found:
            found[key] = Relation(kind, target, ev, scope, number, target_kind)

    for clause in _clauses(doc):
        text = clause.text
        if clause.number.startswith("通知"):
            continue  # a covering notice names the document itself
        for m in _ALIGN.finditer(text):
            ev = _sentence_evidence(ctx, clause, m.start(), m.end())
            add("aligns_with", m.group(1), ev)
            if "配套" in _paragraph(text, m.start()):
                add("supports", m.group(1), ev)
        for m in _IMPLEMENTED.finditer(text):
            add("implemented_by", m.group(1), _sentence_evidence(ctx, clause, m.start(), m.end()))
        for m in _RULES.finditer(text):
            add("implemented_by", f"{doc.title}实施细则", _sentence_evidence(ctx, clause, m.start(), m.end()))
        for m in _PREVAILS.finditer(text):
            group = m.group(1).strip()
            if group.endswith("规定") and group[:-2].endswith(DOCUMENT_WORDS):
                group = group[:-2]      # 原有关文件规定: the documents, not their provisions
            add("prevails_over", group, _sentence_evidence(ctx, clause, m.start(), m.end()), "conflicting_provisions")
        for pattern in _TOPS_UP:
            for m in pattern.finditer(text):
                add("tops_up", m.group("p"), _sentence_evidence(ctx, clause, m.start(), m.end()),
                    target_kind="programme")
        for s, e in sentences(text):
            _sentence_relations(text, s, e, clause, ctx, skip, add)
    return list(found.values())


def _runs(sentence: str) -> list[list[re.Match[str]]]:
    """Cited titles in a sentence, grouped into runs joined only by 、/和/及 (《A》、《B》等)."""
    runs: list[list[re.Match[str]]] = []
    for m in _RUN.finditer(sentence):
        if runs and _RUN_GAP.match(sentence[runs[-1][-1].end():m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _sentence_relations(text: str, s: int, e: int, clause: Clause, ctx: ExtractionContext, skip: set[str],
                        add) -> None:
    sentence = text[s:e]
    ev = ctx.evidence(clause, s, e)
    superseding = _SUPERSEDE_CUE.search(sentence)
    for run in _runs(sentence):
        lead = re.split(r"[，,。；;：:]", sentence[:run[0].start()])[-1]
        tail = re.split(r"[，,。；;]", sentence[run[-1].end():])[0]
        if superseding and (_SUPERSEDE_CUE.search(lead) or _SUPERSEDE_CUE.search(tail)):
            kind, scope = "supersedes", "whole_document"
        elif _SUPPORT_CUE.search(lead):
            kind, scope = "supports", None
        elif _BASED_CUE.search(lead):
            kind, scope = "based_on", None
        else:
            kind, scope = "cites", None
        for m in run:
            title, number = m.group(1), m.group(2)
            if kind == "cites" and (norm_title(title) in skip or len(norm_title(title)) < 6):
                continue
            add(kind, title, ev, scope, _doc_number(number), generic=kind != "supersedes")
    if superseding:
        titled = {m.start(2) for m in _RUN.finditer(sentence) if m.group(2)}
        for m in _ONLY_NUMBER.finditer(sentence):
            if m.start() not in titled and not any(r.start() <= m.start() < r.end() for r in _RUN.finditer(sentence)):
                number = _doc_number(m.group(1))
                add("supersedes", number, ev, "whole_document", number)


def _doc_number(raw: str | None) -> str | None:
    if not raw:
        return None
    from policykg.loaders.document_facts import normalise_doc_number

    return normalise_doc_number(raw)


def _paragraph(text: str, at: int) -> str:
    s = text.rfind("\n", 0, at) + 1
    e = text.find("\n", at)
    return text[s:e if e >= 0 else len(text)]


def stacking_rules(doc: Document, ctx: ExtractionContext) -> list[tuple[str, Evidence]]:
    out: list[tuple[str, Evidence]] = []
    for clause in _clauses(doc):
        taken: list[tuple[int, int]] = []
        for name, pattern in STACKING_PATTERNS:
            for m in pattern.finditer(clause.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append(m.span())
                out.append((name, _sentence_evidence(ctx, clause, m.start(), m.end())))
    return out


def precedence(doc: Document, ctx: ExtractionContext) -> list[tuple[str, Evidence]]:
    out: list[tuple[str, Evidence]] = []
    for clause in _clauses(doc):
        for m in _PREVAILS.finditer(clause.text):
            out.append(("this_prevails", _sentence_evidence(ctx, clause, m.start(), m.end())))
        for m in _LATER.finditer(clause.text):
            out.append(("later_prevails", _sentence_evidence(ctx, clause, m.start(), m.end())))
    return out


_ANNOUNCES_POLICY = re.compile(r"出台[^。;；]{0,40}?(?:专项|配套)?政策|制定[^。;；]{0,20}?配套政策")
_MEASURES_TYPES = ("measures", "policy_opinions")


def supports_in_file(docs: list[Document], contexts: dict[str, ExtractionContext]) -> None:
    """A 若干政策/若干措施 document supports an action plan of the same jurisdiction in the same
    file when the plan announces that policies will be issued (出台…专项政策) — the plan asks
    for them, the measures answer. The plan's announcing sentence is the evidence."""
    plans = [d for d in docs if d.loaded and d.doc_type == "action_plan"]
    for measures in (d for d in docs if d.loaded and d.doc_type in _MEASURES_TYPES):
        for plan in plans:
            if not set(plan.jurisdictions) & set(measures.jurisdictions):
                continue
            ev = _announcement(plan, contexts[plan.title])
            if ev and not any(r.type == "supports" and norm_title(r.target) == norm_title(plan.title)
                              for r in measures.relations):
                measures.relations.append(Relation("supports", plan.title, ev))


def _announcement(plan: Document, ctx: ExtractionContext) -> Evidence | None:
    for clause in _clauses(plan):
        for s, e in sentences(clause.text):
            if _ANNOUNCES_POLICY.search(clause.text[s:e]):
                return replace(ctx.evidence(clause, s, e), document=plan.title)
    return None
