"""Where the evaluated texts live: the bundled corpus first, then the development set, then
the held-out texts (tests/data/heldout/: never used to build the rules)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "expected"
SEARCH = (ROOT / "corpus", ROOT / "tests" / "data" / "corpus-dev", ROOT / "tests" / "data" / "heldout")


def find_text(name: str) -> Path:
    """The text file called `name` (a YAML's `file:`), wherever it is bundled."""
    for folder in SEARCH:
        hits = sorted(folder.rglob(name))
        if hits:
            return hits[0]
    raise FileNotFoundError(f"{name}: not in {', '.join(str(f) for f in SEARCH)}")
