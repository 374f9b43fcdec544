"""The ASGI application: routes, templates, static files, errors and security headers.

Each page kind is one view function and one template; the view gathers its data
through :mod:`.library` (the same calls the command line makes) into a plain
dict, and that dict is either rendered or, when ``.json`` is added to the URL,
returned as it is (``rows``, ``truncated``, ``next``), so the page and its data
can be tested apart.
"""

from __future__ import annotations

import json
import logging
import os
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
from . import api, pages, review, sparql_routes, upload
from .cache import ResponseCache
from .library import Library
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


#: Where ``indsatsgraf serve --workers N`` leaves the settings for each worker process.
SETTINGS_VARIABLE = "INDSATSGRAF_WEB_SETTINGS"


def settings_to_environment(settings: Settings) -> None:
    """Put ``settings`` where :func:`from_environment` finds them in each worker process."""
    os.environ[SETTINGS_VARIABLE] = json.dumps(
        {
            "store": str(settings.store),
            "read_only": settings.read_only,
            "source_dirs": [str(folder) for folder in settings.source_dirs],
            "decisions": str(settings.decisions) if settings.decisions else None,
            "cache": settings.cache,
        }
    )


def from_environment() -> Starlette:
    """The application of one worker process of ``serve --workers N``.

    uvicorn starts each worker by importing a factory, so the settings travel in
    the environment. Each worker opens the store read-only on its own (pyoxigraph
    allows that in several processes) and keeps its own answers and responses.
    """
    given = json.loads(os.environ[SETTINGS_VARIABLE])
    return create_app(
        Settings(
            store=Path(given["store"]),
            read_only=given["read_only"],
            source_dirs=tuple(Path(folder) for folder in given["source_dirs"]),
            decisions=Path(given["decisions"]) if given["decisions"] else None,
            cache=given["cache"],
        )
    )


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
    routes = [
        *pages.routes(),
        *review.routes(),
        *upload.routes(),
        *sparql_routes.routes(),
        *api.routes(),
        Mount("/static/vendor/vis-network", StaticFiles(directory=_vis_folder()), name="vis"),
        Mount("/static", StaticFiles(directory=_folder("static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: _http_error,
            QueryError: _query_error,
            Exception: _server_error,
        },
    )
    app.state.settings = settings
    app.state.library = Library(settings.store, settings.source_dirs)
    app.state.sparql_workers = QueryWorkers()
    app.state.templates = templates
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


async def _server_error(request: Request, error: Exception) -> Response:
    """A generic page: the trace goes to the server's log, never to the visitor."""
    log.exception("error while answering %s", request.url.path, exc_info=error)
    return HTMLResponse(
        "<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'><title>Fejl</title></head>"
        "<body><main><h1>Der opstod en fejl</h1><p>Siden kunne ikke vises. Fejlen er skrevet "
        "i serverens log.</p><p><a href='/'>Til forsiden</a></p></main></body></html>",
        status_code=500,
    )
