"""Analytics over the views: centrality, communities, bridges, paths and Gephi exports.

Facts from the documents: SOF publishes two of the five documents (the 2023 action plan and
the 2019 status) and is responsible for most initiatives; tvaergaaende-indsatsplan-2015.txt
names only SOF for 2.1.5 (line 1050), only BUF for 2.1.7 (line 1152), and SUF, SOF, BIF and
BUF for 1.4.2 (lines 428-430), whose text runs from line 396 to 439.
"""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.viz.analytics import (
    bridges,
    centrality,
    communities,
    export,
    flatten,
    shortest_path,
)
from indsatsgraf.viz.network import ViewError, ViewSpec, build_view

ID = "https://w3id.org/indsatsgraf/id/"
I2015 = ID + "tvaergaaende-indsatsplan-2015/initiative/"
SOF, BUF = ID + "org/sof", ID + "org/buf"


def rows_of(result, **where) -> list[dict]:
    return [row for row in result.rows if all(row[k] == v for k, v in where.items())]


def test_sof_is_the_most_central_department(oxstore) -> None:
    overview = centrality(oxstore, ViewSpec(), top=5)
    departments = rows_of(overview, kind="Forvaltning")
    assert len(departments) == 7
    assert departments[0]["iri"] == SOF
    assert departments[0]["degree_centrality"] == max(r["degree_centrality"] for r in departments)
    assert (
        len(rows_of(overview, kind="Initiativ")) + len(rows_of(overview, kind="Prioritering")) == 5
    )

    network = centrality(oxstore, ViewSpec(view="departments"))
    strongest = network.rows[0]
    assert strongest["iri"] == SOF
    assert strongest["weighted_degree"] == max(r["weighted_degree"] for r in network.rows)


def test_bridges_name_departments_and_the_initiatives_that_tie_them(oxstore) -> None:
    result = bridges(oxstore, ViewSpec(), top=50)
    departments = rows_of(result, role="department")
    assert departments[0]["iri"] == SOF and len(departments) == 7
    tying = {row["iri"]: row for row in rows_of(result, role="initiative")}
    assert tying[I2015 + "1.4.2"]["ties"] == 4
    assert I2015 + "2.1.5" not in tying and I2015 + "2.1.7" not in tying
    assert all(row["ties"] >= 2 for row in tying.values())
    betweenness = [row["betweenness"] for row in rows_of(result, role="initiative")]
    assert betweenness == sorted(betweenness, reverse=True)

    only_2015 = rows_of(bridges(oxstore, ViewSpec(plans=("2015",)), top=50), role="initiative")
    assert {row["plan"] for row in only_2015} == {"tvaergaaende-indsatsplan-2015.txt"}


def test_communities_cover_every_linked_node_once(oxstore) -> None:
    spec = ViewSpec(classes=("Initiative", "Priority", "Department"))
    result = communities(oxstore, spec)
    graph = build_view(oxstore, spec).graph
    linked = sum(1 for node in graph if graph.degree(node) > 0)
    assert sum(row["size"] for row in result.rows) == linked
    assert len(result.rows) > 1
    assert result.rows == communities(oxstore, spec).rows  # seeded: the same every time
    with_departments = [row["departments"] for row in result.rows if row["departments"]]
    assert "SOF" in {code for codes in with_departments for code in codes.split(", ")}


def test_shortest_path_from_a_2015_initiative_to_a_department(oxstore) -> None:
    direct = shortest_path(oxstore, "2.1.7", "BUF", ViewSpec())
    assert [row["iri"] for row in direct.rows] == [I2015 + "2.1.7", BUF]
    assert direct.rows[0]["relation"] == "ansvarlig forvaltning"

    around = shortest_path(oxstore, "2.1.5", "BUF", ViewSpec())
    steps = [row["iri"] for row in around.rows]
    assert steps[0] == I2015 + "2.1.5" and steps[-1] == BUF
    assert len(steps) == 4  # 2.1.5 is SOF's alone, so it needs two things in between

    with pytest.raises(ViewError, match="not in the graph"):
        shortest_path(oxstore, "2.1.5", "BUF", ViewSpec(classes=("Initiative", "Goal")))


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_exports_parse_back_with_the_same_nodes(oxstore, tmp_path, fmt, read) -> None:
    path = tmp_path / f"overview.{fmt}"
    nodes, edges = export(oxstore, ViewSpec(), fmt, path)
    graph = build_view(oxstore, ViewSpec()).graph
    assert (nodes, edges) == (graph.number_of_nodes(), graph.number_of_edges())
    back = read(path)
    assert back.number_of_nodes() == nodes and back.number_of_edges() == edges
    node = back.nodes[I2015 + "1.4.2"]
    assert node["kind"] == "Initiative"
    assert node["Kilde"] == "tvaergaaende-indsatsplan-2015.txt, linje 396-439"
    assert node["departments"] == "BIF BUF SOF SUF"


def test_flatten_keeps_only_strings_and_numbers(oxstore) -> None:
    flat = flatten(build_view(oxstore, ViewSpec(view="departments")).graph)
    for _, attrs in flat.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in attrs.values())
    edge = flat.edges[SOF, BUF]
    assert isinstance(edge["weight"], int) and I2015 + "1.4.2" in edge["initiatives"].split()


def test_cli_viz_and_analyze(built_store, tmp_path) -> None:
    runner = CliRunner()
    store = ["--store", str(built_store.path)]
    page = tmp_path / "dep.html"
    shown = runner.invoke(
        main, [*store, "viz", "--view", "dependencies", "--focus", "1.4.2", "-o", str(page)]
    )
    assert shown.exit_code == 0, shown.output
    assert "wrote" in shown.output and page.stat().st_size > 100_000

    found = runner.invoke(main, [*store, "analyze", "bridges", "--top", "3", "-f", "json"])
    assert found.exit_code == 0, found.output
    assert '"role": "department"' in found.output and SOF in found.output

    path = runner.invoke(main, [*store, "analyze", "path", "2.1.7", "BUF", "-f", "csv"])
    assert path.exit_code == 0 and path.output.count("\n") == 3  # header and two steps

    missing = runner.invoke(main, [*store, "viz", "--focus", "findes-ikke-xyz", "-o", str(page)])
    assert missing.exit_code == 1 and "nothing in the graph matches" in missing.output
    for command in (["viz"], ["analyze"], ["analyze", "path"], ["analyze", "export"]):
        helped = runner.invoke(main, [*command, "--help"])
        assert helped.exit_code == 0 and "Example:" in helped.output


def test_analyses_read_node_data_not_the_danish_tooltip(oxstore, monkeypatch) -> None:
    # The tooltip is a rendering: with every tooltip empty the analyses give the same
    # answers (kind, notation, plan …), because they read the nodes' data attributes.
    from indsatsgraf.viz import network

    before = centrality(oxstore, ViewSpec(), top=5).rows
    grouped = communities(oxstore, ViewSpec(view="departments")).rows
    monkeypatch.setattr(network, "tooltip", lambda node: {})
    assert centrality(oxstore, ViewSpec(), top=5).rows == before
    assert communities(oxstore, ViewSpec(view="departments")).rows == grouped
    departments = [r for r in before if r["kind"] == "Forvaltning"]
    assert {r["notation"] for r in departments} >= {"SOF", "BUF", "BIF", "SUF"}
    assert "SOF" in " ".join(str(r["departments"]) for r in grouped)
