"""The ontology is OWL 2 DL and consistent, checked by real reasoners: HermiT over the ontology
(it refuses what is outside OWL 2 DL, such as rdf:langString or xsd:date ranges) and Pellet over
the ontology, the jurisdictions and the seed corpus as loaded (with its materialised ELI /
DCTERMS alignments). Each run is a child process with a time limit; on timeout its whole
process group (the Java reasoner included) is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from policykg.loaders.manifest import load_manifest
from policykg.loaders.pipeline import build_graphs

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
CORPUS = ROOT / "corpus"
SCRIPT = Path(__file__).with_name("reasoner.py")
TIME_LIMIT = 180  # seconds; each run takes ~5 s on 2 cores


def reason(reasoner: str, *files: Path) -> tuple[int, str]:
    child = subprocess.Popen([sys.executable, str(SCRIPT), reasoner, *map(str, files)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    try:
        out, _ = child.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"{reasoner} ran past {TIME_LIMIT} s")
    return child.returncode, out


def as_ntriples(graph: Graph, path: Path) -> Path:
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


def test_hermit_accepts_the_ontology(tmp_path):
    ontology = as_ntriples(Graph().parse(ONTOLOGY / "policy.ttl"), tmp_path / "policy.nt")
    code, out = reason("hermit", ontology)
    assert code == 0 and "consistent" in out, out


def test_pellet_finds_ontology_and_corpus_consistent(tmp_path):
    graph = Graph().parse(ONTOLOGY / "policy.ttl")
    graph.parse(ONTOLOGY / "jurisdictions.ttl")
    for source in build_graphs(sorted(CORPUS.glob("*.txt")),
                               load_manifest(CORPUS / "manifest.yaml")).values():
        graph += source
    code, out = reason("pellet", as_ntriples(graph, tmp_path / "all.nt"))
    assert code == 0 and "consistent" in out, out


def test_a_reasoner_can_say_no(tmp_path):
    """The check can fail: a title range of rdf:langString (as the ontology once declared)
    next to a plain-string title is refused."""
    graph = Graph().parse(ONTOLOGY / "policy.ttl")
    graph.parse(data="""
        @prefix pkg: <https://w3id.org/policykg/ontology#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        pkg:title rdfs:range rdf:langString .
        <https://w3id.org/policykg/id/policy/x> a pkg:PolicyDocument ; pkg:title "无语言标签" .
    """, format="turtle")
    code, out = reason("pellet", as_ntriples(graph, tmp_path / "bad.nt"))
    assert code == 1, out
