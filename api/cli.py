"""The `policykg` command line. Each command group lives in `api/commands/<name>.py`.

Exit codes used throughout: 0 success (or conforms), 1 the data does not conform / the
operation found problems, 2 cannot run (bad input, unreadable file, bad arguments).
"""

from __future__ import annotations

import typer

from policykg.api.commands import eligibility, load, neo4j, query, serve, validate

app = typer.Typer(
    name="policykg",
    help="Knowledge graph and semantic queries over government policies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Knowledge graph and semantic queries over government policies."""


# Register command modules here, one line each, in the order `--help` lists them.
load.register(app)
validate.register(app)
query.register(app)
serve.register(app)
neo4j.register(app)
eligibility.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
