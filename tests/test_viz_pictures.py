"""The pictures a planner reads at a glance, measured in Chromium at the default zoom.

Facts from the documents: tvaergaaende-indsatsplan-2015.txt names SOF, BUF, BIF and SUF
for 1.4.2 (lines 428-430), so its focus has those four departments in its nearest ring.
"""

from __future__ import annotations

import pytest
from indsatsgraf.viz.network import ViewSpec, build_view
from indsatsgraf.viz.render import render_html

ID = "https://w3id.org/indsatsgraf/id/"
I142 = ID + "tvaergaaende-indsatsplan-2015/initiative/1.4.2"

#: On-screen label height and box of every node the page must name at first sight.
LABELS = """(() => { const n = indsatsgrafNetwork, scale = n.getScale();
  return n.body.data.nodes.get().filter(d => d.px).map(d => {
    const m = n.body.nodes[d.id].labelModule;
    return {id: d.id, emphasis: d.emphasis, px: m.fontOptions.size * scale,
            color: JSON.stringify(n.body.nodes[d.id].options.color)}; }); })()"""


#: Every named label's box on screen (DOM pixels): the text width measured with the
#: node's own font by the canvas, the height and top from vis-network's label module.
LABEL_BOXES = """(() => { const n = indsatsgrafNetwork;
  const ctx = document.createElement("canvas").getContext("2d");
  return n.body.data.nodes.get().filter(d => d.px).map(d => {
    const m = n.body.nodes[d.id].labelModule, f = m.fontOptions, at = n.getPositions([d.id])[d.id];
    ctx.font = (f.bold ? "bold " : "") + f.size + "px " + f.face;
    const half = ctx.measureText(d.label).width / 2;
    const a = n.canvasToDOM({x: at.x - half, y: m.size.top});
    const b = n.canvasToDOM({x: at.x + half, y: m.size.top + m.size.height});
    return {label: d.label, left: a.x, top: a.y, right: b.x, bottom: b.y}; }); })()"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["label"], b["label"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]


def draw(oxstore, tmp_path, open_page, **spec):
    drawn = build_view(oxstore, ViewSpec(**spec))
    render_html(drawn.graph, tmp_path / "page.html", title=drawn.title)
    return drawn.graph, open_page(tmp_path / "page.html").page


@pytest.mark.browser
def test_focus_at_depth_2_keeps_the_centre_distinct_and_the_near_ring_readable(
    oxstore, tmp_path, open_page
) -> None:
    graph, page = draw(oxstore, tmp_path, open_page, focus="1.4.2", depth=2)
    assert graph.number_of_nodes() > 100  # the unreadable case of the issue
    labels = {item["id"]: item for item in page.evaluate(LABELS)}
    assert labels[I142]["emphasis"] == "center"
    near = {n for n in graph[I142]}
    assert {ID + f"org/{c}" for c in ("sof", "buf", "bif", "suf")} <= near
    assert set(labels) == near | {I142}, "only the centre and its nearest ring are named"
    assert all(item["px"] >= 12 for item in labels.values())
    centre_color = labels.pop(I142)["color"]
    assert all(item["color"] != centre_color for item in labels.values())
    far = [n for n, ring in graph.nodes(data="ring") if ring == 2]
    far_color = page.evaluate("id => indsatsgrafNetwork.body.nodes[id].options.color", far[0])
    assert "rgba" in far_color["background"], "the far ring is faded"


@pytest.mark.browser
def test_overview_names_the_initiatives_that_span_departments(oxstore, tmp_path, open_page) -> None:
    graph, page = draw(oxstore, tmp_path, open_page, view="overview")
    shared = {n for n, a in graph.nodes(data=True) if a.get("style") == "SharedInitiative"}
    assert I142 in shared and len(shared) >= 10
    labels = {item["id"]: item for item in page.evaluate(LABELS)}
    assert shared <= set(labels)
    assert all(labels[n]["px"] >= 12 for n in shared)
    assert page.evaluate("id => indsatsgrafNetwork.body.data.nodes.get(id).label", I142) == "1.4.2"
    legend = page.eval_on_selector_all("#legend li", "items => items.map(i => i.dataset.kind)")
    assert "SharedInitiative" in legend


@pytest.mark.browser
@pytest.mark.parametrize("spec", [{"view": "overview"}, {"focus": "1.4.2", "depth": 2}])
def test_named_labels_do_not_overlap_at_the_default_zoom(
    oxstore, tmp_path, open_page, spec
) -> None:
    graph, page = draw(oxstore, tmp_path, open_page, **spec)
    boxes = page.evaluate(LABEL_BOXES)
    named = sum(
        a.get("emphasis") in ("center", "highlight", "near") for _, a in graph.nodes(data=True)
    )
    assert len(boxes) == named >= 8
    assert all(b["right"] - b["left"] > 10 for b in boxes), "every label was measured"
    assert overlapping(boxes) == []
    width, height = page.evaluate("[innerWidth, innerHeight]")
    assert all(b["left"] >= 0 and b["right"] <= width and b["bottom"] <= height for b in boxes)


def test_overlap_check_finds_overlapping_boxes() -> None:
    a = {"label": "a", "left": 0, "top": 0, "right": 10, "bottom": 10}
    b = {"label": "b", "left": 9, "top": 9, "right": 20, "bottom": 20}
    c = {"label": "c", "left": 10, "top": 0, "right": 20, "bottom": 10}  # touches a
    assert overlapping([a, b, c]) == [("a", "b"), ("b", "c")]


@pytest.mark.browser
def test_departments_show_counts_and_list_a_pairs_initiatives(oxstore, tmp_path, open_page) -> None:
    graph, page = draw(oxstore, tmp_path, open_page, view="departments")
    sof, buf = ID + "org/sof", ID + "org/buf"
    shared = graph.edges[sof, buf]["weight"]
    assert shared >= 6  # 1.4.2, 2.1.1-2.1.4, 2.1.6 of 2015 alone
    edge_px = page.evaluate(
        "(() => { const n = indsatsgrafNetwork; return Object.values(n.body.edges)"
        ".filter(e => e.options.label).map(e => e.options.font.size * n.getScale()); })()"
    )
    assert len(edge_px) == graph.number_of_edges() and min(edge_px) >= 12
    button = page.locator(f'button.pair[data-a="{sof}"][data-b="{buf}"]')
    assert button.inner_text() == str(shared)
    button.click()
    items = page.eval_on_selector_all("#pair-items li", "items => items.map(i => i.textContent)")
    assert len(items) == shared
    assert any(item.startswith("1.4.2 ") for item in items)


#: Every text of the timeline SVG with its box on screen, as Chromium laid it out.
TIMELINE_TEXTS = """[...document.querySelectorAll("svg.timeline text")].map(t => {
  const r = t.getBoundingClientRect();
  return {label: t.textContent, cls: t.getAttribute("class"), left: r.left, top: r.top,
          right: r.right, bottom: r.bottom}; })"""


@pytest.mark.browser
def test_lineage_is_a_timeline_ordered_by_year_with_no_overlapping_text(
    oxstore, tmp_path, open_page
) -> None:
    graph, page = draw(oxstore, tmp_path, open_page, view="lineage")
    plans = {n: a["years"][0] for n, a in graph.nodes(data=True) if a["kind"] == "Plan"}
    assert sorted(plans.values()) == [2014, 2015, 2018, 2019, 2023]
    x = page.evaluate(
        "ids => ids.map(id => document.querySelector(`g.plan[data-id='${id}'] rect`)"
        ".getBoundingClientRect().left)",
        list(plans),
    )
    by_year = [x for _, x in sorted(zip(plans.values(), x, strict=True))]
    assert by_year == sorted(by_year) and len(set(by_year)) == len(by_year)
    years = page.eval_on_selector_all("svg.timeline text.year", "ts => ts.map(t => t.textContent)")
    assert years == [str(y) for y in range(2014, 2027)]
    texts = page.evaluate(TIMELINE_TEXTS)
    labels = [t for t in texts if t["cls"] == "label"]
    assert len(labels) == sum(a["kind"] != "Plan" for _, a in graph.nodes(data=True))
    assert "2.1.5 Etablering af Familiehus" in [t["label"] for t in labels]
    scores = [t["label"] for t in texts if t["cls"] == "score"]
    assert len(scores) == sum("score" in a for _, _, a in graph.edges(data=True)) >= 20
    assert all(0 < float(s.replace(",", ".")) <= 1 for s in scores)
    assert all(t["right"] - t["left"] > 5 for t in texts), "every text was laid out"
    assert overlapping(texts) == []
    width = page.evaluate("document.querySelector('svg.timeline').getBoundingClientRect().right")
    assert all(t["right"] <= width for t in texts), "no text runs off the picture"


@pytest.mark.browser
def test_every_picture_has_a_table_alternative(oxstore, tmp_path, open_page) -> None:
    graph, page = draw(oxstore, tmp_path, open_page, view="departments")
    rows = page.eval_on_selector_all("#nodes-table tbody tr", "rows => rows.length")
    assert rows == graph.number_of_nodes()


@pytest.mark.browser
def test_png_button_renders_at_three_times_the_screen(oxstore, tmp_path, open_page) -> None:
    _, page = draw(oxstore, tmp_path, open_page, view="departments")
    with page.expect_download():
        page.click("#save-png")
    width = page.evaluate(
        "(() => { const img = new Image(); img.src = window.indsatsgrafLastPng;"
        " return new Promise(r => { img.onload = () => r(img.width); }); })()"
    )
    css_width = page.evaluate("document.getElementById('mynetwork').clientWidth")
    assert width == 3 * css_width
