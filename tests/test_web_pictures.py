"""The web application's pictures in Chromium: saved as SVG and PNG for a report, the
lineage as a timeline, and every picture page clean for axe-core.

Facts from the documents: the 2015 plan's 2.1.5 "Etablering af Familiehus" is the 2019
status' "Familiehuset" (a correspondence with its score); sud-pejlemaerker-2014-2017.txt
gives 1.A (homes for 1,000 homeless citizens) as 859 in 2013, 828 in 2014, target 1,000.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_viz_pictures import TIMELINE_TEXTS, overlapping
from test_web_browser import READY, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.web]

SVG = "{http://www.w3.org/2000/svg}"
FAMILIEHUS = "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5"


def png_facts(data: bytes) -> tuple[int, int, float]:
    """Width and height in pixels and the dots per inch the PNG declares (0: none)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "a PNG"
    width, height = struct.unpack(">II", data[16:24])
    at, dpi = 8, 0.0
    while at < len(data):
        length = struct.unpack(">I", data[at : at + 4])[0]
        if data[at + 4 : at + 8] == b"pHYs":
            per_metre, _, unit = struct.unpack(">IIB", data[at + 8 : at + 17])
            dpi = per_metre * 0.0254 if unit == 1 else 0.0
        at += 12 + length
    return width, height, dpi


def save(page, name: str) -> tuple[str, bytes]:
    """Save the picture with the keyboard: focus the link and press Enter."""
    page.get_by_role("link", name=name).focus()
    with page.expect_download() as waiting:
        page.keyboard.press("Enter")
    download = waiting.value
    return download.suggested_filename, Path(download.path()).read_bytes()


@pytest.mark.parametrize(
    ("path", "stem", "text"),
    [
        ("/network/departments", "netvaerk-departments", "SOF · Socialforvaltningen"),
        ("/network/lineage", "netvaerk-lineage", "2.1.5 Etablering af Familiehus"),
        ("/indicators", "indikatorer", "mangler 172"),
    ],
)
def test_pictures_save_as_svg_and_print_ready_png(web_page, web_server, path, stem, text):
    page = web_page.page
    page.goto(web_server.url + path)
    name, data = save(page, "Gem som SVG")
    assert name == f"{stem}.svg" and len(data) > 1000
    root = ET.fromstring(data)
    assert root.tag == SVG + "svg"
    assert text in [t.text for t in root.iter(SVG + "text")]
    name, data = save(page, "Gem som PNG")
    width, height, dpi = png_facts(data)
    assert name == f"{stem}.png"
    assert width == 3 * round(float(root.get("width"))) and height > 0
    assert round(dpi) == 300
    assert width / dpi * 2.54 >= 10, "at least 10 cm wide in print at 300 dpi"


def test_downloads_keep_the_pages_filters(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/indicators?plan=sud-pejlemaerker-2014-2017.txt")
    href = page.get_by_role("link", name="Gem som SVG").get_attribute("href")
    assert href == "/indicators.svg?plan=sud-pejlemaerker-2014-2017.txt"
    _, data = save(page, "Gem som SVG")
    texts = [t.text or "" for t in ET.fromstring(data).iter(SVG + "text")]
    assert "mangler 172" in texts
    assert not any(t.startswith("Sagsfristoverholdelsen") for t in texts), "another plan's"


def test_lineage_page_is_a_timeline_with_links_to_each_initiative(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/network/lineage")
    texts = page.evaluate(TIMELINE_TEXTS)
    assert len([t for t in texts if t["cls"] == "label"]) >= 30
    assert overlapping(texts) == []
    years = [int(t["label"]) for t in texts if t["cls"] == "year"]
    lefts = [t["left"] for t in texts if t["cls"] == "year"]
    assert years == sorted(years) and lefts == sorted(lefts) and years[0] == 2014
    page.locator(f'svg.timeline a[href="{FAMILIEHUS}"] text').click()
    page.wait_for_url("**" + FAMILIEHUS)


def test_initiative_page_shows_its_lineage_as_a_timeline_with_scores_and_evidence(
    web_page, web_server
):
    page = web_page.page
    page.goto(web_server.url + FAMILIEHUS)
    texts = page.evaluate(TIMELINE_TEXTS)
    assert [t["label"] for t in texts if t["cls"] == "label"] == [
        "2.1.5 Etablering af Familiehus",
        "Familiehuset",
    ]
    assert [t["label"] for t in texts if t["cls"] == "score"] == ["0,97"]
    assert overlapping(texts) == []
    plans = page.eval_on_selector_all(
        "svg.timeline g.plan",
        "gs => gs.map(g => [g.dataset.year, g.querySelector('rect').getBoundingClientRect().left])",
    )
    assert [year for year, _ in plans] == ["2015", "2019"] and plans[0][1] < plans[1][1]
    focus = page.locator("svg.timeline g.node", has_text="2.1.5 Etablering af Familiehus")
    assert focus.locator("circle").get_attribute("fill") == "#ffd400", "the page's own initiative"
    row = page.locator("table.lineage-links tbody tr")
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[:5] == ["2015", "2.1.5 Etablering af Familiehus", "2019", "Familiehuset", "0,97"]
    assert "Familiehuset" in cells[5], "the evidence names what matched"
    page.locator('svg.timeline a[href$="/familiehuset"] text').click()
    page.wait_for_url("**/sof-indsatsplan-status-2019/initiative/familiehuset")


@pytest.mark.parametrize("path", ["/network/lineage", "/indicators", FAMILIEHUS])
def test_picture_pages_have_no_serious_accessibility_violations(web_page, web_server, path):
    page = web_page.page
    page.goto(web_server.url + path)
    if path == FAMILIEHUS:
        page.wait_for_selector(READY, timeout=120_000)
    assert serious_violations(page) == []


def test_department_counts_on_the_web_page_are_readable(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/network/departments")
    page.wait_for_selector(READY, timeout=120_000)
    px = page.evaluate(
        "(() => { const n = window.indsatsgrafNetwork; return Object.values(n.body.edges)"
        ".filter(e => e.options.label).map(e => e.options.font.size * n.getScale()); })()"
    )
    assert len(px) == 21 and min(px) >= 12


def test_department_names_on_the_web_page_do_not_overlap(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/network/departments")
    page.wait_for_selector(READY, timeout=120_000)
    boxes = page.evaluate(
        """(() => { const n = window.indsatsgrafNetwork;
        return Object.values(n.body.nodes).filter(d => d.options.label).map(d => {
          const s = d.labelModule.size;
          const a = n.canvasToDOM({x: s.left, y: s.top});
          const b = n.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
          return {label: d.options.label, left: a.x, top: a.y, right: b.x, bottom: b.y}; }); })()"""
    )
    assert len(boxes) == 7 and all(b["right"] - b["left"] > 20 for b in boxes)
    assert overlapping(boxes) == []


#: Every count button of the pair matrix: its pair, text, font size and whether it is the
#: element a visitor sees at its centre once scrolled into view (nothing drawn over it).
MATRIX_CELLS = """[...document.querySelectorAll("#pair-matrix button.pair")].map(b => {
  b.scrollIntoView({block: "center", inline: "center"});
  const r = b.getBoundingClientRect();
  const seen = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  return {a: b.dataset.a, b: b.dataset.b, text: b.textContent, seen: seen === b,
          px: parseFloat(getComputedStyle(b).fontSize), width: r.width, height: r.height}; })"""


def test_department_matrix_shows_every_pair_count_and_lists_a_pairs_initiatives(
    web_page, web_server
):
    page = web_page.page
    page.goto(web_server.url + "/network/departments")
    page.wait_for_selector(READY, timeout=120_000)
    drawn = page.evaluate(
        "fetch('/network/departments.json', {headers: {Accept: 'application/json'}})"
        ".then(r => r.json()).then(p => p.network.edges)"
    )
    shared = {frozenset((e["from"], e["to"])): e["items"] for e in drawn if e.get("items")}
    assert len(shared) == 21, "seven departments, every pair sharing initiatives"
    cells = page.evaluate(MATRIX_CELLS)
    assert len(cells) == 42, "each pair in both halves of the matrix"
    assert {(frozenset((c["a"], c["b"])), int(c["text"])) for c in cells} == {
        (pair, len(items)) for pair, items in shared.items()
    }
    assert all(c["seen"] and c["width"] > 0 and c["height"] > 0 for c in cells)
    assert min(c["px"] for c in cells) >= 12
    headers = page.eval_on_selector_all(
        "#pair-matrix th[scope=col], #pair-matrix th[scope=row]", "hs => hs.length"
    )
    assert headers == 14, "a column and a row header per department"

    sof, buf = "https://w3id.org/indsatsgraf/id/org/sof", "https://w3id.org/indsatsgraf/id/org/buf"
    page.locator(f'#pair-matrix button.pair[data-a="{sof}"][data-b="{buf}"]').click()
    listed = page.eval_on_selector_all("#pair-items li", "lis => lis.map(li => li.textContent)")
    assert sorted(listed) == sorted(shared[frozenset((sof, buf))])
    assert any(item.startswith("1.4.2 ") for item in listed), "the 2015 plan's 1.4.2"
    other = next(c for c in cells if frozenset((c["a"], c["b"])) != frozenset((sof, buf)))
    page.locator(f'#pair-matrix button.pair[data-a="{other["a"]}"][data-b="{other["b"]}"]').focus()
    page.keyboard.press("Enter")
    listed = page.eval_on_selector_all("#pair-items li", "lis => lis.map(li => li.textContent)")
    assert sorted(listed) == sorted(shared[frozenset((other["a"], other["b"]))])
    assert serious_violations(page) == []


def test_web_style_sheet_shades_the_matrix_as_the_viz_page_does():
    from indsatsgraf.viz.tables import pair_matrix_css

    css = Path(__file__).parents[1] / "web" / "static" / "css" / "app.css"
    assert pair_matrix_css() in css.read_text(encoding="utf-8")
