"""Remote endpoints: a real oxigraph server on 127.0.0.1, started and stopped here."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from indsatsgraf.graph.remote import Endpoint, push
from indsatsgraf.graph.sparql import run_embedded, run_remote
from indsatsgraf.queries.catalog import saved_queries

pytestmark = pytest.mark.server


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the `oxigraph` server (pip package oxigraph) is not installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    data = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [
            oxigraph_binary(),
            "serve",
            "--location",
            str(data),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def pushed(server: str, oxstore) -> str:
    counts = push(oxstore, Endpoint.from_url(server + "/query"))
    assert sum(counts.values()) == len(oxstore)
    return server + "/query"


def test_push_checks_counts_per_graph(pushed: str, oxstore) -> None:
    import json

    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    body = urllib.request.urlopen(
        urllib.request.Request(
            pushed + "?query=" + urllib.parse.quote(query),
            headers={"Accept": "application/sparql-results+json"},
        )
    ).read()
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(oxstore)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_gives_identical_rows_remotely(name: str, pushed: str, oxstore) -> None:
    query = saved_queries()[name]
    bindings = query.bindings({})
    local = run_embedded(oxstore, query, bindings)
    remote = run_remote(pushed, query, bindings)
    assert local.form == remote.form
    assert local.variables == remote.variables
    assert local.rows == remote.rows
    assert local.triples == remote.triples or sorted(local.triples) == sorted(remote.triples)
    assert local.boolean == remote.boolean


def test_parameters_are_bound_identically_remotely(pushed: str, oxstore) -> None:
    query = saved_queries()["multi-department-initiatives"]
    bindings = query.bindings({"department": "BUF"})
    local = run_embedded(oxstore, query, bindings)
    assert local.rows and all("BUF" in r["departments"] for r in local.rows)
    assert run_remote(pushed, query, bindings).rows == local.rows
