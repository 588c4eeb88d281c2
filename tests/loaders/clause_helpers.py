"""Build a Clause and an ExtractionContext from a bare string, for parser unit tests."""

from __future__ import annotations

from policykg.loaders.facts import Clause, ExtractionContext

NANTONG = {"市": "南通市", "省": "江苏省"}
ANHUI = {"省": "安徽省"}


def clause(text: str, number: str = "三、1", heading: str | None = None, at: int = 100) -> Clause:
    """A clause whose text sits at offset `at` of an imaginary original file."""
    return Clause(number, heading, text, at, at + len(text), 2,
                  offsets=list(range(at, at + len(text))))


def context(jurisdictions: list[str] | None = None, level_names: dict[str, str] | None = None,
            title: str = "测试政策") -> ExtractionContext:
    jurisdictions = jurisdictions if jurisdictions is not None else ["南通市"]
    return ExtractionContext("test.txt", title, jurisdictions, dict(level_names or NANTONG), [])
