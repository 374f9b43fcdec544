"""PDF: the text layer of each page as lines, with the page each line stands on.

pdfplumber gives words with their positions; lines are words that share a
baseline. Two layout facts survive the text layer and matter to importers: a
wide horizontal gap separates table columns (written as a tab, as PDF-to-text
extractions do), and a tall vertical gap separates paragraphs (written as a
blank line).
"""

from __future__ import annotations

import io
import re

from ..text import SourceText, UnreadableSource
from .lines import source_text

CID = re.compile(r"\(cid:\d+\)")
COLUMN_GAP = 1.5  # a gap wider than this many font sizes separates table cells
SPACE_WIDTH = 0.3  # a space is about this many font sizes wide in text fonts
PARAGRAPH_GAP = 1.6  # a line spacing this many times the usual one starts a paragraph


def read_pdf(data: bytes, *, max_pages: int) -> SourceText:
    """The lines of a PDF; UnreadableSource for a broken, huge or scanned one."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise UnreadableSource(
            f"cannot read this PDF file ({error or type(error).__name__})"
        ) from None
    with pdf:
        try:
            count = len(pdf.pages)
            if count > max_pages:
                raise UnreadableSource(
                    f"the PDF has {count} pages, over the limit of {max_pages} for one document"
                )
            lines: list[tuple[str, int | None]] = []
            for number, page in enumerate(pdf.pages, 1):
                lines.extend((text, number) for text in page_lines(page))
                page.flush_cache()
        except UnreadableSource:
            raise
        except Exception as error:
            raise UnreadableSource(
                f"cannot read this PDF file ({error or type(error).__name__})"
            ) from None
    if not any(text.strip() for text, _ in lines):
        raise UnreadableSource(
            f"the PDF has {count} page(s) but no text layer (a scan?); "
            "run OCR on it first (e.g. ocrmypdf) and import the result"
        )
    return source_text(lines, "pdf", empty="the PDF holds no text")


def page_lines(page) -> list[str]:  # noqa: ANN001 - a pdfplumber Page
    """One page's lines, top to bottom, with tabs between columns and blank lines between paragraphs."""
    words = page.extract_words(keep_blank_chars=False, extra_attrs=["size"])
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= 0.5 * word["size"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    tops = [row[0]["top"] for row in rows]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False) if b > a]
    usual = _line_step(steps)
    margin = min((word["x0"] for word in words), default=0.0)
    lines: list[str] = []
    for n, row in enumerate(rows):
        if n and usual and tops[n] - tops[n - 1] > PARAGRAPH_GAP * usual:
            lines.append("")
        ordered = sorted(row, key=lambda w: w["x0"])
        lines.append(_indent(ordered[0], margin) + _join(ordered))
    return lines


def _indent(first: dict, margin: float) -> str:
    """A line's indent from the page's left text edge, as spaces (one per space width).

    Indentation is layout the text layer keeps, as ``pdftotext -layout`` shows
    it: a line set in by a space or a list indent says where it stands.
    """
    return " " * round((first["x0"] - margin) / (SPACE_WIDTH * first["size"]))


def _line_step(steps: list[float]) -> float:
    """The page's single line spacing: the spacing of its closest common lines.

    Not the median: on a page printed double spaced, or with a blank line after
    most paragraphs, the median is the paragraph gap and every blank line would vanish.
    """
    if not steps:
        return 0.0
    ordered = sorted(steps)
    return ordered[len(ordered) // 5]


def _join(row: list[dict]) -> str:
    """The words of one line; "(cid:N)" is pdfminer's name for a glyph without Unicode, not text."""
    parts = [row[0]["text"]]
    for before, word in zip(row, row[1:], strict=False):
        gap = word["x0"] - before["x1"]
        parts.append("\t" if gap > COLUMN_GAP * word["size"] else " ")
        parts.append(word["text"])
    return CID.sub("", "".join(parts))
