"""`make eval`: per-field accuracy of the extractor against hand-written expected facts.

Usage: python benchmarks/eval_extraction.py [--json] [--only STEM ...]
Prints one table per layer (documents, instruments): field, right, total, accuracy.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation.texts import EXPECTED, find_text  # noqa: E402

from policykg.api.commands.load import result_json  # noqa: E402
from policykg.loaders.extract import extract_file  # noqa: E402

LAYERS = ("documents", "instruments")


def evaluate(only: list[str] | None = None) -> dict[str, dict[str, tuple[int, int]]]:
    """{layer: {field: (right, total)}} over every expected file of every layer."""
    totals: dict[str, Counter] = {}
    cache: dict[str, dict] = {}
    for layer in LAYERS:
        scorer = importlib.import_module(f"evaluation.{layer}")
        right, total = Counter(), Counter()
        for path in sorted((EXPECTED / layer).glob("*.yaml")):
            if only and path.stem not in only:
                continue
            expected = yaml.safe_load(path.read_text(encoding="utf-8"))
            name = expected["file"]
            if name not in cache:
                cache[name] = result_json([extract_file(find_text(name))])
            for fld, (r, t) in scorer.score(cache[name], expected).items():
                right[fld] += r
                total[fld] += t
        totals[layer] = {f: (right[f], total[f]) for f in total}
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON object instead of tables")
    ap.add_argument("--only", nargs="*", help="file stems to evaluate")
    args = ap.parse_args()
    figures = evaluate(args.only)
    if args.json:
        print(json.dumps({layer: {f: {"right": r, "total": t, "accuracy": round(r / t, 3) if t else None}
                                  for f, (r, t) in fields.items()} for layer, fields in figures.items()},
                         ensure_ascii=False))
        return
    for layer, fields in figures.items():
        print(f"\n{layer}")
        print(f"  {'field':<28}{'right':>7}{'total':>7}{'accuracy':>10}")
        for f, (r, t) in fields.items():
            print(f"  {f:<28}{r:>7}{t:>7}{(r / t if t else 0):>10.1%}")


if __name__ == "__main__":
    main()
