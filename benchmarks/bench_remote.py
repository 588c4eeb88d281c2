"""Remote store beside the embedded one, same data, same run: `policykg load`'s path
(`queries.ingest.ingest_files`) of N synthetic documents into an on-disk embedded store and
into an Oxigraph server (`oxigraph serve`, the test extra's binary, on 127.0.0.1 over a temporary
directory), then every catalogue query through `catalogue.run_query` on both.

Figures: wall and CPU seconds of this process, and for the remote side the server process's
CPU seconds too (from /proc), since there the engine's work happens in another process;
p50/p95 per query over `--reps` repetitions; the load average before and after (the machine
is shared). Both sides answer the same rows or the script stops.

    python benchmarks/bench_remote.py [--sizes 200,1000] [--seed 1] [--reps 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, corpus_dir, ensure_corpus, log, percentile
from rdflib import Graph

from policykg.loaders.manifest import load_manifest
from policykg.queries.catalogue import load_catalogue, run_query
from policykg.queries.ingest import ingest_files
from policykg.queries.remote_store import RemoteStore
from policykg.queries.store import PolicyStore

sys.path.insert(0, str(ROOT / "tests"))
from remote.oxigraph_server import oxigraph_server  # noqa: E402 - the tests' server fixture

sys.path.insert(0, str(Path(__file__).parent))
from bench_query import bench_params  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def server_cpu(url: str) -> float:
    """CPU seconds (user + system) of the `oxigraph serve` process listening on `url`."""
    port = url.rsplit(":", 1)[1]
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = stat.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and f"127.0.0.1:{port}".encode() in args:
            fields = (stat.parent / "stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / TICK
    raise RuntimeError(f"no oxigraph process for {url}")


def ingest(store: PolicyStore | RemoteStore, n: int, seed: int) -> dict[str, float]:
    paths = ensure_corpus(n, seed)
    folder = corpus_dir(n, seed)
    places = Graph()
    places.parse(folder / "jurisdictions.ttl")
    store.replace_source("jurisdictions.ttl", places)
    started, cpu = time.perf_counter(), time.process_time()
    outcome = ingest_files(store, paths, load_manifest(folder / "manifest.yaml"), lang="en")
    if not outcome.conforms or outcome.errors:
        raise SystemExit(f"the synthetic corpus does not load: {outcome.findings[:3]} {outcome.errors[:3]}")
    return {"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
            "triples": outcome.triples}


def queries(store: PolicyStore | RemoteStore, seed: int, reps: int) -> dict[str, tuple[list[float], list]]:
    params = bench_params(seed)
    out = {}
    for name in sorted(load_catalogue()):
        samples, rows = [], None
        for _ in range(reps):
            started = time.perf_counter()
            rows = run_query(store, name, params.get(name, {})).rows
            samples.append(time.perf_counter() - started)
        out[name] = (samples, rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-remote-") as tmp, oxigraph_server() as url:
            embedded = PolicyStore.open(Path(tmp) / "data")
            remote = RemoteStore.connect(url)
            log(f"N={n}: ingest, embedded")
            mine = ingest(embedded, n, args.seed)
            log(f"N={n}: ingest, remote ({url})")
            before = server_cpu(url)
            theirs = ingest(remote, n, args.seed)
            theirs["server_cpu_s"] = server_cpu(url) - before
            print(f"\n## N = {n}: ingest ({mine['triples']:,} triples)")
            print("| store | wall s | client CPU s | server CPU s |\n|---|---|---|---|")
            print(f"| embedded | {mine['wall_s']:.1f} | {mine['cpu_s']:.1f} | – |")
            print(f"| remote (Oxigraph server) | {theirs['wall_s']:.1f} | {theirs['cpu_s']:.1f} | "
                  f"{theirs['server_cpu_s']:.1f} |")
            log(f"N={n}: catalogue queries, {args.reps} repetitions each")
            before = server_cpu(url)
            a, b = queries(embedded, args.seed, args.reps), queries(remote, args.seed, args.reps)
            spent = server_cpu(url) - before
            print(f"\n## N = {n}: catalogue queries (ms, p50 / p95 of {args.reps}; server CPU "
                  f"{spent:.1f} s in all)")
            print("| query | rows | embedded p50 | p95 | remote p50 | p95 | remote/embedded |")
            print("|---|---|---|---|---|---|---|")
            for name in a:
                if a[name][1] != b[name][1]:
                    raise SystemExit(f"{name}: the remote store answers other rows")
                ea = percentile(a[name][0], 50) * 1000
                ra = percentile(b[name][0], 50) * 1000
                print(f"| {name} | {len(a[name][1])} | {ea:.1f} | {percentile(a[name][0], 95) * 1000:.1f}"
                      f" | {ra:.1f} | {percentile(b[name][0], 95) * 1000:.1f} | ×{ra / ea:.1f} |")
            embedded.close()
            remote.close()
            shutil.rmtree(Path(tmp) / "data", ignore_errors=True)
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
