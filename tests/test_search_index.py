"""The search index's own rules: distinct texts indexed once, best hits first, prefixes.

Each test writes a small index from rows made up here (thing, label, class,
class label, field, text), as the build gives them to ``write_index``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from indsatsgraf.graph import search_index

ID = "https://w3id.org/indsatsgraf/id/test/"
INITIATIVE = (search_index.IG + "Initiative", "Indsats")
GOAL = (search_index.IG + "Goal", "Mål")


def _row(thing: str, label: str, field: str, text: str, kind=INITIATIVE) -> tuple[str, ...]:
    return (ID + thing, label, *kind, field, text)


def _index(tmp_path: Path, rows: list[tuple[str, ...]]) -> Path:
    path = tmp_path / search_index.FILE_NAME
    with sqlite3.connect(path) as db:
        search_index.write_index(db, rows)
    db.close()
    return path


def _labelled(thing: str, label: str, kind=INITIATIVE) -> tuple[str, ...]:
    return _row(thing, label, "label", label, kind)


SHARED = "Flere botilbudspladser til unge med autisme i hele kommunen"


@pytest.fixture
def repeated(tmp_path: Path) -> Path:
    """Three plans' initiatives quoting the same source line, as an archive repeats them."""
    rows = []
    for year in (2019, 2021, 2023):
        label = f"Boliger til unge {year}"
        rows += [_labelled(f"i{year}", label), _row(f"i{year}", label, "quote", SHARED)]
    rows.append(_labelled("g1", "Et trygt hjem", GOAL))
    return _index(tmp_path, rows)


def test_a_text_repeated_across_things_is_indexed_once_and_finds_each_of_them(repeated):
    with sqlite3.connect(f"file:{repeated}?mode=ro", uri=True) as db:
        copies = db.execute("SELECT count(*) FROM texts WHERE text = ?", (SHARED,)).fetchone()
    assert copies == (1,)
    hits = search_index.search(repeated, "botilbud")
    assert sorted(hit.iri for hit in hits) == [ID + "i2019", ID + "i2021", ID + "i2023"]
    assert {(hit.field, hit.text, hit.class_label) for hit in hits} == {
        ("quote", SHARED, "Indsats")
    }
    assert [hit.label for hit in hits if hit.iri == ID + "i2021"] == ["Boliger til unge 2021"]


def test_every_word_must_match_and_a_word_beginning_no_term_finds_nothing(repeated):
    assert {hit.iri for hit in search_index.search(repeated, "unge autisme")} == {
        ID + "i2019",
        ID + "i2021",
        ID + "i2023",
    }
    assert search_index.search(repeated, "unge hjem") == []
    assert search_index.search(repeated, "trafiksikkerhed") == []
    assert [hit.iri for hit in search_index.search(repeated, "trygge")] == [ID + "g1"]


def test_words_joined_by_an_underscore_are_two_words(repeated):
    assert len(search_index.search(repeated, "autisme_botilbud")) == 3


def test_the_best_hits_come_first_however_many_texts_match(tmp_path):
    """BM25 with field weights: label before description before quote, shorter before
    longer (a five-word description outweighs a one-word quote when texts average
    some thirty words); a search that stops at its limit still returns the best."""
    filler = " ".join(["de", "mange", "andre", "ord", "i", "en", "lang", "linje"] * 3)
    rows = [
        _row(f"q{n}", f"Indsats nummer {n}", "quote", f"Borgere {filler} {'og mere ' * n}")
        for n in range(60)
    ]
    rows += [
        _row("d1", "Beskrevet indsats", "description", "Støtte til borgere med handicap"),
        _labelled("l1", "Borgerrådgiver"),
        _row("q-short", "Kort citat", "quote", "Borgerne"),
    ]
    path = _index(tmp_path, rows)
    hits = search_index.search(path, "borgere", limit=5)
    assert [hit.iri for hit in hits[:3]] == [ID + "l1", ID + "d1", ID + "q-short"]
    assert [hit.iri for hit in hits[3:]] == [ID + "q0", ID + "q1"]
    scores = [hit.score for hit in search_index.search(path, "borgere")]
    assert len(scores) == 63 and scores == sorted(scores, reverse=True)


def test_a_thing_found_by_several_texts_is_shown_once_by_its_best(tmp_path):
    rows = [
        _labelled("i1", "Botilbud i byen"),
        _row("i1", "Botilbud i byen", "quote", "Nye botilbud bygges i løbet af planperioden"),
        _row("i2", "Andet", "quote", "Botilbud"),
    ]
    hits = search_index.search(_index(tmp_path, rows), "botilbud")
    assert [(hit.iri, hit.field) for hit in hits] == [(ID + "i1", "label"), (ID + "i2", "quote")]


def test_a_search_reads_on_until_it_has_found_enough_things(tmp_path):
    """Matches are read a window at a time; one thing's many texts can fill a window."""
    rows = [_row("many", "Mange", "quote", f"Botilbud nummer {n}") for n in range(40)]
    rows.append(_row("other", "Anden", "quote", "Botilbud og meget mere tekst end de andre"))
    path = _index(tmp_path, rows)
    hits = search_index.search(path, "botilbud", limit=2)
    assert [hit.iri for hit in hits] == [ID + "many", ID + "other"]


def _tables(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = {
            table: db.execute(f"SELECT * FROM {table}").fetchall()
            for table in ("things", "carriers", "vocabulary")
        }
        tables["texts"] = db.execute("SELECT rowid, * FROM texts ORDER BY rowid").fetchall()
    db.close()
    return tables


def test_the_build_writes_the_index_the_general_query_path_gives(oxstore, tmp_path, monkeypatch):
    """The build reads the texts as plain strings (sparql.texts_in_process) and remembers
    each word's stem as written; the index must be, row for row, the one written from
    the general query path (typed values per row, run_in_process) stemming every word anew.
    """
    from indsatsgraf.graph.sparql import run_in_process

    built = tmp_path / "built.sqlite"
    search_index.build_index(oxstore, built)

    def general(store, query):
        result = run_in_process(store, query, {})
        for row in result.rows:
            yield tuple("" if row[v] is None else str(row[v]) for v in result.variables)

    def stem_anew(word: str) -> str:
        stem = search_index._stemmer().stemWord(word.lower().replace("aa", "å"))
        return stem.translate(search_index._FOLD)

    monkeypatch.setattr(search_index, "texts_in_process", general)
    monkeypatch.setattr(search_index, "_term", stem_anew)
    reference = tmp_path / "reference.sqlite"
    search_index.build_index(oxstore, reference)
    tables = _tables(built)
    assert len(tables["texts"]) > 1000 and len(tables["things"]) > 500
    assert tables == _tables(reference)
