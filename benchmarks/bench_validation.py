"""Validation phase: full SHACL validation of the whole graph vs `validate_increment` of one
new document, and adding one document end to end, on the store of N documents.

- full: `ontology.validation.validate_graph` over every source graph of the store merged (what
  `policykg validate --data` does). pyshacl's cost grows with the graph, so above
  `--full-cap` documents it is not run: the figure is extrapolated from the measured sizes
  by run.py and marked as such.
- increment: `queries.neighbourhood.validate_increment(graph, store)` for documents the store
  has not seen (generated past N with the same seed).
- add one document: `extract_file` + `to_graph` + `queries.writes.apply` (links, validation,
  one write: what POST /documents does); each new document is removed again afterwards
  (`writes.remove`), so the store stays as ingest left it.

    python benchmarks/bench_validation.py --n 1000 [--seed 1] [--full-cap 1000]
"""

from __future__ import annotations

import argparse

from common import corpus_dir, emit, ensure_spare, log, stopwatch, store_dir, summary
from rdflib import Graph

from policykg.loaders.extract import extract_file
from policykg.loaders.manifest import load_manifest
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.validation import validate_graph
from policykg.queries import writes
from policykg.queries.neighbourhood import neighbourhood, validate_increment
from policykg.queries.store import PolicyStore


def whole_graph(store: PolicyStore) -> Graph:
    graph = Graph()
    for source in store.sources():
        for triple in store.graph_for(source):
            graph.add(triple)
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full-cap", type=int, default=1000,
                        help="largest N at which full validation is run (above: extrapolated)")
    parser.add_argument("--new-docs", type=int, default=8,
                        help="new documents to add one by one (the first is a warm-up)")
    args = parser.parse_args()

    store = PolicyStore.open(store_dir(args.n, args.seed))
    result: dict = {"phase": "validation", "n": args.n, "full_cap": args.full_cap}

    if args.n <= args.full_cap:
        with stopwatch() as t_read:
            graph = whole_graph(store)
        log(f"validation N={args.n}: full SHACL validation of {len(graph):,} triples …")
        with stopwatch() as t_full:
            report = validate_graph(graph, "en")
        result["full"] = {"triples": len(graph), "read_s": t_read["s"], "validate_s": t_full["s"],
                          "conforms": report.conforms, "findings": len(report.findings),
                          "measured": True}
        log(f"full: {t_full['s']:.1f}s, conforms={report.conforms}, {len(report.findings)} findings")
        del graph, report
    else:
        result["full"] = {"measured": False}

    spare = ensure_spare(args.n, args.seed, args.new_docs)
    manifest = load_manifest(corpus_dir(args.n, args.seed) / "manifest.yaml")
    stages: dict[str, list[float]] = {"extract": [], "to_graph": [], "neighbourhood": [],
                                      "validate_increment": [], "store": [], "end_to_end": []}
    sizes = []
    verdicts = []
    cold_ms = None
    for i, path in enumerate(spare):
        with stopwatch() as t_ex:
            extracted = extract_file(path, manifest)
        with stopwatch() as t_rdf:
            graph = to_graph(extracted)
        with stopwatch() as t_near:
            near = neighbourhood(graph, store, source=path.name)
        with stopwatch() as t_val:
            report = validate_increment(graph, store, "en", source=path.name)
        with stopwatch() as t_store:  # the write path: links, validation, one transaction
            writes.apply(store, writes.Change(put={path.name: graph}), "en")
        writes.remove(store, [path.name], "en")
        end_to_end = (t_ex["s"] + t_rdf["s"] + t_store["s"]) * 1000
        if i == 0:  # first call pays one-off costs (OpenCC, shapes graph parse): reported apart
            cold_ms = end_to_end
            continue
        for key, t in (("extract", t_ex), ("to_graph", t_rdf), ("neighbourhood", t_near),
                       ("validate_increment", t_val), ("store", t_store)):
            stages[key].append(t["s"] * 1000)
        stages["end_to_end"].append(end_to_end)
        sizes.append({"triples": len(graph), "neighbourhood_triples": len(near)})
        verdicts.append(report.conforms)
        log(f"{path.name}: {len(graph)} triples, neighbourhood {len(near)}, "
            f"increment {t_val['s'] * 1000:.0f} ms, end to end {stages['end_to_end'][-1]:.0f} ms")
    store.close()
    result["increment"] = {key: summary(values) for key, values in stages.items()}
    result["cold_end_to_end_ms"] = cold_ms
    result["new_docs"] = sizes
    result["new_docs_conform"] = verdicts
    emit(result)


if __name__ == "__main__":
    main()
