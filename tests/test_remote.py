"""Remote endpoints: a real oxigraph server on 127.0.0.1, started and stopped here."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from answers import assert_same_answer_at, parameter_sets
from indsatsgraf.graph.remote import Endpoint, push
from indsatsgraf.graph.sparql import run_embedded, run_remote
from indsatsgraf.queries.catalog import saved_queries
from servers import oxigraph_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A plain `oxigraph serve` (no --union-default-graph: queries name their graphs)."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture(scope="module")
def pushed(server: str, oxstore) -> str:
    endpoint = Endpoint.discover(server)
    assert endpoint.store_url == server.removesuffix("/query") + "/store"
    counts = push(oxstore, endpoint)
    assert sum(counts.values()) == len(oxstore)
    return server


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


@pytest.mark.parametrize(("name", "params"), parameter_sets(), ids=str)
def test_every_saved_query_gives_the_same_answer_remotely(
    name: str, params: dict[str, str], pushed: str, oxstore
) -> None:
    assert_same_answer_at(pushed, oxstore, name, params)


def test_parameters_are_bound_identically_remotely(pushed: str, oxstore) -> None:
    query = saved_queries()["multi-department-initiatives"]
    bindings = query.bindings({"department": "BUF"})
    local = run_embedded(oxstore, query, bindings)
    assert local.rows and all("BUF" in r["departments"] for r in local.rows)
    assert run_remote(pushed, query, bindings).rows == local.rows
