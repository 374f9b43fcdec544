"""``/sparql``: the SPARQL 1.1 Protocol endpoint, and the YASGUI editor for a browser."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..graph.vocabulary import PREFIXES
from . import sparql_endpoint
from .library import catalog
from .security import POLICY

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


async def sparql(request: Request) -> Response:
    """GET ?query=, POST form or direct body; a browser with no query gets the editor."""
    accept = request.headers.get("accept", "")
    text: str | None = request.query_params.get("query")
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = (await request.body()).decode("utf-8", errors="replace")
        if kind == UPDATE or (kind == FORM and "update" in parse_qs(body)):
            return _refuse("updates are not allowed: this endpoint is read-only", 403)
        if kind == DIRECT:
            text = body
        elif kind == FORM:
            text = (parse_qs(body).get("query") or [""])[0]
        else:
            return _refuse(f"unsupported content type {kind or '(none)'}", 415)
    elif "update" in request.query_params:
        return _refuse("updates are not allowed: this endpoint is read-only", 403)
    if text is None:
        if "text/html" in accept:
            return editor(request)
        return _refuse("no query given (send it as the query parameter)", 400)
    try:
        sparql_endpoint.checked(text)
        library = request.app.state.library
        generation = library.graph_store.path / library.generation()
        answer = await sparql_endpoint.answer(
            request.app.state.sparql_workers, generation, text, accept
        )
    except sparql_endpoint.EndpointError as error:
        return _refuse(str(error), error.status)
    return Response(
        answer.body,
        media_type=answer.media_type,
        headers={"X-Indsatsgraf-Truncated": "true" if answer.truncated else "false"},
    )


def _refuse(message: str, status: int) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def editor(request: Request) -> Response:
    response = request.app.state.templates.TemplateResponse(
        request, "sparql.html", {"title": "SPARQL", "data": {}}
    )
    # YASGUI (CodeMirror) writes style attributes into its markup; scripts stay 'self' only.
    response.headers["Content-Security-Policy"] = POLICY.replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    )
    return response


def editor_config(request: Request) -> Response:
    """The editor's prefixes and the saved queries as examples (fetched by sparql.js)."""
    examples = [{"name": q.name, "summary": q.summary, "query": q.text} for q in catalog().values()]
    return JSONResponse({"prefixes": PREFIXES, "examples": examples})


def routes() -> list[Route]:
    return [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/sparql/config.json", editor_config),
    ]
