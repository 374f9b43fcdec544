"""Assembling a reader's output into a SourceText, the same way for every format."""

from __future__ import annotations

from collections.abc import Iterable

from ..text import SourceText, UnreadableSource, strip_controls


def source_text(
    lines: Iterable[tuple[str, int | None]], format_name: str, *, empty: str
) -> SourceText:
    """A SourceText from (line, page) pairs, with control characters removed.

    Trailing blank lines are dropped, and runs of blank lines are kept to one,
    so that layout whitespace from the format does not shift what importers see.
    ``empty`` is the message when no text is left.
    """
    kept: list[tuple[str, int | None]] = []
    for line, page in lines:
        # Trailing tabs are empty table cells, which layouts count; trailing spaces are nothing.
        text = strip_controls(line.replace("\u00a0", " ")).rstrip(" \r\n")
        if not text.strip() and (not kept or not kept[-1][0].strip()):
            continue
        kept.append((text, page))
    while kept and not kept[-1][0].strip():
        kept.pop()
    if not kept:
        raise UnreadableSource(empty)
    pages = tuple(page or 0 for _, page in kept) if any(p for _, p in kept) else None
    return SourceText(tuple(text for text, _ in kept), "utf-8", pages, format_name)
