"""Take a Chromium screenshot of every page kind of the web application.

Starts ``indsatsgraf serve`` on a free loopback port (building the store first
if there is none), opens each page with Debian's chromium through Playwright and
writes docs/screenshots/NAME.png. Run from the repository root:

    .venv/bin/python docs/screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
CHROMIUM = os.environ.get("INDSATSGRAF_CHROMIUM", "/usr/bin/chromium")
PAGES = {
    "front": "/",
    "queries": "/queries",
    "query": "/queries/multi-department-initiatives?department=SOF",
    "thing": "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5",
    "document": "/documents/tvaergaaende-indsatsplan-2015#L1017",
    "network": "/network/departments",
    "indicators": "/indicators",
    "search": "/search?q=botilbud",
    "sparql": "/sparql",
    "links": "/links",
}
WAIT_FOR_DRAWING = {"thing", "network", "sparql"}
# The upload page needs a writable server: it gets a store of its own, never the user's.
UPLOAD_CASE = HERE.parent / "tests" / "data" / "udvalgssag-handicapraad.txt"
UPLOAD_PLAN = HERE.parent / "data" / "sources" / "sof-indsatsplan-2023-2026.txt"
#: Pages taller than the window whose picture is the point: saved whole.
WHOLE_PAGE = {"indicators"}
#: (file name, page, element): one part of a page, e.g. an initiative's own timeline.
PARTS = [
    ("lineage", "/network/lineage", "figure.timeline"),
    ("network-matrix", "/network/departments", "section.pair-panel"),
    (
        "thing-lineage",
        "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5",
        "section[aria-labelledby=forloeb]",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    shoot(PAGES, ["serve", "--read-only"], parts=PARTS)
    with tempfile.TemporaryDirectory() as store:
        subprocess.run(
            [sys.executable, "-m", "indsatsgraf.cli", "--store", store, "build", "-q", UPLOAD_PLAN],
            check=True,
        )
        shoot({"upload": "/upload"}, ["--store", store, "serve"], upload=UPLOAD_CASE)


def shoot(
    pages: dict[str, str],
    command: list[str],
    upload: Path | None = None,
    parts: list[tuple[str, str, str]] | None = None,
) -> None:
    """Screenshots of ``pages`` served by ``indsatsgraf COMMAND``, then of the page
    elements named in ``parts``; with ``upload``, the page shows that file's preview."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "indsatsgraf.cli", *command, "--port", str(port)]
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/index.json", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, path in pages.items():
                page.goto(base + path)
                if name in WAIT_FOR_DRAWING:
                    # A selector, not wait_for_function: the pages' CSP forbids evaluating strings.
                    page.wait_for_selector("html[data-ready=true]", timeout=120_000)
                if upload is not None:
                    page.locator("#document").set_input_files(str(upload))
                    page.get_by_role("button", name="Vis forhåndsvisning").click()
                    page.wait_for_selector("#preview-title", timeout=120_000)
                whole = upload is not None or name in WHOLE_PAGE
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=whole)
                print(f"wrote {OUT / (name + '.png')}")
            for name, path, selector in parts or []:
                page.goto(base + path)
                page.locator(selector).screenshot(path=str(OUT / f"{name}.png"))
                print(f"wrote {OUT / (name + '.png')}")
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
