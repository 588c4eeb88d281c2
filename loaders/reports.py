"""Policies described by a news report but not in the corpus.

A report is about its main subject (the first 《title》 it names, usually `我市出台《…》`),
whose own text is expected to be loaded from its own file; the report adds nothing to it.
A *second* policy the report describes as issued by another place (`南通创新区出台的《…》`)
may exist nowhere else, so it becomes a not-loaded Document (described_in = the report) whose
instruments are read from the report's sentences after the mention. If the report says the
second policy builds on the first (配套, 加码, 在市级政策基础上), it supports the subject and its
instruments top up the subject's instruments of the same category.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from policykg.loaders import places
from policykg.loaders.document_facts import doc_type
from policykg.loaders.facts import Clause, Document, ExtractionContext, Instrument, Relation
from policykg.loaders.sentences import sentence_at
from policykg.loaders.split import norm_title

_ISSUED_BY = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:新)?(?:出台|印发|发布|制定)了?的?《([^《》]{4,80})》")
_SUPPORTS_CUE = re.compile(r"配套|加码|在(?:省|市|区|县)级政策(?:的)?基础上")
_TOP_UP_CUE = re.compile(r"加码|在(?:省|市|区|县)级政策(?:的)?基础上")

InstrumentParser = Callable[[Clause, ExtractionContext], list[Instrument]]


def _place(phrase: str) -> str | None:
    found = places.leading_places(phrase)
    if found:
        return found[0]
    m = places.PLACE.search(phrase)
    return m.group() if m and not phrase.startswith(("我", "本", "全")) else None


def described_documents(report: Document, ctx: ExtractionContext,
                        parse: InstrumentParser) -> tuple[list[Document], list[str]]:
    subject = report.title
    subject_title = re.sub(r"^关于《(.*)》的新闻报道$", r"\1", subject)
    out: list[Document] = []
    warnings: list[str] = []
    for root in report.clauses:
        for clause in root.walk():
            for m in _ISSUED_BY.finditer(clause.text):
                title, place = m.group(2), _place(m.group(1))
                if place is None or place in report.jurisdictions or norm_title(title) == norm_title(subject_title):
                    continue
                if any(norm_title(d.title) == norm_title(title) for d in out):
                    continue
                doc = _described(report, clause, m, title, place, subject_title, ctx, parse)
                out.append(doc)
                warnings.append(f"{title}: described in the report, not loaded; "
                                f"{len(doc.instruments)} instrument(s) read from the report")
    return out, warnings


def _described(report: Document, clause: Clause, m: re.Match[str], title: str, place: str,
               subject_title: str, ctx: ExtractionContext, parse: InstrumentParser) -> Document:
    # the report's text about this policy: from its mention to the end of the paragraph
    end = clause.text.find("\n", m.start())
    end = len(clause.text) if end < 0 else end
    nxt = re.search(r"《(?!" + re.escape(title) + r")[^《》]{4,80}》", clause.text[m.end():end])
    if nxt:
        end = m.end() + nxt.start()
    sub = Clause(clause.number, clause.heading, clause.text[m.start():end], clause.start, clause.end,
                 clause.level, offsets=clause.offsets[m.start():end])
    jurisdictions = [place]
    dctx = ExtractionContext(ctx.source, title, jurisdictions, places.level_names(jurisdictions), [])
    doc = Document(source=report.source, title=title, loaded=False, doc_type=doc_type(title),
                   jurisdictions=jurisdictions, described_in=report.title)
    doc.instruments = parse(sub, dctx)
    cue = _SUPPORTS_CUE.search(sub.text)
    if cue and places.is_within(place, report.jurisdictions[0] if report.jurisdictions else ""):
        s, e = sentence_at(sub.text, cue.start(), cue.end())
        doc.relations.append(Relation("supports", subject_title, dctx.evidence(sub, s, e)))
        if _TOP_UP_CUE.search(sub.text):
            for inst in doc.instruments:
                inst.tops_up = inst.tops_up or f"{subject_title}#{inst.category}"
                if inst.kind == "grant":
                    inst.kind = "top_up"   # the zone's offer raises the city's (加码)
    return doc
