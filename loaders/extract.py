"""Text in, facts out: the one entry point shared by the CLI (`policykg extract/load`) and the API.

repair -> split -> structure -> document facts -> clause facts (instruments, targets,
departments) -> relations. A file that cannot be read raises `LoaderError` naming it; damage
inside a readable file becomes warnings and the facts that could be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policykg.loaders import document_facts, places, relations, reports, structure
from policykg.loaders.dates import find_validity
from policykg.loaders.departments import extract_departments, standing_units, unit_blocks
from policykg.loaders.facts import (
    Clause,
    Department,
    Document,
    Evidence,
    ExtractionContext,
    Instrument,
)
from policykg.loaders.instruments import dedupe as dedupe_instruments
from policykg.loaders.instruments import extract_instruments
from policykg.loaders.layout import looks_like_html
from policykg.loaders.repair import LoaderError, RepairedText, decode, read_source, repair
from policykg.loaders.sentences import sentence_at
from policykg.loaders.split import Dropped, norm_title, split
from policykg.loaders.targets import dedupe_targets, extract_targets

__all__ = ["ExtractionResult", "LoaderError", "extract_file", "extract_text", "iter_extract"]

#: Clause-level facts are read only from documents that offer support themselves.
_REPORTING = ("news_report", "interpretation")


@dataclass
class ExtractionResult:
    source: str
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    original: str = ""
    repaired: RepairedText | None = None

    @property
    def loaded(self) -> list[Document]:
        return [d for d in self.documents if d.loaded]

    def compact(self) -> ExtractionResult:
        """Drop what only extraction needs (the texts and their per-character offset maps,
        ~35 bytes a character): evidence already holds its spans, and a load of thousands of
        files keeps every result until their graphs are built."""
        self.original, self.repaired = "", None
        for doc in self.documents:
            for clause in _walk(doc.clauses):
                clause.offsets = []
        return self

    def release_clauses(self) -> None:
        """Drop the clause trees once the file's graph holds them (report() counts clauses, so
        take the report first): ~100 KB a file over a load of thousands."""
        for doc in self.documents:
            doc.clauses = []


def extract_file(path: str | Path, manifest: Mapping[str, Any] | None = None,
                 source: str | None = None) -> ExtractionResult:
    """Extract one file; `manifest` maps file names to entries (see loaders/manifest.py)."""
    p = Path(path)
    source = source or p.name
    entry = (manifest or {}).get(p.name) or (manifest or {}).get(source)
    return extract_text(read_source(p), source, entry)


def iter_extract(paths: Iterable[str | Path], manifest: Mapping[str, Any] | None = None) -> Iterator[ExtractionResult]:
    for path in paths:
        yield extract_file(path, manifest)


def extract_text(text_or_bytes: str | bytes, source: str,
                 manifest_entry: Mapping[str, Any] | None = None) -> ExtractionResult:
    original = decode(text_or_bytes, source) if isinstance(text_or_bytes, bytes) else text_or_bytes
    result = ExtractionResult(source, original=original)
    if not original.strip():
        result.warnings.append(f"{source}: empty file, no documents")
        return result
    rt = repair(original)
    result.repaired = rt
    if looks_like_html(original) and not _holds_policy(rt.text):
        raise LoaderError(f"{source}: HTML page holds no policy text (no title, number or numbered clause in its main text)")
    result.warnings += [f"{source}: {note}" for note in rt.notes if "lost" in note]
    parts = split(rt)
    result.dropped = parts.dropped
    result.warnings += [f"{source}: {w}" for w in parts.warnings]
    hint = [str(j) for j in (manifest_entry or {}).get("jurisdictions", [])]
    skip = relations.aliases(rt.text)
    contexts: dict[str, ExtractionContext] = {}
    for part in parts.parts:
        clauses, warnings = structure.build(rt, part)
        doc = document_facts.describe(part, clauses, source, hint)
        doc.warnings += warnings
        ctx = ExtractionContext(source, doc.title, doc.jurisdictions, places.level_names(doc.jurisdictions),
                                doc.issuers)
        contexts[doc.title] = ctx
        if doc.doc_type not in _REPORTING:
            _clause_facts(doc, ctx)
            doc.stacking_rules = relations.stacking_rules(doc, ctx)
            doc.precedence = relations.precedence(doc, ctx)
        doc.relations = relations.document_relations(doc, ctx, skip)
        result.documents.append(doc)
        if doc.doc_type == "news_report":
            described, notes = reports.described_documents(doc, ctx, extract_instruments)
            result.documents += described
            doc.warnings += notes
    _move_report_relations(result.documents)
    relations.supports_in_file(result.documents, contexts)
    if not result.documents:
        result.warnings.append(f"{source}: no document found in the text")
    return result


_POLICY_SIGNS = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百]+条)"
    r"|(?:若干措施|若干政策|行动方案|行动计划|实施方案|实施办法|管理办法|实施意见|通知)$"
    r"|[〔\[【]\s*(?:19|20)\d{2}\s*[〕\]】]\s*\d{1,4}\s*[号號]", re.M)


def _holds_policy(text: str) -> bool:
    """A page's main text looks like a policy: numbered clauses, a document-type title or a 文号."""
    return len(_POLICY_SIGNS.findall(text)) >= 2


def _clause_facts(doc: Document, ctx: ExtractionContext) -> None:
    standing: list[tuple[int, list[str], Evidence]] = []   # (where said, units, evidence) so far
    for clause in _walk(doc.clauses):
        if clause.number.startswith("通知"):
            continue
        instruments = extract_instruments(clause, ctx)
        departments = extract_departments(clause, ctx)
        for start, end, names in standing_units(clause.text, ctx.level_names):
            standing.append((ctx.evidence(clause, start, end).start, names, ctx.evidence(clause, start, end)))
        if standing and unit_blocks(clause.text):
            _join_standing(clause, standing, instruments, departments)
        doc.instruments += instruments
        doc.departments += departments
        doc.targets += extract_targets(clause, ctx)
    doc.instruments = dedupe_instruments(doc.instruments)
    doc.targets = dedupe_targets(doc.targets)
    _inherit_policy_departments(doc)
    doc.validity_evidence = _validity_evidence(doc, ctx)


def _validity_evidence(doc: Document, ctx: ExtractionContext) -> Evidence | None:
    """The sentence that says when the policy is in force, from the innermost clause holding it."""
    found = [(len(c.text), c, v.span) for c in _walk(doc.clauses) if (v := find_validity(c.text)).span]
    if not found:
        return None
    _, clause, (start, end) = min(found, key=lambda item: item[0])
    return ctx.evidence(clause, *sentence_at(clause.text, start, end))


def _join_standing(clause: Clause, standing: list[tuple[int, list[str], Evidence]],
                   instruments: list[Instrument], departments: list[Department]) -> None:
    """`以下均需Z落实,不再列出`: Z joins the unit list of every later task that has one (this
    clause names its own units), its instruments' departments and the clause's responsible units."""
    for at, names, evidence in standing:
        for inst in instruments:
            if inst.departments and inst.evidence.start > at:
                inst.departments += [n for n in names if n not in inst.departments]
        if evidence.clause != clause.number or any(d.evidence.start > at for d in departments):
            have = {(d.name, d.role) for d in departments}
            departments += [Department(n, "responsible", clause.number, evidence)
                            for n in names if (n, "responsible") not in have]


#: `本政策由X、Y负责组织实施…` names who runs the whole policy, not one clause
_WHOLE_POLICY = re.compile(r"本(?:政策|措施|行动方案|方案|行动计划|计划|办法|意见)[^。;]{0,6}由")


def _inherit_policy_departments(doc: Document) -> None:
    """Units named for the whole policy administer every instrument whose own clause names
    none (Guiyang names its four implementing bodies once, in 八、(一))."""
    whole = [d.name for d in doc.departments
             if d.role == "responsible" and _WHOLE_POLICY.search(d.evidence.quote)]
    for instrument in doc.instruments:
        if not instrument.departments:
            instrument.departments = list(dict.fromkeys(whole))


def _walk(roots: list[Clause]) -> Iterator[Clause]:
    for root in roots:
        yield from root.walk()


def _move_report_relations(docs: list[Document]) -> None:
    """What an interpretation says about its subject's relations (衔接, 配套) belongs to the
    subject when it is in the same file; the interpretation keeps only its citations."""
    for report in (d for d in docs if d.doc_type == "interpretation"):
        subject = next((d for d in docs if d.loaded and d is not report and d.doc_type not in _REPORTING
                        and norm_title(d.title) in norm_title(report.title)), None)
        if subject is None:
            continue
        keep = []
        for rel in report.relations:
            if rel.type == "cites":
                keep.append(rel)
            elif not any(r.type == rel.type and norm_title(r.target) == norm_title(rel.target) for r in subject.relations):
                subject.relations.append(replace(rel, evidence=replace(rel.evidence, document=report.title)))
        report.relations = keep
