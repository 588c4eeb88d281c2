"""`policykg serve`: run the HTTP API (uvicorn) over the persistent store.

Exit codes: 0 after a clean shutdown, 2 cannot run (bad settings, port taken, store locked or
unreadable).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from policykg.api.app import create_app
from policykg.api.commands.opening import StoreOption, open_for, port_taken, store_unavailable
from policykg.api.settings import Settings
from policykg.queries.store import StoreError, default_data_dir

EXIT_CANNOT_RUN = 2


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless behind a proxy.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    data: Annotated[Path | None, typer.Option("--data", help="Store directory (default: $POLICYKG_DATA or ./data).")] = None,
    store_at: StoreOption = None,
) -> None:
    """Serve the HTTP API (JSON, JSON-LD, SPARQL 1.1 Protocol at /sparql) over the store."""
    err = typer.echo
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        err(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    if taken := port_taken(host, port):   # before opening the store, which a bind failure would hold
        err(f"error: {taken}", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN)
    where: str | Path = data or store_at or default_data_dir()
    try:
        store, where = open_for(data, store_at)
    except (OSError, StoreError, ValueError) as exc:
        err(f"error: {store_unavailable(where, exc)}", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    app = create_app(store, settings.model_copy(update={"data_dir": where if isinstance(where, Path) else None}))
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"policykg API on http://{shown}:{port}/  (docs: /docs, SPARQL: /sparql, data: {where})")
    if not settings.writes_enabled:
        typer.echo("writes disabled: set POLICYKG_API_KEY to enable POST/DELETE /documents")
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    except SystemExit as exc:   # uvicorn exits 1 or 3 when it cannot start (port taken meanwhile)
        if exc.code not in (0, None):
            err("error: the server could not start (see above)", err=True)
            raise typer.Exit(EXIT_CANNOT_RUN) from None
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
