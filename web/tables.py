"""Result tables: sorting, keyset paging and downloads (CSV, XLSX).

A page of rows is chosen by the key of the last row shown (``?_next=``), not by
an offset: the token holds that row's sort key, so the next page is found by a
binary search and costs the same at row 50 and at row 50,000.
"""

from __future__ import annotations

import base64
import bisect
import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from ..graph.sparql import Value

PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


class PagingError(ValueError):
    """A ``_next`` token or ``_sort`` column the table does not know."""


@dataclass
class Page:
    """One page of a sorted table, with what a reader needs to ask for the next."""

    variables: list[str]
    rows: list[dict[str, Value]]
    total: int
    truncated: bool
    next: str | None
    sort: str | None
    descending: bool

    def summary(self) -> dict[str, object]:
        """What every JSON twin of a table page says of the page."""
        return {
            "variables": self.variables,
            "rows": self.rows,
            "total": self.total,
            "truncated": self.truncated,
            "next": self.next,
        }


def _key(value: Value) -> tuple:
    """A sort key that orders numbers as numbers, text as text, and empty cells last."""
    if value is None or value == "":
        return (2, 0, "")
    if isinstance(value, bool):
        return (0, int(value), "")
    if isinstance(value, int | float):
        return (0, value, "")
    return (1, 0, str(value).casefold())


def _encode(key: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode(token: str) -> list:
    try:
        padded = token + "=" * (-len(token) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as error:
        raise PagingError("the _next token is damaged; start again from the first page") from error


def sorted_rows(
    variables: Sequence[str], rows: list[dict[str, Value]], sort: str | None, descending: bool
) -> list[tuple[list, dict[str, Value]]]:
    """Rows with their keys, in order: the sort column, then the query's own order."""
    if sort is not None and sort not in variables:
        raise PagingError(f"no column {sort!r} to sort by")
    keyed = []
    for index, row in enumerate(rows):
        main = list(_key(row.get(sort))) if sort else []
        if descending and main:
            # Empty cells stay last; among the rest the order is reversed.
            main = [main[0] if main[0] == 2 else -main[0], _negate(main[1]), _negate_text(main[2])]
        keyed.append((main + [index], row))
    keyed.sort(key=lambda item: item[0])
    return keyed


def _negate(number: int | float) -> int | float:
    return -number


def _negate_text(text: str) -> list[int]:
    return [-ord(c) for c in text] + [1]  # the +1 sorts a longer text before its prefix


def page(
    variables: Sequence[str],
    rows: list[dict[str, Value]],
    *,
    sort: str | None = None,
    descending: bool = False,
    after: str | None = None,
    size: int = PAGE_SIZE,
    truncated: bool = False,
    keyed: list[tuple[list, dict[str, Value]]] | None = None,
) -> Page:
    """The page of ``rows`` after the token ``after`` (``None``: the first page).

    ``keyed`` is ``sorted_rows`` of the same arguments, when the caller kept it
    from an earlier page: a large answer is then sorted once, not once a page.
    """
    if keyed is None:
        keyed = sorted_rows(variables, rows, sort, descending)
    keys = [key for key, _ in keyed]
    start = bisect.bisect_right(keys, _decode(after)) if after else 0
    size = max(1, min(size, MAX_PAGE_SIZE))
    chosen = keyed[start : start + size]
    more = start + size < len(keyed)
    return Page(
        variables=list(variables),
        rows=[row for _, row in chosen],
        total=len(rows),
        truncated=truncated,
        next=_encode(chosen[-1][0]) if more and chosen else None,
        sort=sort,
        descending=descending,
    )


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_csv(variables: Sequence[str], rows: list[dict[str, Value]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_cell(row.get(v)) for v in variables])
    return out.getvalue()


def as_xlsx(variables: Sequence[str], rows: list[dict[str, Value]], sheet: str) -> bytes:
    """An Excel workbook with one sheet: numbers stay numbers, IRIs stay text."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    worksheet = book.add_worksheet(sheet[:31])
    for column, name in enumerate(variables):
        worksheet.write_string(0, column, name, bold)
    for number, row in enumerate(rows, start=1):
        for column, name in enumerate(variables):
            value = row.get(name)
            if isinstance(value, bool) or value is None:
                worksheet.write_string(number, column, _cell(value))
            elif isinstance(value, int | float):
                worksheet.write_number(number, column, value)
            else:
                worksheet.write_string(number, column, str(value))
    worksheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
