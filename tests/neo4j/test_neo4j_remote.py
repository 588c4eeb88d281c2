"""`policykg neo4j sync --store URL`: the sync reads a remote store (a real Oxigraph server)
and writes the same property graph as from the embedded store with the same sources."""

from __future__ import annotations

from pathlib import Path

from conftest import dump
from remote.oxigraph_server import oxigraph_server
from typer.testing import CliRunner

from policykg.api.cli import app
from policykg.queries.remote_store import RemoteStore
from policykg.queries.store import PolicyStore


def test_sync_from_a_remote_store_equals_sync_from_the_embedded_one(
        bolt_server, driver, example_graphs, tmp_path: Path) -> None:
    data = tmp_path / "store"
    with PolicyStore.open(data) as store:
        for source, graph in example_graphs.items():
            store.replace_source(source, graph)
    databases = [bolt_server.create_database(f"remote{i}") for i in range(2)]
    with oxigraph_server() as url:
        with RemoteStore.connect(url) as remote:
            for source, graph in example_graphs.items():
                remote.replace_source(source, graph)
        for database, where in zip(databases, (("--data", str(data)), ("--store", url)), strict=True):
            env = {"NEO4J_URI": bolt_server.bolt_uri, "NEO4J_USERNAME": "root",
                   "NEO4J_PASSWORD": bolt_server.password, "NEO4J_DATABASE": database}
            out = CliRunner().invoke(app, ["neo4j", "sync", *where], env=env)
            assert out.exit_code == 0, out.output
    embedded, remote = (dump(driver, database) for database in databases)
    assert remote and remote == embedded
