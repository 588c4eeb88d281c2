"""Tables and target verdicts from one benchmark run's figures (what run.py prints).

Markdown tables, so the output can be pasted into RESULTS.md as it is. Figures not measured at
some N (full SHACL validation and the Neo4j comparison above their caps) are extrapolated from
the two largest measured sizes with the growth exponent they show, and marked "≈ … (extrap.)".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

TARGET_N = 10_000


def _by(results: Iterable[dict[str, Any]], phase: str) -> dict[int, dict[str, Any]]:
    return {r["n"]: r for r in results if r.get("phase") == phase}


def _f(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Growth exponent b of t ∝ N^b between the two largest sizes (1 = linear)."""
    pts = sorted(p for p in points if p[1] and p[1] > 0)
    if len(pts) < 2:
        return None
    (n1, t1), (n2, t2) = pts[-2], pts[-1]
    return math.log(t2 / t1) / math.log(n2 / n1)


def extrapolate(points: list[tuple[int, float]], n: int) -> float | None:
    """t(n) from the two largest measured sizes, t ∝ N^b (b at least 1: never assume
    sub-linear growth for work that touches every triple)."""
    pts = sorted(p for p in points if p[1] and p[1] > 0)
    if not pts:
        return None
    b = max(exponent(pts) or 1.0, 1.0)
    n2, t2 = pts[-1]
    return t2 * (n / n2) ** b


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ingest_table(results: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """Ingest beside pyoxigraph's bulk_load of the same quads (wall and CPU seconds)."""
    ingest = _by(results, "ingest")
    rows = []
    for n, r in sorted(ingest.items()):
        if "error" in r:
            rows.append([f"{n:,}", "failed: " + r["error"][:120]] + [""] * 11)
            continue
        rows.append([f"{n:,}", f"{r['triples']:,}", _f(r["extract_build_s"]), _f(r.get("write_s", r["validate_s"])),
                     _f(r["total_s"]), _f(r.get("bulk_s")), _f(r.get("ingest_vs_bulk")),
                     _f(r.get("total_cpu_s")), _f(r.get("bulk_cpu_s")), _f(r.get("ingest_vs_bulk_cpu")),
                     _f(r["docs_per_s"]), _f(r.get("ingest_peak_rss_mib", r["peak_rss_mib"])),
                     _f(r.get("store_disk_mib"))])
    b = exponent([(n, r["total_s"]) for n, r in ingest.items() if "total_s" in r])
    table = _table(["N", "triples", "extract+RDF s", "link+validate+write s", "ingest s", "bulk_load s",
                    "ingest/bulk", "ingest CPU s", "bulk_load CPU s", "ingest/bulk CPU", "docs/s",
                    "ingest peak RSS MiB", "store on disk MiB"], rows)
    return table, {"ingest_exponent": b, "ingest": ingest}


def query_table(results: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    query = _by(results, "query")
    rows = []
    worst: dict[int, float] = {}
    for n, r in sorted(query.items()):
        if "error" in r:
            rows.append([f"{n:,}", "failed: " + r["error"][:120]] + [""] * 5)
            continue
        for q in r["queries"]:
            lib = q["rdflib"]
            if lib.get("error"):  # rdflib could not run this query at all
                rows.append([f"{n:,}", q["query"], f"{q['rows']:,}", _f(q["ours"]["p50_ms"]),
                             _f(q["ours"]["p95_ms"]), "rdflib failed: " + lib["error"][:60], "", ""])
                continue
            mark = ">" if q["ratio_is_lower_bound"] else ""
            rows.append([f"{n:,}", q["query"], f"{q['rows']:,}", _f(q["ours"]["p50_ms"]),
                         _f(q["ours"]["p95_ms"]),
                         (">" if lib["timed_out"] else "") + _f(lib["p50_ms"]),
                         (">" if lib["timed_out"] else "") + _f(lib["p95_ms"]),
                         f"{mark}×{_f(q['ratio_p50'])}"])
            key = (n, "bound" if mark else "measured")
            if q["ratio_p50"] < worst.get(key, (math.inf, ""))[0]:
                worst[key] = (q["ratio_p50"], q["query"])
    table = _table(["N", "query", "rows", "ours p50 ms", "ours p95 ms", "rdflib p50 ms",
                    "rdflib p95 ms", "rdflib/ours (p50)"], rows)
    return table, {"query": query, "worst_ratio": worst}


def validation_table(results: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    val = _by(results, "validation")
    measured = [(n, r["full"]["validate_s"]) for n, r in val.items()
                if r.get("full", {}).get("measured")]
    rows = []
    for n, r in sorted(val.items()):
        if "error" in r:
            rows.append([f"{n:,}", "failed: " + r["error"][:120]] + [""] * 6)
            continue
        full = r["full"]
        if full.get("measured"):
            full_s = _f(full["validate_s"])
        else:
            guess = extrapolate(measured, n)
            full_s = f"≈ {_f(guess)} (extrap.)" if guess else "not run"
        inc = r["increment"]
        near = [d["neighbourhood_triples"] for d in r.get("new_docs", [])]
        rows.append([f"{n:,}", full_s, _f(inc["validate_increment"]["p50_ms"]),
                     _f(inc["validate_increment"]["p95_ms"]),
                     _f(sum(near) / len(near)) if near else "–",
                     _f(inc["end_to_end"]["p50_ms"]), _f(inc["end_to_end"]["p95_ms"]),
                     _f(r.get("cold_end_to_end_ms"))])
    table = _table(["N", "full SHACL s", "increment p50 ms", "increment p95 ms",
                    "neighbourhood triples", "add one doc p50 ms", "add one doc p95 ms",
                    "first add (cold) ms"], rows)
    return table, {"validation": val, "full_exponent": exponent(measured)}


def neo4j_table(results: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    neo = _by(results, "neo4j")
    rows = []
    measured = {n: r for n, r in neo.items() if "ours" in r}
    for n, r in sorted(neo.items()):
        if "skipped" in r:
            rate = [(m, x["ours"]["triples_per_s"]) for m, x in measured.items()
                    if "triples_per_s" in x["ours"]]
            ingest = _by(results, "ingest").get(n, {})
            if rate and ingest.get("triples"):
                m, per_s = max(rate)
                guess = ingest["triples"] / per_s
                rows.append([f"{n:,}", "policykg neo4j_sync", f"≈ {_f(guess)} (extrap.)", "", "", "",
                             "", f"not run ({r['skipped']}); {ingest['triples']:,} triples at the "
                             f"N={m:,} rate"])
            else:
                rows.append([f"{n:,}", "not run", "", "", "", "", "", r["skipped"]])
            continue
        if "error" in r:
            rows.append([f"{n:,}", "failed: " + r["error"][:150]] + [""] * 6)
            continue
        ours = r.get("ours", {})
        for key, name in (("ours", "policykg neo4j_sync"), ("rdflib_neo4j", "rdflib-neo4j (as shipped)"),
                          ("rdflib_neo4j_retrying", "rdflib-neo4j + execute_write retry")):
            side = r.get(key)
            if not side:
                continue
            status = "complete" if key == "ours" or side.get("complete") else \
                f"FAILED after {side.get('triples_sent', 0):,}/{r['triples']:,} triples: " \
                + side.get("error", "")[:110]
            rows.append([f"{n:,}", name, _f(side.get("s")), f"{side.get('nodes', 0):,}",
                         f"{side.get('relationships', 0):,}", _f(side.get("items_per_s")),
                         _f(side.get("triples_per_s")), status])
        if "ratio_items_per_s" in r:
            rows.append([f"{n:,}", "ratio ours/rdflib-neo4j", "", "", "",
                         f"×{_f(r['ratio_items_per_s'], 2)}", f"×{_f(r['ratio_triples_per_s'], 2)}",
                         r.get("ratio_basis", "")])
        if ours.get("resync_s") is not None:
            rows.append([f"{n:,}", "policykg re-sync, nothing changed", _f(ours["resync_s"]), "", "",
                         "", "", f"{ours.get('resync_changes', 0)} changes"])
    table = _table(["N", "tool", "seconds", "nodes", "relationships", "(nodes+rels)/s",
                    "triples/s", "status"], rows)
    return table, {"neo4j": neo}


def eligibility_table(results: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The calculator (`queries.eligibility.calculate`) per question, bundled corpus and N."""
    rows = []
    for n, r in sorted(_by(results, "eligibility").items()):
        if "error" in r:
            rows.append([f"{n:,}", "failed: " + r["error"][:120]] + [""] * 5)
            continue
        for q in r["results"]:
            rows.append([q["corpus"], q["question"], f"{q['items']:,}", _f(q["p50_ms"]), _f(q["p95_ms"]),
                         _f(q.get("cpu_ms")), _f(q.get("load"))])
    table = _table(["store", "question", "items", "p50 ms", "p95 ms", "CPU ms", "load"], rows)
    return table, {"eligibility": _by(results, "eligibility")}


def targets(facts: dict[str, Any]) -> list[str]:
    """One line per target: met / missed / not measured, with the figure that decides it."""
    out = []
    measured = facts["worst_ratio"].get((TARGET_N, "measured"))
    bound = facts["worst_ratio"].get((TARGET_N, "bound"))
    head = "- catalogue queries ≥ 20× rdflib at 10,000 docs: "
    if measured is None and bound is None:
        out.append(head + "**not measured**")
    elif measured is not None and measured[0] < 20:
        out.append(head + f"smallest measured ratio ×{_f(measured[0])} for {measured[1]} → **missed**")
    elif bound is not None and bound[0] < 20:
        out.append(head + f"every measured ratio ≥ 20, but ×{_f(bound[0])} for {bound[1]} is only a "
                   "lower bound (rdflib timed out) → **not shown**")
    else:
        out.append(head + f"smallest ratio ×{_f(min(r[0] for r in (measured, bound) if r))} → **met**")
    val = facts["validation"].get(TARGET_N)
    if val and "increment" in val:
        p50 = val["increment"]["end_to_end"]["p50_ms"]
        p95 = val["increment"]["end_to_end"]["p95_ms"]
        out.append(f"- add one document end to end < 300 ms at 10,000 docs: p50 {_f(p50)} ms, "
                   f"p95 {_f(p95)} ms → **{'met' if p95 < 300 else 'met at p50, missed at p95' if p50 < 300 else 'missed'}**")
    else:
        out.append("- add one document end to end < 300 ms at 10,000 docs: **not measured**")
    facts["neo4j"] = {n: r for n, r in facts["neo4j"].items() if "skipped" not in r}
    ratios = [(n, r["ratio_items_per_s"], r.get("ratio_basis", ""))
              for n, r in facts["neo4j"].items() if "ratio_items_per_s" in r]
    if ratios:
        n, ratio, basis = max(ratios)
        out.append(f"- Neo4j sync ≥ 3× rdflib-neo4j throughput: ×{_f(ratio, 2)} (nodes+rels/s) at "
                   f"N={n:,}, {basis} → **{'met' if ratio >= 3 else 'missed'}**")
    else:
        out.append("- Neo4j sync ≥ 3× rdflib-neo4j throughput: **not measured**")
    at_1000 = facts["ingest"].get(1000)
    if at_1000 and "ingest_vs_bulk" in at_1000:
        wall, cpu = at_1000["ingest_vs_bulk"], at_1000.get("ingest_vs_bulk_cpu", at_1000["ingest_vs_bulk"])
        out.append(f"- ingest ≤ 5× bulk_load of the same quads at 1,000 docs: ×{_f(wall, 2)} wall, "
                   f"×{_f(cpu, 2)} CPU → **{'met' if max(wall, cpu) <= 5 else 'missed'}**")
    ing = facts["ingest"].get(TARGET_N)
    if ing and "peak_rss_mib" in ing:
        gib = ing.get("ingest_peak_rss_mib", ing["peak_rss_mib"]) / 1024
        out.append(f"- peak memory < 2 GiB at 10,000 docs (ingest): {gib:.2f} GiB → "
                   f"**{'met' if gib < 2 else 'missed'}**")
    seen = set()
    for _n, r in sorted(facts.get("eligibility", {}).items()):
        for q in r.get("results", []):
            if q["question"].endswith("every category") and q["corpus"] in ("corpus", f"N={TARGET_N}") \
                    and q["corpus"] not in seen:
                seen.add(q["corpus"])
                limit = 100 if q["corpus"] == "corpus" else 1000
                out.append(f"- calculator, every category, {q['corpus']}: p50 {_f(q['p50_ms'])} ms, "
                           f"CPU {_f(q.get('cpu_ms'))} ms (target < {limit:,} ms) → "
                           f"**{'met' if max(q['p50_ms'], q.get('cpu_ms') or 0) < limit else 'missed'}**")
    b = facts["ingest_exponent"]
    if b is not None:
        out.append(f"- ingest time grows no worse than linearly: exponent {b:.2f} between the two "
                   f"largest N (1.00 = linear) → **{'met' if b <= 1.1 else 'missed'}**")
    return out


def print_tables(run: dict[str, Any]) -> None:
    results = run.get("results", [])
    machine = run.get("machine", {})
    print(f"\n## Machine\n\n{machine.get('nproc')} cores, Python {machine.get('python')}, "
          f"{machine.get('platform')}\n\n```\n{machine.get('free', '')}\n```\n")
    print("packages: " + ", ".join(f"{k} {v}" for k, v in machine.get("packages", {}).items()))
    facts: dict[str, Any] = {}
    for title, make in (("Ingest (extract + link + validate + store) beside bulk_load of the same quads", ingest_table),
                        ("Catalogue queries: our store vs rdflib in memory", query_table),
                        ("Validation", validation_table),
                        ("Neo4j: policykg neo4j_sync vs rdflib-neo4j (ArcadeDB Bolt)", neo4j_table),
                        ("Eligibility calculator", eligibility_table)):
        table, more = make(results)
        facts.update(more)
        print(f"\n## {title}\n\n{table}")
    if facts.get("ingest_exponent") is not None:
        print(f"\ningest growth exponent (two largest N): {facts['ingest_exponent']:.2f}")
    if facts.get("full_exponent") is not None:
        print(f"full SHACL validation growth exponent (measured sizes): {facts['full_exponent']:.2f}")
    print("\n## Targets\n")
    print("\n".join(targets(facts)))
    if "total_s" in run:
        print(f"\nwhole run: {run['total_s'] / 60:.1f} min")
