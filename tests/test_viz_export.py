"""Pictures for a report: SVG and PNG written without a browser, the indicator chart,
and every picture page checked by axe-core.

Facts from the documents: sud-pejlemaerker-2014-2017.txt gives 1.A (homes for 1,000
homeless citizens in 2017) as 859 in 2013 and 828 in 2014; the 2019 status of the SOF
plan gives "Bedre borgerdialog" as 87.7 % against 80 %, with no direction or baseline.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.viz.indicators import progress

SVG = "{http://www.w3.org/2000/svg}"


def viz(built_store, tmp_path, name: str, *args: str):
    out = tmp_path / name
    result = CliRunner().invoke(
        main, ["--store", str(built_store.path), "viz", *args, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_departments_as_svg_name_every_department_and_count(built_store, tmp_path) -> None:
    out = viz(built_store, tmp_path, "forvaltninger.svg", "--view", "departments")
    root = ET.parse(out).getroot()
    texts = [t.text for t in root.iter(SVG + "text")]
    for code in ("SOF", "BUF", "BIF", "SUF", "KFF", "ØKF", "TMF"):
        assert any(t and t.startswith(f"{code} · ") for t in texts), code
    assert "18" in texts  # SOF and BUF share 18 initiatives
    assert len(list(root.iter(SVG + "rect"))) == 1 + 7  # background and the departments


def test_png_is_three_times_the_svg(built_store, tmp_path) -> None:
    svg = viz(built_store, tmp_path, "fokus.svg", "--focus", "1.4.2")
    png = viz(built_store, tmp_path, "fokus.out", "--focus", "1.4.2", "--format", "png")
    width = float(ET.parse(svg).getroot().get("width"))
    assert png_size(png.read_bytes())[0] == round(3 * width)


def test_focus_svg_draws_the_centre_in_the_focus_colour(built_store, tmp_path) -> None:
    root = ET.parse(viz(built_store, tmp_path, "f.svg", "--focus", "1.4.2")).getroot()
    yellow = [e for e in root.iter() if e.get("fill") == "#ffd400"]
    assert len(yellow) == 1
    assert any(
        t.text == "1.4.2" and t.get("font-weight") == "bold" for t in root.iter(SVG + "text")
    )


def test_indicator_progress_gives_the_distance_still_to_go(oxstore) -> None:
    rows = {r.name: r for r in progress(oxstore)}
    homes = rows["1.000 udsatte københavnere får anvist en bolig i 2017"]
    assert (homes.baseline, homes.status, homes.target) == (859, 828, 1000)
    assert homes.to_go == 172
    dialogue = rows["Bedre borgerdialog"]
    assert (dialogue.status, dialogue.target) == (87.7, 80)
    assert dialogue.to_go is None, "no baseline or direction: no claim that 7.7 is missing"
    deadline = rows["1.C Flere københavnere, der får anvist en bolig, fastholder deres bolig"[4:]]
    assert round(deadline.to_go, 1) == 0.4
    fewer = rows["Der sker 80 færre udsættelser i 2017"]
    assert (fewer.status, fewer.target, fewer.to_go) == (474, 458, -16)


def test_indicator_chart_as_svg_and_page(built_store, tmp_path) -> None:
    root = ET.parse(viz(built_store, tmp_path, "i.svg", "--view", "indicators")).getroot()
    texts = [t.text or "" for t in root.iter(SVG + "text")]
    assert "mangler 172" in texts and "mangler 16" in texts
    assert not any(t.startswith("mangler 7,7") for t in texts)
    assert any(t.startswith("1.A 1.000 udsatte") for t in texts)
    page = viz(built_store, tmp_path, "i.html", "--view", "indicators").read_text("utf-8")
    assert 'id="progress-table"' in page and "<td>859 (2013)</td>" in page


@pytest.mark.browser
@pytest.mark.parametrize(
    "args",
    [
        ["--view", "overview"],
        ["--view", "departments"],
        ["--focus", "1.4.2", "--depth", "2"],
        ["--view", "dependencies", "--focus", "1.4.2"],
        ["--view", "lineage"],
        ["--view", "indicators"],
    ],
    ids=lambda args: args[1],
)
def test_every_picture_page_passes_axe(built_store, tmp_path, open_page, args) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(viz(built_store, tmp_path, "page.html", *args)).page
    page.click("#table summary")
    results = Axe().run(page)
    serious = [
        (v["id"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.locator("#table table").count() >= 1, "a table alternative"


#: Every label, count and square of an SVG picture with its box as Chromium lays it out.
SVG_BOXES = """[...document.querySelectorAll("text.label, text.count, rect")].slice(1).map(e => {
  const r = e.getBoundingClientRect();
  return {label: e.textContent || e.tagName, kind: e.getAttribute("class") || e.tagName,
          left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""


@pytest.mark.browser
def test_departments_svg_counts_touch_no_square_label_or_other_count(
    built_store, tmp_path, browser
) -> None:
    from test_viz_pictures import overlapping

    svg = viz(built_store, tmp_path, "forvaltninger.svg", "--view", "departments")
    page = browser.new_page(viewport={"width": 1800, "height": 1400})
    page.goto(svg.as_uri())
    boxes = page.evaluate(SVG_BOXES)
    page.close()
    squares = [b for b in boxes if b["kind"] == "rect"]
    counts = [b for b in boxes if b["kind"] == "count"]
    labels = [b for b in boxes if b["kind"] == "label"]
    assert (len(squares), len(labels), len(counts)) == (7, 7, 21)
    assert sorted(int(c["label"]) for c in counts)[-1] == 18  # SOF and BUF
    assert overlapping(counts + labels) == []
    touching = [t["label"] for t in counts + labels for s in squares if overlapping([t, s])]
    assert touching == []


#: Every label and node shape of an SVG picture with its box as Chromium lays it out.
SVG_LABELS_AND_SHAPES = """[...document.querySelectorAll(
    "text.label, circle, polygon, rect:not(:first-of-type)")].map(e => {
  const r = e.getBoundingClientRect();
  return {label: e.textContent || e.tagName, kind: e.getAttribute("class") || "shape",
          left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""


@pytest.mark.browser
def test_dependencies_svg_labels_touch_no_other_label_or_node(
    built_store, tmp_path, browser
) -> None:
    from test_viz_pictures import overlapping

    svg = viz(
        built_store, tmp_path, "afhaengigheder.svg", "--view", "dependencies", "--focus", "1.4.2"
    )
    page = browser.new_page(viewport={"width": 2400, "height": 1600})
    page.goto(svg.as_uri())
    boxes = page.evaluate(SVG_LABELS_AND_SHAPES)
    page.close()
    labels = [b for b in boxes if b["kind"] == "label"]
    shapes = [b for b in boxes if b["kind"] == "shape"]
    names = {b["label"] for b in labels}
    # The 2015 plan names SOF and BUF among the departments carrying 1.4.2.
    assert {"1.4.2", "Socialforvaltningen", "Børne- og Ungdomsforvaltningen"} <= names
    assert len(labels) >= 8 and len(shapes) == 11
    assert overlapping(labels) == []
    touching = [t["label"] for t in labels for s in shapes if overlapping([t, s])]
    assert touching == []
