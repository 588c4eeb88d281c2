"""`policykg query NAME`, `policykg queries` and `policykg sparql`: the named-query catalogue and
ad-hoc SPARQL over the persistent store, printed as a rich table, JSON or CSV.

The store is opened read-only (it must exist: `policykg load` creates it), so these commands can
run while the API server holds the store. Exit codes: 0 success, 2 cannot run (unknown query,
missing or mistyped parameter, SPARQL syntax error with line and column, no store).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import rdflib
import typer
from rich.console import Console
from rich.table import Table

from policykg.api.commands.opening import StoreOption, open_for
from policykg.queries.catalogue import (
    CatalogueError,
    UnknownQueryError,
    get_query,
    load_catalogue,
    run_query,
)
from policykg.queries.labels import LANGUAGES, code_columns, with_labels
from policykg.queries.params import QueryParameterError
from policykg.queries.store import (
    PolicyStore,
    QuerySyntaxError,
    QueryTimeoutError,
    SelectResult,
    StoreError,
    default_data_dir,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


DATA_HELP = "Store directory (default: $POLICYKG_DATA, else ./data)."


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _open_store(data: Path | None, store: str | None = None) -> PolicyStore:
    """The store `--data` / `--store` name, read-only (`opening.open_for`); exit 2 if it cannot open."""
    try:
        return open_for(data, store, read_only=True)[0]
    except (StoreError, ValueError) as err:
        _fail(str(err))
    except OSError as err:
        _fail(f"cannot open the store in {data or default_data_dir()}: {err}")


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"--param expects key=value, got {pair!r}")
        params[key.strip()] = value.strip()
    return params


# ---- rendering ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Columns a table leaves out unless asked (`--columns all`): long quotes and file names.
LONG_COLUMNS = ("evidence", "sentence", "source_file", "rate_base")
TABLE_COLUMNS = 6


def table_columns(result: SelectResult, wanted: str | None) -> list[str]:
    """The columns a terminal table shows: `wanted` (comma-separated, or `all`), else the first
    TABLE_COLUMNS columns that are neither empty, IRIs, long texts nor a code's labels (the
    code cell shows its label)."""
    columns = list(result.columns)
    if wanted == "all":
        return columns
    if wanted:
        chosen = [c.strip() for c in wanted.split(",") if c.strip()]
        if unknown := [c for c in chosen if c not in columns]:
            _fail(f"unknown column(s) {', '.join(unknown)}; columns: {', '.join(columns)}")
        return chosen
    labels = {f"{c}_{lang}" for c in code_columns(columns) for lang in LANGUAGES}

    def worth_showing(column: str) -> bool:   # some value, and not only IRIs
        values = [str(r[column]) for r in result.rows if r.get(column) not in (None, "")]
        return not result.rows or any(not v.startswith(("http://", "https://")) for v in values)

    shown = [c for c in columns if c not in labels and c not in LONG_COLUMNS and worth_showing(c)]
    return shown[:TABLE_COLUMNS]


def render(result: SelectResult, fmt: OutputFormat, console: Console, *, lang: str = "zh",
           columns: str | None = None) -> None:
    """Print SELECT rows in the chosen format (JSON keeps numbers and nulls as JSON values).
    A table shows a few columns, wrapped, each code followed by its label in `lang`."""
    if fmt is OutputFormat.json:
        payload = {"columns": result.columns, "rows": result.rows}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([_cell(row.get(col)) for col in result.columns])
        typer.echo(buffer.getvalue(), nl=False)
    else:
        shown = table_columns(result, columns)
        table = Table(*shown, show_lines=True)
        for column in table.columns:
            column.overflow = "fold"
        for row in result.rows:
            table.add_row(*(_labelled(row, col, lang) for col in shown))
        console.print(table)
        hidden = len(result.columns) - len(shown)
        more = (f";{hidden} 列未显示,用 --columns all 查看" if lang == "zh"
                else f"; {hidden} more column(s): --columns all") if hidden else ""
        console.print(f"{len(result.rows)} " + ("行" if lang == "zh" else "row(s)") + more)


def _labelled(row: dict[str, Any], column: str, lang: str) -> str:
    """A cell, with the code's label when the answer carries one (就高不重复 (highest_applies))."""
    cell = _cell(row.get(column))
    label = row.get(f"{column}_{lang}")
    return f"{label} ({cell})" if label and label != cell else cell


def _syntax_message(err: QuerySyntaxError, sparql: str) -> str:
    if err.line is None:
        return f"SPARQL syntax error: {err}"
    lines = sparql.splitlines() or [""]
    shown = lines[min(err.line, len(lines)) - 1]
    caret = " " * max((err.column or 1) - 1, 0) + "^"
    return f"SPARQL syntax error at line {err.line}, column {err.column}: {err}\n  {shown}\n  {caret}"


# ---- commands -----------------------------------------------------------------------------------


def query_command(
    name: str = typer.Argument(..., help="Named query, e.g. instruments-by-category."),
    param: list[str] = typer.Option([], "--param", "-p", help="Parameter as key=value; repeatable."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
    data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
    store_at: StoreOption = None,
    timeout: float | None = typer.Option(None, "--timeout", help="Give up after this many seconds."),
    backend: str = typer.Option("sparql", "--backend", help="sparql (the store) or cypher (Neo4j, NEO4J_* settings)."),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="Language of labels and messages in the table."),
    columns: str | None = typer.Option(None, "--columns", help="Table columns, comma-separated, or all."),
) -> None:
    """Run a named query from the catalogue (list them with `policykg queries`)."""
    try:
        named = get_query(name)
    except UnknownQueryError as err:
        _fail(str(err))
    params = _parse_params(param)
    if backend == "cypher":  # the .cypher twin on Neo4j: api/commands/neo4j.py
        from policykg.api.commands.neo4j import query_cypher
        return render(query_cypher(named.name, params), fmt, Console(), lang=lang, columns=columns)
    store = _open_store(data, store_at)
    try:
        result = run_query(store, named, params, timeout=timeout)
        result = SelectResult(*with_labels(store, list(result.columns), result.rows))
    except QueryParameterError as err:
        _fail(f"{named.name}: {err.in_language(lang)}")
    except (QuerySyntaxError, CatalogueError, QueryTimeoutError) as err:
        _fail(f"{named.name}: {err}")
    finally:
        store.close()
    render(result, fmt, Console(), lang=lang, columns=columns)


def list_queries(
    lang: Lang = typer.Option(Lang.zh, "--lang", help="Language of the descriptions."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """List the named queries with their descriptions and parameters."""
    rows = []
    for query in load_catalogue().values():
        params = ", ".join(
            f"{p.name}: {p.type}" + (f" = {p.default}" if p.default else "" if p.required else "?")
            for p in query.params
        )
        rows.append({"name": query.name, "description": query.describe(lang), "params": params})
    render(SelectResult(["name", "description", "params"], rows), fmt, Console())


def _read_sparql(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    if source.startswith("@"):
        path = Path(source[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            _fail(f"cannot read {path}: {err}")
    return source


def sparql_command(
    query: str = typer.Argument(..., help="SPARQL text, @file.rq, or - for stdin."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
    data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
    store_at: StoreOption = None,
    timeout: float | None = typer.Option(None, "--timeout", help="Give up after this many seconds."),
) -> None:
    """Run an ad-hoc SPARQL query (the default graph is the merge of all graphs; updates refused)."""
    sparql = _read_sparql(query)
    store = _open_store(data, store_at)
    try:
        result = store.query(sparql, timeout=timeout)
    except QuerySyntaxError as err:
        _fail(_syntax_message(err, sparql))
    except StoreError as err:
        _fail(str(err))
    finally:
        store.close()
    if isinstance(result, SelectResult):
        render(result, fmt, Console())
    elif isinstance(result, bool):
        typer.echo(json.dumps({"boolean": result}) if fmt is OutputFormat.json else str(result).lower())
    elif isinstance(result, rdflib.Graph):
        typer.echo(result.serialize(format="turtle"))


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)
    app.command("queries")(list_queries)
    app.command("sparql")(sparql_command)
