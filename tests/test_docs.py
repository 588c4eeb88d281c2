"""Docs are checked, not trusted: every CLI command has --help and a README entry, and
docs/queries.md is what the `.rq` headers say."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.queries.docs import render_catalogue

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        paths.append(path)
        if hasattr(command, "commands"):
            paths += _command_paths(command, path)
    return paths


COMMANDS = _command_paths(get_command(app))


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:25])
    assert "make run" in first_screen and "make test" in first_screen


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_has_help_and_a_readme_entry(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    assert f"policykg {' '.join(path)}" in README, f"README lacks `policykg {' '.join(path)}`"


def test_docs_queries_md_matches_the_catalogue() -> None:
    on_disk = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert on_disk == render_catalogue(), "run: python -m policykg.queries.docs > docs/queries.md"


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert isinstance(app, typer.Typer)


def test_docs_neo4j_md_shows_every_named_question() -> None:
    """One Cypher example per named query (the list once said seven when there were eight)."""
    import re

    from policykg.queries.cypher_runner import load_cypher_catalogue

    text = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    examples = re.findall(r"^// (\d+)\. ", text, re.M)
    assert [int(n) for n in examples] == list(range(1, len(load_cypher_catalogue()) + 1))
    assert not re.search(r"\b(seven|six|nine) questions\b", text)
