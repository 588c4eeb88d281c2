"""`policykg load PATH…` (text files -> graphs -> store) and `policykg extract PATH…` (facts as JSON or tables).

Exit codes: 0 success; 1 some files could not be read (nothing stored, or with --skip-invalid
the others stored) or the extracted data does not conform (nothing was stored); 2 nothing could
be read, or a file name the store refuses (reserved, or colliding with a stored source).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, TaskID
from rich.table import Table

from policykg.api.commands.opening import StoreOption, open_for, store_unavailable
from policykg.api.commands.validate import print_report
from policykg.loaders.extract import ExtractionResult, LoaderError, extract_file
from policykg.loaders.facts import Document, Evidence
from policykg.loaders.manifest import manifest_for
from policykg.loaders.pipeline import DocumentReport, report
from policykg.ontology.validation import ValidationReport
from policykg.queries.ingest import DEFAULT_BATCH, ingest_files

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


#: What a folder's policy texts are: plain text, saved web pages, PDF files.
TEXT_SUFFIXES = (".txt", ".html", ".htm", ".pdf")


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for the policy texts in it (*.txt, *.html, *.pdf)."""
    out: list[Path] = []
    for p in paths:
        out += sorted(f for f in p.iterdir() if f.suffix.lower() in TEXT_SUFFIXES) if p.is_dir() else [p]
    return out


def _evidence(ev: Evidence) -> dict[str, Any]:
    return {"clause": ev.clause, "quote": ev.quote, "start": ev.start, "end": ev.end}


def _num(value: Any) -> Any:
    """Decimal -> int or float for JSON (amounts in yuan, rates as fractions)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "source": doc.source, "title": doc.title, "doc_type": doc.doc_type, "doc_number": doc.doc_number,
        "notice_title": doc.notice_title, "status": doc.status,
        "issuers": doc.issuers, "jurisdictions": doc.jurisdictions,
        "jurisdiction_levels": [{"name": j, "level": doc.jurisdiction_levels.get(j), "parent": doc.jurisdiction_parents.get(j),
                                 "code": doc.jurisdiction_codes.get(j)} for j in doc.jurisdictions],
        "issued": doc.issued.isoformat() if doc.issued else None,
        "effective_from": doc.effective_from.isoformat() if doc.effective_from else None,
        "effective_to": doc.effective_to.isoformat() if doc.effective_to else None,
        "loaded": doc.loaded, "described_in": doc.described_in,
        "stacking_rules": sorted({rule for rule, _ in doc.stacking_rules}),
        "precedence": sorted({p for p, _ in doc.precedence}),
        "relations": [{"type": r.type, "target": r.target, "target_title": r.target,
                       "target_doc_number": r.target_doc_number, "target_kind": r.target_kind,
                       "scope": r.scope, "evidence": _evidence(r.evidence)}
                      for r in doc.relations],
        "instruments": [{
            "clause": i.clause, "category": i.category, "label": i.label, "rate": _num(i.rate),
            "rate_kind": i.rate_kind, "rate_base": i.rate_base, "min_cny": _num(i.min_cny),
            "max_cny": _num(i.max_cny), "period": i.period, "cap_scope": i.cap_scope,
            "beneficiary": i.beneficiary, "departments": i.departments,
            "funding_jurisdictions": i.funding_jurisdictions, "tops_up": i.tops_up,
            "kind": i.kind, "rate_is_max": i.rate_is_max,
            "rate_options": [{"rate": _num(o.rate), "condition": o.condition} for o in i.rate_options],
            "rate_schedule": [{"year": s.year, "rate": _num(s.rate)} for s in i.rate_schedule],
            "thresholds": [{"quantity": t.quantity, "min": _num(t.min), "min_inclusive": t.min_inclusive,
                            "max": _num(t.max), "max_inclusive": t.max_inclusive, "unit": t.unit}
                           for t in i.thresholds],
            "recipient": i.recipient, "funder_level": i.funder_level, "period_years": i.period_years,
            "quantified": i.quantified, "conditions": i.conditions,
            "evidence": _evidence(i.evidence),
        } for i in doc.instruments],
        "targets": [{"name": t.name, "value": _num(t.value), "unit": t.unit, "year": t.year,
                     "evidence": _evidence(t.evidence)} for t in doc.targets],
        "clauses": [{"number": c.number, "heading": c.heading, "start": c.start, "end": c.end}
                    for root in doc.clauses for c in root.walk()],
        "warnings": doc.warnings,
    }


def result_json(results: list[ExtractionResult]) -> dict[str, Any]:
    return {
        "documents": [document_json(d) for r in results for d in r.documents],
        "files": [{"source": r.source, "warnings": r.warnings,
                   "dropped": [{"reason": d.reason, "start": d.start, "end": d.end, "text": d.text} for d in r.dropped]}
                  for r in results],
    }


def _report_table(rows: list[DocumentReport], title: str) -> Table:
    table = Table(title=title)
    for col in ("source", "document", "loaded", "clauses", "instruments", "targets", "relations", "warnings"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.source, r.title, "yes" if r.loaded else "no", str(r.clauses), str(r.instruments),
                      str(r.targets), str(r.relations), str(len(r.warnings)))
    return table


def _print_warnings(rows: list[DocumentReport], results: list[ExtractionResult], err: Console) -> None:
    for r in rows:
        for w in r.warnings:
            err.print(f"[yellow]warning:[/] {r.source} 《{r.title}》: {w}")
    for result in results:
        for w in result.warnings:
            err.print(f"[yellow]warning:[/] {w}")


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"


def extract_command(
    paths: Annotated[list[Path], typer.Argument(help="Text files or folders of *.txt files")],
    output: Annotated[ExtractFormat, typer.Option("--format", help="json or table")] = ExtractFormat.json,
) -> None:
    """Extract documents, instruments, targets and relations from text files (no store needed)."""
    err = Console(stderr=True, soft_wrap=True)
    files = _expand(paths)
    manifest = manifest_for(files)
    results: list[ExtractionResult] = []
    failed = False
    for path in files:
        try:
            results.append(extract_file(path, manifest))
        except LoaderError as exc:
            err.print(f"[red]error:[/] {exc}")
            failed = True
    if output is ExtractFormat.json:
        typer.echo(json.dumps(result_json(results), ensure_ascii=False, indent=2))
    else:
        rows = [row for r in results for row in report(r)]
        Console().print(_report_table(rows, "extracted documents"))
        _print_warnings(rows, results, err)
    if failed:
        raise typer.Exit(EXIT_CANNOT_RUN if not results else EXIT_PROBLEMS)


def load_command(
    paths: Annotated[list[Path], typer.Argument(help="Text files or folders of *.txt files")],
    data: Annotated[Path | None, typer.Option("--data", help="Data directory (default $POLICYKG_DATA or ./data)")] = None,
    store_at: StoreOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of validation messages: zh or en")] = "zh",
    batch: Annotated[int, typer.Option("--batch", min=1, help="Files validated and written together")] = DEFAULT_BATCH,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Store the readable files even if some cannot be read "
        "(default: an unreadable file stops the whole load)")] = False,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=0, help="Extraction processes working one batch ahead (default: 2 for "
        "more than 20 files, else 0; 0 extracts in this process) / 提取进程数")] = None,
) -> None:
    """Load text files into the store (linked and validated first): one named graph per file, replaced if loaded before."""
    from policykg.queries.sources import SourceNameError
    from policykg.queries.store import StoreError, default_data_dir

    console, err = Console(), Console(stderr=True, soft_wrap=True)
    files = _expand(paths)
    where: str | Path = data or store_at or default_data_dir()
    try:
        store, where = open_for(data, store_at)
    except (StoreError, OSError, ValueError) as exc:
        err.print(f"[red]error:[/] {escape(store_unavailable(where, exc))}")
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    with store, Progress(console=console, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def tick(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = progress.add_task(phase, total=total)
            progress.advance(tasks[phase], done)

        try:
            outcome = ingest_files(store, files, manifest_for(files), lang=lang, batch=batch,
                                   skip_invalid=skip_invalid, progress=tick, workers=workers)
        except SourceNameError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_CANNOT_RUN) from None
    for exc in outcome.errors:
        err.print(f"[red]error:[/] {exc}")
    if not outcome.results:
        raise typer.Exit(EXIT_CANNOT_RUN)
    if not outcome.conforms:
        print_report(ValidationReport(conforms=False, findings=outcome.findings), err, lang)
        err.print("[red]error:[/] the extracted data does not conform; nothing was stored")
        raise typer.Exit(EXIT_PROBLEMS)
    if outcome.errors and not skip_invalid:
        err.print("[red]error:[/] some files cannot be read; nothing was stored "
                  "(--skip-invalid stores the others) / 部分文件无法读取,未存储任何内容")
        raise typer.Exit(EXIT_PROBLEMS)
    reports = outcome.documents
    console.print(_report_table(reports, f"loaded {len(outcome.stored)} file(s) into {where}"))
    _print_warnings(reports, outcome.results, err)
    for warning in outcome.warnings:
        err.print(f"[yellow]warning:[/] {warning}")
    raise typer.Exit(EXIT_PROBLEMS if outcome.errors else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command("load")(load_command)
    app.command("extract")(extract_command)
