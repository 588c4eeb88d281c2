"""A real Oxigraph server (the `oxigraph` package's CLI, `oxigraph serve`) on 127.0.0.1 and a
free port over a temporary directory, polled until it answers, stopped at the end: the remote
store's tests talk SPARQL 1.1 Protocol and Graph Store Protocol to it over HTTP."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def oxigraph_binary() -> str:
    """The CLI the `oxigraph` wheel installs beside this interpreter (the test extra)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is missing: `make test` installs it (.[test])")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def oxigraph_server(*extra: str) -> Iterator[str]:
    """`oxigraph serve` on a temporary directory; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="policykg-oxigraph-") as where:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(Path(where) / "server.log", "wb")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(Path(where) / "db"),
             "--bind", f"127.0.0.1:{port}", *extra],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph did not start on {url}: "
                                       f"{(Path(where) / 'server.log').read_text(errors='replace')}")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
