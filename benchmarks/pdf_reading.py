"""PDF and Word round trips of the bundled documents, and PDF reading speed on A4 pages.

Round trips: each bundled document is written as Word (python-docx) and PDF
(reportlab, with the helpers the tests use) and imported again; the share of
its records (goals, initiatives, indicators, budget items) found is printed.

Speed: an ordinary A4 document (11 pt, about 3,000 characters a page, the
bundled plans' prose wrapped at 90 characters) is imported from PDF and from
the same text in one run, so the figure is a ratio on whatever machine runs it.

    python benchmarks/pdf_reading.py [--pages 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from documents import write_docx, write_pdf  # noqa: E402  (the tests' writers)
from indsatsgraf.graph.pipeline import bundled_sources, import_file  # noqa: E402
from indsatsgraf.importers import registry  # noqa: E402
from indsatsgraf.importers.readers import read_document  # noqa: E402
from indsatsgraf.importers.text import read_source  # noqa: E402

A4 = (595, 842)
A4_MARGIN, A4_SIZE, A4_LEADING = 56, 11, 14


def records(source) -> set[tuple[str, str]]:  # noqa: ANN001 - a SourceText
    result = registry.choose(source).importer.parse(source)
    found = {("goal", g.key) for g in result.goals}
    found |= {("initiative", i.key) for i in result.initiatives}
    found |= {("indicator", i.key) for i in result.indicators}
    found |= {("budget", b.code or b.key) for b in result.budget_items}
    return found


def round_trips(folder: Path) -> list[tuple[str, int, float, float]]:
    rows = []
    for path in bundled_sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        expected = records(read_source(path))
        shares = []
        for suffix, write in ((".docx", write_docx), (".pdf", write_pdf)):
            target = folder / f"{path.stem}{suffix}"
            write(lines, target)
            found = records(read_document(target)[1])
            shares.append(len(expected & found) / len(expected))
        rows.append((path.stem, len(expected), *shares))
    return rows


def write_a4(paragraphs: list[str], path: Path) -> tuple[int, int]:
    """Paragraphs wrapped to an A4 page at 11 pt; returns (pages, characters)."""
    from reportlab.pdfbase.pdfmetrics import registerFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    registerFont(TTFont("Vera", "Vera.ttf"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y, pages, characters = A4[1] - A4_MARGIN, 1, 0
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 90) + [""]:
            if y < A4_MARGIN:
                pdf.showPage()
                y, pages = A4[1] - A4_MARGIN, pages + 1
            pdf.setFont("Vera", A4_SIZE)
            pdf.drawString(A4_MARGIN, y, line)
            characters += len(line)
            y -= A4_LEADING
    pdf.save()
    return pages, characters


def speed(folder: Path, pages_wanted: int) -> dict[str, float]:
    prose = [
        p.replace("\n", " ").strip()
        for path in bundled_sources()
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) > 60 and "\t" not in p and "|" not in p
    ]
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < pages_wanted * 3000:
        paragraphs.extend(prose)
    text_path, pdf_path = folder / "a4.txt", folder / "a4.pdf"
    pages, characters = write_a4(paragraphs, pdf_path)
    text_path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    timings = {}
    for name, path in (("text", text_path), ("pdf", pdf_path)):
        start = time.perf_counter()
        import_file(path)
        timings[name] = time.perf_counter() - start
    return {
        "pages": pages,
        "characters per page": characters / pages,
        "pdf seconds": timings["pdf"],
        "text seconds": timings["text"],
        "pdf pages per second": pages / timings["pdf"],
        "pdf / text time": timings["pdf"] / timings["text"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="A4 pages for the speed run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        print("| document | records | Word | PDF |\n|---|---|---|---|")
        for name, count, word, pdf in round_trips(folder):
            print(f"| {name} | {count} | {word:.2f} | {pdf:.2f} |")
        print()
        for key, value in speed(folder, args.pages).items():
            print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
