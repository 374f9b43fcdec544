"""Render a networkx view as one self-contained, offline HTML page drawn by vis-network.

Planners open these pages from a file share or an e-mail, often without internet, so the
page inlines everything (the vis-network script and stylesheet shipped inside pyvis) and
makes no network request at all. pyvis' own template is not used: even with
``cdn_resources="in_line"`` it links Bootstrap from a CDN, and its ``add_edge`` scans all
edges on every call, which is too slow for graphs of thousands of nodes.

Node data travels as JSON with ``<`` escaped, and every text reaches the page either
HTML-escaped (title, legend) or through DOM text APIs (tooltips, search list), so labels
and quotations from the documents can never inject markup.
"""

from __future__ import annotations

import html
import json
import math
import string
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx

from ..files import write_atomically
from .layouts import Placement, place
from .styling import canvas_label
from .tables import pair_matrix_css, pair_matrix_html, table_html

__all__ = [
    "KIND_STYLES",
    "PHYSICS_NODE_LIMIT",
    "RenderSummary",
    "html_string",
    "legend_html",
    "network_data",
    "render_html",
    "uses_physics",
]

#: Above this many nodes the layout is computed in Python and the page runs no physics,
#: because live simulation of thousands of nodes freezes the browser for a long time.
PHYSICS_NODE_LIMIT = 1000
#: Stabilisation is capped so a page is ready within seconds even when it does not converge:
#: at most 200 iterations, fewer for bigger graphs (one iteration of 1,000 nodes takes about
#: 25 ms in headless Chromium).
MAX_STABILIZATION_ITERATIONS = 200
STABILIZATION_NODE_ITERATIONS = 100_000
#: Edge labels are drawn on the canvas only for small pictures; otherwise they are clutter.
EDGE_LABEL_LIMIT = 60
#: Detail values (e.g. quotations) are shortened in tooltips to keep them readable.
DETAIL_CHARS = 300
MIN_SIZE = 8.0
BASE_SIZE = 12.0
SIZE_RANGE = 32.0
#: From this many nodes a page is a "big picture": canvas labels grow with the node, and
#: vis-network skips a label whose on-screen size is below LABEL_DRAW_THRESHOLD pixels.
#: Zoomed out to the whole graph only the hubs and the landmark kinds are named; zooming in
#: reveals the rest instead of a blur of text. Smaller pictures keep one font size.
BIG_PICTURE_NODES = 100
MIN_FONT = 14
LANDMARK_FONT = 34
#: Plans and departments anchor a big picture, so they are never drawn smaller than this.
LANDMARK_SIZE = 28.0
LANDMARK_KINDS = frozenset({"Plan", "Department", "Theme", "Benchmark"})
LABEL_DRAW_THRESHOLD = 7
#: Pixel distances of the Python layout, in the same scale as vis-network's spring length.
NODE_SPACING = 90.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
VIS_ASSETS = ("lib", "vis-9.1.2")


@dataclass(frozen=True)
class KindStyle:
    """How one node kind looks, so the canvas and the legend always agree."""

    name: str
    shape: str
    color: str


#: vis-network shapes that honour ``size``; colour tells kinds apart where shapes repeat.
KIND_STYLES: dict[str, KindStyle] = {
    "Plan": KindStyle("Plan", "hexagon", "#1f3b73"),
    "Goal": KindStyle("Mål", "star", "#d4a017"),
    "Theme": KindStyle("Tema", "triangle", "#8e44ad"),
    "Priority": KindStyle("Prioritering", "triangleDown", "#c0392b"),
    "Benchmark": KindStyle("Pejlemærke", "star", "#e67e22"),
    "Initiative": KindStyle("Initiativ", "dot", "#2e86c1"),
    "Department": KindStyle("Forvaltning", "square", "#27ae60"),
    "Unit": KindStyle("Enhed", "square", "#82c99a"),
    "PoliticalBody": KindStyle("Politisk organ", "diamond", "#7b241c"),
    "Partner": KindStyle("Partner", "diamond", "#16a085"),
    "BudgetItem": KindStyle("Budgetpost", "triangle", "#b7950b"),
    "Indicator": KindStyle("Indikator", "triangleDown", "#5d6d7e"),
    "Measurement": KindStyle("Måling", "dot", "#aab7b8"),
    "Other": KindStyle("Andet", "dot", "#cccccc"),
    "SharedInitiative": KindStyle("Indsats på tværs af forvaltninger", "dot", "#d35400"),
}

#: On-screen label height in pixels at the default zoom, by emphasis (see .styling).
LABEL_PX = {"center": 20, "highlight": 14, "near": 13}
#: How the focused thing and the faded rest are drawn, whatever their kind.
CENTER_COLOR = {"background": "#ffd400", "border": "#111111"}
FADED_COLOR = {"background": "rgba(160, 170, 180, 0.35)", "border": "rgba(120, 130, 140, 0.45)"}
#: Edge labels (counts, scores) on screen, so they can be read without hovering.
EDGE_LABEL_PX = 15
#: Wrapped labels (plan titles) are at most this many label-heights wide.
WRAP_EMS = 16

#: Legend symbols as SVG drawn in a 16x16 box, one per vis-network shape used above.
SHAPE_SVG = {
    "dot": '<circle cx="8" cy="8" r="6"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
    "triangle": '<polygon points="8,1 15,14 1,14"/>',
    "triangleDown": '<polygon points="1,2 15,2 8,15"/>',
    "hexagon": '<polygon points="4,2 12,2 16,8 12,14 4,14 0,8"/>',
    "star": '<polygon points="8,0 10,6 16,6 11,10 13,16 8,12 3,16 5,10 0,6 6,6"/>',
}


@dataclass(frozen=True)
class RenderSummary:
    """What was written, for the command line to report and tests to check."""

    nodes: int
    edges: int
    bytes: int
    physics: bool


def render_html(
    graph: nx.Graph, path: Path, *, title: str, size_by: str = "degree"
) -> RenderSummary:
    """Write the page for ``graph`` to ``path`` and summarise it."""
    page = html_string(graph, title=title, size_by=size_by)
    data = page.encode("utf-8")
    write_atomically(Path(path), data)
    return RenderSummary(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        bytes=len(data),
        physics=uses_physics(graph),
    )


def network_data(graph: nx.Graph, *, size_by: str = "degree") -> dict:
    """What vis-network draws: nodes, edges and options (the web application serves it as JSON)."""
    placement = place(graph)
    physics = placement is None and uses_physics(graph)
    layout = placement.positions if placement else None if physics else _layout(graph)
    return {
        "physics": physics,
        "nodes": _node_data(graph, _sizes(graph, size_by), layout, _big_picture(graph), placement),
        "fixedLabels": bool(placement and placement.fixed_labels),
        "edges": _edge_data(graph),
        "options": _vis_options(graph, physics),
        "labelPx": {"edge": EDGE_LABEL_PX, "wrapEms": WRAP_EMS},
    }


def html_string(graph: nx.Graph, *, title: str, size_by: str = "degree") -> str:
    """Return the complete page; ``size_by`` is "degree" or "amount" (kroner)."""
    if graph.graph.get("layout") == "timeline":
        from .timeline import timeline_page

        return timeline_page(graph, title)
    payload = network_data(graph, size_by=size_by)
    matrix = pair_matrix_html(graph)
    return _page_template().substitute(
        title=html.escape(title),
        legend=legend_html(graph),
        panel=f'<aside id="panel">{matrix}</aside>' if matrix else "",
        layout_class="with-panel" if matrix else "",
        matrix_css=pair_matrix_css() if matrix else "",
        table=table_html(graph),
        vis_css=_vis_asset("vis-network.css"),
        vis_js=_vis_asset("vis-network.min.js"),
        pairs_js=pairs_script(),
        data=_script_json(payload),
    )


def danish_decimal(value: float) -> str:
    """A link score as planners write it: 0,87."""
    return f"{value:.2f}".replace(".", ",")


def style_of(attrs: dict) -> str:
    """The legend entry a node is drawn as: its ``style`` mark, else its kind."""
    style = attrs.get("style")
    return style if style in KIND_STYLES else _kind(attrs)


def _big_picture(graph: nx.Graph) -> bool:
    return graph.number_of_nodes() >= BIG_PICTURE_NODES


def uses_physics(graph: nx.Graph) -> bool:
    """Live physics only for graphs small enough to stabilise quickly in a browser."""
    return 0 < graph.number_of_nodes() <= PHYSICS_NODE_LIMIT


def _kind(attrs: dict) -> str:
    kind = attrs.get("kind")
    return kind if kind in KIND_STYLES else "Other"


def _collapse(text: object) -> str:
    return " ".join(str(text).split())


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(node: Hashable, attrs: dict) -> str:
    return _collapse(attrs.get("label") or node)


def _tooltip(node: Hashable, attrs: dict) -> str:
    """Plain text with one fact per line; vis-network shows string titles as text."""
    given = (attrs.get("details") or {}).items()
    details = {_collapse(k): _collapse(v) for k, v in given if v is not None and str(v).strip()}
    lines = [_label(node, attrs)]
    if "Type" not in details:
        lines.append(f"Type: {KIND_STYLES[_kind(attrs)].name}")
    lines += [f"{key}: {_shorten(value, DETAIL_CHARS)}" for key, value in details.items()]
    return "\n".join(lines)


def _sizes(graph: nx.Graph, size_by: str) -> dict[Hashable, float]:
    """Area grows with the measure (square root), so hubs and big budgets stand out.

    When every edge has a ``weight`` (e.g. shared initiatives between departments), the
    degree is the weighted degree: in a network where everyone is linked to everyone, the
    strength of the links is what tells the nodes apart.
    """
    if size_by == "degree":
        weighted = graph.number_of_edges() > 0 and all(
            _weight(attrs) > 0 for _, _, attrs in graph.edges(data=True)
        )
        degrees = graph.degree(weight="weight" if weighted else None)
        measure = {node: float(degree) for node, degree in degrees}
    elif size_by == "amount":
        measure = {node: _amount(attrs) for node, attrs in graph.nodes(data=True)}
    else:
        raise ValueError(f"size_by must be 'degree' or 'amount', not {size_by!r}")
    largest = max(measure.values(), default=0.0)
    return {
        node: BASE_SIZE + SIZE_RANGE * math.sqrt(value / largest) if value > 0 else MIN_SIZE
        for node, value in measure.items()
    }


def _amount(attrs: dict) -> float:
    """Kroner as a float; missing, negative or non-finite amounts count as none."""
    try:
        amount = float(attrs.get("amount") or 0)
    except (TypeError, ValueError):
        return 0.0
    return amount if math.isfinite(amount) and amount > 0 else 0.0


def _node_data(
    graph: nx.Graph,
    sizes: dict[Hashable, float],
    layout: dict[Hashable, tuple[float, float]] | None,
    big_picture: bool,
    placement: Placement | None = None,
) -> list[dict]:
    """vis-network nodes; with a layout they get fixed positions, else physics places them.

    A layout with fixed labels also fixes sizes and fonts (canvas units), because it
    checked the label boxes for collisions with exactly those.
    """
    fixed = placement if placement and placement.fixed_labels else None
    nodes = []
    for node, attrs in graph.nodes(data=True):
        label = _label(node, attrs)
        emphasis = attrs.get("emphasis")
        item = {
            "id": str(node),
            "label": canvas_label(node, attrs),
            "name": label,
            "title": _tooltip(node, attrs),
            "group": style_of(attrs),
            "size": round(sizes[node], 1),
        }
        if emphasis:
            item.update(_emphasis(emphasis, item["size"], bool(attrs.get("wrap"))))
        if attrs.get("wrap_at"):
            item["widthConstraint"] = {"maximum": attrs["wrap_at"]}
        if fixed:
            item["size"] = fixed.sizes[node]
            item["font"] = dict(item.get("font") or {}, size=fixed.fonts[node])
        elif not emphasis and big_picture:
            if _kind(attrs) in LANDMARK_KINDS:
                item["size"] = max(item["size"], LANDMARK_SIZE)
            item["font"] = {"size": _font_size(item["size"], _kind(attrs))}
        if layout is not None:
            x, y = layout[node]
            item.update(x=round(x, 1), y=round(y, 1))
        nodes.append(item)
    return nodes


def _emphasis(emphasis: str, size: float, wrap: bool) -> dict:
    """Size, colour and label marks; ``px`` is the label height the page keeps on screen."""
    marks: dict = {"emphasis": emphasis}
    if emphasis in LABEL_PX:
        marks["px"] = LABEL_PX[emphasis]
        marks["font"] = {"size": MIN_FONT, "strokeWidth": 4, "strokeColor": "#ffffff"}
    if emphasis == "center":
        marks.update(size=max(size, 36.0), color=CENTER_COLOR, borderWidth=5)
        marks["font"].update(color="#000000", bold=True)
    elif emphasis == "highlight":
        marks["size"] = max(size, 20.0)
    elif emphasis == "far":
        marks.update(color=FADED_COLOR, font={"size": MIN_FONT, "color": "#7b8794"})
    if wrap:
        marks["wrap"] = True
    return marks


def _font_size(size: float, kind: str) -> int:
    return max(MIN_FONT, round(size * 0.75), LANDMARK_FONT if kind in LANDMARK_KINDS else 0)


def _edge_data(graph: nx.Graph) -> list[dict]:
    """Edges with their property name as tooltip, and width from ``weight`` when given."""
    rows = list(graph.edges(data=True))
    weights = [_weight(attrs) for _, _, attrs in rows]
    heaviest = max(weights, default=0.0)
    draw_labels = len(rows) <= EDGE_LABEL_LIMIT
    edges = []
    for index, ((source, target, attrs), weight) in enumerate(zip(rows, weights, strict=True)):
        if attrs.get("towards") == source:
            source, target = target, source
        edge = {"id": f"e{index}", "from": str(source), "to": str(target)}
        name = _collapse(attrs.get("label") or "")
        if name:
            edge["title"] = name
            if draw_labels or "score" in attrs or "items" in attrs:
                edge["label"] = name
        if weight > 0:
            edge["width"] = round(1 + 9 * weight / heaviest, 2)
        if attrs.get("items"):
            edge["items"] = [_collapse(item) for item in attrs["items"]]
            edge["title"] = f"{name} fælles indsatser (klik for at se dem)"
        if "score" in attrs:
            edge["label"] = danish_decimal(attrs["score"])
            edge["title"] = f"{name} (score {edge['label']})"
        if attrs.get("towards"):
            edge["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.7}}
        if attrs.get("hidden"):
            edge["hidden"] = True
        edges.append(edge)
    return edges


def _weight(attrs: dict) -> float:
    try:
        weight = float(attrs.get("weight") or 0)
    except (TypeError, ValueError):
        return 0.0
    return weight if math.isfinite(weight) and weight > 0 else 0.0


def _vis_options(graph: nx.Graph, physics: bool) -> dict:
    large = graph.number_of_edges() > EDGE_LABEL_LIMIT
    kinds = {style_of(attrs) for _, attrs in graph.nodes(data=True)}
    return {
        "groups": {
            kind: {"shape": KIND_STYLES[kind].shape, "color": KIND_STYLES[kind].color}
            for kind in sorted(kinds)
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": MIN_FONT, "face": "sans-serif"},
            "scaling": {"label": {"drawThreshold": LABEL_DRAW_THRESHOLD, "maxVisible": 30}},
        },
        "edges": {
            "color": {
                "color": "rgba(140, 150, 160, 0.35)" if large else "#a0aab4",
                "highlight": "#34495e",
                "hover": "#34495e",
            },
            "arrows": {"to": {"enabled": graph.is_directed(), "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "smooth": False if large else {"type": "continuous"},
        },
        "physics": _physics_options(graph) if physics else {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
    }


def _physics_options(graph: nx.Graph) -> dict:
    """ForceAtlas2: hubs such as a department with a hundred initiatives keep their own
    neighbourhoods apart, where Barnes-Hut pulls everything into one ball. Small pictures
    get longer springs and full overlap avoidance, because their labels are all drawn."""
    iterations = min(
        MAX_STABILIZATION_ITERATIONS, STABILIZATION_NODE_ITERATIONS // graph.number_of_nodes()
    )
    if _big_picture(graph):
        forces = {"gravitationalConstant": -60, "centralGravity": 0.005, "springLength": 80}
        forces.update(springConstant=0.08, avoidOverlap=0.4)
    else:
        forces = {"gravitationalConstant": -150, "centralGravity": 0.01, "springLength": 150}
        forces.update(springConstant=0.05, avoidOverlap=1)
    return {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": forces,
        "minVelocity": 1,
        "stabilization": {
            "enabled": True,
            "iterations": iterations,
            "updateInterval": 25,
            "fit": True,
        },
    }


def _layout(graph: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Disc layout per connected component, components packed in rows.

    Only for graphs too big for live physics. It is linear in the size of the graph
    (5,000 nodes take milliseconds, where networkx' force layouts need numpy and still
    take seconds) and deterministic. Hubs sit in the middle of their component, which
    suits the mostly hierarchical plan graphs.
    """
    adjacency = _adjacency(graph)
    placed: dict[Hashable, tuple[float, float]] = {}
    components = []
    for root in sorted(adjacency, key=lambda node: -len(adjacency[node])):
        if root not in placed:
            positions = _radial(adjacency, root)
            placed.update(positions)
            components.append(positions)
    return _pack(components)


def _adjacency(graph: nx.Graph) -> dict[Hashable, dict[Hashable, None]]:
    """Undirected neighbours in insertion order (dicts, not sets, for determinism)."""
    adjacency: dict[Hashable, dict[Hashable, None]] = {node: {} for node in graph}
    for source, target in graph.edges():
        if source != target:
            adjacency[source][target] = None
            adjacency[target][source] = None
    return adjacency


def _radial(
    adjacency: dict[Hashable, dict[Hashable, None]], root: Hashable
) -> dict[Hashable, tuple[float, float]]:
    """Breadth-first levels around ``root`` filling a disc evenly from the centre out.

    Each level takes the next annulus of sunflower points, so the density is even and
    nodes stay visible when the whole graph is in view; within a level, nodes follow the
    angular order of their parents, so branches stay together.
    """
    positions: dict[Hashable, tuple[float, float]] = {}
    level, seen = [root], {root}
    while level:
        first = len(positions)
        points = sorted(
            (_sunflower(index) for index in range(first, first + len(level))),
            key=lambda point: math.atan2(point[1], point[0]),
        )
        positions.update(zip(level, points, strict=True))
        children = []
        for parent in level:
            for child in adjacency[parent]:
                if child not in seen:
                    seen.add(child)
                    children.append(child)
        level = children
    return positions


def _sunflower(index: int) -> tuple[float, float]:
    """The index-th point of Vogel's spiral: one point per NODE_SPACING squared of area."""
    radius = NODE_SPACING * math.sqrt(index / math.pi)
    angle = index * GOLDEN_ANGLE
    return radius * math.cos(angle), radius * math.sin(angle)


def _pack(
    components: Iterable[dict[Hashable, tuple[float, float]]],
) -> dict[Hashable, tuple[float, float]]:
    """Shelf packing of the components' bounding squares, largest first, in a square area."""
    boxes = sorted(
        ((2 * max(math.hypot(x, y) for x, y in c.values()) + NODE_SPACING, c) for c in components),
        key=lambda box: -box[0],
    )
    row_width = math.sqrt(sum(side * side for side, _ in boxes))
    placed: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for side, positions in boxes:
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centre_x, centre_y = x + side / 2, y + side / 2
        placed.update(
            {node: (centre_x + px, centre_y + py) for node, (px, py) in positions.items()}
        )
        x, row_height = x + side, max(row_height, side)
    return placed


def legend_html(graph: nx.Graph) -> str:
    """One entry per kind present, in the fixed order of KIND_STYLES, with its count."""
    counts: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        counts[style_of(attrs)] = counts.get(style_of(attrs), 0) + 1
    items = []
    for kind, style in KIND_STYLES.items():
        if kind in counts:
            items.append(
                f'<li data-kind="{kind}"><svg viewBox="0 0 16 16" width="16" height="16"'
                f' fill="{style.color}" aria-hidden="true">{SHAPE_SVG[style.shape]}</svg>'
                f"<span>{html.escape(style.name)}</span>"
                f'<span class="count">{counts[kind]}</span></li>'
            )
    return "\n".join(items)


def _script_json(payload: dict) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can appear."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _vis_asset(name: str) -> str:
    """The vis-network files that pyvis ships, so no CDN is ever needed."""
    return resources.files("pyvis").joinpath(*VIS_ASSETS, name).read_text(encoding="utf-8")


def scripts_folder() -> str:
    """The page scripts the written views and the web application share (package data)."""
    return str(resources.files("indsatsgraf.viz").joinpath("scripts"))


@cache
def pairs_script() -> str:
    return resources.files("indsatsgraf.viz").joinpath("scripts", "pairs.js").read_text("utf-8")


@cache
def _page_template() -> string.Template:
    return string.Template(_PAGE)


_PAGE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>$title</title>
<style>$vis_css</style>
<style>
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; }
header { display: flex; align-items: center; gap: 0.8em; padding: 0.4em 1em;
  border-bottom: 1px solid #d0d5da; background: #f7f8fa; height: 2.6em; box-sizing: border-box; }
header h1 { font-size: 1.1em; margin: 0; flex: 1; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
header input { width: 18em; font: inherit; padding: 0.2em 0.4em; }
header button { font: inherit; padding: 0.15em 0.6em; }
#search-status { min-width: 6em; color: #4a4a4a; font-size: 0.9em; }
main { position: absolute; top: 2.6em; bottom: 0; left: 0; right: 0; }
#mynetwork { position: absolute; top: 0; bottom: 0; left: 0; right: 0; background: #ffffff; }
main.with-panel #mynetwork { right: 26em; }
#panel { position: absolute; top: 0; bottom: 0; right: 0; width: 26em; overflow: auto;
  box-sizing: border-box; padding: 0.6em 1em; border-left: 1px solid #d0d5da; background: #fff; }
#panel h2 { font-size: 1em; margin: 0.2em 0 0.6em; }
#pair-matrix { border-collapse: collapse; font-size: 0.95em; }
#pair-matrix th, #pair-matrix td { border: 1px solid #e1e5ea; text-align: center;
  min-width: 2.4em; height: 2.1em; padding: 0; }
#pair-matrix button.pair { all: unset; cursor: pointer; display: block; width: 100%;
  height: 100%; line-height: 2.1em; font-weight: 600; }
#pair-matrix button.pair:focus-visible { outline: 3px solid #d35400; }
#pair-matrix td.self, #pair-matrix td.zero { color: #595959; }
$matrix_css
#pair-items ul { padding-left: 1.2em; margin: 0.3em 0; }
#pair-items h3 { font-size: 0.95em; margin: 0.8em 0 0.2em; }
.hint { color: #4a4a4a; font-size: 0.85em; }
#legend { position: absolute; top: 0.6em; left: 0.8em; z-index: 10; margin: 0;
  padding: 0.5em 0.8em; list-style: none; background: rgba(255, 255, 255, 0.92);
  border: 1px solid #d0d5da; border-radius: 4px; font-size: 0.85em; pointer-events: none; }
#legend li { display: flex; align-items: center; gap: 0.5em; margin: 0.15em 0; }
#legend .count { margin-left: auto; padding-left: 1em; color: #595959; }
#table { position: absolute; left: 0.8em; bottom: 0.6em; z-index: 11; max-width: 60em;
  max-height: 60vh; overflow: auto; background: #fff; border: 1px solid #d0d5da;
  border-radius: 4px; padding: 0.3em 0.8em; font-size: 0.85em; }
#table table { border-collapse: collapse; margin: 0.4em 0 0.8em; }
#table th, #table td { border-bottom: 1px solid #e1e5ea; padding: 0.15em 0.5em; text-align: left; }
#table caption { text-align: left; font-weight: 600; }
div.vis-tooltip { white-space: normal; max-width: 30em; overflow-wrap: anywhere;
  font-family: system-ui, sans-serif; font-size: 13px; line-height: 1.35; }
</style>
</head>
<body>
<header>
<h1>$title</h1>
<input id="search" type="search" list="search-labels" placeholder="Søg efter navn…"
  aria-label="Søg efter navn" autocomplete="off">
<datalist id="search-labels"></datalist>
<span id="search-status" role="status">Tegner…</span>
<button type="button" id="save-png" title="Gem billedet i trykopløsning (3×)">Gem PNG</button>
</header>
<main class="$layout_class">
<ul id="legend" aria-label="Signaturforklaring">
$legend
</ul>
<div id="mynetwork" role="img" aria-label="$title (se tabellen for de samme oplysninger)"></div>
$panel
<details id="table"><summary>Tabel med figurens indhold</summary>
$table
</details>
</main>
<script type="application/json" id="indsatsgraf-data">$data</script>
<script>$vis_js</script>
<script>$pairs_js</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("indsatsgraf-data").textContent);
  var status = document.getElementById("search-status");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(
    document.getElementById("mynetwork"), {nodes: nodes, edges: edges}, data.options
  );
  window.indsatsgrafNetwork = network;

  network.on("beforeDrawing", function (ctx) {
    var canvas = ctx.canvas;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
  });

  // Labels that must be read at first sight keep their on-screen size whatever the zoom
  // needed to fit the picture, and are pushed apart until none overlaps another.
  // A layout with fixed labels was checked for collisions in Python at canvas sizes,
  // so its labels scale with the picture and are left alone here.
  var readable = data.fixedLabels ? [] : data.nodes.filter(function (node) { return node.px; });
  function fitLabels() {
    var scale = network.getScale();
    nodes.update(readable.map(function (node) {
      var font = Object.assign({}, node.font, {size: node.px / scale});
      // An update without the colour would reset the node to its group's colour.
      var update = {id: node.id, font: font};
      if (node.color) { update.color = node.color; }
      if (node.wrap) {
        update.widthConstraint = {maximum: data.labelPx.wrapEms * node.px / scale};
      }
      return update;
    }));
    var edgeFont = {size: data.labelPx.edge / scale, strokeWidth: 5 / scale,
      strokeColor: "#ffffff", align: "middle"};
    edges.update(data.edges.filter(function (edge) { return edge.label; })
      .map(function (edge) { return {id: edge.id, font: edgeFont}; }));
    network.redraw();
  }
  function labelBox(id) {
    var size = network.body.nodes[id].labelModule.size;
    return {id: id, left: size.left, top: size.top, right: size.left + size.width,
      bottom: size.top + size.height};
  }
  function separateLabels() {
    if (readable.length > 300) { return false; }
    var gap = 4 / network.getScale();
    var boxes = readable.map(function (node) { return labelBox(node.id); });
    var moved = {};
    var found = false;
    for (var round = 0; round < 400; round++) {
      var clash = false;
      for (var i = 0; i < boxes.length; i++) {
        for (var j = i + 1; j < boxes.length; j++) {
          var a = boxes[i], b = boxes[j];
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
            clash = true;
            var down = a.bottom - b.top + gap, up = b.bottom - a.top + gap;
            var dy = (b.top + b.bottom >= a.top + a.bottom) ? down : -up;
            b.top += dy; b.bottom += dy;
            moved[b.id] = (moved[b.id] || 0) + dy;
          }
        }
      }
      if (!clash) { break; }
      found = true;
    }
    Object.keys(moved).forEach(function (id) {
      var at = network.getPosition(id);
      network.moveNode(id, at.x, at.y + moved[id]);
    });
    return found;
  }

  function markReady() {
    if (readable.length || data.edges.some(function (edge) { return edge.label; })) {
      fitLabels();
      // Label sizes are measured when drawn, so separate, draw and measure again until
      // no two labels overlap (a few passes; each pass fixes what the last one measured).
      var settle = function (pass) {
        if (pass > 0 && (!separateLabels() || pass > 8)) {
          ready();
          return;
        }
        network.once("afterDrawing", function () { settle(pass + 1); });
        network.redraw();
      };
      settle(0);
    } else {
      ready();
    }
  }
  function ready() {
    status.textContent = "";
    window.indsatsgrafReadyMs = performance.now();
    window.indsatsgrafReady = true;
  }

  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.fit();
      markReady();
    });
  } else if (data.fixedLabels) {
    network.once("afterDrawing", function () { fitWithLabels(); markReady(); });
    network.fit();
  } else {
    network.once("afterDrawing", markReady);
    network.fit();
  }

  // vis-network fits the nodes only; a fixed layout's outermost labels must fit too.
  function fitWithLabels() {
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    Object.values(network.body.nodes).forEach(function (node) {
      var box = node.shape.boundingBox;
      var label = node.labelModule.size;
      left = Math.min(left, box.left, label.width ? label.left : Infinity);
      right = Math.max(right, box.right, label.width ? label.left + label.width : -Infinity);
      top = Math.min(top, box.top);
      bottom = Math.max(bottom, box.bottom, label.height ? label.top + label.height : -Infinity);
    });
    var frame = network.canvas.frame.canvas;
    var margin = 12;
    var scale = Math.min((frame.clientWidth - 2 * margin) / (right - left),
      (frame.clientHeight - 2 * margin) / (bottom - top));
    network.moveTo({position: {x: (left + right) / 2, y: (top + bottom) / 2}, scale: scale});
    network.redraw();
  }

  document.getElementById("save-png").addEventListener("click", function () {
    // Print resolution: the canvas is redrawn at three device pixels per CSS pixel.
    var ratio = Object.getOwnPropertyDescriptor(window, "devicePixelRatio");
    Object.defineProperty(window, "devicePixelRatio", {value: 3, configurable: true});
    network.setSize("100%", "100%");
    network.redraw();
    var url = network.canvas.frame.canvas.toDataURL("image/png");
    if (ratio) { Object.defineProperty(window, "devicePixelRatio", ratio); }
    else { delete window.devicePixelRatio; }
    network.setSize("100%", "100%");
    network.redraw();
    var link = document.createElement("a");
    link.href = url;
    link.download = (document.title || "indsatsgraf").replace(/[^\\wæøåÆØÅ.-]+/g, "_") + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.indsatsgrafLastPng = url;
  });

  window.indsatsgrafListPairs(data, network);

  var items = data.nodes.map(function (node) {
    return {id: node.id, name: node.name, key: node.name.toLowerCase()};
  });
  var list = document.getElementById("search-labels");
  Array.from(new Set(items.map(function (item) { return item.name; }))).sort()
    .forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });

  function find(query) {
    var key = query.trim().toLowerCase();
    if (!key) { return []; }
    var hits = items.filter(function (item) { return item.key.indexOf(key) !== -1; });
    hits.sort(function (a, b) {
      return (b.key === key) - (a.key === key) || a.name.localeCompare(b.name, "da");
    });
    return hits.map(function (item) { return item.id; });
  }

  var input = document.getElementById("search");
  var matches = [];
  var current = 0;
  function show() {
    if (!matches.length) {
      network.unselectAll();
      status.textContent = input.value.trim() ? "Ingen træf" : "";
      return;
    }
    var id = matches[current];
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: {duration: 300}});
    status.textContent = (current + 1) + " af " + matches.length;
  }
  input.addEventListener("input", function () {
    matches = find(input.value);
    current = 0;
    show();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && matches.length) {
      event.preventDefault();
      current = (current + 1) % matches.length;
      show();
    }
  });
})();
</script>
</body>
</html>
"""
