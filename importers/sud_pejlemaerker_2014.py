"""Importer for Socialudvalget's political benchmarks (pejlemærker) 2014-2017, status 2014.

The document opens with an overview table (header "Pejlemærke<TAB>Samlet
pejlemærkestatus …") giving each of the nine benchmarks its overall status score
on a -5 … +5 scale ("1,6", "0,2"; "0 (kun baseline-målinger)" or "-" where no
status could be computed). Then every benchmark has a section of its own:
a heading ("I. Flere udsatte …" or "2. Flere …"), a tab-separated table of
delmål A, B, C … (some split into F1/F2, C1/C2) with baseline, status and target
columns whose years the header names, prose, bulleted activities and the budget
proposals (Ø304, SI04 …) that support the benchmark.

Benchmarks (Goals) come from the overview, where label and score stand on one
row; delmål (Indicators) come from the sections, which carry the footnote
markers ("5.657 ²") and remarks ("Forslag om at denne udgår") the overview
lacks. Columns shift from table to table (an empty sub-delmål column is present
in some headers only), so values are found after the delmål labels, not by
header position. "-" means no measurement. A budget proposal listed under
several benchmarks is one BudgetItem supporting all of them, read from its first
listing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import danish
from .base import LayoutImporter, Signal
from .danish import YEAR, full_year
from .records import BudgetItem, Document, Goal, ImportResult, Indicator, Initiative, Measurement
from .text import SourceText
from .textutil import collapse, first_sentence, label_text, next_text_line, slug, unique

NAME = "sud-pejlemaerker-2014"
KIND = "benchmark-status"
MISSING = "-"
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_RE = re.compile(r"\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")

OVERVIEW_HEADER_RE = re.compile(r"^Pejlemærke\t")
BENCHMARK_CELL_RE = re.compile(r"^(\d+)\.\s+(\S.*)$")
SCORE_RE = re.compile(r"^-?\d+(?:,\d+)?$")
SECTION_HEADING_RE = re.compile(r"^([IVX]+|\d+)\.\s+(\S.*)$")
TABLE_HEADER_RE = re.compile(r"Baseline\s*\(\d{4}\)")
FOOTNOTE_RE = re.compile(r"^(\d+)\.\s+(\S.*)$")
DELMAAL_RE = re.compile(r"^([A-Z])(\d*)\.\s+(\S.*)$")
COLUMN_YEAR_RES = (
    ("baseline", re.compile(r"Baseline\s*\((\d{4})\)")),
    ("status", re.compile(r"Status\s*\((\d{4})\)")),
    ("target", re.compile(r"Mål\s+(\d{4})")),
)
VALUE_RE = re.compile(
    r"^(?P<comparator><=|>=|<|>)?\s*(?P<integer>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<fraction>\d+))?"
    r"\s*(?P<percent>%)?(?P<note>\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$"
)

ACTIVITY_HEADING_RE = re.compile(
    r"^(?:Aktiviteter der skal understøtte|Hvad har forvaltningen (?:igangsat|sat i gang))"
)
# A prose activity: "Forvaltningen fik … midler til etablering af en økonomisk rådgivning
# med 3 årsværk i regi af Socialcenter København."
FUNDED_OFFER_RE = re.compile(
    r"\bfik\b[^.]*?\bmidler til (?:etablering af|at etablere)\s+(?:en|et)?\s*"
    r"(?P<offer>[^.]+?)(?:\s+med\s+[^.]+?)?(?:\s+i regi af\s+(?P<unit>[^.]+))?\."
)
TARGET_GROUP_RE = re.compile(r"\bMålgruppen for (?:tilbuddet|indsatsen) er (?P<group>[^.]+)\.")
BUDGET_HEADING_RE = re.compile(r"^Følgende budgetforslag")
OTHER_HEADING_RE = re.compile(r"^(?:Årsager til|Særlige opmærksomhedspunkter)")
BULLET_RE = re.compile(r"^-\s+(\S.*)$")
BUDGET_RE = re.compile(r"^-\s*([A-ZÆØÅ]{1,3})\s?(\d{2,3})\s*:\s*(\S.*)$")
EMPHASIS_TITLE_RE = re.compile(r"^\*([^*]+)\*[.:]?\s*(.*)$")
TITLE_BREAK_RE = re.compile(r":\s|\s[–-]\s")
PERIOD_RE = re.compile(rf"\bi perioden ({YEAR})\s*[-–]\s*(\d{{2}}|\d{{4}})\b")

STATUS_YEAR_RE = re.compile(rf"^Status på .*pejlemærker,?\s+({YEAR})\s*$", re.IGNORECASE)
PUBLISHER_RE = re.compile(r"\b([A-ZÆØÅ]\w*udvalg)ets\b")
ROMAN = {"I": 1, "V": 5, "X": 10}


# Keys are labels of up to 80 characters, like those of BIF's plan of the same years.
KEY_LENGTH = 80


def _notes(text: str) -> tuple[str, list[str]]:
    """``text`` without its superscript footnote markers, and the marker numbers."""
    numbers = [
        match.group(1).translate(SUPERSCRIPT_DIGITS) for match in SUPERSCRIPT_RE.finditer(text)
    ]
    return collapse(SUPERSCRIPT_RE.sub("", text)), numbers


def _number(text: str) -> str:
    """The benchmark number of a heading, printed as "9" or in Roman numerals ("I")."""
    if text.isdigit():
        return str(int(text))
    total = previous = 0
    for char in reversed(text):
        value = ROMAN[char]
        total += -value if value < previous else value
        previous = max(previous, value)
    return str(total)


def split_title(text: str) -> tuple[str, str | None]:
    """A bullet as (title, rest): up to the first colon, spaced dash or sentence end."""
    emphasis = EMPHASIS_TITLE_RE.match(text)
    if emphasis:
        return emphasis.group(1).strip(), emphasis.group(2) or None
    sentence, rest = first_sentence(text)
    brk = TITLE_BREAK_RE.search(text)
    if brk and brk.start() < len(sentence):
        return label_text(text[: brk.start()]), text[brk.end() :].strip() or None
    return label_text(sentence), rest.strip() or None


def danish_value(text: str) -> tuple[Decimal, str, str | None, str | None] | None:
    """Value, unit, comparator and footnote number of a cell such as "<1,1%" or "5.657 ²"."""
    match = VALUE_RE.match(text.strip())
    if not match:
        return None
    fraction = match.group("fraction")
    number = match.group("integer") + (f",{fraction}" if fraction else "")
    note = match.group("note")
    return (
        danish.matched_number(number),
        "percent" if match.group("percent") else "count",
        match.group("comparator"),
        note.strip().translate(SUPERSCRIPT_DIGITS) if note else None,
    )


# ---------------------------------------------------------------- document parts


@dataclass
class _Section:
    """One benchmark's own section: heading line, table lines and the lines after it."""

    notation: str
    label: str
    heading: int
    header: int
    rows: list[int]
    end: int
    notes: list[str] = field(default_factory=list)


def _is_table_header(line: str) -> bool:
    return (
        "\t" in line and bool(TABLE_HEADER_RE.search(line)) and not OVERVIEW_HEADER_RE.match(line)
    )


def _is_table_row(line: str) -> bool:
    """A delmål table row: cells split by tabs, or a delmål label standing alone.

    A row whose value cells are all empty ("F. Højst 100 … i 2017" above F1 and
    F2) is one cell in a PDF, whose text layer keeps no trailing empty cells.
    """
    return bool(line.strip()) and ("\t" in line or bool(DELMAAL_RE.match(line.strip())))


def _sections(lines: tuple[str, ...]) -> list[_Section]:
    """Benchmark sections: a numbered heading directly followed by a delmål table."""
    found: list[_Section] = []
    for number, line in enumerate(lines, 1):
        heading = SECTION_HEADING_RE.match(line.strip())
        header = next_text_line(lines, number) if heading else None
        if not heading or header is None or not _is_table_header(lines[header - 1]):
            continue
        notation = _number(heading.group(1))
        if any(section.notation == notation for section in found):
            continue  # a benchmark is read from its first section only, so keys stay unique
        label, notes = _notes(heading.group(2))
        rows = []
        for row in range(header + 1, len(lines) + 1):
            if not _is_table_row(lines[row - 1]):
                break
            rows.append(row)
        notes += _notes(lines[header - 1])[1]
        found.append(_Section(notation, label, number, header, rows, len(lines), notes))
    for section, following in zip(found, found[1:], strict=False):
        section.end = following.heading - 1
    return found


def _footnotes(lines: tuple[str, ...], sections: list[_Section]) -> dict[str, str]:
    """Footnote lines ("2. Baseline: …") in the sections, by number, quoted as written."""
    if not sections:
        return {}
    headings = {section.heading for section in sections}
    notes: dict[str, str] = {}
    for number in range(sections[0].heading, len(lines) + 1):
        match = FOOTNOTE_RE.match(lines[number - 1].strip())
        if match and number not in headings:
            notes.setdefault(match.group(1), collapse(lines[number - 1]))
    return notes


def _document(lines: tuple[str, ...]) -> Document:
    """Title (first line), status year ("Status på … pejlemærker, 2014") and period."""
    texts = [collapse(line) for line in lines if line.strip()]
    title = texts[0] if texts else ""
    years = danish.FULL_YEAR_RANGE.search(title)
    status = next((int(m.group(1)) for text in texts if (m := STATUS_YEAR_RE.match(text))), None)
    publisher = PUBLISHER_RE.search(title)
    return Document(
        title=title,
        kind=KIND,
        publisher=[publisher.group(1) + "et"] if publisher else [],
        year=status,
        start_year=int(years.group(1)) if years else None,
        end_year=int(years.group(2)) if years else None,
    )


def _overview_goals(source: SourceText, responsible: list[str]) -> dict[str, Goal]:
    """One benchmark Goal per numbered row block of the overview table, with its score."""
    lines = source.lines
    header = next((n for n, line in enumerate(lines, 1) if OVERVIEW_HEADER_RE.match(line)), None)
    if header is None:
        return {}
    rows = []
    for number in range(header + 1, len(lines) + 1):
        if not lines[number - 1].strip():
            break
        rows.append(number)
    starts = [n for n in rows if BENCHMARK_CELL_RE.match(lines[n - 1].split("\t")[0].strip())]
    goals: dict[str, Goal] = {}
    for index, first in enumerate(starts):
        last = starts[index + 1] - 1 if index + 1 < len(starts) else rows[-1]
        cells = [cell.strip() for cell in lines[first - 1].split("\t")] + [""]
        match = BENCHMARK_CELL_RE.match(cells[0])
        if match is None or match.group(1) in goals:
            continue
        score_text = collapse(cells[1])
        scored = SCORE_RE.match(score_text)
        goals[match.group(1)] = Goal(
            key=match.group(1),
            label=_notes(match.group(2))[0],
            span=source.span(first, last),
            kind="benchmark",
            notation=match.group(1),
            responsible=list(responsible),
            score=danish.matched_number(score_text) if scored else None,
            remarks=[] if scored or score_text in ("", MISSING) else [score_text],
        )
    return goals


# ---------------------------------------------------------------- delmål


@dataclass
class _Delmaal:
    """An indicator being assembled; ``last`` grows as its sub-delmål rows follow."""

    notation: str
    label: str
    first: int
    last: int
    measurements: list[Measurement] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def _cells_after_labels(cells: list[str]) -> tuple[list[re.Match[str]], list[str]]:
    """The delmål labels at the start of a row and the value cells after them."""
    labels: list[re.Match[str]] = []
    index = 0
    while index < len(cells):
        match = DELMAAL_RE.match(cells[index])
        if cells[index] and not match:
            break
        if match:
            labels.append(match)
        index += 1
    return labels, cells[index : index + 3]


def _baseline_year(note: str | None) -> int | None:
    """The year a "Baseline" footnote dates the baseline to, if it names one.

    "2. Baseline er 2014" → 2014; "4. Baseline: Langtidsfattige ved udgangen af
    2012 (… i de tre år: 2010-12)" → 2012: a parenthesis only explains.
    """
    if not note or not re.match(r"^\d+\.\s*Baseline\b", note):
        return None
    years = set(danish.SINGLE_YEAR.findall(re.sub(r"\([^()]*\)", " ", note)))
    return int(years.pop()) if len(years) == 1 else None


def _year(kind: str, default: int | None, notes: list[str | None]) -> int | None:
    """The column's year, unless a baseline footnote (the cell's, else the benchmark's)
    names another ("Baseline er 2014")."""
    if kind == "baseline":
        for note in notes:
            year = _baseline_year(note)
            if year is not None:
                return year
    return default


def _add_values(
    delmaal: _Delmaal,
    values: list[str],
    years: dict[str, int | None],
    notes: dict[str, str],
    section_notes: list[str],
) -> None:
    """Measurements from the baseline/status/target cells; other text becomes a remark.

    ``section_notes`` are the footnotes on the benchmark's heading: "7. Færre
    københavnere lever i fattigdom⁴" dates every baseline of 7.A and 7.B.
    """
    for (kind, _), cell in zip(COLUMN_YEAR_RES, values, strict=False):
        text = collapse(cell)
        if text in ("", MISSING):
            continue
        parsed = danish_value(text)
        if parsed is None:
            if text not in delmaal.remarks:
                delmaal.remarks.append(text)
            continue
        value, unit, comparator, number = parsed
        note = notes.get(number, number) if number else None
        year = _year(kind, years.get(kind), [note, *section_notes])
        delmaal.measurements.append(
            Measurement(kind, value, unit, text, year, comparator=comparator, footnote=note)
        )


def _indicators(source: SourceText, section: _Section, notes: dict[str, str]) -> list[Indicator]:
    """Every delmål (A, B …) and sub-delmål (F1, F2 …) of a section's table."""
    header = source.lines[section.header - 1]
    years = {
        kind: int(m.group(1)) if (m := pattern.search(header)) else None
        for kind, pattern in COLUMN_YEAR_RES
    }
    section_notes = [notes.get(number, number) for number in section.notes]
    found: list[_Delmaal] = []
    main: _Delmaal | None = None
    for number in section.rows:
        cells = [cell.strip() for cell in source.lines[number - 1].split("\t")]
        labels, values = _cells_after_labels(cells)
        current = None
        for match in labels:
            label, markers = _notes(match.group(3))
            code = match.group(1) + match.group(2)
            current = _Delmaal(f"{section.notation}.{code}", label, number, number)
            current.remarks += [notes.get(marker, marker) for marker in markers]
            found.append(current)
            if match.group(2) and main is not None and main.notation.endswith("." + match.group(1)):
                main.last = number
            elif not match.group(2):
                main = current
        if current is not None:
            _add_values(current, values, years, notes, section_notes)
    return [
        Indicator(
            key=item.notation,
            label=item.label,
            span=source.span(item.first, item.last),
            subject=section.notation,
            notation=item.notation,
            measurements=item.measurements,
            remarks=item.remarks,
        )
        for item in found
    ]


# ---------------------------------------------------------------- activities and budget


def _period(text: str) -> tuple[str | None, int | None, int | None]:
    """The wording, start and end year of a period such as "i perioden 2015-17"."""
    match = PERIOD_RE.search(text)
    if not match:
        return None, None, None
    return match.group(0), int(match.group(1)), full_year(match.group(1), match.group(2))


class _Supporters:
    """Activities (Initiatives) and budget proposals (BudgetItems) listed per benchmark."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.initiatives: list[Initiative] = []
        self.budget_items: dict[str, BudgetItem] = {}
        self.keys: set[str] = set()

    def read(self, section: _Section) -> None:
        last_row = section.rows[-1] if section.rows else section.header
        mode = None
        for number in range(last_row + 1, section.end + 1):
            line = self.source.lines[number - 1].strip()
            if ACTIVITY_HEADING_RE.match(line):
                mode = "activity"
            elif BUDGET_HEADING_RE.match(line):
                mode = "budget"
            elif OTHER_HEADING_RE.match(line):
                mode = None
            elif mode == "activity" and (bullet := BULLET_RE.match(line)):
                self.activity(number, collapse(bullet.group(1)), section.notation)
            elif mode == "activity" and (funded := FUNDED_OFFER_RE.search(line)):
                self.funded_offer(number, collapse(line), funded, section.notation)
            elif mode == "budget" and (proposal := BUDGET_RE.match(line)):
                code = proposal.group(1) + proposal.group(2)
                self.budget(number, code, collapse(proposal.group(3)), section.notation)

    def activity(self, number: int, text: str, benchmark: str) -> None:
        label, description = split_title(text)
        period_text, start, end = _period(text)
        self.initiatives.append(
            Initiative(
                key=unique(slug(label, KEY_LENGTH), self.keys),
                label=label,
                span=self.source.span(number, number),
                goals=[benchmark],
                description=description,
                period_text=period_text,
                start_year=start,
                end_year=end,
            )
        )

    def funded_offer(self, number: int, text: str, match: re.Match[str], benchmark: str) -> None:
        """An offer the department got money to set up, told in prose, not as a bullet.

        "Forvaltningen fik i forbindelse med budget 2013 midler til etablering af en
        økonomisk rådgivning med 3 årsværk i regi af Socialcenter København."
        """
        offer = match.group("offer")
        label = offer[:1].upper() + offer[1:]
        sentence = text[text.rfind(". ", 0, match.start()) + 1 : match.end()].strip()
        group = TARGET_GROUP_RE.search(text)
        self.initiatives.append(
            Initiative(
                key=unique(slug(label, KEY_LENGTH), self.keys),
                label=label,
                span=self.source.span(number, number),
                goals=[benchmark],
                description=text,
                responsible=[match.group("unit")] if match.group("unit") else [],
                target_group=group.group("group") if group else None,
                financing_text=sentence,
                financing="funded",
            )
        )

    def budget(self, number: int, code: str, text: str, benchmark: str) -> None:
        item = self.budget_items.get(code)
        if item is None:
            label, description = split_title(text)
            year = danish.BUDGET_YEAR.search(text)
            item = BudgetItem(
                key=code,
                label=label,
                span=self.source.span(number, number),
                code=code,
                budget_year=int(year.group(1)) if year else None,
                description=description,
            )
            self.budget_items[code] = item
        if benchmark not in item.supports:
            item.supports.append(benchmark)


def _signals(source: SourceText) -> list[Signal]:
    """The benchmark status column, the delmål tables and the fixed section headings."""
    text = source.text
    return [
        (0.4, "Samlet pejlemærkestatus" in text, 1),
        (0.3, bool(re.search(r"Baseline \(\d{4}\)\tStatus \(\d{4}\)", text)), 1),
        (0.15, "Aktiviteter der skal understøtte pejlemærket" in text, 1),
        (0.15, "Følgende budgetforslag vil understøtte" in text, 1),
    ]


def _read(source: SourceText) -> ImportResult:
    """Benchmarks from the overview; delmål, activities and budget items per section."""
    document = _document(source.lines)
    goals = _overview_goals(source, document.publisher)
    sections = _sections(source.lines)
    notes = _footnotes(source.lines, sections)
    indicators: list[Indicator] = []
    supporters = _Supporters(source)
    for section in sections:
        goal = goals.get(section.notation)
        if goal is None:
            goal = Goal(
                key=section.notation,
                label=section.label,
                span=source.span(section.heading, section.heading),
                kind="benchmark",
                notation=section.notation,
                responsible=list(document.publisher),
            )
            goals[section.notation] = goal
        for note in (notes.get(number, number) for number in section.notes):
            if note not in goal.remarks:
                goal.remarks.append(note)
        indicators += _indicators(source, section, notes)
        supporters.read(section)
    return ImportResult(
        importer=NAME,
        document=document,
        goals=sorted(goals.values(), key=lambda goal: int(goal.key)),
        initiatives=supporters.initiatives,
        indicators=indicators,
        budget_items=list(supporters.budget_items.values()),
    )


IMPORTER = LayoutImporter(
    NAME,
    "Socialudvalgets politiske pejlemærker 2014-2017, status 2014: nine benchmarks with "
    "scores, delmål with baseline/status/target, activities and budget proposals",
    _signals,
    _read,
)
