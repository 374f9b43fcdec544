r"""Render a query result as a table, JSON, CSV, TSV, Markdown or Turtle.

A format is a rendering choice over the same rows, never a second code path.
Text from the graph comes from documents and query files nobody vetted, so
terminal control characters never reach the output: the text formats show
them as the escape ``\u001b``, which JSON and Turtle also read as the character.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import TextIO

from ..graph.sparql import QueryResult, Value

FORMATS = ("table", "json", "csv", "tsv", "md")
#: C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
#: overrides and isolates that make a terminal show text in another order.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same characters, where they remain after json.dumps: C1, DEL, bidi.
JSON_UNESCAPED = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as a visible ``\\uXXXX`` escape."""
    return CONTROL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return printable(str(value))


def as_json(result: QueryResult) -> str:
    """SELECT: an array of row objects keyed by variable; ASK: true/false."""
    if result.form == "ASK":
        return json.dumps(result.boolean)
    buffer = io.StringIO()
    write_json(result.rows, buffer)
    return buffer.getvalue()


def write_json(rows: Iterable[dict[str, Value]], out: TextIO) -> None:
    """Rows as a JSON array of objects, written one row at a time.

    The text is what ``json.dumps(rows, indent=2)`` gives, but a row is
    written as soon as it is read, so a whole answer is never held. A stream
    that fails half-way leaves the array open: invalid JSON, never an answer
    that looks complete.
    """
    first = True
    for row in rows:
        text = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + JSON_UNESCAPED.sub(_escaped, text))
        first = False
    out.write("[]" if first else "\n]")


def as_delimited(result: QueryResult, delimiter: str) -> str:
    buffer = io.StringIO()
    write_delimited(result.variables, result.rows, buffer, delimiter)
    return buffer.getvalue().rstrip("\n")


def write_delimited(
    variables: list[str], rows: Iterable[dict[str, Value]], out: TextIO, delimiter: str
) -> None:
    """A header line, then each row as one CSV or TSV record as soon as it is read."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(variables)
    for row in rows:
        cells = [
            "" if cell is None else cell if type(cell) is str else _cell(cell)
            for cell in map(row.get, variables)
        ]
        # One search per row, not a call per cell: that cost as much as reading the row
        # from a stored answer. A row with a control character is escaped cell by cell.
        if CONTROL.search("".join(cells)):
            cells = [printable(cell) for cell in cells]
        writer.writerow(cells)


def as_markdown(result: QueryResult) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.variables) + " |"]
    lines.append("|" + "|".join("---" for _ in result.variables) + "|")
    for row in result.rows:
        lines.append("| " + " | ".join(esc(_cell(row.get(v))) for v in result.variables) + " |")
    return "\n".join(lines)


def as_turtle(result: QueryResult) -> str:
    """CONSTRUCT/DESCRIBE results as Turtle with the vocabulary prefixes.

    Data IRIs stay whole: their paths contain slashes, which a prefixed name
    would have to escape (``id:org\\/sof``).
    """
    import pyoxigraph as ox

    from ..graph.vocabulary import PREFIXES

    prefixes = {name: iri for name, iri in PREFIXES.items() if name != "id"}
    triples = list(ox.parse("\n".join(result.triples), format=ox.RdfFormat.N_TRIPLES))
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode()
    return printable(text)


def render(result: QueryResult, fmt: str) -> str:
    """Text for ``result`` in ``fmt``; tables are printed by the CLI with rich."""
    if result.form == "ASK":
        return as_json(result) if fmt == "json" else ("yes" if result.boolean else "no")
    if result.form != "SELECT":
        return as_turtle(result)
    if fmt == "json":
        return as_json(result)
    if fmt == "csv":
        return as_delimited(result, ",")
    if fmt == "tsv":
        return as_delimited(result, "\t")
    return as_markdown(result)
