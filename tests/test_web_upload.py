"""Adding a document from the browser: upload, preview, add; bad files; read-only servers.

Each server here has a store of its own (the 2018 BIF plan only), so adding a
document changes no other test's graph.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from documents import write_docx
from test_web_browser import serious_violations

pytestmark = [pytest.mark.web]

# A committee case of our own, as a planner would save it from Word.
CASE_LINES = [
    "Mødedato: 04.11.2025, kl. 15:30",
    "",
    "Ledsageordning for unge med handicap 2026-2027 (2025-0456789)",
    "",
    "Resumé",
    "",
    "Beskæftigelses- og Integrationsudvalget skal tage stilling til en ledsageordning.",
    "",
    "Indstilling",
    "",
    "Beskæftigelses- og Integrationsforvaltningen indstiller,",
    "",
    "1. at udvalget godkender ledsageordningen for 2026-2027,",
    "2. at udvalget afsætter 2,4 mio. kr. i 2026 fra BI07 til ordningen.",
    "",
    "Økonomi",
    "",
    "Ordningen koster 2,4 mio. kr. i 2026 og 2,6 mio. kr. i 2027.",
    "",
    "Beslutning",
    "",
    "Indstillingen blev godkendt.",
]
CASE_TITLE = "Ledsageordning for unge med handicap 2026-2027"


@dataclass
class Server:
    url: str
    store: Path
    app: object


def _serve(store: Path, *, read_only: bool) -> Iterator[Server]:
    from indsatsgraf.web.app import Settings, create_app
    from servers import serving

    app = create_app(Settings(store, read_only=read_only))
    with serving(app) as url:
        yield Server(url, store, app)


@pytest.fixture(scope="module")
def upload_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from indsatsgraf.graph.pipeline import build, bundled_sources
    from indsatsgraf.graph.store import GraphStore

    store = GraphStore(tmp_path_factory.mktemp("upload-store"))
    build(store, [p for p in bundled_sources() if p.name.startswith("bif-")])
    return store.path


@pytest.fixture(scope="module")
def writable(upload_store: Path) -> Iterator[Server]:
    yield from _serve(upload_store, read_only=False)


@pytest.fixture(scope="module")
def read_only(upload_store: Path) -> Iterator[Server]:
    yield from _serve(upload_store, read_only=True)


@pytest.fixture
def page(browser) -> Iterator:
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    opened.set_default_timeout(120_000)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    opened.close()
    assert errors == []


def documents_in(store: Path) -> list[str]:
    from indsatsgraf import api

    return sorted(d.file_name for d in api.documents(store))


@pytest.mark.browser
def test_planner_uploads_previews_and_adds_a_word_case(page, writable, tmp_path):
    case = tmp_path / "ledsageordning-2025.docx"
    write_docx(CASE_LINES, case)
    before = documents_in(writable.store)
    page.goto(writable.url + "/")
    page.get_by_role("link", name="Tilføj dokument").click()
    page.wait_for_url("**/upload")
    assert serious_violations(page) == []
    page.get_by_label("Dokument (PDF, Word, HTML eller tekst)").set_input_files(str(case))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_selector("#preview-title")
    counts = page.locator("table.preview-counts")
    assert "committee-case" in counts.locator("caption").inner_text()
    assert "Fundne indstillingspunkter" in counts.inner_text()
    row = counts.locator("tr", has_text="Fundne indstillingspunkter")
    assert row.locator("td").inner_text() == "2"
    assert serious_violations(page) == []
    assert documents_in(writable.store) == before  # the preview wrote nothing
    page.get_by_role("button", name="Tilføj til grafen").click()
    page.wait_for_url("**/documents/ledsageordning-2025")
    assert CASE_TITLE in page.locator("h1").inner_text()
    assert documents_in(writable.store) == sorted([*before, case.name])
    page.goto(writable.url + "/")
    assert page.get_by_role("link", name=CASE_TITLE).count() == 1


@pytest.mark.browser
def test_a_bad_file_gets_a_danish_message_and_leaves_the_graph(page, writable, tmp_path):
    scan = tmp_path / "scannet-plan.pdf"
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(scan))
    pdf.rect(50, 50, 200, 200, fill=1)  # an image-only page, as a scan is
    pdf.save()
    before = documents_in(writable.store)
    page.goto(writable.url + "/upload")
    page.get_by_label("Dokument (PDF, Word, HTML eller tekst)").set_input_files(str(scan))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    alert = page.get_by_role("alert")
    assert "«scannet-plan.pdf» kunne ikke tilføjes" in alert.inner_text()
    assert "intet tekstlag" in alert.inner_text() and "Grafen er uændret" in alert.inner_text()
    assert serious_violations(page) == []
    assert documents_in(writable.store) == before


@pytest.mark.browser
def test_a_read_only_server_offers_no_upload(page, read_only):
    page.goto(read_only.url + "/")
    assert page.get_by_role("link", name="Tilføj dokument").count() == 0
    response = page.goto(read_only.url + "/upload")
    assert response.status == 403
    assert "skrivebeskyttet" in page.locator("main").inner_text()


def test_posts_need_the_token_and_a_writable_server(writable, read_only, tmp_path):
    import httpx

    data = "\n".join(CASE_LINES).encode()
    before = documents_in(writable.store)
    with httpx.Client(base_url=writable.url) as client:
        client.get("/upload")
        answer = client.post(
            "/upload/preview",
            data={"csrf_token": "forkert"},
            files={"document": ("sag.txt", data)},
        )
        assert answer.status_code == 403 and "udløbet eller ugyldig" in answer.text
        token = client.cookies.get("indsatsgraf_csrf")
        foreign = client.post(
            "/upload/preview",
            data={"csrf_token": token},
            files={"document": ("sag.txt", data)},
            headers={"Origin": "http://evil.example"},
        )
        assert foreign.status_code == 403
        forged = client.post("/upload/add", data={"csrf_token": token, "token": "../../etc"})
        assert forged.status_code == 400 and "upload filen igen" in forged.text
    with httpx.Client(base_url=read_only.url) as client:
        refused = client.post("/upload/preview", files={"document": ("sag.txt", data)})
        assert refused.status_code == 403
    assert documents_in(writable.store) == before


def test_a_file_over_the_size_limit_is_refused_unread(writable, monkeypatch):
    import httpx
    from indsatsgraf.web import upload

    monkeypatch.setattr(upload, "MAX_BYTES", 1024)
    before = documents_in(writable.store)
    with httpx.Client(base_url=writable.url) as client:
        client.get("/upload")
        token = client.cookies.get("indsatsgraf_csrf")
        answer = client.post(
            "/upload/preview",
            data={"csrf_token": token},
            files={"document": ("stor.txt", b"Plan 2025\n" * 10_000)},
        )
    assert answer.status_code == 413
    assert "større end grænsen" in answer.text
    assert documents_in(writable.store) == before


@pytest.mark.parametrize(
    ("given", "kept"),
    [("../../etc/passwd", "passwd"), ("C:\\sager\\sag 1.docx", "sag-1.docx"), ("...", "dokument")],
)
def test_an_uploaded_name_is_reduced_to_a_harmless_file_name(given, kept):
    from indsatsgraf.web.upload import safe_name

    assert safe_name(given) == kept


def test_a_preview_left_unadded_for_an_hour_is_dropped(writable):
    import os

    import httpx
    from indsatsgraf.web import upload

    def pending() -> set[Path]:
        return set(writable.app.state.uploads.iterdir())

    with httpx.Client(base_url=writable.url) as client:
        client.get("/upload")
        data = {"csrf_token": client.cookies.get("indsatsgraf_csrf")}
        files = {"document": ("sag.txt", "\n".join(CASE_LINES).encode())}
        first = client.post("/upload/preview", data=data, files=files)
        assert first.status_code == 200 and "Forhåndsvisning af sag.txt" in first.text
        left = pending()
        hour_ago = time.time() - upload.PENDING_SECONDS - 1
        for folder in left:
            os.utime(folder, (hour_ago, hour_ago))
        client.post("/upload/preview", data=data, files=files)
        assert left and not left & pending() and len(pending()) == 1
