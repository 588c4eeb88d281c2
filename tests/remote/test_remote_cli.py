"""The issue's acceptance run, through the installed `policykg` command: `POLICYKG_STORE=URL
policykg load corpus/` fills an Oxigraph server and the named query answers as the embedded
store does; validate, sparql and the errors a user meets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .conftest import clear
from .oxigraph_server import free_port

ROOT = Path(__file__).resolve().parents[2]
POLICYKG = str(Path(sys.executable).parent / "policykg")


def _run(*args: str, store: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    if store:
        env["POLICYKG_STORE"] = store
    return subprocess.run([POLICYKG, *args], env=env, capture_output=True, text=True,
                          timeout=600, cwd=ROOT)


def test_load_into_a_server_then_query_answers_as_the_embedded_store(server_url: str,
                                                                      tmp_path: Path) -> None:
    clear(server_url)
    loaded = _run("load", "corpus/", store=server_url)
    assert loaded.returncode == 0, loaded.stderr
    assert server_url in loaded.stdout
    query = ("query", "instruments-by-category", "--param", "category=compute_voucher",
             "--format", "json")
    remote = _run(*query, store=server_url)
    assert remote.returncode == 0, remote.stderr
    data = str(tmp_path / "data")
    assert _run("load", "corpus/", "--data", data).returncode == 0
    embedded = _run(*query, "--data", data)
    assert embedded.returncode == 0, embedded.stderr
    rows = json.loads(remote.stdout)
    assert rows and rows == json.loads(embedded.stdout)

    validated = _run("validate", "--store", server_url)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    count = _run("sparql", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:PolicyDocument }",
                 "--format", "json", store=server_url)
    assert count.returncode == 0 and json.loads(count.stdout) == json.loads(
        _run("sparql", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:PolicyDocument }",
             "--format", "json", "--data", data).stdout)


def test_an_unreachable_server_or_two_stores_cannot_run(tmp_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    for how in ({"store": nobody}, {}):
        extra = () if how else ("--store", nobody)
        for args in (("load", "corpus/"), ("query", "instruments-by-category"), ("validate",)):
            out = _run(*args, *extra, **how)
            assert out.returncode == 2 and "cannot reach" in out.stderr, (args, how, out.stderr)
    out = _run("query", "instruments-by-category", "--store", nobody, "--data", str(tmp_path))
    assert out.returncode == 2 and "not both" in out.stderr


def test_serve_over_a_remote_store(server_url: str) -> None:
    """`POLICYKG_STORE=URL policykg serve`: the API answers from the server, /sparql through a
    query worker included, and stops cleanly."""
    import signal

    import httpx

    clear(server_url)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    process = subprocess.Popen([POLICYKG, "serve", "--port", str(port)],
                               env={**env, "POLICYKG_STORE": server_url},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                response = httpx.get(url + "/jurisdictions", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                time.sleep(0.1)
        assert response.status_code == 200
        assert any(j["name"] == "南通市" for j in response.json())  # the background, on the server
        ask = httpx.get(url + "/sparql", params={"query": "ASK { ?j a pkg:Jurisdiction }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert ask.status_code == 200 and ask.json()["boolean"] is True
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert server_url in output and process.returncode == 0
