"""Figure grammar and instrument extraction on adversarial clauses: time per clause size.

Usage: python benchmarks/bench_figures.py [--kb 200]
Prints, for clauses of repeated rate / amount / threshold phrases (one sentence with commas,
and many sentences), the seconds taken by find_money, find_rates and extract_instruments.
The target (issue 12): a 200 KB clause well under a second, growing linearly.
"""

from __future__ import annotations

import argparse
import time

from policykg.loaders.facts import Clause, ExtractionContext
from policykg.loaders.instruments import extract_instruments
from policykg.loaders.money import find_money, find_rates

PHRASES = {
    "rates, one sentence": "按不超过实际投入的20%给予补助,最高1,000万元,",
    "rates, many sentences": "对企业按其建设成本的30%或25%给予补贴,每年最高500万元。",
    "thresholds and ranges": "营收20万元(含)至50万元(不含)的企业,给予100~500万元奖励;",
    "digits only": "1234567890" * 3 + "万元、",
}


def clause_of(phrase: str, kb: int) -> Clause:
    text = phrase * (kb * 1024 // len(phrase.encode("utf-8")) + 1)
    return Clause("一、1", "支持算力", text, 0, len(text), 2, offsets=list(range(len(text))))


def timed(fn, *args) -> tuple[float, int]:
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, len(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=200, help="largest clause size in KB (UTF-8)")
    args = ap.parse_args()
    ctx = ExtractionContext("bench.txt", "基准", ["南通市"], {"市": "南通市"}, [])
    warm, _ = timed(extract_instruments, clause_of(PHRASES["rates, many sentences"], 1), ctx)
    print(f"first call (loads the category vocabulary and jieba's dictionary): {warm:.2f} s")
    print(f"{'clause':<24}{'KB':>6}{'figures':>9}{'money s':>9}{'rates s':>9}{'instr s':>9}{'instr':>7}")
    for name, phrase in PHRASES.items():
        for kb in (args.kb // 4, args.kb // 2, args.kb):
            c = clause_of(phrase, kb)
            tm, nm = timed(find_money, c.text)
            tr, nr = timed(find_rates, c.text)
            ti, ni = timed(extract_instruments, c, ctx)
            print(f"{name:<24}{kb:>6}{nm + nr:>9}{tm:>9.3f}{tr:>9.3f}{ti:>9.3f}{ni:>7}")


if __name__ == "__main__":
    main()
