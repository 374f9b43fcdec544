"""Plain records that importers return and the builder turns into RDF.

Importers know document layouts and nothing about RDF; these dataclasses are the
whole contract between the two sides. Every record carries the exact line span
it was read from, so each triple the builder writes can be traced back to the
document. Keys are local to one document (a notation such as ``1.1.1`` or a
normalised label); the builder derives stable IRIs from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Span:
    """Lines ``first``..``last`` (1-based, inclusive) and their exact text."""

    first: int
    last: int
    quote: str
    page: int | None = None  # the page of the first line, for documents read from PDF
    last_page: int | None = None


@dataclass
class Amount:
    """A kroner amount stated in the text, e.g. "12,0 mio. kr. i 2014".

    ``part_of`` is the index, in the same list, of a total this amount is one
    part of ("20,0 mio. kr. … 1,0 mio. kr. i 2013 samt 12,0 … og 7,0 …"), so
    that no sum counts both the total and its parts.
    """

    value: Decimal
    text: str
    year: int | None = None
    span: Span | None = None  # set when the amount stands on its own, not inside a record
    part_of: int | None = None


@dataclass
class Measurement:
    """One value of an indicator: baseline, status, target or actual."""

    kind: str  # "baseline" | "status" | "target" | "actual"
    value: Decimal
    unit: str  # "percent" | "count" | "dkk" | "score"
    text: str
    year: int | None = None
    comparator: str | None = None  # "<", ">", "<=", ">="
    footnote: str | None = None


@dataclass
class CrossReference:
    """An explicit pointer in the text to something else, resolved later.

    ``kind`` says what is pointed at: "benchmark" (Socialudvalgets pejlemærke),
    "boligplan-spor", "theme" ("Fremgår også under …"), "budget-code",
    "omstillingsplan-spor" or "other". ``target`` is the text naming it.
    """

    kind: str
    target: str
    text: str


@dataclass
class StatusUpdate:
    """A dated account of how an initiative stands."""

    year: int
    text: str
    status: str  # "ongoing" | "completed" | "delayed" | "discontinued" | "not-prioritised" | "see-other-theme" | "unknown"
    span: Span | None = None


@dataclass
class Goal:
    """Any objective: theme, målsætning, section, særlig prioritering, pejlemærke.

    ``kind`` is "goal", "theme", "priority" or "benchmark". ``parent`` is the key
    of the broader goal in the same document.
    """

    key: str
    label: str
    span: Span
    kind: str = "goal"
    notation: str | None = None
    parent: str | None = None
    description: str | None = None
    responsible: list[str] = field(default_factory=list)
    involved: list[str] = field(default_factory=list)
    score: Decimal | None = None
    remarks: list[str] = field(default_factory=list)


@dataclass
class Indicator:
    """A measurable sub-goal (delmål) or KPI and its measurements."""

    key: str
    label: str
    span: Span
    subject: str | None = None  # key of the goal or initiative it measures
    notation: str | None = None
    measurements: list[Measurement] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    baseline_year: int | None = None  # "et fald på 10 % i forhold til 2019": 2019


@dataclass
class BudgetItem:
    """A budget proposal, investment or appropriation; ``code`` has no year."""

    key: str
    label: str
    span: Span
    code: str | None = None
    budget_year: int | None = None
    amounts: list[Amount] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)  # goal keys
    description: str | None = None


@dataclass
class Initiative:
    """An indsats, initiativ, aktivitet or projekt.

    ``responsible`` and ``involved`` hold organisation mentions exactly as
    written ("Socialforvaltningen og Beskæftigelsesforvaltningen", "CBH"); the
    builder resolves them. ``text`` is all free text in which further
    organisations may be named.
    """

    key: str
    label: str
    span: Span
    notation: str | None = None
    goals: list[str] = field(default_factory=list)  # keys of goals it supports
    parent: str | None = None
    description: str | None = None
    purpose: str | None = None
    goal_text: str | None = None
    target_group: str | None = None
    responsible: list[str] = field(default_factory=list)
    involved: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    period_text: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    financing_text: str | None = None
    financing: str | None = (
        None  # "funded" | "existing-budget" | "partly-funded" | "unfunded" | "not-relevant"
    )
    amounts: list[Amount] = field(default_factory=list)
    budget_codes: list[str] = field(default_factory=list)  # codes of BudgetItems that fund it
    cross_references: list[CrossReference] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)  # indicator keys


@dataclass
class Document:
    """What a source file is: its title, kind and the period it covers."""

    title: str
    kind: str  # "action-plan" | "status-report" | "benchmark-status"
    publisher: list[str] = field(default_factory=list)  # organisation mentions
    year: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    policy: str | None = None  # e.g. "Handicappolitik 2023-2026"
    span: Span | None = None  # where the title stands
    committee: str | None = None  # a committee case: the committee (udvalg) as written
    meeting_date: date | None = None
    case_number: str | None = None  # "2017-0300763"
    proposer: str | None = None  # "Socialforvaltningen" in "Socialforvaltningen indstiller"


@dataclass
class Proposal:
    """One "at …" point of a committee case's indstilling, or its decision (beslutning).

    ``kind`` is "proposal" (indstilling) or "decision" (beslutning).
    """

    key: str
    label: str
    span: Span
    kind: str = "proposal"
    number: int | None = None
    amounts: list[Amount] = field(default_factory=list)


@dataclass
class Mention:
    """A fact named in running text rather than in a structure the importer knows.

    ``kind`` is "department" (an organisation as written), "date" (``value`` is
    an ISO date), "year", "budget-code" (``value`` is the code, ``year`` its
    budget year), "legal-reference" (``value`` the law, ``text`` the whole
    reference) or "case-number". ``confidence`` says how sure the reading is.
    """

    kind: str
    text: str
    span: Span
    value: str | None = None
    year: int | None = None
    confidence: float = 1.0


@dataclass
class ImportWarning:
    """Something the importer read but does not believe, with the line it stands on."""

    line: int
    message: str


@dataclass
class ImportResult:
    """Everything one importer read from one file."""

    importer: str
    document: Document
    goals: list[Goal] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    budget_items: list[BudgetItem] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)  # amounts outside any record, with spans
    warnings: list[ImportWarning] = field(default_factory=list)
