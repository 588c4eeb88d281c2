"""Shared helpers for the loader tests: the corpus files and a session-wide extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders.extract import ExtractionResult, extract_file
from policykg.loaders.manifest import manifest_for

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NEWS, NANTONG, GUIYANG, ANHUI = sorted(p.name for p in CORPUS.glob("00[0-3]_*.txt"))  # the four seed files


@pytest.fixture(scope="session")
def extracted() -> dict[str, ExtractionResult]:
    paths = sorted(CORPUS.glob("*.txt"))
    manifest = manifest_for(paths)
    return {p.name: extract_file(p, manifest) for p in paths}


def doc(result: ExtractionResult, fragment: str):
    """The one document whose title contains `fragment`."""
    found = [d for d in result.documents if fragment in d.title]
    assert len(found) == 1, [d.title for d in result.documents]
    return found[0]
