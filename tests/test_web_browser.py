"""The web application in a real browser: a planner's flows, accessibility and safety.

The application runs on uvicorn on 127.0.0.1 (fixture ``web_server``) and
Debian's chromium drives it. The page fixture fails a test when a page reaches
beyond the server or logs an error, which includes every Content-Security-Policy
violation.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.web]

READY = "html[data-ready=true]"  # set by the page scripts once a drawing or editor is ready
PAGE_KINDS = {
    "front": "/",
    "queries": "/queries",
    "query": "/queries/multi-department-initiatives?department=SOF",
    "thing": "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5",
    "document": "/documents/bif-indsatsplan-2018-2022",
    "networks": "/network",
    "network": "/network/departments",
    "indicators": "/indicators",
    "indicator page": "/indicators?_size=5",
    "search": "/search?q=botilbud",
    "links": "/links",
    "sparql": "/sparql",
    "error": "/id/no/such/thing",
}
NEEDS_SCRIPT = {"thing", "network", "sparql"}


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_has_no_serious_accessibility_violations(web_page, web_server, kind):
    page = web_page.page
    page.goto(web_server.url + PAGE_KINDS[kind])
    if kind in NEEDS_SCRIPT:
        page.wait_for_selector(READY, timeout=120_000)
    assert page.locator("html").get_attribute("lang") == "da"
    assert serious_violations(page) == []
    if kind == "error":  # the browser reports the page's own 404 status as a console error
        web_page.errors[:] = [e for e in web_page.errors if "404 (Not Found)" not in e]


def test_planner_runs_a_saved_query_with_the_keyboard_and_downloads_csv(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/queries/multi-department-initiatives")
    page.locator("#site-q").focus()
    page.keyboard.press("Tab")  # the header's search button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "p-department"
    page.keyboard.type("BUF")  # typing picks the option that begins with the letters
    assert page.locator("#p-department").input_value() == "BUF"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "p-plan"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**department=BUF**")
    headers = [h.strip() for h in page.locator("table.results thead th").all_inner_texts()]
    column = next(n for n, h in enumerate(headers, 1) if h.startswith("departments"))
    cells = page.locator(f"table.results tbody tr td:nth-child({column})").all_inner_texts()
    assert cells and all("BUF" in cell for cell in cells)
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Hent CSV").click()
    download = waiting.value
    assert download.suggested_filename == "multi-department-initiatives.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) == len(cells) or len(rows) > len(cells) == 50
    assert all("BUF" in row["departments"] for row in rows)


def test_planner_follows_a_thing_to_its_source_line(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5")
    assert page.locator("h1").inner_text() == "Etablering af Familiehus"
    page.get_by_role("link", name="Vis i dokumentet").first.click()
    page.wait_for_url("**/documents/tvaergaaende-indsatsplan-2015#L1017")
    line = page.locator("li:target")
    assert line.get_attribute("id") == "L1017"
    assert "2.1.5 Etablering af Familiehus" in line.inner_text()
    line.get_by_role("link", name="Etablering af Familiehus").click()
    page.wait_for_url("**/initiative/2.1.5")
    page.wait_for_selector(READY, timeout=120_000)
    assert page.locator("#network canvas").count() == 1


def test_planner_searches_in_danish(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/")
    page.locator("#site-q").fill("botilbud")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=botilbud")
    assert page.get_by_role("link", name="Etablering af nye botilbudspladser").count() >= 1
    assert page.locator("main h2").first.inner_text().startswith("Indsats")


def test_network_is_drawn_with_its_table(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/network/departments")
    page.wait_for_selector(READY, timeout=120_000)
    assert page.locator("#network canvas").count() == 1
    assert page.evaluate("window.indsatsgrafNetwork.body.data.nodes.length") >= 7
    assert page.locator("table tbody tr").count() >= 1


def test_an_overview_above_the_node_cap_says_so_and_stays_accessible(
    web_page, web_server, monkeypatch
):
    from indsatsgraf.web import networks

    monkeypatch.setattr(networks, "NODE_CAP", 150)
    page = web_page.page
    # a filter the overview ignores makes a view of its own, drawn at the lowered cap
    page.goto(web_server.url + "/network/overview?depth=3")
    page.wait_for_selector(READY, timeout=120_000)
    text = page.locator("main").inner_text()
    assert "flere knuder vises ikke" in text and "nyeste af 6 planer, hver plan hel" in text
    drawn = page.evaluate("window.indsatsgrafNetwork.body.data.nodes.length")
    assert 0 < drawn <= 150
    assert page.locator("table tbody tr").count() >= 1
    assert serious_violations(page) == []


def test_a_pair_cut_short_says_how_many_more_there_are(web_page, web_server, monkeypatch):
    from indsatsgraf.web import networks

    monkeypatch.setattr(networks, "PAIR_ITEMS", 2)
    page = web_page.page
    page.goto(web_server.url + "/network/departments?depth=3")  # a view of its own
    page.wait_for_selector(READY, timeout=120_000)
    button = page.locator("#pair-matrix button.pair").first
    count = int(button.inner_text())
    assert count > 2
    button.click()
    listed = page.locator("#pair-items")
    assert f": {count} fælles indsatser" in listed.locator("h3").inner_text()
    assert listed.locator("li").count() == 2
    assert f"… og {count - 2} flere" in listed.inner_text()


def test_planner_pages_through_the_indicators(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/indicators?_size=5")
    first = page.locator("table.progress tbody th").all_inner_texts()
    assert len(first) == 5
    caption = page.locator("table.progress caption").inner_text()
    assert caption.endswith("; 5 på denne side")
    total = int(caption.split()[0])
    # the next page goes on after the first five, five at a time as the planner chose
    page.get_by_role("link", name="Næste side").click()
    assert "_size=5" in page.url
    following = page.locator("table.progress tbody th").all_inner_texts()
    assert len(following) == min(5, total - 5) and not set(first) & set(following)


def test_sparql_editor_opens_a_saved_query(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/queries/goals-without-initiatives")
    page.get_by_role("link", name="Vis SPARQL").click()
    page.wait_for_selector(READY, timeout=120_000)
    text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "#+ summary:" in text and "ig:Goal" in text


def test_reviewer_accepts_a_link(web_page, web_server):
    page = web_page.page
    page.goto(web_server.url + "/links")
    first = page.locator("table tbody tr").first
    source = first.locator("input[name=source]").get_attribute("value")
    first.locator("input[name=note]").fill("samme indsats")
    first.get_by_role("button", name="Godkend").click()
    page.wait_for_url("**/links?done=accept")
    assert page.get_by_role("status").first.inner_text() == "Beslutningen er gemt."
    lines = web_server.decisions.read_text(encoding="utf-8").splitlines()
    fields = lines[-1].split("\t")
    assert fields[0] == source and fields[2] == "accept" and fields[4] == "samme indsats"


def test_hostile_text_from_a_document_never_runs(web_page, web_server):
    page = web_page.page
    for path in (
        "/id/web-hostile-plan-2026/initiative/2.1.1",
        "/id/plan/web-hostile-plan-2026",
        "/documents/web-hostile-plan-2026",
        "/search?q=botilbudspladser",
        "/queries/initiatives-by-keyword?keyword=navnet",
    ):
        page.goto(web_server.url + path)
        page.hover("main")
        assert page.evaluate("typeof window.xssRan") == "undefined", path
        assert page.locator("main img[src=x]").count() == 0, path
    page.goto(web_server.url + "/id/web-hostile-plan-2026/initiative/2.1.1")
    assert "<script>window.xssRan = 3</script>" in page.locator("h1").inner_text()
