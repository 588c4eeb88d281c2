"""The extraction model: what the loaders find in a text, before it becomes RDF.

Data flows one way: text -> `Document` -> `Clause` tree -> facts (`Instrument`, `Target`,
`Relation`, ...) -> RDF (`to_rdf`). Every fact carries an `Evidence`: the clause it came from,
the quoted sentence and its character span in the file as it is on disk.

Contract for the clause-level parsers (money, departments, instruments, targets):

    @dataclass
    class ExtractionContext:
        source: str                    # file path as given
        document_title: str
        jurisdictions: list[str]       # ["南通市"], ["贵阳市", "贵安新区"], ["安徽省"]
        level_names: dict[str, str]    # {"市": "南通市", "省": "江苏省"} resolves 市科技局 -> 南通市科技局
        issuers: list[str] = []        # full names of the issuing bodies
        def evidence(self, clause: Clause, start: int, end: int) -> Evidence
            # span [start, end) of clause.text (repaired) -> Evidence with ORIGINAL file offsets

    Evidence.document names the document holding the quoted clause when it is not the fact's
    own document (an interpretation's sentence about the measures, a report about a policy).
    Clause.text is the clause's own repaired text (heading line + body, children excluded);
    Clause.offsets[i] is the original-file offset of clause.text[i].
    loaders.sentences.sentence_at(text, start, end) -> (s, e) widens a span to its sentence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

CATEGORIES = (
    "compute_voucher", "compute_infrastructure", "dataset", "data_trading", "model_rnd",
    "model_filing", "application_scenario", "platform", "fund", "finance_guarantee", "talent",
    "standard", "competition", "other",
)
PERIODS = ("one_time", "yearly", "monthly", "cumulative", "per_project", "unstated")
#: What kind of support an instrument is (issue 12). `quantified` says whether a figure is stated.
KINDS = (
    "grant", "voucher", "voucher_pool", "fund", "matching", "uplift", "top_up", "combined_ceiling",
    "interest_subsidy", "rent_subsidy", "award_by_rank", "risk_compensation", "other",
)
RECIPIENTS = ("enterprise", "institution", "team", "individual", "organisation")
DOCUMENT_STATUSES = ("in_force_text", "draft")
TARGET_KINDS = ("document", "programme")
CAP_SCOPES = ("per_recipient", "per_project", "per_item", "per_person", "per_team", "yearly_pool", "fund_size")
RATE_KINDS = ("share", "matching", "reduction", "uplift")
RELATION_TYPES = ("supports", "based_on", "tops_up", "supersedes", "prevails_over", "cites", "aligns_with",
                  "implemented_by")
STACKING_RULES = ("highest_applies", "most_favourable", "upgrade_difference", "case_by_case", "no_double_funding",
                  "eligibility_exclusion", "one_claim")


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: a clause number, the quoted sentence, its span in the source file."""

    source: str          # path relative to the corpus (or as given on the command line)
    quote: str           # the sentence as repaired (simplified Chinese)
    start: int           # code-point offset into the ORIGINAL file on disk
    end: int             # exclusive
    clause: str | None = None  # clause number path, e.g. "三、2"; None for document-level text
    document: str | None = None  # title of the document holding the clause, if not the fact's own


@dataclass
class Clause:
    number: str                  # path such as "三、2" or "二、(一)、1"
    heading: str | None
    text: str
    start: int                   # offsets into the original file
    end: int
    level: int
    children: list[Clause] = field(default_factory=list)
    #: original-file offset of every character of `text` (same length as `text`)
    offsets: list[int] = field(default_factory=list, repr=False, compare=False)

    def walk(self):
        """This clause and all its descendants, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ExtractionContext:
    """What a clause-level parser needs to know about the document around the clause."""

    source: str
    document_title: str
    jurisdictions: list[str] = field(default_factory=list)
    level_names: dict[str, str] = field(default_factory=dict)
    issuers: list[str] = field(default_factory=list)

    def evidence(self, clause: Clause, start: int, end: int) -> Evidence:
        """Evidence for `clause.text[start:end]`, offsets mapped back into the original file."""
        start = max(0, min(start, len(clause.text)))
        end = max(start, min(end, len(clause.text)))
        quote = clause.text[start:end]
        if not clause.offsets or len(clause.offsets) != len(clause.text):
            return Evidence(self.source, quote, clause.start, clause.end, clause.number)
        if start == end:
            at = clause.offsets[start] if start < len(clause.offsets) else clause.end
            return Evidence(self.source, quote, at, at, clause.number)
        return Evidence(self.source, quote, clause.offsets[start], clause.offsets[end - 1] + 1, clause.number)


@dataclass
class Instrument:
    clause: str                  # clause number path
    category: str                # one of CATEGORIES
    evidence: Evidence
    label: str | None = None     # short name, e.g. the clause heading
    rate: Decimal | None = None  # fraction: 20% -> Decimal("0.2"), 1/3 -> Decimal("0.3333…")
    rate_kind: str | None = None  # one of RATE_KINDS
    rate_base: str | None = None
    min_cny: Decimal | None = None
    max_cny: Decimal | None = None
    period: str | None = None     # one of PERIODS
    cap_scope: str | None = None  # one of CAP_SCOPES
    beneficiary: str | None = None
    conditions: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)   # full names, prefixes resolved
    funding_jurisdictions: list[str] = field(default_factory=list)
    stacking_rules: list[str] = field(default_factory=list)
    tops_up: str | None = None    # key of the instrument it tops up (policy title + category), if any
    # --- issue 12: the instrument as the text states it ---
    kind: str = "grant"           # one of KINDS
    rate_is_max: bool = False     # 最高 / 不超过 / 原则上不超过 before the rate
    rate_options: list[RateOption] = field(default_factory=list)     # A或B tiers
    rate_schedule: list[ScheduleStep] = field(default_factory=list)  # 第一年…第二年…
    thresholds: list[Threshold] = field(default_factory=list)        # conditions, never offers
    recipient: str | None = None  # one of RECIPIENTS
    funder_level: str | None = None  # "city", "city+district", "province+city", …
    period_years: int | None = None  # "for at most N years"
    quantified: bool = True       # False for 一事一议 / 给予一定奖励 / 按比例 without a figure


@dataclass(frozen=True)
class RateOption:
    """One alternative tier of `按40%或25%分档`: its rate and what selects it, if the text says."""

    rate: Decimal
    condition: str | None = None


@dataclass(frozen=True)
class ScheduleStep:
    """One year of a year schedule (`第一年60%、第二年45%`)."""

    year: int
    rate: Decimal


@dataclass(frozen=True)
class Threshold:
    """A condition on a quantity (`20万元(含)至50万元(不含)`), never an offer."""

    quantity: str | None          # what is bounded (营业收入, 合同金额, …) where the text says
    min: Decimal | None = None
    min_inclusive: bool = True
    max: Decimal | None = None
    max_inclusive: bool = True
    unit: str = "CNY"             # "CNY", "%", or the unit as written (人, 家, P…)


@dataclass
class Target:
    name: str
    value: Decimal
    unit: str
    year: int | None
    evidence: Evidence
    departments: list[str] = field(default_factory=list)


@dataclass
class Relation:
    type: str                     # one of RELATION_TYPES
    target: str                   # the other document's title (without 《》)
    evidence: Evidence
    scope: str | None = None      # "whole_document" | "conflicting_provisions" for precedence
    target_doc_number: str | None = None  # 文号 of the other document, where the text gives it
    target_kind: str = "document"  # one of TARGET_KINDS: a programme (国家智能券) is not a document


@dataclass
class Department:
    name: str                     # full name, e.g. 南通市科技局
    role: str                     # "responsible" | "cooperating" | "lead"
    clause: str | None
    evidence: Evidence


@dataclass
class Document:
    source: str
    title: str
    loaded: bool = True           # False for a document only described or cited
    doc_type: str | None = None   # notation from the DocumentType scheme, e.g. "action_plan"
    doc_number: str | None = None
    notice_title: str | None = None  # 关于印发《X》的通知: the covering notice's own title
    status: str = "in_force_text"  # one of DOCUMENT_STATUSES ("draft" for 征求意见稿)
    issuers: list[str] = field(default_factory=list)
    jurisdictions: list[str] = field(default_factory=list)
    jurisdiction_levels: dict[str, str] = field(default_factory=dict)  # name -> level notation
    jurisdiction_parents: dict[str, str] = field(default_factory=dict)  # name -> enclosing jurisdiction
    jurisdiction_codes: dict[str, str] = field(default_factory=dict)  # name -> GB/T 2260 code
    issued: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    start: int = 0                # span of the document inside the original file
    end: int = 0
    clauses: list[Clause] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    stacking_rules: list[tuple[str, Evidence]] = field(default_factory=list)
    precedence: list[tuple[str, Evidence]] = field(default_factory=list)  # "this_prevails" | "later_prevails"
    described_in: str | None = None  # title of the loaded document that describes this one
    validity_evidence: Evidence | None = None  # the sentence giving in-force-from / until
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)
