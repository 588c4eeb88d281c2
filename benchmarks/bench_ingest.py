"""Ingest phase: extract + link + validate + store N synthetic documents into a fresh on-disk
store, and pyoxigraph's `bulk_load` of the same quads beside it, in the same run.

The steps are the ones `policykg load` takes, through the real modules:
`queries.ingest.ingest_files` — extract each file (in worker processes one batch ahead;
extract_build_s is the time the write path waited for them), then per batch of
`--batch` files the write path `queries.writes.apply`: derive links, validate the batch with
its stored neighbourhood in memory, write it once (write_s); the batches go into a copy of the
store that replaces it at the end (`queries.swap`), after `optimize()`.

Then every quad of the resulting store (source graphs, links, background, default-graph merge)
is dumped as N-Quads and loaded with `Store.bulk_load` into a fresh directory: the engine's
own speed for the same data (bulk_s), and `ingest_vs_bulk` = total_s / bulk_s. Both are also
given in CPU seconds (`*_cpu_s`: this process, all threads, plus the extraction workers,
`workers_cpu_s`), which other load on the machine disturbs less than wall-clock time. Before the documents, the synthetic
places' hierarchy (`jurisdictions.ttl` written by the generator) is stored as one more source
graph. The store is left in benchmarks/out/ for the query, validation and Neo4j phases. Peak
memory is this process's maxrss (the workers' largest is `workers_peak_rss_mib`).

    python benchmarks/bench_ingest.py --n 1000 [--seed 1] [--store DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from common import corpus_dir, emit, ensure_corpus, log, peak_rss_mib, store_dir
from rdflib import Graph

from policykg.loaders.manifest import load_manifest
from policykg.queries.ingest import DEFAULT_BATCH, ingest_files
from policykg.queries.store import PolicyStore

JURISDICTIONS_SOURCE = "jurisdictions.ttl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="files validated together")
    parser.add_argument("--workers", type=int, default=None,
                        help="extraction processes (default: queries.ingest's choice; 0: none)")
    parser.add_argument("--store", type=Path, help="where to build the store (default: the one "
                        "the later phases read, benchmarks/out/store-N-seedS)")
    args = parser.parse_args()

    paths = ensure_corpus(args.n, args.seed)
    folder = corpus_dir(args.n, args.seed)
    manifest = load_manifest(folder / "manifest.yaml")
    target = args.store or store_dir(args.n, args.seed)
    shutil.rmtree(target, ignore_errors=True)

    places = Graph()
    places.parse(folder / JURISDICTIONS_SOURCE)
    store = PolicyStore.open(target)
    store.replace_source(JURISDICTIONS_SOURCE, places)

    # time per phase, from the same progress callback `policykg load` draws its bars with
    phase_s: Counter[str] = Counter()
    clock = [time.perf_counter()]

    def tick(phase: str, _done: int, _total: int) -> None:
        now = time.perf_counter()
        phase_s[phase] += now - clock[0]
        clock[0] = now

    log(f"ingest N={args.n}: extract, link, validate, write (batches of {args.batch})")
    started, cpu, child_cpu = time.perf_counter(), time.process_time(), _children_cpu()
    outcome = ingest_files(store, paths, manifest, lang="en", batch=args.batch, progress=tick,
                           workers=args.workers)
    total, own_cpu = time.perf_counter() - started, time.process_time() - cpu
    workers_cpu = _children_cpu() - child_cpu  # the extraction workers, reaped when the load ends
    total_cpu = own_cpu + workers_cpu
    workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if not outcome.conforms or outcome.errors:
        problems = Counter(f.shape.rsplit("#", 1)[-1] for f in outcome.findings)
        raise SystemExit(f"the synthetic corpus does not load, nothing stored: {dict(problems)} "
                         f"{outcome.errors[:3]}")
    triples = outcome.triples
    policies = sum(1 for r in outcome.documents if r.loaded)
    log(f"stored {len(outcome.stored)} graphs, {triples:,} triples, {policies} loaded policies")
    ingest_rss = peak_rss_mib()
    dump = target.with_name(target.name + ".nq")
    store._ox.dump(str(dump), ox.RdfFormat.N_QUADS)  # noqa: SLF001 - the engine's own export
    quads = len(store._ox)  # noqa: SLF001
    store.close()
    disk = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())

    bulk_dir = target.with_name(target.name + "-bulk")
    shutil.rmtree(bulk_dir, ignore_errors=True)
    log(f"bulk_load of the same {quads:,} quads (N-Quads, {dump.stat().st_size / 2**20:.0f} MiB)")
    bulk = ox.Store(str(bulk_dir))
    started, cpu = time.perf_counter(), time.process_time()
    bulk.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    bulk.flush()
    bulk_s, bulk_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(bulk) == quads
    del bulk
    shutil.rmtree(bulk_dir, ignore_errors=True)
    dump.unlink()

    emit({
        "phase": "ingest", "n": args.n, "files": len(paths), "graphs": len(outcome.stored),
        "loaded_policies": policies, "triples": triples, "quads": quads,
        "extract_build_s": phase_s["extract"], "validate_s": phase_s["write"],
        "write_s": phase_s["write"], "store_s": 0.0, "total_s": total,
        "docs_per_s": len(paths) / total, "triples_per_s": triples / total, "batch": args.batch,
        "bulk_s": bulk_s, "ingest_vs_bulk": total / bulk_s, "total_cpu_s": total_cpu,
        "bulk_cpu_s": bulk_cpu, "ingest_own_cpu_s": own_cpu, "workers_cpu_s": workers_cpu,
        "workers_peak_rss_mib": workers_rss, "ingest_vs_bulk_cpu": total_cpu / bulk_cpu,
        "cpu_s_by_step": {"link": outcome.seconds.get("link", 0.0),
                          "validate": outcome.seconds.get("validate", 0.0),
                          "write": outcome.seconds.get("write", 0.0)}, "ingest_peak_rss_mib": ingest_rss,
        "violating_nodes": 0, "findings_by_shape": {}, "store_disk_mib": disk / 2**20,
    })


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
