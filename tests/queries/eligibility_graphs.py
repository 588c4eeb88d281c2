"""Small hand-written graphs for the eligibility rules: a policy per place, instruments with
the terms under test, each with its evidence sentence, in the shapes loaders/to_rdf.py and
loaders/instrument_rdf.py write (issue-12 terms included, with their concept notations, so the
tests do not depend on which ontology version is installed)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

PREFIXES = """@prefix pkg:  <https://w3id.org/policykg/ontology#> .
@prefix j:    <https://w3id.org/policykg/id/jurisdiction/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix t:    <https://w3id.org/policykg/id/test/> .
"""
KIND_NOTATIONS = "".join(f'pkg:kind_{k} skos:notation "{k}" .\n' for k in (
    "grant", "voucher", "voucher_pool", "fund", "matching", "uplift", "top_up", "combined_ceiling"))
RECIPIENT_NOTATIONS = "".join(f'pkg:recipient_{k} skos:notation "{k}" .\n' for k in (
    "enterprise", "institution", "team", "individual"))
_ids = itertools.count(1)


@dataclass
class Policy:
    name: str
    place: str
    in_force_from: str | None = "2024-01-01"
    in_force_until: str | None = None
    rules: list[tuple[str, str]] = field(default_factory=list)  # (concept, sentence)
    doc_type: str = "Measures"

    def ttl(self) -> str:
        out = [f't:{self.name} a pkg:PolicyDocument ; pkg:title "{self.name}"@zh ; '
               f"pkg:documentType pkg:{self.doc_type} ; pkg:jurisdiction j:{self.place} ."]
        if self.in_force_from:
            out.append(f't:{self.name} pkg:inForceFrom "{self.in_force_from}"^^xsd:date .')
        if self.in_force_until:
            out.append(f't:{self.name} pkg:inForceUntil "{self.in_force_until}"^^xsd:date .')
        for concept, sentence in self.rules:
            n = next(_ids)
            out.append(f"t:{self.name} pkg:stackingRule pkg:{concept} .\n"
                       f"t:rule{n} a pkg:RelationStatement ; pkg:relationSubject t:{self.name} ; "
                       f"pkg:relationObject pkg:{concept} ; pkg:relationType pkg:stackingRule ; "
                       f"pkg:evidence t:rule{n}e .\n"
                       f't:rule{n}e a pkg:Evidence ; pkg:quote "{sentence}" ; pkg:inClause t:{self.name}_c9 .')
        out.append(f't:{self.name}_c9 a pkg:Clause ; pkg:number "九" ; pkg:ofPolicy t:{self.name} .')
        return "\n".join(out)


def instrument(name: str, policy: str, sentence: str, category: str = "compute_voucher",
               **terms: str) -> str:
    """An instrument; `terms` are Turtle predicate-object pairs (`rate='0.2'`, …) by key."""
    lines = [f"t:{name} a pkg:FundingInstrument ; pkg:instrumentOf t:{policy} ; "
             f"pkg:category pkg:{category} ; rdfs:label \"{name}\"@zh ; pkg:evidence t:{name}_e ."]
    lines.append(f't:{name}_e a pkg:Evidence ; pkg:quote "{sentence}" ; pkg:inClause t:{name}_c ; '
                 f'pkg:sourceFile "test.txt" .')
    lines.append(f't:{name}_c a pkg:Clause ; pkg:number "一、{name}" ; pkg:ofPolicy t:{policy} .')
    for key, value in terms.items():
        lines.append(f"t:{name} {TERMS[key]} {value} .")
    return "\n".join(lines)


#: keyword -> predicate, so tests read `rate="0.2", max="2000000", period="pkg:Yearly"`
TERMS = {
    "rate": "pkg:rate", "max": "pkg:maxAmount", "min": "pkg:minAmount", "period": "pkg:period",
    "scope": "pkg:capScope", "kind": "pkg:instrumentKind", "quantified": "pkg:quantified",
    "funder_level": "pkg:funderLevel", "funded_by": "pkg:fundingJurisdiction", "tops_up": "pkg:topsUp",
    "rate_kind": "pkg:rateKind", "base": "pkg:rateBase", "beneficiary": "pkg:beneficiary",
    "condition": "pkg:condition", "recipient": "pkg:recipient", "years": "pkg:periodYears",
    "rule": "pkg:stackingRule", "option": "pkg:rateOption", "step": "pkg:rateStep",
    "threshold": "pkg:threshold",
}


def graph(*parts: str) -> str:
    return PREFIXES + KIND_NOTATIONS + RECIPIENT_NOTATIONS + "\n".join(parts)
