"""`policykg validate FILE…`: SHACL-validate RDF files and print a readable report.

Exit codes: 0 conforms, 1 does not conform, 2 cannot run (missing or unparsable input).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Graph
from rdflib.util import guess_format
from rich.console import Console
from rich.table import Table

from policykg.api.commands.opening import StoreOption
from policykg.ontology.validation import LANGUAGES, ValidationReport, validate_graph

EXIT_CONFORMS, EXIT_VIOLATIONS, EXIT_CANNOT_RUN = 0, 1, 2


class UnreadableInput(Exception):
    """An input file is missing or is not RDF we can parse."""


def read_rdf(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        if not path.is_file():
            raise UnreadableInput(f"{path}: no such file")
        fmt = guess_format(str(path)) or "turtle"
        try:
            graph.parse(path, format=fmt)
        except Exception as exc:  # rdflib raises many parser-specific types; all mean "unparsable"
            raise UnreadableInput(f"{path}: not valid {fmt}: {exc}") from exc
    return graph


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    for sep in ("#", "/id/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[-1]
    return iri


def print_report(report: ValidationReport, console: Console, lang: str) -> None:
    if report.conforms:
        console.print("[green]✓ " + ("数据符合所有约束。" if lang == "zh" else "The data conforms to every shape."))
        return
    title = f"{len(report.findings)} " + ("处问题" if lang == "zh" else "problem(s)")
    table = Table(title=title, show_lines=False)
    for column in ("focus", "path", "message", "value", "shape"):
        table.add_column(column, overflow="fold")
    for f in report.findings:
        table.add_row(_short(f.focus), _short(f.path), f.message, f.value or "", _short(f.shape))
    console.print(table)


def read_store(data_dir: Path | None, store_at: str | None = None) -> Graph:
    """Every source graph in the store, merged (the background is added by the validator)."""
    from policykg.api.commands.opening import open_for
    from policykg.queries.store import StoreError

    try:
        store, _where = open_for(data_dir, store_at, read_only=True)
    except (StoreError, OSError, ValueError) as exc:
        raise UnreadableInput(str(exc)) from exc
    with store:
        graph = Graph()
        for source in store.sources():
            graph += store.graph_for(source)
    return graph


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


def validate_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="RDF files (Turtle, JSON-LD, N-Triples…); none: the stored graph"),
    ] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Data directory (default $POLICYKG_DATA or ./data)")] = None,
    store_at: StoreOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Message language: zh or en")] = "zh",
    output: Annotated[ReportFormat, typer.Option("--format", help="text or json")] = ReportFormat.text,
) -> None:
    """Validate RDF files against the policykg SHACL shapes (exit 0 conforms, 1 not, 2 error)."""
    console = Console()
    err = Console(stderr=True, soft_wrap=True)
    if lang not in LANGUAGES:
        err.print(f"[red]error:[/] --lang must be one of {', '.join(LANGUAGES)}")
        raise typer.Exit(EXIT_CANNOT_RUN)
    try:
        graph = read_rdf(files) if files else read_store(data, store_at)
    except UnreadableInput as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    report = validate_graph(graph, lang=lang)
    if output is ReportFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report, console, lang)
    raise typer.Exit(EXIT_CONFORMS if report.conforms else EXIT_VIOLATIONS)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)
