"""Link review: candidate links between plans, accepted or rejected by a person.

A decision is appended to the link-decisions file (``graph.link_decisions``)
and applied by the next build, exactly as ``indsatsgraf links accept|reject``
does. The page shows the candidates the graph holds minus those already
decided in the file. POSTs need the CSRF token; a read-only server refuses them.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..graph import link_decisions
from . import pages, security
from .library import catalog


def decisions_path(request: Request):
    return request.app.state.settings.decisions or link_decisions.decisions_path()


def review_page(request: Request) -> Response:
    lib = pages.library(request)
    decided = link_decisions.load(decisions_path(request))
    rows = []
    for row in lib.run(catalog()["links-awaiting-review"], {}).rows:
        if link_decisions.pair(str(row["source"]), str(row["target"])) in decided:
            continue
        rows.append(
            {
                **row,
                "sourceHref": pages.local_path(str(row["source"])),
                "targetHref": pages.local_path(str(row["target"])),
            }
        )
    data = {"rows": rows, "truncated": False, "next": None, "decided": len(decided)}
    token = request.cookies.get(security.CSRF_COOKIE) or security.new_token()
    response = pages.render(
        request,
        "links.html",
        data,
        title="Gennemgang af forbindelser",
        csrf=token,
        done=request.query_params.get("done", ""),
    )
    response.set_cookie(
        security.CSRF_COOKIE, token, httponly=True, samesite="strict", path="/links"
    )
    return response


async def decide(request: Request) -> Response:
    if request.app.state.settings.read_only:
        raise HTTPException(403, "Serveren kører skrivebeskyttet; beslutninger kan ikke gemmes.")
    if not security.same_origin(
        request.headers.get("origin"), request.headers.get("host"), request.url.scheme
    ):
        raise HTTPException(403, "Forespørgslen kom fra en anden side.")
    form = await request.form()
    if not security.token_matches(
        request.cookies.get(security.CSRF_COOKIE), str(form.get(security.CSRF_FIELD) or "")
    ):
        raise HTTPException(403, "Formularen er udløbet eller ugyldig; genindlæs siden.")
    decision = str(form.get("decision") or "")
    try:
        link_decisions.record(
            str(form.get("source") or ""),
            str(form.get("target") or ""),
            decision,
            str(form.get("note") or ""),
            path=decisions_path(request),
        )
    except link_decisions.LinkDecisionError as error:
        raise HTTPException(400, str(error)) from error
    return RedirectResponse(f"/links?done={quote(decision)}", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/links", review_page),
        Route("/links.json", review_page),
        Route("/links/decide", decide, methods=["POST"]),
    ]
