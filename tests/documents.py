"""Writing text documents as real PDF and Word files, for the readers' round-trip tests.

reportlab draws each line at its own height (a blank line is an empty
line's height, tab-separated cells stand at a wide gap), so the text layer
holds the same lines; python-docx writes each line as a paragraph, Markdown
headings as Word headings and Markdown tables as Word tables.
"""

from __future__ import annotations

import re
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 1190, 842  # A3 landscape, so that long lines fit at a small size
MARGIN, LEADING, SIZE = 30, 12, 9
FONT = "Vera"


def write_pdf(lines: list[str], path: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    # An embedded TrueType font (Vera ships with reportlab) maps every character,
    # even a private-use bullet, to Unicode in the text layer, as word processors do.
    registerFont(TTFont(FONT, "Vera.ttf"))

    pdf = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    y = PAGE_HEIGHT - MARGIN
    for line in lines:
        if y < MARGIN:
            pdf.showPage()
            y = PAGE_HEIGHT - MARGIN
        x = MARGIN
        cells = line.split("\t")
        width = sum(stringWidth(c, FONT, SIZE) for c in cells) + 3 * SIZE * len(cells)
        size = SIZE * min(1.0, (PAGE_WIDTH - 2 * MARGIN) / max(width, 1))
        for cell in cells:
            pdf.setFont(FONT, size)
            pdf.drawString(x, y, cell)
            x += stringWidth(cell, FONT, size) + 3 * SIZE
        y -= LEADING
    pdf.save()


def write_docx(lines: list[str], path: Path) -> None:
    import docx

    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        width = max(len(r) for r in table_rows)
        table = document.add_table(rows=len(table_rows), cols=width)
        for row, cells in zip(table.rows, table_rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=False):
                cell.text = text
        table_rows.clear()

    for line in lines:
        if re.match(r"^\s*\|.*\|\s*$", line):
            if not re.match(r"^\s*\|[\s|:-]+\|\s*$", line):
                table_rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush_table()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            document.add_heading(heading[2], level=len(heading[1]))
        else:
            document.add_paragraph(line.replace("\t", " \t"))
    flush_table()
    document.save(str(path))
