"""`policykg eligibility` (what a firm can claim) and `policykg compare` (one kind of support
across jurisdictions): the same functions as `GET /eligibility` and `GET /comparison`.

Exit codes: 0 answered, 2 cannot run (unknown place or category, bad date or amount, unreadable
profile, no store).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from policykg.api.commands.opening import StoreOption
from policykg.api.commands.query import DATA_HELP, OutputFormat, _cell, _open_store
from policykg.queries.comparison import COLUMNS as COMPARISON_COLUMNS
from policykg.queries.comparison import compare
from policykg.queries.eligibility import ROW_COLUMNS, calculate_profile
from policykg.queries.eligibility_data import EligibilityInputError
from policykg.queries.firm_profile import Profile, load_profile, parse_date, parse_spend

T = TypeVar("T")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _run(data: Path | None, store_at: str | None, ask: Callable[[Any], T]) -> T:
    """`ask` the store `--data` / `--store` name; an input error is a one-line failure (exit 2)."""
    store = _open_store(data, store_at)
    try:
        return ask(store)
    except EligibilityInputError as err:
        _fail(str(err))
    finally:
        store.close()


def _machine_output(fmt: OutputFormat, as_json: Callable[[], Any], columns: list[str],
                    rows: Callable[[], list[dict[str, Any]]]) -> bool:
    """Print JSON or CSV and say so; False leaves the human table to the caller."""
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(as_json(), ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.csv:
        typer.echo(_csv(columns, rows()), nl=False)
    else:
        return False
    return True


def eligibility_command(
    at: str | None = typer.Option(None, "--at", help="Where the firm is (南通创新区, 合肥市…)."),
    date: str | None = typer.Option(None, "--date", help="The day, YYYY-MM-DD."),
    spend: list[str] = typer.Option([], "--spend", help="CATEGORY=YUAN, e.g. compute_voucher=10000000; repeatable."),
    profile: Path | None = typer.Option(None, "--profile", help="YAML profile: at, date, spend, firm (size, new_firm, above_scale…)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
    data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
    store_at: StoreOption = None,
) -> None:
    """What a firm can claim: every instrument in force in its place and every enclosing one,
    the amount each yields for the spend, stacking applied, with the sentence behind each."""
    try:
        firm_profile = load_profile(profile) if profile else Profile()
        if at:
            firm_profile.at = at
        if date:
            firm_profile.date = parse_date(date)
        firm_profile.spend.update(parse_spend(spend))
    except EligibilityInputError as err:
        _fail(str(err))
    answer = _run(data, store_at, lambda store: calculate_profile(store, firm_profile))
    if not _machine_output(fmt, answer.to_json, ROW_COLUMNS, answer.rows):
        console = Console()
        console.print(f"{answer.at} ({' › '.join(p.name for p in answer.places)}) · {answer.date.isoformat()}")
        for cat in answer.categories:
            table = Table("jurisdiction", "policy", "amount", "counted", "reason", "clause · evidence",
                          title=f"{cat.category}: total {_cell(cat.to_json()['total_yuan'])} yuan", show_lines=True)
            for row in (r for r in answer.rows() if r["category"] == cat.category):
                table.add_row(row["jurisdiction"], row["policy_title"], _cell(row["amount_yuan"]),
                              _cell(row["counted_yuan"]), row["reason"],
                              f"{row['clause'] or ''} {row['evidence'] or ''}".strip())
            console.print(table)
        console.print(f"total: {_cell(answer.to_json()['total_yuan'])} yuan")


def compare_command(
    category: str = typer.Argument(..., help="Kind of support, e.g. compute_voucher."),
    at: list[str] = typer.Option([], "--at", help="A jurisdiction to compare; repeatable."),
    level: str | None = typer.Option(None, "--level", help="Every place of this level (prefecture, county…) …"),
    within: str | None = typer.Option(None, "--within", help="… inside this place (e.g. 江苏省)."),
    date: str | None = typer.Option(None, "--date", help="Say whether each policy is in force on this day."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
    data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
    store_at: StoreOption = None,
) -> None:
    """Compare one kind of support across jurisdictions: rate, cap, period, cap scope,
    conditions and the clause and sentence of every row."""
    try:
        on = parse_date(date) if date else None
    except EligibilityInputError as err:
        _fail(str(err))
    table_data = _run(data, store_at, lambda store: compare(store, category.strip(), at, level, within, on))
    if not _machine_output(fmt, table_data.to_json, COMPARISON_COLUMNS, lambda: table_data.rows):
        shown = ["jurisdiction", "policy_title", "rate", "max_yuan", "period", "cap_scope", "status", "clause", "evidence"]
        table = Table(*shown, title=category, show_lines=True)
        for row in table_data.rows:
            table.add_row(*(_cell(row.get(c)) for c in shown))
        Console().print(table)


def register(app: typer.Typer) -> None:
    app.command("eligibility")(eligibility_command)
    app.command("compare")(compare_command)
