"""The ASGI application: routes, templates, static files, errors and security headers.

Each page kind is one view function and one template; the view gathers its data
through :mod:`.library` (the same calls the command line makes) into a plain
dict, and that dict is either rendered or, when ``.json`` is added to the URL,
returned as it is (``rows``, ``truncated``, ``next``), so the page and its data
can be tested apart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..queries.catalog import QueryError
from ..viz.render import scripts_folder
from . import api, pages, review, sparql_routes, upload
from .cache import ResponseCache
from .gate import Gate
from .library import Library, PageClock, StillComputing
from .security import SecurityHeaders
from .sparql_workers import QueryWorkers

log = logging.getLogger("indsatsgraf.web")


@dataclass(frozen=True)
class Settings:
    """What ``indsatsgraf serve`` decides: which graph, and whether anything may change."""

    store: Path
    read_only: bool = False
    source_dirs: tuple[Path, ...] = field(default_factory=tuple)
    decisions: Path | None = None
    cache: bool = True
    #: Seconds a page waits for an answer the store has not given yet (then: narrow it down).
    page_time_limit: float | None = 10.0
    #: Page views computed at once; the others wait in line (see web/gate.py).
    page_threads: int = 2


def _folder(name: str) -> str:
    return str(resources.files("indsatsgraf.web").joinpath(name))


def _vis_folder() -> str:
    """vis-network as pyvis ships it: one copy in the environment, served from there."""
    return str(resources.files("pyvis").joinpath("lib", "vis-9.1.2"))


def create_app(settings: Settings) -> Starlette:
    # Autoescape always on: every text from a document reaches a page as text, never markup.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_folder("templates")), autoescape=True
    )
    templates = Jinja2Templates(env=environment)
    templates.env.globals["read_only"] = settings.read_only
    templates.env.filters["compact"] = pages.compact
    templates.env.filters["danish"] = pages.danish_number
    templates.env.filters["href"] = pages.local_path
    templates.env.filters["cell"] = pages.cell
    templates.env.filters["hit_items"] = pages.hit_items
    gate = Gate(settings.page_threads)
    routes = [
        *gate.routes(
            [*pages.routes(), *review.routes(), *upload.routes(), *sparql_routes.routes()]
            + api.routes()
        ),
        Mount("/static/vendor/vis-network", StaticFiles(directory=_vis_folder()), name="vis"),
        Mount("/static/viz", StaticFiles(directory=scripts_folder()), name="viz"),
        Mount("/static", StaticFiles(directory=_folder("static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: _http_error,
            QueryError: _query_error,
            StillComputing: _still_computing,
            Exception: _server_error,
        },
    )
    app.state.settings = settings
    app.state.library = Library(settings.store, settings.source_dirs, settings.page_time_limit)
    app.state.sparql_workers = QueryWorkers()
    app.state.templates = templates
    app.add_middleware(PageClock)
    if settings.cache:
        app.add_middleware(ResponseCache, generation=app.state.library.generation)
    app.add_middleware(SecurityHeaders)  # outermost: cached answers get the headers too
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get(
        "accept", ""
    )


async def _http_error(request: Request, error: Exception) -> Response:
    status = getattr(error, "status_code", 500)
    detail = getattr(error, "detail", "")
    if _wants_json(request):
        return JSONResponse({"error": detail}, status_code=status)
    titles = {404: "Siden findes ikke", 403: "Ikke tilladt", 405: "Metoden er ikke tilladt"}
    return request.app.state.templates.TemplateResponse(
        request,
        "error.html",
        {"title": titles.get(status, "Forespørgslen kunne ikke besvares"), "message": detail},
        status_code=status,
    )


async def _query_error(request: Request, error: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": str(error)}, status_code=400)
    return request.app.state.templates.TemplateResponse(
        request,
        "error.html",
        {"title": "Forespørgslen kunne ikke køres", "message": str(error)},
        status_code=400,
    )


#: Seconds a visitor is asked to wait before trying a page again whose answer is on its way.
RETRY_AFTER = 30


async def _still_computing(request: Request, error: Exception) -> Response:
    """A page over a large archive: say why it is slow and how to narrow it, never hang."""
    seconds = getattr(error, "seconds", 0)
    message = (
        f"Svaret er ikke klar efter {seconds:g} sekunder, fordi det beregnes over hele arkivet. "
        "Afgræns spørgsmålet til en plan eller en forvaltning, så går det hurtigere. "
        "Beregningen fortsætter imens, og svaret gemmes: prøv igen om lidt."
    )
    headers = {"Retry-After": str(RETRY_AFTER)}
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=503, headers=headers)
    return request.app.state.templates.TemplateResponse(
        request,
        "error.html",
        {"title": "Svaret er ikke klar endnu", "message": message},
        status_code=503,
        headers=headers,
    )


async def _server_error(request: Request, error: Exception) -> Response:
    """A generic page: the trace goes to the server's log, never to the visitor."""
    log.exception("error while answering %s", request.url.path, exc_info=error)
    return HTMLResponse(
        "<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'><title>Fejl</title></head>"
        "<body><main><h1>Der opstod en fejl</h1><p>Siden kunne ikke vises. Fejlen er skrevet "
        "i serverens log.</p><p><a href='/'>Til forsiden</a></p></main></body></html>",
        status_code=500,
    )
