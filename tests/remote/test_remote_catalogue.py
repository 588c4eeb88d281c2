"""Every named query of the catalogue, the eligibility calculation and the comparison answer
the same over a remote store (a real Oxigraph server) as over the embedded one, on the bundled
corpus loaded through the same write path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from policykg.loaders.manifest import manifest_for
from policykg.queries.catalogue import load_catalogue, run_query
from policykg.queries.comparison import compare
from policykg.queries.eligibility import calculate
from policykg.queries.ingest import ingest_files
from policykg.queries.remote_store import RemoteStore
from policykg.queries.store import PolicyStore

from .conftest import clear

FILES = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.txt"))
#: a value for each parameter type a query may require (its default otherwise)
REQUIRED = {"jurisdiction": "南通创新区", "string": "算力", "date": "2026-11-23"}


@pytest.fixture(scope="module")
def stores(server_url: str) -> Iterator[tuple[PolicyStore, RemoteStore]]:
    clear(server_url)
    remote = RemoteStore.connect(server_url)
    embedded = PolicyStore.in_memory()
    for store in (embedded, remote):
        assert ingest_files(store, FILES, manifest_for(FILES)).conforms
    yield embedded, remote
    remote.close()


def _cases(embedded: PolicyStore) -> list[tuple[str, dict[str, str]]]:
    policy = embedded.query("SELECT ?p WHERE { ?p pkg:loaded true } ORDER BY ?p LIMIT 1").rows[0]["p"]
    cases = []
    for name, named in sorted(load_catalogue().items()):
        params = {p.name: policy if p.type == "policy" else REQUIRED[p.type]
                  for p in named.params if p.required}
        cases.append((name, params))
        optional = {p.name: REQUIRED[p.type] for p in named.params
                    if not p.required and p.type in REQUIRED and p.default is None}
        if optional:
            cases.append((name, params | optional))
    return cases


def test_every_named_query_answers_the_same_rows(stores: tuple[PolicyStore, RemoteStore]) -> None:
    embedded, remote = stores
    cases = _cases(embedded)
    assert {name for name, _ in cases} == set(load_catalogue())
    answered = 0
    for name, params in cases:
        mine = run_query(embedded, name, params)
        theirs = run_query(remote, name, params)
        assert theirs.columns == mine.columns, name
        assert theirs.rows == mine.rows, (name, params)
        answered += bool(mine.rows)
    assert answered >= len(load_catalogue()) // 2  # not a comparison of empty answers


def test_eligibility_and_comparison_answer_the_same(stores: tuple[PolicyStore, RemoteStore]) -> None:
    embedded, remote = stores
    day = dt.date(2026, 11, 29)
    spend = {"compute_voucher": Decimal(10_000_000)}
    mine = calculate(embedded, "南通创新区", day, spend).to_json()
    assert mine["categories"]
    assert calculate(remote, "南通创新区", day, spend).to_json() == mine
    rows = compare(embedded, "compute_voucher", level="prefecture", within="江苏省", on=day).rows
    assert rows
    assert compare(remote, "compute_voucher", level="prefecture", within="江苏省", on=day).rows == rows
