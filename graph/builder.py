"""Turn importer records into RDF quads, one named graph per document.

The builder knows the ontology and nothing about layouts. It is the only code
that mints data IRIs (through :mod:`.vocabulary`), always from a document slug
plus a record key, so rebuilding gives the same graph. Every resource it writes
carries ``prov:wasDerivedFrom`` a source span with the exact quoted lines.

It writes N-Quads text rather than pyoxigraph ``Quad`` objects: constructing a
``Quad`` per triple cost more than all the rest of building, and the store
bulk-loads N-Quads text anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from pyoxigraph import NamedNode

from ..importers import records as r
from .organisations import Organisation, Registry
from .vocabulary import (
    DCTERMS,
    IG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    data_iri,
    data_iri_value,
    graph_iri,
    slug,
)

Term = str
"""An RDF term in N-Triples syntax: ``<iri>`` or a literal. (A pyoxigraph term prints
the same way, so ``add`` takes one too.)"""


def named(iri: str) -> Term:
    return f"<{iri}>"


A = named(RDF + "type")
LABEL = named(RDFS + "label")
NOTATION = named(SKOS + "notation")
BROADER = named(SKOS + "broader")
DESCRIPTION = named(DCTERMS + "description")
TITLE = named(DCTERMS + "title")
PART_OF = named(DCTERMS + "isPartOf")
PUBLISHER = named(DCTERMS + "publisher")
DERIVED = named(PROV + "wasDerivedFrom")
INTEGER = named(XSD + "integer")
DECIMAL = named(XSD + "decimal")

GOAL_CLASSES = {"goal": "Goal", "theme": "Theme", "priority": "Priority", "benchmark": "Benchmark"}
MEASUREMENT_KINDS = {
    "baseline": "Baseline",
    "status": "Status",
    "target": "Target",
    "actual": "Actual",
}
UNITS = {"percent": "Percent", "count": "Count", "dkk": "DKK", "score": "Score"}
STATUS_CLASSES = {
    "ongoing": "Ongoing",
    "completed": "Completed",
    "delayed": "Delayed",
    "discontinued": "Discontinued",
    "not-prioritised": "NotPrioritised",
    "see-other-theme": "SeeOtherTheme",
    "unknown": "StatusUnknown",
}
FINANCING = {
    "funded": "Funded",
    "existing-budget": "ExistingBudget",
    "partly-funded": "PartlyFunded",
    "unfunded": "Unfunded",
    "not-relevant": "NotRelevant",
}


@dataclass(frozen=True)
class SourceFile:
    """The identity of a source document: its slug, file name and checksum."""

    slug: str
    file_name: str
    sha256: str


@dataclass
class BuildReport:
    """What the builder could not place: unknown organisation names, by document."""

    unknown_organisations: dict[str, set[str]] = field(default_factory=dict)
    new_partners: dict[str, set[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # "line N: problem", by document


@cache
def ig(local: str) -> Term:
    """An ontology term (as :func:`.vocabulary.ig`, in N-Triples syntax)."""
    return named(IG + local)


def plain(text: str) -> Term:
    """A string literal, escaped as N-Triples requires (quotes, backslashes, line breaks)."""
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
    return f'"{text}"'


def da(text: str) -> Term:
    return plain(text) + "@da"


def integer(value: int) -> Term:
    return f'"{value}"^^{INTEGER}'


def decimal(value: Decimal) -> Term:
    return f'"{format(value.normalize(), "f")}"^^{DECIMAL}'


def below(node: Term, path: str) -> Term:
    """The IRI ``path`` below ``node`` (an amount, status update or measurement of it)."""
    return f"{node[:-1]}/{path}>"


@lru_cache(maxsize=2**16)
def key_slug(key: str) -> str:
    """A record key as it appears in IRIs; cached, as the same keys recur in every document."""
    return slug(key, keep_dots=True)


def record_iri(document_slug: str, kind: str, key: str) -> NamedNode:
    """The IRI of a record (``kind`` goal, initiative, budget, indicator) of one document.

    Public so that cross-document linking names the same resources without
    repeating the rule.
    """
    return NamedNode(record_iri_value(document_slug, kind, key))


def record_iri_value(document_slug: str, kind: str, key: str) -> str:
    """The IRI :func:`record_iri` names, as a string."""
    return data_iri_value(document_slug, kind, key_slug(key))


def reference_iri(document_slug: str, item_key: str, n: int) -> NamedNode:
    """The IRI of the ``n``-th (1-based) explicit reference in an initiative's text."""
    return data_iri(document_slug, "reference", f"{key_slug(item_key)}-{n}")


class DocumentBuilder:
    """Builds the named graph of one document."""

    def __init__(self, source: SourceFile, registry: Registry, report: BuildReport) -> None:
        self.source = source
        self.registry = registry
        self.report = report
        self.graph = str(graph_iri(source.slug))
        self.plan = str(data_iri("plan", source.slug))
        self.lines: list[str] = []  # N-Quads
        self._spans: set[tuple[int, int]] = set()
        self.goal_parents: dict[str, str | None] = {}
        self.publisher_departments: list[Organisation] = []
        self.year: int | None = None  # the document's year: names are read as used then

    # -- primitives -------------------------------------------------------
    def add(self, s: Term, p: Term, o: Term) -> None:
        self.lines.append(f"{s} {p} {o} {self.graph} .\n")

    def text(self, s: Term, p: Term, value: str | None) -> None:
        if value:
            self.add(s, p, da(value))

    def number(self, s: Term, p: Term, value: int | None) -> None:
        if value is not None:
            self.add(s, p, integer(value))

    def iri(self, kind: str, key: str) -> Term:
        return named(record_iri_value(self.source.slug, kind, key))

    def span(self, subject: Term, span: r.Span | None) -> None:
        """Link ``subject`` to the lines it came from, writing each span once."""
        if span is None:
            return
        node = named(data_iri_value(self.source.slug, "lines", f"{span.first}-{span.last}"))
        self.add(subject, DERIVED, node)
        if (span.first, span.last) in self._spans:
            return
        self._spans.add((span.first, span.last))
        self.add(node, A, ig("SourceSpan"))
        self.add(node, ig("document"), self.plan)
        self.add(node, ig("firstLine"), integer(span.first))
        self.add(node, ig("lastLine"), integer(span.last))
        self.add(node, ig("quote"), plain(span.quote))
        if span.page is not None:
            self.add(node, ig("firstPage"), integer(span.page))
            self.add(node, ig("lastPage"), integer(span.last_page or span.page))

    def thing(self, node: Term, cls: str, label: str, span: r.Span | None) -> None:
        self.add(node, A, ig(cls))
        self.add(node, LABEL, da(label))
        self.add(node, ig("describedIn"), self.plan)
        self.span(node, span)

    def supports(self, node: Term, goal_key: str) -> None:
        """``ig:supports`` the goal, and ``ig:contributesTo`` it and every broader goal.

        The goal hierarchy lies within one document and is known here, so the
        closure is written once instead of walking ``skos:broader*`` per row in
        the queries that ask which goals have no initiative under them.
        """
        self.add(node, ig("supports"), self.iri("goal", goal_key))
        seen: set[str] = set()
        key: str | None = goal_key
        while key is not None and key not in seen:
            seen.add(key)
            self.add(node, ig("contributesTo"), self.iri("goal", key))
            key = self.goal_parents.get(key)

    # -- organisations ------------------------------------------------------
    def organisations(
        self,
        node: Term,
        responsible: Iterable[str],
        involved: Iterable[str],
        free_text: str,
        *,
        default_to_publisher: bool = False,
    ) -> None:
        """Resolve responsibility and involvement; report names nobody knows.

        "Alle forvaltninger" makes all seven responsible; "de øvrige
        forvaltninger" involves every department not already responsible.
        Organisations merely named in free text are involved, not responsible.

        With ``default_to_publisher``, a thing for which the text names no
        department or unit at all is the publishing department's, but only as
        ``ig:inferredResponsibleDepartment``: a query can tell it from a stated
        ``ig:responsibleDepartment``, and ``ig:department`` includes it so that
        answers per department do not miss it.
        """
        responsible_iris: dict[str, Organisation] = {}
        involved_iris: dict[str, Organisation] = {}
        others = False
        for mention, target in [(m, responsible_iris) for m in responsible] + [
            (m, involved_iris) for m in involved
        ]:
            resolution = self.registry.resolve(mention, self.year)
            for org in resolution.organisations:
                target.setdefault(org.iri, org)
            if resolution.all_departments:
                for dept in self.registry.departments:
                    target.setdefault(dept.iri, dept)
            others = others or resolution.other_departments
            for name in resolution.unknown:
                self.report.unknown_organisations.setdefault(self.source.file_name, set()).add(name)
        for org in self.registry.find(free_text, self.year):
            # The municipality as a whole is the setting of every plan, not a participant.
            if org.iri not in responsible_iris and org.kind != "Municipality":
                involved_iris.setdefault(org.iri, org)
        if others:
            for dept in self.registry.departments:
                involved_iris.setdefault(dept.iri, dept)
        for iri, org in responsible_iris.items():
            self.add(node, self._role(org, responsible=True), named(iri))
        for iri, org in involved_iris.items():
            if iri not in responsible_iris:
                self.add(node, self._role(org, responsible=False), named(iri))
        named_units = [*responsible_iris, *involved_iris]
        if default_to_publisher and not any(map(self.registry.department_of, named_units)):
            for dept in self.publisher_departments:
                self.add(node, ig("inferredResponsibleDepartment"), named(dept.iri))
                named_units.append(dept.iri)
        self.departments(node, named_units)

    def departments(self, node: Term, organisation_iris: Iterable[str]) -> None:
        """State once which departments take part, whether directly or through a unit.

        The unit hierarchy is fixed at build time, so walking ``org:unitOf*`` in
        every query that groups by department repeats the same work per row;
        on an archive-sized graph that walk dominated the saved queries.
        """
        found = (self.registry.department_of(iri) for iri in organisation_iris)
        for iri in dict.fromkeys(dept.iri for dept in found if dept is not None):
            self.add(node, ig("department"), named(iri))

    @staticmethod
    def _role(org: Organisation, *, responsible: bool) -> Term:
        if org.kind == "Partner":
            return ig("partner")
        if org.kind == "PoliticalBody":
            return ig("responsibleBody") if responsible else ig("involvedBody")
        return ig("responsibleDepartment") if responsible else ig("involvedDepartment")

    def partners(self, node: Term, names: Iterable[str]) -> None:
        """Link named partners; one the registry lacks becomes a new ig:Partner."""
        for name in names:
            known = self.registry.find(name, self.year)
            if known:
                for org in known:
                    self.add(node, ig("partner"), named(org.iri))
                continue
            partner = named(data_iri_value("org", slug(name)))
            self.add(node, ig("partner"), partner)
            self.add(partner, A, ig("Partner"))
            self.add(partner, LABEL, da(name))
            self.report.new_partners.setdefault(self.source.file_name, set()).add(name)

    # -- records ------------------------------------------------------------
    def document(self, doc: r.Document, importer: str) -> None:
        self.year = doc.meeting_date.year if doc.meeting_date else doc.year
        self.add(self.plan, A, ig("Plan"))
        self.add(self.plan, LABEL, da(doc.title))
        self.add(self.plan, TITLE, da(doc.title))
        self.add(self.plan, ig("planKind"), plain(doc.kind))
        self.add(self.plan, ig("fileName"), plain(self.source.file_name))
        self.add(self.plan, ig("sha256"), plain(self.source.sha256))
        self.add(self.plan, ig("importer"), plain(importer))
        self.text(self.plan, ig("policy"), doc.policy)
        self.number(self.plan, ig("year"), doc.year)
        self.number(self.plan, ig("startYear"), doc.start_year)
        self.number(self.plan, ig("endYear"), doc.end_year)
        for org in (o for mention in doc.publisher for o in self.registry.find(mention, self.year)):
            self.add(self.plan, PUBLISHER, named(org.iri))
            dept = self.registry.answerable_department(org.iri)
            if dept is not None and dept not in self.publisher_departments:
                self.publisher_departments.append(dept)
        self.span(self.plan, doc.span)
        if doc.meeting_date:
            self.add(self.plan, ig("meetingDate"), f'"{doc.meeting_date.isoformat()}"^^<{XSD}date>')
        self.text(self.plan, ig("committeeName"), doc.committee)
        for org in self.registry.find(doc.committee or "", self.year):
            self.add(self.plan, ig("committee"), named(org.iri))
        if doc.case_number:
            self.add(self.plan, ig("caseNumber"), plain(doc.case_number))
        self.text(self.plan, ig("proposerName"), doc.proposer)

    def proposal(self, item: r.Proposal) -> None:
        """An indstilling point (ig:Proposal) or a decision (ig:Decision) of a committee case."""
        node = self.iri(item.kind, item.key)
        self.thing(
            node, "Decision" if item.kind == "decision" else "Proposal", item.label, item.span
        )
        self.add(self.plan, ig("hasProposal"), node)
        if item.number is not None:
            self.add(node, NOTATION, plain(str(item.number)))
        self.amounts(node, item.amounts)

    def mention(self, n: int, item: r.Mention, budget_keys: dict[str, str]) -> None:
        """A fact named in the text: what it is, how sure the reading is, and where it stands."""
        node = named(data_iri_value(self.source.slug, "mention", str(n)))
        self.add(node, A, ig("Mention"))
        self.add(self.plan, ig("mentions"), node)
        self.add(node, LABEL, da(item.text))
        self.add(node, ig("mentionKind"), plain(item.kind))
        self.add(node, ig("confidence"), decimal(Decimal(str(item.confidence))))
        if item.value:
            self.add(node, ig("mentionValue"), plain(item.value))
        if item.kind == "date" and item.value:
            self.add(node, ig("date"), f'"{item.value}"^^<{XSD}date>')
        self.number(node, ig("year"), item.year)
        if item.kind == "department":
            for org in self.registry.find(item.text, self.year):
                self.add(node, ig("mentionOf"), named(org.iri))
                self.add(self.plan, ig("mentionsOrganisation"), named(org.iri))
        if item.kind == "budget-code" and item.value in budget_keys:
            self.add(node, ig("mentionOf"), self.iri("budget", budget_keys[item.value]))
        self.span(node, item.span)

    def document_amounts(self, amounts: list[r.Amount]) -> None:
        """Amounts stated outside any record (in a case's prose), each with its lines."""
        for n, amount in enumerate(amounts, 1):
            money = below(self.plan, f"amount/{n}")
            self.add(self.plan, ig("statesAmount"), money)
            self.add(money, A, ig("MonetaryAmount"))
            self.add(money, ig("amountDKK"), decimal(amount.value))
            self.add(money, LABEL, da(amount.text))
            self.number(money, ig("year"), amount.year)
            self.span(money, amount.span)

    def goal(self, goal: r.Goal) -> None:
        node = self.iri("goal", goal.key)
        self.thing(node, GOAL_CLASSES.get(goal.kind, "Goal"), goal.label, goal.span)
        if goal.notation:
            self.add(node, NOTATION, plain(goal.notation))
        if goal.parent:
            self.add(node, BROADER, self.iri("goal", goal.parent))
        self.text(node, DESCRIPTION, goal.description)
        if goal.score is not None:
            self.add(node, ig("score"), decimal(goal.score))
        for remark in goal.remarks:
            self.text(node, ig("remark"), remark)
        self.organisations(node, goal.responsible, goal.involved, "")

    def initiative(self, item: r.Initiative, budget_keys: dict[str, str]) -> None:
        node = self.iri("initiative", item.key)
        self.thing(node, "Initiative", item.label, item.span)
        if item.notation:
            self.add(node, NOTATION, plain(item.notation))
        for goal in item.goals:
            self.supports(node, goal)
        if item.parent:
            self.add(node, PART_OF, self.iri("initiative", item.parent))
        self.text(node, DESCRIPTION, item.description)
        self.text(node, ig("purpose"), item.purpose)
        self.text(node, ig("goalText"), item.goal_text)
        self.text(node, ig("targetGroup"), item.target_group)
        self.text(node, ig("periodText"), item.period_text)
        self.number(node, ig("startYear"), item.start_year)
        self.number(node, ig("endYear"), item.end_year)
        self.text(node, ig("financingText"), item.financing_text)
        if item.financing in FINANCING:
            self.add(node, ig("financingStatus"), ig(FINANCING[item.financing]))
        free_text = " ".join(
            t for t in (item.label, item.description, item.purpose, item.period_text) if t
        )
        self.organisations(
            node, item.responsible, item.involved, free_text, default_to_publisher=True
        )
        self.partners(node, item.partners)
        self.amounts(node, item.amounts)
        for code in item.budget_codes:
            if code in budget_keys:
                self.add(node, ig("fundedBy"), self.iri("budget", budget_keys[code]))
        for n, ref in enumerate(item.cross_references, 1):
            target = str(reference_iri(self.source.slug, item.key, n))
            self.add(node, ig("crossReference"), target)
            self.add(target, A, ig("Reference"))
            self.add(target, ig("referenceKind"), plain(ref.kind))
            self.add(target, LABEL, da(ref.target))
            self.text(target, DESCRIPTION, ref.text)
        for n, status in enumerate(item.statuses, 1):
            update = below(node, f"status/{status.year}-{n}")
            self.add(node, ig("statusUpdate"), update)
            self.add(update, A, ig("StatusUpdate"))
            self.add(update, ig("year"), integer(status.year))
            self.text(update, ig("statusText"), status.text)
            self.add(
                update, ig("statusClass"), ig(STATUS_CLASSES.get(status.status, "StatusUnknown"))
            )
            self.span(update, status.span)
        for key in item.indicators:
            self.add(node, ig("hasIndicator"), self.iri("indicator", key))

    def amounts(self, node: Term, amounts: list[r.Amount]) -> None:
        for n, amount in enumerate(amounts, 1):
            money = below(node, f"amount/{n}")
            self.add(node, ig("hasAmount"), money)
            self.add(money, A, ig("MonetaryAmount"))
            self.add(money, ig("amountDKK"), decimal(amount.value))
            self.add(money, LABEL, da(amount.text))
            self.number(money, ig("year"), amount.year)
            if amount.part_of is not None:
                self.add(money, ig("partOfAmount"), below(node, f"amount/{amount.part_of + 1}"))

    def indicator(self, item: r.Indicator, subject_kind: dict[str, str]) -> None:
        node = self.iri("indicator", item.key)
        self.thing(node, "Indicator", item.label, item.span)
        if item.notation:
            self.add(node, NOTATION, plain(item.notation))
        if item.subject and item.subject in subject_kind:
            self.add(self.iri(subject_kind[item.subject], item.subject), ig("hasIndicator"), node)
        for remark in item.remarks:
            self.text(node, ig("remark"), remark)
        self.number(node, ig("baselineYear"), item.baseline_year)
        for n, m in enumerate(item.measurements, 1):
            point = below(node, f"{m.kind}-{m.year or 'na'}-{n}")
            self.add(node, ig("hasMeasurement"), point)
            self.add(point, A, ig("Measurement"))
            self.add(point, ig("measurementKind"), ig(MEASUREMENT_KINDS[m.kind]))
            self.add(point, ig("value"), decimal(m.value))
            self.add(point, ig("unit"), ig(UNITS[m.unit]))
            self.add(point, LABEL, da(m.text))
            self.number(point, ig("year"), m.year)
            if m.comparator:
                self.add(point, ig("comparator"), plain(m.comparator))
            if m.footnote:
                self.add(point, ig("footnote"), plain(m.footnote))
            self.span(point, item.span)

    def budget_item(self, item: r.BudgetItem) -> None:
        node = self.iri("budget", item.key)
        self.thing(node, "BudgetItem", item.label, item.span)
        if item.code:
            self.add(node, NOTATION, plain(item.code))
        self.number(node, ig("budgetYear"), item.budget_year)
        self.text(node, DESCRIPTION, item.description)
        for goal in item.supports:
            self.supports(node, goal)
        self.amounts(node, item.amounts)
        self.organisations(node, item.responsible, [], "", default_to_publisher=True)


def build_document(
    result: r.ImportResult, source: SourceFile, registry: Registry, report: BuildReport
) -> list[str]:
    """All quads of one document's named graph, as N-Quads lines in a deterministic order."""
    b = DocumentBuilder(source, registry, report)
    b.document(result.document, result.importer)
    b.goal_parents = {goal.key: goal.parent for goal in result.goals}
    for goal in result.goals:
        b.goal(goal)
    budget_keys = {item.code: item.key for item in result.budget_items if item.code}
    budget_keys.update({item.key: item.key for item in result.budget_items})
    for budget in result.budget_items:
        b.budget_item(budget)
    for initiative in result.initiatives:
        b.initiative(initiative, budget_keys)
    subject_kind = {g.key: "goal" for g in result.goals}
    subject_kind.update({i.key: "initiative" for i in result.initiatives})
    for indicator in result.indicators:
        b.indicator(indicator, subject_kind)
    for proposal in result.proposals:
        b.proposal(proposal)
    for n, mention in enumerate(result.mentions, 1):
        b.mention(n, mention, budget_keys)
    b.document_amounts(result.amounts)
    for warning in result.warnings:
        report.warnings.setdefault(source.file_name, []).append(
            f"line {warning.line}: {warning.message}"
        )
    return _unique(b.lines)


def _unique(lines: list[str]) -> list[str]:
    """Drop repeated quads while keeping first-seen order (deterministic)."""
    return list(dict.fromkeys(lines))
