"""Shared fixtures: a graph built once per session, and a real headless Chromium."""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "data" / "sources"
CHROMIUM = os.environ.get("INDSATSGRAF_CHROMIUM", "/usr/bin/chromium")
READY_MS = 60_000


@functools.cache
def benchmark_module(name: str):  # noqa: ANN201 - a script of benchmarks/ as a module
    """``benchmarks/NAME.py`` as a module: benchmarks/ is not part of the package."""
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", REPO / "benchmarks" / f"{name}.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def scale_generator():  # noqa: ANN201
    """benchmarks/generate.py, the generator of the scaled corpora."""
    return benchmark_module("generate")


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory):
    """A GraphStore built from the bundled documents (shared, read-only), as `build` makes it."""
    from indsatsgraf.api import stored_queries
    from indsatsgraf.graph.pipeline import build
    from indsatsgraf.graph.store import GraphStore

    store = GraphStore(tmp_path_factory.mktemp("store"))
    build(store, stored=stored_queries())
    return store


@pytest.fixture(scope="session")
def oxstore(built_store):
    return built_store.open()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the test session; fails (not skips) when it is missing."""
    from playwright import sync_api

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (set INDSATSGRAF_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
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
        yield instance
        instance.close()


@dataclass
class OpenedPage:
    """A loaded page plus everything it tried to fetch and every error it logged."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser) -> Iterator:
    """Open a file offline, wait for window.indsatsgrafReady, and check nothing leaked."""
    opened: list[OpenedPage] = []

    def _open(path: Path) -> OpenedPage:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        result = OpenedPage(page)

        def route(request_route) -> None:
            url = request_route.request.url
            if url.startswith(("file:", "data:")):
                request_route.continue_()
            else:
                result.blocked.append(url)
                request_route.abort()

        def console(message) -> None:
            if message.type == "error":
                result.errors.append(message.text)

        page.route("**/*", route)
        page.on("console", console)
        page.on("pageerror", lambda error: result.errors.append(str(error)))
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.indsatsgrafReady === true", timeout=READY_MS)
        opened.append(result)
        return result

    yield _open
    for result in opened:
        result.page.close()
        assert result.blocked == [], "the page tried to reach the network"
        assert result.errors == [], "the page logged errors"


# -- the web application ---------------------------------------------------------------

HOSTILE_PLAN = REPO / "tests" / "data" / "web-hostile-plan-2026.txt"


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory):
    """The bundled documents plus a test plan whose labels carry <script> and onerror=."""
    from indsatsgraf.graph.pipeline import build, bundled_sources
    from indsatsgraf.graph.store import GraphStore

    store = GraphStore(tmp_path_factory.mktemp("web-store"))
    build(store, [*bundled_sources(), HOSTILE_PLAN])
    return store


@pytest.fixture(scope="session")
def web_client(web_store):
    """An in-process client of the application (no network, writable)."""
    from indsatsgraf.web.app import Settings, create_app
    from starlette.testclient import TestClient

    return TestClient(create_app(Settings(web_store.path)), raise_server_exceptions=False)


@dataclass
class WebServer:
    url: str
    decisions: Path


@pytest.fixture(scope="session")
def web_server(web_store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """The application on uvicorn on a free 127.0.0.1 port, stopped after the session.

    Link decisions go to a temporary file named by INDSATSGRAF_LINK_DECISIONS.
    """
    from indsatsgraf.graph.link_decisions import ENV
    from indsatsgraf.web.app import Settings, create_app
    from servers import serving

    decisions = tmp_path_factory.mktemp("decisions") / "link-decisions.tsv"
    old = os.environ.get(ENV)
    os.environ[ENV] = str(decisions)
    with serving(create_app(Settings(web_store.path))) as url:
        yield WebServer(url, decisions)
    if old is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = old


@pytest.fixture
def web_page(browser, web_server) -> Iterator:
    """A browser page that may reach only the test server; errors and CSP reports fail the test."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.set_default_timeout(120_000)  # two shared cores: a page may wait behind other work
    result = OpenedPage(page)

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith((web_server.url, "data:", "blob:")):
            request_route.continue_()
        else:
            result.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and result.errors.append(m.text))
    page.on("pageerror", lambda error: result.errors.append(str(error)))
    yield result
    page.close()
    assert result.blocked == [], "the page tried to reach the network"
    assert result.errors == [], "the page logged errors"


@pytest.fixture
def run_apart():
    """Runs a coroutine on its own loop in a thread: Playwright's sync API holds this thread's."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    def run(coroutine):
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coroutine).result()

    return run
