"""A source graph as the write path holds it (`writes.Stated`): converted once, and sent from
an extraction worker as N-Triples plus what linking reads."""

from __future__ import annotations

import pickle

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from policykg.ontology.vocab import PKG
from policykg.queries.links import reads
from policykg.queries.terms import TermConversionError, from_rdflib, triples_from_rdflib
from policykg.queries.writes import Stated


def _odd_graph(blank: bool = True) -> Graph:
    """Terms whose N-Triples spelling needs care: quotes, backslashes, newlines, tabs, language
    tags, datatypes, blank nodes, non-ASCII IRIs."""
    g = Graph()
    node = URIRef("https://example.org/政策/甲?q=1#x")
    g.add((node, RDF.type, PKG.PolicyDocument))
    g.add((node, PKG.title, Literal('《某市"人工智能"\\措施》\n第二行\t完', lang="zh")))
    g.add((node, PKG.rate, Literal("0.30", datatype=XSD.decimal)))
    g.add((node, PKG.note, Literal("plain")))
    g.add((node, PKG.loaded, Literal(True)))
    if blank:
        g.add((BNode("b1"), PKG.about, node))
    return g


def test_the_converted_triples_are_the_terms_one_by_one() -> None:
    g = _odd_graph()
    expected = {ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in g}
    assert set(triples_from_rdflib(g)) == expected
    assert set(Stated.of(g).triples) == expected


def test_a_term_the_store_rejects_is_named() -> None:
    with pytest.raises(TermConversionError, match="has space"):
        triples_from_rdflib([(URIRef("https://example.org/has space"), RDF.type, PKG.PolicyDocument)])


def test_a_pickled_graph_comes_back_whole() -> None:
    """What a worker sends is what the writer would have built from the graph itself."""
    g = _odd_graph()
    sent = Stated.of(g)
    back = pickle.loads(pickle.dumps(sent))
    assert set(back.triples) == set(sent.triples) and len(back) == len(g)
    assert back.reads == sent.reads == reads(g)
    assert URIRef("https://example.org/政策/甲?q=1#x") in back.reads.loaded


@pytest.mark.parametrize("blank", [False, True])
def test_the_bulk_write_stores_what_the_transaction_stores(tmp_path, blank: bool) -> None:
    """`atomic=False` (a load's copy) writes through N-Quads text: literals holding line
    breaks, quotes and " ." survive, and the quads equal those of one transaction — blank
    nodes too, with their labels (they take the slower path)."""
    from policykg.queries.store import PolicyStore

    g = _odd_graph(blank)
    g.add((PKG.x, PKG.note, Literal('ends like a line .\n<a> <b> "c" .\n"')))
    put = {"https://example.org/graph/a": Stated.of(g).triples}
    register = {"https://example.org/graph/a": "a.txt"}
    stores = []
    for atomic in (True, False):
        store = PolicyStore.open(tmp_path / str(atomic))
        store.write_triples([], put, register, atomic=atomic)
        stores.append(sorted(str(q) for q in store._ox))  # noqa: SLF001 - every quad
        store.close()
    assert stores[0] == stores[1]
    assert any("ends like a line" in q for q in stores[1])
