"""How long network pages take to generate and to become stable in a browser.

Renders seeded random graphs of 100, 1,000 and 5,000 nodes, then opens each page in
headless Chromium (Debian's, at /usr/bin/chromium or $INDSATSGRAF_CHROMIUM) with all
network requests blocked, and times from the start of navigation until the page sets
``window.indsatsgrafReady``. Each figure is the median of three runs.

    python benchmarks/viz_stable.py [OUTPUT.json]

Prints the results as JSON and writes them to OUTPUT (default benchmarks/results/viz.json).
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from indsatsgraf.viz.render import KIND_STYLES, html_string, render_html
from playwright.sync_api import Browser, sync_playwright

SIZES = (100, 1000, 5000)
RUNS = 3
SEED = 2024
CHROMIUM = os.environ.get("INDSATSGRAF_CHROMIUM", "/usr/bin/chromium")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "viz.json"
ID = "https://w3id.org/indsatsgraf/id/"


def random_graph(nodes: int, seed: int = SEED) -> nx.DiGraph:
    """Hubs and spokes like departments and initiatives, with tooltip details and amounts."""
    rng = random.Random(seed)
    shape = nx.barabasi_albert_graph(nodes, 2, seed=seed)
    kinds = list(KIND_STYLES)
    graph = nx.DiGraph()
    for index in shape:
        graph.add_node(
            f"{ID}n{index}",
            label=f"Indsats {index} for borgere med handicap",
            kind=rng.choice(kinds),
            amount=rng.choice([None, rng.uniform(1e5, 5e7)]),
            details={
                "Periode": "2015-2018",
                "Kilde": f"tvaergaaende-indsatsplan-2015.txt, linje {index}-{index + 3}",
                "Citat": "Der etableres flere botilbud til unge med handicap. " * 3,
            },
        )
    for source, target in shape.edges:
        graph.add_edge(f"{ID}n{source}", f"{ID}n{target}", label="ansvarlig")
    return graph


def generation_seconds(graph: nx.DiGraph) -> float:
    start = time.perf_counter()
    html_string(graph, title="Benchmark")
    return time.perf_counter() - start


def open_until_ready(browser: Browser, path: Path) -> tuple[float, float]:
    """Seconds from goto() to ready as seen from Python, and as measured by the page."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.indsatsgrafReady === true", timeout=120_000, polling=10)
    wall = time.perf_counter() - start
    in_page = page.evaluate("window.indsatsgrafReadyMs") / 1000
    context.close()
    return wall, in_page


def measure(browser: Browser, nodes: int, folder: Path) -> dict:
    graph = random_graph(nodes)
    path = folder / f"graph-{nodes}.html"
    summary = render_html(graph, path, title=f"Benchmark {nodes}")
    generation = [generation_seconds(graph) for _ in range(RUNS)]
    loads = [open_until_ready(browser, path) for _ in range(RUNS)]
    return {
        "nodes": summary.nodes,
        "edges": summary.edges,
        "physics": summary.physics,
        "html_bytes": summary.bytes,
        "generate_seconds": round(statistics.median(generation), 3),
        "ready_seconds": round(statistics.median(wall for wall, _ in loads), 3),
        "ready_seconds_in_page": round(statistics.median(page for _, page in loads), 3),
    }


def main(argv: list[str]) -> None:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        results = {
            "python": platform.python_version(),
            "chromium": browser.version,
            "runs": RUNS,
            "seed": SEED,
            "graphs": [measure(browser, nodes, Path(folder)) for nodes in SIZES],
        }
        browser.close()
    text = json.dumps(results, indent=2)
    print(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
