"""Loading text files: extract each file, then hand the graphs to the write path in batches.

1. every source name is checked first (`queries.sources`), before anything is read;
2. files are extracted and turned into graphs a batch at a time (memory holds one batch of
   graphs, plus a compact report per file); a file that cannot be read (`LoaderError`) is
   reported by name and, unless `skip_invalid`, refuses the whole load;
3. each batch goes through `queries.writes.apply` — links, validation against the store as it
   will be, one write — so later batches see earlier ones (a top-up in batch 1 is linked when
   the policy it raises arrives in batch 5);
4. a load of more than one batch writes into a copy of the store that replaces it only when
   every batch has passed (`writes.swapped`): a refused or killed load leaves the store as it
   was. A small load (one batch in memory, `SMALL` files on disk) is one transaction on the
   store itself.

Extraction runs in a pool of worker processes (`WORKERS`, for loads of more than `SMALL`
files): the files of batch n+1 are extracted while batch n is linked, validated and written
in this process, which holds at most two batches of graphs. Workers only read files and build
graphs; the store is touched by this process alone. A worker hands over each graph as
`writes.Stated` — its triples as N-Triples, which pyoxigraph parses here in Rust, and what
linking reads of it — never as rdflib objects, whose unpickling had cost this process a
quarter of its time. The first batch is short (one task per worker), so this process starts
linking and validating while the workers extract the next.

`policykg load` and `benchmarks/bench_ingest.py` both call `ingest_files`; the API upload
and delete call `writes.apply` directly.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.loaders.extract import ExtractionResult, LoaderError, extract_file
from policykg.loaders.pipeline import DocumentReport, report
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.validation import Finding

from . import sources as names
from .store import PolicyStore
from .writes import Change, Stated, apply, swapped

#: Files validated and written together: pyshacl has a fixed cost per call that batching spreads.
DEFAULT_BATCH = 200

#: Up to this many files on disk are one transaction on the store itself; more go into a copy
#: (`writes.swapped`), where RocksDB's bulk path writes ~6× faster than a transaction.
SMALL = 20

#: Extraction processes for a large load: CI and the project machine have 2 cores.
WORKERS = min(2, os.cpu_count() or 1)

#: Files per task sent to a worker: enough to amortise the hand-over, few enough to balance.
PER_TASK = 10

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class IngestReport:
    results: list[ExtractionResult] = field(default_factory=list)  # compact, clause trees released
    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[LoaderError] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # violations that refused the load
    stored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # unresolved references (links)
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds per write step

    @property
    def conforms(self) -> bool:
        return not self.findings

    @property
    def refused(self) -> bool:
        """Nothing was stored: a violation, or an unreadable file without `skip_invalid`."""
        return not self.stored and bool(self.findings or self.errors)


class _Refused(Exception):
    """Raised inside `swapped` to discard the copy."""


def ingest_files(
    store: PolicyStore,
    paths: Iterable[str | Path],
    manifest: Mapping[str, Any] | None = None,
    *,
    lang: str = "zh",
    batch: int = DEFAULT_BATCH,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Extract, link, validate and store `paths`; see the module docstring. Raises
    `sources.SourceNameError` (nothing read or stored) for a file name the store refuses.
    `workers`: extraction processes (0: extract in this process); default `WORKERS` for more
    than `SMALL` files, else 0."""
    paths = [Path(p) for p in paths]
    sources = names.check_batch([p.name for p in paths], store.sources())
    out = IngestReport()
    tick = progress or (lambda _phase, _done, _total: None)
    files = list(zip(paths, sources, strict=True))
    single = len(files) <= batch and (store.path is None or len(files) <= SMALL)
    if workers is None:
        workers = WORKERS if len(paths) > SMALL else 0
    # the writer idles until the first batch is extracted: with workers, a short first batch
    # (one task per worker) has it linking and validating while they extract the next one
    first = batch if single or workers == 0 else min(batch, PER_TASK * workers)
    chunks = [c for c in [files[:first], *(files[i:i + batch] for i in range(first, len(files), batch))] if c]
    pool = (ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            if workers > 0 else None)
    try:
        extracted = _extracted(chunks, manifest, pool)
        if single:
            _load(store, extracted, lang, skip_invalid, out, tick, total=len(paths), atomic=True)
            return out
        try:
            with swapped(store) as target:
                _load(target, extracted, lang, skip_invalid, out, tick, total=len(paths), atomic=False)
                if out.refused or not out.conforms:
                    raise _Refused
        except _Refused:
            out.stored = []
        return out
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


@dataclass
class _Extracted:
    """One file as extraction leaves it: its graph in the store's terms (None without
    documents; from a worker it travels as N-Triples, see `writes.Stated`), report and compact
    result, or the error that stopped it."""

    source: str
    graph: Stated | None = None
    documents: list[DocumentReport] = field(default_factory=list)
    result: ExtractionResult | None = None
    error: LoaderError | None = None


def _extract(files: list[tuple[Path, str]], manifest: Mapping[str, Any] | None) -> list[_Extracted]:
    """Extract `files` and build their graphs (in a worker process, or in this one)."""
    done = []
    for path, source in files:
        try:
            result = extract_file(path, manifest, source=source)
        except LoaderError as exc:
            done.append(_Extracted(source, error=exc))
            continue
        graph = Stated.of(to_graph(result)) if result.documents else None
        documents = report(result)
        result.release_clauses()
        done.append(_Extracted(source, graph, documents, result.compact()))
    return done


def _extracted(chunks: list[list[tuple[Path, str]]], manifest: Mapping[str, Any] | None,
               pool: ProcessPoolExecutor | None) -> Iterator[Iterator[_Extracted]]:
    """Each batch's files, extracted in order, one at a time as the caller asks (its progress
    bar moves per file). With a pool, the next batch is submitted before this one is handed
    over, so the workers extract it while the caller writes."""
    if pool is None:
        for chunk in chunks:
            yield (item for one in chunk for item in _extract([one], manifest))
        return

    def submit(chunk: list[tuple[Path, str]]) -> list[Future[list[_Extracted]]]:
        tasks = [chunk[i:i + PER_TASK] for i in range(0, len(chunk), PER_TASK)]
        return [pool.submit(_extract, task, _entries(manifest, task)) for task in tasks]

    pending = submit(chunks[0]) if chunks else []
    for i in range(len(chunks)):
        current, pending = pending, (submit(chunks[i + 1]) if i + 1 < len(chunks) else [])
        yield (item for future in current for item in future.result())


def _entries(manifest: Mapping[str, Any] | None, files: list[tuple[Path, str]]) -> dict[str, Any] | None:
    """The manifest entries of `files` (by file name or source name, as `extract_file` looks
    them up): a task carries these, not the whole manifest, which for a large load cost the
    writer more to send than the files' paths."""
    if manifest is None:
        return None
    return {key: manifest[key] for path, source in files for key in (path.name, source) if key in manifest}


def _load(store: PolicyStore, extracted: Iterator[Iterator[_Extracted]], lang: str, skip_invalid: bool,
          out: IngestReport, tick: Progress, *, total: int, atomic: bool) -> None:
    stored = set(store.sources())  # this load is the store's one writer until it ends
    for items in extracted:
        graphs: dict[str, Stated] = {}
        size = 0
        for item in items:
            size += 1
            tick("extract", 1, total)
            if item.error is not None:
                out.errors.append(item.error)
                continue
            if item.graph is not None:
                graphs[item.source] = item.graph
            out.documents += item.documents
            out.results.append(item.result)
        if out.errors and not skip_invalid:
            out.stored = []
            return
        written = apply(store, Change(put=graphs), lang, atomic=atomic, stored=stored)
        out.findings += written.findings
        for step, spent in written.seconds.items():
            out.seconds[step] = out.seconds.get(step, 0.0) + spent
        out.warnings += written.warnings
        if not written.conforms:
            out.stored = []
            return
        out.stored += written.stored
        stored.update(written.stored)
        out.triples += written.triples
        tick("write", size, total)
        if store.path is not None:
            store.flush()  # bounds RocksDB's write buffers: memory stays flat with N
