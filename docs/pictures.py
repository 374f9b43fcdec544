"""Regenerate the screenshots in docs/pictures/ from the bundled documents.

Run: python docs/pictures.py  (builds a throw-away store, writes each picture as a page,
opens it offline in Debian's Chromium and saves what a planner sees at the default zoom;
the chart and the timeline, which are taller than the window, as the whole page).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "pictures"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: (file stem, viz arguments): one picture per planner question.
PICTURES = [
    ("overview", ["--view", "overview"]),
    ("departments", ["--view", "departments"]),
    ("focus-1.4.2-depth-2", ["--focus", "1.4.2", "--depth", "2"]),
    ("focus-1.4.2-depth-1", ["--focus", "1.4.2"]),
    ("lineage-timeline", ["--view", "lineage"]),
    ("dependencies-1.4.2", ["--view", "dependencies", "--focus", "1.4.2"]),
    ("indicators", ["--view", "indicators"]),
]
#: Pictures taller than the window (charts and the timeline): the whole page is saved.
WHOLE_PAGE = {"lineage-timeline", "indicators"}
#: (file, viz arguments): pictures exported for print, written without a browser.
EXPORTS = [
    ("departments-export.png", ["--view", "departments", "--format", "png"]),
    ("departments-export.svg", ["--view", "departments"]),
    (
        "dependencies-1.4.2-export.png",
        ["--view", "dependencies", "--focus", "1.4.2", "--format", "png"],
    ),
    ("dependencies-1.4.2-export.svg", ["--view", "dependencies", "--focus", "1.4.2"]),
]


def main() -> None:
    from click.testing import CliRunner
    from indsatsgraf.cli import main as cli

    OUT.mkdir(exist_ok=True)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        store = ["--store", str(Path(tmp) / "store")]
        result = runner.invoke(cli, [*store, "build"])
        if result.exit_code:
            sys.exit(result.output)
        pages = []
        for stem, args in PICTURES:
            page = Path(tmp) / f"{stem}.html"
            result = runner.invoke(cli, [*store, "viz", *args, "-o", str(page)])
            if result.exit_code:
                sys.exit(result.output)
            pages.append((stem, page))
        for name, args in EXPORTS:
            result = runner.invoke(cli, [*store, "viz", *args, "-o", str(OUT / name)])
            if result.exit_code:
                sys.exit(result.output)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for stem, page_path in pages:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(page_path.as_uri())
                page.wait_for_function("window.indsatsgrafReady === true", timeout=60_000)
                page.screenshot(path=str(OUT / f"{stem}.png"), full_page=stem in WHOLE_PAGE)
                page.close()
            browser.close()
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main()
