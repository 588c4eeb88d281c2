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

`policykg load` and `benchmarks/bench_ingest.py` both call `ingest_files`; the API upload
and delete call `writes.apply` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from policykg.loaders.extract import ExtractionResult, LoaderError, extract_file
from policykg.loaders.pipeline import DocumentReport, report
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.validation import Finding

from . import sources as names
from .store import PolicyStore
from .writes import Change, apply, swapped

#: Files validated and written together: pyshacl has a fixed cost per call that batching spreads.
DEFAULT_BATCH = 200

#: Up to this many files on disk are one transaction on the store itself; more go into a copy
#: (`writes.swapped`), where RocksDB's bulk path writes ~6× faster than a transaction.
SMALL = 20

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
) -> IngestReport:
    """Extract, link, validate and store `paths`; see the module docstring. Raises
    `sources.SourceNameError` (nothing read or stored) for a file name the store refuses."""
    paths = [Path(p) for p in paths]
    sources = names.check_batch([p.name for p in paths], store.sources())
    out = IngestReport()
    tick = progress or (lambda _phase, _done, _total: None)
    chunks = [list(zip(paths[i:i + batch], sources[i:i + batch], strict=True))
              for i in range(0, len(paths), batch)]
    if len(chunks) <= 1 and (store.path is None or len(paths) <= SMALL):
        _load(store, chunks, manifest, lang, skip_invalid, out, tick, atomic=True)
        return out
    try:
        with swapped(store) as target:
            _load(target, chunks, manifest, lang, skip_invalid, out, tick, atomic=False)
            if out.refused or not out.conforms:
                raise _Refused
    except _Refused:
        out.stored = []
    return out


def _load(store: PolicyStore, chunks: list[list[tuple[Path, str]]], manifest: Mapping[str, Any] | None,
          lang: str, skip_invalid: bool, out: IngestReport, tick: Progress, *, atomic: bool) -> None:
    total = sum(len(c) for c in chunks)
    for chunk in chunks:
        graphs: dict[str, Graph] = {}
        for path, source in chunk:
            try:
                result = extract_file(path, manifest, source=source)
            except LoaderError as exc:
                out.errors.append(exc)
                tick("extract", 1, total)
                continue
            if result.documents:
                graphs[source] = to_graph(result)
            out.documents += report(result)
            result.release_clauses()
            out.results.append(result.compact())
            tick("extract", 1, total)
        if out.errors and not skip_invalid:
            out.stored = []
            return
        written = apply(store, Change(put=graphs), lang, atomic=atomic)
        out.findings += written.findings
        for step, spent in written.seconds.items():
            out.seconds[step] = out.seconds.get(step, 0.0) + spent
        out.warnings += written.warnings
        if not written.conforms:
            out.stored = []
            return
        out.stored += written.stored
        out.triples += written.triples
        tick("write", len(chunk), total)
        if store.path is not None:
            store.flush()  # bounds RocksDB's write buffers: memory stays flat with N
