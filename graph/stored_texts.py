"""Free-text questions answered from the texts a build keeps (``PARAM contains``).

initiatives-by-keyword folds every text it searches (LCASE, then a REPLACE
per accented letter) and keeps those that CONTAIN the folded word: its answer
for any word costs a pass over every text of the archive (55.9 s for the first
page at ×1000). A stored answer of the default word helps no one who types
another. So the build keeps, instead of an answer, the texts the query reads,
folded once, with the groups of the answer each text belongs to; a question
folds its word exactly as the query folds it (:func:`fold`) and looks for it
in the folded texts::

    text_answer(query, digest, grouped, matched, fields)   the texts' query and columns
    text_group(query, n, row)         the answer's groups, in its order (n), as JSON arrays
    text_found(query, id, folded, places)   each distinct folded text once
    text_filed(query, parameter, value, places)   the texts of one plan (a key)

``places`` lists ``n * len(fields) + field``, comma-separated: the group and
which of its fields hold the text. A question reads the places of the texts
that contain the word (SQLite's ``instr``) as one list, sorts them, and reads
the groups' rows in the order of ``n`` only as far as they are asked for (a
first page stops at its rows); a question about one plan reads only that
plan's texts (``text_filed``: a JSON object of each text's id and its places
in that plan, one row per plan, as a row per text and plan repeated the key
in 540,657 rows at ×1000).

The groups are ordered here, as the query's ORDER BY orders them (its grouped
columns, each ascending, unbound first, then the fields): Oxigraph's ORDER BY
over the 96,616 text rows took 15 of the texts' query's 17 s at ×100. Texts
are kept once per distinct folded text (37,974 of them at ×100: organisation
names repeat in most initiatives), which a word is then looked for in.
Measured at ×100 on one run: looking for a word with ``instr`` over those
texts took 7 to 19 ms; reading them into Python to use ``in`` took longer
than ``instr`` itself. An FTS5 trigram index would find a long word faster
but not a word of one or two letters, and costs a second copy of the texts.

Measured in one run each, on a machine shared with other work (load 4 to 6
on two cores), the first page as the web application reads it (10,001 rows
asked, and their count) and the answers always identical to the live ones:
at ×100, 45 ms against 7.0 s live for the default word (2,818 rows), 93 ms
against 7.7 s for "born", 229 ms against 12.7 s for "a" (every initiative);
one plan, 3 ms against 143 ms live (scoped). At ×1000, 393 ms against 165 s
live for the default word (the 10,001 rows asked), one plan 8 ms against
119 ms; a word found nowhere still reads every text (315 ms). The price is
in the build: at ×100 the texts took 8 to 12 s to keep and 13 MB (the other
answers 55 MB), and two builds each way took 1.12 and 1.23 times as long as
without; at ×1000 they took 112 to 181 s and 119 MB (the other answers 329 MB).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
from collections.abc import Generator, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import QueryError
from .query_files import query_file
from .sparql import QueryText, Runnable, Value, run_in_process

SCHEMA = """
CREATE TABLE text_answer (query TEXT PRIMARY KEY, digest TEXT NOT NULL,
    grouped TEXT NOT NULL, matched TEXT NOT NULL, fields TEXT NOT NULL);
CREATE TABLE text_group (query TEXT, n INTEGER, row TEXT NOT NULL,
    PRIMARY KEY (query, n)) WITHOUT ROWID;
CREATE TABLE text_found (query TEXT, id INTEGER, folded TEXT NOT NULL, places TEXT NOT NULL,
    PRIMARY KEY (query, id)) WITHOUT ROWID;
CREATE TABLE text_filed (query TEXT, parameter TEXT, value TEXT, places TEXT NOT NULL,
    PRIMARY KEY (query, parameter, value)) WITHOUT ROWID;
"""
#: Every table of SCHEMA with its columns, for copying one file's texts into another.
_COLUMNS = {
    "text_answer": "query, digest, grouped, matched, fields",
    "text_group": "query, n, row",
    "text_found": "query, id, folded, places",
    "text_filed": "query, parameter, value, places",
}
#: Groups whose rows are read at once.
GROUP_BATCH = 500
#: The letters the saved query folds one by one (its BINDs of REPLACE), and what to.
_ACCENTS = str.maketrans("åæàáâäøöòóôéèêëúùûüíìîï", "aaaaaaoooooeeeeuuuuiiii")
_DOUBLED_A = re.compile("a[ae]")


def fold(text: str) -> str:
    """``text`` as initiatives-by-keyword folds it in SPARQL: ``LCASE``, each accented
    letter replaced by its plain one, then ``a[ae]`` by ``a`` and ``oe`` by ``o``.

    The lower case is SPARQL's own (:func:`lower_case`): Python's ``str.lower``
    follows the Unicode of the Python build (14.0 in Python 3.11) and Oxigraph's
    LCASE that of its Rust (16.0 in pyoxigraph 0.5), so the 55 capitals added
    in between stayed capitals in Python. tests/test_stored_texts.py compares
    this with the query's folding letter by letter, every code point.
    """
    return fold_lowered(lower_case(text))


def fold_lowered(lowered: str) -> str:
    """A text LCASE has made lower case, folded as the rest of the query's BINDs fold it."""
    return _DOUBLED_A.sub("a", lowered.translate(_ACCENTS)).replace("oe", "o")


@lru_cache(maxsize=256)
def lower_case(text: str) -> str:
    """``LCASE(STR(text))``, asked of an empty store (graph/queries/lower-case.rq)."""
    query = QueryText(query_file(__package__, "lower-case"), "graph/queries/lower-case.rq")
    (row,) = run_in_process(ox.Store(), query, {"text": ox.Literal(text)}).rows
    return str(row["lower"])


class Keyed(Protocol):
    """A declared filter (queries.catalog.StoredFilter): ``contains``, or one beside it."""

    parameter: str
    #: For ``contains``: the text column and the field column of the texts' query.
    columns: tuple[str, ...]
    relation: str
    #: For ``contains``: the texts' query, and the answer's columns.
    source: Runnable | None
    answer: tuple[str, ...]

    def keys(self, row: Mapping[str, object]) -> Iterable[str]:
        """For a filter beside it (``plan = ?plan``): the keys a group is filed under."""
        ...


class Asked(Protocol):
    """The question (queries.catalog.RowSelection): the folded word and the keys wanted."""

    wanted: tuple[tuple[str, str], ...]
    contains: str | None


def digest(texts: Keyed) -> str:
    """The texts' query's digest: a changed texts query is answered live until a build."""
    assert texts.source is not None
    return hashlib.sha256(texts.source.text.encode()).hexdigest()


def write(
    connection: sqlite3.Connection,
    store: ox.Store,
    name: str,
    texts: Keyed,
    others: Sequence[Keyed],
) -> None:
    """Keep the texts of query ``name``: its groups in order, and each folded text's places."""
    assert texts.source is not None
    result = run_in_process(store, texts.source, {})
    text, field = texts.columns
    grouped = [v for v in result.variables if v not in texts.columns]
    matched = next(c for c in texts.answer if c not in grouped)
    keys = {tuple(row[c] for c in grouped) for row in result.rows}
    try:
        order = sorted(keys, key=lambda key: [_ascending(value) for value in key])
    except TypeError:
        raise QueryError(
            f"{name}: a column of the stored texts mixes numbers and text, which the build "
            "cannot order as SPARQL does"
        ) from None
    number = {key: n for n, key in enumerate(order)}
    fields = sorted({str(row[field]) for row in result.rows})
    place = {f: i for i, f in enumerate(fields)}
    folded: dict[str, str] = {}
    places: dict[str, set[int]] = {}
    for row in result.rows:
        lowered = str(row[text])  # LCASE'd by the texts' query
        found = folded.get(lowered)
        if found is None:
            found = folded[lowered] = fold_lowered(lowered)
        n = number[tuple(row[c] for c in grouped)]
        places.setdefault(found, set()).add(n * len(fields) + place[str(row[field])])
    ids = {found: i for i, found in enumerate(places)}
    if not _has_tables(connection):
        connection.executescript(SCHEMA)
    connection.execute(
        "INSERT INTO text_answer VALUES (?, ?, ?, ?, ?)",
        (name, digest(texts), json.dumps(grouped), matched, json.dumps(fields)),
    )
    connection.executemany(
        "INSERT INTO text_group VALUES (?, ?, ?)",
        ((name, n, json.dumps(list(key), ensure_ascii=False)) for n, key in enumerate(order)),
    )
    connection.executemany(
        "INSERT INTO text_found VALUES (?, ?, ?, ?)",
        ((name, ids[found], found, _listed(at)) for found, at in places.items()),
    )
    filed: dict[tuple[str, str], dict[int, list[int]]] = {}
    for keyed in others:
        groups = {
            n: frozenset(keyed.keys(dict(zip(grouped, key, strict=True))))
            for n, key in enumerate(order)
        }
        for found, at in places.items():
            for p in sorted(at):
                for value in groups[p // len(fields)]:
                    kept = filed.setdefault((keyed.parameter, value), {})
                    kept.setdefault(ids[found], []).append(p)
    connection.executemany(
        "INSERT INTO text_filed VALUES (?, ?, ?, ?)",
        (
            (name, *key, json.dumps({i: _listed(at) for i, at in texts.items()}))
            for key, texts in filed.items()
        ),
    )


def _listed(places: Iterable[int]) -> str:
    """Places as SQLite's ``group_concat`` joins texts, so that many read as one JSON array."""
    return ",".join(map(str, sorted(places)))


def merge_attached(connection: sqlite3.Connection, schema: str) -> None:
    """Copy the texts of the attached database ``schema`` into ``connection``'s own.

    The build's two processes each write the queries they took to a file of their
    own (:mod:`.answer_process`); a query's texts are written whole by one of
    them, so its rows never meet the other's.
    """
    if not _has_tables(connection, schema):
        return
    if not _has_tables(connection):
        connection.executescript(SCHEMA)
    for table, columns in _COLUMNS.items():
        copy = "INSERT INTO main.{table} SELECT {columns} FROM {schema}.{table}"
        connection.execute(copy.format(table=table, columns=columns, schema=schema))


def _has_tables(connection: sqlite3.Connection, schema: str = "main") -> bool:
    return bool(
        connection.execute(
            f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = 'text_answer'"
        ).fetchone()
    )


def _ascending(value: Value) -> tuple[int, Value]:
    """A grouped column's value as ORDER BY sorts it: unbound first, then texts by code
    point (as Oxigraph compares strings) or numbers by value; text beside a number
    cannot be compared (TypeError)."""
    return (0, "") if value is None else (1, value)


def kept(
    connection: sqlite3.Connection, name: str, filters: Mapping[str, Keyed]
) -> tuple[str, str, str, str] | None:
    """What the file keeps of query ``name``'s texts (for :func:`rows`); None (and the file
    closed) if it keeps none of this texts' query (``digest``): then it runs live."""
    try:
        record = connection.execute(
            "SELECT digest, grouped, matched, fields FROM text_answer WHERE query = ?", (name,)
        ).fetchone()
    except sqlite3.Error:
        record = None
    texts = next(f for f in filters.values() if f.relation == "contains")
    if record is None or record[0] != digest(texts):
        connection.close()
        return None
    return record


def rows(
    connection: sqlite3.Connection,
    path: Path,
    name: str,
    variables: list[str],
    asked: Asked,
    filters: Mapping[str, Keyed],
    record: tuple[str, str, str, str],
) -> Generator[dict, None, None]:
    """The answer's rows for the folded word ``asked.contains``, in order, from what
    :func:`kept` found; the file is closed when they stop."""
    try:
        grouped, matched, fields = json.loads(record[1]), record[2], json.loads(record[3])
        if asked.wanted:
            filed = connection.execute(
                "SELECT places FROM text_filed WHERE query = ? AND parameter = ? AND value = ?",
                (name, *asked.wanted[0]),
            ).fetchone()
            at = json.loads(filed[0]) if filed else {}
            places = ",".join(
                at[str(i)]
                for (i,) in connection.execute(
                    "SELECT id FROM text_found WHERE query = ? AND id IN"
                    " (SELECT CAST(key AS INTEGER) FROM json_each(?)) AND instr(folded, ?)",
                    (name, filed[0] if filed else "{}", asked.contains),
                )
            )
        else:
            (places,) = connection.execute(
                "SELECT group_concat(places) FROM text_found WHERE query = ? AND instr(folded, ?)",
                (name, asked.contains),
            ).fetchone()
        # One decoding and one sort in C; the groups are then read only as far as asked.
        ordered = sorted(set(json.loads(f"[{places or ''}]")))
        width = len(fields)
        found = (
            (n, ", ".join(fields[p % width] for p in at))
            for n, at in itertools.groupby(ordered, key=lambda p: p // width)
        )
        shown = [(filters[p], v) for p, v in asked.wanted[1:]]
        while batch := list(itertools.islice(found, GROUP_BATCH)):
            texts = [
                row
                for (row,) in connection.execute(
                    "SELECT row FROM text_group WHERE query = ? AND n IN"
                    " (SELECT value FROM json_each(?)) ORDER BY n",
                    (name, json.dumps([n for n, _ in batch])),
                )
            ]
            for (_, where), values in zip(batch, json.loads(f"[{','.join(texts)}]"), strict=True):
                kept = dict(zip(grouped, values, strict=True))
                kept[matched] = where
                if all(v in f.keys(kept) for f, v in shown):
                    yield {v: kept[v] for v in variables}
    except (sqlite3.Error, ValueError) as error:
        raise QueryError(f"{path}: the stored texts cannot be read ({error})") from None
    finally:
        connection.close()
