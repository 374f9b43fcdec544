"""What keeps pages fast under load: no worker process per page query, answers kept per generation.

The speed itself is measured by benchmarks/web_load.py (BENCHMARKS.md); these
tests check the causes that were fixed, and that the kept answers never
outlive the generation they came from.
"""

from __future__ import annotations

import contextvars
import os
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SOURCES
from indsatsgraf.graph.pipeline import build, remove
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.graph.vocabulary import ID
from indsatsgraf.web.app import Settings, create_app
from indsatsgraf.web.library import Library, StillComputing
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


def test_kept_labels_follow_a_new_generation(two_documents):
    """Labels are kept between pages for the live generation only."""
    library = Library(two_documents.path)
    plan = ID + "plan/tvaergaaende-indsatsplan-2015"
    initiative = ID + "tvaergaaende-indsatsplan-2015/initiative/2.1.5"
    assert library.labels({plan, initiative})[initiative] == "Etablering af Familiehus"
    assert plan in library.labels({plan})
    remove(two_documents, TVAERGAAENDE.name)
    assert library.labels({plan, initiative}) == {}


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


def _at_once(count: int, call) -> list:
    """``call()`` from ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)

    def run():
        barrier.wait()
        return call()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: run(), range(count)))


def test_concurrent_callers_of_one_answer_compute_it_once(two_documents):
    """Twenty visitors opening one network view at once computed it twenty times, and each
    waited for all twenty computations (seconds of p95 at ×1 with the response cache on)."""
    library = Library(two_documents.path)
    calls = []

    def slow() -> list[int]:
        calls.append(1)
        time.sleep(0.2)
        return [1, 2, 3]

    answers = _at_once(8, lambda: library.remember(("view",), slow))
    assert len(calls) == 1
    assert all(answer is answers[0] for answer in answers) and answers[0] == [1, 2, 3]


def test_a_failed_computation_reaches_every_waiting_caller(two_documents):
    library = Library(two_documents.path)

    def failing() -> None:
        time.sleep(0.1)
        raise ValueError("no answer")

    def call() -> str:
        try:
            library.remember(("broken",), failing)
        except ValueError as error:
            return str(error)
        return "answered"

    assert _at_once(4, call) == ["no answer"] * 4
    assert library.remember(("broken",), lambda: "now") == "now"  # a failure is not kept


def test_initiative_pages_share_one_lineage_of_the_whole_graph(two_documents, monkeypatch):
    """Each initiative page built the whole graph's lineage until one request had kept it."""
    from indsatsgraf.viz import network

    client = TestClient(create_app(Settings(two_documents.path, cache=False)))
    client.get("/")  # the store opened and the documents read, before the race
    calls = []
    whole = network.lineage

    def counted(store):
        calls.append(1)
        time.sleep(0.3)
        return whole(store)

    monkeypatch.setattr(network, "lineage", counted)
    initiative = "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5"
    statuses = _at_once(4, lambda: client.get(initiative).status_code)
    assert statuses == [200] * 4
    assert len(calls) == 1


def test_a_page_over_a_slow_answer_says_in_danish_to_narrow_it(two_documents, monkeypatch):
    """A saved query over the whole ×1000 archive held a page (and a thread) for a minute."""
    from indsatsgraf.graph import sparql

    run = sparql.run_in_process

    def slow(*args, **kwargs):
        time.sleep(1.0)
        return run(*args, **kwargs)

    monkeypatch.setattr(sparql, "run_in_process", slow)
    client = TestClient(create_app(Settings(two_documents.path, cache=False, page_time_limit=0.2)))
    url = "/queries/multi-department-initiatives?department=SOF"
    started = time.perf_counter()
    page = client.get(url)
    assert time.perf_counter() - started < 0.9
    assert page.status_code == 503 and page.headers["retry-after"] == "30"
    assert "Afgræns spørgsmålet til en plan eller en forvaltning" in page.text
    data = client.get(url.replace("?", ".json?"))
    assert data.status_code == 503 and "hele arkivet" in data.json()["error"]
    deadline = time.monotonic() + 30
    while (page := client.get(url)).status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.2)  # the answer is finished in the background and kept
    assert page.status_code == 200 and "Afgræns" not in page.text


def test_table_cells_link_things_write_danish_numbers_and_escape_text():
    from indsatsgraf.web.pages import cell

    assert str(cell(ID + "org/sof")) == '<a href="/id/org/sof">id:org/sof</a>'
    assert str(cell(1234.5)) == "1\u00a0234,5" and str(cell(7)) == "7"
    assert str(cell("<script>alert(1)</script>")) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert str(cell(None)) == "" and str(cell("https://example.org/x")) == "https://example.org/x"


def test_the_time_limit_holds_for_one_page_s_answers_together(two_documents):
    """A thing page asks several answers: each under the limit, together they took 16 s at ×1000."""
    library = Library(two_documents.path, time_limit=0.5)

    def slow() -> int:
        time.sleep(0.3)
        return 1

    page = contextvars.copy_context()  # as each request's view runs
    assert page.run(library.remember, ("first",), slow, limited=True) == 1
    with pytest.raises(StillComputing):
        page.run(library.remember, ("second",), slow, limited=True)  # 0.2 s left of 0.5 s
    another = contextvars.copy_context()
    assert another.run(library.remember, ("third",), slow, limited=True) == 1  # its own limit


def test_answers_about_one_thing_run_in_the_request_s_own_thread(two_documents, monkeypatch):
    """Handing every answer to another thread and back cost thing pages tens of ms under load;
    only answers over the whole graph (which a large archive makes slow) are handed off."""
    from indsatsgraf.graph import sparql

    library = Library(two_documents.path, time_limit=5)
    threads: dict[str, threading.Thread] = {}
    run = sparql.run_in_process

    def recorded(store, query, *args, **kwargs):
        threads[query.name] = threading.current_thread()
        return run(store, query, *args, **kwargs)

    monkeypatch.setattr(sparql, "run_in_process", recorded)
    assert library.rows("incoming", thing=ID + "org/sof")
    assert library.rows("departments")
    assert threads["incoming"] is threading.current_thread()
    assert threads["departments"] is not threading.current_thread()


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_a_worker_s_long_reply_is_read_whole_once_the_loop_saw_it_coming(loop):
    """The server waits for a worker's reply on its event loop, then reads it. uvloop leaves
    a watched pipe non-blocking, and a reply longer than the pipe holds (64 KiB) then
    failed part-way as if the worker had died: every large /sparql answer was a 503."""
    import asyncio
    import multiprocessing

    from indsatsgraf.web.sparql_workers import _readable

    factory = asyncio.new_event_loop
    if loop == "uvloop":
        import uvloop

        factory = uvloop.new_event_loop
    reader, writer = multiprocessing.Pipe(duplex=False)
    reply = os.urandom(1 << 20)

    def send_slowly() -> None:
        """A message as Connection.send_bytes frames it, its end a moment after its start."""
        os.write(writer.fileno(), struct.pack("!i", len(reply)) + reply[:1000])
        time.sleep(0.3)
        try:
            with open(writer.fileno(), "wb", closefd=False) as pipe:
                pipe.write(reply[1000:])
        except BrokenPipeError:  # the reader gave up: the test has failed already
            pass

    sender = threading.Thread(target=send_slowly)

    async def receive() -> bytes:
        sender.start()
        await _readable(reader, 30)
        return reader.recv_bytes()

    def run() -> bytes:
        with asyncio.Runner(loop_factory=factory) as runner:
            return runner.run(receive())

    try:  # on a thread of its own, as run_apart: Playwright's sync API holds this thread's loop
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(run).result() == reply
    finally:
        reader.close()
        sender.join()
        writer.close()


def test_an_initiative_page_takes_its_own_iri_as_it_is(two_documents, monkeypatch):
    """Its lineage looked the page's IRI up as a name first: a query of its own, on every
    initiative page, to find the IRI it was given."""
    from indsatsgraf.graph.names import Names

    client = TestClient(create_app(Settings(two_documents.path, cache=False)))
    looked_up = []
    thing = Names.thing

    def counted(self, text):
        looked_up.append(text)
        return thing(self, text)

    monkeypatch.setattr(Names, "thing", counted)
    data = client.get("/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5.json").json()
    start = [row for row in data["lineage"] if row["relation"] == "start"]
    assert [(row["label"], row["year"]) for row in start] == [("Etablering af Familiehus", 2015)]
    assert looked_up == []
    # The saved query itself still takes a name as `show` does, and answers the same.
    url = "/api/queries/initiative-lineage.json"
    named = client.get(url, params={"initiative": "2015:2.1.5"}).json()
    assert looked_up == ["2015:2.1.5"]
    assert [row["initiative"] for row in named["rows"]] == [
        row["initiative"] for row in data["lineage"]
    ]


def test_an_unknown_thing_is_not_found_as_rdf_either(two_documents):
    client = TestClient(create_app(Settings(two_documents.path, cache=False)))
    for accept in ("text/turtle", "application/ld+json", "text/html"):
        response = client.get("/id/no/such/thing", headers={"Accept": accept})
        assert response.status_code == 404, accept


def test_a_request_starts_its_own_time_limit_whatever_its_caller_asked_before(two_documents):
    """A page's clock lives in a context variable, and a request's context is copied from
    its caller: a caller whose own clock had run out made every later page answer 503."""
    from indsatsgraf.web import library as library_module

    def expired_caller() -> int:
        library_module._deadline.set(time.monotonic() - 60)  # a clock run out long ago
        client = TestClient(create_app(Settings(two_documents.path, cache=False)))
        return client.get("/queries/multi-department-initiatives.json").status_code

    assert contextvars.copy_context().run(expired_caller) == 200
