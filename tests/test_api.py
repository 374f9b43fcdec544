"""The library facade (indsatsgraf.api) that the command line and the web call.

Each test checks a real answer from the bundled documents through the facade, and
that the CLI prints what the facade returns, so the two faces cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from indsatsgraf import api
from indsatsgraf.cli import main
from indsatsgraf.errors import IndsatsgrafError, QueryError
from indsatsgraf.graph.names import UnresolvedName
from indsatsgraf.graph.store import StoreError
from indsatsgraf.viz.network import ViewSpec

I2015 = "https://w3id.org/indsatsgraf/id/tvaergaaende-indsatsplan-2015/initiative/"


def test_open_graph_without_building_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        api.open_graph(tmp_path / "none", build_if_missing=False)
    assert caught.value.remedy == "build"
    assert not (tmp_path / "none" / "current").exists()


def test_documents_lists_the_bundled_plans_in_build_order(built_store) -> None:
    held = api.documents(built_store.path)
    names = [d.file_name for d in held]
    assert "tvaergaaende-indsatsplan-2015.txt" in names and len(names) == 5
    plan_2015 = next(d for d in held if d.file_name == "tvaergaaende-indsatsplan-2015.txt")
    assert plan_2015.importer == "tvaergaaende-2015" and plan_2015.initiatives == 32


def test_run_query_binds_a_thing_named_as_show_takes_it(oxstore) -> None:
    result = api.run_query(
        "multi-department-initiatives", {"department": "BIF"}, store=oxstore, limit=200
    )
    by_notation = {
        r["notation"]: r for r in result.rows if r["plan"] == "tvaergaaende-indsatsplan-2015.txt"
    }
    assert by_notation["1.4.2"]["departments"] == "BIF, BUF, SOF, SUF"
    assert all("BIF" in r["departments"] for r in result.rows)


def test_run_query_takes_sparql_text_with_the_project_prefixes(oxstore) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ig:Initiative ; skos:notation '1.4.2' }"
    assert api.run_query(text, store=oxstore).rows[0]["n"] >= 1
    assert api.find_query(text).path == Path("<inline>")
    assert api.find_query("status-overview").name == "status-overview"


def test_run_query_refuses_an_update_and_a_bad_parameter(oxstore) -> None:
    with pytest.raises(QueryError, match="SPARQL update"):
        api.run_query(
            "INSERT DATA { <a:b> <a:c> <a:d> }",
            store=oxstore,
        )
    with pytest.raises(QueryError, match="not a department code"):
        api.run_query("multi-department-initiatives", {"department": "XYZ"}, store=oxstore)


def test_check_query_finds_a_syntax_error_without_a_graph() -> None:
    with pytest.raises(QueryError, match=r"SPARQL syntax error at line 1"):
        api.check_query("SELECT ?x WHERE { ?x ?y }", timeout=10)


def test_describe_and_resolve_name_the_same_thing(oxstore) -> None:
    thing = api.resolve(oxstore, "2015:1.4.2")
    assert thing.iri == I2015 + "1.4.2" and thing.kind == "Initiative"
    described = api.describe(oxstore, "2015:1.4.2")
    assert described.iri == thing.iri
    assert any(file == "tvaergaaende-indsatsplan-2015.txt" for file, *_ in described.sources)


def test_resolve_refuses_text_that_is_no_name(oxstore) -> None:
    with pytest.raises(UnresolvedName, match="not a code, number, IRI or label"):
        api.resolve(oxstore, "1.4\x002")


def test_view_and_analyze_read_the_same_picture(oxstore) -> None:
    drawn = api.view(oxstore, ViewSpec(view="departments"))
    assert {drawn.graph.nodes[n]["notation"] for n in drawn.graph} >= {"SOF", "BUF", "BIF"}
    table = api.analyze(oxstore, "centrality", ViewSpec(view="departments"), top=3)
    assert {r["notation"] for r in table.rows} == {
        drawn.graph.nodes[n]["notation"] for n in drawn.graph
    }
    with pytest.raises(IndsatsgrafError, match="no analysis 'fame'"):
        api.analyze(oxstore, "fame", ViewSpec())


def test_stats_and_export_agree(oxstore) -> None:
    counted = api.stats(oxstore)
    lines = [line for line in api.export(oxstore, "nt").decode().splitlines() if line.strip()]
    assert len(lines) == counted.triples
    assert counted.per_document_class["tvaergaaende-indsatsplan-2015.txt"]["Initiative"] == 32
    with pytest.raises(IndsatsgrafError, match="no export format 'xml'"):
        api.export(oxstore, "xml")


def test_the_cli_prints_what_the_facade_returns(built_store, oxstore) -> None:
    result = CliRunner().invoke(
        main,
        ["--store", str(built_store.path), "query", "status-overview", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api.run_query("status-overview", store=oxstore).rows
