"""The two SHACL engines give the same findings: pyshacl-turbo (the default) against pyshacl
(the reference), on every broken example of the shape tests, on the corpus, on generated
documents, and on copies of them with triples knocked out — through rdflib graphs and through
the pyoxigraph store the write path validates (the same store read by both)."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

from policykg.loaders.manifest import load_manifest, manifest_for
from policykg.loaders.pipeline import build_graphs
from policykg.ontology.validation import ENGINES, Finding, engine, read_predicates, validate_graph
from policykg.queries.neighbourhood import to_ox

from . import test_shapes, test_stated_terms_shapes
from .test_shapes import PLAN, _drop

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
BROKEN = [(f"shapes-{c[0]}", c[1], None) for c in test_shapes.CASES] + [
    (f"stated-{c[0]}", c[1], test_stated_terms_shapes.stated) for c in test_stated_terms_shapes.CASES
] + [("issuer-warning", lambda g: _drop(g, PLAN, test_shapes.PKG.issuedBy), None)]


def findings(data: Graph | ox.Store, using: str, langs: tuple[str, ...]) -> dict[str, tuple[bool, list[Finding]]]:
    """Per language: conforms and the sorted findings."""
    out = {}
    for lang in langs:
        report = validate_graph(data, lang, using=using)
        # a blank node's label is the reader's own (a parser mints new ones)
        found = [replace(f, focus="_:blank") if f.focus[:1] in "Nn" and "/" not in f.focus else f
                 for f in report.findings]
        out[lang] = (report.conforms, sorted(found, key=repr))
    return out


def assert_same(graph: Graph, langs: tuple[str, ...] = ("zh", "en")) -> dict[str, tuple[bool, list[Finding]]]:
    reference = findings(graph, "pyshacl", langs)
    assert findings(graph, "turbo", langs) == reference
    # the store holds literals in canonical form (2000000.0 as 2000000): both engines read it
    store = ox.Store()
    store.bulk_extend(ox.Quad(*t) for t in to_ox(graph))
    assert findings(store, "turbo", langs) == findings(store, "pyshacl", langs)
    # the write path validates only the triples of predicates the shapes read
    read = read_predicates()
    assert read is not None and ox.NamedNode(str(RDFS.subClassOf)) in read
    kept = ox.Store()
    kept.bulk_extend(ox.Quad(*t) for t in to_ox(graph) if t.predicate in read)
    assert len(kept) < len(store) or not len(store)
    assert findings(kept, "turbo", langs) == findings(store, "turbo", langs)
    return reference


def knock_out(graph: Graph, seed: int, share: float = 0.02) -> Graph:
    """A copy with a random share of the triples removed: missing titles, clauses, types…"""
    rng = random.Random(seed)
    out = Graph()
    for triple in sorted(graph):
        if rng.random() >= share:
            out.add(triple)
    return out


def test_turbo_is_the_default_engine() -> None:
    assert engine() == "turbo"
    assert set(ENGINES) == {"turbo", "pyshacl"}


@pytest.mark.parametrize(("case", "breaker", "prepare"), BROKEN, ids=[c[0] for c in BROKEN])
def test_same_findings_on_every_broken_example(example_graph: Graph, case: str, breaker, prepare) -> None:
    if prepare is not None:
        prepare(example_graph)
    breaker(example_graph)
    reference = assert_same(example_graph)
    assert reference["en"][1], f"{case}: the broken example must have findings"


@pytest.fixture(scope="module")
def corpus() -> Graph:
    merged = Graph()
    for graph in build_graphs(CORPUS, manifest_for(CORPUS)).values():
        merged += graph
    return merged


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    out = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--n", "20", "--out", str(out),
                    "--seed", "3"], check=True, capture_output=True)
    merged = Graph()
    merged.parse(out / "jurisdictions.ttl")
    for graph in build_graphs(sorted(out.glob("*.txt")), load_manifest(out / "manifest.yaml")).values():
        merged += graph
    return merged


def test_same_findings_on_the_corpus(corpus: Graph) -> None:
    assert_same(corpus)


def test_same_findings_on_generated_documents(generated: Graph) -> None:
    assert_same(generated, ("en",))


@pytest.mark.parametrize("seed", range(2))
def test_same_findings_with_triples_knocked_out(corpus: Graph, generated: Graph, seed: int) -> None:
    for graph in (corpus, generated):
        reference = assert_same(knock_out(graph, seed), ("en",))
        assert not reference["en"][0], "2% of the triples gone must break some shape"


def test_an_unknown_engine_is_refused(example_graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="engine"):
        validate_graph(example_graph, using="jena")
    monkeypatch.setenv("POLICYKG_SHACL_ENGINE", "jena")
    with pytest.raises(ValueError, match="POLICYKG_SHACL_ENGINE"):
        engine()
