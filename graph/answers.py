"""Answers computed once per build and kept beside the graph they answer for.

An archive-wide aggregate (the collaboration matrix, budget totals per
department) reads every document, so its time grows with the archive while
its answer stays a handful of rows. A saved query that declares
``#+ stored: yes`` is therefore answered once, with its default parameters,
when a build finishes (by two processes taking turns, :mod:`.answer_process`),
and the rows are written next to the generation's database, in one SQLite
file (readable with Python's own ``sqlite3``)::

    generations/000007/answers.sqlite          PRAGMA user_version = 2 (LAYOUT)
        answer(query, digest, variables)       digest: sha256 of the query's text
        part(query, parameter, value, n, low, high, numbers, rows)

A part holds up to 500 consecutive rows kept under one key: ``rows`` is a
JSON array of the rows, each a JSON array of its values in the order of
``variables``, ``numbers`` their places in the whole answer, and ``low`` and
``high`` the lowest start and highest end of their ranges where the query
declares a ``within`` filter (NULL: some row's end is open). The whole
answer is kept under the key ('', ''); a row a ``#+ stored-filter:`` files
under a department code or a plan IRI is kept again under (parameter, code or
IRI). A question narrowed to one department or plan therefore reads its parts
as one range of the clustered table and decodes each with one ``json.loads``:
its cost follows the rows it keeps, not the whole answer. Two keys together
(a plan and a department) read the parts of the key with fewer and keep the
rows filed under the other too: known from the row's own column, or, for a
``by query`` filter, from the numbers the other key's parts list.

How it came to this, at ×1000 on one store (SOF's 36,296 of 103,573 rows of
initiatives-per-goal-and-department; SOF's 25,033 of 56,122 rows of
multi-department-initiatives). A JSON file per query, a row per line,
scanned whole: 1,010 ms and 914 ms. An index of row numbers per key, each row
a JSON object looked up by its number: 170 ms and 146 ms, then as much
SQLite's reads (the looked-up rows lie scattered) as decoding. Rows kept
again in parts per key, measured against that index in one run on a machine
shared with other work (load 5 to 9): 1.7 and 1.8 times less CPU time (128 ms
to 75 ms, 120 ms to 68 ms), 1.2 to 3.8 times less wall time over six runs.
A whole answer reads as fast as before (184,516 rows of initiative-financing:
464 ms and 415 ms of CPU). Rows as arrays rather than objects decode as fast
once turned into dictionaries and take a third less room, which pays for
most of the copies: the eight answers stored before take about 200 MB at
×1000 against 184 MB. initiatives-active-in-year's whole answer and its
copies per department add 71 MB, and its runs per department cost build
time: about half of the answers step (300 s of 590 s on that machine).

A ``#+ stored-filter: year within ?start ?end`` parameter is not filed at all:
the whole answer is stored with the parameter unbound (every year), and a
question for a year (or its default) reads only the parts whose span can hold
it and keeps the rows whose range does. A ``#+ stored-filter: department by
query`` parameter files each row under every department whose own answer
holds it: the key a row is kept under need not be a column of it. The build
asks the query once for all seven departments together (a VALUES block of
the seven, the department selected as one more column, no ORDER BY:
:func:`.sparql.run_for_every_value`): at ×100, measured twice in one
process, 2.7 to 2.9 s of CPU against 6.5 to 6.8 s for seven runs one
department at a time, which went mostly to sorting each answer. At ×1000, SOF's 52,015 rows of
initiatives-active-in-year for 2016 took about 0.5 s from the stored answer
against 30 s live, in the same run.

Lists whose first page the web application shows (fifty rows and the total
count) are stored as well where their whole answer is fixed by the
generation: the first page then reads the answer's first parts instead of
running the query. At ×100, in one run: 60 to 100 times less time for the
first page (links-awaiting-review: 49 ms against 4.75 s live;
indicator-progress: 21 ms against 1.35 s), for a build about a quarter longer
(the storing step grows by about each query's live time, most of it the
33,219 candidate links, which also double the file: 28 MB to 55 MB).

A query with a ``#+ stored-filter: PARAM contains`` (free text) is kept not
as an answer but as the folded texts any word is looked for in, in tables of
their own (:mod:`.stored_texts`).

A generation is never written again once it is live, so a stored answer can
never be stale for the graph beside it; the file is written before the
generation goes live and removed with it. An answer is used only when the
query's text is still the text it was computed from (a changed query file is
answered live until the next build), only from a file of this layout (an
older build's file is answered live, never misread), and it is run with no
parameters or only with parameters that the query declares to pick rows of
its whole answer.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import QueryError
from . import stored_texts
from .sparql import (
    QueryResult,
    RowStream,
    Runnable,
    Value,
    python_value,
    run_for_every_value,
    run_in_process,
)

FILE = "answers.sqlite"
#: The file's layout (``PRAGMA user_version``); a file of any other is answered live.
LAYOUT = 2
#: Most rows in one part: a first page decodes no more than this.
PART_ROWS = 500
#: The key the whole answer is kept under.
WHOLE = ("", "")

_SCHEMA = f"""
PRAGMA user_version = {LAYOUT};
CREATE TABLE answer (query TEXT PRIMARY KEY, digest TEXT NOT NULL, variables TEXT NOT NULL);
CREATE TABLE part (query TEXT, parameter TEXT, value TEXT, n INTEGER,
    low, high, numbers TEXT NOT NULL, rows TEXT NOT NULL,
    PRIMARY KEY (query, parameter, value, n)) WITHOUT ROWID;
"""


class RowKeys(Protocol):
    """A declared row filter (queries.catalog.StoredFilter): what each row is kept under."""

    parameter: str
    #: The columns it reads (for ``within``: the start and the end of the range).
    columns: tuple[str, ...]
    #: ``=``, ``in`` or ``of`` (read from the row), ``by query`` or ``within``.
    relation: str
    #: For ``by query``: every value the parameter takes, each asked of the query.
    values: tuple[str, ...]
    #: For ``contains``: the texts' query and the answer's columns (:mod:`.stored_texts`).
    source: Runnable | None
    answer: tuple[str, ...]

    def keys(self, row: Mapping[str, object]) -> Iterable[str]: ...


class RowFilter(Protocol):
    """The rows that answer some parameters (queries.catalog.RowSelection)."""

    #: (parameter, key) pairs a kept row is filed under, every one of them.
    wanted: tuple[tuple[str, str], ...]

    #: The ``within`` filter's columns (start, end) and the value a kept row's range
    #: must hold (None: no range asked).
    span: tuple[str, ...]
    within: int | None
    #: The folded text a ``contains`` filter looks for (:mod:`.stored_texts`), or None.
    contains: str | None


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

    def stored_bindings(self, given: Mapping[str, str]) -> dict: ...

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
    return write(target, target / FILE, queries, progress)


def write(
    target: Path,
    path: Path,
    queries: Iterable[StorableQuery],
    progress: Callable[[str], None] | None = None,
) -> int:
    """Answer ``queries`` on generation ``target`` into the file ``path``; return how many.

    ``queries`` may be handed out as they are asked for (:mod:`.answer_process`
    shares them between two processes), so they are counted as they come.
    """
    path.unlink(missing_ok=True)
    store = ox.Store.read_only(str(target))
    connection = sqlite3.connect(path)
    count = 0
    try:
        connection.execute("PRAGMA journal_mode = OFF")  # a failed build is thrown away whole
        connection.executescript(_SCHEMA)
        for query in queries:
            if progress:
                progress(f"storing the answer of {query.name}")
            try:
                _write(connection, store, query)
            except (QueryError, SyntaxError) as error:  # the message names the failed query
                if query.name in str(error):
                    raise
                raise QueryError(f"{query.name}: {error}") from None
            count += 1
        connection.commit()
    finally:
        connection.close()
        del store
    return count


def merge(path: Path, other: Path) -> list[str]:
    """Move the answers written to ``other`` into ``path`` (both written by :func:`write`),
    delete ``other`` and return the names of every query ``path`` then answers."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("ATTACH DATABASE ? AS other", (str(other),))
        connection.execute("INSERT INTO answer SELECT query, digest, variables FROM other.answer")
        connection.execute(
            "INSERT INTO part SELECT query, parameter, value, n, low, high, numbers, rows "
            "FROM other.part"
        )
        stored_texts.merge_attached(connection, "other")
        connection.commit()
        connection.execute("DETACH DATABASE other")
        names = [name for (name,) in connection.execute("SELECT query FROM answer")]
    finally:
        connection.close()
    other.unlink()
    return names


def _write(connection: sqlite3.Connection, store: ox.Store, query: StorableQuery) -> None:
    """The whole answer, and again the rows each declared filter files under each key."""
    searched = next((f for f in query.stored_filters if f.relation == "contains"), None)
    if searched is not None:  # not an answer: the texts any word is looked for in
        others = [f for f in query.stored_filters if f is not searched]
        stored_texts.write(connection, store, query.name, searched, others)
        connection.execute(
            "INSERT INTO answer VALUES (?, ?, ?)",
            (query.name, _digest(query), json.dumps(searched.answer)),
        )
        return
    result = run_in_process(store, query, query.stored_bindings({}))
    texts = [
        json.dumps([row.get(v) for v in result.variables], ensure_ascii=False)
        for row in result.rows
    ]
    filed: dict[tuple[str, str], list[int]] = {WHOLE: list(range(len(texts)))}
    for keyed in query.stored_filters:
        if keyed.relation == "by query":
            filed.update(_asked(store, query, keyed, result.variables, texts))
        elif keyed.relation != "within":
            for n, row in enumerate(result.rows):
                for key in sorted(set(keyed.keys(row))):
                    filed.setdefault((keyed.parameter, key), []).append(n)
    span = next((f.columns for f in query.stored_filters if f.relation == "within"), None)
    connection.executemany(
        "INSERT INTO part VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                query.name,
                parameter,
                value,
                first // PART_ROWS,
                *_span(span, [result.rows[n] for n in numbers[first : first + PART_ROWS]]),
                json.dumps(numbers[first : first + PART_ROWS]),
                "[" + ",".join(texts[n] for n in numbers[first : first + PART_ROWS]) + "]",
            )
            for (parameter, value), numbers in filed.items()
            for first in range(0, len(numbers), PART_ROWS)
        ),
    )
    connection.execute(
        "INSERT INTO answer VALUES (?, ?, ?)",
        (query.name, _digest(query), json.dumps(result.variables)),
    )


def _span(columns: tuple[str, ...] | None, rows: list[dict]) -> tuple[Value, Value]:
    """The lowest start and the highest end of the rows' ranges (``within``), None where
    a row's end is open (unbound, or not a number): no value outside holds a row."""
    if columns is None:
        return None, None
    starts, ends = ([row.get(column) for row in rows] for column in columns)
    low = min(starts) if all(map(_number, starts)) else None  # type: ignore[type-var]
    high = max(ends) if all(map(_number, ends)) else None  # type: ignore[type-var]
    return low, high


#: The types SPARQL compares with a number (a boolean is not one of them).
_NUMBERS = (int, float)


def _number(value: object) -> bool:
    return type(value) in _NUMBERS


def _asked(
    store: ox.Store,
    query: StorableQuery,
    keyed: RowKeys,
    variables: list[str],
    texts: list[str],
) -> dict[tuple[str, str], list[int]]:
    """Where the rows the query answers for each of the parameter's values stand in its
    whole answer, in order: asked once for all the values together.

    A ``by query`` filter promises that the parameter only drops rows: the
    answer for one value is the whole answer with rows left out. A row that is
    not there breaks the promise and the build. The rows of the whole answer
    must differ from one another (SELECT DISTINCT), or a row would not say
    which of its copies a value's answer holds.
    """
    where = {text: n for n, text in enumerate(texts)}
    if len(where) < len(texts):
        raise QueryError(
            f"{query.path}: its answer holds a row twice; '#+ stored-filter: "
            f"{keyed.parameter} by query' needs rows that differ (SELECT DISTINCT)"
        )
    terms = {
        value: query.stored_bindings({keyed.parameter: value})[keyed.parameter]
        for value in keyed.values
    }
    values = {python_value(term): value for value, term in terms.items()}
    column = f"_{keyed.parameter}"
    try:
        asked = run_for_every_value(
            store, query, query.stored_bindings({}), keyed.parameter, terms.values()
        )
    except QueryError as error:
        raise QueryError(
            f"{query.path}: {error}; '#+ stored-filter: {keyed.parameter} by query' needs "
            "a filter that only leaves rows out (no grouping, no LIMIT)"
        ) from None
    places: dict[tuple[str, str], list[int]] = {(keyed.parameter, v): [] for v in terms}
    for row in asked.rows:
        value = values[row[column]]
        text = json.dumps([row.get(v) for v in variables], ensure_ascii=False)
        if text not in where:
            raise QueryError(
                f"{query.path}: asked for {keyed.parameter}={value}, the query answers a row "
                f"its whole answer lacks; '#+ stored-filter: {keyed.parameter} by query' "
                "needs a filter that only leaves rows out"
            )
        places[(keyed.parameter, value)].append(where[text])
    return {key: sorted(numbers) for key, numbers in places.items()}


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
        (layout,) = connection.execute("PRAGMA user_version").fetchone()
        record = (
            connection.execute(
                "SELECT digest, variables FROM answer WHERE query = ?", (query.name,)
            ).fetchone()
            if layout == LAYOUT
            else None
        )
    except sqlite3.Error:
        return None
    if record is None or record[0] != _digest(query):
        connection.close()
        return None
    variables = json.loads(record[1])
    filters = {keyed.parameter: keyed for keyed in query.stored_filters}
    if keep.contains is not None:
        record = stored_texts.kept(connection, query.name, filters)
        if record is None:
            return None
        found = stored_texts.rows(connection, path, query.name, variables, keep, filters, record)
        return RowStream(variables, _limited(found, limit))
    rows = _rows(connection, path, query.name, variables, keep, filters)
    return RowStream(variables, _limited(rows, limit))


def _limited(rows: Generator[dict, None, None], limit: int | None) -> Iterator[dict]:
    """The first ``limit`` rows; the file is closed when they stop."""
    if limit is None:
        yield from rows
        return
    try:
        if limit <= 0:
            return
        for count, row in enumerate(rows, 1):
            yield row
            if count == limit:
                return
    finally:
        rows.close()


def _rows(
    connection: sqlite3.Connection,
    path: Path,
    name: str,
    variables: list[str],
    keep: RowFilter,
    filters: Mapping[str, RowKeys],
) -> Generator[dict, None, None]:
    """The kept rows in their stored order: the parts of one key, the others as a check.

    A row's other keys are read from the row where their filter reads a column
    (as they were when it was filed), else from the places filed under them.
    """
    try:
        wanted = list(keep.wanted) or [WHOLE]
        if len(wanted) > 1:
            wanted.sort(key=lambda key: _parts(connection, name, key))
        asked = [key for key in wanted[1:] if filters[key[0]].relation == "by query"]
        among = [_numbers(connection, path, name, key) for key in asked]
        shown = [(filters[p], v) for p, v in wanted[1:] if (p, v) not in asked]
        spans = (
            ""
            if keep.within is None
            else " AND (low IS NULL OR low <= ?) AND (high IS NULL OR high >= ?)"
        )
        cursor = connection.execute(
            "SELECT numbers, rows FROM part WHERE query = ? AND parameter = ? AND value = ?"
            f"{spans} ORDER BY n",
            (name, *wanted[0], *([] if keep.within is None else [keep.within] * 2)),
        )
        for numbers, rows in cursor:
            decoded = _decoded(rows, path)
            if among:  # the places are read only to be checked
                places = _decoded(numbers, path)
                decoded = [
                    v for n, v in zip(places, decoded, strict=True) if all(n in a for a in among)
                ]
            if keep.within is not None:
                decoded = _holding(decoded, [variables.index(c) for c in keep.span], keep.within)
            kept = [dict(zip(variables, values, strict=True)) for values in decoded]
            if shown:
                kept = [row for row in kept if all(v in f.keys(row) for f, v in shown)]
            yield from kept
    except (sqlite3.Error, ValueError) as error:
        raise QueryError(f"{path}: the stored answer cannot be read ({error})") from None
    finally:
        connection.close()


def _holding(rows: list[list[Value]], span: list[int], value: int) -> list[list[Value]]:
    """The rows whose range holds ``value``, as ``FILTER(COALESCE(?start <= ?_p, true) &&
    COALESCE(?end >= ?_p, true))`` keeps them: an end that is unbound, or no number (a
    text, a boolean), compares with nothing and so holds every value."""
    start, end = span
    return [
        row
        for row in rows
        if (type(row[start]) not in _NUMBERS or row[start] <= value)  # type: ignore[operator]
        and (type(row[end]) not in _NUMBERS or row[end] >= value)  # type: ignore[operator]
    ]


def _parts(connection: sqlite3.Connection, name: str, key: tuple[str, str]) -> int:
    """How many parts hold the rows of ``key`` (-1: none), read from the index alone."""
    (last,) = connection.execute(
        "SELECT max(n) FROM part WHERE query = ? AND parameter = ? AND value = ?",
        (name, *key),
    ).fetchone()
    return -1 if last is None else last


def _numbers(
    connection: sqlite3.Connection, path: Path, name: str, key: tuple[str, str]
) -> set[int]:
    """The places of the rows kept under ``key``, read without their rows."""
    found: set[int] = set()
    for (numbers,) in connection.execute(
        "SELECT numbers FROM part WHERE query = ? AND parameter = ? AND value = ?",
        (name, *key),
    ):
        found.update(_decoded(numbers, path))
    return found


def _decoded(text: str, path: Path) -> list:
    try:
        return json.loads(text)
    except ValueError as error:
        raise QueryError(f"{path}: a stored answer's rows cannot be read ({error})") from None
