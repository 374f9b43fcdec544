"""Real triple stores on 127.0.0.1 for tests and benchmarks: started, awaited, stopped.

Oxigraph comes from the `oxigraph` PyPI package (test extras); Virtuoso from
Debian's virtuoso-opensource (.ci/run installs it). Each runs on free ports
with its data in a folder of its own.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO = "/usr/bin/virtuoso-t"
VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = {max_estimate}
"""
# A fresh database's administrator; the Graph Store's -auth endpoint takes it.
VIRTUOSO_USER = ("dba", "dba")


class ServerError(Exception):
    """A store would not start or answer."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app: object) -> Iterator[str]:
    """An ASGI ``app`` on uvicorn on a free 127.0.0.1 port, answered once, then stopped.

    The first answer opens the store and compiles the templates, so it is asked
    for here, before any test times a page.
    """
    import threading

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise ServerError("the web server did not start")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    try:
        urllib.request.urlopen(url + "/", timeout=300).read()
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise ServerError("the `oxigraph` server (pip package oxigraph) is not installed")
    return found


def _await(url: str, process: subprocess.Popen, seconds: float, log: Path | None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise ServerError(f"the server stopped with exit code {process.returncode}\n{detail}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise ServerError(f"no answer from {url} within {seconds:g} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def oxigraph_server(
    data: Path, *, read_only: bool = False, union_default_graph: bool = False
) -> Iterator[str]:
    """``oxigraph serve`` on a free port; yields its query URL (…/query).

    ``union_default_graph``: a query without a dataset reads every named graph.
    """
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    union = ["--union-default-graph"] if union_default_graph else []
    process = subprocess.Popen(
        [oxigraph_binary(), command, "--location", str(data), "--bind", f"127.0.0.1:{port}"]
        + union,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _await(url + "?query=ASK%7B%7D", process, 30, None)
        yield url
    finally:
        _stop(process)


@dataclass(frozen=True)
class Running:
    """A started store: where it answers, and its process (whose memory benchmarks read)."""

    url: str
    pid: int


@contextmanager
def virtuoso_server(
    folder: Path, *, buffers: int = 10000, max_rows: int = 10000, max_seconds: int = 60
) -> Iterator[str]:
    """``virtuoso-t`` with its database in ``folder``; yields its query URL (…/sparql).

    The defaults are Virtuoso's own (ResultSetMaxRows 10,000,
    MaxQueryExecutionTime 60 s), so tests see what a stock install answers.
    """
    with virtuoso_process(
        folder, buffers=buffers, max_rows=max_rows, max_seconds=max_seconds
    ) as running:
        yield running.url


@contextmanager
def virtuoso_process(
    folder: Path,
    *,
    buffers: int = 10000,
    max_rows: int = 10000,
    max_seconds: int = 60,
    max_estimate: int | None = None,
    start_seconds: float = 120,
) -> Iterator[Running]:
    """As ``virtuoso_server``, yielding the process id too.

    ``max_estimate`` is MaxQueryCostEstimationTime: Virtuoso refuses a query
    whose *estimated* time exceeds it (0: never refuses; None: ``max_seconds``).
    A database already in ``folder`` is opened, not replaced, so a server can
    be restarted on what was pushed to it; replaying its transaction log can
    take longer than a fresh start, hence ``start_seconds``.
    """
    if not Path(VIRTUOSO).exists():
        raise ServerError(f"{VIRTUOSO} is missing: apt-get install virtuoso-opensource")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            db=folder,
            sql_port=sql_port,
            http_port=http_port,
            vsp=VIRTUOSO_VSP,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            max_rows=max_rows,
            max_seconds=max_seconds,
            max_estimate=max_seconds if max_estimate is None else max_estimate,
        )
    )
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _await(url + "?query=ASK%7B%7D", process, start_seconds, folder / "virtuoso.log")
        yield Running(url, process.pid)
    finally:
        _stop(process)
