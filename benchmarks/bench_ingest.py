"""Ingest phase: extract + validate + store N synthetic documents into a fresh on-disk store.

The steps are the ones `policykg load` takes, through the real modules:
`queries.ingest.ingest_files`, exactly what `policykg load` runs: extract every file; build
each graph in turn and stage it aside in the store (extract_build_s = extract + stage);
validate the staged files in batches of `--batch` (default 100) with
`queries.neighbourhood.validate_increment`, so cost grows with the batch, not with the store
(one document at a time is measured in bench_validation.py, and full validation of the whole
graph too); then commit each staged graph into RocksDB on disk (store_s).

Before the documents, the synthetic places' hierarchy (`jurisdictions.ttl` written by the
generator) is stored as one more source graph. The store is left in benchmarks/out/ for the
query, validation and Neo4j phases. Peak memory is this process's maxrss.

    python benchmarks/bench_ingest.py --n 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections import Counter
from pathlib import Path

from common import corpus_dir, emit, ensure_corpus, log, store_dir
from rdflib import Graph

from policykg.loaders.manifest import load_manifest
from policykg.queries.ingest import ingest_files
from policykg.queries.store import PolicyStore

JURISDICTIONS_SOURCE = "jurisdictions.ttl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100, help="files validated together")
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

    log(f"ingest N={args.n}: extract, stage, validate (batches of {args.batch}), commit")
    outcome = ingest_files(store, paths, manifest, lang="en", batch=args.batch, progress=tick)
    if not outcome.conforms:
        problems = Counter(f.shape.rsplit("#", 1)[-1] for f in outcome.findings)
        raise SystemExit(f"the synthetic corpus does not conform, nothing stored: {dict(problems)}")
    triples = outcome.triples
    policies = sum(1 for r in outcome.documents if r.loaded)
    log(f"stored {len(outcome.stored)} graphs, {triples:,} triples, {policies} loaded policies")
    store.close()
    disk = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())

    total = sum(phase_s.values())
    emit({
        "phase": "ingest", "n": args.n, "files": len(paths), "graphs": len(outcome.stored),
        "loaded_policies": policies, "triples": triples,
        "extract_build_s": phase_s["extract"] + phase_s["stage"], "validate_s": phase_s["validate"],
        "store_s": phase_s["store"], "total_s": total, "docs_per_s": len(paths) / total,
        "triples_per_s": triples / total, "batch": args.batch, "violating_nodes": 0,
        "findings_by_shape": {}, "store_disk_mib": disk / 2**20,
    })


if __name__ == "__main__":
    main()
