"""Why the instrument scores are what they are: per file, missed, unreal and wrong fields.

Usage: python benchmarks/explain_instruments.py [STEM ...]   (default: every expected file)
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation.instruments import explain  # noqa: E402
from evaluation.texts import EXPECTED, find_text  # noqa: E402

from policykg.api.commands.load import result_json  # noqa: E402
from policykg.loaders.extract import extract_file  # noqa: E402


def main(stems: list[str]) -> None:
    for path in sorted((EXPECTED / "instruments").glob("*.yaml")):
        if stems and path.stem not in stems:
            continue
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        extracted = result_json([extract_file(find_text(expected["file"]))])
        print(f"\n== {path.stem}")
        for line in explain(extracted, expected):
            print("  " + line)


if __name__ == "__main__":
    main(sys.argv[1:])
