"""Loads through the write path (`queries.ingest`, `queries.writes`) over a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders.manifest import manifest_for
from policykg.loaders.pipeline import build
from policykg.queries.catalogue import run_query
from policykg.queries.ingest import ingest_files
from policykg.queries.store import PolicyStore

CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))
NON_CONFORMING = """关于支持人工智能大模型发展的若干措施
一、支持算力应用
对企业使用智能算力的,给予不超过算力费用20%的补助,每年每家企业最高不超过100万元。(责任单位:市科技局)
本措施自2027年2月1日起施行,有效期至2025年12月31日。
"""


def _quads(store: PolicyStore) -> list[str]:
    return sorted(str(q) for q in store._ox)  # noqa: SLF001 - the whole dataset, staging included


@pytest.mark.parametrize("batch", [1, 100])
def test_corpus_ingests_whatever_the_batch(batch: int) -> None:
    """With one file per batch, the news report (000) is written before the plan (001): its
    top-ups are linked when the plan arrives, in the copy the load writes into."""
    store = PolicyStore.in_memory()
    outcome = ingest_files(store, FILES, manifest_for(FILES), batch=batch)
    assert outcome.conforms, outcome.findings
    assert outcome.stored == [p.name for p in FILES]
    # the per-document report survives the release of the clause trees
    assert outcome.documents == build(FILES, manifest_for(FILES)).reports
    assert all(not doc.clauses for r in outcome.results for doc in r.documents)
    rows = run_query(store, "top-ups", {"jurisdiction": "南通创新区"}).rows
    assert {r["category"] for r in rows} == {"compute_voucher", "dataset"}


def test_a_bad_file_leaves_the_store_exactly_as_it_was(tmp_path: Path) -> None:
    store = PolicyStore.in_memory()
    assert ingest_files(store, FILES[1:2]).conforms
    before = _quads(store)
    bad = tmp_path / "bad.txt"
    bad.write_text(NON_CONFORMING, encoding="utf-8")
    outcome = ingest_files(store, [bad, *FILES], manifest_for(FILES), lang="en")
    assert not outcome.conforms and outcome.stored == []
    assert "The policy comes into force after it stops being in force." in {f.message for f in outcome.findings}
    assert _quads(store) == before


def test_an_unreadable_file_stops_the_batch_unless_told_to_skip(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    store = PolicyStore.in_memory()
    before = _quads(store)
    outcome = ingest_files(store, [garbage, FILES[1]])
    assert [e for e in outcome.errors if "garbage.txt" in str(e)]
    assert outcome.stored == [] and _quads(store) == before
    outcome = ingest_files(store, [garbage, FILES[1]], skip_invalid=True)
    assert outcome.stored == [FILES[1].name]


def test_a_refused_load_on_disk_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """A load of several batches goes into a copy; refused, the copy is dropped."""
    data = tmp_path / "data"
    with PolicyStore.open(data) as store:
        assert ingest_files(store, FILES[1:2]).conforms
        before = _quads(store)
        bad = tmp_path / "bad.txt"
        bad.write_text(NON_CONFORMING, encoding="utf-8")
        outcome = ingest_files(store, [*FILES, bad], manifest_for(FILES), batch=2)
        assert not outcome.conforms and outcome.stored == []
        assert _quads(store) == before
    assert not (tmp_path / "data.next").exists()


def test_a_load_killed_before_or_during_the_swap_leaves_a_whole_store(tmp_path: Path) -> None:
    """The states an interrupted swap can leave behind (`queries.swap`), each recovered on open."""
    from policykg.queries.swap import Copy

    data = tmp_path / "data"
    with PolicyStore.open(data) as store:
        ingest_files(store, FILES[1:2])
        old = _quads(store)
        Copy(data, store._ox)  # killed while writing the copy: no marker
    with PolicyStore.open(data) as store:
        assert _quads(store) == old and not (tmp_path / "data.next").exists()
        copy = Copy(data, store._ox)
        extra = PolicyStore(copy.store)
        ingest_files(extra, FILES[2:3])
        new = _quads(extra)
        extra.release()
        copy.store.flush()
        copy.store = None
    (tmp_path / "data.ready").touch()  # complete, killed before the renames
    (tmp_path / "data").rename(tmp_path / "data.prev")  # … or between them
    with PolicyStore.open(data) as store:
        assert _quads(store) == new
    assert not any((tmp_path / f"data.{s}").exists() for s in ("next", "ready", "prev"))


def test_reserved_and_colliding_names_are_refused(tmp_path: Path) -> None:
    from policykg.queries.sources import SourceNameError

    store = PolicyStore.in_memory()
    ingest_files(store, FILES[1:2])
    twin = tmp_path / FILES[1].name.upper()
    twin.write_bytes(FILES[1].read_bytes())
    with pytest.raises(SourceNameError, match=FILES[1].name):
        ingest_files(store, [twin])
    reserved = tmp_path / "Background"
    reserved.write_bytes(FILES[1].read_bytes())
    with pytest.raises(SourceNameError, match="reserved"):
        ingest_files(store, [reserved])


def test_extraction_in_worker_processes_stores_the_same_quads(tmp_path: Path) -> None:
    """Workers extract batch n+1 while batch n is written: the same store, report and errors
    as extraction in this process, an unreadable file reported by name from its worker."""
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    files = [*FILES, garbage]
    stores, outcomes = [], []
    # (workers, batch): in this process; two workers; one worker and a short first batch
    # (one task) before the full ones
    for workers, batch in ((0, 2), (2, 2), (1, len(files) - 3)):
        store = PolicyStore.in_memory()
        outcomes.append(ingest_files(store, files, manifest_for(FILES), batch=batch, workers=workers,
                                     skip_invalid=True))
        stores.append(_quads(store))
    serial = outcomes[0]
    assert serial.stored == [p.name for p in FILES]
    for pooled, quads in zip(outcomes[1:], stores[1:], strict=True):
        assert pooled.conforms and pooled.stored == serial.stored
        assert quads == stores[0]
        assert pooled.documents == serial.documents
        assert [str(e) for e in pooled.errors] == [str(e) for e in serial.errors]
        assert "garbage.txt" in str(pooled.errors[0])
    refused = PolicyStore.in_memory()
    before = _quads(refused)
    assert ingest_files(refused, files, manifest_for(FILES), batch=2, workers=2).stored == []
    assert _quads(refused) == before
