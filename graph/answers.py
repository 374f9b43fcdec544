"""Answers computed once per build and kept beside the graph they answer for.

An archive-wide aggregate (the collaboration matrix, budget totals per
department) reads every document, so its time grows with the archive while
its answer stays a handful of rows. A saved query that declares
``#+ stored: yes`` is therefore answered once, with its default parameters,
when a build finishes, and the rows are written next to the generation's
database::

    generations/000007/answers/NAME.json    {"query": sha256 of the text, "variables", "rows"}

Each row stands on a line of its own, so a long answer is read a row at a
time (:func:`stream`) and never held whole; the file is still one JSON
document, and one written any other way (by hand, say) is read whole.

A generation is never written again once it is live, so a stored answer can
never be stale for the graph beside it. It is used only when the query's text
is still the text it was computed from (a changed query file is answered live
until the next build) and it is run with no parameters, or with parameters
that the query declares only pick rows of its whole answer
(``#+ stored-filter:``, one department): those rows are then kept as the
file is read, so a one-department question costs a read of the answer, not
of the archive.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from ..errors import QueryError
from .sparql import QueryResult, RowStream, run_in_process

FOLDER = "answers"


class StorableQuery(Protocol):
    """What a saved query offers here (queries.catalog.SavedQuery; graph/ knows no catalog)."""

    name: str
    text: str
    stored: bool
    path: Path | str
    prologue_lines: int

    @property
    def form(self) -> str: ...

    def bindings(self, given: Mapping[str, str]) -> dict: ...

    def row_filter(self, given: Mapping[str, str]) -> RowFilter | None: ...


class RowFilter(Protocol):
    """The rows of a stored answer that answer some parameters (queries.catalog.RowSelection)."""

    def __call__(self, row: Mapping) -> bool: ...

    @property
    def texts(self) -> tuple[str, ...]:
        """Text every kept row's JSON line holds as written: other lines are skipped unread."""
        ...


def _digest(query: StorableQuery) -> str:
    return hashlib.sha256(query.text.encode()).hexdigest()


def compute(
    target: Path,
    queries: Sequence[StorableQuery],
    progress: Callable[[str], None] | None = None,
) -> int:
    """Answer every storable query on the new generation ``target``; return how many.

    Runs after the database is complete and before the generation goes live,
    so a failure here loses the build like any other, never the current graph.
    """
    queries = [query for query in queries if query.stored]
    if not queries:
        return 0
    folder = target / FOLDER
    folder.mkdir(exist_ok=True)
    store = ox.Store(str(target))
    try:
        for query in queries:
            if progress:
                progress(f"storing the answer of {query.name}")
            result = run_in_process(store, query, query.bindings({}))
            with (folder / f"{query.name}.json").open("w", encoding="utf-8") as out:
                _write(out, _digest(query), result)
    finally:
        del store
    return len(queries)


_ROWS_FOLLOW = ', "rows": ['
_END = b"\n]}\n"


def _write(out: IO[str], digest: str, result: QueryResult) -> None:
    """The answer as one JSON document with the header on the first line and a row per line."""
    head = json.dumps({"query": digest, "variables": result.variables}, ensure_ascii=False)
    out.write(head[:-1] + _ROWS_FOLLOW)
    for number, row in enumerate(result.rows):
        out.write((",\n" if number else "\n") + json.dumps(row, ensure_ascii=False))
    out.write(_END.decode())


def stored(
    generation: Path, query: StorableQuery, given: Mapping[str, str], limit: int | None = None
) -> QueryResult | None:
    """The answer kept for ``query`` in ``generation`` (its first ``limit`` rows), or None.

    Only an unchanged storable query run without parameters (defaults are
    what was stored), or with parameters it declares to select rows of that
    answer, is answered from the file; None means it must run live.
    """
    kept = stream(generation, query, given, limit)
    return None if kept is None else QueryResult("SELECT", kept.variables, list(kept.rows))


def stream(
    generation: Path, query: StorableQuery, given: Mapping[str, str], limit: int | None = None
) -> RowStream | None:
    """As :func:`stored`, but the rows are read from the file as they are asked for."""
    if not query.stored or query.form != "SELECT":
        return None
    keep = query.row_filter(given)
    if keep is None:
        return None
    path = generation / FOLDER / f"{query.name}.json"
    try:
        handle = path.open(encoding="utf-8")
    except OSError:
        return None
    try:
        first = handle.readline()
        if first.rstrip("\n").endswith(_ROWS_FOLLOW) and _finished(path):
            record = json.loads(first.rstrip("\n") + "]}")
            rows: Iterator[dict] = _rows(handle, path, limit, keep)
        else:  # not written by _write: read whole
            record = json.loads(first + handle.read())
            handle.close()
            rows = itertools.islice(filter(keep, record["rows"]), limit)
    except (OSError, ValueError, KeyError, TypeError):
        handle.close()
        return None
    if not isinstance(record, dict) or record.get("query") != _digest(query):
        handle.close()
        return None
    return RowStream(record["variables"], rows)


def _finished(path: Path) -> bool:
    """Whether the file ends as _write ends it: a file cut short is answered live instead."""
    with path.open("rb") as raw:
        raw.seek(max(path.stat().st_size - len(_END), 0))
        return raw.read() == _END


def _rows(handle: IO[str], path: Path, limit: int | None, keep: RowFilter) -> Iterator[dict]:
    """The kept rows of a file _write wrote, one line each; an unfinished file is an error.

    _write writes text as it is (not as \\u escapes), so a line without the
    filter's texts cannot be a kept row and is not parsed: a one-department
    question then reads its department's rows, not every row.
    """
    texts = keep.texts
    if limit is not None and limit <= 0:
        handle.close()
        return
    kept = 0
    with handle:
        for line in handle:
            if line.startswith("]"):
                return
            if not all(text in line for text in texts):
                continue
            try:
                row = json.loads(line.rstrip().rstrip(","))
            except ValueError as error:
                raise QueryError(
                    f"{path}: a stored answer's row cannot be read ({error})"
                ) from None
            if keep(row):
                yield row
                kept += 1
                if kept == limit:
                    return
    raise QueryError(f"{path}: the stored answer ends before its last row")
