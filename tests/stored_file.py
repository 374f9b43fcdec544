"""Change the rows a build stored, to show which answers were read from the file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path


def change_stored_rows(file: Path, query: str, change: Callable[[int, dict], dict | None]) -> int:
    """Rewrite every kept copy of ``query``'s rows through ``change(place, row)``.

    ``change`` returns the row to keep instead, or None to leave it. A row is
    kept once in the whole answer and once per key it is filed under; each
    copy is changed alike. Returns how many rows of the whole answer changed.
    """
    changed = 0
    with sqlite3.connect(file) as connection:
        (variables,) = connection.execute(
            "SELECT variables FROM answer WHERE query = ?", (query,)
        ).fetchone()
        variables = json.loads(variables)
        parts = connection.execute(
            "SELECT parameter, value, n, numbers, rows FROM part WHERE query = ?", (query,)
        ).fetchall()
        for parameter, value, n, numbers, rows in parts:
            new_rows = []
            for place, values in zip(json.loads(numbers), json.loads(rows), strict=True):
                row = dict(zip(variables, values, strict=True))
                new = change(place, row)
                changed += new is not None and parameter == ""
                new_rows.append(values if new is None else [new[v] for v in variables])
            connection.execute(
                "UPDATE part SET rows = ? WHERE query = ? AND parameter = ? AND value = ? AND n = ?",
                (json.dumps(new_rows, ensure_ascii=False), query, parameter, value, n),
            )
    return changed
