"""Remote endpoints: a real oxigraph server on 127.0.0.1, started and stopped here."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from answers import assert_same_answer_at, parameter_sets
from indsatsgraf.graph.remote import Endpoint, push
from indsatsgraf.graph.sparql import refuse_cut_answer, run_embedded, run_remote
from indsatsgraf.queries.catalog import QueryError, saved_queries
from readme_examples import block_for, run_as_written, same_as_embedded
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


def test_the_readmes_oxigraph_server_example_works_as_written(server: str, built_store) -> None:
    ran = run_as_written(block_for("oxigraph serve"), server, built_store.path)
    assert [args[0] for args, _ in ran] == ["push", "query"]
    same_as_embedded(ran[1][0], built_store.path)


def test_parameters_are_bound_identically_remotely(pushed: str, oxstore) -> None:
    query = saved_queries()["multi-department-initiatives"]
    bindings = query.bindings({"department": "BUF"})
    local = run_embedded(oxstore, query, bindings)
    assert local.rows and all("BUF" in r["departments"] for r in local.rows)
    assert run_remote(pushed, query, bindings).rows == local.rows


def test_a_partial_answer_after_the_execution_time_is_an_error() -> None:
    """Virtuoso's anytime answer: 200 with the rows so far, the cause in X-SQL-State."""
    headers = {"x-sql-state": "S1TAT", "x-sql-message": "RC...: Returning incomplete results"}
    with pytest.raises(
        QueryError, match=r"partial answer \(S1TAT: .*incomplete.*MaxQueryExecutionTime"
    ):
        refuse_cut_answer("http://x/sparql", headers, 3)
    refuse_cut_answer("http://x/sparql", {"x-sparql-maxrows": "10000"}, 9999)  # complete
    with pytest.raises(QueryError, match="cut the answer at 10,000 rows"):
        refuse_cut_answer("http://x/sparql", {"x-sparql-maxrows": "10000"}, 10000)
