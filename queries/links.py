"""Derived links: the linking phase between RDF and validation (text → facts → RDF → *links*
→ validation → store).

Extraction states only what one text says: an instrument 加码s the same-category instrument
of a policy it names (`pkg:topsUpPolicy`), a document cites, supports or supersedes a policy by
title (`pkg:RelationStatement`). Which stored node such a reference reaches depends on what
else is stored, so it is decided here, against the whole store as it will be after a change,
and kept apart from what the texts say: the links of source S live in the named graph
`store.links_graph_iri(S)`, rebuilt whenever a change touches S or a policy S refers to.
The same set of documents therefore gives the same links in any order and through any entry
point (`policykg load`, `POST /documents`, `DELETE /documents/…`).

Three kinds of link:
- `I pkg:topsUp J`, with its `pkg:RelationStatement` (evidence: I's own), for every
  instrument J of the named policy with I's category that I raises (rate and cap not lower);
  when none is stored, the reference stays unresolved and is reported as a warning;
- `P pkg:supports Q` (supersedes, cites, basedOn, prevailsOver, alignsWith, implementedBy) for
  a citation by title or 文号, Q the document it names (`queries.citations`), with the
  statement's type and object; the statement's subject, evidence and scope are the text's;
- `Q pkg:documentType T` (+ title, cited 文号) for a cited policy Q that resolves to no stored
  document: the type its title presumes (`loaders.to_rdf.presumed_type`). Once Q's own text
  is loaded, its own type stands alone.

A change re-derives the links of the stored sources whose references it may re-resolve: those
naming a policy it defines or drops (`REFERRING`), and those citing, by the same or a near
title or by 文号, a document it loads, describes or removes (`World.citing`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from policykg.loaders.places import enclosing
from policykg.loaders.split import norm_title
from policykg.loaders.to_rdf import RELATION_PROPERTIES, concepts, presumed_type
from policykg.ontology.alignment import materialise
from policykg.ontology.vocab import PKG, fact_iri, policy_iri

from .citations import (
    KNOWN_PATTERN,
    Citation,
    Index,
    Known,
    citations,
    known_from_rows,
    known_in,
    named,
    naming,
)
from .store import PolicyStore

_RELATION_CODES = {prop: code for code, prop in RELATION_PROPERTIES.items()}
#: Predicates whose objects are policies another graph may define: a change to those policies
#: (their instruments, whether they are loaded) re-derives the links of the graphs naming them.
REFERRING = (PKG.topsUpPolicy, PKG.relationObject)


@dataclass(frozen=True)
class Offer:
    """A stored or incoming instrument, as far as resolving a top-up needs it."""

    instrument: URIRef
    rate: Decimal | None
    max_cny: Decimal | None


@dataclass(frozen=True)
class TopUpRef:
    instrument: URIRef
    policies: tuple[URIRef, ...]  # the named policy as each place enclosing the text may issue it
    category: URIRef
    rate: Decimal | None
    max_cny: Decimal | None
    evidence: URIRef | None


def _decimal(term: object) -> Decimal | None:
    return None if term is None else Decimal(str(term))


def _places(graph: Graph, inst: URIRef) -> list[str]:
    """Names of the places whose policy states `inst`, each followed by those enclosing it."""
    names: list[str] = []
    for policy in graph.objects(inst, PKG.instrumentOf):
        for j in graph.objects(policy, PKG.jurisdiction):
            name = graph.value(j, SKOS.prefLabel) or graph.value(j, RDFS.label)
            if name is not None:
                names += enclosing(str(name))
    return list(dict.fromkeys(names))


def candidates(graph: Graph, inst: URIRef, named: URIRef) -> tuple[URIRef, ...]:
    """The IRIs a policy named by title may have (`to_rdf.document_iri`): the title alone, when
    it names its place, or the title as issued by a place at or around the naming text."""
    title = graph.value(named, PKG.title)
    if title is None:
        return (named,)
    return tuple(dict.fromkeys([named, *(policy_iri(str(title), p) for p in _places(graph, inst))]))


def top_up_refs(graph: Graph) -> list[TopUpRef]:
    """The top-up references a source graph states."""
    refs = []
    for inst, policy in graph.subject_objects(PKG.topsUpPolicy):
        category = graph.value(inst, PKG.category)
        if isinstance(inst, URIRef) and isinstance(policy, URIRef) and isinstance(category, URIRef):
            evidence = graph.value(inst, PKG.evidence)
            refs.append(TopUpRef(inst, candidates(graph, inst, policy), category,
                                 _decimal(graph.value(inst, PKG.rate)),
                                 _decimal(graph.value(inst, PKG.maxAmount)),
                                 evidence if isinstance(evidence, URIRef) else None))
    return sorted(refs, key=lambda r: (str(r.instrument), str(r.policies)))


def policies_of(graph: Graph) -> set[URIRef]:
    """Policies whose instruments or loaded state a graph defines: what a link may point into,
    plus the title-only IRI a text elsewhere may name a place-qualified policy by."""
    found = {o for o in graph.objects(None, PKG.instrumentOf) if isinstance(o, URIRef)}
    loaded = {s for s in graph.subjects(PKG.loaded, None) if isinstance(s, URIRef)}
    named = {policy_iri(str(t)) for p in loaded for t in graph.objects(p, PKG.title)}
    return found | loaded | named


@dataclass(frozen=True)
class Reads:
    """All linking reads of one source graph, read once where the graph is built: an
    extraction worker hands the writer this with the graph's triples (`writes.Stated`), so the
    writer never rebuilds the graph in rdflib's terms."""

    refs: tuple[TopUpRef, ...]  # the top-ups it states
    citations: tuple[Citation, ...]
    offers: tuple[tuple[URIRef, URIRef | None, Offer], ...]  # (policy, category, instrument)
    loaded: frozenset[URIRef]  # policies it loads
    known: tuple[Known, ...]  # documents it loads or describes
    policies: frozenset[URIRef]  # `policies_of`


def reads(graph: Graph) -> Reads:
    """What linking reads of `graph`."""
    offers = []
    for inst, policy in graph.subject_objects(PKG.instrumentOf):
        if isinstance(inst, URIRef):
            category = graph.value(inst, PKG.category)
            offers.append((policy, category if isinstance(category, URIRef) else None, Offer(
                inst, _decimal(graph.value(inst, PKG.rate)), _decimal(graph.value(inst, PKG.maxAmount)))))
    loaded = frozenset(p for p in graph.subjects(PKG.loaded, Literal(True)) if isinstance(p, URIRef))
    return Reads(tuple(top_up_refs(graph)), tuple(citations(graph)), tuple(offers), loaded,
                 tuple(known_in(graph)), frozenset(policies_of(graph)))


def raises(ref: TopUpRef, offer: Offer) -> bool:
    """A top-up raises an instrument when neither its rate nor its cap is lower."""
    return ((offer.rate is None or ref.rate is None or ref.rate >= offer.rate)
            and (offer.max_cny is None or ref.max_cny is None or ref.max_cny >= offer.max_cny))


class World:
    """The store as it will be after a change: stored graphs minus `excluded` (graphs being
    replaced or removed) plus the `incoming` graphs, read only where links need it."""

    def __init__(self, store: PolicyStore, incoming: Mapping[str, Reads], excluded: Iterable[str]):
        self.store = store
        self.incoming = incoming
        self.excluded = [ox.NamedNode(str(g)) for g in excluded]

    def _stored(self, pattern: str, values: list[URIRef]) -> list[dict]:
        if not values:
            return []
        block = " ".join(f"<{v}>" for v in sorted(set(values)))
        exclude = ", ".join(str(g) for g in self.excluded)
        flt = f"FILTER (?g NOT IN ({exclude}))" if exclude else ""
        # VALUES inside GRAPH: outside it, pyoxigraph evaluated a pattern opening with UNION
        # over every graph before the join (0.4 s against 0.02 s at 10,000 documents)
        return self.store.query(
            f"SELECT * WHERE {{ GRAPH ?g {{ VALUES ?x {{ {block} }} {pattern} }} {flt} }}").rows

    def offers(self, keys: set[tuple[URIRef, URIRef]]) -> dict[tuple[URIRef, URIRef], list[Offer]]:
        """(policy, category) -> instruments of that policy in that category."""
        out: dict[tuple[URIRef, URIRef], set[Offer]] = {}
        policies = {p for p, _ in keys}
        for read in self.incoming.values():
            for policy, category, offer in read.offers:
                if (policy, category) in keys:
                    out.setdefault((policy, category), set()).add(offer)
        rows = self._stored("?i pkg:instrumentOf ?x ; pkg:category ?c . "
                            "OPTIONAL { ?i pkg:rate ?rate } OPTIONAL { ?i pkg:maxAmount ?max }",
                            list(policies))
        for row in rows:
            key = (URIRef(row["x"]), URIRef(row["c"]))
            if key in keys:
                out.setdefault(key, set()).add(Offer(URIRef(row["i"]), _decimal(row["rate"]),
                                                     _decimal(row["max"])))
        return {k: sorted(v, key=lambda o: str(o.instrument)) for k, v in out.items()}

    def loaded(self, policies: set[URIRef]) -> set[URIRef]:
        found = {p for read in self.incoming.values() for p in read.loaded if p in policies}
        rows = self._stored("?x pkg:loaded true", list(policies - found))
        return found | {URIRef(r["x"]) for r in rows}

    def _filter(self) -> str:
        exclude = ", ".join(str(g) for g in self.excluded)
        return f"FILTER (?g NOT IN ({exclude}))" if exclude else ""

    def known(self, cited: list[Citation]) -> list[Known]:
        """The documents (`citations.Known`) of the store as it will be that `cited` may name:
        by the same or a near title, or by 文号 — all `citations.Index` needs, read in full only
        for those (a large store has many more documents than a batch cites)."""
        # each branch joins its own title: a UNION then a join took twice as long
        rows = self.store.query("SELECT ?x ?title WHERE { GRAPH ?g { { ?x pkg:loaded true ; pkg:title ?title } "
                                "UNION { ?x pkg:describedIn ?by ; pkg:title ?title } } "
                                f"{self._filter()} }}").rows
        titles: dict[str, set[str]] = {}
        for row in rows:
            titles.setdefault(norm_title(str(row["title"])), set()).add(str(row["x"]))
        wanted = named(titles, (norm_title(c.title) for c in cited))
        numbers = sorted({str(ox.Literal(c.doc_number)) for c in cited if c.doc_number})
        if numbers:
            rows = self.store.query(
                f"SELECT ?x WHERE {{ VALUES ?n {{ {' '.join(numbers)} }} GRAPH ?g {{ ?x pkg:docNumber ?n . "
                f"{{ ?x pkg:loaded true }} UNION {{ ?x pkg:describedIn ?by }} }} {self._filter()} }}").rows
            wanted |= {str(r["x"]) for r in rows}
        found = known_from_rows(self._stored(KNOWN_PATTERN, [URIRef(x) for x in wanted]))
        return found + [k for read in self.incoming.values() for k in read.known]

    def changed_known(self) -> list[Known]:
        """The documents the change loads, describes, replaces or removes."""
        out = [k for read in self.incoming.values() for k in read.known]
        if self.excluded:
            block = " ".join(str(g) for g in self.excluded)
            rows = self.store.query(f"SELECT * WHERE {{ VALUES ?g {{ {block} }} GRAPH ?g {{ {KNOWN_PATTERN} }} }}").rows
            out += known_from_rows(rows)
        return out

    def citing(self, changed: list[Known]) -> set[str]:
        """Stored sources stating a citation a change to `changed` documents may re-resolve:
        by the same or a near title, or by 文号."""
        if not changed:
            return set()
        rows = self.store.query(f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?st pkg:citedTitle ?t }} "
                                f"{self._filter()} }}").rows
        titles: dict[str, set[str]] = {}
        for row in rows:
            titles.setdefault(norm_title(str(row["t"])), set()).add(str(row["t"]))
        wanted = [str(ox.Literal(t, language="zh")) for t in sorted(naming(titles, changed))]
        numbers = sorted({str(ox.Literal(k.doc_number)) for k in changed if k.doc_number})
        sources: set[str] = set()
        for predicate, values in ((PKG.citedTitle, wanted), (PKG.citedDocNumber, numbers)):
            if values:
                rows = self.store.query(
                    f"SELECT DISTINCT ?source WHERE {{ VALUES ?v {{ {' '.join(values)} }} GRAPH ?g {{ "
                    f"?st <{predicate}> ?v . ?g pkg:sourceFile ?source }} {self._filter()} }}").rows
                sources |= {r["source"] for r in rows}
        return sources

    def referrers(self, policies: set[URIRef]) -> set[str]:
        """Stored sources (not being replaced or removed) whose graphs refer to `policies` or
        cite a document the change loads, describes or removes."""
        sources: set[str] = set()
        for predicate in REFERRING:
            rows = self._stored(f"?ref <{predicate}> ?x . ?g pkg:sourceFile ?source", list(policies))
            sources |= {r["source"] for r in rows}
        return sources | self.citing(self.changed_known())


@dataclass
class Linked:
    graphs: dict[str, Graph]  # source -> its links graph (possibly empty)
    warnings: list[str]


def derive(world: World, graphs: Mapping[str, Reads]) -> Linked:
    """The links of each of `graphs` (source -> what linking reads of its stated graph) in
    `world`."""
    refs = {source: r.refs for source, r in graphs.items()}
    cited = {source: r.citations for source, r in graphs.items()}
    offers = world.offers({(p, r.category) for rs in refs.values() for r in rs for p in r.policies})
    every = [c for cs in cited.values() for c in cs]
    index = Index(world.known(every) if every else [])
    resolved = {c: index.resolve(c) for cs in cited.values() for c in cs}
    loaded = world.loaded({policy_iri(c.title) for c, iri in resolved.items() if iri is None})
    out: dict[str, Graph] = {}
    warnings: list[str] = []
    for source in sorted(graphs):
        links = Graph()
        for ref in refs[source]:
            raised = [o for p in ref.policies for o in offers.get((p, ref.category), []) if raises(ref, o)]
            if not raised:
                warnings.append(f"{source}: {ref.instrument} tops up an instrument of {ref.policies[0]} "
                                "that is not stored (no link) / 所加码的资金工具未载入,未建立链接")
            for offer in raised:
                links.add((ref.instrument, PKG.topsUp, offer.instrument))
                st = fact_iri(ref.instrument, "relation", f"tops_up|{offer.instrument}")
                links.add((st, RDF.type, PKG.RelationStatement))
                links.add((st, PKG.relationSubject, ref.instrument))
                links.add((st, PKG.relationObject, offer.instrument))
                links.add((st, PKG.relationType, PKG.topsUp))
                if ref.evidence is not None:
                    links.add((st, PKG.evidence, ref.evidence))
        kinds: dict[URIRef, set[URIRef]] = {}
        for citation in cited[source]:
            kind = cite(links, citation, resolved[citation])
            if kind is not None and policy_iri(citation.title) not in loaded:
                kinds.setdefault(policy_iri(citation.title), set()).add(kind)
        # two spellings of one title could presume two types: keep one, the same one every time
        for policy, found in kinds.items():
            links.add((policy, PKG.documentType, min(found)))
        out[source] = materialise(links)
    return Linked(out, warnings)


def cite(links: Graph, citation: Citation, target: URIRef | None) -> URIRef | None:
    """The relation a citation states, to the document it resolved to; unresolved, to the node
    for the title, which carries the title and the cited 文号. Returns the type an unresolved
    title presumes (stated while no stored graph loads the policy)."""
    kind = None
    if target is None:
        target = policy_iri(citation.title)
        links.add((target, RDF.type, PKG.PolicyDocument))
        links.add((target, PKG.title, Literal(citation.title, lang="zh")))
        if citation.doc_number:
            links.add((target, PKG.docNumber, Literal(citation.doc_number)))
        code = _RELATION_CODES.get(citation.relation)
        kind = concepts().get(presumed_type(code, citation.title) or "") if code else None
    links.add((citation.subject, citation.relation, target))
    links.add((citation.statement, RDF.type, PKG.RelationStatement))
    links.add((citation.statement, PKG.relationObject, target))
    return kind
