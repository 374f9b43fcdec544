"""Danish number, amount and period wording, read the same way by every importer.

Plans write "1.000" for a thousand, "95,9" for a decimal, "44,2 mio. kr." for
millions and "2015-2018" or "1. april 2023 – 31. marts 2026" for periods. These
readings used to be one importer's business; they are shared so that a kroner
figure means the same in every document.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .records import Amount

YEAR = r"(?:19|20)\d{2}"
MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
SCALES = {
    "mia": Decimal(1_000_000_000),
    "mio": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millioner": Decimal(1_000_000),
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


def number(text: str) -> Decimal | None:
    """A Danish-formatted number: "1.000" → 1000, "95,9" → 95.9, "1.5" → 1.5.

    A dot followed by exactly three digits groups thousands; any other dot is a
    decimal point, because some PDFs write "1.5 mio." in English style.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[-−]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text.replace("−", "-"))
    except InvalidOperation:
        return None


def amounts(text: str) -> list[Amount]:
    """Every kroner amount in ``text``, scaled to kroner, with "i YYYY" as its year."""
    found = []
    for match in AMOUNT.finditer(text):
        value = number(match["number"])
        if value is None:
            continue
        scale = SCALES[(match["scale"] or "").lower()]
        total = value * scale
        if total == total.to_integral_value():
            total = total.to_integral_value()
        year = int(match["year"]) if match["year"] else None
        found.append(Amount(total, " ".join(match.group(0).split()), year))
    return found


def period(text: str) -> tuple[str | None, int | None, int | None]:
    """The wording of a period and its first and last year, if the text states one."""
    for pattern in (DATE_RANGE, YEAR_RANGE):
        match = pattern.search(text)
        if match:
            start, end = int(match["start"]), match["end"]
            end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
            if end_year >= start:
                return match.group(0), start, end_year
    years = [int(m["year"]) for m in SINGLE_YEAR.finditer(text)]
    if years:
        return text.strip(), min(years), max(years)
    return None, None, None


def collapse(text: str) -> str:
    """One line of text with single spaces."""
    return " ".join(text.split())
