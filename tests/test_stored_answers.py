"""Aggregates answered once per build and read back instead of scanning every document."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from indsatsgraf import api
from indsatsgraf.cli import main
from indsatsgraf.graph import answers
from indsatsgraf.graph.sparql import run_embedded
from indsatsgraf.queries.catalog import QueryError, parse_query_file, saved_queries
from stored_file import change_stored_rows

STORED = (
    "benchmark-support",
    "budget-items-and-goals",
    "budget-items-per-department",
    "department-collaboration-matrix",
    "goals-without-initiatives",
    "indicator-progress",
    "initiative-financing",
    "initiatives-active-in-year",
    "initiatives-by-keyword",
    "initiatives-by-target-group",
    "initiatives-per-goal-and-department",
    "links-awaiting-review",
    "multi-department-initiatives",
    "partners-and-initiatives",
    "priorities-without-department-initiatives",
    "status-overview",
)


#: The network views' own aggregates (viz/stored.py), stored beside the saved queries'.
NETWORK_STORED = ("network-plan-sizes", "network-department-initiatives")


def test_the_archive_wide_aggregates_are_stored() -> None:
    assert {q.name for q in api.stored_queries()} == set(STORED) | set(NETWORK_STORED)


def test_a_build_keeps_the_network_views_live_answers(built_store, oxstore) -> None:
    from indsatsgraf.viz.stored import stored_queries as network_queries

    generation = built_store.current.resolve()
    for query in network_queries():
        live = run_embedded(oxstore, query, query.bindings({})).rows
        kept = answers.stored(generation, query, {})
        assert kept is not None and kept.rows == live, query.name
        assert len(live) >= 5  # five plans; seven departments


@pytest.mark.parametrize("name", STORED)
def test_a_build_keeps_the_live_answer(built_store, oxstore, name: str) -> None:
    query = saved_queries()[name]
    generation = built_store.current.resolve()
    kept = answers.stored(generation, query, {})
    live = run_embedded(oxstore, query, query.bindings({}))
    assert kept is not None
    assert live.rows, "an empty answer would prove nothing"
    assert (kept.variables, kept.rows) == (live.variables, live.rows)
    assert answers.stored(generation, query, {}, limit=1).rows == live.rows[:1]


def test_parameters_or_a_changed_query_are_answered_live(built_store) -> None:
    query = saved_queries()["department-collaboration-matrix"]
    generation = built_store.current.resolve()
    assert answers.stored(generation, query, {"plan": "2015"}) is None
    edited = replace(query, text=query.text.replace("DESC(?sharedInitiatives)", "?plans"))
    assert answers.stored(generation, edited, {}) is None
    assert answers.stored(generation, replace(query, stored=False), {}) is None


@pytest.fixture
def store_copy(built_store, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(built_store.path, copy, symlinks=True)
    return copy


def _query(store: Path, *args: str) -> dict:
    result = CliRunner().invoke(
        main, ["--store", str(store), "query", *args, "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_command_reads_the_stored_answer(store_copy: Path) -> None:
    """A marker written into the stored file shows that `query` read it and ran nothing."""
    live = _query(store_copy, "department-collaboration-matrix", "--param", "plan=2015")
    changed = change_stored_rows(
        store_copy / "current" / answers.FILE,
        "department-collaboration-matrix",
        lambda place, row: row | {"departmentA": "STORED"} if place == 0 else None,
    )
    assert changed == 1
    shown = _query(store_copy, "department-collaboration-matrix")
    assert shown[0]["departmentA"] == "STORED"
    assert "STORED" not in json.dumps(live)


def test_a_store_without_stored_answers_answers_live(store_copy: Path, oxstore) -> None:
    (store_copy / "current" / answers.FILE).unlink()
    query = saved_queries()["budget-items-per-department"]
    expected = run_embedded(oxstore, query, query.bindings({})).rows
    assert _query(store_copy, "budget-items-per-department") == expected


def test_an_older_layout_is_answered_live(store_copy: Path, oxstore) -> None:
    """A file of the first SQLite layout (a JSON object per row), with this very query's
    digest and a marked row, is not misread as parts: the query runs live."""
    import hashlib
    import sqlite3

    query = saved_queries()["budget-items-per-department"]
    expected = run_embedded(oxstore, query, query.bindings({})).rows
    file = store_copy / "current" / answers.FILE
    file.unlink()
    with sqlite3.connect(file) as connection:
        connection.executescript(
            "CREATE TABLE answer (query TEXT PRIMARY KEY, digest TEXT, variables TEXT);"
            "CREATE TABLE row (query TEXT, n INTEGER, data TEXT, PRIMARY KEY (query, n));"
        )
        digest = hashlib.sha256(query.text.encode()).hexdigest()
        variables = run_embedded(oxstore, query, query.bindings({})).variables
        connection.execute(
            "INSERT INTO answer VALUES (?, ?, ?)", (query.name, digest, json.dumps(variables))
        )
        marked = {v: "STORED" for v in variables}
        connection.execute("INSERT INTO row VALUES (?, 0, ?)", (query.name, json.dumps(marked)))
    assert answers.stored(store_copy / "current", query, {}) is None
    assert _query(store_copy, "budget-items-per-department") == expected


def test_a_bad_stored_header_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("#+ stored: always\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(QueryError, match=r"q\.rq: '#\+ stored:' is yes or no, not always"):
        parse_query_file(path)


def test_the_build_answers_without_forking(built_store, tmp_path: Path, monkeypatch) -> None:
    """A child forked beside the build's writable store hung on a RocksDB lock for an hour."""
    import os

    copy = tmp_path / "generation"
    shutil.copytree(built_store.current.resolve(), copy)
    (copy / answers.FILE).unlink()

    def no_fork() -> int:
        raise AssertionError("the build forked a query worker")

    monkeypatch.setattr(os, "fork", no_fork)
    assert answers.compute(copy, api.stored_queries()) == len(STORED) + len(NETWORK_STORED)
    for query in api.stored_queries():
        assert answers.stored(copy, query, {}) is not None


def test_the_link_review_reads_the_stored_candidates_and_leaves_decided_ones_out(
    store_copy: Path, tmp_path: Path
) -> None:
    """A decision goes to the decisions file and changes the graph only at the next build,
    so the candidates stored with a generation are as fresh as a live answer: the review
    page reads them from the file and still leaves out at once the pairs decided since."""
    from indsatsgraf.graph import link_decisions
    from indsatsgraf.web.app import Settings, create_app
    from starlette.testclient import TestClient

    changed = change_stored_rows(
        store_copy / "current" / answers.FILE,
        "links-awaiting-review",
        lambda place, row: row | {"method": "STORED"} if place == 0 else None,
    )
    assert changed == 1
    decisions = tmp_path / "decisions.tsv"
    client = TestClient(create_app(Settings(store_copy, decisions=decisions)))
    before = client.get("/links.json").json()["rows"]
    assert len(before) > 1 and before[0]["method"] == "STORED"
    link_decisions.record(before[0]["source"], before[0]["target"], "reject", path=decisions)
    after = client.get("/links.json").json()["rows"]
    assert after == before[1:]
