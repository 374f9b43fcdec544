"""The readers: formats told by content, control characters, limits, and round trips.

The bundled documents are written as real PDF and Word files (reportlab and
python-docx) at test time; the same importers must then find the same records.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from documents import write_docx, write_pdf
from indsatsgraf.graph.pipeline import bundled_sources, import_file
from indsatsgraf.importers import registry
from indsatsgraf.importers.readers import parse_document, read_document, sniff
from indsatsgraf.importers.text import UnreadableSource, read_source

CASE_HTML = Path(__file__).parent / "data" / "udvalgssag-botilbud.html"


def keys(path: Path, source=None) -> set[tuple[str, str]]:  # noqa: ANN001
    source = source or read_source(path)
    result = registry.choose(source).importer.parse(source)
    found = {("goal", g.key) for g in result.goals}
    found |= {("initiative", i.key) for i in result.initiatives}
    found |= {("indicator", i.key) for i in result.indicators}
    found |= {("budget", b.code or b.key) for b in result.budget_items}
    return found


def recall(expected: set, found: set) -> float:
    return len(expected & found) / len(expected)


def test_formats_are_told_by_content_not_name(tmp_path: Path) -> None:
    lines = [
        "Handleplan for tilgængelighed 2025-2027",
        "",
        "Socialforvaltningen afsætter 3,1 mio. kr. i 2025.",
    ]
    write_pdf(lines, tmp_path / "plan.txt")
    write_docx(lines, tmp_path / "case.pdf")
    assert sniff((tmp_path / "plan.txt").read_bytes()) == "pdf"
    assert sniff((tmp_path / "case.pdf").read_bytes()) == "docx"
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff(b"Plan 2025\n") == "text"


def test_pdf_lines_carry_their_page(tmp_path: Path) -> None:
    lines = [f"Linje {n}" for n in range(1, 121)]
    write_pdf(lines, tmp_path / "doc.pdf")
    _, source = read_document(tmp_path / "doc.pdf")
    assert source.format == "pdf"
    assert source.lines[0] == "Linje 1" and source.lines[-1] == "Linje 120"
    assert source.pages[0] == 1 and source.pages[-1] == 2
    span = source.span(100, 101)
    assert span.page == 2 and span.quote.startswith("Linje 100")


def test_a_pdf_without_text_layer_is_named_a_scan(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "scan.pdf"))
    pdf.rect(50, 50, 200, 200, fill=1)  # an image-only page, like a scan
    pdf.save()
    with pytest.raises(UnreadableSource, match="no text layer"):
        read_document(tmp_path / "scan.pdf")


def test_a_pdf_over_the_page_limit_is_refused(tmp_path: Path) -> None:
    write_pdf([f"side {n}" for n in range(300)], tmp_path / "long.pdf")
    with pytest.raises(UnreadableSource, match="over the limit of 2"):
        read_document(tmp_path / "long.pdf", max_pages=2)


def test_a_word_document_that_inflates_too_far_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * (40 * 2**20))
    data = buffer.getvalue()
    assert len(data) < 2**20  # small on disk, 40 MiB unpacked
    with pytest.raises(UnreadableSource, match="unpacks to 40 MiB"):
        parse_document(data, max_bytes=2**20)


def test_a_zip_that_is_not_word_is_named(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    with pytest.raises(UnreadableSource, match="zip archive that is not a Word"):
        parse_document(buffer.getvalue())


@pytest.mark.parametrize("fmt", ["text", "html", "docx", "pdf"])
def test_control_characters_never_pass_a_reader(tmp_path: Path, fmt: str) -> None:
    dirty = ["Plan\x1b[31m for\x07 2025", "Beløb\x85 3 mio. kr.\x0c"]
    path = tmp_path / "doc"
    if fmt == "text":
        path.write_text("\n".join(dirty), encoding="utf-8")
    elif fmt == "html":
        path.write_text("<html><body>" + "".join(f"<p>{x}</p>" for x in dirty) + "</body></html>")
    elif fmt == "docx":
        # XML forbids C0 controls, so a Word file can only carry C1 ones
        write_docx(["Plan\x9b for\x85 2025", "Beløb\x85 3 mio. kr.\x80"], path)
    else:
        write_pdf(dirty, path)
    _, source = read_document(path)
    text = "\n".join(source.lines)
    assert not any(ord(c) < 32 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in text)
    assert "Plan" in text and "3 mio. kr." in text


def test_a_nul_byte_after_the_first_4_kib_makes_a_file_binary() -> None:
    data = b"Plan for 2025\n" * 400 + b"\x00\x01\x02binary tail"
    assert len(data) > 4096
    with pytest.raises(UnreadableSource, match="NUL"):
        parse_document(data)


def test_a_saved_committee_case_page_is_read_as_lines() -> None:
    _, source = read_document(CASE_HTML)
    assert source.format == "html"
    assert "Indstilling" in source.lines
    assert any(line.startswith("1. at ") for line in source.lines)
    assert not any("<" in line or "function(" in line for line in source.lines)


@pytest.mark.slow
def test_bundled_documents_round_trip_through_word(tmp_path: Path) -> None:
    for path in bundled_sources():
        target = tmp_path / f"{path.stem}.docx"
        write_docx(path.read_text(encoding="utf-8").splitlines(), target)
        _, source = read_document(target)
        expected, found = keys(path), keys(target, source)
        assert recall(expected, found) >= 0.98, (path.name, sorted(expected - found)[:10])


@pytest.mark.slow
def test_bundled_documents_round_trip_through_pdf(tmp_path: Path) -> None:
    for path in bundled_sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        target = tmp_path / f"{path.stem}.pdf"
        write_pdf(lines, target)
        _, source = read_document(target)
        expected, found = keys(path), keys(target, source)
        assert recall(expected, found) >= 0.98, (path.name, sorted(expected - found)[:10])
        assert source.pages and source.pages[-1] > 1


def test_a_mostly_double_spaced_pdf_page_keeps_its_blank_lines(tmp_path: Path) -> None:
    # Most paragraphs are one line with a blank after it, so the median line step
    # is the paragraph gap; the single line spacing is that of the two-line paragraphs.
    lines = []
    for n in range(1, 16):
        lines.append(f"Afsnit {n} første linje")
        if n % 3 == 0:
            lines.append(f"Afsnit {n} anden linje")
        lines.append("")
    write_pdf(lines, tmp_path / "double.pdf")
    _, source = read_document(tmp_path / "double.pdf")
    assert source.lines == tuple(lines[:-1])


def test_pdf_lines_keep_their_indent(tmp_path: Path) -> None:
    write_pdf(["Overskrift", " Ny side begynder her", "    - et punkt", "Slut"], tmp_path / "i.pdf")
    _, source = read_document(tmp_path / "i.pdf")
    assert source.lines[0] == "Overskrift" and source.lines[3] == "Slut"
    assert source.lines[1] == " Ny side begynder her"
    assert source.lines[2].startswith("   ") and source.lines[2].strip() == "- et punkt"


def test_build_reads_pdf_docx_and_html(tmp_path: Path) -> None:
    plan = bundled_sources()[0]
    write_pdf(plan.read_text(encoding="utf-8").splitlines(), tmp_path / "plan.pdf")
    write_docx(
        (Path(__file__).parent / "data" / "udvalgssag-handicapraad.txt")
        .read_text(encoding="utf-8")
        .splitlines(),
        tmp_path / "case.docx",
    )
    pdf = import_file(tmp_path / "plan.pdf")
    assert pdf.result.importer == "bif-indsatsplan-2018" and pdf.result.goals
    assert pdf.result.goals[0].span.page == 1
    docx_case = import_file(tmp_path / "case.docx")
    assert docx_case.result.importer == "committee-case"
    html_case = import_file(CASE_HTML)
    assert html_case.result.importer == "committee-case"
    assert [p.number for p in html_case.result.proposals if p.kind == "proposal"] == [1, 2, 3]
