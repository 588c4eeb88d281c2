"""Relations between documents, read from the sentences that state them.

* 《X》 anywhere -> cites X (own title and 以下简称 aliases skipped);
* 衔接《X》 -> aligns_with X; in a paragraph that speaks of 配套 (成对配套), also supports X;
* 按照(另行出台的)《X》执行, X a 办法/细则 -> implemented_by X; 制定(具体)实施细则 -> implemented_by
  "<own title>实施细则", a not-yet-issued document;
* …原有关文件(规定)与本文件不一致的,以本文件为准 -> prevails_over that group of documents,
  scope conflicting_provisions (precedence this_prevails); 有新规定的,按新规定执行 -> later_prevails;
  《X》同时废止 -> supersedes X;
* stacking rules by their fixed four-character names.

Document-to-document 配套 across documents of one file is decided in `supports_in_file`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from policykg.loaders.facts import Clause, Document, Evidence, ExtractionContext, Relation
from policykg.loaders.sentences import sentence_at, sentences
from policykg.loaders.split import norm_title

STACKING = {
    "就高不重复": "highest_applies", "从高不重复": "highest_applies",
    "从优不重复": "most_favourable", "晋级补差": "upgrade_difference", "一事一议": "case_by_case",
}
_STACKING_RE = re.compile("|".join(STACKING))
_CITED = re.compile(r"《([^《》]{3,80})》")
_ALIAS = re.compile(r"(?:以下|下)简称[“\"《]([^”\"》]{2,20})[”\"》]")
_ALIGN = re.compile(r"衔接《([^《》]{3,80})》")
_IMPLEMENTED = re.compile(r"按照?(?:另行|后续)?(?:出台|制定|印发)?的?《([^《》]{3,80}(?:办法|细则|规定|指南)(?:[(（]试行[)）])?)》(?:执行|实施|办理)")
_RULES = re.compile(r"制定(?:具体)?(?:实施细则|操作细则|实施办法)|(?:具体)?实施细则由.{2,40}?制定")
_PREVAILS = re.compile(
    r"([^,，;；。]{0,20}?原?有关(?:文件|政策|规定)(?:规定)?)与本(?:文件|政策|措施|办法|方案|意见|规定)[^,，;；。]{0,6}不一致的?[,，]?以本(?:文件|政策|措施|办法|方案|意见|规定)为准"
)
_LATER = re.compile(r"有新规定的?[,，]?(?:按|从|以)新规定(?:执行|为准)")
_SUPERSEDES = re.compile(r"《([^《》]{3,80})》(?:[^。;；]{0,20})?同时(?:废止|停止执行)")


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

    def add(kind: str, target: str, ev: Evidence, scope: str | None = None) -> None:
        key = (kind, norm_title(target))
        if key[1] and key[1] != own and key not in found:
            found[key] = Relation(kind, target, ev, scope)

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
            group = re.sub(r"规定$", "", m.group(1).strip())
            add("prevails_over", group, _sentence_evidence(ctx, clause, m.start(), m.end()), "conflicting_provisions")
        for m in _SUPERSEDES.finditer(text):
            add("supersedes", m.group(1), _sentence_evidence(ctx, clause, m.start(), m.end()), "whole_document")
        for m in _CITED.finditer(text):
            title = m.group(1)
            if norm_title(title) in skip or len(norm_title(title)) < 6:
                continue
            if not any(k[1] == norm_title(title) for k in found):
                add("cites", title, _sentence_evidence(ctx, clause, m.start(), m.end()))
    return list(found.values())


def _paragraph(text: str, at: int) -> str:
    s = text.rfind("\n", 0, at) + 1
    e = text.find("\n", at)
    return text[s:e if e >= 0 else len(text)]


def stacking_rules(doc: Document, ctx: ExtractionContext) -> list[tuple[str, Evidence]]:
    out: list[tuple[str, Evidence]] = []
    for clause in _clauses(doc):
        for m in _STACKING_RE.finditer(clause.text):
            out.append((STACKING[m.group()], _sentence_evidence(ctx, clause, m.start(), m.end())))
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
