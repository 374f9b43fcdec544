"""The page views: front page, saved queries, things, documents, networks, indicators, search.

Every view returns ``render(request, template, data)``: ``data`` is the JSON
twin of the page (add ``.json`` to the URL), and the template only lays it out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from jinja2 import Environment, pass_environment
from jinja2.filters import do_truncate
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..graph.vocabulary import ID, PREFIXES
from ..queries.catalog import DEPARTMENT_CODES, Parameter, SavedQuery
from ..viz import indicators as progress_chart
from ..viz.network import VIEWS, ViewError, ViewSpec
from . import networks, tables
from .library import ROW_CAP, Document, Library, catalog, web_query

#: The planners' questions on the front page: (question, link).
QUESTIONS = (
    (
        "Hvilke indsatser går på tværs af flere forvaltninger?",
        "/queries/multi-department-initiatives",
    ),
    ("Hvilke mål har ingen indsatser?", "/queries/goals-without-initiatives"),
    ("Hvilke indsatser mangler finansiering?", "/queries/initiative-financing?financing=unfunded"),
    ("Hvilke budgetposter støtter hvilke mål?", "/queries/budget-items-and-goals"),
    ("Hvad blev der af en indsats?", "/queries/initiative-lineage"),
    ("Hvordan går det med indikatorerne?", "/indicators"),
    ("Hvilke forvaltninger arbejder sammen?", "/network/departments"),
)
TYPE_NAMES = {
    "department": "forvaltning",
    "plan": "plan",
    "iri": "IRI",
    "integer": "heltal",
    "year": "årstal",
    "text": "tekst",
    "choice": "valg",
}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
CONTEXT_LINES = 3
MAX_CONTEXT = 40
#: The most statements pointing at a thing that its page lists (as incoming-ordered.rq).
MAX_INCOMING = 500
#: Up to this many statements pointing at a thing are sorted here (see incoming_rows).
INCOMING_SORTED_HERE = 5_000


def library(request: Request) -> Library:
    return request.app.state.library


def is_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def render(request: Request, template: str, data: dict[str, Any], **context: Any) -> Response:
    if is_json(request):
        return JSONResponse(data)
    return request.app.state.templates.TemplateResponse(
        request, template, {"data": data, **context}
    )


def compact(iri: object) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def expand(text: str) -> str | None:
    """The IRI of a compact name such as ``id:org/sof``; None for a literal."""
    if text.startswith(("http://", "https://")) and " " not in text:
        return text
    prefix, _, rest = text.partition(":")
    if prefix in PREFIXES and rest and " " not in text:
        return PREFIXES[prefix] + rest
    return None


def local_path(iri: str) -> str | None:
    """The path of a thing's page on this server, for IRIs under the project's id space."""
    return "/id/" + iri[len(ID) :] if iri.startswith(ID) else None


def danish_number(value: object) -> str:
    """A number as a Danish reader writes it: decimal comma, no needless decimals."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", "\u00a0").replace(".", ",")
    return "" if value is None else str(value)


def cell(value: object) -> Markup:
    """One table cell: a link for a thing of this graph, a Danish number, else the text.

    A Python filter rather than a template macro: calling a macro for every cell
    was most of a result table's time.
    """
    if value is None:
        return Markup("")
    if isinstance(value, str):
        href = local_path(value)
        if href:
            return Markup(f'<a href="{escape(href)}">{escape(compact(value))}</a>')
        return escape(value)
    if isinstance(value, int | float):
        return escape(danish_number(value))
    return escape(value)


#: How much of a matching text a search hit shows.
HIT_TEXT = 240


@pass_environment
def hit_items(environment: Environment, hits: list[dict[str, Any]]) -> Markup:
    """The list items of one group of search hits: a link to each thing, and the text that
    matched it unless that was its label.

    A Python filter, as :func:`cell` is: the template's loop over up to 200 hits was a
    quarter of a search page's time.
    """
    parts = []
    for hit in hits:
        label = escape(hit["label"])
        href = hit["href"]
        parts.append(f'<li><a href="{escape(href)}">{label}</a>' if href else f"<li>{label}")
        if hit["field"] != "label":
            shown = do_truncate(environment, hit["text"], HIT_TEXT, True, "…")
            parts.append(f'<p class="muted">{escape(shown)}</p>')
        parts.append("</li>")
    return Markup("".join(parts))


# -- front page -------------------------------------------------------------------


def front(request: Request) -> Response:
    lib = library(request)
    documents = [
        {
            "iri": d.iri,
            "slug": d.slug,
            "label": d.label,
            "fileName": d.file_name,
            "year": d.year,
            "kind": d.kind,
            **d.counts,
        }
        for d in lib.documents()
    ]
    # Newest first, a page at a time: an archive of thousands of documents keeps a
    # front page that opens at once (1.6 MB and seconds when all 5,000 were listed).
    columns = ["year", "label", "fileName", "kind", "initiatives", "goals", "indicators"]
    columns += ["budgetItems", "slug", "iri"]
    listed = paged(request, columns, documents, False, default_order=("year", True))
    data = {
        **listed.summary(),
        "departments": lib.rows("departments"),
        "questions": [{"question": q, "href": h} for q, h in QUESTIONS],
    }
    return render(request, "front.html", data, title="indsatsgraf")


# -- saved queries ----------------------------------------------------------------


def query_list(request: Request) -> Response:
    rows = [
        {
            "name": q.name,
            "summary": q.summary,
            "tags": list(q.tags),
            "parameters": [p.name for p in q.parameters],
        }
        for q in catalog().values()
    ]
    data = {"rows": rows, "truncated": False, "next": None}
    return render(request, "queries.html", data, title="Gemte forespørgsler")


def saved(name: str) -> SavedQuery:
    found = catalog().get(name)
    if found is None:
        raise HTTPException(404, f"Der er ingen gemt forespørgsel ved navn {name!r}.")
    return found


def given_params(request: Request, query: SavedQuery) -> dict[str, str]:
    """The query's parameters the visitor filled in (empty fields mean: not given)."""
    known = {p.name for p in query.parameters}
    return {k: v for k, v in request.query_params.items() if k in known and v.strip()}


def choices(lib: Library, parameter: Parameter) -> list[tuple[str, str]] | None:
    """Dropdown options from the graph for plan, department, year and choice parameters."""
    if parameter.type == "department":
        names = {str(r["code"]): str(r["label"]) for r in lib.rows("departments")}
        return [(code, f"{code} — {names.get(code, code)}") for code in DEPARTMENT_CODES]
    if parameter.type == "plan" or (parameter.type == "iri" and parameter.name == "plan"):
        use_iri = parameter.type == "iri"
        return [
            (d.iri if use_iri else d.file_name, f"{d.label} ({d.year or 'uden år'})")
            for d in lib.documents()
        ]
    if parameter.type == "year":
        return [(str(r["year"]), str(r["year"])) for r in lib.rows("years")]
    if parameter.type == "choice":
        return [(c, c) for c in parameter.choices]
    return None


def form_fields(lib: Library, query: SavedQuery, given: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "type": TYPE_NAMES[p.type],
            "doc": p.doc,
            "default": p.default,
            "value": given.get(p.name, p.default or ""),
            "options": choices(lib, p),
        }
        for p in query.parameters
    ]


def query_result(request: Request, query: SavedQuery) -> tuple[dict[str, str], Any, bool]:
    given = given_params(request, query)
    result = library(request).run(query, given, limit=ROW_CAP + 1)
    truncated = len(result.rows) > ROW_CAP
    return given, result, truncated


def answer_key(query: SavedQuery, given: dict[str, str]) -> Hashable:
    """What names a saved query's answer within a generation."""
    return (query.name, tuple(sorted(given.items())))


def paged(
    request: Request,
    variables: list[str],
    rows: list[dict],
    truncated: bool,
    answer: Hashable | None = None,
    default_order: tuple[str, bool] | None = None,
) -> tables.Page:
    """One page of ``rows`` as the URL asks (sort column, direction, the token after).

    ``default_order`` (column, descending) is the order when the URL asks for none.

    ``answer`` names the rows within the generation (a query and its
    parameters): their sorted order is then kept, so the next pages of a large
    answer cost a binary search rather than a sort.
    """
    params = request.query_params
    sort, descending = params.get("_sort") or None, params.get("_desc") == "1"
    if sort is None and default_order is not None:
        sort, descending = default_order
    try:
        size = int(params.get("_size", tables.PAGE_SIZE))
        keyed = None
        if answer is not None:
            keyed = library(request).remember(
                ("sorted", answer, sort, descending),
                lambda: tables.sorted_rows(variables, rows, sort, descending),
                len,
            )
        return tables.page(
            variables,
            rows,
            sort=sort,
            descending=descending,
            after=params.get("_next") or None,
            size=size,
            truncated=truncated,
            keyed=keyed,
        )
    except (tables.PagingError, ValueError) as error:
        raise HTTPException(400, str(error)) from error


def query_page(request: Request) -> Response:
    name, suffix = split_suffix(request.path_params["name"], (".json", ".csv", ".xlsx"))
    query = saved(name)
    given, result, truncated = query_result(request, query)
    rows = result.rows[:ROW_CAP]
    if result.form != "SELECT":
        raise HTTPException(400, "Kun SELECT-forespørgsler kan vises som tabel.")
    if suffix in (".csv", ".xlsx"):
        ordered = [
            row
            for _, row in tables.sorted_rows(
                result.variables,
                rows,
                request.query_params.get("_sort") or None,
                request.query_params.get("_desc") == "1",
            )
        ]
        return download(query.name, result.variables, ordered, suffix, truncated)
    page = paged(request, result.variables, rows, truncated, answer_key(query, given))
    data = {
        "query": query.name,
        "summary": query.summary,
        "description": query.description,
        "parameters": given,
        **page.summary(),
        "sort": page.sort,
        "descending": page.descending,
    }
    base = {k: v for k, v in request.query_params.items() if not k.startswith("_")}
    return render(
        request,
        "query.html",
        data,
        title=query.summary or query.name,
        fields=form_fields(library(request), query, given),
        base=base,
        text=query.text,
    )


def download(name: str, variables: list[str], rows: list[dict], suffix: str, truncated: bool):
    headers = {
        "Content-Disposition": f'attachment; filename="{name}{suffix}"',
        "X-Indsatsgraf-Truncated": "true" if truncated else "false",
    }
    if suffix == ".csv":
        return Response(
            tables.as_csv(variables, rows), media_type="text/csv; charset=utf-8", headers=headers
        )
    return Response(
        tables.as_xlsx(variables, rows, name),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=headers,
    )


def split_suffix(value: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    for suffix in suffixes:
        if value.endswith(suffix):
            return value[: -len(suffix)], suffix
    return value, ""


# -- things -----------------------------------------------------------------------


UNKNOWN_THING = "Grafen kender ikke denne ting."


def thing(request: Request) -> Response:
    rest, suffix = split_suffix(request.path_params["rest"], (".json",))
    iri = ID + rest
    lib = library(request)
    accept = request.headers.get("accept", "")
    for media, rdf_format in RDF_TYPES.items():
        if media in accept and "text/html" not in accept:
            triples = lib.triples(iri)
            if not triples:
                raise HTTPException(404, UNKNOWN_THING)
            body = ox.serialize(triples, format=rdf_format) or b""
            return Response(body, media_type=f"{media}; charset=utf-8")
    # Its own statements tell whether the graph knows the thing (no look-up of its own).
    description = lib.describe(iri)
    if not description.properties:
        raise HTTPException(404, UNKNOWN_THING)
    values = [(p, v, expand(v)) for p, v in description.properties]
    labels = lib.labels(
        {x for _, _, x in values if x} | {expand(p) or p for p, _ in description.properties}
    )
    properties = [
        {
            "property": expand(p) or p,
            "propertyLabel": labels.get(expand(p) or p, p),
            "value": target or (v[:-4] if v.endswith((" @da", " @en")) else v),
            "iri": target,
            "valueLabel": labels.get(target, compact(target)) if target else None,
            "href": local_path(target) if target else None,
        }
        for p, v, target in values
    ]
    classes = [r["valueLabel"] for r in properties if r["property"].endswith("#type")]
    label = lib.labels({iri}).get(iri, compact(iri))
    incoming = [
        {
            "subject": str(r["subject"]),
            "label": str(r["label"] or compact(r["subject"])),
            "property": str(r["property"]),
            "href": local_path(str(r["subject"])),
        }
        for r in incoming_rows(lib, iri)
    ]
    plabels = lib.labels({r["property"] for r in incoming})
    for row in incoming:
        row["propertyLabel"] = plabels.get(row["property"], compact(row["property"]))
    data = {
        "iri": iri,
        "label": label,
        "classes": classes,
        "rows": properties,
        "truncated": False,
        "next": None,
        "incoming": incoming,
        "sources": sources(lib, description.sources),
        "links": [
            {**r, "href": local_path(str(r["other"]))} for r in lib.rows("thing-links", thing=iri)
        ],
        "lineage": lineage(lib, iri, classes),
        "lineageLinks": [],
        "document": f"/documents/{rest.removeprefix('plan/')}"
        if rest.startswith("plan/") and lib.document(rest.removeprefix("plan/"))
        else None,
    }
    timeline = None
    if data["lineage"]:
        timeline, data["lineageLinks"] = networks.initiative_timeline(lib, iri, local_path)
    return render(request, "thing.html", data, title=label, timeline=timeline)


def incoming_rows(lib: Library, iri: str) -> list[dict]:
    """What points at the thing: the first MAX_INCOMING by property, subject label and subject.

    Sorted here rather than by the query: Oxigraph's ORDER BY reads the text of
    both terms from the store at every comparison, which made the query of a
    department's page (some 400 statements point at it) take 40 to 100 ms,
    against a fraction of a millisecond to sort the plain values. Only a thing
    with more than INCOMING_SORTED_HERE statements is left to the ordered
    query, which keeps the rows it reads to MAX_INCOMING.
    """
    found = lib.run(
        web_query("incoming"), {"thing": iri}, limit=INCOMING_SORTED_HERE + 1, limited=False
    ).rows
    if len(found) > INCOMING_SORTED_HERE:
        return lib.rows("incoming-ordered", thing=iri)
    return sorted(found, key=_incoming_order)[:MAX_INCOMING]


def _incoming_order(row: dict) -> tuple:
    """SPARQL's order of the incoming query's rows: an unbound label before any label."""
    label = row["label"]
    return (str(row["property"]), label is not None, str(label or ""), str(row["subject"]))


def sources(lib: Library, spans: list[tuple[str, int, int, str]]) -> list[dict[str, Any]]:
    """Each source span with the lines around it, from the document's own text."""
    found = []
    for file_name, first, last, quote in spans:
        document = lib.document_by_file(file_name)
        context: list[dict[str, Any]] = []
        if document is not None:
            lines, _ = lib.document_lines(document)
            start = max(1, first - CONTEXT_LINES)
            end = min(len(lines), last + CONTEXT_LINES, start + MAX_CONTEXT - 1)
            context = [
                {"number": n, "text": lines[n - 1], "quoted": first <= n <= last}
                for n in range(start, end + 1)
            ]
        found.append(
            {
                "file": file_name,
                "first": first,
                "last": last,
                "quote": quote,
                "href": f"/documents/{document.slug}#L{first}" if document else None,
                "context": context,
            }
        )
    return found


def lineage(lib: Library, iri: str, classes: list[str | None]) -> list[dict[str, Any]]:
    """For an initiative, every plan and year it appears in (the saved query initiative-lineage)."""
    if "indsats" not in [str(c).lower() for c in classes] and "/initiative/" not in iri:
        return []
    # About one initiative: computed in the request's thread, like the page's other answers.
    query = catalog()["initiative-lineage"]
    rows = lib.run(query, {"initiative": iri}, limited=False, look_up=False).rows
    return [{**r, "href": local_path(str(r["initiative"]))} for r in rows]


# -- documents --------------------------------------------------------------------


def document_page(request: Request) -> Response:
    slug, _ = split_suffix(request.path_params["slug"], (".json",))
    lib = library(request)
    document = lib.document(slug)
    if document is None:
        raise HTTPException(404, "Grafen kender intet dokument ved det navn.")
    numbered, whole = lib.remember(
        ("document", slug), lambda: numbered_lines(lib, document), lambda found: len(found[0])
    )
    start = 0
    if is_json(request):
        after = request.query_params.get("_next")
        start = int(after) if after and after.isdigit() else 0
        size = 500
        chosen = numbered[start : start + size]
        more = start + size < len(numbered)
        rows, next_token = chosen, (str(start + size) if more else None)
    else:
        rows, next_token = numbered, None
    data = {
        "iri": document.iri,
        "slug": document.slug,
        "label": document.label,
        "fileName": document.file_name,
        "year": document.year,
        "wholeText": whole,
        "rows": rows,
        "truncated": False,
        "next": next_token,
    }
    if is_json(request):
        return JSONResponse(data)
    # A long document's lines are most of the page's work: laid out once per generation.
    lines = lib.remember(
        ("document-html", slug),
        lambda: Markup(
            request.app.state.templates.get_template("document_lines.html").render(data=data)
        ),
        lambda _: len(numbered),
    )
    return render(request, "document.html", data, title=document.label, lines=lines)


def numbered_lines(lib: Library, document: Document) -> tuple[list[dict[str, Any]], bool]:
    """The document's lines, each with the things whose source span covers it."""
    lines, whole = lib.document_lines(document)
    covering: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row in lib.rows("document-spans", document=document.iri):
        first, last = int(row["first"]), int(row["last"])
        for number in range(first, last + 1):
            entry = {
                "iri": str(row["thing"]),
                "label": str(row["label"] or compact(row["thing"])),
                "href": local_path(str(row["thing"])) or "",
                "first": number == first,
            }
            if all(e["iri"] != entry["iri"] for e in covering[number]):
                covering[number].append(entry)
    numbered = [
        {"number": n, "text": text, "things": covering.get(n, [])}
        for n, text in enumerate(lines, start=1)
    ]
    return numbered, whole


# -- networks ---------------------------------------------------------------------


def network_index(request: Request) -> Response:
    rows = [
        {"view": v, "title": networks.VIEW_TITLES[v], "href": f"/network/{v}"}
        for v in VIEWS
        if v not in ("focus", "dependencies", "query")
    ]
    data = {"rows": rows, "truncated": False, "next": None}
    return render(request, "networks.html", data, title="Netværk")


def spec_from(request: Request, view: str) -> ViewSpec:
    params = request.query_params
    if view == "query":
        name = params.get("query", "")
        query = saved(name)
        return ViewSpec(view="query", query=name, params=given_params(request, query))
    depth = params.get("depth", "1")
    return ViewSpec(
        view=view,
        focus=params.get("focus") or None,
        depth=int(depth) if depth.isdigit() and 0 < int(depth) <= 3 else 1,
        plans=tuple(params.getlist("plan")),
        departments=tuple(params.getlist("department")),
    )


def network_page(request: Request) -> Response:
    view, suffix = split_suffix(request.path_params["view"], (".json", ".svg", ".png"))
    if view not in VIEWS:
        raise HTTPException(404, "Den netværksvisning findes ikke.")
    lib = library(request)
    try:
        spec = spec_from(request, view)
        if suffix in (".svg", ".png"):
            return networks.download(lib, spec, suffix[1:], f"netvaerk-{view}")
        # A view is drawn from one generation: built once, shared by every request for it.
        built, edges = lib.remember(
            ("network", repr(spec)),
            lambda: _view_and_edges(lib, spec),
            lambda found: found[0].graph.number_of_edges(),
            limited=True,
        )
    except ViewError as error:
        raise HTTPException(400, str(error)) from error
    page = paged(
        request, ["sourceLabel", "relation", "targetLabel"], edges, False, ("network", repr(spec))
    )
    page.rows = [
        {
            **row,
            "sourceHref": local_path(str(row["source"])),
            "targetHref": local_path(str(row["target"])),
        }
        for row in page.rows
    ]
    data = {
        "view": view,
        "title": built.title,
        "nodes": built.graph.number_of_nodes(),
        "edges": built.graph.number_of_edges(),
        "hidden": built.hidden,
        "plans": built.plans,
        "plansShown": built.plans_shown,
        "rows": page.rows,
        "total": page.total,
        "truncated": built.hidden > 0,
        "next": page.next,
    }
    if is_json(request):
        data["network"] = networks.drawing(built)
        return JSONResponse(data)
    return render(
        request,
        "network.html",
        data,
        title=built.title,
        legend=built.legend,
        source=with_suffix(request, ".json"),
        files=picture_files(request),
        timeline=networks.timeline(built, local_path),
        matrix=networks.matrix(built),
        base={k: v for k, v in request.query_params.items() if not k.startswith("_")},
    )


def _view_and_edges(lib: Library, spec: ViewSpec) -> tuple[networks.WebView, list[dict]]:
    built = networks.web_view(lib, spec)
    return built, networks.edge_rows(built.graph)


def with_suffix(request: Request, suffix: str) -> str:
    """This page's address with ``suffix`` (.json, .svg, .png) and the same filters."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if not k.startswith("_")]
    return request.url.path + suffix + (f"?{urlencode(kept)}" if kept else "")


def picture_files(request: Request) -> dict[str, str]:
    """Where the picture of this page is saved as SVG and as PNG."""
    return {"svg": with_suffix(request, ".svg"), "png": with_suffix(request, ".png")}


# -- indicators -------------------------------------------------------------------


#: The columns of the indicator table, as the progress rows name them.
INDICATOR_COLUMNS = [
    "plan",
    "notation",
    "name",
    "unit",
    "baseline",
    "status",
    "target",
    "to_go",
    "share",
]


def indicators(request: Request) -> Response:
    """The indicator chart of ``viz --view indicators``, from the same saved query and
    the same drawing function, a page of indicators at a time with their numbers as a
    table beside it (the SVG and PNG files draw them all, as ``viz`` does).

    A page of its own per table page: a large archive has tens of thousands of
    indicators, and one page with all of them weighed megabytes.
    """
    query = catalog()["indicator-progress"]
    given, result, truncated = query_result(request, query)
    title = "Indikatorernes fremdrift: udgangspunkt, status og mål"
    key = ("indicators", answer_key(query, given))

    def progress_and_rows() -> tuple[list[progress_chart.Progress], list[dict]]:
        progress = progress_chart.progress_rows(result.rows)
        return progress, [{**row.__dict__, "to_go": row.to_go} for row in progress]

    lib = library(request)
    progress, rows = lib.remember(key, progress_and_rows, lambda found: len(found[1]))
    if request.url.path.endswith((".svg", ".png")):
        svg = lib.remember(
            ("indicator-chart", key), lambda: progress_chart.progress_svg(progress, title)
        )
        return networks.file_response(svg, request.url.path[-3:], "indikatorer")
    page = paged(request, INDICATOR_COLUMNS, rows, truncated, key)
    # The page's rows are the remembered dicts themselves: each leads to its indicator.
    by_row = {id(row): found for row, found in zip(rows, progress, strict=True)}
    shown = [by_row[id(row)] for row in page.rows]
    if page.total > len(shown):
        title = f"{title} ({len(shown)} af {danish_number(page.total)})"
    data = {
        "parameters": given,
        "rows": page.rows,
        "total": page.total,
        "truncated": truncated,
        "next": page.next,
    }
    return render(
        request,
        "indicators.html",
        data,
        title="Indikatorernes fremdrift",
        chart=progress_chart.progress_svg(shown, title),
        files=picture_files(request),
        row_cap=ROW_CAP,
        fields=form_fields(lib, query, given),
        base={k: v for k, v in request.query_params.items() if not k.startswith("_")},
    )


# -- search -----------------------------------------------------------------------


def search(request: Request) -> Response:
    text = request.query_params.get("q", "").strip()[:200]
    limit = 200
    hits = library(request).search(text, limit) if text else []
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = []
    for hit in hits:
        row = {
            "iri": hit.iri,
            "label": hit.label,
            "class": hit.class_iri,
            "classLabel": hit.class_label,
            "field": hit.field,
            "text": hit.text,
            "href": local_path(hit.iri),
        }
        rows.append(row)
        groups[hit.class_label or "andet"].append(row)
    data = {"query": text, "rows": rows, "truncated": len(hits) >= limit, "next": None}
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return render(request, "search.html", data, title="Søg", groups=ordered)


def routes() -> list[Route]:
    return [
        Route("/", front),
        Route("/index.json", front),
        Route("/queries", query_list),
        Route("/queries.json", query_list),
        Route("/queries/{name}", query_page),
        Route("/id/{rest:path}", thing),
        Route("/documents/{slug}", document_page),
        Route("/network", network_index),
        Route("/network.json", network_index),
        Route("/network/{view}", network_page),
        Route("/indicators", indicators),
        Route("/indicators.json", indicators),
        Route("/indicators.svg", indicators),
        Route("/indicators.png", indicators),
        Route("/search", search),
        Route("/search.json", search),
    ]
