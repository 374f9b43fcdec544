"""A Danish full-text index over the graph: labels, descriptions and quoted source lines.

SPARQL's ``CONTAINS`` cannot find "botilbudspladser" for "botilbud" quickly, nor
"Århus" for "Aarhus", and scans every literal on every search. The index is an
SQLite FTS5 table (SQLite ships with Python, so nothing new to install or run):
each text is reduced to Danish stems (snowball) with æ/ø/å folded to ae/oe/aa,
and a query's words become stem prefixes, so inflected forms and compounds
that begin with the word match. Hits are ranked by BM25, a label hit weighing
more than a hit in a description or a quote.

At ×1000 a common word ("borgere") matches half a million texts, and FTS5
scores every match before it can sort (2 s). So the index holds each distinct
text once, with the things carrying it in a side table (an archive repeats its
texts across plans and years), numbers the texts in BM25 order once at build
time (:func:`_static_order`), and a search reads its matches in row order and
stops when it has enough things. The price: a word found twice in one text
counts as found once (the words' IDFs scale every match of a search alike, so
they do not change the order); at ×1000, 19 of the 22 benchmark searches that
find something show the same best text as FTS5's own bm25, and the other three
a shorter one ("Pårørende" before "Pårørendekurser for pårørende").

Measured at ×1000 (the 28 searches of benchmarks/web_load.py, 3 times each, one
run): FTS5 bm25 over every match took a median 275 ms, p95 1,695 ms; bm25 over
the first 5,000 matches in this row order 18 ms and 58 ms (on a busier
machine); reading matches in row order, prefixes spelled out, 1.0 ms and
5.2 ms. A prefix index (``prefix='2 3 4 5 6 7 8'``) tripled the writing time
and gained nothing measurable.

SQLite FTS5 rather than tantivy: measured on the ×1 graph with the same
stemmed terms (1,592 texts), FTS5 indexed in 0.25 s and tantivy in 0.46 s; a
query took 1.2 ms and 0.14 ms, and 91 % of the hits were the same. Both are far
below a page's budget, and FTS5 needs no new binary dependency and is one file
that can be written aside and renamed into place.

The index belongs to one generation of the store: a build writes it into the
new generation (``generations/N/search.sqlite``, see :func:`index_path`) before
the generation goes live, so the index always answers for exactly the graph
beside it, a failed build leaves the old one in use, and it is pruned with its
generation. :func:`build_index` writes to a temporary file and renames it into
place, so a reader sees either no index or a complete one. The build runs it in
a process of its own while it stores the answers (:mod:`.index_process`).

At ×100 (90,381 texts) most of the index's time is reading the texts: the
query of descriptions looks at every triple of each labelled thing; stemming
and writing SQLite take about a fifth.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph as ox

from .query_files import query_file
from .sparql import QueryText, texts_in_process

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
#: A word: letters and digits, as SQLite's unicode61 tokenizer reads them (not "_").
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Weights of the fields in the BM25 rank (labels count most).
FIELD_WEIGHT = {"label": 3.0, "description": 1.5, "quote": 1.0}
#: A class shown for a thing that has several: the most specific known one first.
CLASS_ORDER = (
    "Benchmark",
    "Priority",
    "Theme",
    "Goal",
    "Initiative",
    "BudgetItem",
    "Indicator",
    "Measurement",
    "Department",
    "Plan",
    "Partner",
)
IG = "https://w3id.org/indsatsgraf/ontology#"
FILE_NAME = "search.sqlite"
#: The layout of the index file (SQLite's user_version): an index written by an
#: older layout is not read but rebuilt (see :func:`is_current`).
FORMAT = 2
#: BM25's parameters as FTS5 sets them.
K1, B = 1.2, 0.75


def index_path(generation: Path) -> Path:
    """Where the index of the generation directory ``generation`` lives."""
    return Path(generation) / FILE_NAME


def is_current(path: Path) -> bool:
    """Whether the index at ``path`` has this module's layout (a generation built before
    the layout changed holds one that :func:`search` cannot read)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0] == FORMAT
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()


@dataclass(frozen=True)
class Hit:
    """One thing found, with the text that matched it and that text's score (higher is better)."""

    iri: str
    label: str
    class_iri: str
    class_label: str
    field: str
    text: str
    score: float


@cache
def _stemmer():  # snowballstemmer builds its tables on first use
    import snowballstemmer

    return snowballstemmer.stemmer("danish")


def terms(text: str) -> list[str]:
    """Danish stems of the words in ``text``, lower case, æ/ø/å folded to ae/oe/aa.

    "aa" in a query is the old spelling of "å" (Aarhus, Århus); folding both
    sides the same way makes them equal.
    """
    return list(filter(None, map(_term, _WORD.findall(text))))


@lru_cache(maxsize=2**18)
def _term(word: str) -> str:
    """One word as it was written, to its folded stem, remembered: an archive repeats a
    small vocabulary millions of times. The pure-Python stemmer took most of a ×100
    build's time (139 of 157 s) before its stems were remembered. Remembering the word
    as written, not its lower case, spares folding each of the repeats too: the ×100
    texts (90,381 of them, 2.7 million words) took 3.1 to 3.5 s that way and 1.7 to
    1.9 s this way, of which finding the words takes 1.5 s."""
    return _stemmer().stemWord(word.lower().replace("aa", "å")).translate(_FOLD)


def match_expression(db: sqlite3.Connection, text: str) -> str:
    """The FTS5 query for a user's text: every word's stem as a prefix, all required.

    A prefix is spelled out as the indexed terms it begins (from the ``vocabulary``
    table): FTS5 gathers all matches of a ``"stem"*`` query before returning the
    first (120 ms for "borg"* at ×1000), while it reads the matches of a list of
    terms lazily (0.2 ms for the same four terms), so a search that stops early
    stays cheap. Empty when a word begins no indexed term.
    """
    found = []
    for term in terms(text):
        (packed,) = db.execute(
            "SELECT json_group_array(term) FROM vocabulary WHERE term >= ? AND term < ?",
            (term, term + "\U0010ffff"),
        ).fetchone()
        words = json.loads(packed)
        if not words:
            return ""
        found.append("(" + " OR ".join(f'"{word}"' for word in words) + ")")
    return " AND ".join(found)


def _query(name: str) -> QueryText:
    return QueryText(query_file(__package__, name.removesuffix(".rq")), f"graph/queries/{name}")


def _classes(store: ox.Store) -> dict[str, tuple[str, str]]:
    """The class shown for each thing: the most specific of CLASS_ORDER, else any ig: class."""
    found: dict[str, dict[str, str]] = {}
    for thing, class_iri, class_label in texts_in_process(store, _query("thing-classes.rq")):
        found.setdefault(thing, {})[class_iri] = class_label
    chosen: dict[str, tuple[str, str]] = {}
    for thing, classes in found.items():
        ranked = sorted(
            classes,
            key=lambda c: (
                CLASS_ORDER.index(c[len(IG) :])
                if c.startswith(IG) and c[len(IG) :] in CLASS_ORDER
                else len(CLASS_ORDER) + (0 if c.startswith(IG) else 1),
                c,
            ),
        )
        chosen[thing] = (ranked[0], classes[ranked[0]] or ranked[0].rsplit("#", 1)[-1])
    return chosen


def _rows(store: ox.Store) -> Iterable[tuple[str, str, str, str, str, str]]:
    """Each thing's texts: (thing, its label, class, class label, field, text)."""
    classes = _classes(store)
    texts = list(texts_in_process(store, _query("search-texts.rq")))
    labels = {thing: text for thing, field, text in texts if field == "label"}
    for thing, field, text in texts:
        if text.strip():
            class_iri, class_label = classes.get(thing, ("", ""))
            yield (thing, labels.get(thing, thing), class_iri, class_label, field, text)


def build_index(store: ox.Store | Path, target: Path) -> int:
    """Write the index of ``store`` (an open store or a generation directory) to ``target``.

    Returns the number of distinct texts indexed. The file appears complete or not at all.
    """
    if not isinstance(store, ox.Store):
        store = ox.Store.read_only(str(store))
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".search-", suffix=".tmp")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as db:
            count = write_index(db, _rows(store))
        db.close()
        os.replace(temporary, target)
    except sqlite3.OperationalError as error:
        Path(temporary).unlink(missing_ok=True)
        if "full" in str(error):  # SQLite's word for ENOSPC: reported as the disk it is
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from None
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def write_index(db: sqlite3.Connection, rows: Iterable[tuple[str, ...]]) -> int:
    """Write the tables of the index into the empty database ``db``; the number of texts.

    Each distinct text of a field is indexed once, with the things that carry it in
    a side table (an archive repeats its texts across plans and years), and the
    texts are numbered best first (:func:`_static_order`), so that a search reads
    its matches in row order and stops when it has enough things.
    """
    things: dict[str, int] = {}
    described: list[tuple[int, str, str, str, str]] = []
    texts: dict[tuple[str, str], tuple[str, set[int]]] = {}
    for iri, label, class_iri, class_label, field, text in rows:
        thing = things.get(iri)
        if thing is None:
            thing = things[iri] = len(things)
            described.append((thing, iri, label, class_iri, class_label))
        carried = texts.get((field, text))
        if carried is None:  # stemmed once per distinct text
            texts[(field, text)] = (" ".join(terms(text)), {thing})
        else:
            carried[1].add(thing)
    order = _static_order(texts)
    db.execute(
        "CREATE TABLE things(id INTEGER PRIMARY KEY, iri TEXT, label TEXT,"
        " class TEXT, class_label TEXT)"
    )
    db.execute(
        "CREATE TABLE carriers(text INTEGER, thing INTEGER, PRIMARY KEY (text, thing))"
        " WITHOUT ROWID"
    )
    # detail=none: the index keeps which texts hold a term, not where or how often
    # (the score needs neither), which makes it smaller and a prefix's matches quick
    # to gather.
    db.execute(
        "CREATE VIRTUAL TABLE texts USING fts5(field UNINDEXED, text UNINDEXED,"
        " score UNINDEXED, terms, tokenize = 'unicode61 remove_diacritics 0', detail = none)"
    )
    db.executemany("INSERT INTO things VALUES (?, ?, ?, ?, ?)", described)
    db.executemany(
        "INSERT INTO texts(rowid, field, text, score, terms) VALUES (?, ?, ?, ?, ?)",
        (
            (rowid, field, text, score, texts[field, text][0])
            for rowid, ((field, text), score) in enumerate(order)
        ),
    )
    db.executemany(
        "INSERT INTO carriers VALUES (?, ?)",
        ((rowid, thing) for rowid, (key, _) in enumerate(order) for thing in sorted(texts[key][1])),
    )
    db.execute("INSERT INTO texts(texts) VALUES ('optimize')")
    # The terms as FTS5 tokenized them, for spelling out a prefix (match_expression).
    db.execute("CREATE TABLE vocabulary(term TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, texts, row)")
    db.execute("INSERT INTO vocabulary SELECT term FROM temp.terms")
    db.execute("DROP TABLE temp.terms")
    db.execute(f"PRAGMA user_version = {FORMAT}")
    return len(order)


def _static_order(
    texts: dict[tuple[str, str], tuple[str, set[int]]],
) -> list[tuple[tuple[str, str], float]]:
    """The texts with their scores, best first: BM25 with field weights, each word counted once.

    A text's BM25 for the words of a search (all of which it holds) is the sum of
    the words' IDFs times a factor that depends only on the text's field weight and
    length, once a word found twice counts as found once. So one order, computed
    here, ranks every search's matches exactly, and a search need not score the
    half million texts a common word matches at ×1000 (FTS5's bm25 took 2 s) to
    show the best 200. The score kept is that factor.
    """
    lengths = {key: stems.count(" ") + 1 for key, (stems, _) in texts.items()}
    average = sum(lengths.values()) / max(len(lengths), 1)

    def score(key: tuple[str, str]) -> float:
        weight = FIELD_WEIGHT[key[0]]
        return weight * (K1 + 1) / (weight + K1 * (1 - B + B * lengths[key] / average))

    scored = [(key, score(key)) for key in texts]
    scored.sort(key=lambda item: -item[1])  # stable: equal scores keep the graph's order
    return scored


def search(path: Path, text: str, limit: int = 200) -> list[Hit]:
    """The things whose texts match ``text``, best first, one hit (the best) per thing.

    Matches come in row order, which is score order (:func:`_static_order`), so
    reading stops as soon as ``limit`` things are found.
    """
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        expression = match_expression(db, text)
        if not expression:
            return []
        # The matches come back packed in one JSON row: SQLite hands Python's lock
        # back at every row it steps to, and while other page requests run Python
        # each hand-back waits for the lock again (web load at ×1, 20 clients, search
        # p50 about 400 ms a row at a time, 81 ms packed). The statement reads the
        # matches in score order and stops at ``window`` of them; a full window that
        # has not yet found ``limit`` things is read again four times as wide.
        window = 2 * limit
        while True:
            (packed,) = db.execute(
                "SELECT json_group_array(json_array(field, text, score, iri, label, class,"
                " class_label)) FROM (SELECT texts.field, texts.text, texts.score, iri, label,"
                " class, class_label FROM texts JOIN carriers ON carriers.text = texts.rowid"
                " JOIN things ON things.id = carriers.thing"
                " WHERE texts MATCH ? ORDER BY texts.rowid LIMIT ?)",
                (expression, window),
            ).fetchone()
            rows = json.loads(packed)
            best: dict[str, Hit] = {}
            for field, found, score, iri, label, class_iri, class_label in rows:
                if iri not in best:
                    best[iri] = Hit(iri, label, class_iri, class_label, field, found, score)
            if len(best) >= limit or len(rows) < window:
                break
            window *= 4
    finally:
        db.close()
    return list(best.values())[:limit]
