"""The network page: offline, complete, legend, search, tooltips, and both layout paths.

Browser tests open the written file in headless Chromium with every non-file request
blocked and recorded, so a single CDN link or remote font fails the test.
"""

from __future__ import annotations

import random
import re
import time

import networkx as nx
import pytest
from indsatsgraf.viz.render import (
    KIND_STYLES,
    PHYSICS_NODE_LIMIT,
    html_string,
    render_html,
)

ID = "https://w3id.org/indsatsgraf/id/"
SOF = ID + "org/sof"
BUF = ID + "org/buf"
INJECTION = ID + "initiativ/injektion"


def small_graph() -> nx.DiGraph:
    """Three initiatives, two departments, one goal; one label tries to inject markup."""
    graph = nx.DiGraph()
    graph.add_node(SOF, label="Socialforvaltningen", kind="Department")
    graph.add_node(BUF, label="Børne- og Ungdomsforvaltningen", kind="Department")
    graph.add_node(
        ID + "initiativ/botilbud",
        label="Flere botilbud til unge",
        kind="Initiative",
        amount=44_200_000.0,
        details={
            "Type": "Initiativ",
            "Forvaltninger": "SOF, BUF",
            "Periode": "2015-2018",
            "Beløb": "44.200.000 kr.",
            "Kilde": "tvaergaaende-indsatsplan-2015.txt, linje 5-80",
            "Citat": "Der etableres flere botilbud til unge med handicap.",
        },
    )
    graph.add_node(
        ID + "initiativ/job", label="Job til borgere med handicap", kind="Initiative", amount=900e3
    )
    graph.add_node(INJECTION, label='<b>fed</b> & "citat"', kind="Initiative")
    graph.add_node(ID + "maal/1", label="Mere selvstændigt liv", kind="Goal")
    graph.add_edge(ID + "initiativ/botilbud", SOF, label="ansvarlig", weight=2)
    graph.add_edge(ID + "initiativ/botilbud", BUF, label="involveret")
    graph.add_edge(ID + "initiativ/job", SOF, label="ansvarlig")
    graph.add_edge(INJECTION, BUF, label="ansvarlig")
    graph.add_edge(ID + "initiativ/job", ID + "maal/1", label="understøtter")
    return graph


def large_graph(nodes: int = 2000, seed: int = 7) -> nx.Graph:
    """A random hub-and-spoke graph above the physics limit, with a few isolated nodes."""
    shape = nx.barabasi_albert_graph(nodes - 20, 2, seed=seed)
    rng = random.Random(seed)
    kinds = list(KIND_STYLES)
    graph = nx.Graph()
    for index in range(nodes):
        graph.add_node(f"{ID}n{index}", label=f"Knude {index}", kind=rng.choice(kinds))
    graph.add_edges_from((f"{ID}n{u}", f"{ID}n{v}", {"label": "relation"}) for u, v in shape.edges)
    return graph


def node_field(page, node_id: str, name: str):
    return page.evaluate(
        "([id, name]) => indsatsgrafNetwork.body.data.nodes.get(id)[name]", [node_id, name]
    )


@pytest.mark.browser
def test_small_page_is_offline_complete_and_stops_physics(tmp_path, open_page) -> None:
    graph = small_graph()
    summary = render_html(graph, tmp_path / "small.html", title="Indsatser 2015")
    assert (summary.nodes, summary.edges, summary.physics) == (6, 5, True)
    assert summary.bytes == (tmp_path / "small.html").stat().st_size

    page = open_page(tmp_path / "small.html").page
    counts = page.evaluate(
        "[indsatsgrafNetwork.body.data.nodes.length, indsatsgrafNetwork.body.data.edges.length,"
        " indsatsgrafNetwork.physics.options.enabled]"
    )
    assert counts == [6, 5, False]
    legend = page.eval_on_selector_all(
        "#legend li",
        "items => items.map(i => [i.dataset.kind,"
        " ...Array.from(i.querySelectorAll('span'), s => s.textContent)])",
    )
    assert legend == [
        ["Goal", "Mål", "1"],
        ["Initiative", "Initiativ", "3"],
        ["Department", "Forvaltning", "2"],
    ]
    assert page.title() == "Indsatser 2015"


@pytest.mark.browser
def test_search_selects_node_by_case_insensitive_substring(tmp_path, open_page) -> None:
    render_html(small_graph(), tmp_path / "search.html", title="Søgning")
    page = open_page(tmp_path / "search.html").page

    page.fill("#search", "UNGDOMS")
    assert page.evaluate("indsatsgrafNetwork.getSelectedNodes()") == [BUF]
    assert page.inner_text("#search-status") == "1 af 1"

    page.fill("#search", "forvaltningen")
    assert page.evaluate("indsatsgrafNetwork.getSelectedNodes()") == [BUF]
    page.press("#search", "Enter")
    assert page.evaluate("indsatsgrafNetwork.getSelectedNodes()") == [SOF]

    page.fill("#search", "findes ikke")
    assert page.evaluate("indsatsgrafNetwork.getSelectedNodes()") == []
    assert page.inner_text("#search-status") == "Ingen træf"


@pytest.mark.browser
def test_tooltip_is_multiline_text_and_escapes_markup(tmp_path, open_page) -> None:
    render_html(small_graph(), tmp_path / "tooltip.html", title="Tooltips")
    page = open_page(tmp_path / "tooltip.html").page

    title = node_field(page, ID + "initiativ/botilbud", "title")
    assert title.split("\n") == [
        "Flere botilbud til unge",
        "Type: Initiativ",
        "Forvaltninger: SOF, BUF",
        "Periode: 2015-2018",
        "Beløb: 44.200.000 kr.",
        "Kilde: tvaergaaende-indsatsplan-2015.txt, linje 5-80",
        "Citat: Der etableres flere botilbud til unge med handicap.",
    ]
    assert node_field(page, SOF, "title") == "Socialforvaltningen\nType: Forvaltning"

    tooltip = hover(page, INJECTION)
    assert tooltip["text"].split("\n") == ['<b>fed</b> & "citat"', "Type: Initiativ"]
    assert tooltip["elements"] == 0


def hover(page, node_id: str) -> dict:
    """Move the mouse onto a node and return the shown tooltip's text and child elements."""
    box = page.locator("#mynetwork").bounding_box()
    point = page.evaluate(
        "id => indsatsgrafNetwork.canvasToDOM(indsatsgrafNetwork.getPosition(id))", node_id
    )
    page.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1)
    page.wait_for_function(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility === 'visible'; }"
    )
    return page.eval_on_selector(
        "div.vis-tooltip",
        "t => ({text: t.innerText, elements: t.querySelectorAll(':not(br)').length})",
    )


@pytest.mark.browser
def test_large_graph_has_fixed_layout_and_no_physics(tmp_path, open_page) -> None:
    graph = large_graph()
    assert graph.number_of_nodes() > PHYSICS_NODE_LIMIT
    summary = render_html(graph, tmp_path / "large.html", title="Stor graf")
    assert (summary.nodes, summary.edges, summary.physics) == (2000, 3956, False)

    page = open_page(tmp_path / "large.html").page
    state = page.evaluate(
        "(() => { const n = indsatsgrafNetwork;"
        " const nodes = n.body.data.nodes.get();"
        " return [nodes.length, n.body.data.edges.length, n.physics.options.enabled,"
        " nodes.every(d => Number.isFinite(d.x) && Number.isFinite(d.y))]; })()"
    )
    assert state == [2000, 3956, False, True]
    kinds = page.eval_on_selector_all("#legend li", "items => items.map(i => i.dataset.kind)")
    assert set(kinds) == {kind for _, kind in graph.nodes(data="kind")}

    page.fill("#search", "knude 1999")
    assert page.evaluate("indsatsgrafNetwork.getSelectedNodes()") == [f"{ID}n1999"]


@pytest.mark.browser
def test_empty_graph_renders_a_ready_page(tmp_path, open_page) -> None:
    summary = render_html(nx.Graph(), tmp_path / "empty.html", title="Tom")
    assert (summary.nodes, summary.edges, summary.physics) == (0, 0, False)
    page = open_page(tmp_path / "empty.html").page
    assert page.evaluate("indsatsgrafNetwork.body.data.nodes.length") == 0


EXTERNAL_REFERENCE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*|@import\s+(?:url\()?\s*["']?|url\(\s*["']?)https?://""",
    re.IGNORECASE,
)


def test_page_references_nothing_outside_itself() -> None:
    page = html_string(small_graph(), title="Offline")
    assert "<script src" not in page and '<link rel="stylesheet"' not in page
    assert EXTERNAL_REFERENCE.findall(page) == []
    assert EXTERNAL_REFERENCE.findall('<script src="https://cdn.example/x.js">') != []


def test_text_is_escaped_in_markup_and_script() -> None:
    page = html_string(small_graph(), title="<script>alert(1)</script> & co")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in page
    assert "<b>fed</b>" not in page
    # the data block, vis-network, the pair listing, the page script
    assert page.count("</script>") == 4


def test_size_by_degree_and_by_amount() -> None:
    by_degree = node_sizes(html_string(small_graph(), title="t"))
    assert by_degree[SOF] > by_degree[ID + "maal/1"]  # SOF has 2 edges, the goal 1
    assert by_degree[SOF] == by_degree[BUF]

    by_amount = node_sizes(html_string(small_graph(), title="t", size_by="amount"))
    assert by_amount[ID + "initiativ/botilbud"] > by_amount[ID + "initiativ/job"]
    assert by_amount[ID + "initiativ/job"] > by_amount[SOF]  # departments have no amount

    with pytest.raises(ValueError, match="size_by"):
        html_string(small_graph(), title="t", size_by="budget")


def node_sizes(page: str) -> dict[str, float]:
    sizes = re.findall(r'\{"id":"([^"]+)",[^{}]*?"size":([\d.]+)', page)
    return {node: float(size) for node, size in sizes}


def test_rendering_is_deterministic_and_fast_for_5000_nodes() -> None:
    graph = large_graph(5000, seed=3)
    start = time.perf_counter()
    first = html_string(graph, title="Stor")
    assert time.perf_counter() - start < 2.0
    assert first == html_string(graph, title="Stor")
