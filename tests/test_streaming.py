"""Whole answers written row by row: never held whole, and never looking complete when cut."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from indsatsgraf import api
from indsatsgraf.cli import main
from indsatsgraf.errors import QueryError
from indsatsgraf.graph import answers
from indsatsgraf.graph.deadline import QueryTimeout
from indsatsgraf.graph.sparql import QueryText, run_embedded, stream_embedded
from indsatsgraf.queries.catalog import saved_queries

#: Every triple against every triple: rows come at once, but the answer (some 80
#: million rows on the bundled graph) cannot be finished within a short timeout.
ENDLESS = "SELECT ?s ?o WHERE { ?s ?p ?o . ?a ?b ?c }"


def _cli(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", str(store), "query", *args])
    return result.exit_code, result.stdout, result.stderr


def test_rows_arrive_before_the_query_has_finished(oxstore) -> None:
    """The first rows are read long before the deadline stops the rest."""
    started = time.monotonic()
    rows = stream_embedded(oxstore, QueryText(ENDLESS), {}, timeout=4)
    assert rows.variables == ["s", "o"]
    first = next(rows.rows)
    assert time.monotonic() - started < 4
    assert set(first) == {"s", "o"}
    with pytest.raises(QueryTimeout):
        for _ in rows.rows:
            pass


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_answer_cut_by_the_deadline_fails_after_its_rows(built_store, fmt: str) -> None:
    """Rows already written stay, but the exit status and the message say the answer is cut.

    Before streaming, nothing was written at all; a stream that ended quietly
    would look like a whole answer.
    """
    code, out, err = _cli(built_store.path, "-e", ENDLESS, "--format", fmt, "--timeout", "3")
    assert code != 0
    assert "ran longer than 3 s" in err and "the answer is incomplete" in err
    if fmt == "csv":
        lines = out.splitlines()
        assert lines[0] == "s,o" and len(lines) > 100
    else:
        assert out.startswith('[\n  {\n    "s": ')
        with pytest.raises(ValueError):
            json.loads(out)  # the array is left open: no reader takes it for the whole answer


def test_the_row_cap_stops_the_stream(built_store) -> None:
    code, out, _ = _cli(
        built_store.path, "-e", ENDLESS, "--format", "csv", "--limit", "7", "--timeout", "30"
    )
    assert code == 0
    assert len(out.splitlines()) == 1 + 7


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
@pytest.mark.parametrize("name", ["initiative-financing", "department-collaboration-matrix"])
def test_a_streamed_answer_reads_as_the_whole_one(built_store, oxstore, name: str, fmt: str):
    """Streamed text is the text the held answer renders to, live and kept answers alike."""
    query = saved_queries()[name]
    whole = run_embedded(oxstore, query, query.bindings({}))
    assert len(whole.rows) > 10
    code, out, _ = _cli(built_store.path, name, "--format", fmt)
    assert code == 0
    assert out == api.render(whole, fmt) + "\n"


@pytest.fixture
def generation(built_store, tmp_path: Path) -> Path:
    copy = tmp_path / "generation"
    shutil.copytree(built_store.current.resolve(), copy)
    return copy


def test_a_kept_answer_is_read_a_part_at_a_time(
    generation: Path, oxstore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept answer is read a part at a time as its rows are asked for: a damaged part
    fails after the rows of the parts before it."""
    import sqlite3

    query = saved_queries()["department-collaboration-matrix"]
    live = run_embedded(oxstore, query, query.bindings({})).rows
    monkeypatch.setattr(answers, "PART_ROWS", 2)
    assert answers.compute(generation, [query]) == 1
    with sqlite3.connect(generation / answers.FILE) as connection:
        changed = connection.execute(
            "UPDATE part SET rows = '[[not a row' WHERE query = ? AND parameter = '' AND n = 1",
            (query.name,),
        ).rowcount
    assert changed == 1
    kept = answers.stream(generation, query, {})
    assert kept is not None
    assert [next(kept.rows) for _ in range(2)] == live[:2]
    with pytest.raises(QueryError, match="a stored answer's rows cannot be read"):
        next(kept.rows)


def test_an_answer_not_finished_is_answered_live(generation: Path) -> None:
    """An answer is recorded after its rows: rows without the record are never read."""
    import sqlite3

    query = saved_queries()["department-collaboration-matrix"]
    assert answers.stream(generation, query, {}) is not None
    with sqlite3.connect(generation / answers.FILE) as connection:
        connection.execute("DELETE FROM answer WHERE query = ?", (query.name,))
    assert answers.stream(generation, query, {}) is None


def test_a_damaged_answers_file_is_answered_live(generation: Path) -> None:
    query = saved_queries()["department-collaboration-matrix"]
    (generation / answers.FILE).write_bytes(b"not a database" * 100)
    assert answers.stream(generation, query, {}) is None


def test_each_cell_is_escaped_and_typed_as_in_a_held_answer() -> None:
    """CSV cells are escaped per row now (one search), so a row mixing clean, hostile,
    missing, numeric and boolean cells must still come out cell by cell."""
    import io

    from indsatsgraf.queries.formats import write_delimited

    out = io.StringIO()
    rows = [{"a": "x\x1by\r", "b": 3, "c": None, "d": True}, {"a": "ok", "b": "p,q"}]
    write_delimited(["a", "b", "c", "d"], rows, out, ",")
    assert out.getvalue() == 'a,b,c,d\nx\\u001by\\u000d,3,,true\nok,"p,q",,\n'
