"""What the eligibility calculator reads from the store: the firm's place and every place
enclosing it, then the instruments of the policies that apply there, with everything that
decides an amount (rate, tiers, year schedule, thresholds, cap and its scope and period,
recipient, funder level, 加码 links, stacking rules) and the sentence behind each.

Three small SPARQL queries keyed by VALUES, so the work grows with the firm's neighbourhood,
not with the store: instruments (one row each), their multi-valued terms (one UNION), and the
stacking rules of their policies. Numbers are read as `Decimal` straight from the literal's
lexical form, never through a float. The issue-12 terms (pkg:instrumentKind, pkg:quantified,
pkg:rateOption …) are OPTIONAL: a store loaded before they existed answers with defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox

from policykg.loaders import places
from policykg.ontology import vocab
from policykg.queries.params import QueryParam, QueryParameterError, resolve
from policykg.queries.store import PolicyStore

PREFIXES = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: document types that restate other policies rather than offer support themselves
NOT_OFFERING = ("NewsReport", "Interpretation", "DocumentGroup")


@dataclass(frozen=True)
class Quote:
    """A sentence behind a figure or a rule: what it supports, the quote, where it is."""

    role: str                    # figure | validity | rule | top_up | ceiling
    quote: str
    clause: str | None = None    # clause number, e.g. 三、2
    source_file: str | None = None
    policy_title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role, "quote": self.quote, "clause": self.clause,
                "source_file": self.source_file, "policy_title": self.policy_title}


@dataclass(frozen=True)
class Place:
    iri: str
    name: str
    level: str | None = None


@dataclass
class Threshold:
    quantity: str | None
    min: Decimal | None
    min_inclusive: bool
    max: Decimal | None
    max_inclusive: bool
    unit: str
    label: str | None = None


@dataclass
class Candidate:
    """One instrument of a policy applying at the firm's place or an enclosing one."""

    iri: str
    category: str
    policy: str
    policy_title: str
    jurisdiction: str             # the place (in the firm's chain) the policy applies in
    depth: int                    # 0 = the firm's own place, 1 = the one enclosing it …
    label: str | None = None
    rate: Decimal | None = None
    rate_kind: str | None = None
    rate_base: str | None = None
    min_yuan: Decimal | None = None
    max_yuan: Decimal | None = None
    period: str | None = None
    cap_scope: str | None = None
    beneficiary: str | None = None
    recipient: str | None = None
    kind: str | None = None       # None: the store predates issue 12
    quantified: bool | None = None
    rate_is_max: bool = False
    funder_level: str | None = None
    period_years: int | None = None
    terms: str | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    issued: dt.date | None = None
    evidence: Quote | None = None
    validity: Quote | None = None
    conditions: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)      # funding jurisdictions (names)
    funder_iris: list[str] = field(default_factory=list)
    tops_up: list[str] = field(default_factory=list)      # instruments it raises
    rules: list[tuple[str, Quote | None]] = field(default_factory=list)  # own + its policy's
    options: list[tuple[int, Decimal, str | None]] = field(default_factory=list)
    schedule: list[tuple[int, Decimal]] = field(default_factory=list)
    thresholds: list[Threshold] = field(default_factory=list)
    policy_jurisdiction_iri: str = ""


class EligibilityInputError(ValueError):
    """An unknown place or category, or a bad date or amount; `param` names the input."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


# ---- the firm's place and its enclosing chain -----------------------------------------------

_CHAIN = PREFIXES + """
SELECT ?j ?parent ?name ?level WHERE {
  ?firm pkg:within* ?j .
  OPTIONAL { ?j pkg:within ?parent }
  OPTIONAL { ?j skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "zh")) }
  OPTIONAL { ?j pkg:level/skos:notation ?level }
  BIND(COALESCE(STR(?l), REPLACE(STR(?j), "^.*/", "")) AS ?name)
}"""


def place_chain(store: PolicyStore, name: str) -> list[Place]:
    """The firm's place and every place enclosing it, innermost first. The store's
    pkg:within hierarchy decides; a place the store does not hold is looked up in the
    gazetteer (loaders.places), so a firm can be anywhere the gazetteer knows."""
    text = (name or "").strip()
    if not text:
        raise EligibilityInputError("no jurisdiction given (--at)", "at")
    try:
        firm = resolve(store, (QueryParam("at", "jurisdiction"),), {"at": text})["at"]
    except QueryParameterError as err:
        chain = _gazetteer_chain(text)
        if not chain:
            raise EligibilityInputError(str(err).replace("unknown jurisdiction",
                                                         "unknown place"), "at") from err
        return _extend_from_store(store, chain)
    return _walk(store, firm.value)


def _walk(store: PolicyStore, iri: str) -> list[Place]:
    rows = store.query(_CHAIN, {"firm": ox.NamedNode(iri)}).rows
    by_iri = {r["j"]: r for r in rows}
    chain: list[Place] = []
    current: str | None = iri
    while current and current in by_iri and all(p.iri != current for p in chain):
        row = by_iri[current]
        chain.append(Place(current, row["name"], row["level"]))
        current = row["parent"]
    return chain


def _gazetteer_chain(name: str) -> list[Place]:
    known, labels = places.gazetteer()
    canonical = labels.get(name, name)
    if canonical not in known:
        return []
    return [Place(str(vocab.jurisdiction_iri(n)), n, known[n].level if n in known else None)
            for n in places.enclosing(canonical)]


def _extend_from_store(store: PolicyStore, chain: list[Place]) -> list[Place]:
    """Gazetteer chain, continued by the store's hierarchy from the first place it holds."""
    for i, place in enumerate(chain):
        walked = _walk(store, place.iri)
        if walked:
            return chain[:i] + walked
    return chain


# ---- instruments ---------------------------------------------------------------------------

#: the candidates: selective patterns only, so the plan starts from the firm's places (an
#: OPTIONAL-heavy query lets the planner start from every instrument of a category instead).
#: One row per policy and place, its instruments joined ("IRI category" pairs): an IRI read
#: back costs a store lookup, so the policy and the place are read once, not once per instrument.
_CANDIDATES = PREFIXES + """
SELECT ?policy ?pj (GROUP_CONCAT(CONCAT(STR(?inst), " ", ENCODE_FOR_URI(?cat)); separator=" ") AS ?all)
WHERE {
  VALUES ?pj { %(places)s }
  ?policy pkg:jurisdiction ?pj .
  ?inst pkg:instrumentOf ?policy ; pkg:category/skos:notation ?cat .
  %(categories)s
  FILTER NOT EXISTS { ?policy pkg:documentType ?t FILTER(?t IN (%(not_offering)s)) }
} GROUP BY ?policy ?pj"""

#: the attributes the calculator reads, by local name (rdfs:label as "label"); a concept
#: (rate kind, period …) is read as its skos:notation
INSTRUMENT_KEYS = ("label", "rate", "rateKind", "rateBase", "minAmount", "maxAmount", "period", "capScope",
                   "beneficiary", "recipient", "instrumentKind", "quantified", "rateIsMax", "funderLevel",
                   "periodYears", "terms", "evidence")
#: multi-valued terms, read by `_TERMS` only for the instruments that have one (few do)
TERM_KEYS = ("condition", "fundingJurisdiction", "topsUp", "stackingRule", "rateOption", "rateStep", "threshold")
POLICY_KEYS = ("title", "inForceFrom", "inForceUntil", "issued", "validityEvidence")
CONCEPT_KEYS = frozenset({"rateKind", "period", "capScope", "recipient", "instrumentKind"})
#: the keys whose value is an evidence node, read as its quote, clause number and source file
EVIDENCE_KEYS = frozenset({"evidence", "validityEvidence"})


def _esc(var: str) -> str:
    """A value's text with "%" and " " escaped (%25, %20): no text can forge a separator."""
    return f'REPLACE(REPLACE(STR({var}), "%%", "%%25"), " ", "%%20")'


#: Each step starts from its VALUES: a join the planner may reorder (`?e pkg:quote ?q` first)
#: reads the whole store. The predicates are a FILTER on the node's own triples, not a second
#: VALUES (pyoxigraph then scans each predicate over the store). Every solution row costs a
#: Python object per term, and every IRI or long text read back a store lookup, so a node's
#: values come back as one string of "key value" pairs, escaped by `_esc` (full
#: percent-encoding of Chinese text costs more to decode than the rows it saves), and the node
#: as its number in the VALUES, not its IRI: 3,358 rows instead of 33,825 at 10,000 documents.
#: An evidence node is followed in the same pass (its quote, clause number and source file
#: joined by %%7C, which escaped text cannot hold), never read back as an IRI and looked up again.
_ATTRIBUTES = PREFIXES + """
SELECT ?i (GROUP_CONCAT(CONCAT(?k, " ", ?v); separator=" ") AS ?all)
WHERE {
  VALUES (?i ?node) { %(nodes)s }
  { ?node ?p ?o FILTER(?p IN (%(predicates)s)) BIND(STRAFTER(STR(?p), "#") AS ?k) BIND(""" + _esc("?o") + """ AS ?v) }
  %(evidence)s
} GROUP BY ?i"""
#: an evidence node ?e as one value ?v: its quote, clause number and source file
_QUOTE = """?e pkg:quote ?q
    OPTIONAL { ?e pkg:inClause/pkg:number ?n } OPTIONAL { ?e pkg:sourceFile ?s }
    BIND(CONCAT(""" + _esc("?q") + """, "%%7C", COALESCE(""" + _esc("?n") + """, ""), "%%7C",
                COALESCE(""" + _esc("?s") + """, "")) AS ?v)"""
#: one branch per evidence key, its predicate a constant: with `?node ?p ?e FILTER(…)` the
#: planner starts from `?e pkg:quote ?q`, every quote of the store (7 s instead of 0.2 at 1,000)
_EVIDENCE = """UNION { ?node %(predicate)s ?e . """ + _QUOTE + """ BIND("%(key)s" AS ?k) }"""
#: the sentences stating a policy's stacking rules, read in the same pass as the statements
_RULE_STATEMENTS = PREFIXES + """
SELECT ?policy ?r (GROUP_CONCAT(?v; separator=" ") AS ?all) WHERE {
  VALUES ?policy { %(nodes)s }
  ?st pkg:relationSubject ?policy ; pkg:relationType pkg:stackingRule ; pkg:relationObject ?r ;
      pkg:evidence ?e .
  """ + _QUOTE + """
} GROUP BY ?policy ?r"""
_NOTATIONS = PREFIXES + """
SELECT ?c ?code WHERE {
  VALUES ?c { %(nodes)s }
  ?c skos:notation ?code
}"""


_TERMS = PREFIXES + """
SELECT ?inst ?what ?a ?b ?c ?d ?e ?f ?g WHERE {
  VALUES ?inst { %(instruments)s }
  { ?inst pkg:condition ?a BIND("condition" AS ?what) }
  UNION { ?inst pkg:fundingJurisdiction ?b .
          OPTIONAL { ?b skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "zh")) }
          BIND(COALESCE(STR(?l), REPLACE(STR(?b), "^.*/", "")) AS ?a) BIND("funder" AS ?what) }
  UNION { ?inst pkg:topsUp ?a BIND("tops_up" AS ?what) }
  UNION { ?inst pkg:stackingRule/skos:notation ?a BIND("rule" AS ?what) }
  UNION { ?inst pkg:rateOption ?o . ?o pkg:optionRate ?a .
          OPTIONAL { ?o pkg:optionCondition ?b } OPTIONAL { ?o pkg:optionOrder ?c }
          BIND("option" AS ?what) }
  UNION { ?inst pkg:rateStep ?s . ?s pkg:stepYear ?a ; pkg:stepRate ?b BIND("step" AS ?what) }
  UNION { ?inst pkg:threshold ?t .
          OPTIONAL { ?t pkg:thresholdQuantity ?a } OPTIONAL { ?t pkg:thresholdMin ?b }
          OPTIONAL { ?t pkg:minInclusive ?c } OPTIONAL { ?t pkg:thresholdMax ?d }
          OPTIONAL { ?t pkg:maxInclusive ?e } OPTIONAL { ?t pkg:thresholdUnit ?f }
          OPTIONAL { ?t rdfs:label ?g } BIND("threshold" AS ?what) }
}"""

_POLICY_RULES = PREFIXES + """
SELECT ?policy ?r ?rule WHERE {
  VALUES ?policy { %(policies)s }
  ?policy pkg:stackingRule ?r . ?r skos:notation ?rule
}"""


def _iris(values: Iterable[str]) -> str:
    return " ".join(str(ox.NamedNode(v)) for v in values)  # NamedNode refuses a bad IRI


def _v(term: Any) -> str | None:
    return None if term is None else term.value


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _bool(text: str | None) -> bool | None:
    return None if text is None else text in ("true", "1")


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text[:10])


_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def fetch_candidates(store: PolicyStore, chain: list[Place],
                     categories: Iterable[str] | None = None) -> list[Candidate]:
    """Every instrument of a policy applying somewhere in `chain` (all categories when
    `categories` is None), with its terms and the stacking rules of its policy."""
    if not chain:
        return []
    depth = {p.iri: i for i, p in enumerate(chain)}
    names = {p.iri: p.name for p in chain}
    cats = "" if categories is None else (
        "FILTER(?cat IN (" + ", ".join(str(ox.Literal(c)) for c in categories) + "))")
    text = _CANDIDATES % {"places": _iris(depth), "categories": cats,
                          "not_offering": ", ".join(f"pkg:{t}" for t in NOT_OFFERING)}
    found: dict[str, Candidate] = {}
    for row in store.raw_query(text):
        policy, pj = row["policy"].value, row["pj"].value
        parts = row["all"].value.split(" ")
        for iri, cat in zip(parts[::2], parts[1::2], strict=True):
            known = found.get(iri)
            if known is None:
                found[iri] = Candidate(iri=iri, category=unquote(cat), policy=policy, policy_title="",
                                       jurisdiction=names[pj], depth=depth[pj], policy_jurisdiction_iri=pj)
            elif depth[pj] < known.depth:  # a joint policy: report the place nearest the firm
                known.depth, known.jurisdiction, known.policy_jurisdiction_iri = depth[pj], names[pj], pj
    if found:
        with_terms = _add_attributes(store, found)
        if with_terms:
            _add_terms(store, {iri: found[iri] for iri in sorted(with_terms)})
        _add_policy_rules(store, found)
    return sorted(found.values(), key=lambda c: (c.category, c.depth, c.policy_title, c.iri))


def _first_quote(joined: list[str]) -> tuple[str, str | None, str | None]:
    """The first of a node's sentences by text (quote, then clause, then source): a fact
    stated twice is one fact."""
    return _quote(joined[0]) if len(joined) == 1 else min(_quote(j) for j in joined)


def _numbered(nodes: list[str]) -> str:
    """VALUES rows (number, node): answers name a node by its number, an IRI read back costs
    a store lookup."""
    return " ".join(f"({i} {ox.NamedNode(n)})" for i, n in enumerate(nodes))


def _quote(joined: str) -> tuple[str, str | None, str | None]:
    quote, clause, source = (_unescape(part) for part in joined.split("%7C"))
    return quote, clause or None, source or None


def _unescape(text: str) -> str:
    return text.replace("%20", " ").replace("%25", "%") if "%" in text else text


def _predicate(key: str) -> str:
    return f"<{_LABEL}>" if key == "label" else f"pkg:{key}"


def _scan(store: PolicyStore, nodes: list[str], keys: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """node -> {key: its values as text} for the predicates `keys` (local names); an evidence
    key's value is its node's "quote%7Cclause%7Csource", still escaped (`_quote` reads it)."""
    values: dict[str, dict[str, list[str]]] = {}
    if not nodes:
        return values
    plain = [_predicate(k) for k in keys if k not in EVIDENCE_KEYS]
    followed = [_EVIDENCE % {"predicate": _predicate(k), "key": k} for k in keys if k in EVIDENCE_KEYS]
    text = _ATTRIBUTES % {"nodes": _numbered(nodes), "predicates": ", ".join(plain),
                          "evidence": "\n  ".join(followed)}
    for row in store.raw_query(text):
        found = values.setdefault(nodes[int(row["i"].value)], {})
        parts = row["all"].value.split(" ")
        for key, value in zip(parts[::2], parts[1::2], strict=True):
            found.setdefault(key, []).append(value if key in EVIDENCE_KEYS else _unescape(value))
    return values


def _attributes(store: PolicyStore, nodes: Iterable[str], keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """node -> {key: text} for `keys`, a concept as its notation, evidence as its
    (quote, clause, source); the first value by text where a node has several (a fact stated
    twice is one fact)."""
    nodes = list(nodes)
    if not nodes:
        return {}
    out: dict[str, dict[str, Any]] = {}
    concepts: set[str] = set()
    for node, found in _scan(store, nodes, keys).items():
        attrs = out[node] = {}
        for key, texts in found.items():
            text = texts[0] if len(texts) == 1 else min(texts)
            if key in EVIDENCE_KEYS:
                attrs[key] = _first_quote(texts)
            else:
                attrs[key] = text
                if key in CONCEPT_KEYS:
                    concepts.add(text)
    if concepts:
        codes = {row["c"].value: row["code"].value
                 for row in store.raw_query(_NOTATIONS % {"nodes": _iris(sorted(concepts))})}
        for attrs in out.values():
            for key in CONCEPT_KEYS & attrs.keys():
                attrs[key] = codes.get(attrs[key])
    return out


def _add_attributes(store: PolicyStore, found: dict[str, Candidate]) -> set[str]:
    """Single-valued attributes; returns the instruments that also have multi-valued terms."""
    policies = _attributes(store, {c.policy for c in found.values()}, POLICY_KEYS)
    instruments = _attributes(store, found, INSTRUMENT_KEYS + TERM_KEYS)
    for c in found.values():
        a, p = instruments.get(c.iri, {}), policies.get(c.policy, {})
        get = a.get
        c.policy_title = p.get("title") or ""
        c.label, c.rate, c.rate_kind = get("label"), _dec(get("rate")), get("rateKind")
        c.rate_base, c.min_yuan, c.max_yuan = get("rateBase"), _dec(get("minAmount")), _dec(get("maxAmount"))
        c.period, c.cap_scope, c.beneficiary = get("period"), get("capScope"), get("beneficiary")
        c.recipient, c.kind, c.quantified = get("recipient"), get("instrumentKind"), _bool(get("quantified"))
        c.rate_is_max, c.funder_level = bool(_bool(get("rateIsMax"))), get("funderLevel")
        years = get("periodYears")
        c.period_years, c.terms = int(years) if years else None, get("terms")
        c.in_force_from, c.in_force_until = _date(p.get("inForceFrom")), _date(p.get("inForceUntil"))
        c.issued = _date(p.get("issued"))
        if "evidence" in a:
            c.evidence = Quote("figure", *a["evidence"], c.policy_title)
        if "validityEvidence" in p:
            c.validity = Quote("validity", *p["validityEvidence"], c.policy_title)
    return {iri for iri, a in instruments.items() if any(k in a for k in TERM_KEYS)}


def _add_terms(store: PolicyStore, found: dict[str, Candidate]) -> None:
    for row in store.raw_query(_TERMS % {"instruments": _iris(found)}):
        c, what = found[row["inst"].value], row["what"].value
        a = row["a"]
        if what == "condition":
            c.conditions.append(a.value)
        elif what == "funder":
            c.funders.append(a.value)
            c.funder_iris.append(row["b"].value)
        elif what == "tops_up":
            c.tops_up.append(a.value)
        elif what == "rule":
            c.rules.append((a.value, c.evidence))
        elif what == "option":
            order = _v(row["c"])
            c.options.append((int(order) if order else len(c.options) + 1, Decimal(a.value), _v(row["b"])))
        elif what == "step":
            c.schedule.append((int(a.value), Decimal(row["b"].value)))
        elif what == "threshold":
            c.thresholds.append(Threshold(
                _v(a), _dec(_v(row["b"])), _bool(_v(row["c"])) is not False, _dec(_v(row["d"])),
                _bool(_v(row["e"])) is not False, _v(row["f"]) or "CNY", _v(row["g"])))
    for c in found.values():
        c.conditions.sort()
        c.options.sort()
        c.schedule.sort()


def _add_policy_rules(store: PolicyStore, found: dict[str, Candidate]) -> None:
    titles = {c.policy: c.policy_title for c in found.values()}
    values = {"policies": _iris(titles), "nodes": _iris(titles)}
    stated = {(row["policy"].value, row["r"].value): row["rule"].value
              for row in store.raw_query(_POLICY_RULES % values)}
    sentences = {(row["policy"].value, row["r"].value): _first_quote(row["all"].value.split(" "))
                 for row in store.raw_query(_RULE_STATEMENTS % values)}
    by_policy: dict[str, list[tuple[str, Quote | None]]] = {}
    for (policy, concept), rule in sorted(stated.items(), key=lambda kv: (kv[0][0], kv[1])):
        first = sentences.get((policy, concept))
        quote = Quote("rule", *first, titles[policy]) if first else None
        by_policy.setdefault(policy, []).append((rule, quote))
    for c in found.values():
        own = {r for r, _ in c.rules}
        c.rules.extend((r, q) for r, q in by_policy.get(c.policy, []) if r not in own)
