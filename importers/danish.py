"""Danish number, amount, year and period wording, read the same way by every importer.

Plans write "1.000" for a thousand, "95,9" for a decimal, "44,2 mio. kr." for
millions and "2015-2018" or "1. april 2023 – 31. marts 2026" for periods. These
readings used to be one importer's business; they are shared so that a kroner
figure means the same in every document. Which words introduce an amount or a
period differs from layout to layout, so importers keep those patterns and
hand the matched parts to the functions here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .records import Amount
from .textutil import collapse

YEAR = r"(?:19|20)\d{2}"
MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
SCALES = {
    "mia": Decimal(1_000_000_000),
    "mio": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millioner": Decimal(1_000_000),
    "milliarder": Decimal(1_000_000_000),
    "t": Decimal(1000),
    "tusind": Decimal(1000),
    "": Decimal(1),
}
AMOUNT = re.compile(
    r"(?P<number>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?)\s*"
    r"(?:(?P<scale>mia|mio|millioner|million|tusind|t)\.?\s*)?"
    r"(?:kr\.?|kroner|DKK)(?![a-zæøå])"
    rf"(?:\s+(?:i|for|om året i|årligt i)\s+(?P<year>{YEAR}))?",
    re.IGNORECASE,
)
DATE_RANGE = re.compile(
    rf"(?:\d{{1,2}}\.\s*)?(?:{MONTHS})\s+(?P<start>{YEAR})\s*[–-]\s*"
    rf"(?:\d{{1,2}}\.\s*)?(?:{MONTHS})\s+(?P<end>{YEAR})",
    re.IGNORECASE,
)
YEAR_RANGE = re.compile(rf"\b(?P<start>{YEAR})\s*[–-]\s*(?P<end>{YEAR}|\d{{2}})(?![.\d])")
SINGLE_YEAR = re.compile(rf"\b(?P<year>{YEAR})\b")
# "2015-2018", "2015 – 2016": both years written out.
FULL_YEAR_RANGE = re.compile(rf"\b({YEAR})\s*[-–]\s*({YEAR})\b")
BUDGET_YEAR = re.compile(rf"\bbudget\s+({YEAR})\b", re.IGNORECASE)
# A line that only dates the document: "December 2023".
MONTH_YEAR_LINE = re.compile(rf"^(?:{MONTHS})\s+({YEAR})$", re.IGNORECASE)


def number(text: str) -> Decimal | None:
    """A Danish-formatted number: "1.000" → 1000, "95,9" → 95.9, "1.5" → 1.5.

    The comma is the decimal mark. Dots group thousands when they group three
    digits each or when the number also has a comma; any other dot is a
    decimal point, because some PDFs write "1.5 mio." in English style.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    grouped = re.fullmatch(r"[-−]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", text)
    if grouped or "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text.replace("−", "-"))
    except InvalidOperation:
        return None


def matched_number(text: str) -> Decimal:
    """``number`` for text that a pattern has already matched as a number ("87,7", "5.657")."""
    value = number(text)
    if value is None:
        raise ValueError(f"not a number: {text!r}")
    return value


def kroner(number_text: str, scale: str | None) -> Decimal | None:
    """A number and its scale word ("44,2", "mio.") in kroner; integral values lose decimals."""
    value = number(number_text)
    if value is None:
        return None
    total = value * SCALES[(scale or "").lower().rstrip(".")]
    return total.to_integral_value() if total == total.to_integral_value() else total


MINUS_BEFORE = re.compile(r"(?:(?<![\w.,])[-−]|(?<!\w)minus\s+)$", re.IGNORECASE)


def signed_kroner(text: str, match: re.Match[str]) -> Decimal | None:
    """The kroner of an amount ``match`` in ``text`` (groups ``number``, ``scale``), with its sign.

    A minus sign or "minus" just before the number is part of the amount: a
    saving of "-5.000.000 kr." must not become an expense. None when the number
    cannot be read or the amount is impossible (see :func:`value_warnings`,
    which names it with its line).
    """
    total = kroner(match["number"], match["scale"])
    if total is None or abs(total) > IMPOSSIBLE_KRONER:
        return None
    return -total if MINUS_BEFORE.search(text, 0, match.start()) else total


def amounts(text: str) -> list[Amount]:
    """Every kroner amount in ``text``, scaled to kroner and signed, with "i YYYY" as its year."""
    found = []
    for match in AMOUNT.finditer(text):
        total = signed_kroner(text, match)
        if total is None:
            continue
        year = int(match["year"]) if match["year"] else None
        found.append(Amount(total, collapse(match.group(0)), year))
    return mark_breakdowns(found)


def mark_breakdowns(found: list[Amount]) -> list[Amount]:
    """Mark the amounts that break down a total stated just before them.

    A plan states a total and then its split ("20,0 mio. kr. … 1,0 mio. kr. i
    2013 samt 12,0 mio. kr. i 2014 og 7,0 mio. kr. i 2015"). When two or more
    amounts that directly follow one sum exactly to it, they are its parts
    (``part_of`` is the total's index). A sum over the list then counts either
    the total or its parts, never both.
    """
    index = 0
    while index < len(found):
        total, running, end = found[index].value, Decimal(0), index + 1
        while end < len(found) and running < total:
            running += found[end].value
            end += 1
        if running == total and end - index > 2:
            for part in found[index + 1 : end]:
                part.part_of = index
            index = end
        else:
            index += 1
    return found


def full_year(start: int | str, end: str) -> int:
    """The end year of "2018-22" or "2018-2022" as a four-digit year."""
    return int(end) if len(end) == 4 else int(start) // 100 * 100 + int(end)


def year_range(
    text: str, patterns: tuple[re.Pattern[str], ...] = (DATE_RANGE, YEAR_RANGE)
) -> tuple[str, int, int] | None:
    """The first range (named groups ``start`` and ``end``) that runs forward in time.

    Patterns are tried in order, so a full date range wins over bare years.
    """
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            start = int(match["start"])
            end = full_year(start, match["end"])
            if end >= start:
                return match.group(0), start, end
    return None


def period(text: str) -> tuple[str | None, int | None, int | None]:
    """The wording of a period and its first and last year, if the text states one.

    A period written backwards ("2024-2023") keeps its wording but gets no
    years: turning it round would be a guess (:func:`value_warnings` names it).
    """
    found = year_range(text)
    if found:
        return found
    if reversed_periods(text):
        return text.strip(), None, None
    years = [int(m["year"]) for m in SINGLE_YEAR.finditer(text)]
    if years:
        return text.strip(), min(years), max(years)
    return None, None, None


def date_line_year(texts: list[str]) -> int | None:
    """The year of a "December 2023" line among the first five lines of text."""
    return next((int(m[1]) for text in texts[:5] if (m := MONTH_YEAR_LINE.match(text))), None)


# -- readings for documents of any layout (committee cases, notes, news) -------------

BROAD_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<sign>[-−](?=\d)|minus\s+)?"
    r"(?P<number>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    r"(?:\s*[-–]\s*(?P<upper>\d+(?:,\d+)?))?\s*"
    r"(?:(?P<scale>mia|mio|mill|millioner|million|milliarder|milliard|tusind|t)\.?"
    r"(?:\s*(?:kr\.?|kroner|DKK))?|(?:kr\.?|kroner|DKK))(?![a-zæøå])"
    rf"(?:\s*\((?P<paren>{YEAR})\)|(?:\s+(?:årligt|om året))?\s+(?:i|for|fra|om året i|årligt i)\s+"
    rf"(?:år\s+)?(?P<year>{YEAR})(?!\s*[-–]\s*\d))?",
    re.IGNORECASE,
)
# "DKK 1.200.000", "kr. 2,5 mio.": the currency written before the number.
CURRENCY_FIRST = re.compile(
    r"(?<![\w.])(?:kr\.|DKK)\s*(?P<number>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    # Not "(?![\d,])": on "DKK 1.750.000, som" it would back off to "1.750".
    r"(?:\s*(?P<scale>mia|mio|mill|millioner|million|milliarder|milliard)\.?)?(?!\d|[.,]\d)"
    rf"(?:\s+(?:i|for)\s+(?P<year>{YEAR})(?!\s*[-–]\s*\d))?",
    re.IGNORECASE,
)
# A table's unit, not an amount: "(1.000 kr., 2026-priser)", "i 1.000 kr.", "Mio. kr. (2025-pl)".
UNIT_DECLARATION = re.compile(
    r"1\.?000\s*kr\.?(?=\s*[,)]|\s+p/?l\b|\s*\(|\s*$|\s+(?:løbende|faste|\d{4}-)\s*(?:priser|pl)?)",
    re.IGNORECASE,
)
UNIT_BEFORE = re.compile(r"(?:\(|\b(?:i|beløb i|alle beløb i|tal i|opgjort i))\s*$", re.IGNORECASE)
BROAD_SCALES = {**SCALES, "mill": Decimal(1_000_000), "milliard": Decimal(1_000_000_000)}
IMPOSSIBLE_KRONER = Decimal(10) ** 12  # more than any Danish public budget, by far
SLASH_DATE = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})/(?P<m>\d{1,2})-(?P<y>(?:19|20)\d{2})(?!\d)")
NUMERIC_DATE = re.compile(
    r"(?<![\d.-])(?P<d>\d{1,2})[.-](?P<m>\d{1,2})[.-](?P<y>(?:19|20)\d{2})(?![\d])"
)
ISO_DATE = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
WORD_DATE = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\.\s*(?P<month>{MONTHS})\s+(?P<y>{YEAR})\b", re.I)
REVERSED_PERIOD = re.compile(rf"(?<![\d-])(?P<start>{YEAR})\s*[-–]\s*(?P<end>{YEAR})(?![\d-])")
DIGIT = re.compile(r"\d")


def broad_amounts(text: str) -> list[tuple[Amount, int]]:
    """Every kroner amount in ``text`` in every usual form, with its position.

    Besides "44,2 mio. kr." this reads "3,1 mill. kr. årligt", "12 millioner
    kroner", "1,5 mia. kr.", "7,5 millioner" and "65 mio." (news leave out the
    "kr."), a range "13-15 mio. kr." (its upper end), a sign ("-2,5 mio. kr."),
    and the year from "i 2025" or "(2025)". Amounts are rounded to whole
    kroner where they are whole.
    """
    found = []
    for match in BROAD_AMOUNT.finditer(text):
        if UNIT_DECLARATION.match(text, match.start()) and UNIT_BEFORE.search(
            text[: match.start()]
        ):
            continue  # "(1.000 kr., 2026-priser)" says what a table's numbers count in
        number_text = match["upper"] or match["number"]
        value = number(number_text)
        if value is None:
            continue
        scale = (match["scale"] or "").lower()
        if scale in ("t", "tusind") and not re.search(r"kr|DKK", match.group(0), re.I):
            continue  # "24 t" is hours or tonnes, not thousands of kroner
        total = value * BROAD_SCALES[scale]
        if match["sign"]:
            total = -total
        total = total.to_integral_value() if total == total.to_integral_value() else total
        year = match["year"] or match["paren"]
        found.append(
            (Amount(total, collapse(match.group(0)), int(year) if year else None), match.start())
        )
    taken = [(offset, offset + len(amount.text)) for amount, offset in found]
    for match in CURRENCY_FIRST.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue  # "kr. 2,5 mio." is already read as "2,5 mio."
        value = number(match["number"])
        if value is None:
            continue
        total = value * BROAD_SCALES[(match["scale"] or "").lower()]
        total = total.to_integral_value() if total == total.to_integral_value() else total
        year = int(match["year"]) if match["year"] else None
        found.append((Amount(total, collapse(match.group(0)), year), match.start()))
    return sorted(found, key=lambda f: f[1])


def implausible_amount(amount: Amount) -> str | None:
    """Why ``amount`` cannot be right, or None: over 10^12 kr. is a misreading."""
    if abs(amount.value) > IMPOSSIBLE_KRONER:
        return f"impossible amount {amount.text!r} ({amount.value:,.0f} kr.)"
    return None


def reversed_periods(text: str) -> list[str]:
    """Periods that run backwards ("2024-2023"), which no plan means."""
    return [m.group(0) for m in REVERSED_PERIOD.finditer(text) if int(m["end"]) < int(m["start"])]


def dates(text: str) -> list[tuple[str, str, int]]:
    """Every calendar date in ``text``: (ISO date, wording, position).

    Reads "04.05.2023", "15-08-2019", "2023-05-04", "4/5-2023" and "1. marts 2023";
    impossible dates (31.02.2023) are not dates.
    """
    from datetime import date

    found = []
    months = MONTHS.split("|")
    for pattern in (NUMERIC_DATE, SLASH_DATE, ISO_DATE, WORD_DATE):
        for m in pattern.finditer(text):
            month = (
                int(m["m"])
                if "month" not in m.groupdict()
                else months.index(m["month"].lower()) + 1
            )
            try:
                day = date(int(m["y"]), month, int(m["d"]))
            except ValueError:
                continue
            found.append((day.isoformat(), m.group(0), m.start()))
    return sorted(found, key=lambda f: f[2])


def value_warnings(lines: Iterable[str]) -> list[tuple[int, str]]:
    """(line number, problem) for each impossible amount and backwards period in ``lines``.

    Every importer runs this over the document it read, so what it cannot
    believe is named with its line whatever the layout. Both patterns are slow
    to try on a line of prose, so a line is only tried on the one that can
    match it: a period needs a digit and a dash, an amount a digit and "kr" or
    "DKK" (every letter the pattern's IGNORECASE takes for k, r or d lowers to it).
    """
    found = []
    for number, line in enumerate(lines, start=1):
        if not DIGIT.search(line):
            continue
        if "-" in line or "–" in line:
            for period_text in reversed_periods(line):
                found.append((number, f"period runs backwards: {period_text!r}"))
        lowered = line.lower()
        if "kr" not in lowered and "dkk" not in lowered:
            continue
        for match in AMOUNT.finditer(line):
            value = kroner(match["number"], match["scale"])
            if value is not None and abs(value) > IMPOSSIBLE_KRONER:
                found.append((number, f"impossible amount {collapse(match.group(0))!r}"))
    return found
