"""`python tests/neo4j/arcadedb_server.py`, the server to play with: it says how to run it when
the dependencies are missing, and a SIGTERM stops its Java server too (no orphan)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).with_name("arcadedb_server.py")


def test_without_the_dependencies_it_says_how():
    # -S: no site-packages, as with a system Python outside the virtualenv
    result = subprocess.run([sys.executable, "-S", str(SCRIPT)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert ".venv/bin/python tests/neo4j/arcadedb_server.py" in result.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_stops_the_java_server():
    script = subprocess.Popen([sys.executable, str(SCRIPT)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    java = None
    try:
        deadline = time.monotonic() + 120
        while java is None and time.monotonic() < deadline:
            line = script.stdout.readline()
            if not line:
                break
            if line.startswith("pid "):
                java = int(line.split()[1])
        assert java is not None and _alive(java)
        script.send_signal(signal.SIGTERM)
        assert script.wait(timeout=60) == 0
        for _ in range(100):
            if not _alive(java):
                break
            time.sleep(0.1)
        assert not _alive(java), "the Java server outlived the script"
    finally:
        if script.poll() is None:
            script.kill()
        if java is not None and _alive(java):
            os.kill(java, signal.SIGKILL)
        script.stdout.close()
