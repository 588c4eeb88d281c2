"""`policykg serve` as a real subprocess: prints its URL, answers on 127.0.0.1, stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_command(tmp_path: Path):
    port = _free_port()
    env = {**os.environ, "POLICYKG_API_KEY": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "policykg.api.cli", "serve", "--port", str(port),
         "--data", str(tmp_path / "store")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(url + "/jurisdictions", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "policykg serve did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert any(j["name"] == "南通市" for j in response.json())
        write = httpx.post(url + "/documents", params={"source": "a.txt"}, content=b"x",
                           headers={"Content-Type": "text/plain", "X-API-Key": "k"})
        assert write.status_code == 403
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in output
    assert "writes disabled" in output
    assert process.returncode == 0
    assert (tmp_path / "store").is_dir()


def test_serve_help():
    result = subprocess.run([sys.executable, "-m", "policykg.api.cli", "serve", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for option in ("--host", "--port", "--data"):
        assert option in result.stdout
