"""The stored answers shared between the build's process and the index process.

The split must not show: the merged answers.sqlite holds the very rows one
process stores, every stored query is answered, nothing of the helper is left
in the generation, and a helper that fails loses the build, never the graph.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCES
from indsatsgraf.api import stored_queries
from indsatsgraf.cli import main
from indsatsgraf.graph import answer_process, answers, index_process, pipeline
from indsatsgraf.graph.pipeline import build
from indsatsgraf.graph.store import GraphStore

TVAERGAAENDE = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
SOF_2023 = SOURCES / "sof-indsatsplan-2023-2026.txt"


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (the answers' and the stored texts'), in key order."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall() for t in tables}


def _helper_first(patch: pytest.MonkeyPatch) -> None:
    """This process takes its first query only once the helper has taken one: on the
    bundled documents it could otherwise take them all while the index is written."""
    real_taken = answer_process.taken

    def taken(target, queries, helper=None):
        claims = target / answer_process.CLAIMS
        claims.mkdir(exist_ok=True)
        deadline = time.monotonic() + 120
        while not any(claims.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)
        yield from real_taken(target, queries, helper)

    patch.setattr(answer_process, "taken", taken)


@pytest.fixture(scope="module")
def split_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, list[int]]:
    """The bundled documents built with the answers surely split, and how many answers
    the index process stored."""
    real_wait = index_process.IndexProcess.wait
    helped: list[int] = []

    def wait(self):
        texts = real_wait(self)
        helped.append(self.answered)
        return texts

    with pytest.MonkeyPatch.context() as patch:
        _helper_first(patch)
        patch.setattr(index_process.IndexProcess, "wait", wait)
        store = GraphStore(tmp_path_factory.mktemp("split") / "store")
        build(store, stored=stored_queries())
    return store, helped


def test_both_processes_store_answers_and_leave_nothing_beside_them(split_store):
    """The index process really stored answers (the split is no one-process build in
    disguise), and its file and the claims are gone from the generation that went live."""
    store, helped = split_store
    generation = store.current.resolve()
    assert helped and 0 < helped[0] < len(stored_queries())
    assert not (generation / answer_process.HELPER_FILE).exists()
    assert not (generation / answer_process.CLAIMS).exists()


def test_the_shared_answers_are_the_rows_one_process_stores(split_store, tmp_path):
    """The bundled store's answers.sqlite, stored by two processes, against the answers
    one process stores on the same generation, query by query."""
    generation = split_store[0].current.resolve()
    queries = stored_queries()
    one = tmp_path / "one-process.sqlite"
    assert answers.write(generation, one, queries) == len(queries)
    shared, alone = _rows(generation / answers.FILE), _rows(one)
    assert [name for name, *_ in shared["answer"]] == sorted(q.name for q in queries)
    for query in queries:
        for table in ("answer", "part"):
            assert [r for r in shared[table] if r[0] == query.name] == [
                r for r in alone[table] if r[0] == query.name
            ], (query.name, table)
    assert shared == alone
    assert len(shared["part"]) > len(queries)


def test_texts_stored_by_the_helper_are_merged_with_the_answers(split_store, tmp_path):
    """initiatives-by-keyword keeps texts in tables of their own, not answers: whichever
    process stored them, the merged file holds them as one process writes them."""
    generation = split_store[0].current.resolve()
    queries = stored_queries()
    searched = [q for q in queries if any(f.relation == "contains" for f in q.stored_filters)]
    assert [q.name for q in searched] == ["initiatives-by-keyword"]
    mine, helper, one = tmp_path / "mine.sqlite", tmp_path / "helper.sqlite", tmp_path / "one"
    answers.write(generation, mine, [q for q in queries if q not in searched])
    answers.write(generation, helper, searched)
    answers.merge(mine, helper)
    answers.write(generation, one, queries)
    merged, alone = _rows(mine), _rows(one)
    assert len(merged["text_found"]) > 100 and merged["text_answer"][0][0] == searched[0].name
    assert merged == alone


def test_each_query_is_taken_by_one_process(tmp_path):
    queries = stored_queries()
    first = answer_process.taken(tmp_path, queries)
    mine = [next(first).name, next(first).name]
    theirs = [query.name for query in answer_process.taken(tmp_path, queries)]
    rest = [query.name for query in first]
    assert mine == [queries[0].name, queries[1].name]
    assert theirs == [query.name for query in queries[2:]]
    assert rest == []


def _break_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """Index processes started from now on write their index, then fail on the first
    answer they store: the text they are given for each query is no SPARQL."""
    real_start = index_process.IndexProcess.__init__

    def start(self, generation, queries=()):
        real_start(self, generation, [replace(q, text="this is no query") for q in queries])

    monkeypatch.setattr(index_process.IndexProcess, "__init__", start)
    _helper_first(monkeypatch)


def test_a_failing_answer_process_loses_the_build_not_the_graph(tmp_path, monkeypatch):
    store = GraphStore(tmp_path / "store")
    build(store, [TVAERGAAENDE], fresh=True, stored=stored_queries())
    before = store.current.resolve()
    _break_the_helper(monkeypatch)
    with pytest.raises(answer_process.AnsweringError) as raised:
        build(store, [SOF_2023], stored=stored_queries())
    message = str(raised.value)
    assert message.startswith(f"{before.parent}")
    assert "the stored answers could not be written (by the indexing process)" in message
    assert f": {stored_queries()[0].name}: " in message, "the failing query is named"
    assert store.current.resolve() == before
    assert [p.name for p in before.parent.iterdir()] == [before.name]
    assert answers.stored(before, stored_queries()[0], {}) is not None


def test_a_failing_answer_process_is_a_message_at_the_cli(tmp_path, monkeypatch):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(store), "build", str(TVAERGAAENDE)]).exit_code == 0
    before = GraphStore(store).current.resolve()
    _break_the_helper(monkeypatch)
    result = runner.invoke(main, ["--store", str(store), "build", str(SOF_2023)])
    assert result.exit_code != 0
    assert "the stored answers could not be written" in result.output
    assert "Traceback" not in result.output
    assert GraphStore(store).current.resolve() == before


def test_a_failure_beside_the_answering_index_process_stops_it(tmp_path, monkeypatch):
    """When this process fails while storing, the index process is ended before the
    generation is deleted, and the graph in use stays."""
    store = GraphStore(tmp_path / "store")
    build(store, [TVAERGAAENDE], fresh=True, stored=stored_queries())
    before = store.current.resolve()
    started: list[index_process.IndexProcess] = []
    real_start = index_process.IndexProcess.__init__

    def start(self, generation, queries=()):
        real_start(self, generation, queries)
        started.append(self)

    def broken(target, path, queries, progress=None):
        raise RuntimeError("the disk filled up while storing answers")

    monkeypatch.setattr(index_process.IndexProcess, "__init__", start)
    monkeypatch.setattr(pipeline.answer_process.answers, "write", broken)
    with pytest.raises(RuntimeError, match="storing answers"):
        build(store, [SOF_2023], stored=stored_queries())
    assert len(started) == 1 and started[0]._process.poll() is not None
    assert store.current.resolve() == before
    assert [p.name for p in before.parent.iterdir()] == [before.name]
