"""The benchmark generator: deterministic, prefix-stable, and its output goes through the real
loaders as N documents (no timing here — that is benchmarks/run.py's job)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build
from policykg.ontology.validation import validate_graph
from policykg.ontology.vocab import PKG

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "benchmarks" / "generate.py"
N = 30


def generate(out: Path, n: int = N, seed: int = 1) -> dict[str, str]:
    """Run the CLI as `make bench` does; file name -> sha1 of its bytes."""
    subprocess.run([sys.executable, str(GENERATE), "--n", str(n), "--out", str(out),
                    "--seed", str(seed)], check=True, capture_output=True)
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    generate(out)
    return out


def test_same_seed_same_bytes_and_smaller_n_is_a_prefix(docs: Path, tmp_path: Path) -> None:
    first = {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(docs.iterdir())}
    assert generate(tmp_path / "again") == first
    fewer = generate(tmp_path / "fewer", n=10)
    texts = {k: v for k, v in fewer.items() if k.endswith(".txt")}
    assert len(texts) == 10
    assert all(first[name] == digest for name, digest in texts.items())
    other = generate(tmp_path / "other", seed=2)
    assert other != first


def test_files_look_like_the_corpus(docs: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(docs.glob("*.txt"))]
    assert len(texts) == N
    policies = [t for t in texts if "日报讯" not in t]
    assert all("一、" in t and "(责任单位:" in t and "万元" in t for t in policies)
    assert all("有效期" in t for t in policies)
    assert len({t.splitlines()[0] for t in texts}) == N  # one title per document
    assert (docs / "manifest.yaml").exists() and (docs / "jurisdictions.ttl").exists()


def test_refuses_to_write_into_the_corpus() -> None:
    proc = subprocess.run([sys.executable, str(GENERATE), "--n", "1", "--out",
                           str(ROOT / "corpus" / "synthetic")], capture_output=True, text=True)
    assert proc.returncode != 0 and "corpus" in proc.stderr
    assert not (ROOT / "corpus" / "synthetic").exists()


def test_n_documents_yield_n_policies_through_the_real_loader(docs: Path) -> None:
    paths = sorted(docs.glob("*.txt"))
    built = build(paths, load_manifest(docs / "manifest.yaml"))
    assert len(built.graphs) == N
    merged = Graph()
    for graph in built.graphs.values():
        merged += graph
    loaded = set(merged.subjects(PKG.loaded, Literal(True)))
    assert len(loaded) == N
    assert all((p, RDF.type, PKG.PolicyDocument) in merged for p in loaded)
    assert len(set(merged.subjects(RDF.type, PKG.FundingInstrument))) >= 3 * N
    merged.parse(docs / "jurisdictions.ttl")
    assert validate_graph(merged, "en").conforms
