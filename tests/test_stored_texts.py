"""initiatives-by-keyword answered from the texts the build keeps (``keyword contains``).

The stored form promises the live query's answer exactly: the same rows in
the same order with the same matchedIn, for any word and any plan. These
tests hold it to that against the live SPARQL on the bundled store, and hold
the Python folding to the query's own SPARQL folding letter by letter.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from indsatsgraf import api
from indsatsgraf.graph import answers
from indsatsgraf.graph.names import Names
from indsatsgraf.graph.sparql import run_embedded
from indsatsgraf.graph.stored_texts import fold
from indsatsgraf.queries.catalog import QueryError, parse_query_file, saved_queries

NAME = "initiatives-by-keyword"
#: Words of every kind a person types: the documented examples, Danish letters and their
#: spellings without them, case, a phrase, regex specials, accents, one letter, no hit.
KEYWORDS = (
    "hjerneskade",
    "samraadet",
    "samrådet",
    "Moller",
    "Møller",
    "aa",
    "AE",
    "æ",
    "oe",
    "Ø",
    "HJERNESKADE",
    "HjErNeSkAdE",
    "borgere med",
    " hjerne",
    "børn og unge",
    ".",
    "(",
    ")",
    "*",
    "\\",
    "[a-z]",
    "$",
    "^",
    "+",
    "?",
    "'",
    '"',
    "xylofonorkester",
    "k",
    "é",
    "ü",
    "café",
    "Über",
    "2015",
)


def query():
    return saved_queries()[NAME]


def _same(generation: Path, oxstore, given: dict[str, str], names: Names) -> int:
    """Asserts the stored answer is the live one and was read from the file; its rows."""
    saved = query()
    kept = answers.stored(generation, saved, given, names=names)
    assert kept is not None, f"{given} was not answered from the stored texts"
    live = run_embedded(oxstore, saved, saved.bindings(given, names))
    assert kept.variables == live.variables
    assert kept.rows == live.rows, given
    return len(live.rows)


def test_every_word_is_answered_as_the_live_query(built_store, oxstore) -> None:
    generation = built_store.current.resolve()
    names = Names.of_store(oxstore)
    found = {word: _same(generation, oxstore, {"keyword": word}, names) for word in KEYWORDS}
    assert found["hjerneskade"] > 0 and found["xylofonorkester"] == 0
    assert found["samraadet"] == found["samrådet"] > 0
    assert found["aa"] == found["æ"] > 0
    assert sum(rows > 0 for rows in found.values()) >= len(KEYWORDS) // 2, found
    several = [row["matchedIn"] for row in answers.stored(generation, query(), {}).rows]
    assert any(", " in fields for fields in several), "one field per row would prove little"


def test_the_default_word_is_answered_from_the_file(built_store, oxstore) -> None:
    generation = built_store.current.resolve()
    kept = answers.stored(generation, query(), {})
    assert kept is not None and kept.rows
    assert kept.rows == answers.stored(generation, query(), {"keyword": "hjerneskade"}).rows
    assert answers.stored(generation, query(), {}, limit=3).rows == kept.rows[:3]


@pytest.mark.parametrize("word", ["hjerneskade", "a", "borgere", "æ", "xylofonorkester"])
def test_every_plan_is_answered_as_the_live_query(built_store, oxstore, word: str) -> None:
    generation = built_store.current.resolve()
    names = Names.of_store(oxstore)
    plans = names.plans()
    assert len(plans) == 5
    found = []
    for plan in plans:
        for named in (plan.file_name, plan.iri):
            found.append(_same(generation, oxstore, {"keyword": word, "plan": named}, names))
    if word in ("a", "borgere"):
        assert sum(rows > 0 for rows in found) >= 6


def test_an_empty_word_is_refused_as_live(built_store, oxstore) -> None:
    generation = built_store.current.resolve()
    for empty in ("", "   "):
        with pytest.raises(QueryError, match="give a non-empty text") as stored:
            answers.stored(generation, query(), {"keyword": empty})
        with pytest.raises(QueryError) as live:
            query().bindings({"keyword": empty})
        assert str(stored.value) == str(live.value)
        with pytest.raises(QueryError, match="give a non-empty text"):
            api.run_query(NAME, {"keyword": empty}, store=oxstore, store_path=built_store.path)


def test_a_changed_texts_query_is_answered_live(built_store) -> None:
    """The texts' query has a digest of its own: changed, the stored texts are not read."""
    generation = built_store.current.resolve()
    saved = query()
    texts = next(f for f in saved.stored_filters if f.relation == "contains")
    edited = replace(texts.source, text=texts.source.text.replace('"status"', '"state"'))
    changed = replace(
        saved,
        stored_filters=tuple(
            replace(f, source=edited) if f is texts else f for f in saved.stored_filters
        ),
    )
    assert answers.stored(generation, saved, {"keyword": "borgere"}) is not None
    assert answers.stored(generation, changed, {"keyword": "borgere"}) is None
    assert answers.stored(generation, replace(saved, text=saved.text + "\n"), {}) is None


def _sparql_folds(words: list[str]) -> list[str]:
    """The words as the saved query's own BINDs fold them (its ?foldedWord chain), in SPARQL."""
    chain = [line for line in query().text.splitlines() if "AS ?foldedWord" in line]
    assert len(chain) == 25
    values = " ".join(str(ox.Literal(word)) for word in words)
    text = (
        "SELECT ?_keyword ?foldedWord WHERE { VALUES ?_keyword { "
        + values
        + " }\n"
        + "\n".join(chain)
        + "}"
    )
    folded = {s["_keyword"].value: s["foldedWord"].value for s in ox.Store().query(text)}
    return [folded[word] for word in words]


def test_python_folds_every_letter_as_the_query_folds_it() -> None:
    """str.lower against LCASE, one letter at a time, then words whose folding needs context."""
    letters = [
        chr(point)
        for point in range(1, sys.maxunicode + 1)
        if not 0xD800 <= point <= 0xDFFF
        and (point < 0x3000 or chr(point).lower() != chr(point) or chr(point).upper() != chr(point))
    ]
    words = [
        "ΟΔΟΣ",
        "ΑΣ Β",
        "Σ",
        "İstanbul",
        "aae",
        "aaa",
        "aea",
        "oee",
        "ÅE",
        "AÆ",
        "ØE",
        "Straße",
        "ǅ",
        "Hjerneskadesamrådet",
    ]
    for first in range(0, len(letters), 5000):
        batch = letters[first : first + 5000]
        assert [fold(letter) for letter in batch] == _sparql_folds(batch)
    assert [fold(word) for word in words] == _sparql_folds(words)
    assert fold("Hjerneskadesamrådet") == "hjerneskadesamradet"
    assert fold("AAE") == "ae"


def _header(tmp_path: Path, line: str, texts: str | None = None) -> Path:
    (tmp_path / "stored").mkdir(exist_ok=True)
    if texts is not None:
        (tmp_path / "stored" / "t.rq").write_text(texts)
    path = tmp_path / "q.rq"
    body = "SELECT ?s (GROUP_CONCAT(?f) AS ?fs) WHERE { ?s ?f ?o FILTER(CONTAINS(?o, ?_word)) } GROUP BY ?s ORDER BY ?s"
    path.write_text(
        f"#+ param: word text = a — w\n#+ param: n integer — n\n#+ stored: yes\n{line}\n{body}\n"
    )
    return path


TEXTS = "SELECT ?s ?f ?o WHERE { ?s ?f ?o }\n"


@pytest.mark.parametrize(
    ("line", "texts", "message"),
    [
        (
            "#+ stored-filter: n contains ?o ?f from stored/t.rq",
            TEXTS,
            "filter is 'within', not 'contains'",
        ),
        ("#+ stored-filter: word contains ?o ?f from t.rq", TEXTS, "in a folder below"),
        ("#+ stored-filter: word contains ?o ?f from ../t.rq", TEXTS, "in a folder below"),
        ("#+ stored-filter: word contains ?o ?g from stored/t.rq", TEXTS, "has no column"),
        (
            "#+ stored-filter: word contains ?o ?f from stored/t.rq",
            "SELECT ?x ?f ?o WHERE { ?x ?f ?o }\n",
            "must answer the query's columns",
        ),
        (
            "#+ stored-filter: word contains ?o ?f from stored/t.rq",
            "#+ param: x text — x\n" + TEXTS,
            "take no parameters",
        ),
        ("#+ stored-filter: word contains ?o from stored/t.rq", TEXTS, "PARAM contains"),
        (
            "#+ stored-filter: word contains ?o ?f from stored/t.rq\n"
            "#+ stored-filter: n within ?s ?fs",
            TEXTS,
            "beside a 'contains' filter",
        ),
    ],
)
def test_a_bad_contains_filter_is_named(tmp_path: Path, line: str, texts: str, message) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query_file(_header(tmp_path, line, texts))


def test_a_good_contains_filter_is_read(tmp_path: Path) -> None:
    path = _header(tmp_path, "#+ stored-filter: word contains ?o ?f from stored/t.rq", TEXTS)
    (keyed,) = parse_query_file(path).stored_filters
    assert (keyed.relation, keyed.columns, keyed.answer) == ("contains", ("o", "f"), ("s", "fs"))
    assert parse_query_file(path).row_filter({"word": "ÆBLE"}).contains == "able"


def test_the_command_and_the_web_read_the_stored_texts(built_store, tmp_path: Path) -> None:
    """A marker written into the stored groups shows that `query` and the web page read them."""
    import json
    import shutil
    import sqlite3

    from click.testing import CliRunner
    from indsatsgraf.cli import main
    from indsatsgraf.web.library import Library

    copy = tmp_path / "store"
    shutil.copytree(built_store.path, copy, symlinks=True)
    with sqlite3.connect(copy / "current" / answers.FILE) as connection:
        changed = connection.execute(
            "UPDATE text_group SET row = json_set(row, '$[2]', 'STORED ' || json_extract(row, '$[2]'))"
            " WHERE query = ?",
            (NAME,),
        ).rowcount
    assert changed > 0
    result = CliRunner().invoke(
        main,
        ["--store", str(copy), "query", NAME, "-p", "keyword=borgere", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown and all(row["initiative"].startswith("STORED ") for row in shown)
    page = Library(copy).run(query(), {"keyword": "borgere", "plan": "2015"})
    assert page.rows and all(row["initiative"].startswith("STORED ") for row in page.rows)
