"""A real `policykg serve` in a subprocess on 127.0.0.1 (a segfault there cannot take pytest
down with it), over an on-disk store holding the example data. The TCP listener that counts
connection attempts is `tests/conftest.py`'s."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph

from policykg.queries.store import PolicyStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TTL = ROOT / "tests" / "data" / "example.ttl"
API_KEY = "fuzz-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    url: str
    data: Path
    process: subprocess.Popen
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)

    def alive(self) -> bool:
        if self.process.poll() is not None:
            return False
        return httpx.get(self.url + "/jurisdictions", timeout=30).status_code == 200

    def dump(self) -> bytes:
        """Every quad, read from the RocksDB files by a separate read-only opening (retried:
        such an opening can race with the server's compactions, which the server's own workers
        avoid by reading checkpoints)."""
        for attempt in range(10):
            try:
                return ox.Store.read_only(str(self.data)).dump(format=ox.RdfFormat.N_QUADS) or b""
            except (RuntimeError, OSError):
                if attempt == 9:
                    raise
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]


def start_server(tmp: Path, **env: str) -> Served:
    data = tmp / "store"
    with PolicyStore.open(data) as store:
        store.replace_source("example.ttl", Graph().parse(EXAMPLE_TTL))
    port = free_port()
    environ = {**os.environ, "POLICYKG_API_KEY": API_KEY, **env}
    log = tmp / "server.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "policykg.api.cli", "serve", "--port", str(port), "--data",
             str(data)], stdout=subprocess.DEVNULL, stderr=sink, env=environ)
    served = Served(f"http://127.0.0.1:{port}", data, process, log)
    deadline = time.monotonic() + 30
    while True:
        try:
            if served.alive():
                return served
        except httpx.TransportError:
            pass
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "policykg serve did not start"
        time.sleep(0.1)


def stop_server(served: Served) -> str:
    """Stop the server; its stderr (where an escaped exception would be logged)."""
    served.process.send_signal(signal.SIGINT)
    try:
        served.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()
    return served.log.read_text()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = start_server(tmp_path_factory.mktemp("served"), POLICYKG_SPARQL_TIMEOUT="2",
                          POLICYKG_QUERY_MEMORY_MB="300", POLICYKG_SPARQL_WORKERS="2")
    try:
        yield served
    finally:
        errors = stop_server(served)
        assert "Traceback" not in errors, errors[-3000:]
