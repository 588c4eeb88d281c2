"""Loading text files into the store without ever serving a half-load or a bad one.

1. extract every file (`loaders.pipeline.extract_all`); unreadable ones are reported, skipped;
2. build each file's graph in turn and *stage* it (`PolicyStore.stage_source`): a named graph
   that validation can reach but the default graph, which every reader queries, does not;
3. validate the staged files in batches with `queries.neighbourhood.validate_increment` — each
   batch against only what it reaches in the store, other staged files included, so a news
   report's top-up finds the city plan staged beside it;
4. all conform: commit each staged graph (one transaction per file); otherwise drop them all,
   and the store is exactly as it was.

Memory holds the extraction results (texts dropped as extracted, clause trees once staged)
and one batch of graphs, not the whole load; RocksDB's write buffers are flushed every batch.
Time grows with the number of files, not with the size of the store. `policykg load` and
`benchmarks/bench_ingest.py` both call `ingest_files`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from policykg.loaders.extract import ExtractionResult, LoaderError
from policykg.loaders.pipeline import DocumentReport, extract_all, iter_graphs, report
from policykg.ontology.validation import Finding

from .neighbourhood import validate_increment
from .store import PolicyStore

#: Files validated together: pyshacl has a fixed cost per call (~40 ms) that batching spreads.
DEFAULT_BATCH = 100

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class IngestReport:
    results: list[ExtractionResult] = field(default_factory=list)  # clause trees released
    documents: list[DocumentReport] = field(default_factory=list)   # per document, as staged
    errors: list[LoaderError] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # violations that stopped the load
    stored: list[str] = field(default_factory=list)
    triples: int = 0

    @property
    def conforms(self) -> bool:
        return not self.findings


def ingest_files(
    store: PolicyStore,
    paths: Iterable[str | Path],
    manifest: Mapping[str, Any] | None = None,
    *,
    lang: str = "zh",
    batch: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> IngestReport:
    """Extract, stage, validate and commit `paths`; see the module docstring."""
    paths = [Path(p) for p in paths]
    out = IngestReport()
    tick = progress or (lambda _phase, _done, _total: None)
    out.results = extract_all(paths, manifest, on_file=lambda _p: tick("extract", 1, len(paths)),
                              on_error=out.errors.append, compact=True)
    existing = set(store.sources())
    by_source = {r.source: r for r in out.results}
    staged: list[str] = []
    try:
        for source, graph in iter_graphs(out.results):
            out.triples += store.stage_source(source, graph)
            staged.append(source)
            # the graph holds the clauses now; keep the report, not ~100 KB of tree per file
            out.documents += report(by_source[source])
            by_source[source].release_clauses()
            if len(staged) % batch == 0:
                store.flush()  # bounds RocksDB's write buffers: memory stays flat with N
            tick("stage", 1, len(out.results))
        replaced = [s for s in staged if s in existing]
        for start in range(0, len(staged), batch):
            chunk = staged[start:start + batch]
            merged = Graph()
            for source in chunk:
                merged += store.staged_graph(source)
            verdict = validate_increment(merged, store, lang, source=replaced)
            out.findings += [f for f in verdict.findings if f.severity == "Violation"]
            tick("validate", len(chunk), len(staged))
        if out.findings:
            return out
        for source in staged:
            store.commit_staged(source, bulk=True)
            out.stored.append(source)
            if len(out.stored) % batch == 0:
                store.flush()
            tick("store", 1, len(staged))
    finally:
        committed = set(out.stored)
        for source in staged:
            if source not in committed:
                store.drop_staged(source, bulk=True)
    return out
