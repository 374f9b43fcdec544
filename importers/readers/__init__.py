"""Readers: from a file's bytes to numbered lines, whatever its format.

Readers know file formats and never layouts. Each turns one format (PDF,
Word, a saved web page, plain text or Markdown) into a
:class:`~indsatsgraf.importers.text.SourceText`: the lines an importer reads,
with the page of each line where the format has pages. The format is told by
the content (its magic bytes), never by the file's name, because a plan saved
from a browser or mailed on keeps its bytes but not always its name.
"""

from __future__ import annotations

from pathlib import Path

from ..text import MAX_BYTES, SourceText, UnreadableSource, parse_bytes, read_limited

MAX_PAGES = 2000
"""The most pages read from one PDF: a plan has tens, an archive volume a few hundred."""


def sniff(data: bytes) -> str:
    """The format of ``data``: "pdf", "docx", "zip", "html" or "text"."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        from .docx import is_docx

        return "docx" if is_docx(data) else "zip"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<html" in head
    ):
        return "html"
    return "text"


def parse_document(
    data: bytes, *, max_pages: int = MAX_PAGES, max_bytes: int = MAX_BYTES
) -> SourceText:
    """The lines of a document's bytes in any supported format; UnreadableSource if none fits."""
    kind = sniff(data)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, max_pages=max_pages)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, max_uncompressed=8 * max_bytes)
    if kind == "zip":
        raise UnreadableSource("a zip archive that is not a Word document (.docx)")
    if kind == "html":
        from .html import read_html

        return read_html(data)
    return parse_bytes(data)


def read_document(
    path: Path, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES
) -> tuple[bytes, SourceText]:
    """The bytes of ``path`` (within ``max_bytes``) and its lines, whatever its format."""
    data = read_limited(path, max_bytes)
    return data, parse_document(data, max_pages=max_pages, max_bytes=max_bytes)
