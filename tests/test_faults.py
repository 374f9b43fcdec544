"""Faults in the store and at remote endpoints (docs/robustness.md lists them)."""

from __future__ import annotations

import fcntl
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCES
from indsatsgraf.cli import main
from indsatsgraf.graph.export import canonical_nquads
from indsatsgraf.graph.pipeline import build
from indsatsgraf.graph.store import GraphStore, StoreError

PLAN_2015 = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
BIF = SOURCES / "bif-indsatsplan-2018-2022.txt"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def cli_build_process(store: Path) -> subprocess.Popen:
    """A real `indsatsgraf build --fresh` of all bundled documents in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "indsatsgraf.cli", "--store", str(store), "build", "-q", "--fresh"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_builds_killed_at_random_moments_leave_the_previous_graph_intact(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    before = canonical_nquads(store.open())
    rng = random.Random(7)
    for _ in range(8):
        process = cli_build_process(store.path)
        time.sleep(rng.uniform(0.2, 1.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = canonical_nquads(store.open())
        # Either the kill came before the switch (old graph) or after it (the
        # complete new graph); never anything in between.
        assert after == before or "sof-indsatsplan-2023-2026.txt" in after
        before = after
    assert CliRunner().invoke(main, ["--store", str(store.path), "stats"]).exit_code == 0


def test_queries_during_a_build_read_a_complete_graph(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store)
    complete = int(
        next(iter(store.open().query(COUNT, use_default_graph_as_union=True)))["n"].value
    )
    process = cli_build_process(store.path)
    seen = set()
    try:
        while process.poll() is None:
            result = store.open().query(COUNT, use_default_graph_as_union=True)
            seen.add(int(next(iter(result))["n"].value))
    finally:
        process.wait(timeout=120)
    assert process.returncode == 0
    assert seen == {complete}


def test_a_second_build_while_one_runs_is_refused_clearly(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    with open(store / "build.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = CliRunner().invoke(main, ["--store", str(store), "build", str(PLAN_2015)])
    assert result.exit_code == 1
    assert "another build is writing" in result.output
    assert "Traceback" not in result.output


def test_a_corrupted_store_says_how_to_recover(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015, BIF])
    generation = store.current.resolve()
    for child in generation.iterdir():
        if child.is_file() and child.name != "documents.json":  # the database's files
            child.write_bytes(b"\x00garbage")
    result = CliRunner().invoke(main, ["--store", str(store.path), "stats"])
    assert result.exit_code == 1
    assert "cannot be opened" in result.output and "indsatsgraf build" in result.output
    assert "Traceback" not in result.output
    # The documents the graph was built from are kept beside the database: a build
    # re-imports them, so the graph is recovered with every document it had.
    assert CliRunner().invoke(main, ["--store", str(store.path), "build"]).exit_code == 0
    stats = CliRunner().invoke(main, ["--store", str(store.path), "stats"])
    assert stats.exit_code == 0
    assert PLAN_2015.name in stats.output and BIF.name in stats.output


def test_a_store_built_by_the_previous_version_asks_for_a_fresh_build(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    (store.current.resolve() / "documents.json").unlink()  # as the previous version left it
    shutil.rmtree(store.current.resolve() / "sources")
    generation = store.current.resolve()
    for command in (["build", str(BIF)], ["documents"], ["remove", PLAN_2015.name]):
        result = CliRunner().invoke(main, ["--store", str(store.path), *command])
        assert result.exit_code == 1, command
        assert "built by an earlier version" in result.output, command
        assert "indsatsgraf build --fresh" in result.output, command
        assert "Traceback" not in result.output
    assert store.current.resolve() == generation
    stats = CliRunner().invoke(main, ["--store", str(store.path), "stats"])
    assert stats.exit_code == 0  # its graph can still be read
    fresh = CliRunner().invoke(main, ["--store", str(store.path), "build", "--fresh", str(BIF)])
    assert fresh.exit_code == 0, fresh.output
    assert "1 added" in fresh.output


def test_a_damaged_list_of_documents_asks_for_a_fresh_build(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    (store.current.resolve() / "documents.json").write_text('{"documents": [{"file_n')
    result = CliRunner().invoke(main, ["--store", str(store.path), "build", str(BIF)])
    assert result.exit_code == 1
    assert "documents.json) is damaged" in result.output
    assert "indsatsgraf build --fresh" in result.output
    assert "Traceback" not in result.output


def test_a_store_whose_current_link_is_dangling_is_reported(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    shutil.rmtree(store.current.resolve())
    with pytest.raises(StoreError, match="no graph at") as caught:
        store.open()
    assert caught.value.remedy == "build"


# -- remote endpoints ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlowHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        time.sleep(5)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class HtmlErrorHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class HtmlOkHandler(HtmlErrorHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = b"<html><body>Welcome to our portal</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def http_server(request) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def remote_query(endpoint: str, *extra: str) -> tuple[object, float]:
    start = time.monotonic()
    result = CliRunner().invoke(
        main, ["query", "multi-department-initiatives", "--endpoint", endpoint, *extra]
    )
    return result, time.monotonic() - start


def test_unreachable_endpoint() -> None:
    result, _ = remote_query(f"http://127.0.0.1:{free_port()}/sparql")
    assert result.exit_code == 1
    assert "cannot reach the endpoint" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("http_server", [SlowHandler], indirect=True)
def test_slow_endpoint_times_out(http_server: str) -> None:
    result, elapsed = remote_query(http_server, "--timeout", "1")
    assert result.exit_code == 1
    assert "timeout" in result.output
    assert elapsed < 4


@pytest.mark.parametrize("http_server", [HtmlErrorHandler], indirect=True)
def test_endpoint_answering_with_an_html_error_page(http_server: str) -> None:
    result, _ = remote_query(http_server)
    assert result.exit_code == 1
    assert "HTTP 502 Bad Gateway with an HTML page" in result.output
    assert "Traceback" not in result.output and "<html>" not in result.output


@pytest.mark.parametrize("http_server", [HtmlOkHandler], indirect=True)
def test_endpoint_answering_with_an_html_page(http_server: str) -> None:
    result, _ = remote_query(http_server)
    assert result.exit_code == 1
    assert "HTML page, not SPARQL results" in result.output


def test_malformed_saved_query_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.rq"
    bad.write_text("#+ summary: broken\nSELECT ?s WHERE {\n  ?s ?p \n}\n")
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "query", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4:" in result.output and "SPARQL syntax error" in result.output
    assert "building it" not in result.output  # checked before any store is touched
