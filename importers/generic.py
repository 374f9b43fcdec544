"""A fallback importer for plan documents that no specific importer knows.

It reads the structures that recur across the municipality's plans: numbered
headings ("2.", "2.1", "2.1.3 …"), bold-led bullets ("- **Title** text"),
Markdown table rows, "Ansvarlig forvaltning" fields, department codes in
parentheses ("(BUF, SOF)"), budget codes ("HA01 (2024)"), kroner amounts and
periods. Headings with one or two levels become goals; deeper headings,
bullets and table rows become initiatives under the nearest goal. It is less
exact than a specific importer, so it claims a document that shows enough of
this structure with less confidence than a specific importer would.

Any other readable Danish text (a committee case of an unknown layout, a
budget note, a news page) still yields the document itself, its title and
period, and the facts its prose names (:mod:`.facts`): dates, departments,
budget codes, amounts and indicators. Such a document is claimed with a low
confidence that grows with how much was found, and is refused only when it
names none of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import danish
from .facts import Facts, read_facts
from .records import BudgetItem, Document, Goal, ImportResult, Initiative
from .text import SourceText
from .textutil import collapse, slug, unique

HEADING = re.compile(
    r"^\s{0,3}(?:#+\s*)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>[A-ZÆØÅ].{1,150}?)\s*$"
)
BOLD_BULLET = re.compile(r"^\s*[-•*]\s+\*\*(?P<title>[^*]+?)\*\*[:.]?\s*(?P<rest>.*)$")
TABLE_ROW = re.compile(r"^\s*\|(?P<cells>.+)\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|[\s|:-]+\|\s*$")
FIELD = re.compile(
    r"^\s*(?P<name>Ansvarlig(?:e)?(?: forvaltning(?:er)?)?|Tidshorisont|Periode"
    r"|Målgruppe(?:n)?(?: for indsatsen)?|Økonomi(?:ske konsekvenser)?|Finansiering)"
    r"\s*:?\s*(?P<value>.*)$",
    re.I,
)
BUDGET_HEADING = re.compile(
    r"^\s*(?:Budget(?:forslag)?(?:\s+(?:19|20)\d{2})?|Investeringsforslag)\s*:?\s*$", re.I
)
CODES = r"SOF|BUF|BIF|SUF|TMF|ØKF|KFF"
DEPARTMENT_PARENS = re.compile(
    rf"\((?P<inside>(?:[^()]*\b(?:{CODES})\b[^()]*|alle forvaltninger))\)"
)
BUDGET_CODE = re.compile(r"\b(?P<code>[A-ZÆØ]{1,3}\d{2,3})\b\s*(?:\((?P<year>(?:19|20)\d{2})\))?")
HEADER_WORDS = {"aktivitet", "indsats", "indsatser", "initiativ", "formål", "periode", "status"}
# Lines that are site furniture or metadata, never a document's title.
NOT_A_TITLE = re.compile(
    r"^(?:søg|menu|se alle bilag|bilag|download.*|transkript|størrelse:.*|starte visningen.*"
    # "Til: …", "Dato: …" are fields; "Budgetnotat: …" and "Emne: …" name the subject
    r"|(?![a-zæøå]*notat:|emne:|vedr(?:ørende)?:)[a-zæøå]+:\s.*|\d+|side \d+.*|udvalg|møde|referat|dagsorden|sted|punkter|prompt.*|relevans.*"
    r"|sagsfremstilling|indstilling|resumé|problemstilling|løsning|økonomi|beslutning|indholdsfortegnelse"
    # a document's kind or its meeting, not its subject: "NOTAT", "Referat af mødet onsdag …"
    r"|notat|notits|høringssvar|orientering|baggrund|referat af møde(?:t)?\b.*"
    r"|dagsorden (?:til|for) (?:det )?(?:ordinære )?møde.*"
    # a committee's name alone heads its agenda page: "Social-, Sundheds- og Ældreudvalget"
    r"|(?:[a-zæøå]+-,?\s+)*(?:og\s+)?[a-zæøå]*udvalget)$",
    re.I,
)
# A page of labelled fields ("UDVALG" above "Handicaprådet", "MØDE" above "Referat"),
# as meeting systems print a meeting's heading: its title is made of those fields.
FIELD_LABEL = re.compile(r"^(?P<label>[A-ZÆØÅ]{3,}(?: [A-ZÆØÅ]{2,})?)\s*:?$")
BODY_LABELS = ("UDVALG", "KOMITÉ", "RÅD", "FORUM")
MEETING_LABELS = ("MØDE", "MØDETYPE")
WHEN_LABELS = ("STARTTIDSPUNKT", "DATO", "MØDEDATO", "TIDSPUNKT")
FACT_KINDS = ("date", "period", "department", "budget-code", "case-number", "legal-reference")


@dataclass
class _Open:
    """The initiative being read, with the lines that belong to it so far."""

    record: Initiative
    last: int
    text: list[str] = field(default_factory=list)


class GenericImporter:
    name = "generic"
    description = "Any plan with numbered headings, bold-led bullets or table rows (fallback)"
    ceiling = 0.55  # the only confidence it claims, below every specific importer's own

    fallback = True  # the registry takes it, at its own low confidence, when nothing else fits

    def recognise(self, source: SourceText) -> float:
        """0.55 for a plan with goal headings and initiatives; less for plain prose.

        Always below a specific importer's confidence (≥ 0.9 on its own layout).
        Prose with no plan structure scores 0.2 plus 0.05 for each kind of fact
        found (dates, periods, departments, amounts …), at most 0.45: it is
        imported, but the build shows how little the importer knew about it.
        """
        result = self.parse(source)
        if result.goals and (result.initiatives or result.budget_items):
            return self.ceiling
        kinds = {m.kind for m in result.mentions}
        kinds |= {"amount"} if result.amounts else set()
        kinds |= {"indicator"} if result.indicators else set()
        if not kinds and not (result.goals or result.initiatives or result.budget_items):
            return 0.0
        return round(min(0.45, 0.2 + 0.05 * len(kinds)), 2)

    def parse(self, source: SourceText) -> ImportResult:
        reader = _Reader(source)
        for number, line in enumerate(source.lines, 1):
            reader.feed(number, line)
        reader.close()
        facts = read_facts(source)
        result = ImportResult(
            self.name,
            reader.document(facts),
            reader.goals,
            reader.initiatives,
            facts.indicators,
            reader.budget_items,
        )
        add_facts(result, facts)
        return result


def describe(source: SourceText, facts: Facts, kind: str) -> Document:
    """The document of any layout: its title, period and meeting date, as :class:`_Reader` reads them."""
    document = _Reader(source).document(facts)
    document.kind = kind
    return document


def add_facts(result: ImportResult, facts: Facts) -> None:
    """Put the facts read from prose into ``result``; a budget code not yet an item becomes one."""
    result.mentions.extend(facts.mentions)
    result.amounts.extend(facts.amounts)
    result.warnings.extend(facts.warnings)
    known = {item.code for item in result.budget_items if item.code}
    keys = {item.key for item in result.budget_items}
    for mention in facts.mentions:
        if mention.kind != "budget-code" or mention.value in known or mention.confidence < 0.9:
            continue
        code = mention.value or mention.text
        known.add(code)
        item = BudgetItem(
            unique(code, keys), code, mention.span, code=code, budget_year=mention.year
        )
        keys.add(item.key)
        result.budget_items.append(item)


class _Reader:
    """Walks the lines once, keeping the current goal and initiative."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.goals: list[Goal] = []
        self.initiatives: list[Initiative] = []
        self.budget_items: list[BudgetItem] = []
        self._goal_keys: set[str] = set()
        self._keys: set[str] = set()
        self._current_goal: str | None = None
        self._open: _Open | None = None
        self._field: str | None = None
        self._field_filled = False

    def document(self, facts: Facts | None = None) -> Document:
        """The document: its title (the first line that is not site furniture) and period.

        A page of labelled fields is titled by them ("Handicaprådet – Referat
        15-08-2019"), since its first line that is no label names only the body.
        """
        number, title = self._field_title() or next(
            (
                (n, collapse(line).lstrip("# "))
                for n, line in enumerate(self.source.lines, 1)
                if line.strip() and not NOT_A_TITLE.match(collapse(line).lstrip("# "))
            ),
            (1, collapse(self.source.lines[0]) if self.source.lines else "Dokument"),
        )
        found, start, end = danish.period(title)
        if not found and facts and facts.meeting_date:
            start = end = int(facts.meeting_date[:4])
        return Document(
            title=title[:200] or "Dokument",
            kind="action-plan" if self.goals else "document",
            start_year=start,
            end_year=end,
            year=start,
            span=self.source.span(number, number) if self.source.lines else None,
            meeting_date=_date(facts.meeting_date) if facts else None,
        )

    def _field_title(self) -> tuple[int, str] | None:
        """The title of a page of labelled fields: its body, its kind of meeting and its day."""
        fields: dict[str, tuple[int, str]] = {}
        lines = [(n, collapse(line)) for n, line in enumerate(self.source.lines[:40], 1)]
        lines = [(n, text) for n, text in lines if text]
        for (_, label), (n, value) in zip(lines, lines[1:], strict=False):
            match = FIELD_LABEL.match(label)
            if match and not FIELD_LABEL.match(value):
                fields.setdefault(match["label"], (n, value))
        body = next((fields[k] for k in BODY_LABELS if k in fields), None)
        if body is None:
            return None
        meeting = next((fields[k][1] for k in MEETING_LABELS if k in fields), None)
        when = next((fields[k][1] for k in WHEN_LABELS if k in fields), "")
        day = re.match(r"\S+", when)
        parts = [body[1], " ".join(filter(None, [meeting, day.group(0) if day else None]))]
        return body[0], " – ".join(p for p in parts if p)

    def feed(self, number: int, line: str) -> None:
        if TABLE_RULE.match(line):
            return
        heading = HEADING.match(line)
        if heading and heading["num"].count(".") <= 1:
            self._start_goal(number, heading["num"], heading["title"])
            return
        if heading:
            self._start_initiative(number, heading["title"], heading["num"])
            return
        bullet = BOLD_BULLET.match(line)
        if bullet:
            self._start_initiative(number, bullet["title"], None, bullet["rest"])
            return
        if BUDGET_HEADING.match(line):
            self._close(number - 1)
            return
        if self._budget_line(number, line):
            return
        row = TABLE_ROW.match(line)
        if row:
            cells = [collapse(re.sub(r"<[^>]+>", " ", c)) for c in row["cells"].split("|")]
            if cells and cells[0] and cells[0].lower().strip("* ") not in HEADER_WORDS:
                self._start_initiative(number, cells[0].strip("* "), None, " ".join(cells[1:]))
                self._close(number)
            return
        self._continue(number, line)

    def _start_goal(self, number: int, notation: str, title: str) -> None:
        self._close(number - 1)
        key = notation
        if key in self._goal_keys:
            self._current_goal = key
            return
        parent = notation.rsplit(".", 1)[0] if "." in notation else None
        self.goals.append(
            Goal(
                key,
                collapse(title),
                self.source.span(number, number),
                notation=notation,
                parent=parent if parent in self._goal_keys else None,
            )
        )
        self._goal_keys.add(key)
        self._current_goal = key

    def _start_initiative(
        self, number: int, title: str, notation: str | None, rest: str = ""
    ) -> None:
        self._close(number - 1)
        label = collapse(title).rstrip(":.")
        key = notation or unique(slug(label, cut="chars", danish_letters=True), self._keys)
        self._keys.add(key)
        record = Initiative(
            key,
            label,
            self.source.span(number, number),
            notation=notation,
            goals=[self._current_goal] if self._current_goal else [],
        )
        self._open = _Open(record, number, [rest] if rest else [])
        self._field = None

    def _continue(self, number: int, line: str) -> None:
        if self._open is None:
            return
        if not line.strip():
            # A field's value is one paragraph; text after it is description again.
            if self._field_filled:
                self._field = None
            return
        field_match = FIELD.match(line)
        if field_match:
            self._field = field_match["name"].lower()
            self._field_filled = bool(field_match["value"].strip())
            if self._field_filled:
                self._assign(field_match["value"])
        elif self._field:
            self._field_filled = True
            self._assign(line)
        else:
            self._open.text.append(line)
        self._open.last = number

    def _assign(self, value: str) -> None:
        assert self._open is not None
        record, value = self._open.record, collapse(value)
        name = self._field or ""
        if name.startswith("ansvarlig"):
            record.responsible.extend(
                p for p in re.split(r",\s*|(?<!-)\s+og\s+(?=[A-ZÆØÅ])", value) if p
            )
        elif name in ("tidshorisont", "periode"):
            record.period_text = collapse(f"{record.period_text or ''} {value}")
        elif name.startswith("målgruppe"):
            record.target_group = collapse(f"{record.target_group or ''} {value}")
        else:
            record.financing_text = collapse(f"{record.financing_text or ''} {value}")

    def _budget_line(self, number: int, line: str) -> bool:
        """A line that starts with a budget code ("HA01 (2024) …") is a budget item."""
        match = BUDGET_CODE.match(line.strip().lstrip("-•* "))
        if not match or re.fullmatch(CODES, match["code"]):
            return False
        self._close(number - 1)
        label = collapse(line.strip().lstrip("-•* ")[match.end() :]).strip(" :–-") or match["code"]
        key = unique(match["code"], self._keys)
        item = BudgetItem(
            key,
            label,
            self.source.span(number, number),
            code=match["code"],
            budget_year=int(match["year"]) if match["year"] else None,
            amounts=danish.amounts(line),
        )
        if self._current_goal:
            item.supports.append(self._current_goal)
        parens = DEPARTMENT_PARENS.search(line)
        if parens:
            item.responsible.append(parens["inside"])
        self.budget_items.append(item)
        return True

    def _close(self, last: int) -> None:
        if self._open is None:
            return
        record = self._open.record
        end = max(record.span.first, min(self._open.last, last))
        record.span = self.source.span(record.span.first, end)
        text = collapse(" ".join(self._open.text))
        record.description = text or None
        whole = " ".join(filter(None, [record.label, text, record.period_text or ""]))
        parens = DEPARTMENT_PARENS.search(f"{record.label} {text}")
        if parens and not record.responsible:
            record.responsible.append(parens["inside"])
        if record.period_text:
            _, record.start_year, record.end_year = danish.period(record.period_text)
        else:
            found, start, end = (
                danish.period(whole)
                if danish.YEAR_RANGE.search(whole) or danish.DATE_RANGE.search(whole)
                else (None, None, None)
            )
            record.period_text, record.start_year, record.end_year = found, start, end
        record.amounts = danish.amounts(" ".join(filter(None, [text, record.financing_text])))
        record.budget_codes = [
            m["code"] for m in BUDGET_CODE.finditer(whole) if not re.fullmatch(CODES, m["code"])
        ]
        self.initiatives.append(record)
        self._open = None
        self._field = None

    def close(self) -> None:
        self._close(len(self.source.lines))


IMPORTER = GenericImporter()


def _date(iso: str | None):  # noqa: ANN202 - datetime.date | None
    from datetime import date

    return date.fromisoformat(iso) if iso else None
