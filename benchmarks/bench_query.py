"""Query phase: p50/p95 latency of every catalogue query on our store vs the same SPARQL on rdflib.

Our side is what the API does for `/queries/{name}`: `catalogue.run_query` on the on-disk
`PolicyStore` built by the ingest phase (parameter resolution, VALUES binding, pyoxigraph,
plain rows). The rdflib side runs the *same bound SPARQL text* on one in-memory `rdflib.Graph`
holding every triple of the store (all source graphs and the background merged into one graph
— rdflib's fastest layout, so the ratio is if anything flattering to rdflib) and materialises
the rows. Both sides run in this process, one after the other, in the same run.

rdflib is slow at scale, so each rdflib query runs in a forked child with a hard timeout and a
repetition/time budget (stated in the output); a query that times out is reported as ">T" and
its ratio as a lower bound.

    python benchmarks/bench_query.py --n 1000 [--seed 1] [--quick]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any

from common import emit, log, repeat, stopwatch, store_dir, summary
from rdflib import Graph

from policykg.ontology import BACKGROUND_FILES, vocab
from policykg.queries.binding import bind_values
from policykg.queries.catalogue import NamedQuery, load_catalogue, run_query
from policykg.queries.params import coerce, resolve
from policykg.queries.store import PolicyStore


def bench_params(seed: int) -> dict[str, dict[str, Any]]:
    """Values for parameters without a default, present at every N: 南通创新区 is in
    ontology/jurisdictions.ttl and in benchmarks/synth/places.py, and the generator's first
    document is in every corpus of a seed (larger corpora extend smaller ones)."""
    from generate import generate

    first = next(iter(generate(1, seed)))[1]
    return {
        "in-force": {"jurisdiction": "南通创新区"},
        "search": {"text": "算力券"},
        "precedence": {"policy": first.title},
    }

_GRAPH: Graph | None = None  # the rdflib copy, inherited by forked children


def rdflib_copy(store: PolicyStore) -> Graph:
    """Every triple of the store in one rdflib Graph (sources + background)."""
    graph = Graph()
    for path in BACKGROUND_FILES:
        graph.parse(path)
    for source in store.sources():
        for triple in store.graph_for(source):
            graph.add(triple)
    return graph


def bound_text(store: PolicyStore, query: NamedQuery, params: dict[str, Any]) -> str:
    """The SPARQL text the store runs for these parameters (so rdflib runs exactly the same)."""
    values = coerce(query.params, params)
    return bind_values(query.sparql, resolve(store, query.params, values))


def _rdflib_worker(text: str, reps: int, budget_s: float, conn: Connection) -> None:
    assert _GRAPH is not None
    graph = _GRAPH
    rows: list[int] = []

    def once() -> None:
        rows.append(len(list(graph.query(text, initNs=vocab.PREFIXES))))

    try:
        samples = repeat(once, reps=reps, budget_s=budget_s, warmup=0)
    except Exception as err:  # rdflib's own failure on this query: a figure, not a crash
        conn.send({"error": f"{type(err).__name__}: {err}"})
    else:
        conn.send({"samples": samples, "rows": rows[-1] if rows else None})
    conn.close()


def time_rdflib(text: str, reps: int, budget_s: float, timeout_s: float) -> dict[str, Any]:
    """rdflib timings from a forked child, killed after `timeout_s`."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_worker, args=(text, reps, budget_s, child))
    proc.start()
    child.close()
    if parent.poll(timeout_s):
        try:
            result = parent.recv()
        except EOFError:  # the child died without a word (out of memory, a crash in C)
            result = {"error": "the rdflib process died"}
        proc.join()
        if "error" in result:
            return {"n": 0, "p50_ms": None, "p95_ms": None, "rows": None, "timed_out": False,
                    "error": result["error"]}
        return {**summary(result["samples"]), "rows": result["rows"], "timed_out": False}
    proc.kill()
    proc.join()
    return {"n": 0, "p50_ms": timeout_s * 1000, "p95_ms": timeout_s * 1000, "rows": None,
            "timed_out": True}


def main() -> None:
    global _GRAPH
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter budgets")
    args = parser.parse_args()
    ours_reps, ours_budget = (10, 5.0) if args.quick else (50, 20.0)
    lib_reps, lib_budget = (3, 10.0) if args.quick else (10, 30.0)
    lib_timeout = 20.0 if args.quick else 60.0
    params_by_query = bench_params(args.seed)

    store = PolicyStore.open(store_dir(args.n, args.seed), read_only=True)
    log(f"query N={args.n}: copying {store.dataset_size():,} quads into an rdflib Graph")
    with stopwatch() as t_copy:
        _GRAPH = rdflib_copy(store)
    log(f"rdflib copy: {len(_GRAPH):,} triples in {t_copy['s']:.1f}s")

    rows_out = []
    for name, query in sorted(load_catalogue().items()):
        params = params_by_query.get(name, {})
        text = bound_text(store, query, params)
        ours_rows = len(run_query(store, query, params).rows)  # also the warm-up run
        ours = summary(repeat(lambda q=query, p=params: run_query(store, q, p),
                              reps=ours_reps, budget_s=ours_budget, warmup=0))
        log(f"{name}: ours p50 {ours['p50_ms']:.1f} ms ({ours_rows} rows); rdflib …")
        lib = time_rdflib(text, lib_reps, lib_budget, lib_timeout)
        if lib["rows"] is not None and lib["rows"] != ours_rows:
            log(f"{name}: row counts differ (ours {ours_rows}, rdflib {lib['rows']})")
        if lib.get("error"):
            ratio = None
            log(f"{name}: rdflib failed: {lib['error']}")
        else:
            ratio = lib["p50_ms"] / ours["p50_ms"] if ours["p50_ms"] > 0 else float("nan")
            log(f"{name}: rdflib p50 {lib['p50_ms']:.1f} ms{' (timeout)' if lib['timed_out'] else ''}"
                f" -> ×{ratio:.1f}")
        rows_out.append({"query": name, "params": params, "rows": ours_rows, "rdflib_rows": lib["rows"],
                         "ours": ours, "rdflib": lib, "ratio_p50": ratio,
                         "ratio_is_lower_bound": lib["timed_out"]})
    store.close()
    emit({
        "phase": "query", "n": args.n, "triples": len(_GRAPH), "rdflib_copy_s": t_copy["s"],
        "caps": {"ours_reps": ours_reps, "ours_budget_s": ours_budget, "rdflib_reps": lib_reps,
                 "rdflib_budget_s": lib_budget, "rdflib_timeout_s": lib_timeout},
        "queries": rows_out, "at": time.strftime("%Y-%m-%d %H:%M:%S"),
    })


if __name__ == "__main__":
    main()
