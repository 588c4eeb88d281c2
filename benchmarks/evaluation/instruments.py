"""Scorer for the instruments layer (see benchmarks/evaluation/__init__.py): a placeholder until written."""

from __future__ import annotations


def score(extracted: dict, expected: dict) -> dict[str, tuple[int, int]]:
    """{field: (right, total)} for one file."""
    return {}
