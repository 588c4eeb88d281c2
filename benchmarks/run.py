"""`make bench`: generate synthetic corpora, run every benchmark phase at each size, print tables.

Each (phase, N) runs as its own subprocess (`bench_<phase>.py`), so peak memory is measured
per phase and per size, and one failing phase is reported without hiding the others. The
figures of a run are saved as JSON (benchmarks/out/results.json); `--report FILE` prints the
tables again from such a file without measuring.

    python benchmarks/run.py                       # N = 200, 1,000, 10,000; all phases
    python benchmarks/run.py --sizes 100,1000 --quick
    python benchmarks/run.py --phases query --sizes 1000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import BENCH_DIR, OUT, RESULT_MARK, ROOT, ensure_corpus, log
from report import print_tables

PHASES = ("ingest", "query", "validation", "neo4j", "eligibility")
#: Wall-clock limit of one phase at one size: a hung phase is reported, not waited on forever.
#: The 10,000-document ingest takes about half an hour on 2 cores, so an hour each.
PHASE_TIMEOUT_S = {"ingest": 3600, "query": 3600, "validation": 3600, "neo4j": 3600, "eligibility": 3600}


def machine() -> dict[str, Any]:
    """What the figures were measured on (RESULTS.md quotes it)."""
    from importlib.metadata import PackageNotFoundError, version

    packages = {}
    for name in ("policykg", "rdflib", "pyshacl", "pyoxigraph", "neo4j", "rdflib-neo4j",
                 "arcadedb-embedded"):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    try:
        mem = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout
    except OSError:  # no procps: the figure is simply left out
        mem = ""
    return {"nproc": os.cpu_count(), "free": mem.strip(), "python": platform.python_version(),
            "platform": platform.platform(), "packages": packages}


def run_phase(phase: str, n: int, seed: int, extra: list[str]) -> dict[str, Any]:
    """Run one phase script and return its result record (or the failure, precisely)."""
    cmd = [sys.executable, str(BENCH_DIR / f"bench_{phase}.py"), "--n", str(n), "--seed", str(seed),
           *extra]
    log(f"▶ {phase} N={n}: {' '.join(cmd[1:])}")
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                              timeout=PHASE_TIMEOUT_S[phase], check=False)
    except subprocess.TimeoutExpired as exc:
        return {"phase": phase, "n": n, "error": f"timed out after {exc.timeout}s"}
    wall = time.perf_counter() - started
    sys.stderr.write(proc.stderr)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            record = json.loads(line[len(RESULT_MARK):])
            record["wall_s"] = wall
            return record
    tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
    return {"phase": phase, "n": n, "error": f"exit {proc.returncode}: {tail}", "wall_s": wall}


def phase_args(phase: str, quick: bool) -> list[str]:
    if phase == "query":
        return ["--quick"] if quick else []
    if phase == "validation":
        # full SHACL validation is measured up to 1,000 documents and extrapolated above
        return ["--full-cap", str(100 if quick else 1000)]
    if phase == "neo4j":
        return ["--quick"] if quick else []
    if phase == "eligibility":
        return ["--reps", "5" if quick else "30"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000,10000",
                        help="comma-separated document counts (default 200,1000,10000)")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"comma-separated subset of {','.join(PHASES)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repetitions and lower caps (minutes instead of tens of minutes)")
    parser.add_argument("--json", type=Path, default=OUT / "results.json",
                        help="where to save the figures (default benchmarks/out/results.json)")
    parser.add_argument("--neo4j-max", type=int, default=1000,
                        help="largest N for the Neo4j comparison (above: extrapolated)")
    parser.add_argument("--report", type=Path, help="print the tables of a saved run and exit")
    args = parser.parse_args(argv)

    if args.report:
        print_tables(json.loads(args.report.read_text(encoding="utf-8")))
        return 0
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s): {', '.join(sorted(unknown))}")

    OUT.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "seed": args.seed,
                           "quick": args.quick, "sizes": sizes, "machine": machine(), "results": []}
    previous = _load(args.json)
    t0 = time.perf_counter()
    for n in sizes:
        log(f"generating {n} documents (seed {args.seed})")
        ensure_corpus(n, args.seed)
        for phase in phases:
            if phase == "neo4j" and n > args.neo4j_max:
                # ~1.5 h at 10,000 documents on 2 cores; report.py extrapolates from smaller N
                record = {"phase": phase, "n": n, "skipped": f"N above --neo4j-max {args.neo4j_max}"}
            else:
                record = run_phase(phase, n, args.seed, phase_args(phase, args.quick))
            run["results"].append(record)
            _save(args.json, run, previous)
    run["total_s"] = time.perf_counter() - t0
    _save(args.json, run, previous)
    print_tables(run)
    log(f"figures saved to {args.json}")
    return 0


def _load(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _save(path: Path, run: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Save this run; results of other (phase, N) pairs from the previous file are kept, so a
    partial re-run (`--phases neo4j`) does not erase the rest."""
    merged = dict(run)
    if previous:
        mine = {(r.get("phase"), r.get("n")) for r in run["results"]}
        kept = [r for r in previous.get("results", []) if (r.get("phase"), r.get("n")) not in mine]
        merged["results"] = kept + run["results"]
    path.write_text(json.dumps(merged, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
