"""OpenLink Virtuoso (Debian's virtuoso-opensource): push with Digest, read back, same answers.

Virtuoso is started here from a virtuoso.ini of our own (free ports on
127.0.0.1, database in a temporary folder) and stopped at the end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from answers import assert_same_answer_at, parameter_sets
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.graph.http import Credentials, exchange
from indsatsgraf.graph.remote import Endpoint, project_graphs, push
from indsatsgraf.graph.sparql import run_embedded, run_remote
from indsatsgraf.queries.catalog import ad_hoc
from readme_examples import block_for, run_as_written, same_as_embedded
from servers import VIRTUOSO_USER, virtuoso_server

pytestmark = pytest.mark.virtuoso
ADMIN = Credentials(*VIRTUOSO_USER)


def same_triples(left: bytes, right: bytes) -> bool:
    """Equal N-Triples documents up to blank node labels (the stores relabel them)."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    graphs = [Graph().parse(data=text, format="nt") for text in (left, right)]
    return len(graphs[0]) == len(graphs[1]) and isomorphic(*graphs)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


@pytest.fixture(scope="module")
def pushed(virtuoso: str, oxstore) -> str:
    endpoint = Endpoint.discover(virtuoso, credentials=ADMIN, timeout=30)
    assert endpoint.store_url.endswith("/sparql-graph-crud-auth")
    counts = push(oxstore, endpoint, 60, ADMIN)
    assert sum(counts.values()) == len(oxstore)
    return virtuoso


def test_the_graph_store_asks_for_digest_and_refuses_anonymous_writes(virtuoso: str) -> None:
    url = virtuoso.replace("/sparql", "/sparql-graph-crud-auth") + "?graph=urn:x"
    body = b"<urn:a> <urn:b> <urn:c> ."
    anonymous = exchange("PUT", url, timeout=10, body=body, headers={"Content-Type": "text/turtle"})
    assert anonymous.status == 401
    assert any(c.startswith("Digest") for c in anonymous.challenges)
    wrong = Credentials("dba", "wrong")
    refused = exchange(
        "PUT",
        url,
        timeout=10,
        body=body,
        headers={"Content-Type": "text/turtle"},
        credentials=wrong,
    )
    assert refused.status == 401


def test_every_named_graph_reads_back_exactly(pushed: str, oxstore) -> None:
    graphs = project_graphs(pushed, timeout=30)
    assert graphs == sorted(g.value for g in oxstore.named_graphs())
    store_url = pushed.replace("/sparql", "/sparql-graph-crud-auth")
    for graph in graphs:
        answer = exchange(
            "GET",
            f"{store_url}?graph={graph}",
            timeout=30,
            headers={"Accept": "application/n-triples"},
            credentials=ADMIN,
        )
        assert answer.status == 200, graph
        local = ox.serialize(
            [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in oxstore.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            ],
            format=ox.RdfFormat.N_TRIPLES,
        )
        assert same_triples(answer.body, local), graph


def test_remote_queries_see_only_the_projects_graphs(pushed: str, oxstore) -> None:
    """Virtuoso's default graph includes its system graphs; ours must not."""
    query = ad_hoc("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert run_remote(pushed, query, {}).rows == [{"n": len(oxstore)}]


@pytest.mark.parametrize(("name", "params"), parameter_sets(), ids=str)
def test_every_saved_query_gives_the_same_answer_on_virtuoso(
    name: str, params: dict[str, str], pushed: str, oxstore
) -> None:
    assert_same_answer_at(pushed, oxstore, name, params)


def test_the_readmes_virtuoso_example_works_as_written(virtuoso: str, built_store) -> None:
    """Its push (Graph Store found, Digest answered) and its Danish keyword query."""
    ran = run_as_written(block_for("8890/sparql"), virtuoso, built_store.path, VIRTUOSO_USER[1])
    assert [args[0] for args, _ in ran] == ["push", "query"]
    same_as_embedded(ran[1][0], built_store.path)


# Every pair of initiatives: more rows than a stock Virtuoso sends (ResultSetMaxRows 10,000).
PAIRS = """PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
SELECT ?a ?b WHERE { ?a a ig:Initiative . ?b a ig:Initiative }"""


def test_an_answer_cut_at_the_endpoints_row_limit_is_an_error(pushed: str, oxstore) -> None:
    whole = run_embedded(oxstore, ad_hoc(PAIRS), {})
    assert len(whole.rows) > 10000  # what Virtuoso would have cut silently
    answer = CliRunner().invoke(main, ["query", "-e", PAIRS, "--endpoint", pushed, "-f", "csv"])
    assert answer.exit_code != 0
    assert "cut the answer at 10,000 rows" in answer.output
    assert "ResultSetMaxRows" in answer.output
    assert "Traceback" not in answer.output


def test_an_answer_just_below_the_row_limit_is_whole(pushed: str, oxstore) -> None:
    query = ad_hoc(PAIRS + " LIMIT 9999")
    assert len(run_remote(pushed, query, {}).rows) == 9999


def test_a_large_graph_goes_in_batches_and_a_second_push_replaces_it(
    pushed: str, oxstore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One request with a ×100 links graph (about 100 MB) is reset by Virtuoso (issue 12)."""
    from indsatsgraf.graph import remote

    methods: list[str] = []

    def recorded(method: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
        if "sparql-graph-crud" in url:  # the Graph Store, not the count queries
            methods.append(method)
        return exchange(method, url, **kwargs)

    monkeypatch.setattr(remote, "exchange", recorded)
    endpoint = Endpoint.discover(pushed, credentials=ADMIN, timeout=30)
    largest = max(
        sum(1 for _ in oxstore.quads_for_pattern(None, None, None, g))
        for g in oxstore.named_graphs()
    )
    assert largest > 500
    for _ in range(2):  # counted back each time: a second push must not add to the first
        methods.clear()
        counts = push(oxstore, endpoint, 60, ADMIN, batch=500)
        assert sum(counts.values()) == len(oxstore)
        assert methods.count("PUT") == len(list(oxstore.named_graphs()))
        assert "POST" in methods
