"""Saved web pages (a committee case from "dagsordener og referater", a plan page).

lxml parses the page as a browser would; the reader then walks the elements
and ends a line at every block (paragraph, heading, list item, table row,
line break), skipping what is never content (scripts, styles, navigation).
List items become bullets or numbers and table rows Markdown rows, the line
forms importers read in text documents.
"""

from __future__ import annotations

from ..text import SourceText, UnreadableSource, decode
from .lines import source_text

SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "head",
    "svg",
    "iframe",
    "form",
    "button",
    "select",
}
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "figure",
    "figcaption",
    "address",
    "hr",
    "body",
    "html",
}


def read_html(data: bytes) -> SourceText:
    """The lines of a saved web page; UnreadableSource if it holds no text."""
    import lxml.html

    try:
        text, _ = decode(data)
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_parser())
    except Exception as error:  # lxml raises on pages with no elements at all
        raise UnreadableSource(
            f"cannot read this web page ({error or type(error).__name__})"
        ) from None
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return source_text(
        ((line, None) for line in walker.lines), "html", empty="the web page holds no text"
    )


def _parser():  # noqa: ANN202 - an lxml HTMLParser
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


class _Walker:
    """Collects inline text and ends a line at each block boundary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[str] = []
        self._prefix = ""

    def flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        self._parts = []
        if text:
            self.lines.append(self._prefix + text)
            self._prefix = ""

    def walk(self, element, ordinal: list[int] | None = None) -> None:  # noqa: ANN001
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in SKIP:
            self._tail(element)
            return
        if tag in BLOCKS or tag in ("li", "tr", "br"):
            self.flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p") and self.lines and self.lines[-1]:
            self.lines.append("")
        if tag == "br":
            self._tail(element)
            return
        if tag == "li":
            self._prefix = ""
            if ordinal is not None:
                ordinal[0] += 1
                self._prefix = f"{ordinal[0]}. "
            else:
                self._prefix = "- "
        if tag == "tr":
            cells = [
                " ".join(c.text_content().split())
                for c in element
                if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")
            ]
            if any(cells):
                self.lines.append("| " + " | ".join(cells) + " |")
            self._tail(element)
            return
        if element.text:
            self._parts.append(element.text)
        counter = [int(element.get("start", "1") or 1) - 1] if tag == "ol" else None
        for child in element:
            self.walk(child, counter if tag == "ol" else (None if tag == "ul" else ordinal))
        if tag in BLOCKS or tag == "li":
            self.flush()
        self._tail(element)

    def _tail(self, element) -> None:  # noqa: ANN001
        if element.tail:
            self._parts.append(element.tail)
