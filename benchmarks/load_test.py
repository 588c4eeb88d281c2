"""Load test of the query endpoints: a real `policykg serve` on 127.0.0.1 (loopback only),
light queries from 1, 20 and 50 concurrent clients, a few of which send heavy queries instead
(a cross-product COUNT that always runs into the time limit). Prints, per level, the light
queries' count, errors, p50 and p99, and the heavy queries' answers; bounded in time
(`--seconds` per level).

Each client is a person at a query page: one request, then a pause (`--think`, default 0.1 s)
before the next. `python benchmarks/load_test.py [--seconds 15] [--heavy 3]`.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from rdflib import Graph

from policykg.queries.store import PolicyStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "example.ttl"
LIGHT = [
    ("/sparql", {"query": "SELECT ?p ?t WHERE { ?p a pkg:PolicyDocument ; pkg:title ?t } LIMIT 10"}),
    ("/sparql", {"query": "ASK { ?s pkg:title ?t }"}),
    ("/queries/instruments-by-category", {"category": "compute_voucher"}),
]
HEAVY = ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(data: Path, timeout: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "POLICYKG_SPARQL_TIMEOUT": timeout}
    process = subprocess.Popen([sys.executable, "-m", "policykg.api.cli", "serve", "--port", str(port),
                                "--data", str(data)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/jurisdictions", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def level(url: str, clients: int, heavy: int, seconds: float, think: float) -> dict:
    stop = time.monotonic() + seconds
    light_times: list[float] = []
    light_errors: collections.Counter[str] = collections.Counter()
    heavy_answers: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()

    def client(index: int) -> None:
        is_heavy = index < heavy
        with httpx.Client(base_url=url, timeout=120) as http:
            n = index
            while time.monotonic() < stop:
                path, params = HEAVY if is_heavy else LIGHT[n % len(LIGHT)]
                n += 1
                started = time.monotonic()
                try:
                    response = http.get(path, params=params)
                    status = str(response.status_code)
                    if response.status_code >= 400:
                        status += " " + response.json()["error"]["code"]
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.monotonic() - started
                with lock:
                    if is_heavy:
                        heavy_answers[status] += 1
                    elif status == "200":
                        light_times.append(elapsed)
                    else:
                        light_errors[status] += 1
                time.sleep(think)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "clients": clients, "heavy_clients": heavy, "light_ok": len(light_times),
        "light_errors": dict(light_errors),
        "light_p50_ms": round(statistics.median(light_times) * 1000, 1) if light_times else None,
        "light_p99_ms": round(percentile(light_times, 0.99) * 1000, 1),
        "heavy_answers": dict(heavy_answers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--heavy", type=int, default=3, help="heavy clients at 20 and 50")
    parser.add_argument("--think", type=float, default=0.1)
    parser.add_argument("--timeout", default="2", help="POLICYKG_SPARQL_TIMEOUT of the server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "store"
        with PolicyStore.open(data) as store:
            store.replace_source("example.ttl", Graph().parse(EXAMPLE))
        process, url = start(data, args.timeout)
        try:
            level(url, 4, 0, 2.0, args.think)  # warm-up, not counted: the workers' first fork
            results = [level(url, clients, 0 if clients == 1 else args.heavy, args.seconds, args.think)
                       for clients in (1, 20, 50)]
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    print("| clients | heavy clients | light answered | light errors | light p50 ms | light p99 ms | heavy answers |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['clients']} | {r['heavy_clients']} | {r['light_ok']} | {r['light_errors'] or 0} | "
              f"{r['light_p50_ms']} | {r['light_p99_ms']} | {r['heavy_answers']} |")
    base = results[0]["light_p99_ms"]
    for r in results[1:]:
        print(f"p99 at {r['clients']} clients = {r['light_p99_ms'] / base:.1f}× one client's")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
