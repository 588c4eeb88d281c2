"""Shared plumbing of the benchmark phases: where corpora and stores live, timing, peak memory,
and the one-line JSON protocol between `run.py` and the phase scripts.

Each phase (`bench_ingest.py`, `bench_query.py`, `bench_validation.py`, `bench_neo4j.py`) runs
as its own subprocess per N, so the peak resident memory it reports (getrusage maxrss) is its
own and one size's peak never hides inside another's.
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = BENCH_DIR / "out"  # gitignored
RESULT_MARK = "BENCH-RESULT "


def corpus_dir(n: int, seed: int) -> Path:
    return OUT / f"docs-{n}-seed{seed}"


def store_dir(n: int, seed: int) -> Path:
    return OUT / f"store-{n}-seed{seed}"


def spare_dir(n: int, seed: int) -> Path:
    """Documents generated past N (indices N, N+1, …): the "one new document" of each size."""
    return OUT / f"spare-{n}-seed{seed}"


def ensure_corpus(n: int, seed: int) -> list[Path]:
    """The N synthetic documents for this seed, generated once and reused (a stamp records N)."""
    sys.path.insert(0, str(BENCH_DIR))
    from generate import write  # the generator lives next to this module

    folder = corpus_dir(n, seed)
    stamp = folder / ".complete"
    if not stamp.exists():
        write(n, folder, seed)
        stamp.write_text(str(n))
    return sorted(folder.glob("*.txt"))


def ensure_spare(n: int, seed: int, count: int = 5) -> list[Path]:
    """Documents N … N+count-1 of the same seed: new to a store built from the first N."""
    sys.path.insert(0, str(BENCH_DIR))
    from generate import generate

    folder = spare_dir(n, seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (name, gen) in enumerate(generate(n + count, seed)):
        if i < n:
            continue
        path = folder / name
        if not path.exists():
            path.write_text("\n".join(gen.lines), encoding="utf-8")
        paths.append(path)
    return paths


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation; NaN for no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def repeat(fn: Callable[[], Any], *, reps: int, budget_s: float, warmup: int = 1) -> list[float]:
    """Wall times (ms) of up to `reps` calls, stopping early once `budget_s` is spent.

    Always at least one timed call, so a query slower than the budget still gets a figure."""
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < reps:
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() - started > budget_s:
            break
    return samples


def summary(samples: list[float]) -> dict[str, float | int]:
    return {
        "n": len(samples),
        "p50_ms": percentile(samples, 50),
        "p95_ms": percentile(samples, 95),
        "mean_ms": statistics.fmean(samples) if samples else math.nan,
    }


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """`with stopwatch() as t: …` then `t["s"]` holds the elapsed seconds."""
    box: dict[str, float] = {}
    t0 = time.perf_counter()
    try:
        yield box
    finally:
        box["s"] = time.perf_counter() - t0


def emit(result: dict[str, Any]) -> None:
    """Hand the phase's figures to run.py: one marked JSON line on stdout."""
    result.setdefault("peak_rss_mib", peak_rss_mib())
    print(RESULT_MARK + json.dumps(result, ensure_ascii=False, default=str), flush=True)


def log(message: str) -> None:
    """Progress for the person watching; stderr, so stdout stays the result channel."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
