"""Facts named in running text, whatever the layout: dates, periods, departments,
budget codes, case numbers, legal references, amounts and indicators.

Committee cases, budget notes and news name these in prose rather than in a
structure, so they are read paragraph by paragraph, each with the lines it
stands on. Each reading has a confidence: a pattern that can only mean one
thing (a date, "mio. kr.") is surer than one that may be something else (a
code-like word outside any budget context).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from . import danish
from .records import Amount, ImportResult, ImportWarning, Indicator, Measurement, Mention
from .text import SourceText
from .textutil import collapse

CODES = r"SOF|BUF|BIF|SUF|TMF|ØKF|KFF"
DEPARTMENT = re.compile(
    r"(?<![\wÆØÅæøå-])(?P<name>"
    r"(?:[A-ZÆØÅ][a-zæøå]+-(?:,\s*[A-ZÆØÅa-zæøå][a-zæøå]+-)*\s+og\s+[a-zæøåA-ZÆØÅ][a-zæøå]*"
    r"|[A-ZÆØÅ][a-zæøå]*)forvaltning(?:en)?"
    r"|[A-ZÆØÅ][a-zæøå]+-\s+og\s+[A-ZÆØÅa-zæøå][a-zæøå]+området"
    r"|Borgercenter\s+[A-ZÆØÅ][a-zæøå]+"
    # Other municipalities' administrations: "Center for Handicap og Psykiatri".
    r"|Center\s+for\s+[A-ZÆØÅ][a-zæøå]+(?:(?:,\s*|\s+og\s+)[A-ZÆØÅ][a-zæøå]+)*"
    r"|[A-ZÆØÅ][a-zæøå]{3,}afdeling(?:en)?"
    rf"|(?-i:{CODES}))"
    r"(?:s|'s)?(?![\wÆØÅæøå])"
)
NOT_A_DEPARTMENT = {"forvaltning", "forvaltningen"}
BUDGET_CODE = re.compile(
    r"(?<![\wÆØÅæøå-])(?P<code>[A-ZÆØÅ]{1,3}-?\d{2,3}[a-z]?)(?![\wÆØÅæøå-])"
    r"(?:\s*\((?P<year>(?:19|20)\d{2})\))?"
)
BUDGET_CONTEXT = re.compile(r"budget|bevilling|forslag|mio\.|kr\.|investering|anlæg|drift", re.I)
CASE_NUMBER = re.compile(r"(?<![\d-])(?P<case>(?:19|20)\d{2}-\d{5,8})(?![\d-])")
# Other forms after their label: "Sagsnr.: 25/4471", "J.nr. U51/99", "Sagsnummer 27.12.00-P20-1-24".
LABELLED_CASE_NUMBER = re.compile(
    r"\b(?:sagsnr|sagsnummer|j\.\s?nr|journalnr)\.?\s*:?\s*(?P<case>[A-ZÆØÅ]{0,3}\d[\w./-]*\d)",
    re.I,
)
# The municipal chart of accounts: "konto 5.38.50", "funktion 5.32.32".
ACCOUNT = re.compile(
    r"\b(?:konto|kontonr\.?|funktion|hovedkonto|ramme)\s+(?P<code>\d\.\d{2}\.\d{2}(?:\.\d{2})?)\b",
    re.I,
)
LEGAL = re.compile(
    r"(?P<ref>(?P<law>[A-ZÆØÅa-zæøå-]+lovens|lov om [a-zæøå ]{3,60}?)\s+§{1,2}\s*"
    r"(?P<para>\d+(?:\s?[a-z](?![a-zæøå]))?(?:\s*,\s*stk\.\s*\d+)?)"
    r"|§{1,2}\s*(?P<para2>\d+(?:\s?[a-z](?![a-zæøå]))?(?:\s*,\s*stk\.\s*\d+)?)\s+i\s+(?P<law2>[a-zæøå-]+loven|lov om [a-zæøå ]{3,60}?)\b)"
)
PERIOD = re.compile(rf"(?<![\d-])(?P<start>{danish.YEAR})\s*[-–]\s*(?P<end>{danish.YEAR})(?![\d-])")
INDICATOR = re.compile(
    r"(?P<direction>fald|stigning|reduktion|nedgang|øgning|forøgelse|forbedring)\s+(?:på\s+)?"
    r"(?:mindst\s+|ca\.\s+)?(?P<value>\d+(?:,\d+)?)\s*(?:%|pct\.?|procent(?:point)?)"
    r"(?P<rest>[^.;]{0,160})",
    re.I,
)
BASE_YEAR = re.compile(
    rf"(?:i forhold til|ift\.?|fra|sammenlignet med|end i)\s+(?:niveauet i\s+)?({danish.YEAR})",
    re.I,
)
TARGET_YEAR = re.compile(
    rf"(?:i|inden|senest i|frem mod|i løbet af|by|til)\s+(?:udgangen af\s+)?({danish.YEAR})", re.I
)
WEEKDAY = r"(?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)"
# "kl. 15.00", or on the next line "Tidspunkt: 16:00"
TIME_AFTER = re.compile(
    r"^[,\s]*(?:(?:møde)?tidspunkt\s*:?\s*)?(?:kl\.?\s*)?\d{1,2}[:.]\d{2}", re.I
)
MEETING_LABEL = re.compile(r"(?:mødedato|møde(?:t)?\s+den|starttidspunkt|dato)\s*:?\s*$", re.I)
DECREASE = {"fald", "reduktion", "nedgang"}
PERCENT = r"(?:%|pct\.?|procent)"
# "Andelen … skal stige fra 61 % i 2024 til 70 % i 2027": a baseline and a target, each with its year.
INDICATOR_FROM_TO = re.compile(
    r"(?P<verb>stige|falde|øges|reduceres|nedbringes|hæves|forbedres|mindskes|nedsættes)\s+"
    rf"fra\s+(?P<base>\d+(?:,\d+)?)\s*{PERCENT}(?:\s+(?:i|i år)\s+(?P<base_year>{danish.YEAR}))?\s+"
    rf"til\s+(?P<target>\d+(?:,\d+)?)\s*{PERCENT}"
    rf"(?:\s+(?:i|inden|senest i|i løbet af)\s+(?:udgangen af\s+)?(?P<target_year>{danish.YEAR}))?",
    re.I,
)


@dataclass
class Facts:
    mentions: list[Mention]
    amounts: list[Amount]
    indicators: list[Indicator]
    warnings: list[ImportWarning]
    meeting_date: str | None


def paragraphs(source: SourceText) -> Iterator[tuple[int, int, str, list[int]]]:
    """Runs of non-blank lines: first line, last line, their text joined, and line starts.

    A fact may wrap onto the next line ("44,2" / "mio. kr."); reading by
    paragraph keeps it whole while the line starts find the line it begins on.
    """
    first, parts, starts, position = None, [], [], 0
    for number, line in enumerate([*source.lines, ""], 1):
        if line.strip():
            if first is None:
                first, parts, starts, position = number, [], [], 0
            starts.append(position)
            parts.append(line)
            position += len(line) + 1
        elif first is not None:
            yield first, number - 1, "\n".join(parts), starts
            first = None


def _line_at(first: int, starts: list[int], offset: int) -> int:
    line = first
    for n, start in enumerate(starts):
        if start <= offset:
            line = first + n
    return line


def read_facts(source: SourceText) -> Facts:
    """Every fact this module knows how to read in ``source``."""
    mentions: list[Mention] = []
    amounts: list[Amount] = []
    indicators: list[Indicator] = []
    warnings: list[ImportWarning] = []
    meeting: str | None = None
    seen_codes: set[str] = set()
    for first, _last, text, starts in paragraphs(source):

        def span_at(offset: int, length: int, first=first, starts=starts, text=text):  # noqa: ANN202
            a = _line_at(first, starts, offset)
            b = _line_at(first, starts, offset + max(length - 1, 0))
            return source.span(a, b)

        flat = text.replace("\n", " ")
        for iso, wording, offset in danish.dates(flat):
            mentions.append(
                Mention("date", wording, span_at(offset, len(wording)), iso, int(iso[:4]))
            )
            if meeting is None and _is_meeting_date(
                source, text, offset, len(wording), first, starts
            ):
                meeting = iso
        for m in PERIOD.finditer(flat):
            start, end = int(m["start"]), int(m["end"])
            if end < start:
                warnings.append(
                    ImportWarning(
                        _line_at(first, starts, m.start()), f"period runs backwards: {m.group(0)!r}"
                    )
                )
                continue
            mentions.append(
                Mention(
                    "period",
                    m.group(0),
                    span_at(m.start(), len(m.group(0))),
                    f"{start}/{end}",
                    start,
                )
            )
        for m in DEPARTMENT.finditer(flat):
            name = collapse(m["name"])
            if name.lower() in NOT_A_DEPARTMENT:
                continue
            confidence = 0.95 if re.fullmatch(CODES, name) or "forvaltning" in name else 0.7
            mentions.append(
                Mention(
                    "department",
                    name,
                    span_at(m.start(), len(m.group(0))),
                    name,
                    confidence=confidence,
                )
            )
        for m in BUDGET_CODE.finditer(flat):
            code = m["code"]
            if re.fullmatch(CODES, code):
                continue
            context = flat[max(0, m.start() - 120) : m.end() + 120]
            confidence = 0.9 if m["year"] or BUDGET_CONTEXT.search(context) else 0.5
            mentions.append(
                Mention(
                    "budget-code",
                    m.group(0),
                    span_at(m.start(), len(m.group(0))),
                    code,
                    int(m["year"]) if m["year"] else None,
                    confidence,
                )
            )
            seen_codes.add(code)
        numbered = set()
        for m in CASE_NUMBER.finditer(flat):
            numbered.add(m["case"])
            mentions.append(
                Mention("case-number", m["case"], span_at(m.start(), len(m.group(0))), m["case"])
            )
        for m in LABELLED_CASE_NUMBER.finditer(flat):
            if m["case"] not in numbered and not danish.dates(m["case"]):
                numbered.add(m["case"])
                span = span_at(m.start("case"), len(m["case"]))
                mentions.append(Mention("case-number", m["case"], span, m["case"]))
        for m in ACCOUNT.finditer(flat):
            span = span_at(m.start("code"), len(m["code"]))
            mentions.append(Mention("budget-code", m.group(0), span, m["code"], None, 0.9))
        for m in LEGAL.finditer(flat):
            law = collapse(m["law"] or m["law2"])
            mentions.append(
                Mention(
                    "legal-reference", collapse(m["ref"]), span_at(m.start(), len(m.group(0))), law
                )
            )
        for amount, offset in danish.broad_amounts(flat):
            amount.span = span_at(offset, len(amount.text))
            problem = danish.implausible_amount(amount)
            if problem:
                warnings.append(ImportWarning(amount.span.first, problem))
                continue
            amounts.append(amount)
        for m in INDICATOR.finditer(flat):
            indicators.append(
                _indicator(m, span_at(m.start(), len(m.group(0))), len(indicators) + 1)
            )
        for m in INDICATOR_FROM_TO.finditer(flat):
            indicators.append(
                _from_to_indicator(m, span_at(m.start(), len(m.group(0))), len(indicators) + 1)
            )
    return Facts(mentions, amounts, indicators, warnings, meeting)


def _is_meeting_date(
    source: SourceText, text: str, offset: int, length: int, first: int, starts: list[int]
) -> bool:
    """A date labelled "Mødedato", or the first date followed by a time of day ("kl. 17:30")."""
    flat = text.replace("\n", " ")
    before = flat[max(0, offset - 30) : offset]
    if re.search(
        rf"mødedato\s*:?\s*(?:{WEEKDAY}\s+)?(?:den|d\.)?\s*$|møde(?:t)?\s+(?:{WEEKDAY}\s+)?(?:den|d\.)\s*$",
        before,
        re.I,
    ):
        return True
    # "Referat af mødet i Social- og Seniorudvalget d. 4. maj 2023" in a heading.
    if first <= 5 and re.search(
        r"\bmøde(?:t)?\s+i\s+[^.]{3,80}\s(?:den|d\.)\s*$", flat[max(0, offset - 100) : offset], re.I
    ):
        return True
    line = _line_at(first, starts, offset)
    previous = next(
        (
            source.lines[n - 1]
            for n in range(line - 1, max(0, line - 4), -1)
            if source.lines[n - 1].strip()
        ),
        "",
    )
    after = flat[offset + length :]
    return bool(TIME_AFTER.match(after)) and (
        bool(MEETING_LABEL.search(previous))
        or line <= 12
        or bool(re.search(r"\bden\s*$", before, re.I))
    )


def _indicator(match: re.Match[str], span, n: int) -> Indicator:  # noqa: ANN001
    """ "et fald på 10 % i forhold til 2019 … i 2025": a target change with its years."""
    value = danish.matched_number(match["value"])
    if match["direction"].lower() in DECREASE:
        value = -value
    rest = match["rest"]
    base = BASE_YEAR.search(rest)
    target = next(
        (int(t[1]) for t in TARGET_YEAR.finditer(rest) if not base or t[1] != base[1]), None
    )
    label = collapse(match.group(0)).rstrip(" ,")
    indicator = Indicator(f"text-indicator-{n}", label, span)
    indicator.measurements.append(Measurement("target", Decimal(value), "percent", label, target))
    indicator.baseline_year = int(base[1]) if base else None
    return indicator


def _from_to_indicator(match: re.Match[str], span, n: int) -> Indicator:  # noqa: ANN001
    """ "skal stige fra 61 % i 2024 til 70 % i 2027": a baseline and a target value."""
    label = collapse(match.group(0))
    indicator = Indicator(f"text-indicator-{n}", label, span)
    base_year = int(match["base_year"]) if match["base_year"] else None
    target_year = int(match["target_year"]) if match["target_year"] else None
    for kind, value, year in (
        ("baseline", match["base"], base_year),
        ("target", match["target"], target_year),
    ):
        number = Decimal(danish.matched_number(value))
        indicator.measurements.append(Measurement(kind, number, "percent", label, year))
    indicator.baseline_year = base_year
    return indicator


# -- what a document's facts add up to, for the build's report -------------------------

FACT_NAMES = {
    "budget-code": ("budget code", "budget codes"),
    "amount": ("amount", "amounts"),
    "department": ("department", "departments"),
    "date": ("date", "dates"),
    "period": ("period", "periods"),
    "case-number": ("case number", "case numbers"),
    "legal-reference": ("legal reference", "legal references"),
    "indicator": ("indicator", "indicators"),
    "proposal": ("indstilling point", "indstilling points"),
    "decision": ("decision", "decisions"),
}


@dataclass(frozen=True)
class FactCount:
    """How many facts of one kind a document named, and how sure their readings are on average.

    ``confidence`` is None for kinds whose every reading is certain by its form
    (an amount with "kr.", a numbered indstilling point), which carry none.
    """

    kind: str
    count: int
    confidence: float | None = None

    def __str__(self) -> str:
        one, many = FACT_NAMES.get(self.kind, (self.kind, self.kind))
        sure = f" ({self.confidence:.2f})" if self.confidence is not None else ""
        return f"{self.count} {one if self.count == 1 else many}{sure}"


def fact_counts(result: ImportResult) -> list[FactCount]:
    """The facts in ``result`` by kind, in the order of :data:`FACT_NAMES`, none left out."""
    by_kind: dict[str, list[float]] = {}
    for mention in result.mentions:
        by_kind.setdefault(mention.kind, []).append(mention.confidence)
    counts = [
        FactCount(kind, len(sure), round(sum(sure) / len(sure), 2))
        for kind, sure in by_kind.items()
    ]
    counts.append(FactCount("amount", len(result.amounts)))
    counts.append(FactCount("indicator", len(result.indicators)))
    for kind in ("proposal", "decision"):
        counts.append(FactCount(kind, sum(p.kind == kind for p in result.proposals)))
    order = list(FACT_NAMES)
    return sorted(
        (c for c in counts if c.count),
        key=lambda c: (order.index(c.kind) if c.kind in order else len(order), c.kind),
    )
