"""`policykg neo4j sync | status | perspective`: the Neo4j twin of the store, and its Bloom view.

Connection options fall back to NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.
Exit codes: 0 success; 2 cannot run (no store, unreachable server, bad credentials, missing
database), always as one `error: …` line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import typer
from neo4j.exceptions import Neo4jError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from policykg.api.commands.opening import StoreOption, open_for
from policykg.loaders.neo4j_connection import Neo4jConnectionError, Neo4jSettings, connect
from policykg.loaders.neo4j_mapping import MARKER_LABEL
from policykg.loaders.neo4j_perspective import perspective
from policykg.loaders.neo4j_sync import (
    DEFAULT_BATCH_SIZE,
    Plan,
    SyncReport,
    graphs_from_store,
    sync_graph,
)

neo4j_app = typer.Typer(help="Sync the graph into Neo4j and describe it for Bloom.", no_args_is_help=True)

URI = typer.Option(None, "--uri", help="Bolt URI, e.g. bolt://localhost:7687 or neo4j+s://….databases.neo4j.io ($NEO4J_URI).")
USER = typer.Option(None, "--user", help="User name ($NEO4J_USERNAME, default neo4j).")
PASSWORD = typer.Option(None, "--password", help="Password ($NEO4J_PASSWORD).")
DATABASE = typer.Option(None, "--database", help="Database name ($NEO4J_DATABASE, default neo4j).")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _settings(uri: str | None, user: str | None, password: str | None, database: str | None) -> Neo4jSettings:
    return Neo4jSettings.from_env(uri=uri, user=user, password=password, database=database)


def summary_table(report: SyncReport) -> Table:
    table = Table("label / type", "created", "updated", "deleted",
                  title=f"{report.nodes} nodes, {report.relationships} relationships wanted")
    for name in report.names():
        table.add_row(name, str(report.created[name]), str(report.updated[name]), str(report.deleted[name]))
    table.add_row("total", str(sum(report.created.values())), str(sum(report.updated.values())),
                  str(sum(report.deleted.values())), style="bold")
    return table


@neo4j_app.command("sync")
def sync_command(
    data: Path | None = typer.Option(None, "--data", help="Store directory (default: $POLICYKG_DATA, else ./data)."),
    store_at: StoreOption = None,
    uri: str | None = URI, user: str | None = USER, password: str | None = PASSWORD,
    database: str | None = DATABASE,
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="Rows per write transaction."),
) -> None:
    """Make Neo4j hold exactly the store's graph: create, update and delete only what changed."""
    from policykg.queries.store import StoreError, default_data_dir

    try:
        store, _where = open_for(data, store_at, read_only=True)
    except (StoreError, ValueError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot open the store in {data or default_data_dir()}: {exc}")
    try:
        graphs = graphs_from_store(store)
    finally:
        store.close()
    settings = _settings(uri, user, password, database)
    try:
        driver = connect(settings)
    except Neo4jConnectionError as exc:
        _fail(str(exc))
    console = Console(stderr=True)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=False)
    task = progress.add_task("sync", total=None)

    def on_plan(plan: Plan) -> None:
        progress.update(task, total=plan.total_batches_rows, completed=0)

    def on_batch(phase: str, name: str, count: int) -> None:
        progress.update(task, advance=count, description=f"{phase}: {name}")

    try:
        with driver, progress:
            report = sync_graph(driver, settings.database, graphs, batch_size,
                                on_plan=on_plan, on_batch=on_batch)
    except Neo4jConnectionError as exc:
        _fail(str(exc))
    Console().print(summary_table(report))
    Console().print(f"{report.changes} change(s) in {report.batches} batch(es), {report.seconds:.2f}s")


@neo4j_app.command("status")
def status_command(
    uri: str | None = URI, user: str | None = USER, password: str | None = PASSWORD,
    database: str | None = DATABASE,
) -> None:
    """Show what was synced: one row per source file, and node counts per label."""
    settings = _settings(uri, user, password, database)
    try:
        driver = connect(settings)
    except Neo4jConnectionError as exc:
        _fail(str(exc))
    with driver, driver.session(database=settings.database) as session:
        markers = session.run(f"MATCH (m:{MARKER_LABEL}) RETURN m.name AS name, m.content_hash AS hash, "
                              "m.nodes AS nodes, m.relationships AS rels, m.synced_at AS at "
                              "ORDER BY name").data()
        labels = session.run("MATCH (n) WHERE n.sync_hash IS NOT NULL "
                             "RETURN labels(n)[0] AS label, count(*) AS count ORDER BY label").data()
    console = Console()
    sources = Table("source", "content hash", "nodes", "relationships", "synced at",
                    title=f"{settings.uri} / {settings.database}")
    for row in markers:
        sources.add_row(row["name"], (row["hash"] or "")[:12], str(row["nodes"]), str(row["rels"]), str(row["at"]))
    console.print(sources)
    counts = Table("label", "nodes")
    for row in labels:
        counts.add_row(str(row["label"]), str(row["count"]))
    console.print(counts)


@neo4j_app.command("perspective")
def perspective_command(
    name: str = typer.Option("policykg", "--name", help="Perspective name shown in Bloom."),
) -> None:
    """Print a Neo4j Bloom perspective (JSON) generated from the ontology and the query catalogue."""
    typer.echo(json.dumps(perspective(name), ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")


def query_cypher(name: str, params: dict[str, str]) -> Any:
    """`policykg query NAME --backend cypher`: the Cypher twin on Neo4j (NEO4J_* settings),
    returned as a `SelectResult` for the query command to render; exits 2 with one line on error."""
    from policykg.queries.catalogue import UnknownQueryError
    from policykg.queries.cypher_runner import get_cypher_query, run_cypher_query
    from policykg.queries.params import QueryParameterError
    from policykg.queries.store import SelectResult

    settings = Neo4jSettings.from_env()
    try:
        named = get_cypher_query(name)
        with connect(settings) as driver:
            result = run_cypher_query(driver, settings.database, named, params)
    except (UnknownQueryError, QueryParameterError, Neo4jConnectionError) as exc:
        _fail(str(exc))
    except Neo4jError as exc:
        _fail(f"{name}: Neo4j refused the query: {exc.message}")
    return SelectResult(result.columns, result.rows)
