"""/sparql as a SPARQL 1.1 Protocol endpoint, with real clients over HTTP."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.web

COUNT_INITIATIVES = (
    "PREFIX ig: <https://w3id.org/indsatsgraf/ontology#> "
    "SELECT (COUNT(?i) AS ?n) WHERE { ?i a ig:Initiative }"
)


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_sparqlwrapper_gets_json_by_get_and_post(web_server, web_store):
    from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper

    solutions = web_store.open().query(COUNT_INITIATIVES, use_default_graph_as_union=True)
    expected = int(next(iter(solutions))["n"].value)
    assert expected > 180
    for method in (GET, POST):
        client = SPARQLWrapper(web_server.url + "/sparql")
        client.setMethod(method)
        client.setQuery(COUNT_INITIATIVES)
        client.setReturnFormat(JSON)
        answer = client.query().convert()
        assert answer["head"]["vars"] == ["n"]
        assert int(answer["results"]["bindings"][0]["n"]["value"]) == expected


@pytest.mark.parametrize(
    ("accept", "media", "check"),
    [
        ("text/csv", "text/csv", lambda body: list(csv.reader(io.StringIO(body)))[0] == ["label"]),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            lambda b: b.startswith("?label\n"),
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            lambda b: '<literal xml:lang="da">' in b,
        ),
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
            lambda b: json.loads(b)["results"]["bindings"][0]["label"]["xml:lang"] == "da",
        ),
    ],
)
def test_select_results_by_content_negotiation(web_server, accept, media, check):
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE { "
        "<https://w3id.org/indsatsgraf/id/org/sof> rdfs:label ?label FILTER(LANG(?label) = 'da') }"
    )
    url = web_server.url + "/sparql?" + urllib.parse.urlencode({"query": query})
    status, headers, body = fetch(url, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media)
    assert check(body)
    assert "Socialforvaltningen" in body


def test_construct_as_turtle_and_ntriples_by_direct_post(web_server):
    query = b"CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/indsatsgraf/id/org/sof> AS ?s) ?s ?p ?o }"
    for accept, marker in (
        ("text/turtle", "@prefix"),
        ("application/n-triples", "<https://w3id.org/indsatsgraf/id/org/sof> "),
    ):
        status, headers, body = fetch(
            web_server.url + "/sparql",
            data=query,
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        assert status == 200 and headers["Content-Type"].startswith(accept)
        assert "Socialforvaltningen" in body
        if accept == "application/n-triples":
            assert body.splitlines()[0].startswith(marker)


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-query", 403),
        (b"update=DROP+ALL", "application/x-www-form-urlencoded", 403),
        (b"DROP ALL", "application/sparql-update", 403),
        (
            b"SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "application/sparql-query",
            403,
        ),
        (b"SELECT * WHERE { ?s ?p }", "application/sparql-query", 400),
    ],
)
def test_updates_service_and_bad_syntax_are_refused(web_server, data, content_type, status):
    code, _, body = fetch(
        web_server.url + "/sparql", data=data, headers={"Content-Type": content_type}
    )
    assert code == status
    assert "Traceback" not in body


def test_the_query_command_runs_against_the_app_itself(web_server, web_store):
    from click.testing import CliRunner
    from indsatsgraf.cli import main

    runner = CliRunner()
    arguments = [
        "query",
        "multi-department-initiatives",
        "--format",
        "json",
        "--param",
        "department=BIF",
    ]
    remote = runner.invoke(main, [*arguments, "--endpoint", web_server.url + "/sparql"])
    local = runner.invoke(main, ["--store", str(web_store.path), *arguments])
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)
    assert json.loads(remote.output), "BIF shares initiatives with other departments"


def test_a_browser_without_a_query_gets_the_editor(web_server):
    status, headers, body = fetch(web_server.url + "/sparql", headers={"Accept": "text/html"})
    assert status == 200 and "yasgui.min.js" in body
    status, _, config = fetch(web_server.url + "/sparql/config.json")
    examples = {e["name"] for e in json.loads(config)["examples"]}
    assert "multi-department-initiatives" in examples


def test_every_query_has_a_row_cap_and_says_when_it_cut(web_client, monkeypatch):
    from indsatsgraf.web import sparql_endpoint

    monkeypatch.setattr(sparql_endpoint, "ROW_CAP", 5)
    query = "SELECT ?s WHERE { ?s a ?class } # row cap test"
    response = web_client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 5
    assert response.headers["x-indsatsgraf-truncated"] == "true"


def test_a_query_over_its_time_limit_is_answered_503(web_store, run_apart):
    from indsatsgraf.web import sparql_endpoint
    from indsatsgraf.web.sparql_workers import QueryWorkers

    heavy = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y }"
    )
    workers = QueryWorkers(size=1)
    generation = web_store.current.resolve()
    try:
        with pytest.raises(sparql_endpoint.EndpointError) as refused:
            run_apart(sparql_endpoint.answer(workers, generation, heavy, "", time_limit=0.001))
        assert refused.value.status == 503 and "did not finish" in str(refused.value)
        # The worker that ran past its limit was killed; the next query gets a new one.
        small = "ASK { ?s ?p ?o }"
        answer = run_apart(sparql_endpoint.answer(workers, generation, small, "", time_limit=60))
        assert b"true" in answer.body
    finally:
        workers.close()
