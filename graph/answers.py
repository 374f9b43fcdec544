"""Answers computed once per build and kept beside the graph they answer for.

An archive-wide aggregate (the collaboration matrix, budget totals per
department) reads every document, so its time grows with the archive while
its answer stays a handful of rows. A saved query that declares
``#+ stored: yes`` is therefore answered once, with its default parameters,
when a build finishes, and the rows are written next to the generation's
database, in one SQLite file (readable with Python's own ``sqlite3``)::

    generations/000007/answers.sqlite
        answer(query, digest, variables)      digest: sha256 of the query's text
        row(query, n, data)                   data: the row as a JSON object
        row_key(query, parameter, value, n)   the department codes or plan IRIs a row is kept under

A question narrowed by a ``#+ stored-filter:`` parameter (one department, one
plan) reads the index ``row_key`` and then only the rows it names, in their
stored order: its cost follows the rows it keeps, not the whole answer. The
answers were first kept as a JSON file per query with a row per line, and a
one-department question scanned the whole file for its rows. At ×1000, on
the same store and machine (three runs each, medians), SOF's 36,296 of
103,573 rows of initiatives-per-goal-and-department took 1,010 ms that way
and 170 ms through the index; SOF's 25,033 of 56,122 rows of
multi-department-initiatives 914 ms and 146 ms. What remains is about half
SQLite's reads and half decoding the JSON. A whole answer is read a batch of
rows at a time (:func:`stream`) and never held whole: 184,516 rows of
initiative-financing went out as CSV at about 100,000 rows/s, against about
3,400 rows/s run live.

A generation is never written again once it is live, so a stored answer can
never be stale for the graph beside it; the file is written before the
generation goes live and removed with it. An answer is used only when the
query's text is still the text it was computed from (a changed query file is
answered live until the next build), and it is run with no parameters or only
with parameters that the query declares to pick rows of its whole answer.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import QueryError
from .sparql import QueryResult, RowStream, run_in_process

FILE = "answers.sqlite"
#: Rows read and decoded at a time while streaming.
_BATCH = 500

_SCHEMA = """
CREATE TABLE answer (query TEXT PRIMARY KEY, digest TEXT NOT NULL, variables TEXT NOT NULL);
CREATE TABLE row (query TEXT, n INTEGER, data TEXT NOT NULL, PRIMARY KEY (query, n))
    WITHOUT ROWID;
CREATE TABLE row_key (query TEXT, parameter TEXT, value TEXT, n INTEGER,
    PRIMARY KEY (query, parameter, value, n)) WITHOUT ROWID;
"""


class RowKeys(Protocol):
    """A declared row filter (queries.catalog.StoredFilter): what each row is kept under."""

    parameter: str

    def keys(self, row: Mapping[str, object]) -> Iterable[str]: ...


class RowFilter(Protocol):
    """The rows that answer some parameters (queries.catalog.RowSelection)."""

    #: (parameter, key) pairs a kept row is filed under, every one of them.
    wanted: tuple[tuple[str, str], ...]


class StorableQuery(Protocol):
    """What a saved query offers here (queries.catalog.SavedQuery; graph/ knows no catalog)."""

    name: str
    text: str
    stored: bool
    path: Path | str
    prologue_lines: int
    stored_filters: Sequence[RowKeys]

    @property
    def form(self) -> str: ...

    def bindings(self, given: Mapping[str, str]) -> dict: ...

    def row_filter(self, given: Mapping[str, str], names: object = None) -> RowFilter | None: ...


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
    The database is opened read-only: computing answers never writes to it.
    """
    queries = [query for query in queries if query.stored]
    if not queries:
        return 0
    path = target / FILE
    path.unlink(missing_ok=True)
    store = ox.Store.read_only(str(target))
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")  # a failed build is thrown away whole
        connection.executescript(_SCHEMA)
        for query in queries:
            if progress:
                progress(f"storing the answer of {query.name}")
            _write(connection, query, run_in_process(store, query, query.bindings({})))
        connection.commit()
    finally:
        connection.close()
        del store
    return len(queries)


def _write(connection: sqlite3.Connection, query: StorableQuery, result: QueryResult) -> None:
    """The rows in their order, each filed under the keys its declared filters read from it."""
    connection.executemany(
        "INSERT INTO row VALUES (?, ?, ?)",
        ((query.name, n, json.dumps(row, ensure_ascii=False)) for n, row in enumerate(result.rows)),
    )
    connection.executemany(
        "INSERT INTO row_key VALUES (?, ?, ?, ?)",
        (
            (query.name, keyed.parameter, key, n)
            for n, row in enumerate(result.rows)
            for keyed in query.stored_filters
            for key in set(keyed.keys(row))
        ),
    )
    connection.execute(
        "INSERT INTO answer VALUES (?, ?, ?)",
        (query.name, _digest(query), json.dumps(result.variables)),
    )


def stored(
    generation: Path,
    query: StorableQuery,
    given: Mapping[str, str],
    limit: int | None = None,
    names: object = None,
) -> QueryResult | None:
    """The answer kept for ``query`` in ``generation`` (its first ``limit`` rows), or None.

    Only an unchanged storable query run without parameters (defaults are
    what was stored), or with parameters it declares to select rows of that
    answer, is answered from the file; None means it must run live. ``names``
    (graph.names.Names of the graph) resolves a plan parameter; without them
    a plan question runs live.
    """
    kept = stream(generation, query, given, limit, names)
    return None if kept is None else QueryResult("SELECT", kept.variables, list(kept.rows))


def stream(
    generation: Path,
    query: StorableQuery,
    given: Mapping[str, str],
    limit: int | None = None,
    names: object = None,
) -> RowStream | None:
    """As :func:`stored`, but the rows are read from the file as they are asked for."""
    if not query.stored or query.form != "SELECT":
        return None
    keep = query.row_filter(given, names)
    if keep is None:
        return None
    path = generation / FILE
    if not path.is_file():
        return None
    try:
        # immutable: a live generation's files never change, so nothing is locked or checked.
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        record = connection.execute(
            "SELECT digest, variables FROM answer WHERE query = ?", (query.name,)
        ).fetchone()
    except sqlite3.Error:
        return None
    if record is None or record[0] != _digest(query):
        connection.close()
        return None
    return RowStream(json.loads(record[1]), _rows(connection, path, query.name, keep, limit))


def _rows(
    connection: sqlite3.Connection, path: Path, name: str, keep: RowFilter, limit: int | None
) -> Iterator[dict]:
    """The kept rows in their stored order, read from the index of the first wanted key."""
    if not keep.wanted:
        sql = "SELECT data FROM row WHERE query = ? ORDER BY n LIMIT ?"
        arguments: list[object] = [name]
    else:
        joins = "".join(
            f" JOIN row_key k{i} ON k{i}.query = k0.query AND k{i}.parameter = ?"
            f" AND k{i}.value = ? AND k{i}.n = k0.n"
            for i in range(1, len(keep.wanted))
        )
        sql = (
            f"SELECT row.data FROM row_key k0{joins}"
            " JOIN row ON row.query = k0.query AND row.n = k0.n"
            " WHERE k0.query = ? AND k0.parameter = ? AND k0.value = ? ORDER BY k0.n LIMIT ?"
        )
        arguments = [part for pair in keep.wanted[1:] for part in pair]
        arguments += [name, *keep.wanted[0]]
    try:
        cursor = connection.execute(sql, [*arguments, -1 if limit is None else limit])
        while batch := [data for (data,) in cursor.fetchmany(_BATCH)]:
            try:  # one decoding per batch: per row, the call cost more than the text
                rows = json.loads("[" + ",".join(batch) + "]")
            except ValueError:  # row by row, to fail at the damaged row after those before
                rows = (_row(data, path) for data in batch)
            yield from rows
    except sqlite3.Error as error:
        raise QueryError(f"{path}: the stored answer cannot be read ({error})") from None
    finally:
        connection.close()


def _row(data: str, path: Path) -> dict:
    try:
        return json.loads(data)
    except ValueError as error:
        raise QueryError(f"{path}: a stored answer's row cannot be read ({error})") from None
