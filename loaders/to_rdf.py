"""One file's extraction result as RDF, following ontology/policy.ttl (see tests/data/example.ttl).

IRIs come from content only (ontology/vocab.py): the policy from its title, a clause from its
number, a fact from its clause and its content, so loading a file twice gives the same graph.
Money and rates are xsd:decimal from Python Decimal; titles, texts, headings, bases,
beneficiaries and conditions are @zh; quotes are plain strings. A relation to another document
is stated as the text gives it — subject, type, cited title and 文号, scope, evidence — and the
linking phase (`queries.links`) resolves it against the store, adding the direct triple
(pkg:supports …) and the statement's object, so no link depends on which files are read together.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from policykg.loaders import places
from policykg.loaders.departments import node_home, node_name
from policykg.loaders.document_facts import doc_type
from policykg.loaders.extract import ExtractionResult
from policykg.loaders.facts import Clause, Document, Evidence, Instrument
from policykg.loaders.instrument_rdf import concepts_by_class, stated_terms
from policykg.loaders.split import norm_title
from policykg.ontology.alignment import materialise
from policykg.ontology.vocab import (
    PKG,
    PREFIXES,
    clause_iri,
    department_iri,
    fact_iri,
    jurisdiction_iri,
    policy_iri,
    programme_iri,
)

RELATION_PROPERTIES = {
    "supports": PKG.supports, "based_on": PKG.basedOn, "tops_up": PKG.topsUp, "supersedes": PKG.supersedes,
    "prevails_over": PKG.prevailsOver, "cites": PKG.cites, "aligns_with": PKG.alignsWith,
    "implemented_by": PKG.implementedBy,
}
ROLE_PROPERTIES = {"responsible": PKG.responsibleUnit, "cooperating": PKG.cooperatingUnit, "lead": PKG.leadUnit}

@lru_cache(maxsize=1)
def concepts() -> dict[str, URIRef]:
    """skos:notation -> concept IRI, read from the ontology so codes and IRIs never drift.
    A notation shared by schemes (`fund`, `per_project`) keeps its earlier meaning (category,
    cap scope); the issue-12 instrument fields look codes up per class (`concepts_by_class`)."""
    later = (PKG.InstrumentKind, PKG.RecipientKind, PKG.Period)
    out: dict[str, URIRef] = {}
    for _cls, codes in sorted(concepts_by_class().items(), key=lambda item: (item[0] not in later, str(item[0]))):
        out.update(codes)
    return out


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _dec(value: Decimal) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def instrument_key(inst: Instrument) -> str:
    """Content key of an instrument: stable across runs, distinct for two offers in one sentence."""
    key = "|".join(str(x) for x in (inst.category, inst.label, inst.rate, inst.rate_kind, inst.min_cny,
                                    inst.max_cny, inst.period, inst.cap_scope, inst.beneficiary,
                                    inst.evidence.quote))
    # issue-12 fields join the key only when set, so instruments without them keep their IRIs
    stated = (inst.kind != "grant", inst.rate_is_max, inst.rate_options, inst.rate_schedule,
              inst.thresholds, inst.recipient, inst.funder_level, inst.period_years, not inst.quantified)
    if any(stated):
        key += "|" + "|".join(str(x) for x in (inst.kind, inst.rate_is_max, inst.rate_options, inst.rate_schedule,
                                               inst.thresholds, inst.recipient, inst.funder_level,
                                               inst.period_years, inst.quantified))
    return key


#: Documents written about a policy (their titles are often constructed, e.g. 关于《X》的新闻报道)
REPORTING = ("news_report", "interpretation")


def document_iri(title: str, doc_type: str | None, source: str, jurisdictions: list[str] | None = None,
                 doc_number: str | None = None) -> URIRef:
    """A policy's identity (documented in docs/architecture.md):

    * a title naming its place (苏州市…若干措施) identifies the policy wherever it is loaded;
    * a title that does not (关于促进…的行动方案) is qualified by the places issuing it;
    * a document with no title line is identified by its 文号, else by its file;
    * a report or an interpretation by its title *and file*, since many reports about one
      policy bear the same constructed title."""
    if doc_type in REPORTING:
        return policy_iri(f"{title}|{source}")
    if title.startswith(UNTITLED):
        return policy_iri(f"文号:{doc_number}") if doc_number else policy_iri(f"{title}|{source}")
    return policy_iri(title, identity_place(title, jurisdictions or []))


UNTITLED = "未命名文件"


def identity_place(title: str, jurisdictions: list[str]) -> str | None:
    """The place qualifying a title that does not name one itself."""
    if not jurisdictions or places.leading_places(title):
        return None
    return "+".join(sorted(jurisdictions))


def doc_iri(doc: Document) -> URIRef:
    return document_iri(doc.title, doc.doc_type, doc.source, doc.jurisdictions, doc.doc_number)


def describing_iri(doc: Document) -> URIRef:
    """The report in the same file that describes the not-loaded `doc`."""
    return document_iri(doc.described_in or "", REPORTING[0], doc.source)


def instrument_iri(doc: Document, inst: Instrument) -> URIRef:
    owner = describing_iri(doc) if not doc.loaded and doc.described_in else doc_iri(doc)
    return fact_iri(clause_iri(owner, inst.clause), "instrument", instrument_key(inst))


class _Writer:
    def __init__(self, result: ExtractionResult) -> None:
        self.g = Graph(store="SimpleMemory")  # no named-graph bookkeeping: ~2× faster adds
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.result = result
        self.c = concepts()
        self.scheme = concepts_by_class()
        # places and bodies recur in every clause: each is described once per graph (adding
        # the same triples again would change nothing, but costs a gazetteer walk each time)
        self._places: dict[tuple[str, tuple[str, ...]], URIRef] = {}
        self._bodies: dict[tuple[str, tuple[str, ...]], URIRef] = {}

    # -- shared nodes ------------------------------------------------------------------------
    def jurisdiction(self, name: str, context: list[str] | None = None) -> URIRef:
        """The place and every place enclosing it, each with its level, code and parent, so
        the graph of a file alone answers "which jurisdictions enclose X"."""
        key = (name, tuple(context or ()))
        if key in self._places:
            return self._places[key]
        self._places[key] = iri = jurisdiction_iri(name)
        seen: set[str] = set()
        place = places.describe(name, context)
        while place.name not in seen:
            seen.add(place.name)
            node = jurisdiction_iri(place.name)
            self.g.add((node, RDF.type, PKG.Jurisdiction))
            self.g.add((node, SKOS.prefLabel, _zh(place.name)))
            if place.level in self.c:
                self.g.add((node, PKG.level, self.c[place.level]))
            if place.code:
                self.g.add((node, PKG.divisionCode, Literal(place.code)))
            if not place.within:
                break
            self.g.add((node, PKG.within, jurisdiction_iri(place.within)))
            place = places.describe(place.within)
        return iri

    def department(self, name: str, doc: Document) -> URIRef:
        """One node per body: short and full spellings (安徽省科技厅, 安徽省科学技术厅) meet."""
        key = (name, tuple(doc.jurisdictions[:1]))
        if key in self._bodies:
            return self._bodies[key]
        full = node_name(name, (doc.jurisdictions or [None])[0])
        iri = department_iri(full)
        self.g.add((iri, RDF.type, PKG.Department))
        self.g.add((iri, SKOS.prefLabel, _zh(full)))
        if full != name:
            self.g.add((iri, SKOS.altLabel, _zh(name)))
        home = node_home(name, doc.jurisdictions)
        if home:
            self.g.add((iri, PKG.departmentOf, self.jurisdiction(home)))
        self._bodies[key] = iri
        return iri

    def other_policy(self, title: str) -> URIRef:
        """A policy a top-up names, as the text names it: the node for the title (the linking
        phase, `queries.links`, tries it as issued by each place around the naming text)."""
        iri = policy_iri(title)
        self.g.add((iri, RDF.type, PKG.PolicyDocument))
        self.g.add((iri, PKG.title, _zh(title)))
        return iri

    def evidence(self, node: URIRef, ev: Evidence, doc: Document,
                 predicate: URIRef = PKG.evidence, name: str = "evidence") -> None:
        e = URIRef(f"{node}/{name}")
        self.g.add((node, predicate, e))
        self.g.add((e, RDF.type, PKG.Evidence))
        self.g.add((e, PKG.quote, Literal(ev.quote)))
        self.g.add((e, PKG.sourceFile, Literal(ev.source)))
        self.g.add((e, PKG.charStart, Literal(ev.start)))
        self.g.add((e, PKG.charEnd, Literal(max(ev.end, ev.start + 1))))
        self.g.add((e, PKG.inClause, self.clause_node(doc, ev.clause, ev.document)))

    def clause_node(self, doc: Document, number: str | None, holder: str | None = None) -> URIRef:
        """The clause node `number` of the document whose text holds it (a report for a
        described policy, the plan for an announcement another document answers)."""
        owner = doc
        if holder:
            owner = next((d for d in self.result.documents if d.title == holder), doc)
        elif not doc.loaded and doc.described_in:
            owner = next((d for d in self.result.documents if d.title == doc.described_in), doc)
        if number is None:
            number = next((c.number for c in owner.clauses), "序言")
        return clause_iri(doc_iri(owner), number)

    # -- documents ---------------------------------------------------------------------------
    def document(self, doc: Document) -> None:
        g, p = self.g, doc_iri(doc)
        g.add((p, RDF.type, PKG.PolicyDocument))
        g.add((p, PKG.title, _zh(doc.title)))
        if doc.loaded:
            # only the graph holding the text says "loaded"; absence means described or cited,
            # so graphs loaded separately never contradict each other
            g.add((p, PKG.loaded, Literal(True)))
            g.add((p, PKG.sourceFile, Literal(doc.source)))
        if doc.doc_type in self.c:
            g.add((p, PKG.documentType, self.c[doc.doc_type]))
        if doc.doc_number:
            g.add((p, PKG.docNumber, Literal(doc.doc_number)))
        for name in doc.issuers:
            g.add((p, PKG.issuedBy, self.department(name, doc)))
        for warning in doc.warnings:  # damage the loader saw stays with the document it concerns
            g.add((p, SKOS.editorialNote, Literal(warning, lang="en")))
        for name in doc.jurisdictions:
            g.add((p, PKG.jurisdiction, self.jurisdiction(name, doc.jurisdictions)))
        for prop, value in ((PKG.issued, doc.issued), (PKG.inForceFrom, doc.effective_from),
                            (PKG.inForceUntil, doc.effective_to)):
            if value:
                g.add((p, prop, Literal(value, datatype=XSD.date)))
        if doc.described_in:
            g.add((p, PKG.describedIn, describing_iri(doc)))
        for rule, ev in doc.stacking_rules:
            self.own_rule(doc, p, PKG.stackingRule, self.c[rule], ev)
        for principle, ev in doc.precedence:
            self.own_rule(doc, p, PKG.precedencePrinciple, self.c[principle], ev)
        if doc.validity_evidence and (doc.effective_from or doc.effective_to):
            self.evidence(p, doc.validity_evidence, doc, PKG.validityEvidence, "validity")
        self.clauses(doc, p)
        for inst in doc.instruments:
            self.instrument(doc, inst)
        for target in doc.targets:
            self.target(doc, p, target)
        for rel in doc.relations:
            self.relation(doc, p, rel)

    def clauses(self, doc: Document, p: URIRef) -> None:
        roles: dict[str, list[tuple[str, str]]] = {}
        for dep in doc.departments:
            roles.setdefault(dep.clause or "", []).append((dep.role, dep.name))
        position = 0

        def emit(clause: Clause, parent: URIRef) -> None:
            nonlocal position
            position += 1
            node = clause_iri(p, clause.number)
            g = self.g
            g.add((node, RDF.type, PKG.Clause))
            g.add((node, PKG.ofPolicy, p))
            g.add((node, PKG.partOf, parent))
            g.add((node, PKG.number, Literal(clause.number)))
            g.add((node, PKG.position, Literal(position)))
            if clause.heading:
                g.add((node, PKG.heading, _zh(clause.heading)))
            if clause.text:
                g.add((node, PKG.text, _zh(clause.text)))
            g.add((node, PKG.sourceFile, Literal(doc.source)))
            g.add((node, PKG.charStart, Literal(clause.start)))
            g.add((node, PKG.charEnd, Literal(clause.end)))
            for role, name in roles.get(clause.number, []):
                g.add((node, ROLE_PROPERTIES.get(role, PKG.responsibleUnit), self.department(name, doc)))
            for child in clause.children:
                emit(child, node)

        for root in doc.clauses:
            emit(root, p)

    def instrument(self, doc: Document, inst: Instrument) -> None:
        g, node = self.g, instrument_iri(doc, inst)
        g.add((node, RDF.type, PKG.FundingInstrument))
        g.add((node, PKG.instrumentOf, doc_iri(doc)))
        g.add((node, PKG.definedIn, self.clause_node(doc, inst.clause)))
        g.add((node, PKG.category, self.scheme[PKG.InstrumentCategory].get(inst.category, PKG.other)))
        if inst.label:
            g.add((node, RDFS.label, _zh(inst.label)))
        if inst.rate is not None:
            g.add((node, PKG.rate, _dec(inst.rate)))
        if inst.rate_kind in self.scheme[PKG.RateKind]:
            g.add((node, PKG.rateKind, self.scheme[PKG.RateKind][inst.rate_kind]))
        for prop, text in ((PKG.rateBase, inst.rate_base), (PKG.beneficiary, inst.beneficiary)):
            if text:
                g.add((node, prop, _zh(text)))
        for cond in inst.conditions:
            g.add((node, PKG.condition, _zh(cond)))
        if inst.min_cny is not None:
            g.add((node, PKG.minAmount, _dec(inst.min_cny)))
        if inst.max_cny is not None:
            g.add((node, PKG.maxAmount, _dec(inst.max_cny)))
        for prop, cls, code in ((PKG.period, PKG.Period, inst.period), (PKG.capScope, PKG.CapScope, inst.cap_scope)):
            if code in self.scheme[cls]:
                g.add((node, prop, self.scheme[cls][code]))
        for rule in inst.stacking_rules:
            g.add((node, PKG.stackingRule, self.c[rule]))
        for name in inst.departments:
            g.add((node, PKG.administeredBy, self.department(name, doc)))
        for name in inst.funding_jurisdictions:
            g.add((node, PKG.fundingJurisdiction, self.jurisdiction(name)))
        stated_terms(self.g, node, inst)
        self.evidence(node, inst.evidence, doc)
        if inst.tops_up:
            self.top_up(doc, node, inst)

    def top_up(self, doc: Document, node: URIRef, inst: Instrument) -> None:
        """State which policy's same-category instrument this one raises, as the text names it;
        the linking phase (`queries.links`) resolves it to `pkg:topsUp` against the store."""
        title = (inst.tops_up or "").rpartition("#")[0]
        self.g.add((node, PKG.topsUpPolicy, self.other_policy(title)))

    def target(self, doc: Document, p: URIRef, target) -> None:
        g = self.g
        ev = target.evidence
        node = fact_iri(p, "target", f"{target.name}|{target.year}|{target.unit}|{target.value}|{ev.clause}|{ev.quote}")
        g.add((node, RDF.type, PKG.Target))
        g.add((node, RDFS.label, _zh(target.name)))
        g.add((node, PKG.targetOf, p))
        g.add((node, PKG.targetValue, _dec(Decimal(target.value))))
        g.add((node, PKG.unit, Literal(target.unit)))
        if target.year:
            g.add((node, PKG.targetYear, Literal(int(target.year))))
        g.add((node, PKG.definedIn, self.clause_node(doc, target.evidence.clause)))
        for name in target.departments:
            g.add((node, PKG.administeredBy, self.department(name, doc)))
        self.evidence(node, target.evidence, doc)

    def own_rule(self, doc: Document, p: URIRef, prop: URIRef, concept: URIRef, ev: Evidence) -> None:
        """A stacking rule or precedence principle: the direct triple, and a statement keeping
        the sentence it was read from."""
        self.g.add((p, prop, concept))
        st = fact_iri(p, "rule", f"{concept}|{ev.source}|{ev.start}")  # one per sentence stating it
        self.g.add((st, RDF.type, PKG.RelationStatement))
        self.g.add((st, PKG.relationSubject, p))
        self.g.add((st, PKG.relationObject, concept))
        self.g.add((st, PKG.relationType, prop))
        self.evidence(st, ev, doc)

    def relation(self, doc: Document, p: URIRef, rel) -> None:
        if rel.target_kind == "programme":
            self.programme(doc, p, rel)
            return
        # the reference as the text gives it: which document it names depends on what else is
        # stored, so the linking phase (`queries.citations`) types the statement, gives it its
        # object and states the direct triple (pkg:supports …)
        ev = rel.evidence  # one statement per sentence: two files may state one relation
        st = fact_iri(p, "relation", f"{rel.type}|{norm_title(rel.target)}|{ev.source}|{ev.start}")
        self.g.add((st, PKG.relationSubject, p))
        self.g.add((st, PKG.relationType, RELATION_PROPERTIES[rel.type]))
        self.g.add((st, PKG.citedTitle, _zh(rel.target)))
        if rel.target_doc_number:
            self.g.add((st, PKG.citedDocNumber, Literal(rel.target_doc_number)))
        if rel.scope in self.c:
            self.g.add((st, PKG.precedenceScope, self.c[rel.scope]))
        self.evidence(st, rel.evidence, doc)


    def programme(self, doc: Document, p: URIRef, rel) -> None:
        """A programme the document tops up: a node of its own kind, never a policy."""
        node = programme_iri(rel.target)
        self.g.add((node, RDF.type, PKG.FundingProgramme))
        self.g.add((node, RDFS.label, _zh(rel.target)))
        self.g.add((p, PKG.topsUpProgramme, node))
        ev = rel.evidence
        st = fact_iri(p, "relation", f"{rel.type}|programme|{rel.target}|{ev.source}|{ev.start}")
        self.g.add((st, RDF.type, PKG.RelationStatement))
        self.g.add((st, PKG.relationSubject, p))
        self.g.add((st, PKG.relationObject, node))
        self.g.add((st, PKG.relationType, PKG.topsUpProgramme))
        self.evidence(st, ev, doc)


def presumed_type(relation_type: str, title: str) -> str | None:
    """The document type a policy cited by `title` presumably has (a derived link, see
    `queries.links`): what its title says, a group for 有关规定 that prevail, implementing rules
    for what implements."""
    if relation_type == "prevails_over" and "有关" in title:
        return "document_group"
    kind = doc_type(title)
    if relation_type == "implemented_by" and kind is None:
        return "implementing_rules"
    return kind


def to_graph(result: ExtractionResult) -> Graph:
    """The triples of one source file: only what its text says. Citations by title, top-ups
    and the types of cited policies are linked later, against the store (`queries.links`)."""
    writer = _Writer(result)
    for doc in result.documents:
        writer.document(doc)
    return materialise(writer.g)   # ELI / DCTERMS twins of the pkg: triples (ontology/alignment.py)
