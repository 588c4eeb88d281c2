"""Files in, one RDF graph per source file out (what `policykg load` stores).

Each file's graph holds only what its text says. Links between files (a top-up to the
instrument it raises, the presumed type of a cited policy) are derived when the graphs are
written (`queries.links` through `queries.writes`), so they do not depend on which files are
read together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from policykg.loaders.extract import ExtractionResult, LoaderError, extract_file
from policykg.loaders.to_rdf import to_graph


@dataclass
class DocumentReport:
    source: str
    title: str
    loaded: bool
    clauses: int
    instruments: int
    targets: int
    relations: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    graphs: dict[str, Graph]
    results: list[ExtractionResult]
    reports: list[DocumentReport]


def report(result: ExtractionResult) -> list[DocumentReport]:
    out = []
    for doc in result.documents:
        clauses = sum(1 for root in doc.clauses for _ in root.walk())
        out.append(DocumentReport(result.source, doc.title, doc.loaded, clauses, len(doc.instruments),
                                  len(doc.targets), len(doc.relations), list(doc.warnings)))
    return out


def extract_all(paths: Iterable[str | Path], manifest: Mapping[str, Any] | None = None,
                on_file: Callable[[Path], None] | None = None,
                on_error: Callable[[LoaderError], None] | None = None, *,
                compact: bool = False) -> list[ExtractionResult]:
    """Extract every file. Unreadable files raise `LoaderError`, or are reported to `on_error`
    and skipped (no partial graph). `compact` drops each result's texts as soon as it is made
    (`ExtractionResult.compact`): a load of 10,000 files otherwise holds every text's
    offset maps at once."""
    results: list[ExtractionResult] = []
    for path in paths:
        p = Path(path)
        try:
            result = extract_file(p, manifest)
            results.append(result.compact() if compact else result)
        except LoaderError as exc:
            if on_error is None:
                raise
            on_error(exc)
        if on_file:
            on_file(p)
    return results


def iter_graphs(results: list[ExtractionResult]) -> Iterator[tuple[str, Graph]]:
    """(source, graph) per file with documents, one at a time, so a large load holds one graph
    in memory (citations and top-ups are linked when the graphs are written)."""
    for r in results:
        if r.documents:
            yield r.source, to_graph(r)


def build(paths: Iterable[str | Path], manifest: Mapping[str, Any] | None = None,
          on_file: Callable[[Path], None] | None = None,
          on_error: Callable[[LoaderError], None] | None = None) -> BuildResult:
    """Extract every file, then build one graph per file that has documents (all in memory:
    large loads go a batch at a time through `queries.ingest`)."""
    results = extract_all(paths, manifest, on_file, on_error)
    graphs = dict(iter_graphs(results))
    return BuildResult(graphs, results, [d for r in results for d in report(r)])


def build_graphs(paths: Iterable[str | Path], manifest: Mapping[str, Any] | None = None) -> dict[str, Graph]:
    """`source file name -> Graph` for every file with at least one document."""
    return build(paths, manifest).graphs
