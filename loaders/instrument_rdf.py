"""An instrument's stated terms as RDF (issue 12), following the instrument block of
ontology/policy.ttl: kind of support, rate ceiling, alternative tiers (pkg:RateOption), year
schedule (pkg:ScheduleStep), thresholds (pkg:Threshold), recipient, funder level, years,
quantified, and the readable `pkg:terms`.

Tiers, years and thresholds are nodes with IRIs keyed by their content under the instrument
(no blank nodes), so loading a file twice gives the same graph and the Neo4j sync can merge
them; each carries an rdfs:label as it reads ("40%(首次认定的)", "第1年 60%").
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from policykg.loaders.facts import Instrument
from policykg.loaders.instrument_terms import option_label, step_label, terms, threshold_label
from policykg.ontology import JURISDICTIONS_TTL, ONTOLOGY_DIR, SHAPES_TTL
from policykg.ontology.vocab import PKG, fact_iri


@lru_cache(maxsize=1)
def concepts_by_class() -> dict[URIRef, dict[str, URIRef]]:
    """concept class -> skos:notation -> concept, over every vocabulary file of the ontology.
    Notations are unique within a scheme only (`fund` is a category and a kind of support,
    `per_project` a period and a cap scope), so lookups name the class."""
    g = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path not in (SHAPES_TTL, JURISDICTIONS_TTL):
            g.parse(path)
    out: dict[URIRef, dict[str, URIRef]] = {}
    for concept, notation in g.subject_objects(SKOS.notation):
        for cls in g.objects(concept, RDF.type):
            out.setdefault(URIRef(cls), {})[str(notation)] = URIRef(concept)
    return out


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _dec(value: Decimal) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def stated_terms(g: Graph, node: URIRef, inst: Instrument) -> None:
    """Add the issue-12 terms of `inst` to `g` under the instrument `node`."""
    scheme = concepts_by_class()
    kinds, recipients = scheme[PKG.InstrumentKind], scheme[PKG.RecipientKind]
    g.add((node, PKG.instrumentKind, kinds.get(inst.kind, kinds["other"])))
    g.add((node, PKG.quantified, Literal(inst.quantified)))
    g.add((node, PKG.terms, _zh(terms(inst))))
    if inst.rate_is_max:
        g.add((node, PKG.rateIsMax, Literal(True)))
    if inst.recipient in recipients:
        g.add((node, PKG.recipient, recipients[inst.recipient]))
    if inst.funder_level:
        g.add((node, PKG.funderLevel, Literal(inst.funder_level)))
    if inst.period_years is not None:
        g.add((node, PKG.periodYears, Literal(int(inst.period_years))))
    for order, option in enumerate(inst.rate_options, 1):
        o = fact_iri(node, "option", f"{order}|{option.rate}|{option.condition}")
        g.add((node, PKG.rateOption, o))
        g.add((o, RDF.type, PKG.RateOption))
        g.add((o, RDFS.label, _zh(option_label(option))))
        g.add((o, PKG.optionOrder, Literal(order)))
        g.add((o, PKG.optionRate, _dec(option.rate)))
        if option.condition:
            g.add((o, PKG.optionCondition, _zh(option.condition)))
    for step in inst.rate_schedule:
        s = fact_iri(node, "step", f"{step.year}|{step.rate}")
        g.add((node, PKG.rateStep, s))
        g.add((s, RDF.type, PKG.ScheduleStep))
        g.add((s, RDFS.label, _zh(step_label(step))))
        g.add((s, PKG.stepYear, Literal(int(step.year))))
        g.add((s, PKG.stepRate, _dec(step.rate)))
    for t in inst.thresholds:
        th = fact_iri(node, "threshold", f"{t.quantity}|{t.min}|{t.min_inclusive}|{t.max}|{t.max_inclusive}|{t.unit}")
        g.add((node, PKG.threshold, th))
        g.add((th, RDF.type, PKG.Threshold))
        g.add((th, RDFS.label, _zh(threshold_label(t))))
        if t.quantity:
            g.add((th, PKG.thresholdQuantity, _zh(t.quantity)))
        g.add((th, PKG.thresholdUnit, Literal(t.unit)))
        for prop, flag, value, inclusive in ((PKG.thresholdMin, PKG.minInclusive, t.min, t.min_inclusive),
                                             (PKG.thresholdMax, PKG.maxInclusive, t.max, t.max_inclusive)):
            if value is not None:
                g.add((th, prop, _dec(value)))
                g.add((th, flag, Literal(bool(inclusive))))
