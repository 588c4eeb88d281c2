"""The first run through make: targets that exist, installs sized to the task, and a .venv built
by another Python detected (dry runs, `make -n`, in a copy of the Makefile: nothing installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def dry_run(directory: Path, *targets: str) -> str:
    result = subprocess.run(["make", "-n", *targets, f"PYTHON={sys.executable}"], cwd=directory,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("target", "command"), [
    ("load", "policykg load corpus --data data"), ("validate", "policykg validate --data data"),
    ("serve", "policykg serve --data data"),
])
def test_task_targets_run_their_command(project, target, command):
    out = dry_run(project, target)
    assert command in out and "Nothing to be done" not in out


def test_serving_installs_no_test_extras_and_tests_do(project):
    serving = dry_run(project, "run")
    assert "pip install --quiet -e ." in serving and "[test" not in serving and "bench" not in serving
    assert "-e '.[test,bolt]'" in dry_run(project, "test")


def test_a_venv_from_another_python_is_named_and_rebuilt(project):
    fake = project / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\necho 3.9\n", encoding="utf-8")
    fake.chmod(0o755)
    out = dry_run(project, "load")
    assert 'if [ -d .venv ] && [ "3.9" !=' in out and "rm -rf .venv" in out
    assert "was built with Python 3.9" in out
