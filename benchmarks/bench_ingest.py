"""Ingest phase: extract + validate + store N synthetic documents into a fresh on-disk store.

The steps are the ones `policykg load` takes, through the real modules:
1. extract and build RDF — `loaders.pipeline.build` (every file extracted, then one graph per
   file, so citations and top-ups resolve across files);
2. validate — batches of `--batch` files (default 100): their graphs merged and checked with
   `queries.neighbourhood.validate_increment` against the store as filled so far, so cost
   grows with the batch, not with the store (pyshacl has a fixed cost per call, ~40 ms, which
   batching spreads; one document at a time is measured in bench_validation.py, and full
   validation of the whole graph too);
3. store — `PolicyStore.replace_source` per file, into RocksDB on disk.

Before the documents, the synthetic places' hierarchy (`jurisdictions.ttl` written by the
generator) is stored as one more source graph. The store is left in benchmarks/out/ for the
query, validation and Neo4j phases. Peak memory is this process's maxrss.

    python benchmarks/bench_ingest.py --n 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import shutil
from collections import Counter

from common import corpus_dir, emit, ensure_corpus, log, stopwatch, store_dir
from rdflib import Graph

from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build
from policykg.queries.neighbourhood import validate_increment
from policykg.queries.store import PolicyStore

JURISDICTIONS_SOURCE = "jurisdictions.ttl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100, help="files validated together")
    args = parser.parse_args()

    paths = ensure_corpus(args.n, args.seed)
    folder = corpus_dir(args.n, args.seed)
    manifest = load_manifest(folder / "manifest.yaml")
    target = store_dir(args.n, args.seed)
    shutil.rmtree(target, ignore_errors=True)

    log(f"ingest N={args.n}: extracting and building graphs")
    with stopwatch() as t_build:
        built = build(paths, manifest)
    graphs = built.graphs
    triples = sum(len(g) for g in graphs.values())
    policies = sum(1 for r in built.reports if r.loaded)
    log(f"built {len(graphs)} graphs, {triples:,} triples, {policies} loaded policies "
        f"in {t_build['s']:.1f}s")

    places = Graph()
    places.parse(folder / JURISDICTIONS_SOURCE)
    store = PolicyStore.open(target)
    store.replace_source(JURISDICTIONS_SOURCE, places)

    t_validate = t_store = 0.0
    problems: Counter[str] = Counter()
    failing_focus: set[str] = set()
    items = list(graphs.items())
    for start in range(0, len(items), args.batch):
        batch = items[start:start + args.batch]
        with stopwatch() as t:
            merged = Graph()
            for _source, graph in batch:
                merged += graph
            report = validate_increment(merged, store, "en")
        t_validate += t["s"]
        failing_focus.update(f.focus for f in report.findings if f.severity == "Violation")
        problems.update(f.shape.rsplit("#", 1)[-1] for f in report.findings)
        with stopwatch() as t:
            for source, graph in batch:
                store.replace_source(source, graph)
        t_store += t["s"]
        log(f"validated and stored {start + len(batch)}/{len(items)}")
    store.close()
    disk = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())

    total = t_build["s"] + t_validate + t_store
    emit({
        "phase": "ingest", "n": args.n, "files": len(paths), "graphs": len(graphs),
        "loaded_policies": policies, "triples": triples,
        "extract_build_s": t_build["s"], "validate_s": t_validate, "store_s": t_store,
        "total_s": total, "docs_per_s": len(paths) / total, "triples_per_s": triples / total,
        "batch": args.batch, "violating_nodes": len(failing_focus),
        "findings_by_shape": dict(problems.most_common()), "store_disk_mib": disk / 2**20,
    })


if __name__ == "__main__":
    main()
