"""Network views from the bundled documents: facts per view, filters, and each page in a browser.

Expected values were read in the documents themselves: in tvaergaaende-indsatsplan-2015.txt
"Ansvarlig forvaltning" names SOF and BUF for 2.1.1, 2.1.2, 2.1.3, 2.1.4 and 2.1.6 (lines
822, 885, 944, 1002, 1104), SOF, BUF, BIF and SUF for 1.4.2 (line 428-430), only SOF for
2.1.5 (line 1050) and only BUF for 2.1.7 (line 1152), whose budget is 44,2 mio. kr. (line
1161); sof-indsatsplan-2023-2026.txt runs U-start, Mind My Mind and KIT across SOF and BUF
(lines 253, 259, 260).
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest
from indsatsgraf.viz.network import (
    OVERVIEW_KINDS,
    ViewError,
    ViewSpec,
    build_view,
    lineage,
)
from indsatsgraf.viz.render import render_html, style_of

ID = "https://w3id.org/indsatsgraf/id/"
IG = "https://w3id.org/indsatsgraf/ontology#"
ORG = {code: f"{ID}org/{code.lower()}" for code in ("SOF", "BUF", "BIF", "SUF", "TMF", "KFF")}
ORG["ØKF"] = ID + "org/oekf"
PLAN_2015 = ID + "plan/tvaergaaende-indsatsplan-2015"
I2015 = ID + "tvaergaaende-indsatsplan-2015/initiative/"
SOF_BUF_2015 = {I2015 + n for n in ("1.4.2", "2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.6")}
SOF_BUF_2023 = ("U-start", "Mind My Mind", "Koordineret Indsats på Tværs")


def view(oxstore, **spec) -> nx.Graph:
    return build_view(oxstore, ViewSpec(**spec)).graph


def kinds(graph: nx.Graph) -> set[str]:
    return {kind for _, kind in graph.nodes(data="kind")}


def test_overview_links_plans_goals_initiatives_and_departments(oxstore) -> None:
    graph = view(oxstore)
    assert kinds(graph) <= OVERVIEW_KINDS
    assert {"Plan", "Goal", "Initiative", "Department", "BudgetItem", "Indicator"} <= kinds(graph)
    assert sum(kind == "Plan" for _, kind in graph.nodes(data="kind")) == 5
    assert set(ORG.values()) <= set(graph)
    # 1.4.2 → goal 1.4 → … → the 2015 plan, and 1.4.2 → its four departments
    assert nx.has_path(graph, I2015 + "1.4.2", PLAN_2015)
    assert {ORG[c] for c in ("SOF", "BUF", "BIF", "SUF")} <= set(graph[I2015 + "1.4.2"])
    assert graph.edges[I2015 + "2.1.7", ORG["BUF"]]["label"] == "ansvarlig forvaltning"


def test_tooltip_details_carry_type_departments_amount_and_source(oxstore) -> None:
    graph = view(oxstore)
    basis = graph.nodes[I2015 + "2.1.7"]
    assert basis["label"] == "Etablering af flere basispladser på 0-5 års området"
    assert basis["amount"] >= 44_200_000
    details = basis["details"]
    assert details["Type"] == "Initiativ"
    assert details["Nummer"] == "2.1.7"
    assert details["Forvaltninger"] == "BUF"
    assert details["Plan"] == "tvaergaaende-indsatsplan-2015.txt"
    assert "44.200.000" in details["Beløb"] or basis["amount"] > 44_200_000
    assert details["Kilde"].startswith("tvaergaaende-indsatsplan-2015.txt, linje 1122-")
    assert details["Citat"].startswith("2.1.7 Etablering af flere basispladser")
    assert graph.nodes[I2015 + "1.4.2"]["details"]["Forvaltninger"] == "BIF, BUF, SOF, SUF"


def test_tooltip_of_2_1_8_counts_the_total_not_also_its_split(oxstore) -> None:
    # lines 1209-1211 of the 2015 plan: 20,0 mio. kr. in all, split 1,0 + 12,0 + 7,0
    node = view(oxstore).nodes[I2015 + "2.1.8"]
    assert node["amount"] == 20_000_000
    assert node["details"]["Beløb"] == "20.000.000 kr."


def test_departments_view_weights_edges_by_shared_initiatives(oxstore) -> None:
    graph = view(oxstore, view="departments")
    assert set(graph) == set(ORG.values())
    assert kinds(graph) == {"Department"}
    sof_buf = graph.edges[ORG["SOF"], ORG["BUF"]]
    shared = set(sof_buf["initiatives"])
    assert shared >= SOF_BUF_2015
    assert I2015 + "2.1.5" not in shared and I2015 + "2.1.7" not in shared
    labels = {graph_label for graph_label in _labels(oxstore, shared)}
    for name in SOF_BUF_2023:
        assert any(name in label for label in labels), name
    assert sof_buf["weight"] == len(shared) >= len(SOF_BUF_2015) + len(SOF_BUF_2023)


def _labels(oxstore, iris: set[str]) -> list[str]:
    found = []
    for iri in iris:
        for quad in oxstore.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            if quad.predicate.value.endswith("#label"):
                found.append(quad.object.value)
    return found


def test_departments_view_filters_by_plan_and_department(oxstore) -> None:
    only_2015 = view(oxstore, view="departments", plans=("2015",))
    assert set(only_2015.edges[ORG["SOF"], ORG["BUF"]]["initiatives"]) == SOF_BUF_2015
    around_kff = view(oxstore, view="departments", departments=("kff",))
    assert ORG["KFF"] in around_kff
    assert all(ORG["KFF"] in edge for edge in around_kff.edges)


def test_focus_on_a_number_shows_its_neighbourhood(oxstore) -> None:
    graph = view(oxstore, focus="1.4.2", view="focus")
    assert {ORG[c] for c in ("SUF", "SOF", "BIF", "BUF")} <= set(graph)
    assert ID + "org/hjerneskadesamraadet" in graph
    assert ID + "tvaergaaende-indsatsplan-2015/goal/1.4" in graph
    assert ORG["TMF"] not in graph and nx.radius(graph) == 1
    assert set(view(oxstore, view="focus", focus="1.4.2", depth=0)) == {I2015 + "1.4.2"}
    wider = view(oxstore, view="focus", focus="1.4.2", depth=2)
    assert set(graph) < set(wider)
    by_code = view(oxstore, view="focus", focus="SOF", depth=1)
    assert set(by_code) >= SOF_BUF_2015
    by_iri = view(oxstore, view="focus", focus=I2015 + "1.4.2")
    assert set(by_iri) == set(graph)


def test_dependencies_of_an_initiative(oxstore) -> None:
    graph = view(oxstore, view="dependencies", focus="2.1.7")
    assert set(graph[I2015 + "2.1.7"]) >= {ORG["BUF"], PLAN_2015}
    goals = {n for n, kind in graph.nodes(data="kind") if kind in ("Goal", "Theme")}
    assert ID + "tvaergaaende-indsatsplan-2015/goal/2.1" in goals
    assert ORG["SOF"] not in graph


def test_filters_reduce_the_overview(oxstore) -> None:
    whole = view(oxstore)
    only_2015 = view(oxstore, plans=("tvaergaaende",))
    assert 0 < only_2015.number_of_nodes() < whole.number_of_nodes()
    plans = {attrs["plan"] for _, attrs in only_2015.nodes(data=True)}
    assert plans == {PLAN_2015, ""}
    assert {I2015 + "1.4.2", I2015 + "2.1.7", ORG["BUF"]} <= set(only_2015)

    buf = view(oxstore, departments=("BUF",))
    assert 0 < buf.number_of_nodes() < whole.number_of_nodes()
    assert I2015 + "2.1.7" in buf and I2015 + "2.1.5" not in buf

    two = view(oxstore, classes=("Initiative", "forvaltning"))
    assert kinds(two) == {"Initiative", "Department"}
    goals = view(oxstore, classes=("Goal",))
    assert kinds(goals) == {"Goal", "Theme", "Priority", "Benchmark"}


def test_query_as_graph_links_initiatives_to_their_departments(oxstore) -> None:
    graph = view(
        oxstore,
        query="multi-department-initiatives",
        classes=("Initiative", "Priority", "Department"),
    )
    results = view(oxstore, query="multi-department-initiatives", depth=0)
    assert results.number_of_edges() == 0
    assert set(results) >= SOF_BUF_2015 and I2015 + "2.1.5" not in results
    assert set(results) < set(graph)
    assert kinds(graph) == {"Initiative", "Priority", "Department"}
    for item in results:
        departments = [m for m in graph[item] if graph.nodes[m]["kind"] == "Department"]
        assert len(departments) >= 2, item
    bif = view(oxstore, query="multi-department-initiatives", params={"department": "BIF"}, depth=0)
    assert I2015 + "1.4.2" in bif and I2015 + "2.1.1" not in bif


def test_lineage_without_links_shows_the_plans(oxstore) -> None:
    graph = view(oxstore, view="lineage")
    plans = {n for n, kind in graph.nodes(data="kind") if kind == "Plan"}
    assert len(plans) == 5
    for node in set(graph) - plans:
        assert any(graph.edges[node, m]["label"] == "svarer til" for m in graph[node]), (
            "every non-plan node of the lineage corresponds to something"
        )


def lineage_store() -> ox.Store:
    """Two plans; a 2015 initiative that became a 2019 one (link in its own graph)."""
    store = ox.Store()
    ig, rdfs = IG, "http://www.w3.org/2000/01/rdf-schema#"
    a = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    triples = [
        (ID + "plan/p2015", a, ig + "Plan"),
        (ID + "plan/p2019", a, ig + "Plan"),
        (ID + "i/old", a, ig + "Initiative"),
        (ID + "i/new", a, ig + "Initiative"),
        (ID + "i/alone", a, ig + "Initiative"),
        (ID + "i/old", ig + "describedIn", ID + "plan/p2015"),
        (ID + "i/alone", ig + "describedIn", ID + "plan/p2015"),
        (ID + "i/new", ig + "describedIn", ID + "plan/p2019"),
    ]
    labels = [
        (ID + "plan/p2015", ig + "fileName", "plan-2015.txt"),
        (ID + "plan/p2019", ig + "fileName", "status-2019.txt"),
        (ID + "i/old", rdfs + "label", "Familiehus"),
        (ID + "i/new", rdfs + "label", "Familiehuset"),
        (ID + "i/alone", rdfs + "label", "Uden efterfølger"),
    ]
    docs = ox.NamedNode(ID.replace("/id/", "/graph/") + "docs")
    links = ox.NamedNode(ID.replace("/id/", "/graph/") + "links")
    for s, p, o in triples:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), docs))
    for s, p, o in labels:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(o), docs))
    store.add(
        ox.Quad(
            ox.NamedNode(ID + "i/old"),
            ox.NamedNode(ig + "correspondsTo"),
            ox.NamedNode(ID + "i/new"),
            links,
        )
    )
    return store


def test_lineage_follows_correspondences_across_plans() -> None:
    graph = lineage(lineage_store())
    assert set(graph) == {ID + "plan/p2015", ID + "plan/p2019", ID + "i/old", ID + "i/new"}
    assert graph.edges[ID + "i/old", ID + "i/new"]["label"] == "svarer til"
    assert graph.edges[ID + "i/new", ID + "plan/p2019"]["label"] == "beskrevet i"
    from_2019 = lineage(lineage_store(), plans=("2019",))
    assert {ID + "i/old", ID + "plan/p2015"} <= set(from_2019)


def test_unknown_names_are_view_errors(oxstore) -> None:
    with pytest.raises(ViewError, match="nothing in the graph matches"):
        view(oxstore, view="focus", focus="findes-ikke-xyz")
    with pytest.raises(ViewError, match="no plan matches"):
        view(oxstore, plans=("2099",))
    with pytest.raises(ViewError, match="no department"):
        view(oxstore, departments=("XYZ",))
    with pytest.raises(ViewError, match="no class"):
        view(oxstore, classes=("Bil",))
    with pytest.raises(ViewError, match="needs a thing at its centre"):
        view(oxstore, view="dependencies")


BROWSER_VIEWS = [
    ("overview", {}, ORG["SOF"], "Socialforvaltningen"),
    ("departments", {"view": "departments"}, ORG["BUF"], "Børne- og Ungdomsforvaltningen"),
    ("focus", {"view": "focus", "focus": "1.4.2"}, ID + "org/hjerneskadesamraadet", "hjerneskade"),
    (
        "dependencies",
        {"view": "dependencies", "focus": "2.1.7"},
        PLAN_2015,
        "Tværgående indsatsplan",
    ),
    (
        "query",
        {"query": "multi-department-initiatives", "classes": ("Initiative", "Department")},
        I2015 + "1.4.2",
        "Sammenhængende og helhedsorienteret",
    ),
]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "spec", "node", "search"), BROWSER_VIEWS, ids=[v[0] for v in BROWSER_VIEWS]
)
def test_each_view_opens_offline_with_its_counts_and_search(
    oxstore,
    tmp_path,
    open_page,
    name,
    spec,
    node,
    search,
) -> None:
    drawn = build_view(oxstore, ViewSpec(**spec))
    path = tmp_path / f"{name}.html"
    render_html(drawn.graph, path, title=drawn.title)
    page = open_page(path).page  # fails on any blocked request or console error
    counts = page.evaluate(
        "[indsatsgrafNetwork.body.data.nodes.length, indsatsgrafNetwork.body.data.edges.length]"
    )
    assert counts == [drawn.graph.number_of_nodes(), drawn.graph.number_of_edges()]
    legend = page.eval_on_selector_all("#legend li", "items => items.map(i => i.dataset.kind)")
    # the legend names what is drawn: a kind, or the style a view marks (shared initiatives)
    assert set(legend) == {style_of(attrs) for _, attrs in drawn.graph.nodes(data=True)}
    page.fill("#search", search)
    selected = page.evaluate("indsatsgrafNetwork.getSelectedNodes()")
    matches = int(page.inner_text("#search-status").split(" af ")[1])
    for _ in range(matches):
        if selected == [node]:
            break
        page.press("#search", "Enter")
        selected = page.evaluate("indsatsgrafNetwork.getSelectedNodes()")
    assert selected == [node]
