"""The benchmark report's verdicts: a lower bound is not a measured ratio, and a query rdflib
cannot run is shown, not dropped and not counted as a ratio."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import report  # noqa: E402  (benchmarks/ is scripts, not a package)


def timing(p50: float) -> dict[str, Any]:
    return {"n": 3, "p50_ms": p50, "p95_ms": p50 * 1.2}


def query_run(n: int, queries: list[tuple[str, float, dict[str, Any]]]) -> dict[str, Any]:
    rows = []
    for name, ours, lib in queries:
        ratio = None if lib.get("error") else lib["p50_ms"] / ours
        rows.append({"query": name, "rows": 1, "ours": timing(ours), "rdflib": lib,
                     "ratio_p50": ratio, "ratio_is_lower_bound": lib.get("timed_out", False)})
    return {"phase": "query", "n": n, "queries": rows}


def lib(p50: float, timed_out: bool = False) -> dict[str, Any]:
    return {**timing(p50), "rows": 1, "timed_out": timed_out}


def verdict(results: list[dict[str, Any]]) -> str:
    _, facts = report.query_table(results)
    facts.update(validation={}, neo4j={}, ingest={}, ingest_exponent=None)
    return report.targets(facts)[0]


def test_the_smallest_measured_ratio_decides() -> None:
    run = query_run(10_000, [("a", 10.0, lib(500.0)), ("b", 10.0, lib(150.0))])
    line = verdict([run])
    assert "×15.0" in line and "for b" in line and "**missed**" in line
    # a measured miss is a miss even when a smaller lower bound exists
    run = query_run(10_000, [("b", 10.0, lib(150.0)), ("slow", 6_000.0, lib(60_000.0, timed_out=True))])
    assert "for b" in verdict([run]) and "**missed**" in verdict([run])


def test_a_timed_out_rdflib_gives_a_lower_bound_not_a_miss() -> None:
    run = query_run(10_000, [("a", 10.0, lib(500.0)), ("slow", 6_000.0, lib(60_000.0, timed_out=True))])
    line = verdict([run])
    assert "lower bound" in line and "for slow" in line and "**not shown**" in line
    run = query_run(10_000, [("a", 10.0, lib(500.0)), ("slow", 100.0, lib(60_000.0, timed_out=True))])
    assert "**met**" in verdict([run])


def test_a_query_rdflib_cannot_run_is_listed_but_not_a_ratio() -> None:
    broken = {"n": 0, "p50_ms": None, "p95_ms": None, "rows": None, "timed_out": False,
              "error": "NotBoundError: Variable fname is not bound"}
    run = query_run(10_000, [("a", 10.0, lib(300.0)), ("odd", 10.0, broken)])
    table, facts = report.query_table([run])
    assert "rdflib failed: NotBoundError" in table
    assert facts["worst_ratio"][(10_000, "measured")] == (30.0, "a")
    assert "**met**" in verdict([run])


def test_growth_exponent() -> None:
    assert report.exponent([(100, 1.0), (1_000, 10.0)]) == pytest.approx(1.0)
    assert report.exponent([(100, 1.0), (1_000, 100.0)]) == pytest.approx(2.0)
    assert report.exponent([(100, 1.0)]) is None
