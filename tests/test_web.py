"""The web application's data, formats and safety, in process (no browser).

Each page's JSON twin is checked against facts of the bundled documents; the
pages themselves are driven in a real browser in test_web_browser.py.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile

import pytest
from indsatsgraf.graph.pipeline import bundled_sources
from markupsafe import escape

ID = "https://w3id.org/indsatsgraf/id/"
FAMILIEHUS = ID + "tvaergaaende-indsatsplan-2015/initiative/2.1.5"


def test_front_page_lists_documents_departments_and_questions(web_client):
    data = web_client.get("/index.json").json()
    by_file = {row["fileName"]: row for row in data["rows"]}
    plan = by_file["tvaergaaende-indsatsplan-2015.txt"]
    assert (plan["year"], plan["initiatives"], plan["kind"]) == (2015, 32, "action-plan")
    assert by_file["sud-pejlemaerker-2014-2017.txt"]["indicators"] == 41
    assert sorted(d["code"] for d in data["departments"]) == sorted(
        ["SOF", "BUF", "BIF", "SUF", "TMF", "ØKF", "KFF"]
    )
    assert data["truncated"] is False and data["next"] is None
    page = web_client.get("/").text
    assert "Hvilke indsatser går på tværs af flere forvaltninger?" in page
    assert 'href="/documents/tvaergaaende-indsatsplan-2015"' in page


def test_front_page_lists_the_documents_newest_first_a_page_at_a_time(web_client):
    """An archive of thousands of documents must not make one huge front page."""
    every = web_client.get("/index.json").json()["rows"]
    assert {path.name for path in bundled_sources()} <= {row["fileName"] for row in every}
    seen, token, pages = [], None, 0
    while True:
        params = {"_size": 2, **({"_next": token} if token else {})}
        data = web_client.get("/index.json", params=params).json()
        assert data["total"] == len(every) and len(data["rows"]) <= 2
        seen += data["rows"]
        pages += 1
        token = data["next"]
        if not token:
            break
    assert pages == (len(every) + 1) // 2
    assert sorted(row["fileName"] for row in seen) == sorted(row["fileName"] for row in every)
    years = [row["year"] for row in seen]
    assert years == sorted(years, reverse=True) and years[0] == max(r["year"] for r in every)
    assert 'rel="next"' in web_client.get("/", params={"_size": 2}).text
    assert web_client.get("/index.json", params={"_next": "not-a-token"}).status_code == 400


def test_saved_query_with_a_department_parameter(web_client):
    data = web_client.get(
        "/queries/multi-department-initiatives.json",
        params={"department": "SOF", "plan": "tvaergaaende-indsatsplan-2015.txt"},
    ).json()
    assert data["parameters"] == {"department": "SOF", "plan": "tvaergaaende-indsatsplan-2015.txt"}
    assert data["rows"], "the 2015 plan has initiatives that SOF shares"
    assert all("SOF" in row["departments"] for row in data["rows"])
    first = {row["notation"]: row for row in data["rows"]}["1.4.2"]
    assert (first["departmentCount"], first["departments"]) == (4, "BIF, BUF, SOF, SUF")


def test_query_form_has_dropdowns_filled_from_the_graph(web_client):
    page = web_client.get("/queries/multi-department-initiatives").text
    assert '<select id="p-department" name="department"' in page
    assert '<option value="BUF">BUF — Børne- og Ungdomsforvaltningen</option>' in page
    assert '<option value="tvaergaaende-indsatsplan-2015.txt">' in page
    years = web_client.get("/queries/initiatives-active-in-year").text
    assert '<option value="2016" selected>2016</option>' in years


def test_keyset_paging_visits_every_row_once_in_sort_order(web_client):
    url = "/queries/status-overview.json"
    everything = web_client.get(url, params={"_size": 1000}).json()
    every = web_client.get("/index.json").json()["rows"]
    assert {path.name for path in bundled_sources()} <= {row["fileName"] for row in every}
    seen, token, pages = [], None, 0
    while True:
        params = {"_size": 7, "_sort": "line", "_desc": "1"}
        if token:
            params["_next"] = token
        page = web_client.get(url, params=params).json()
        seen.extend(page["rows"])
        pages += 1
        token = page["next"]
        if token is None:
            break
    assert len(seen) == everything["total"] == len(everything["rows"])
    assert pages == -(-everything["total"] // 7)
    lines = [row["line"] for row in seen if row["line"] is not None]
    assert lines == sorted(lines, reverse=True) and len(set(lines)) > 7
    assert sorted(map(str, seen), key=str) == sorted(map(str, everything["rows"]), key=str)


def test_damaged_paging_token_and_unknown_sort_column_are_400(web_client):
    assert web_client.get("/queries/status-overview.json?_next=%%%").status_code == 400
    assert web_client.get("/queries/status-overview.json?_sort=nope").status_code == 400


def test_csv_and_xlsx_downloads_hold_every_row(web_client):
    total = web_client.get("/queries/multi-department-initiatives.json").json()["total"]
    response = web_client.get("/queries/multi-department-initiatives.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == total > 20
    assert {"initiative", "label", "departments", "departmentCount"} <= set(rows[0])
    book = web_client.get("/queries/multi-department-initiatives.xlsx").content
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "Styrket veteranindsats" in strings
    assert sheet.count("<row ") == total + 1


def test_a_bad_parameter_is_a_clear_400_without_a_trace(web_client):
    response = web_client.get("/queries/multi-department-initiatives?department=XYZ")
    assert response.status_code == 400
    assert "XYZ" in response.text and "is not a department code" in response.text
    assert "Traceback" not in response.text
    assert web_client.get("/queries/no-such-query").status_code == 404


def test_thing_page_has_properties_sources_lineage_and_links(web_client):
    data = web_client.get("/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5.json").json()
    assert data["label"] == "Etablering af Familiehus"
    values = {(row["propertyLabel"], row["valueLabel"] or row["value"]) for row in data["rows"]}
    assert any(value == "Socialforvaltningen" for _, value in values)
    source = data["sources"][0]
    assert (source["file"], source["first"], source["last"]) == (
        "tvaergaaende-indsatsplan-2015.txt",
        1017,
        1060,
    )
    assert source["href"] == "/documents/tvaergaaende-indsatsplan-2015#L1017"
    quoted = [line for line in source["context"] if line["quoted"]]
    assert quoted[0]["number"] == 1017 and quoted[0]["text"].startswith("2.1.5 Etablering")
    assert not source["context"][0]["quoted"], "lines before the quote give its context"
    years = {(row["year"], row["label"]) for row in data["lineage"]}
    assert (2019, "Familiehuset") in years
    assert any(link["other"].endswith("/initiative/familiehuset") for link in data["links"])
    assert all(isinstance(link["score"], int | float) for link in data["links"])


def test_the_links_and_source_spans_a_thing_page_lists_have_pages_of_their_own(web_client):
    """A cross-document link and a source span are things no name of `show` means; their
    pages went through that name resolution and failed (500) though their IRIs exist."""
    data = web_client.get("/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5.json").json()
    pointing = {r["href"]: r["property"] for r in data["incoming"]}
    links = [href for href, p in pointing.items() if p.endswith("#linkSource") and href]
    links += [href for href, p in pointing.items() if p.endswith("#linkTarget") and href]
    assert links and all(href.startswith("/id/link/") for href in links)
    for href in links:
        response = web_client.get(href + ".json")
        assert response.status_code == 200, href
        classes = response.json()["classes"]
        assert any("orrespond" in str(c) or "orbindelse" in str(c).lower() for c in classes)
    span = next(
        r["iri"] for r in data["rows"] if r["property"].endswith("wasDerivedFrom") and r["iri"]
    )
    page = web_client.get("/id/" + span.split("/id/", 1)[1] + ".json")
    assert page.status_code == 200
    lines = {r["propertyLabel"]: r["value"] for r in page.json()["rows"]}
    assert "1017" in {str(v) for v in lines.values()}


def test_what_points_at_a_thing_is_in_order_whichever_way_it_was_sorted(web_client, monkeypatch):
    """The incoming rows are sorted in Python up to a bound, past it by the ordered query;
    both give the rows of the query's own ORDER BY (property, label, subject)."""
    from indsatsgraf.web import pages

    path = "/id/org/sof.json"
    sorted_here = web_client.get(path).json()["incoming"]
    assert len(sorted_here) > 300
    properties = [r["property"] for r in sorted_here]
    assert properties == sorted(properties) and len(set(properties)) > 1
    monkeypatch.setattr(pages, "INCOMING_SORTED_HERE", 10)
    by_query = web_client.get(path + "?sorted=by-the-query").json()["incoming"]  # not cached
    assert by_query == sorted_here


def test_a_plan_page_links_to_its_document(web_client):
    data = web_client.get("/id/plan/bif-indsatsplan-2018-2022.json").json()
    assert data["document"] == "/documents/bif-indsatsplan-2018-2022"
    described = {r["subject"] for r in data["incoming"] if r["property"].endswith("#describedIn")}
    assert len({iri for iri in described if "/initiative/" in iri}) == 20  # as the build reports


def test_thing_as_rdf_by_content_negotiation(web_client):
    path = "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5"
    turtle = web_client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert '"Etablering af Familiehus"@da' in turtle.text
    jsonld = web_client.get(path, headers={"Accept": "application/ld+json"})
    assert "Etablering af Familiehus" in jsonld.text
    assert web_client.get("/id/no/such/thing").status_code == 404


def test_document_page_numbers_lines_and_links_them_to_things(web_client):
    data = web_client.get("/documents/tvaergaaende-indsatsplan-2015.json?_next=1000").json()
    line = {row["number"]: row for row in data["rows"]}[1017]
    assert line["text"].startswith("2.1.5 Etablering af Familiehus")
    assert FAMILIEHUS in {thing["iri"] for thing in line["things"]}
    assert data["wholeText"] is True
    page = web_client.get("/documents/tvaergaaende-indsatsplan-2015").text
    assert 'id="L1017"' in page
    # The span's first line names the thing; its other lines link to it with an arrow.
    assert (
        page.count('title="Etablering af Familiehus" aria-label="Etablering af Familiehus"')
        == 1060 - 1017
    )
    assert 'href="/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/documents/..%2F..%2F..%2Fetc%2Fpasswd",
        "/documents/%2e%2e",
        "/documents/tvaergaaende-indsatsplan-2015.txt",
        "/documents/..%2Fcli.py",
    ],
)
def test_documents_are_found_by_slug_from_the_graph_only(web_client, path):
    response = web_client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and "import" not in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("botilbud", "Etablering af nye botilbudspladser"),
        ("pårørende", "Pårørendevejleder for pårørende til børn"),
        ("familiehus", "Etablering af Familiehus"),
    ],
)
def test_search_understands_danish_forms(web_client, query, expected):
    data = web_client.get("/search.json", params={"q": query}).json()
    assert any(row["label"].startswith(expected) for row in data["rows"])


def test_search_treats_aa_and_a_ring_alike_and_groups_by_class(web_client):
    aa = web_client.get("/search.json", params={"q": "Aarhus"}).json()["rows"]
    ring = web_client.get("/search.json", params={"q": "Århus"}).json()["rows"]
    assert aa and [r["iri"] for r in aa] == [r["iri"] for r in ring]
    page = web_client.get("/search", params={"q": "botilbud"}).text
    assert '<h2 id="g1">Indsats' in page


def test_indicator_page_draws_the_viz_chart_with_the_distance_to_go(web_client):
    data = web_client.get("/indicators.json").json()
    assert data["rows"]
    for row in data["rows"]:
        assert sum(row[k] is not None for k in ("baseline", "status", "target")) >= 2
    # 62 % of cases within the deadline, the target 80 % (more is better): 18 points to go.
    deadlines = [r for r in data["rows"] if r["name"].startswith("Sagsfristoverholdelsen")]
    assert (deadlines[0]["status"], deadlines[0]["target"], deadlines[0]["to_go"]) == (62, 80, 18)
    page = web_client.get("/indicators").text
    # the chart viz --view indicators draws, with its distance labels, inline
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "mangler 172" in page
    assert 'href="/indicators.svg"' in page and 'href="/indicators.png"' in page


def test_indicator_page_shows_a_page_of_indicators_with_the_total_and_the_next_page(web_client):
    """At ×1000 the page drew all 51,000 indicators (10.9 MB); now a page at a time."""
    everything = web_client.get("/indicators.json", params={"_size": 1000}).json()
    total = len(everything["rows"])
    assert everything["total"] == total > 10 and everything["next"] is None
    first = web_client.get("/indicators.json", params={"_size": 5}).json()
    assert len(first["rows"]) == 5 and first["total"] == total and first["next"]
    following = web_client.get(
        "/indicators.json", params={"_size": 5, "_next": first["next"]}
    ).json()
    assert following["rows"] == everything["rows"][5:10]
    page = web_client.get("/indicators", params={"_size": 5}).text
    assert f"<caption>{total} indikatorer med mindst to af de tre værdier; 5 på denne side" in page
    assert 'rel="next">Næste side</a>' in page and "_next=" in page
    # the chart draws the indicators of the page, not all of them
    chart = page[page.index('<figure class="picture"') : page.index("</figure>")]
    assert f"(5 af {total})" in chart
    assert chart.count("<circle") < everything_circles(web_client)
    # the files still draw every indicator
    svg = web_client.get("/indicators.svg", params={"_size": 5}).text
    assert svg.count("<circle") == everything_circles(web_client)


def test_the_next_page_keeps_the_page_size_the_url_chose(web_client):
    """ "Næste side" went back to 50 rows, so a planner reading 5 at a time lost the rest."""
    everything = web_client.get("/indicators.json", params={"_size": 1000}).json()["rows"]
    page = web_client.get("/indicators", params={"_size": 5}).text
    link = re.search(r'<a href="(/indicators\?[^"]*)" rel="next">', page)
    assert link and "_size=5&amp;" in link.group(1)
    following = web_client.get(
        html.unescape(link.group(1)).replace("/indicators?", "/indicators.json?")
    )
    assert following.json()["rows"] == everything[5:10]


def test_an_indicator_page_cut_at_the_row_cap_says_so(web_store, monkeypatch):
    """At ×1000 the answer stopped at 10,000 rows and the page gave its count as the total."""
    from indsatsgraf.web import pages
    from indsatsgraf.web.app import Settings, create_app
    from starlette.testclient import TestClient

    client = TestClient(create_app(Settings(web_store.path)), raise_server_exceptions=False)
    whole = client.get("/indicators").text
    assert "afkortet" not in whole
    monkeypatch.setattr(pages, "ROW_CAP", 5)
    fresh = TestClient(create_app(Settings(web_store.path)), raise_server_exceptions=False)
    cut = fresh.get("/indicators").text
    caption = cut[cut.index("<caption>") : cut.index("</caption>")]
    assert "afkortet: svaret standsede ved 5 rækker" in caption


def everything_circles(web_client) -> int:
    page = web_client.get("/indicators", params={"_size": 1000}).text
    return page[page.index('<figure class="picture"') : page.index("</figure>")].count("<circle")


def test_network_views_come_with_a_table_and_a_node_cap(web_client):
    data = web_client.get("/network/departments.json").json()
    ids = {node["id"] for node in data["network"]["nodes"]}
    assert ID + "org/sof" in ids
    assert data["total"] == data["edges"] == len(data["network"]["edges"])
    overview = web_client.get("/network/overview.json").json()
    assert overview["hidden"] == 0 and overview["nodes"] == len(overview["network"]["nodes"])
    assert web_client.get("/network/nonsense").status_code == 404
    assert web_client.get("/network/focus?focus=intet-som-dette-findes").status_code == 400


def test_the_departments_page_draws_the_live_links_view(web_client, web_store):
    """The page reads its links from the build's answers (here live: this store was built
    without stored answers); its pairs and counts are those of the viz view."""
    from indsatsgraf.viz.network import ViewSpec, build_view

    live = build_view(web_store.open(), ViewSpec(view="departments")).graph
    data = web_client.get("/network/departments.json").json()
    drawn = {frozenset((e["from"], e["to"])): e["label"] for e in data["network"]["edges"]}
    assert drawn == {frozenset((a, b)): str(w) for a, b, w in live.edges(data="weight")}
    assert len(drawn) == 21


def test_a_pair_lists_its_first_initiatives_and_counts_them_all(web_store, monkeypatch):
    from indsatsgraf.web import networks
    from indsatsgraf.web.app import Settings, create_app
    from starlette.testclient import TestClient

    monkeypatch.setattr(networks, "PAIR_ITEMS", 3)
    client = TestClient(create_app(Settings(web_store.path, cache=False)))
    edges = client.get("/network/departments.json").json()["network"]["edges"]
    cut = [e for e in edges if "shared" in e]
    assert cut and all(len(e["items"]) == 3 for e in cut)
    assert all(e["shared"] == int(e["label"]) > 3 for e in cut)
    assert all(
        "shared" not in e and len(e["items"]) == int(e["label"]) <= 3 for e in edges if e not in cut
    )


def test_an_overview_above_the_node_cap_draws_the_newest_plans_whole(web_store):
    from indsatsgraf.viz.network import ViewSpec
    from indsatsgraf.web.library import Library
    from indsatsgraf.web.networks import web_view

    full = web_view(Library(web_store.path), ViewSpec(view="overview"), cap=10_000)
    capped = web_view(Library(web_store.path), ViewSpec(view="overview"), cap=250)
    plans = {attrs["plan_file"] for _, attrs in capped.graph.nodes(data=True)} - {""}
    assert plans and len(plans) == capped.plans_shown < capped.plans == 6
    assert capped.graph.number_of_nodes() <= 250
    assert capped.hidden == full.graph.number_of_nodes() - capped.graph.number_of_nodes() > 0
    # every thing of a drawn plan is drawn: the plans are whole
    for node, attrs in full.graph.nodes(data=True):
        if attrs["plan_file"] in plans:
            assert node in capped.graph, node


def test_the_overview_page_says_how_many_nodes_are_hidden(web_store, monkeypatch):
    from indsatsgraf.web import networks
    from indsatsgraf.web.app import Settings, create_app
    from indsatsgraf.web.pages import danish_number
    from starlette.testclient import TestClient

    monkeypatch.setattr(networks, "NODE_CAP", 40)
    web_client = TestClient(create_app(Settings(web_store.path, cache=False)))
    data = web_client.get("/network/overview.json").json()
    assert data["nodes"] == 40 and data["hidden"] > 0 and data["truncated"] is True
    assert (data["plansShown"], data["plans"]) == (1, 6)
    page = web_client.get("/network/overview").text
    assert f"{danish_number(data['hidden'])} flere knuder vises ikke" in page
    assert "figuren viser den nyeste af 6 planer, hver plan hel" in page
    # the table twin lists every drawn edge
    assert data["total"] == data["edges"] > 0
    assert page.count("<tr><td>") == min(data["edges"], 50)


def test_machine_api_and_its_openapi_description(web_client):
    data = web_client.get(
        "/api/queries/initiatives-by-keyword.json", params={"keyword": "hjerneskade"}
    ).json()
    assert data["parameters"] == {"keyword": "hjerneskade"}
    assert any("hjerneskade" in row["initiative"].lower() for row in data["rows"])
    csv_text = web_client.get("/api/queries/initiatives-by-keyword.csv?keyword=hjerneskade").text
    assert len(csv_text.strip().splitlines()) == data["total"] + 1
    spec = web_client.get("/openapi.json").json()
    operation = spec["paths"]["/api/queries/multi-department-initiatives.json"]["get"]
    department = next(p for p in operation["parameters"] if p["name"] == "department")
    assert department["schema"]["enum"] == ["SOF", "BUF", "BIF", "SUF", "TMF", "ØKF", "KFF"]
    assert (
        web_client.get("/api/queries/initiatives-active-in-year.json?year=tusind").status_code
        == 400
    )


def test_security_headers_on_pages_and_data(web_client):
    for path in ("/", "/index.json", "/static/css/app.css", "/no-such-page"):
        headers = web_client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_an_unexpected_error_shows_a_generic_page(web_store, monkeypatch):
    from indsatsgraf.web import library
    from indsatsgraf.web.app import Settings, create_app
    from starlette.testclient import TestClient

    def broken(self):
        raise RuntimeError("secret detail /home/planner/store")

    monkeypatch.setattr(library.Library, "documents", broken)
    client = TestClient(create_app(Settings(web_store.path)), raise_server_exceptions=False)
    response = client.get("/")
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.text
    assert "secret detail" not in response.text and "Traceback" not in response.text


def test_hostile_labels_are_escaped(web_client):
    page = web_client.get("/id/web-hostile-plan-2026/initiative/2.1.1").text
    assert "<script>window.xssRan" not in page
    assert "&lt;script&gt;window.xssRan = 3&lt;/script&gt;" in page
    document = web_client.get("/documents/web-hostile-plan-2026").text
    assert 'onerror="window' not in document and "&lt;img src=x onerror=" in document


def test_link_review_needs_a_csrf_token(web_client, tmp_path, monkeypatch):
    decisions = tmp_path / "decisions.tsv"
    monkeypatch.setenv("INDSATSGRAF_LINK_DECISIONS", str(decisions))
    data = web_client.get("/links.json").json()
    assert data["rows"], "the bundled documents have candidate links"
    row = data["rows"][0]
    form = {"source": row["source"], "target": row["target"], "decision": "accept"}
    assert web_client.post("/links/decide", data=form).status_code == 403
    assert (
        web_client.post("/links/decide", data={**form, "csrf_token": "forged"}).status_code == 403
    )
    assert not decisions.exists()
    page = web_client.get("/links")
    token = page.cookies["indsatsgraf_csrf"]
    assert f'value="{token}"' in page.text
    answer = web_client.post(
        "/links/decide", data={**form, "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303
    lines = decisions.read_text(encoding="utf-8").splitlines()
    assert lines[1].split("\t")[:3] == [row["source"], row["target"], "accept"]
    after = web_client.get("/links.json").json()
    assert len(after["rows"]) == len(data["rows"]) - 1


def test_read_only_server_refuses_decisions(web_store):
    from indsatsgraf.web.app import Settings, create_app
    from starlette.testclient import TestClient

    client = TestClient(create_app(Settings(web_store.path, read_only=True)))
    page = client.get("/links")
    assert "Godkend" not in page.text and "skrivebeskyttet" in page.text
    token = page.cookies["indsatsgraf_csrf"]
    form = {"source": ID + "a", "target": ID + "b", "decision": "accept", "csrf_token": token}
    assert client.post("/links/decide", data=form).status_code == 403


def test_serve_is_read_only_beyond_loopback_unless_writable(web_store, monkeypatch):
    import uvicorn
    from click.testing import CliRunner
    from indsatsgraf.cli import main

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append((app, kw)))
    store = str(web_store.path)
    runner = CliRunner()
    result = runner.invoke(main, ["--store", store, "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "read-only" in result.output
    result = runner.invoke(main, ["--store", store, "serve", "--host", "0.0.0.0", "--writable"])
    assert result.exit_code == 0
    result = runner.invoke(main, ["--store", store, "serve"])
    assert [app.state.settings.read_only for app, _ in started] == [True, False, False]
    assert [kw["host"] for _, kw in started] == ["0.0.0.0", "0.0.0.0", "127.0.0.1"]


def test_the_response_cache_is_keyed_by_generation_and_accept(run_apart):
    from indsatsgraf.web.cache import ResponseCache

    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"answer {len(calls)}".encode()})

    generation = ["generations/000001"]
    cache = ResponseCache(app, generation=lambda: generation[0])

    def get(path: str, accept: bytes = b"text/html") -> bytes:
        sent = []

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": b"",
            "headers": [(b"accept", accept)],
        }
        run_apart(cache(scope, None, send))
        return sent[-1]["body"]

    assert get("/") == b"answer 1"
    assert get("/") == b"answer 1" and len(calls) == 1
    assert get("/", b"application/json") == b"answer 2"
    generation[0] = "generations/000002"  # a build swapped the graph
    assert get("/") == b"answer 3"
    assert get("/links") == b"answer 4" and get("/links") == b"answer 5"


def test_a_saved_query_drawn_as_a_network(web_client):
    data = web_client.get(
        "/network/query.json",
        params={"query": "multi-department-initiatives", "department": "BIF"},
    ).json()
    ids = {node["id"] for node in data["network"]["nodes"]}
    assert ID + "org/bif" in ids
    assert ID + "tvaergaaende-indsatsplan-2015/initiative/1.4.1" in ids  # Styrket veteranindsats
    assert data["title"].endswith("Forespørgsel: multi-department-initiatives")
    page = web_client.get("/queries/multi-department-initiatives?department=BIF").text
    assert 'href="/network/query?query=multi-department-initiatives&amp;department=BIF"' in page


def test_search_hits_are_escaped_and_long_texts_cut(web_client):
    """The hits are written by a filter in Python (pages.hit_items), not the template."""
    page = web_client.get("/search", params={"q": "script"}).text
    assert "<script>window.xssRan" not in page
    assert "&lt;script&gt;window.xssRan" in page
    query = {"q": "borgere"}
    rows = web_client.get("/search.json", params=query).json()["rows"]
    page = web_client.get("/search", params=query).text
    long = [r for r in rows if r["field"] != "label" and len(r["text"]) > 245]
    assert long, "the bundled documents have descriptions longer than a hit shows"
    for row in long:
        assert str(escape(row["text"][:239])) + "…</p>" in page
        assert str(escape(row["text"])) not in page
    linked = [r for r in rows if r["href"]]
    assert f'<li><a href="{linked[0]["href"]}">{escape(linked[0]["label"])}</a>' in page
