"""Stored instruments as the loaders' top-up index, so a document uploaded on its own can
still link its 加码 to the instrument it raises in a document loaded earlier.

`policykg load` resolves top-ups among the files it reads together (`loaders.pipeline`); an
upload reads one file, so the instruments it may top up are looked up here, by the IRI of the
policy the text names (policy IRIs derive from normalised titles, see `ontology.vocab`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef

from policykg.loaders.split import norm_title
from policykg.loaders.to_rdf import InstrumentIndex
from policykg.ontology.vocab import policy_iri

from .store import PolicyStore

_OFFERS = """
SELECT ?instrument ?category ?rate ?max WHERE {
  ?instrument pkg:instrumentOf ?policy ; pkg:category/skos:notation ?category .
  OPTIONAL { ?instrument pkg:rate ?rate }
  OPTIONAL { ?instrument pkg:maxAmount ?max }
}"""


_BY_TITLE = "SELECT DISTINCT ?policy WHERE { ?policy pkg:title ?title ; pkg:loaded true }"


@dataclass(frozen=True)
class StoredOffer:
    rate: Decimal | None
    max_cny: Decimal | None


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def stored_offers(store: PolicyStore, titles: Iterable[str]) -> InstrumentIndex:
    """(normalised title, category) -> [(instrument IRI, offer)] for the policies named."""
    index: dict[tuple[str, str], list[tuple[URIRef, StoredOffer]]] = {}
    for title in titles:
        # by title as well as by IRI: a title that names no place is qualified by the place
        # issuing it (vocab.policy_iri), which the citing text does not give
        named = {URIRef(r["policy"]) for r in store.query(_BY_TITLE, {"title": Literal(title, lang="zh")}).rows}
        rows = [row for policy in sorted(named | {URIRef(policy_iri(title))})
                for row in store.query(_OFFERS, {"policy": policy}).rows]
        for row in rows:
            key = (norm_title(title), row["category"])
            offer = StoredOffer(_decimal(row["rate"]), _decimal(row["max"]))
            index.setdefault(key, []).append((URIRef(row["instrument"]), offer))
    return index


def merged(*indexes: InstrumentIndex) -> InstrumentIndex:
    out: dict[tuple[str, str], list] = {}
    for index in indexes:
        for key, entries in index.items():
            out.setdefault(key, []).extend(e for e in entries if e not in out.get(key, []))
    return out
