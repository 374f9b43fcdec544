"""Word (.docx): headings, paragraphs, lists and tables in document order.

Headings become Markdown headings ("## Title"), list paragraphs bullets
("- item") or numbers ("1. item"), and tables Markdown rows ("| a | b |"),
because those are the line forms importers already read in text documents.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..text import SourceText, UnreadableSource
from .lines import source_text

HEADING_STYLE = re.compile(r"^(?:Heading|Overskrift)\s*(\d)$", re.I)


def is_docx(data: bytes) -> bool:
    """A zip archive holding ``word/document.xml`` is a Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(data: bytes, *, max_uncompressed: int) -> SourceText:
    """The lines of a Word document; UnreadableSource for a broken or inflating one.

    The archive's declared sizes are checked before anything is unpacked: a
    small file that inflates to gigabytes (a zip bomb) is refused unread.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise UnreadableSource(f"cannot read this Word document ({error})") from None
    if total > max_uncompressed:
        raise UnreadableSource(
            f"the Word document unpacks to {total / 2**20:.0f} MiB, over the limit of "
            f"{max_uncompressed / 2**20:.0f} MiB",
            remedy="max-file-size",
        )
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document))
    except Exception as error:  # python-docx and lxml raise many kinds on broken files
        raise UnreadableSource(
            f"cannot read this Word document ({error or type(error).__name__})"
        ) from None
    return source_text(
        ((line, None) for line in lines), "docx", empty="the Word document holds no text"
    )


def _lines(document) -> list[str]:  # noqa: ANN001 - a python-docx Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    numbers: dict[str, int] = {}
    # Style names by id, read once: asking each paragraph for its style costs a
    # search of the style part per paragraph (12 s for a 1,500-paragraph plan).
    styles = {style.style_id: style.name for style in document.styles}
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_paragraph(Paragraph(block, document), numbers, styles))
        elif tag == "tbl":
            lines.extend(_table(Table(block, document)))
            lines.append("")
    return lines


def _paragraph(paragraph, numbers: dict[str, int], styles: dict[str, str]) -> list[str]:  # noqa: ANN001
    text = paragraph.text
    style = styles.get(paragraph._p.style or "", "") or ""
    heading = HEADING_STYLE.match(style)
    if heading and text.strip():
        return [f"{'#' * int(heading[1])} {text.strip()}"]
    if style == "Title" and text.strip():
        return [f"# {text.strip()}"]
    numbered = "Number" in style
    listed = (
        numbered
        or "List" in style
        or paragraph._p.pPr is not None
        and paragraph._p.pPr.numPr is not None
    )
    if listed and text.strip():
        if numbered:
            numbers[style] = numbers.get(style, 0) + 1
            return [f"{numbers[style]}. {text.strip()}"]
        return [f"- {text.strip()}"]
    numbers.clear()
    return text.split("\n")


def _table(table) -> list[str]:  # noqa: ANN001 - a python-docx Table
    rows = []
    for n, row in enumerate(table.rows):
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        rows.append("| " + " | ".join(cells) + " |")
        if n == 0:
            rows.append("|" + "---|" * len(cells))
    return rows
