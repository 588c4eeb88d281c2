"""The issue-12 shapes (kind of support, ceilings, tiers, year schedules, thresholds,
quantified): the example with a full set of stated terms conforms; each broken copy fails with
exactly the intended shape and message, in Chinese and in English."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from policykg.ontology.validation import shape_iri, validate_graph
from policykg.ontology.vocab import ID, PKG

CITY = URIRef(f"{ID}policy/plan/clause/三、2/instrument/1")
ZONE = ID["policy/zone/instrument/compute"]
OPTION_1, OPTION_2 = URIRef(f"{CITY}/option/1"), URIRef(f"{CITY}/option/2")
STEP_1, STEP_2 = URIRef(f"{CITY}/step/1"), URIRef(f"{CITY}/step/2")
THRESHOLD = URIRef(f"{CITY}/threshold/revenue")


def dec(value: str) -> Literal:
    return Literal(Decimal(value), datatype=XSD.decimal)


def stated(g: Graph) -> Graph:
    """Give the city instrument two tiers, a two-year schedule and a revenue threshold."""
    for node, order, rate in ((OPTION_1, 1, "0.2"), (OPTION_2, 2, "0.1")):
        g.add((CITY, PKG.rateOption, node))
        g.add((node, RDF.type, PKG.RateOption))
        g.add((node, PKG.optionOrder, Literal(order)))
        g.add((node, PKG.optionRate, dec(rate)))
    for node, year, rate in ((STEP_1, 1, "0.2"), (STEP_2, 2, "0.1")):
        g.add((CITY, PKG.rateStep, node))
        g.add((node, RDF.type, PKG.ScheduleStep))
        g.add((node, PKG.stepYear, Literal(year)))
        g.add((node, PKG.stepRate, dec(rate)))
    g.add((CITY, PKG.threshold, THRESHOLD))
    g.add((THRESHOLD, RDF.type, PKG.Threshold))
    g.add((THRESHOLD, PKG.thresholdQuantity, Literal("营业收入", lang="zh")))
    g.add((THRESHOLD, PKG.thresholdMin, dec("200000")))
    g.add((THRESHOLD, PKG.minInclusive, Literal(True)))
    g.add((THRESHOLD, PKG.thresholdMax, dec("500000")))
    g.add((THRESHOLD, PKG.maxInclusive, Literal(False)))
    g.add((THRESHOLD, PKG.thresholdUnit, Literal("CNY")))
    return g


def drop(g: Graph, s, *props) -> None:
    for p in props:
        g.remove((s, p, None))


Breaker = Callable[[Graph], object]

# (case id, how to break the stated example, shape that must fire, its English message)
CASES: list[tuple[str, Breaker, str, str]] = [
    ("option-rate-above-one", lambda g: g.set((OPTION_1, PKG.optionRate, dec("40"))),
     "OptionRate", "Each rate option needs one rate, a decimal in [0, 1]"),
    ("option-without-rate", lambda g: drop(g, OPTION_2, PKG.optionRate),
     "OptionRate", "Each rate option needs one rate"),
    ("single-option", lambda g: g.remove((CITY, PKG.rateOption, OPTION_2)),
     "RateOptionsPaired", "Rate options come at least in pairs"),
    ("option-order-zero", lambda g: g.set((OPTION_1, PKG.optionOrder, Literal(0))),
     "OptionOrder", "The option order must be a single positive integer."),
    ("step-year-zero", lambda g: g.set((STEP_1, PKG.stepYear, Literal(0))),
     "StepYear", "A schedule step needs its year, an integer from 1."),
    ("step-rate-above-one", lambda g: g.set((STEP_2, PKG.stepRate, dec("1.5"))),
     "StepRate", "A schedule step needs one rate, a decimal in [0, 1]."),
    ("schedule-duplicate-year", lambda g: g.set((STEP_2, PKG.stepYear, Literal(1))),
     "ScheduleYearsDistinctConstraint", "Year 1 appears more than once in the rate schedule."),
    ("threshold-min-above-max", lambda g: g.set((THRESHOLD, PKG.thresholdMin, dec("800000"))),
     "ThresholdMinNotAboveMax", "The threshold's lower bound is above its upper bound."),
    ("threshold-unbounded", lambda g: drop(g, THRESHOLD, PKG.thresholdMin, PKG.thresholdMax,
                                           PKG.minInclusive, PKG.maxInclusive),
     "ThresholdBounded", "The threshold has neither a lower nor an upper bound."),
    ("threshold-empty-interval", lambda g: g.set((THRESHOLD, PKG.thresholdMax, dec("200000"))),
     "ThresholdNotEmptyConstraint", "The threshold's bounds are equal"),
    ("threshold-without-unit", lambda g: drop(g, THRESHOLD, PKG.thresholdUnit),
     "ThresholdUnit", "The threshold needs its unit"),
    ("threshold-float-bound", lambda g: g.set((THRESHOLD, PKG.thresholdMax, Literal(500000.0))),
     "ThresholdMaxValue", "The threshold's upper bound must be a single xsd:decimal."),
    ("quantified-without-figure", lambda g: drop(g, ZONE, PKG.rate, PKG.maxAmount, PKG.rateIsMax),
     "QuantifiedHasFigure", "The instrument is marked quantified but states no amount"),
    ("unquantified-with-figure", lambda g: g.set((CITY, PKG.quantified, Literal(False))),
     "UnquantifiedHasNoFigure", "The instrument is marked unquantified but carries an amount or a rate."),
    ("ceiling-without-rate", lambda g: drop(g, ZONE, PKG.rate),
     "RateCeilingHasRate", "The rate is marked as a ceiling but the instrument has no rate"),
    ("matching-without-rate", lambda g: (g.set((ZONE, PKG.instrumentKind, PKG.kind_matching)),
                                         drop(g, ZONE, PKG.rate, PKG.rateIsMax)),
     "RateKindOfSupportHasRate", "A matching or uplift instrument has no rate."),
    ("two-kinds", lambda g: g.add((CITY, PKG.instrumentKind, PKG.kind_grant)),
     "InstrumentKindOne", "A funding instrument has at most one kind of support"),
    ("kind-from-another-scheme", lambda g: g.set((ZONE, PKG.instrumentKind, PKG.fund)),
     "InstrumentKindOne", "A funding instrument has at most one kind of support"),
    ("recipient-not-a-recipient-kind", lambda g: g.set((CITY, PKG.recipient, PKG.kind_grant)),
     "RecipientKindOne", "A funding instrument has at most one kind of recipient"),
    ("rate-is-max-false", lambda g: g.set((ZONE, PKG.rateIsMax, Literal(False))),
     "RateIsMaxFlag", "pkg:rateIsMax is only asserted true"),
    ("period-years-zero", lambda g: g.set((ZONE, PKG.periodYears, Literal(0))),
     "PeriodYears", "The number of years must be a single positive integer."),
    ("empty-terms", lambda g: g.set((ZONE, PKG.terms, Literal("", lang="zh"))),
     "TermsText", "The readable terms are at most one non-empty"),
]


def test_stated_example_conforms(example_graph: Graph) -> None:
    report = validate_graph(stated(example_graph), lang="en")
    assert report.conforms, report.findings


@pytest.mark.parametrize(("case", "breaker", "shape", "message"), CASES, ids=[c[0] for c in CASES])
def test_broken_stated_terms_fail_with_intended_shape(
    example_graph: Graph, case: str, breaker: Breaker, shape: str, message: str
) -> None:
    breaker(stated(example_graph))
    report = validate_graph(example_graph, lang="en")
    assert not report.conforms
    fired = {f.shape for f in report.findings}
    assert fired == {str(shape_iri(shape))}, f"{case}: fired {fired}"
    assert all(f.message.startswith(message.split("{")[0]) for f in report.findings), report.findings


def test_stated_terms_messages_come_in_chinese_too(example_graph: Graph) -> None:
    stated(example_graph).set((STEP_2, PKG.stepYear, Literal(1)))
    zh = validate_graph(example_graph, lang="zh")
    assert [f.message for f in zh.findings] == ["逐年比例中第 1 年出现了不止一次。"]


def test_the_kinds_without_a_rate_are_every_kind_but_matching_and_uplift() -> None:
    """RateKindOfSupportHasRate lists the kinds that need no rate; a kind added to the scheme
    must be listed there or be a rate kind, or instruments of it would be flagged."""
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    from policykg.loaders.facts import KINDS
    from policykg.ontology.validation import shapes_graph

    shapes = shapes_graph()
    (alternatives,) = shapes.objects(shape_iri("RateKindOfSupportHasRate"), SH["or"])
    listed = {str(k).rpartition("#kind_")[2] for alt in Collection(shapes, alternatives)
              for values in shapes.objects(alt, SH["in"]) for k in Collection(shapes, values)}
    assert listed | {"matching", "uplift"} == set(KINDS) and not listed & {"matching", "uplift"}
