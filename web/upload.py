"""Adding a document from the browser: upload, preview, add.

The same steps as ``indsatsgraf build --dry-run FILE`` and ``build FILE``,
through :func:`indsatsgraf.api.preview` and :func:`indsatsgraf.api.build`, so
the command line's limits and checks apply unchanged: the size limit, the
format told by content, the encodings a text may have, and a build that is
all or nothing. An uploaded file waits in a private temporary folder, under a
random token, between its preview and its adding; nothing reaches the graph
before the planner has seen the preview and pressed "Tilføj". POSTs need the
CSRF token and this server's origin; a read-only server shows no upload and
refuses the requests.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import api
from ..errors import IndsatsgrafError
from ..importers.facts import FACT_NAMES
from ..importers.text import MAX_BYTES
from . import security

PATH = "/upload"
PENDING_SECONDS = 3600  # a preview nobody acted on within an hour is dropped
CHUNK = 1 << 16
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
UNSAFE = re.compile(r"[^\w.-]+")
_build_lock = threading.Lock()  # one build at a time: each swaps the store's generation

FACT_NAMES_DA = {
    "budget-code": "budgetkoder",
    "amount": "beløb",
    "department": "forvaltninger",
    "date": "datoer",
    "period": "perioder",
    "case-number": "sagsnumre",
    "legal-reference": "lovhenvisninger",
    "indicator": "indikatorer",
    "proposal": "indstillingspunkter",
    "decision": "beslutninger",
}
# The links' relations by their Danish labels in ontology/indsatsgraf.ttl.
RELATIONS_DA = {
    "mentionOf": "omtale af",
    "crossReference": "krydshenvisning",
    "correspondsTo (accepted)": "svarer til",
    "correspondsTo (candidate)": "svarer måske til (forslag)",
    "correspondsTo (rejected)": "svarer ikke til (afvist)",
}
# The readers' and importers' reasons, in Danish; an unknown reason is shown as it is.
REASONS_DA = (
    (re.compile(r"no text layer"), "PDF-filen har intet tekstlag (en scanning?). Kør OCR på den først."),
    (re.compile(r"over the limit of (\d+)"), "PDF-filen har flere sider end grænsen på {0}."),
    (re.compile(r"larger than|over .*MiB|too large", re.I), "Filen er større end grænsen."),
    (re.compile(r"NUL|binary", re.I), "Filen er binære data, ikke et dokument."),
    (re.compile(r"zip archive that is not a Word"), "Filen er et zip-arkiv, men ikke et Word-dokument (.docx)."),
    (re.compile(r"unpacks to"), "Word-filen pakker sig ud til mere end otte gange størrelsesgrænsen."),
    (re.compile(r"cannot read this PDF"), "PDF-filen er ødelagt eller kan ikke læses."),
    (re.compile(r"the file is empty|holds no text"), "Filen er tom."),
    (re.compile(r"encoding|decode", re.I), "Teksten er ikke i en kendt tegnkodning (UTF-8, UTF-16, cp1252 eller latin-1)."),
    (re.compile(r"found nothing|no importer", re.I), "Der blev ikke fundet noget i teksten: ingen titel, datoer, forvaltninger, beløb eller mål."),
)  # fmt: skip


def danish_reason(reason: str) -> str:
    """The Danish wording of a reader's or importer's reason, the original kept for the expert."""
    for pattern, wording in REASONS_DA:
        match = pattern.search(reason)
        if match:
            return wording.format(*match.groups()) + f" ({reason})"
    return reason


def safe_name(name: str) -> str:
    """The uploaded file's own name, reduced to a harmless file name (it names the document)."""
    base = Path(name.replace("\\", "/")).name.strip()
    cleaned = UNSAFE.sub("-", base).strip(".-")[:120]
    return cleaned or "dokument"


def _folder(request: Request) -> Path:
    """The server's private folder of uploads awaiting their preview's decision."""
    state = request.app.state
    if not hasattr(state, "uploads"):
        state.uploads = Path(tempfile.mkdtemp(prefix="indsatsgraf-uploads-"))
    return state.uploads


def _prune(folder: Path) -> None:
    """Drop uploads whose preview was left without adding them, so the folder does not grow."""
    limit = time.time() - PENDING_SECONDS
    for pending in folder.iterdir():
        if pending.stat().st_mtime < limit:
            shutil.rmtree(pending, ignore_errors=True)


def _refuse_unless_writable(request: Request) -> None:
    if request.app.state.settings.read_only:
        raise HTTPException(403, "Serveren kører skrivebeskyttet; dokumenter kan ikke tilføjes.")


def _check_post(request: Request, form: Any) -> None:
    if not security.same_origin(
        request.headers.get("origin"), request.headers.get("host"), request.url.scheme
    ):
        raise HTTPException(403, "Forespørgslen kom fra en anden side.")
    if not security.token_matches(
        request.cookies.get(security.CSRF_COOKIE), str(form.get(security.CSRF_FIELD) or "")
    ):
        raise HTTPException(403, "Formularen er udløbet eller ugyldig; genindlæs siden.")


def _page(request: Request, status: int = 200, **context: Any) -> Response:
    token = request.cookies.get(security.CSRF_COOKIE) or security.new_token()
    response = request.app.state.templates.TemplateResponse(
        request,
        "upload.html",
        {"title": "Tilføj et dokument", "csrf": token, "limit_mib": MAX_BYTES >> 20, **context},
        status_code=status,
    )
    response.set_cookie(security.CSRF_COOKIE, token, httponly=True, samesite="strict", path=PATH)
    return response


def upload_page(request: Request) -> Response:
    _refuse_unless_writable(request)
    return _page(request)


async def preview(request: Request) -> Response:
    """Keep the uploaded file under a new token and show what adding it would do."""
    _refuse_unless_writable(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES + CHUNK:
        return _page(request, 413, error=_too_large())
    form = await request.form(max_files=1, max_fields=4)
    _check_post(request, form)
    upload = form.get("document")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _page(request, 400, error="Vælg en fil at tilføje.")
    token = secrets.token_urlsafe(24)
    _prune(_folder(request))
    folder = _folder(request) / token
    folder.mkdir()
    path = folder / safe_name(upload.filename)
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                shutil.rmtree(folder, ignore_errors=True)
                return _page(request, 413, error=_too_large(path.name))
            out.write(chunk)
    store = request.app.state.settings.store
    try:
        found = await run_in_threadpool(api.preview, store, [path], max_bytes=MAX_BYTES)
    except IndsatsgrafError as error:
        shutil.rmtree(folder, ignore_errors=True)
        return _page(request, 400, error=_failure(error, path.name))
    return _page(request, preview=_described(found), token=token, file_name=path.name)


async def add(request: Request) -> Response:
    """Build the graph with the previewed file (all or nothing) and show the new document."""
    _refuse_unless_writable(request)
    form = await request.form(max_files=0, max_fields=4)
    _check_post(request, form)
    token = str(form.get("token") or "")
    folder = _folder(request) / token
    files = sorted(folder.iterdir()) if TOKEN.match(token) and folder.is_dir() else []
    if len(files) != 1:
        return _page(request, 400, error="Forhåndsvisningen er udløbet; upload filen igen.")
    store = request.app.state.settings.store
    try:
        summary = await run_in_threadpool(_build, store, files[0])
    except IndsatsgrafError as error:
        return _page(request, 400, error=_failure(error, files[0].name))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    added = next((d for d in summary.documents if d.file_name == files[0].name), None)
    target = f"/documents/{added.slug}" if added else "/"
    return RedirectResponse(target, status_code=303)


def _build(store: Path, path: Path) -> Any:
    with _build_lock:
        return api.build(store, [path], max_bytes=MAX_BYTES)


def _too_large(name: str = "") -> str:
    named = f"«{name}» " if name else ""
    return f"Filen {named}er større end grænsen på {MAX_BYTES >> 20} MiB og blev ikke læst."


def _failure(error: IndsatsgrafError, name: str) -> str:
    failures = getattr(error, "failures", None) or [(name, str(error))]
    reasons = "; ".join(danish_reason(reason) for _, reason in failures)
    return f"Filen «{name}» kunne ikke tilføjes: {reasons} Grafen er uændret."


def _described(found: Any) -> dict[str, Any]:
    """The preview as plain data for the template: counts, facts and links."""
    summary = found.summary
    return {
        "documents": [
            {
                "file_name": d.file_name,
                "importer": d.importer,
                "confidence": d.confidence,
                "goals": d.goals,
                "initiatives": d.initiatives,
                "indicators": d.indicators,
                "budget_items": d.budget_items,
                "triples": d.triples,
                "facts": [
                    (FACT_NAMES_DA.get(f.kind, FACT_NAMES.get(f.kind, (f.kind,))[0]), f.count)
                    for f in summary.facts.get(d.file_name, [])
                ],
                "unknown": sorted(summary.report.unknown_organisations.get(d.file_name, ())),
                "warnings": list(summary.report.warnings.get(d.file_name, ())),
            }
            for d in summary.documents
        ],
        "changes": {k: v for k, v in summary.changes.items() if v},
        "links": [
            {
                "source": link.source_label or link.source,
                "relation": RELATIONS_DA.get(link.relation, link.relation),
                "target": link.target_label or link.target,
            }
            for link in found.links
        ],
    }


def routes() -> list[Route]:
    return [
        Route(PATH, upload_page),
        Route(f"{PATH}/preview", preview, methods=["POST"]),
        Route(f"{PATH}/add", add, methods=["POST"]),
    ]
