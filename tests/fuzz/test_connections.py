"""Query workers are forked from the server while clients are connected: a worker must not
keep the server's sockets, or a connection the server closes stays half-open and a
keep-alive client that reuses it waits for an answer that never comes (browsers do)."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from .conftest import start_server, stop_server

#: uvicorn closes an idle keep-alive connection after 5 s (its `timeout_keep_alive`)
IDLE_CLOSE = 5


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(65536)
    return head


def _forked(pid: int) -> list[str]:
    """Children of any thread of `pid` (workers are forked from the server's thread pool)."""
    return [child for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def test_server_close_reaches_the_client_after_a_worker_fork(tmp_path: Path):
    served = start_server(tmp_path, POLICYKG_SPARQL_WORKERS="1")
    try:
        host = urlsplit(served.url)
        with socket.create_connection((host.hostname, host.port), timeout=30) as sock:
            # the first query of a fresh server forks its worker while this connection is open
            sock.sendall(b"GET /sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D HTTP/1.1\r\nHost: x\r\n"
                         b"Accept: application/sparql-results+json\r\nConnection: keep-alive\r\n\r\n")
            assert b" 200 " in _read_response(sock).split(b"\r\n")[0]
            assert _forked(served.process.pid), "no query worker was forked"
            started = time.monotonic()
            sock.settimeout(IDLE_CLOSE * 4)
            assert sock.recv(1) == b"", "the server's close never reached the client"
            assert time.monotonic() - started < IDLE_CLOSE * 3
    finally:
        assert "Traceback" not in stop_server(served)
