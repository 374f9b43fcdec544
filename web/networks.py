"""Network views for the web: the CLI's views, capped for a browser, with a table twin.

The drawing data comes from :func:`indsatsgraf.viz.render.network_data`, the
same the ``viz`` command draws; the page fetches it as JSON and draws it with
the vis-network script, so no inline script is needed. A canvas cannot be read
by a screen reader, so every network also has its edges as a table, and a network of
pairs (the departments) its counts as the viz page's matrix. The lineage is
a timeline drawn as SVG on the server (:mod:`indsatsgraf.viz.timeline`).

Every picture is also saved as SVG and PNG (print resolution) through
:func:`indsatsgraf.api.picture`, the function behind ``viz --format svg|png``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx
from starlette.responses import Response

from ..queries.catalog import SavedQuery
from ..viz.network import ViewSpec, build_view
from ..viz.render import legend_html, network_data
from ..viz.tables import pair_matrix_html
from .library import Library

#: Views a visitor can open (the query view is opened from a saved query's page).
VIEW_TITLES = {
    "overview": "Overblik",
    "departments": "Forvaltninger",
    "focus": "Omkring en ting",
    "dependencies": "Afhængigheder",
    "lineage": "Indsatsernes forløb",
    "query": "Forespørgsel som netværk",
}
#: Above this many nodes the browser gets the best-connected ones and a count of the rest.
NODE_CAP = 400
#: The most shared initiatives a page lists for one pair of departments (the rest are
#: counted; the saved query multi-department-initiatives lists them all).
PAIR_ITEMS = 200
#: The lineage page's timeline fits the page's column on a 1280 px wide screen.
PAGE_WIDTH = 1180.0
#: An initiative's timeline is narrower than the lineage page's: it sits in the text column.
THING_WIDTH = 960.0


@dataclass
class WebView:
    title: str
    graph: nx.Graph
    hidden: int
    legend: str
    #: An overview too large to draw: the archive's plans, and how many are drawn.
    plans: int = 0
    plans_shown: int = 0


def web_view(library: Library, spec: ViewSpec, cap: int | None = None) -> WebView:
    """The view ``spec`` asks for; above ``cap`` (NODE_CAP) nodes only the best-connected
    are kept, and the overview shows its newest plans whole.

    The aggregates a view needs of the whole archive (plan sizes, the departments'
    links) are the build's stored answers, read as a saved query's are: a view of an
    archive costs what it draws, not minutes of reading every relation.
    """

    def answers(query: SavedQuery, params: Mapping[str, str]) -> list[dict]:
        return library.answer(query, dict(params)).rows

    view = build_view(library.store(), spec, cap=NODE_CAP if cap is None else cap, answers=answers)
    return WebView(
        view.title,
        view.graph,
        view.hidden,
        legend_html(view.graph),
        view.plans,
        view.plans_shown,
    )


def drawing(view: WebView) -> dict:
    """What the page draws; a pair's list of shared initiatives is cut at PAIR_ITEMS, with
    its whole count as ``shared`` (at ×1000 the lists made the departments' drawing
    13.7 MB, for a list nobody reads to the end)."""
    data = network_data(view.graph)
    for edge in data["edges"]:
        items = edge.get("items")
        if items is not None and len(items) > PAIR_ITEMS:
            edge["items"], edge["shared"] = items[:PAIR_ITEMS], len(items)
    return data


def matrix(view: WebView) -> str:
    """The pairs' counts as the viz page's shaded table (every count readable, none hidden
    behind a line); "" for views that are not networks of pairs."""
    return pair_matrix_html(view.graph)


def edge_rows(graph: nx.Graph) -> list[dict[str, str]]:
    """The edges as rows a table (and a screen reader) can show."""
    rows = []
    for source, target, attrs in graph.edges(data=True):
        rows.append(
            {
                "source": str(source),
                "sourceLabel": _label(graph.nodes[source], source),
                "relation": str(attrs.get("label") or attrs.get("relation") or ""),
                "target": str(target),
                "targetLabel": _label(graph.nodes[target], target),
            }
        )
    rows.sort(key=lambda r: (r["sourceLabel"].casefold(), r["relation"], r["targetLabel"]))
    return rows


def _label(attrs: Mapping, node: object) -> str:
    return str(attrs.get("label") or node)


def timeline(view: WebView, href: Callable[[str], str | None]) -> str | None:
    """The lineage's timeline as inline SVG, its nodes linked to their pages; None for
    the other views, which are drawn by vis-network."""
    if view.graph.graph.get("layout") != "timeline":
        return None
    from ..viz.timeline import timeline_svg

    return timeline_svg(view.graph, view.title, href=href, width=PAGE_WIDTH)


def download(library: Library, spec: ViewSpec, fmt: str, stem: str) -> Response:
    """The whole view (not capped) as an SVG or PNG file, as ``viz --format`` writes it."""
    from .. import api

    data, _ = api.picture(library.store(), spec, fmt)
    return _file(data, fmt, stem)


def file_response(svg: str, fmt: str, stem: str) -> Response:
    """A chart's SVG as a file, or drawn as PNG at print resolution."""
    if fmt == "svg":
        return _file(svg.encode("utf-8"), fmt, stem)
    from ..viz.svg import png_bytes

    return _file(png_bytes(svg), fmt, stem)


def _file(data: bytes, fmt: str, stem: str) -> Response:
    media = {"svg": "image/svg+xml", "png": "image/png"}[fmt]
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


def _edges(graph: nx.Graph) -> int:
    return graph.number_of_edges()


def initiative_timeline(
    library: Library, iri: str, href: Callable[[str], str | None]
) -> tuple[str | None, list[dict[str, str]]]:
    """An initiative's path across plans as the viz timeline (itself highlighted, each
    node linked to its page), and its links as rows for the table; (None, []) without."""
    from ..viz.network import lineage, lineage_of
    from ..viz.timeline import link_rows, timeline_svg

    # The whole graph of lineage links, once per generation for every initiative's page.
    whole = library.remember(("lineage",), lambda: lineage(library.store()), _edges, limited=True)
    chain = lineage_of(whole, iri)
    if not chain.number_of_nodes():
        return None, []
    label = chain.nodes[iri].get("label") or iri
    title = f"{label}: forløb på tværs af planer"
    return timeline_svg(chain, title, current=iri, href=href, width=THING_WIDTH), link_rows(chain)
