"""Staged, validated, committed loads (`queries.ingest`) over a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from policykg.loaders.manifest import manifest_for
from policykg.loaders.pipeline import build
from policykg.ontology import vocab
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


def test_staged_graph_is_invisible_until_committed() -> None:
    store = PolicyStore.in_memory()
    g = rdflib.Graph()
    g.add((rdflib.URIRef("https://x/p"), rdflib.URIRef("https://w3id.org/policykg/ontology#title"),
           rdflib.Literal("暂存", lang="zh")))
    store.stage_source("a.txt", g)
    ask = "ASK { ?p pkg:title '暂存'@zh }"
    assert store.query(ask) is False and store.sources() == []
    assert len(store.staged_graph("a.txt")) == 1
    store.commit_staged("a.txt")
    assert store.query(ask) is True and store.sources() == ["a.txt"]
    assert len(store.staged_graph("a.txt")) == 0 and len(store.graph_for("a.txt")) == 1
    store.stage_source("b.txt", g)
    store.drop_staged("b.txt")
    assert store.sources() == ["a.txt"] and len(store.staged_graph("b.txt")) == 0


def test_a_bulk_commit_empties_the_staging_merge_file_by_file() -> None:
    """commit_staged(bulk=True) takes each file's triples out of the merge without looking for
    other staged files that share them; once every file is committed or dropped it is empty."""
    store = PolicyStore.in_memory(background=False)
    title = rdflib.URIRef("https://w3id.org/policykg/ontology#title")
    shared = (rdflib.URIRef("https://x/shared"), title, rdflib.Literal("共用", lang="zh"))
    for name in ("a.txt", "b.txt", "c.txt"):
        g = rdflib.Graph()
        g.add(shared)
        g.add((rdflib.URIRef(f"https://x/{name}"), title, rdflib.Literal(name, lang="zh")))
        store.stage_source(name, g)

    def merge() -> set[str]:
        rows = store.query(f"SELECT ?s WHERE {{ GRAPH <{vocab.STAGING_GRAPH}> {{ ?s ?p ?o }} }}").rows
        return {r["s"] for r in rows}

    store.commit_staged("a.txt", bulk=True)
    assert merge() == {"https://x/b.txt", "https://x/c.txt"}  # the shared triple left with a
    store.drop_staged("b.txt", bulk=True)
    store.commit_staged("c.txt", bulk=True)
    assert merge() == set()
    assert store.sources() == ["a.txt", "c.txt"]
    assert store.query("ASK { <https://x/shared> pkg:title '共用'@zh }") is True


@pytest.mark.parametrize("batch", [1, 100])
def test_corpus_ingests_whatever_the_batch(batch: int) -> None:
    """With one file per batch, the news report (000) is validated before the plan (001) is
    committed: its top-ups must still find the plan's instruments, staged beside it."""
    store = PolicyStore.in_memory()
    outcome = ingest_files(store, FILES, manifest_for(FILES), batch=batch)
    assert outcome.conforms, outcome.findings
    assert outcome.stored == [p.name for p in FILES]
    assert not any("/id/staging" in q for q in _quads(store))  # nothing left staged
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
    assert _quads(store) == before  # no staging graph left behind either


def test_unreadable_files_are_reported_and_skipped(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    store = PolicyStore.in_memory()
    outcome = ingest_files(store, [garbage, FILES[1]])
    assert [e for e in outcome.errors if "garbage.txt" in str(e)]
    assert outcome.stored == [FILES[1].name]
