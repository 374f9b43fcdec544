"""Reading source files as clean lines, whatever their encoding.

PDF extractions arrive in UTF-8, UTF-8 with a BOM, UTF-16, cp1252 or latin-1,
with LF or CRLF endings. Importers must see the same lines in every case, so
decoding lives here once and line numbers always count from 1 in the decoded
text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import IndsatsgrafError
from .records import Span


class UnreadableSource(IndsatsgrafError):
    """The file cannot be read as text (binary, PDF bytes, empty)."""


@dataclass(frozen=True)
class SourceText:
    """A decoded document: its lines (without line endings) and its encoding.

    ``pages`` gives the page of each line for formats that have pages (PDF);
    ``format`` names the format the lines were read from.
    """

    lines: tuple[str, ...]
    encoding: str
    pages: tuple[int, ...] | None = None
    format: str = "text"

    def span(self, first: int, last: int) -> Span:
        """The span of lines ``first``..``last`` (1-based, inclusive) with its quote."""
        quote = "\n".join(self.lines[first - 1 : last])
        if not self.pages:
            return Span(first, last, quote)
        pages = self.pages
        return Span(
            first, last, quote, pages[min(first, len(pages)) - 1], pages[min(last, len(pages)) - 1]
        )

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes, choosing the encoding from a BOM, then UTF-8, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"%PDF"):
        raise UnreadableSource("this is a PDF file; extract its text first (e.g. pdftotext)")
    head = data[:4096]
    if b"\x00" in data:
        utf16 = _utf16_without_bom(head)
        if utf16:
            try:
                return data.decode(utf16), utf16
            except UnicodeDecodeError:
                pass
        raise UnreadableSource("binary data (NUL bytes), not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a byte-order mark has a NUL in nearly every other byte."""
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


# C0 and C1 control characters other than tab and the line breaks split_lines reads.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without control characters: they would reach the graph and every output.

    A form feed (a page break in extracted text) or a stray escape is no part of
    a plan's wording; tab and line breaks are.
    """
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def split_lines(text: str) -> tuple[str, ...]:
    """Split on LF, CRLF or CR, so line numbers agree across platforms; drop control characters."""
    return tuple(
        strip_controls(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )


MAX_BYTES = 16 * 1024 * 1024


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, refusing a file over ``max_bytes``.

    A plan's text is well under a megabyte; the size limit stops a wrong file
    (a database dump, a log) from keeping the importers busy for minutes.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableSource(
            f"the file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit "
            "for one document",
            remedy="max-file-size",
        )
    return path.read_bytes()


def parse_bytes(data: bytes) -> SourceText:
    """Decode a document's bytes into lines; raise UnreadableSource when it is not text."""
    if not data.strip():
        raise UnreadableSource("the file is empty")
    text, encoding = decode(data)
    lines = split_lines(text)
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceText(lines, encoding)


def read_source(path: Path, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read ``path`` as a source document; raise UnreadableSource when it is not one."""
    return parse_bytes(read_limited(path, max_bytes))


def from_string(text: str) -> SourceText:
    """A SourceText from a string (tests and generated documents)."""
    lines = split_lines(text)
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceText(lines, "utf-8")
