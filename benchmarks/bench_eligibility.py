"""Eligibility phase: how long `queries.eligibility.calculate` takes (what `policykg
eligibility` and `GET /eligibility` run) on the bundled corpus and on N synthetic documents.
Targets (issue 16): under 100 ms on the corpus, under 1 s at 10,000 documents. A benchmark that
prints figures, not a timed test.

The N-document store is the ingest phase's (benchmarks/out/store-N-seedS, `bench_ingest.py`)
when it exists; otherwise this script builds its own copy next to it with the loaders'
pipeline (`extract_all` + `iter_graphs`, one graph in memory at a time) and no SHACL validation (the calculator's time does not depend on how the store was
checked).

    python benchmarks/bench_eligibility.py [--n 10000] [--seed 1] [--reps 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

from common import (
    OUT,
    ROOT,
    corpus_dir,
    emit,
    ensure_corpus,
    log,
    repeat,
    stopwatch,
    store_dir,
    summary,
)
from rdflib import Graph

from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build_graphs, extract_all, iter_graphs
from policykg.queries.eligibility import calculate
from policykg.queries.store import PolicyStore

DAY = dt.date(2026, 11, 29)
QUESTIONS = (
    ("南通创新区, compute 10M", "南通创新区", {"compute_voucher": Decimal(10_000_000)}),
    ("南通创新区, every category", "南通创新区", {}),
    ("安徽省, compute 10M", "安徽省", {"compute_voucher": Decimal(10_000_000)}),
)


def corpus_store() -> PolicyStore:
    corpus = ROOT / "corpus"
    store = PolicyStore.in_memory()
    for source, graph in build_graphs(sorted(corpus.glob("*.txt")), load_manifest(corpus / "manifest.yaml")).items():
        store.replace_source(source, graph)
    return store


def synthetic_store(n: int, seed: int) -> PolicyStore:
    ingested = store_dir(n, seed)
    if ingested.exists():
        log(f"using the ingest phase's store {ingested}")
        return PolicyStore.open(ingested, read_only=True)
    target = OUT / f"eligibility-store-{n}-seed{seed}"
    stamp = target.with_suffix(".complete")
    if stamp.exists():
        return PolicyStore.open(target, read_only=True)
    paths = ensure_corpus(n, seed)
    folder = corpus_dir(n, seed)
    shutil.rmtree(target, ignore_errors=True)
    log(f"building a store of {n} documents in {target} (extract, build, store; no validation)")
    with stopwatch() as t, PolicyStore.open(target) as store:
        store.replace_source("jurisdictions.ttl", Graph().parse(folder / "jurisdictions.ttl"))
        results = extract_all(paths, load_manifest(folder / "manifest.yaml"), compact=True)
        for source, graph in iter_graphs(results):  # one graph in memory at a time
            store.replace_source(source, graph)
    log(f"built in {t['s']:.0f} s")
    stamp.write_text(str(n))
    return PolicyStore.open(target, read_only=True)


def measure(label: str, store: PolicyStore, reps: int) -> list[dict]:
    results = []
    for name, at, spend in QUESTIONS:
        answer = calculate(store, at, DAY, spend)
        items = sum(len(c.items) for c in answer.categories)
        samples = repeat(lambda at=at, spend=spend: calculate(store, at, DAY, spend), reps=reps, budget_s=20)
        figures = summary(samples)
        print(f"{label:>12} | {name:<28} | items {items:>4} | total {answer.total:>14,.0f} | "
              f"p50 {figures['p50_ms']:8.1f} ms | p95 {figures['p95_ms']:8.1f} ms ({figures['n']} runs)")
        results.append({"corpus": label, "question": name, "items": items, **figures})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="synthetic documents (0: corpus only)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args()
    print("targets: < 100 ms on the bundled corpus, < 1 s at 10,000 documents")
    results = measure("corpus", corpus_store(), args.reps)
    if args.n:
        store = synthetic_store(args.n, args.seed)
        results += measure(f"N={args.n}", store, args.reps)
        store.close()
    emit({"phase": "eligibility", "n": args.n, "results": results})


if __name__ == "__main__":
    Path(OUT).mkdir(parents=True, exist_ok=True)
    main()
