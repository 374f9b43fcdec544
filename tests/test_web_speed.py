"""What keeps pages fast under load: no worker process per page query, answers kept per generation.

The speed itself is measured by benchmarks/web_load.py (BENCHMARKS.md); these
tests check the causes that were fixed, and that the kept answers never
outlive the generation they came from.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SOURCES
from indsatsgraf.graph.pipeline import build, remove
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.web.app import Settings, create_app
from starlette.testclient import TestClient

SOF_2023 = SOURCES / "sof-indsatsplan-2023-2026.txt"
TVAERGAAENDE = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
PAGES = (
    "/",
    "/queries/multi-department-initiatives?department=SOF",
    "/api/queries/status-overview.json",
    "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5",
    "/documents/tvaergaaende-indsatsplan-2015",
    "/search?q=botilbud",
    "/indicators",
    "/network/departments",
)


@pytest.fixture
def two_documents(tmp_path: Path) -> GraphStore:
    store = GraphStore(tmp_path / "store")
    build(store, [SOF_2023, TVAERGAAENDE], fresh=True)
    return store


def test_pages_fork_no_worker_process(two_documents, monkeypatch):
    """A forked worker per page query cost more than the query and could hang in a
    threaded server (a lock held by another thread at the fork)."""
    client = TestClient(create_app(Settings(two_documents.path, cache=False)))

    def no_fork() -> int:
        raise AssertionError("a page forked a worker process")

    monkeypatch.setattr(os, "fork", no_fork)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])


def test_kept_answers_follow_a_new_generation(two_documents):
    client = TestClient(create_app(Settings(two_documents.path, cache=False)))
    files = {row["fileName"] for row in client.get("/index.json").json()["rows"]}
    assert files == {SOF_2023.name, TVAERGAAENDE.name}
    overview = client.get("/network/overview.json").json()["nodes"]
    status = "/api/queries/multi-department-initiatives.json"
    before = client.get(status).json()["total"]
    lineage = "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5"
    assert client.get(lineage).status_code == 200
    remove(two_documents, TVAERGAAENDE.name)
    files = {row["fileName"] for row in client.get("/index.json").json()["rows"]}
    assert files == {SOF_2023.name}
    assert client.get(lineage).status_code == 404
    assert client.get("/network/overview.json").json()["nodes"] < overview
    assert before > 0 and client.get(status).json()["total"] < before


def test_sparql_queries_reuse_a_few_worker_processes(web_store, run_apart, monkeypatch):
    """A process per query capped /sparql far below `oxigraph serve`; a pool reuses its workers."""
    from indsatsgraf.web import sparql_endpoint, sparql_workers

    started = []

    class Counted(sparql_workers._Worker):
        def __init__(self, context) -> None:
            started.append(self)
            super().__init__(context)

    monkeypatch.setattr(sparql_workers, "_Worker", Counted)
    workers = sparql_workers.QueryWorkers(size=1)
    generation = web_store.current.resolve()
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }"
    try:
        bodies = {
            run_apart(sparql_endpoint.answer(workers, generation, text, "text/csv")).body
            for _ in range(5)
        }
    finally:
        workers.close()
    assert len(started) == 1
    (body,) = bodies
    assert body.startswith(b"n\r\n") and int(body.split()[1]) > 1000


def test_next_pages_of_an_answer_are_neither_run_nor_sorted_again(two_documents, monkeypatch):
    from indsatsgraf.graph import sparql
    from indsatsgraf.web import tables

    client = TestClient(create_app(Settings(two_documents.path, cache=False)))
    calls = {"run": 0, "sort": 0}
    run, sort = sparql.run_in_process, tables.sorted_rows

    def counted_run(*args, **kwargs):
        calls["run"] += 1
        return run(*args, **kwargs)

    def counted_sort(*args, **kwargs):
        calls["sort"] += 1
        return sort(*args, **kwargs)

    monkeypatch.setattr(sparql, "run_in_process", counted_run)
    monkeypatch.setattr(tables, "sorted_rows", counted_sort)
    url = "/api/queries/multi-department-initiatives.json"
    params = {"_size": "10", "_sort": "notation"}
    first = client.get(url, params=params).json()
    second = client.get(url, params={**params, "_next": first["next"]}).json()
    assert first["total"] == second["total"] > 20
    both = client.get(url, params={**params, "_size": "20"}).json()["rows"]
    assert first["rows"] + second["rows"] == both
    assert calls == {"run": 1, "sort": 1}
