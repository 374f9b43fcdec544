"""Importer for the cross-department action plan of the disability policy, 2015.

The document ("Tværgående indsatsplan for handicappolitikken") lists 32 numbered
initiatives (``1.1.1`` … ``3.4.1``) grouped under three themes (``1.``, ``2.``,
``3.``) and their sections (``1.1 Bolig`` …). Every initiative sits on its own
page, whose header repeats the theme and section titles, followed by six fixed
fields: Hvilken målsætning … / Målgruppen for indsatsen / Beskrivelse af
initiativ / Ansvarlig forvaltning / Tidshorisont / Økonomiske konsekvenser.

The PDF extraction puts an empty line between wrapped lines and a line holding
only blanks between paragraphs; link annotations reappear as stray lines that
hold nothing but a URL, and long URLs are broken over two lines. This module
undoes those artefacts so that no page header or broken URL reaches a field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import danish
from .base import LayoutImporter, Signal
from .records import (
    Amount,
    CrossReference,
    Document,
    Goal,
    ImportResult,
    Indicator,
    Initiative,
    Measurement,
)
from .text import SourceText
from .textutil import collapse, dedupe, last_text_line, sentences

NAME = "tvaergaaende-2015"
TITLE = "Tværgående indsatsplan for handicappolitikken 2015"
YEAR = 2015

# The six field labels, normalised (lower case, single spaces), and the field each opens.
FIELD_LABELS = {
    "hvilken målsætning i handicappolitikken understøtter initiativet": "goal_text",
    "målgruppen for indsatsen": "target_group",
    "beskrivelse af initiativ": "description",
    "ansvarlig forvaltning": "responsible",
    "tidshorisont": "period",
    "økonomiske konsekvenser": "financing",
}
FIELD_INITIALS = frozenset(label[0] for label in FIELD_LABELS)
PREAMBLE = "preamble"  # prose between an initiative heading and its first field

INITIATIVE_RE = re.compile(r"^(\d\.\d{1,2}\.\d{1,2})\.?\s+([A-ZÆØÅ].*)$")
SECTION_RE = re.compile(r"^(\d\.\d{1,2})\.?\s+([A-ZÆØÅ].*)$")
THEME_RE = re.compile(r"^(\d)\.\s+([A-ZÆØÅ].*)$")
MAX_HEADING_LENGTH = 150

URL_RE = re.compile(r"(?:https?://|www\.)\S+")
LONE_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$")
# A URL cut by the line wrap ends in a character after which a URL cannot end.
BROKEN_URL_RE = re.compile(r"(?:https?://|www\.)\S*[-/_=?&]$")
URL_TRAILING_PUNCTUATION = ".,;:)"

START_WORDS_RE = re.compile(
    r"\b(?:fra|primo|opstartet|igangsat|etableret|iværksættes|idrifttages)\b", re.IGNORECASE
)
END_WORDS_RE = re.compile(r"\b(?:frem til|indtil|senest)\b", re.IGNORECASE)

AMOUNT_RE = re.compile(
    r"(?<![\d.,])(?P<number>\d+(?:[.,]\d+)*)\s*(?P<scale>mio\.|mia\.)?\s*kr\.?"
    rf"(?:\s+i\s+(?P<year>{danish.YEAR})\b)?"
)

BENCHMARK_RE = re.compile(
    r"Socialudvalgets\s+pejlemærker?\s+om,?\s+(?:at\s+)?(?P<target>.+?)"
    r"(?=,\s*jf\.|\.\s|\.?$)"
)
BENCHMARK_SPLIT_RE = re.compile(r"\s+og,\s+at\s+")
SPOR_RE = re.compile(r"\bspor\s+(\d+)\b")
# Every such boundary ends a sentence here, even after an abbreviation ("ift. Handicap…"):
# the importer has always read it so, and its cross-references must stay the same.
SENTENCE_END_RE = re.compile(r"[.!?]\s+(?=[A-ZÆØÅ])")

# A counted output the initiative is to establish: "etablering af 9 grupper med basispladser",
# "etableres 100 klubpladser", "at etablere 100 specialklubpladser".
OUTPUT_RE = re.compile(
    r"\b(?:etablering af|at etablere|etableres)\s+(?P<count>\d{1,3}(?:\.\d{3})*)\s+"
    r"(?P<what>[a-zæøå]+(?:\s+med\s+[a-zæøå]+)?)"
)
DEPARTMENT_RE = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+(?:-\s+[Oo]g\s+[A-ZÆØÅ][a-zæøå]*?)?forvaltningen\b")
ORGANISATION_SPLIT_RE = re.compile(r"(?<!-)\s+og\s+")
COORDINATOR_RE = re.compile(r"\bmed\s+(?P<coordinator>.+?)\s+som\s+tovholder\b")

# Financing classes, tried in this order; the first whose test holds wins.
NOT_RELEVANT_RE = re.compile(
    r"^(?:ingen|ikke relevant)\b|ingen økonomiske konsekvenser", re.IGNORECASE
)
PARTLY_FUNDED_RE = re.compile(r"delvis[t]? finansieret", re.IGNORECASE)
MISSING_FUNDS_RE = re.compile(r"mangler at blive finansieret", re.IGNORECASE)
UNFUNDED_RE = re.compile(
    r"ikke (?:er )?finansieret|søges finansieret|uafklaret|ikke afklaret|budgetforslag"
    r"|mangler at blive finansieret",
    re.IGNORECASE,
)
FUNDED_RE = re.compile(
    r"\ber finansieret|\bfinansierede\b|\bfinansieres af\b|\bbevilget\b"
    r"|\bafsat\b.{0,60}?(?:midler|kr\.)",
    re.IGNORECASE,
)
EXISTING_BUDGET_RE = re.compile(
    r"inden\s?for\b[^.]*\b(?:ramme|rammen|bevilling)|eksisterende\s+(?:\w+\s+)?"
    r"(?:bevilling|ramme)|budgetmidler",
    re.IGNORECASE,
)


@dataclass
class _Heading:
    """An initiative heading and the page-header lines printed above it."""

    line: int
    notation: str
    label: str
    header_start: int
    header_lines: list[int] = field(default_factory=list)


@dataclass
class _Body:
    """The paragraphs of an initiative, grouped by the field they belong to."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        """A field as one line of text, or None when the field is absent or empty."""
        return " ".join(self.fields.get(name, [])) or None


def _field_name(line: str) -> str | None:
    """The field a label line opens, if the line is one of the six labels.

    Asked of every line, twice (recognising, then reading), so a line whose
    first letter starts no label is passed over without normalising it.
    """
    if line.lstrip()[:1].lower() not in FIELD_INITIALS:
        return None
    return FIELD_LABELS.get(collapse(line).lower().rstrip(":"))


def _heading_match(pattern: re.Pattern[str], line: str) -> re.Match[str] | None:
    """Match a heading pattern; long lines are prose that happens to start with a number.

    Every heading pattern starts with a digit, so other lines are passed over at once.
    """
    if not line.lstrip()[:1].isdecimal():
        return None
    text = collapse(line)
    if len(text) > MAX_HEADING_LENGTH:
        return None
    return pattern.match(text)


def _is_page_header(line: str) -> bool:
    return bool(_heading_match(SECTION_RE, line) or _heading_match(THEME_RE, line))


def _find_headings(lines: tuple[str, ...]) -> list[_Heading]:
    """Every initiative heading with the block of page-header lines just above it.

    Page headers are only recognised directly above an initiative heading, so a
    sentence that starts with "1. januar" in a description is never one.
    """
    headings: list[_Heading] = []
    seen: set[str] = set()
    previous = 0
    for number, line in enumerate(lines, start=1):
        match = _heading_match(INITIATIVE_RE, line)
        if not match or match.group(1) in seen:
            continue
        seen.add(match.group(1))
        header_lines: list[int] = []
        index = number - 1
        while index > previous and (
            not lines[index - 1].strip() or _is_page_header(lines[index - 1])
        ):
            if lines[index - 1].strip():
                header_lines.insert(0, index)
            index -= 1
        start = header_lines[0] if header_lines else number
        headings.append(_Heading(number, match.group(1), match.group(2), start, header_lines))
        previous = number
    return headings


def _url_token(token: str) -> str:
    return token.rstrip(URL_TRAILING_PUNCTUATION)


def _artefact_url_lines(lines: tuple[str, ...]) -> set[int]:
    """Lines holding only a URL already printed above: stray PDF link annotations.

    A URL broken over two lines is first joined, so the annotation that repeats
    it whole is recognised too.
    """
    first_seen: dict[str, int] = {}
    artefacts: set[int] = set()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        for match in URL_RE.finditer(stripped):
            url = _url_token(match.group(0))
            if BROKEN_URL_RE.search(url) and match.end() == len(stripped):
                url += _continuation(lines, number)
            if LONE_URL_RE.match(stripped) and first_seen.get(url, number) < number:
                artefacts.add(number)
            first_seen.setdefault(url, number)
    return artefacts


def _noise_lines(lines: tuple[str, ...], headings: list[_Heading]) -> set[int]:
    """Lines no field may hold: stray URLs and page headers repeated inside an initiative.

    A page break inside an initiative would reprint the theme and section titles
    in the middle of its text; any line equal to a known page header is dropped.
    """
    headers = {
        collapse(lines[number - 1]) for heading in headings for number in heading.header_lines
    }
    repeated = {number for number, line in enumerate(lines, start=1) if collapse(line) in headers}
    return _artefact_url_lines(lines) | repeated


def _continuation(lines: tuple[str, ...], number: int) -> str:
    """The first token of the next line with text, which continues a broken URL."""
    for following in lines[number:]:
        if following.strip():
            return _url_token(following.split()[0])
    return ""


def _join(text: str, piece: str) -> str:
    """Append a wrapped line, gluing the two halves of a URL broken by the wrap."""
    if not text:
        return piece
    if BROKEN_URL_RE.search(text):
        return text + piece
    return f"{text} {piece}"


def _read_body(source: SourceText, first: int, last: int, skip: set[int]) -> _Body:
    """Group the lines ``first``..``last`` into fields and paragraphs.

    Empty lines only separate wrapped lines; a line of blanks ends a paragraph.
    """
    body = _Body()
    current = PREAMBLE
    paragraph = ""

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            body.fields.setdefault(current, []).append(paragraph)
            body.paragraphs.append(paragraph)
        paragraph = ""

    for number in range(first, last + 1):
        line = source.lines[number - 1]
        name = _field_name(line)
        if name:
            flush()
            current = name
        elif not line:
            continue
        elif not line.strip():
            flush()
        elif number not in skip:
            paragraph = _join(paragraph, collapse(line))
    flush()
    return body


def _split_organisations(text: str) -> list[str]:
    """Split "A, B og C" into mentions, keeping "Sundheds- og Omsorgsforvaltningen" whole.

    "X i samarbejde med … med Y som tovholder" names X and the coordinator Y.
    """
    text = collapse(text).rstrip(".").strip()
    lead, together, rest = text.partition(" i samarbejde med ")
    if together:
        coordinator = COORDINATOR_RE.search(rest)
        mentions = [lead] + ([coordinator.group("coordinator")] if coordinator else [])
        return [mention.strip() for mention in mentions if mention.strip()]
    return [
        part.strip()
        for chunk in text.split(",")
        for part in ORGANISATION_SPLIT_RE.split(chunk)
        if part.strip()
    ]


def _departments_named(text: str) -> list[str]:
    """Department names in prose, for initiatives that have no "Ansvarlig forvaltning"."""
    return dedupe(match.group(0) for match in DEPARTMENT_RE.finditer(text))


def _period_years(text: str | None) -> tuple[int | None, int | None]:
    """Start and end year of a Tidshorisont.

    An explicit range ("2015-2018", "2015 – 2016") wins. A single year is a start
    after words such as "fra", "igangsat", "etableret", an end after "frem til",
    else both. Several years give the earliest and the latest.
    """
    if not text:
        return None, None
    text = URL_RE.sub(" ", text)
    span = danish.FULL_YEAR_RANGE.search(text)
    if span:
        return int(span.group(1)), int(span.group(2))
    years = [int(year) for year in danish.SINGLE_YEAR.findall(text)]
    if not years:
        return None, None
    if len(years) > 1:
        return min(years), max(years)
    if END_WORDS_RE.search(text):
        return None, years[0]
    if START_WORDS_RE.search(text):
        return years[0], None
    return years[0], years[0]


def _financing_class(text: str | None) -> str | None:
    """Classify "Økonomiske konsekvenser"; the first rule that matches wins.

    1. not-relevant: "Ingen", "Ikke relevant", "ingen økonomiske konsekvenser".
    2. partly-funded: "delvist finansieret", or funded but "mangler at blive finansieret".
    3. unfunded: "ikke finansieret", "søges finansieret", "ikke afklaret", a budgetforslag,
       or a part missing with nothing funded.
    4. funded: "er finansieret", "afsat … midler/kr.", "bevilget", "finansieres af …".
    5. existing-budget: "inden for / indenfor … ramme", "eksisterende bevilling/ramme",
       an owner's "budgetmidler".
    Otherwise None (nothing said that can be classified).
    """
    if not text:
        return None
    if NOT_RELEVANT_RE.search(text):
        return "not-relevant"
    if PARTLY_FUNDED_RE.search(text) or (MISSING_FUNDS_RE.search(text) and FUNDED_RE.search(text)):
        return "partly-funded"
    if UNFUNDED_RE.search(text):
        return "unfunded"
    if FUNDED_RE.search(text):
        return "funded"
    if EXISTING_BUDGET_RE.search(text):
        return "existing-budget"
    return None


def _budget_year_before(paragraph: str, position: int) -> int | None:
    """The year of "budget YYYY" earlier in the same sentence as an amount."""
    sentence = (sentences(paragraph[:position], SENTENCE_END_RE, None) or [""])[-1]
    match = danish.BUDGET_YEAR.search(sentence)
    return int(match.group(1)) if match else None


def _amounts(paragraphs: list[str]) -> list[Amount]:
    """Every kroner amount; the year is "… kr. i 2014" or a "budget 2014" before it."""
    amounts: list[Amount] = []
    for paragraph in paragraphs:
        for match in AMOUNT_RE.finditer(paragraph):
            value = danish.signed_kroner(paragraph, match)
            if value is None:
                continue
            year = match.group("year")
            amounts.append(
                Amount(
                    value=value,
                    text=match.group(0).strip(),
                    year=int(year) if year else _budget_year_before(paragraph, match.start()),
                )
            )
    return danish.mark_breakdowns(amounts)


def _benchmarks(paragraph: str) -> list[CrossReference]:
    """ "Socialudvalgets pejlemærke om, at X" → X; "… om, at X og, at Y" → X and Y."""
    references: list[CrossReference] = []
    for match in BENCHMARK_RE.finditer(paragraph):
        for target in BENCHMARK_SPLIT_RE.split(match.group("target")):
            references.append(CrossReference("benchmark", target.strip(), match.group(0)))
    return references


def _boligplan_spor(paragraph: str) -> list[CrossReference]:
    """Every "spor N" in a sentence that names Socialforvaltningens Boligplan."""
    references: list[CrossReference] = []
    for sentence in sentences(paragraph, SENTENCE_END_RE, None):
        if "Boligplan" in sentence:
            for number in SPOR_RE.findall(sentence):
                references.append(CrossReference("boligplan-spor", number, sentence))
    return references


def _cross_references(paragraphs: list[str]) -> list[CrossReference]:
    """Benchmarks and Boligplan tracks, one reference per distinct (kind, target)."""
    found: dict[tuple[str, str], CrossReference] = {}
    for paragraph in paragraphs:
        for reference in _benchmarks(paragraph) + _boligplan_spor(paragraph):
            found.setdefault((reference.kind, reference.target), reference)
    return list(found.values())


class _GoalRegistry:
    """Themes and sections in order of first appearance: one Goal per title, not per page."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.goals: dict[str, Goal] = {}

    def add_header(self, number: int) -> None:
        """Register a page-header line; repeats of a known notation are ignored."""
        line = self.source.lines[number - 1]
        section = _heading_match(SECTION_RE, line)
        if section:
            self._add(section.group(1), section.group(2), number, "goal")
            return
        theme = _heading_match(THEME_RE, line)
        if theme:
            self._add(theme.group(1), theme.group(2), number, "theme")

    def section_for(self, heading: _Heading) -> str:
        """The section key of an initiative, derived from its own heading when never printed.

        "1.7.1 Kultur og fritid" has no "1.7" header; its label names the section.
        """
        key = heading.notation.rsplit(".", 1)[0]
        self._add(key, heading.label, heading.line, "goal")
        return key

    def _add(self, notation: str, label: str, number: int, kind: str) -> None:
        if notation in self.goals:
            return
        parent = notation.split(".")[0] if kind == "goal" else None
        self.goals[notation] = Goal(
            key=notation,
            label=collapse(label),
            span=self.source.span(number, number),
            kind=kind,
            notation=notation,
            parent=parent if parent in self.goals else None,
        )


def _initiative(
    source: SourceText, heading: _Heading, last: int, section: str, skip: set[int]
) -> Initiative:
    """One initiative from its heading line to the last text line of its page(s)."""
    body = _read_body(source, heading.line + 1, last, skip)
    preamble = body.text(PREAMBLE)
    responsible_text = body.text("responsible")
    if responsible_text:
        responsible = _split_organisations(responsible_text)
    else:
        responsible = _departments_named(preamble or "")
    period_text = body.text("period")
    start_year, end_year = _period_years(period_text)
    financing_text = body.text("financing")
    return Initiative(
        key=heading.notation,
        label=collapse(heading.label),
        span=source.span(heading.line, last),
        notation=heading.notation,
        goals=[section],
        description=body.text("description") or preamble,
        goal_text=body.text("goal_text"),
        target_group=body.text("target_group"),
        responsible=responsible,
        period_text=period_text,
        start_year=start_year,
        end_year=end_year,
        financing_text=financing_text,
        financing=_financing_class(financing_text),
        amounts=_amounts(body.paragraphs),
        cross_references=_cross_references(body.paragraphs),
    )


def _output_targets(source: SourceText, initiative: Initiative, skip: set[int]) -> list[Indicator]:
    """What an initiative is to establish, counted: "etablering af 9 grupper med basispladser".

    Each distinct number is one target (an ig:Indicator of the initiative with a
    Target measurement in units): "etableres 100 klubpladser" and "at etablere
    100 specialklubpladser" state the same hundred places. A need ("behov for at
    udvide med 250") is no target.
    """
    targets: dict[Decimal, Indicator] = {}
    for number in range(initiative.span.first, initiative.span.last + 1):
        if number in skip:
            continue
        for match in OUTPUT_RE.finditer(collapse(source.lines[number - 1])):
            value = danish.matched_number(match["count"])
            if value in targets:
                continue
            what = match["what"]
            targets[value] = Indicator(
                key=f"{initiative.key}-output-{len(targets) + 1}",
                label=f"Antal {what}",
                span=source.span(number, number),
                subject=initiative.key,
                measurements=[Measurement("target", value, "count", f"{match['count']} {what}")],
            )
    return list(targets.values())


def _signals(source: SourceText) -> list[Signal]:
    """Three of the fixed field labels and the X.Y.Z initiative headings."""
    fields = [_field_name(line) for line in source.lines]
    headings = sum(1 for line in source.lines if _heading_match(INITIATIVE_RE, line))
    return [
        (0.3, fields.count("goal_text"), 3),
        (0.25, fields.count("responsible"), 3),
        (0.25, fields.count("financing"), 3),
        (0.2, headings, 5),
    ]


def _read(source: SourceText) -> ImportResult:
    """Goals from the page headers, one Initiative per X.Y.Z heading."""
    lines = source.lines
    headings = _find_headings(lines)
    skip = _noise_lines(lines, headings)
    registry = _GoalRegistry(source)
    initiatives: list[Initiative] = []
    indicators: list[Indicator] = []
    for index, heading in enumerate(headings):
        for number in heading.header_lines:
            registry.add_header(number)
        section = registry.section_for(heading)
        following = headings[index + 1].header_start if index + 1 < len(headings) else None
        end = following - 1 if following is not None else len(lines)
        last = last_text_line(lines, heading.line, end)
        initiatives.append(_initiative(source, heading, last, section, skip))
        indicators += _output_targets(source, initiatives[-1], skip)
    return ImportResult(
        importer=NAME,
        document=Document(title=TITLE, kind="action-plan", year=YEAR),
        goals=list(registry.goals.values()),
        initiatives=initiatives,
        indicators=indicators,
    )


IMPORTER = LayoutImporter(
    NAME,
    "Tværgående indsatsplan for handicappolitikken 2015: 32 numbered initiatives "
    "(1.1.1 … 3.4.1) with fixed fields and repeated page headers",
    _signals,
    _read,
)
