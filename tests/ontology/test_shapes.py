"""Each shape catches its defect: the valid example conforms; each broken copy fails with
exactly the intended shape and message, in Chinese and in English."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from policykg.ontology.validation import shape_iri, validate_graph
from policykg.ontology.vocab import ID, JUR, PKG

PLAN = ID["policy/plan"]
ZONE = ID["policy/zone"]
NEWS = ID["policy/news"]
CITY_CLAUSE = URIRef(f"{ID}policy/plan/clause/三、2")
CITY_COMPUTE = URIRef(f"{CITY_CLAUSE}/instrument/1")
ZONE_COMPUTE = ID["policy/zone/instrument/compute"]
TARGET = ID["policy/plan/target/compute"]
EVIDENCE = URIRef(f"{CITY_COMPUTE}/evidence")


def _set(g: Graph, s, p, o) -> None:
    g.set((s, p, o))


def _drop(g: Graph, s, p) -> None:
    g.remove((s, p, None))


def dec(value: str) -> Literal:
    return Literal(Decimal(value), datatype=XSD.decimal)


def second_policy(g: Graph) -> URIRef:
    other = ID["policy/other"]
    g.add((other, RDF.type, PKG.PolicyDocument))
    g.add((other, PKG.title, Literal("另一文件", lang="zh")))
    return other


Breaker = Callable[[Graph], None]

# (case id, how to break the example, shape that must fire, its English message)
CASES: list[tuple[str, Breaker, str, str]] = [
    ("policy-without-title", lambda g: _drop(g, PLAN, PKG.title),
     "PolicyTitle", "The policy has no title."),
    ("loaded-policy-without-jurisdiction", lambda g: _drop(g, NEWS, PKG.jurisdiction),
     "LoadedPolicyJurisdiction", "A loaded policy has no jurisdiction."),
    ("loaded-asserted-false", lambda g: g.add((ZONE, PKG.loaded, Literal(False))),
     "LoadedOnlyTrue", "pkg:loaded is only asserted true; a document not loaded simply lacks it."),
    ("rate-above-one", lambda g: _set(g, ZONE_COMPUTE, PKG.rate, dec("20")),
     "RateRange", "The rate must lie in [0, 1] (20% is 0.2)."),
    ("rate-below-zero", lambda g: _set(g, CITY_COMPUTE, PKG.rate, dec("-0.1")),
     "RateRange", "The rate must lie in [0, 1] (20% is 0.2)."),
    ("non-positive-amount", lambda g: _set(g, CITY_COMPUTE, PKG.minAmount, dec("0")),
     "MinAmountPositive", "The minimum amount must be positive."),
    ("negative-max-amount", lambda g: (_set(g, CITY_COMPUTE, PKG.maxAmount, dec("-5")),
                                       _set(g, ZONE_COMPUTE, PKG.maxAmount, dec("-1"))),
     "MaxAmountPositive", "The maximum amount must be positive."),
    ("float-amount", lambda g: _set(g, CITY_COMPUTE, PKG.maxAmount, Literal(2000000.0)),
     "MaxAmountDatatype", "The maximum amount must be a single xsd:decimal in yuan."),
    ("min-above-max", lambda g: _set(g, CITY_COMPUTE, PKG.minAmount, dec("3000000")),
     "MinNotAboveMax", "The minimum amount is above the maximum amount."),
    ("in-force-from-after-until", lambda g: _set(g, PLAN, PKG.inForceFrom, Literal("2028-01-01", datatype=XSD.date)),
     "PolicyInForceOrder", "The policy comes into force after it stops being in force."),
    ("clause-without-policy", lambda g: _drop(g, CITY_CLAUSE, PKG.ofPolicy),
     "ClauseOfPolicy", "A clause must be part of exactly one policy."),
    ("clause-in-two-policies", lambda g: g.add((CITY_CLAUSE, PKG.ofPolicy, second_policy(g))),
     "ClauseOfPolicy", "A clause must be part of exactly one policy."),
    ("instrument-without-clause", lambda g: _drop(g, CITY_COMPUTE, PKG.definedIn),
     "InstrumentClause", "The funding instrument does not point to the clause it comes from."),
    ("instrument-without-evidence", lambda g: _drop(g, CITY_COMPUTE, PKG.evidence),
     "InstrumentEvidence", "The funding instrument has no quoted evidence."),
    ("top-up-not-in-enclosing-jurisdiction", lambda g: _set(g, PLAN, PKG.jurisdiction, JUR["安徽省"]),
     "TopUpEnclosing", "Top-up target {?value} is not in an enclosing jurisdiction"),
    ("top-up-lower-rate", lambda g: _set(g, ZONE_COMPUTE, PKG.rate, dec("0.1")),
     "TopUpNotLower", "The top-up's rate or cap"),
    ("top-up-lower-cap", lambda g: _set(g, ZONE_COMPUTE, PKG.maxAmount, dec("1000000")),
     "TopUpNotLower", "The top-up's rate or cap"),
    ("supersession-cycle", lambda g: (g.add((PLAN, PKG.supersedes, ZONE)), g.add((ZONE, PKG.supersedes, PLAN))),
     "SupersessionCycleConstraint", "Supersession cycle"),
    ("evidence-span-reversed", lambda g: _set(g, EVIDENCE, PKG.charStart, Literal(9999)),
     "EvidenceSpan", "The evidence span is invalid"),
    ("target-with-integer-value", lambda g: _set(g, TARGET, PKG.targetValue, Literal(500)),
     "TargetValue", "A target needs exactly one xsd:decimal value."),
    ("relation-with-unknown-type", lambda g: _set(g, ID["policy/zone/relation/supports"], PKG.relationType, PKG.likes),
     "RelationType", "The relation type must be one of"),
    ("bad-division-code", lambda g: g.add((JUR["南通创新区"], PKG.divisionCode, Literal("32-06"))),
     "JurisdictionCode", "The division code must be six digits (GB/T 2260)."),
    ("funding-share-over-one", lambda g: (g.add((CITY_COMPUTE, PKG.fundingShare, b := BNode())),
                                          g.add((b, RDF.type, PKG.FundingShare)),
                                          g.add((b, PKG.shareOf, JUR["南通市"])),
                                          g.add((b, PKG.shareFraction, dec("1.5")))),
     "ShareFraction", "A funding share must be a decimal in (0, 1]."),
]


def test_example_conforms(example_graph: Graph) -> None:
    report = validate_graph(example_graph, lang="en")
    assert report.conforms, report.findings


@pytest.mark.parametrize(("case", "breaker", "shape", "message"), CASES, ids=[c[0] for c in CASES])
def test_broken_example_fails_with_intended_shape(
    example_graph: Graph, case: str, breaker: Breaker, shape: str, message: str
) -> None:
    breaker(example_graph)
    report = validate_graph(example_graph, lang="en")
    assert not report.conforms
    fired = {f.shape for f in report.findings}
    assert fired == {str(shape_iri(shape))}, f"{case}: fired {fired}"
    assert all(f.message.startswith(message.split("{")[0]) for f in report.findings)


def test_messages_come_in_chinese_too(example_graph: Graph) -> None:
    example_graph.set((ZONE_COMPUTE, PKG.rate, dec("20")))
    zh = validate_graph(example_graph, lang="zh")
    assert [f.message for f in zh.findings] == ["比例必须在 0 到 1 之间(20% 写作 0.2)。"]


def test_a_policy_silent_on_its_issuer_is_a_warning_not_a_violation(example_graph: Graph) -> None:
    """Texts that never name their issuer are stored; validation still reports the gap."""
    _drop(example_graph, PLAN, PKG.issuedBy)
    report = validate_graph(example_graph, lang="en")
    assert report.conforms
    (finding,) = report.findings
    assert finding.shape == str(shape_iri("LoadedPolicyIssuer")) and finding.severity == "Warning"
    assert finding.message.startswith("A loaded policy has no issuer")


def test_top_up_message_names_the_target(example_graph: Graph) -> None:
    example_graph.set((ZONE_COMPUTE, PKG.maxAmount, dec("1000000")))
    (finding,) = validate_graph(example_graph, lang="en").findings
    assert "1000000" in finding.message
    assert finding.focus == str(ZONE_COMPUTE)


def test_unknown_language_is_refused(example_graph: Graph) -> None:
    with pytest.raises(ValueError, match="language"):
        validate_graph(example_graph, lang="fr")
