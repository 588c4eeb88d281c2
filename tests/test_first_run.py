"""A new user's first commands: wrong option values refused, a busy port or a store held by a
running server reported in plain words with exit code 2 (documented codes: 0 / 1 / 2)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.queries.store import PolicyStore

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "001_3ed52c5da64ca356.txt"


def test_unknown_output_formats_are_refused():
    extract = CliRunner().invoke(app, ["extract", str(SEED), "--format", "csv"])
    validate = CliRunner().invoke(app, ["validate", str(SEED), "--format", "xml"])
    assert extract.exit_code == 2 and "'csv' is not one of" in extract.output
    assert validate.exit_code == 2 and "'xml' is not one of" in validate.output


def test_serve_on_a_busy_port_exits_2(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port), "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "--port" in result.output


def test_load_while_the_store_is_held_says_why(tmp_path):
    data = tmp_path / "store"
    with PolicyStore.open(data):   # as `policykg serve` holds it
        result = subprocess.run(
            [sys.executable, "-c", "from policykg.api.cli import main; main()",
             "load", str(SEED), "--data", str(data)],
            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "in use by another process" in result.stderr and "policykg serve" in result.stderr
    assert "LOCK" not in result.stderr
