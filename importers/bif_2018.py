"""Importer for BIF's action plan under the Handicappolitik 2018-22 (June 2018).

Beskæftigelses- og Integrationsforvaltningen (BIF) lists its activities per theme
("Tema 1 – Det gode liv") and målsætning ('Målsætning: ”…”'). Under every
målsætning a Markdown table Aktivitet | Formål | Periode holds one activity per
row; the cells still carry HTML from the conversion (``<p>``, ``<ul>``, ``<ol>``)
and "•" bullets. Theme headings repeat at page tops, and a målsætning continued
on a new page is repeated with "(fortsat)" (sometimes spelled differently), so
both are read once. A closing "Midtvejsstatus" section only plans a mid-term
status of the whole plan in mid 2020: a status never reported is no fact, so no
initiative gets one from it.

Financing: an activity whose text makes it depend on money being set aside at
the budget negotiations ("afhænger … af, om der afsættes midler ved
budgetforhandlingerne", "forudsætter, at der afsættes midler …") is unfunded,
with that sentence as its financing text.
"""

from __future__ import annotations

import re

from . import danish
from .base import LayoutImporter, Signal
from .danish import YEAR, full_year
from .records import Document, Goal, ImportResult, Initiative
from .text import SourceText
from .textutil import collapse, first_sentence, label_text, sentences, slug, unique

NAME = "bif-indsatsplan-2018"
BIF = "BIF"
KIND = "action-plan"

THEME_RE = re.compile(r"^Tema\s+(\d+)\s*[–-]\s*(\S.*?)\s*$")
GOAL_RE = re.compile(r"^Målsætning:\s*(.*?)\s*$")
CONTINUED = "(fortsat)"
TABLE_HEADER_RE = re.compile(r"^\|\s*Aktivitet\s*\|\s*Formål")
TABLE_SEPARATOR_RE = re.compile(r"^\|[\s|:-]*$")
# Money still to be set aside at the budget negotiations: the activity is not funded yet.
UNFUNDED_RE = re.compile(r"\bafsættes midler ved budgetforhandlingerne\b")

TITLE_YEARS_RE = re.compile(rf"\b({YEAR})\s*[-–]\s*(\d{{2}}|\d{{4}})\b")
PUBLISHER_RE = re.compile(r"^(.+?forvaltning)ens\b")
POLICY_RE = re.compile(rf"\bHandicappolitik\w*\s+({YEAR})\s*[-–]\s*(\d{{2}}|\d{{4}})\b")

# Periode cells: "September 2018 – september 2019", "til ultimo 2019", "frem til 2020".
PERIOD_RANGE_RE = re.compile(rf"\b({YEAR})\s*[–-]\s*(?:[a-zæøå]+\s+)?({YEAR}|\d{{2}})\b")
PERIOD_END_RE = re.compile(rf"\btil\s+(?:ultimo\s+|primo\s+|medio\s+|udgangen af\s+)?({YEAR})\b")

# HTML in cells: block tags separate paragraphs, <li> and "•" open list items.
ITEM_TAG_RE = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(?:p|ul|ol|li|div|br)\b[^>]*>", re.IGNORECASE)
ANY_TAG_RE = re.compile(r"<[^>]+>")
PARAGRAPH, ITEM = "\x00P", "\x00I"
PIECE_SPLIT_RE = re.compile("(\x00[PI])")

# Organisations the plan names. BIF itself is always responsible; its units join it.
SELF_RE = re.compile(r"\bBIF\b|Beskæftigelses- og Integrationsforvaltningen")
BIF_UNITS = (
    "Jobcenter København",
    "Københavns Erhvervshus",
    "Erhvervshuset",
    "Specialindsats Handicap",
    "Job- og beskæftigelsescentrene",
)
DEPARTMENT_RE = re.compile(
    r"\b(?:[A-ZÆØÅ][a-zæøå]+- og )?[A-ZÆØÅ][a-zæøå]*forvaltningen\b(?:\s*\((?P<abbr>[A-ZÆØ]{3})\))?"
)
ABBREVIATION_RE = re.compile(r"\b(?:SOF|SUF|BUF|ØKF|TMF|KFF)\b")
POLITICAL_RE = re.compile(
    r"\bBorgerrepræsentationen\b|\b(?:[A-ZÆØÅ][a-zæøå]+- og )?[A-ZÆØÅ][a-zæøå]*udvalget\b"
)
OTHER_UNITS = ("Hjerneskadesamrådet", "Rygcentret", "Sundhedshus Nørrebro")
PARTNER_RES = (
    re.compile(r"\bGod [Aa]dgang\b"),
    re.compile(r"\b((?:[A-ZÆØÅ][\w.]*\s+)+Fonden)s?\b"),
)


# Keys are labels of up to 80 characters: the plan's labels are whole sentences.
KEY_LENGTH = 80


def _strip_quotes(text: str) -> str:
    text = text.replace(CONTINUED, "").strip()
    return text.strip("\"”“„' ").strip()


# ---------------------------------------------------------------- cells


def cell_pieces(cell: str) -> list[tuple[str, str]]:
    """The paragraphs and list items of a table cell, HTML and bullets removed."""
    marked = ITEM_TAG_RE.sub(ITEM, cell)
    marked = BLOCK_TAG_RE.sub(PARAGRAPH, marked).replace("•", ITEM)
    marked = ANY_TAG_RE.sub(" ", marked)
    pieces: list[tuple[str, str]] = []
    kind = "para"
    for chunk in PIECE_SPLIT_RE.split(marked):
        if chunk in (PARAGRAPH, ITEM):
            kind = "item" if chunk == ITEM else "para"
            continue
        text = collapse(chunk)
        if text:
            pieces.append((kind, text))
    return pieces


def render(pieces: list[tuple[str, str]]) -> str | None:
    """Pieces as one line of text; consecutive list items are joined by "; "."""
    out = ""
    previous = None
    for kind, text in pieces:
        if not out:
            out = text
        elif kind == "item" and previous == "item":
            out = re.sub(r"\.$", "", out) + "; " + text
        else:
            out = f"{out} {text}"
        previous = kind
    return out or None


def split_title(cell: str) -> tuple[str | None, str | None]:
    """The Aktivitet cell as (title, rest): its first sentence and everything after it."""
    pieces = cell_pieces(cell)
    if not pieces:
        return None, None
    kind, text = pieces[0]
    title, rest = first_sentence(text)
    remainder = ([(kind, rest)] if rest else []) + pieces[1:]
    return label_text(title), render(remainder)


def period_years(text: str | None) -> tuple[int | None, int | None]:
    """Start and end years when the Periode cell states them; None where it does not."""
    if not text:
        return None, None
    span = PERIOD_RANGE_RE.search(text)
    if span:
        return int(span.group(1)), full_year(span.group(1), span.group(2))
    until = PERIOD_END_RE.search(text)
    if until:
        return None, int(until.group(1))
    return None, None


# ---------------------------------------------------------------- organisations


def _add(found: list[str], name: str) -> None:
    if name.casefold() not in {known.casefold() for known in found}:
        found.append(name)


def _named(text: str, names: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(match.start(), name) for name in names for match in re.finditer(re.escape(name), text)]


def responsible_units(text: str) -> list[str]:
    """BIF followed by the BIF units named, in order of first mention."""
    found = [BIF]
    for _, name in sorted(_named(text, BIF_UNITS)):
        _add(found, name)
    return found


def involved_organisations(text: str) -> list[str]:
    """Other departments (name or bare code), political bodies and units named."""
    mentions: list[tuple[int, str]] = []
    spelled_out: set[str] = set()
    for match in DEPARTMENT_RE.finditer(text):
        name = match.group(0).split("(")[0].strip()
        if SELF_RE.fullmatch(name):
            continue
        mentions.append((match.start(), name))
        if match.group("abbr"):
            spelled_out.add(match.group("abbr"))
    for match in ABBREVIATION_RE.finditer(text):
        if match.group(0) not in spelled_out:
            mentions.append((match.start(), match.group(0)))
    mentions += [(match.start(), match.group(0)) for match in POLITICAL_RE.finditer(text)]
    mentions += _named(text, OTHER_UNITS)
    found: list[str] = []
    for _, name in sorted(mentions):
        _add(found, name)
    return found


def partner_organisations(text: str) -> list[str]:
    """External organisations named (associations, foundations)."""
    mentions: list[tuple[int, str]] = []
    for pattern in PARTNER_RES:
        for match in pattern.finditer(text):
            mentions.append((match.start(), match.group(match.lastindex or 0)))
    found: list[str] = []
    for _, name in sorted(mentions):
        _add(found, name)
    return found


# ---------------------------------------------------------------- document structure


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row (always three; missing cells are empty)."""
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return (cells + ["", "", ""])[:3]


def _document(lines: tuple[str, ...]) -> Document:
    """Title, date line and period from the first lines of the plan."""
    texts = [line.strip() for line in lines if line.strip()]
    title = texts[0] if texts else ""
    year = danish.date_line_year(texts)
    years = TITLE_YEARS_RE.search(title)
    publisher = PUBLISHER_RE.match(title)
    policy = POLICY_RE.search(title)
    return Document(
        title=title,
        kind=KIND,
        publisher=[publisher.group(1) + "en"] if publisher else [],
        year=year,
        start_year=int(years.group(1)) if years else None,
        end_year=full_year(years.group(1), years.group(2)) if years else None,
        policy=(
            f"Handicappolitik {policy.group(1)}-{full_year(policy.group(1), policy.group(2))}"
            if policy
            else None
        ),
    )


def _financing(*texts: str | None) -> tuple[str | None, str | None]:
    """The sentence that makes an activity wait for money, and "unfunded", if there is one."""
    found = [
        sentence
        for text in texts
        if text
        for sentence in sentences(text)
        if UNFUNDED_RE.search(sentence)
    ]
    return (" ".join(found), "unfunded") if found else (None, None)


class _Reader:
    """Walks the lines once, keeping the current theme and målsætning."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.goals: dict[str, Goal] = {}
        self.initiatives: list[Initiative] = []
        self.keys: set[str] = set()
        self.theme: str | None = None
        self.goal: str | None = None

    def read(self) -> None:
        in_table = False
        for number, line in enumerate(self.source.lines, 1):
            stripped = line.strip()
            if TABLE_HEADER_RE.match(stripped):
                in_table = True
            elif in_table and stripped.startswith("|"):
                if not TABLE_SEPARATOR_RE.match(stripped):
                    self.row(number, stripped)
            else:
                in_table = False
                self.heading(number, stripped)

    def heading(self, number: int, line: str) -> None:
        theme = THEME_RE.match(line)
        if theme:
            self.theme = theme.group(1)
            if self.theme not in self.goals:
                self.goals[self.theme] = Goal(
                    key=self.theme,
                    label=collapse(theme.group(2)),
                    span=self.source.span(number, number),
                    kind="theme",
                    notation=self.theme,
                )
            return
        goal = GOAL_RE.match(line)
        if not goal:
            return
        if CONTINUED in goal.group(1) and self.goal is not None:
            return  # the same målsætning, repeated at the top of a new page
        label = collapse(_strip_quotes(goal.group(1)))
        key = slug(label, KEY_LENGTH)
        if key not in self.goals:
            self.goals[key] = Goal(
                key=key,
                label=label,
                span=self.source.span(number, number),
                kind="goal",
                parent=self.theme,
            )
        self.goal = key

    def row(self, number: int, line: str) -> None:
        activity, purpose_cell, period_cell = _cells(line)
        label, description = split_title(activity)
        if not label:
            return
        purpose = render(cell_pieces(purpose_cell))
        period = render(cell_pieces(period_cell))
        start, end = period_years(period)
        everything = " ".join(filter(None, (label, description, purpose, period)))
        financing_text, financing = _financing(label, description)
        supported = self.goal or self.theme
        self.initiatives.append(
            Initiative(
                key=unique(slug(label, KEY_LENGTH), self.keys),
                label=label,
                span=self.source.span(number, number),
                goals=[supported] if supported else [],
                description=description,
                purpose=purpose,
                responsible=responsible_units(everything),
                involved=involved_organisations(everything),
                partners=partner_organisations(everything),
                period_text=period,
                start_year=start,
                end_year=end,
                financing_text=financing_text,
                financing=financing,
            )
        )


def _signals(source: SourceText) -> list[Signal]:
    """The Aktivitet | Formål table header, målsætning lines, themes and BIF's name."""
    lines = [line.strip() for line in source.lines]
    return [
        (0.5, any(TABLE_HEADER_RE.match(line) for line in lines), 1),
        (0.2, any(GOAL_RE.match(line) for line in lines), 1),
        (0.15, any(THEME_RE.match(line) for line in lines), 1),
        (0.15, "Beskæftigelses- og Integrationsforvaltning" in source.text, 1),
    ]


def _read(source: SourceText) -> ImportResult:
    """Themes and målsætninger as Goals, one Initiative per table row."""
    reader = _Reader(source)
    reader.read()
    return ImportResult(
        importer=NAME,
        document=_document(source.lines),
        goals=list(reader.goals.values()),
        initiatives=reader.initiatives,
    )


IMPORTER = LayoutImporter(
    NAME,
    "Beskæftigelses- og Integrationsforvaltningens indsatsplan 2018-22: themes, "
    "målsætninger and Markdown tables Aktivitet / Formål / Periode with HTML in the cells",
    _signals,
    _read,
)
