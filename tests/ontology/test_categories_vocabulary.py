"""The category vocabulary (ontology/categories.ttl) merges with policy.ttl and reaches every
place the ontology is loaded: the store's background graph and SHACL validation."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import SKOS

from policykg.ontology import CATEGORIES_TTL, POLICY_TTL
from policykg.ontology.validation import background_graph
from policykg.queries.store import PolicyStore

PKG = Namespace("https://w3id.org/policykg/ontology#")


def test_every_labelled_concept_is_a_category_of_policy_ttl() -> None:
    policy = Graph().parse(POLICY_TTL)
    vocab = Graph().parse(CATEGORIES_TTL)
    labelled = set(vocab.subjects(SKOS.altLabel, None)) | set(vocab.subjects(SKOS.hiddenLabel, None))
    assert labelled
    for concept in labelled:
        assert (concept, SKOS.inScheme, PKG.InstrumentCategories) in policy, concept
    words = [str(o) for o in vocab.objects(None, SKOS.altLabel)]
    assert len(words) == len(set(words)), "a strong word names one category only"


def test_validation_and_store_load_the_vocabulary() -> None:
    label = Literal("训力券", lang="zh")
    assert (PKG.compute_voucher, SKOS.altLabel, label) in background_graph()
    store = PolicyStore.in_memory()
    answer = store.query('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
                         'SELECT ?c WHERE { ?c skos:altLabel "孵化器"@zh }')
    assert [row["c"] for row in answer.rows] == [str(PKG.platform)]
