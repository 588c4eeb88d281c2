"""Packaging metadata that setuptools accepts without deprecation warnings."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8"))


def test_licence_is_an_spdx_expression():
    """A `{text = …}` table is deprecated since setuptools 77 (PEP 639) and warns on every build."""
    assert isinstance(PYPROJECT["project"]["license"], str)
    assert any(r.startswith("setuptools>=77") for r in PYPROJECT["build-system"]["requires"])
