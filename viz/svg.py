"""A network picture as SVG (and PNG from it) for a report or a council paper.

Written here, in Python, from the same layout the page uses: the fixed layouts of
:mod:`.layouts`, else the disc layout the page uses for big graphs (a physics layout
exists only in the browser, so small physics views are exported in the disc layout).
Nodes, lines and labels are SVG elements, so the figure stays sharp at any size, and
text is XML-escaped. PNG is drawn from the SVG by vl-convert at three times the size
(print resolution), without a browser.
"""

from __future__ import annotations

import html
import math
from collections.abc import Hashable

import networkx as nx

from .layouts import NODE_SIZE, place
from .render import (
    CENTER_COLOR,
    FADED_COLOR,
    KIND_STYLES,
    LABEL_PX,
    _layout,
    _sizes,
    _weight,
    style_of,
)
from .styling import canvas_label
from .text import Box, Text, overlap, text_width

__all__ = ["PNG_SCALE", "PRINT_DPI", "png_bytes", "svg_string", "with_dpi"]

#: Device pixels per SVG pixel in the PNG: print resolution for an A4 page width.
PNG_SCALE = 3
#: The resolution written into the PNG: at 300 dpi three pixels per SVG pixel print a
#: 1,240 px wide picture 10.5 cm wide, and a 2,000 px network about 17 cm (an A4 column).
PRINT_DPI = 300
MARGIN = 40.0
TITLE_HEIGHT = 36.0
#: Text on a ring of departments is this much larger than elsewhere: seven nodes on a
#: 800 px ring leave the room, and the picture is meant to be read on paper.
RING_TEXT = 1.3
#: The ring is drawn this much wider than on the page, where labels keep their screen
#: size whatever the zoom; on paper the counts need the room between the lines.
RING_SPREAD = 1.8
#: Small views in the disc layout are spread so their nodes stand this far apart at least
#: (the pairwise check is quadratic, so only up to SPREAD_NODES nodes).
NODE_GAP = 60.0
SPREAD_NODES = 150
#: How many lines further under or above its node a label may move to find free room.
LABEL_STEPS = 3


def svg_string(graph: nx.Graph, *, title: str, size_by: str = "degree") -> str:
    """The picture as one SVG document, labelled as the page labels it at first sight.

    Every text is placed before anything is drawn: node labels under their node (on a
    ring, outside it), then each line's count or score at the first point along the line
    where it touches no node, label or other count; the picture is as large as its texts.
    """
    if graph.graph.get("layout") == "timeline":
        from .timeline import timeline_svg

        return timeline_svg(graph, title)
    placement = place(graph)
    positions = placement.positions if placement else _layout(graph)
    fixed = placement is not None and placement.fixed_labels
    sizes = dict(placement.sizes if fixed else _sizes(graph, size_by))
    if not positions:
        positions = {node: (0.0, 0.0) for node in graph}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("emphasis") == "center":
            sizes[node] = max(sizes[node], NODE_SIZE["center"])
    xs = [x for x, _ in positions.values()] or [0.0]
    # Labels of unfixed layouts keep their on-screen size relative to a 1400 px wide view.
    zoom = 1.0 if fixed else max(1.0, (max(xs) - min(xs)) / 1400)
    ring = graph.graph.get("layout") == "circle"
    if ring:  # a few big nodes on a wider ring than the page's, with larger text, for paper
        positions = {n: (x * RING_SPREAD, y * RING_SPREAD) for n, (x, y) in positions.items()}
        zoom *= RING_TEXT
    elif not fixed and graph.number_of_nodes() <= SPREAD_NODES:
        positions = _spread(positions, sizes, NODE_GAP * zoom)
    squares = {n: _square(*positions[n], sizes[n]) for n in graph}
    shapes: list[Box] = list(squares.values())
    labels: dict[Hashable, Text] = {}
    # The centre and the biggest nodes choose first; each label takes the first spot
    # around its node that touches no node and no label already placed.
    for node in sorted(
        graph, key=lambda n: (graph.nodes[n].get("emphasis") != "center", -sizes[n])
    ):
        attrs = graph.nodes[node]
        if _named(graph, attrs, fixed):
            font = (
                placement.fonts[node] if fixed else LABEL_PX.get(attrs.get("emphasis"), 13) * zoom
            )
            others = [_grow(box, 3 * zoom) for n, box in squares.items() if n != node]
            spots = _label_spots(
                canvas_label(node, attrs),
                *positions[node],
                sizes[node],
                font,
                ring,
                attrs.get("emphasis") == "center",
            )
            labels[node] = _free_spot(
                spots, [squares[node], *others, *(t.box for t in labels.values())]
            )
    taken = [_grow(box, 3 * zoom) for box in shapes] + [t.box for t in labels.values()]
    lines, counts = _edges(graph, positions, zoom, taken)
    boxes = shapes + [t.box for t in labels.values()] + [t.box for _, t in counts]
    left = min(b[0] for b in boxes) - MARGIN
    right = max(b[2] for b in boxes) + MARGIN
    top = min(b[1] for b in boxes) - MARGIN - TITLE_HEIGHT * zoom
    bottom = max(b[3] for b in boxes) + MARGIN
    width = max(right - left, text_width(title, 20 * zoom, True) + 2 * MARGIN)
    height = bottom - top
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" role="img"'
        ' font-family="DejaVu Sans, sans-serif">',
        f"<title>{_esc(title)}</title>",
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#ffffff"/>',
        f'<text x="{left + MARGIN / 2:.1f}" y="{top + MARGIN:.1f}" font-size="{20 * zoom:.1f}"'
        f' font-weight="bold" class="title">{_esc(title)}</text>',
        lines,
    ]
    for node, attrs in graph.nodes(data=True):
        out.append(_shape(attrs, *positions[node], sizes[node]))
    for node, text in labels.items():  # after every shape, so no node covers a label
        attrs = graph.nodes[node]
        out.append(_svg_text(text, "label", _ink(attrs)))
    for _, text in counts:
        out.append(_svg_text(text, "count", "#111111"))
    out.append("</svg>")
    return "\n".join(out)


def _label(text: str, x: float, y: float, size: float, font: float, ring: bool, bold: bool) -> Text:
    """Under the node; on a ring, outward: right of the nodes on the right, left of those
    on the left, above the top node and below the bottom one."""
    if ring and abs(x) > 0.3 * abs(y) + size:
        return (
            Text(x + size + 8, y + 0.35 * font, text, "start", font, bold)
            if x > 0
            else Text(x - size - 8, y + 0.35 * font, text, "end", font, bold)
        )
    if ring and y < 0:
        return Text(x, y - size - 8, text, "middle", font, bold)
    return Text(x, y + size + 3 + font, text, "middle", font, bold)


def _label_spots(
    text: str, x: float, y: float, size: float, font: float, ring: bool, bold: bool
) -> list[Text]:
    """Where a label may go, best first: its usual place (:func:`_label`), then under,
    above, right and left of its node, then further under and above, a line at a time."""
    spots = [
        _label(text, x, y, size, font, ring, bold),
        Text(x, y + size + 3 + font, text, "middle", font, bold),
        Text(x, y - size - 3 - 0.25 * font, text, "middle", font, bold),
        Text(x + size + 6, y + 0.35 * font, text, "start", font, bold),
        Text(x - size - 6, y + 0.35 * font, text, "end", font, bold),
    ]
    for step in range(1, LABEL_STEPS + 1):
        shift = step * 1.25 * font
        spots.append(Text(x, y + size + 3 + font + shift, text, "middle", font, bold))
        spots.append(Text(x, y - size - 3 - 0.25 * font - shift, text, "middle", font, bold))
    return spots


def _free_spot(spots: list[Text], taken: list[Box]) -> Text:
    """The first spot whose box touches nothing taken; else the one touching least."""
    for spot in spots:
        if not any(overlap(spot.box, box) for box in taken):
            return spot
    return min(spots, key=lambda spot: sum(overlap(spot.box, box) for box in taken))


def _spread(
    positions: dict[Hashable, tuple[float, float]], sizes: dict[Hashable, float], gap: float
) -> dict[Hashable, tuple[float, float]]:
    """The layout scaled up until no two nodes are closer than their sizes and ``gap``:
    the disc layout packs a small view tighter than its nodes are drawn in the picture."""
    factor = 1.0
    nodes = list(positions)
    for i, a in enumerate(nodes):
        (ax, ay) = positions[a]
        for b in nodes[i + 1 :]:
            distance = math.dist((ax, ay), positions[b])
            if distance > 0:
                factor = max(factor, (sizes[a] + sizes[b] + gap) / distance)
    return {n: (x * factor, y * factor) for n, (x, y) in positions.items()}


def _square(x: float, y: float, size: float) -> Box:
    return (x - size, y - size, x + size, y + size)


def _grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _svg_text(text: Text, cls: str, fill: str) -> str:
    bold = ' font-weight="bold"' if text.bold else ""
    return (
        f'<text x="{text.x:.1f}" y="{text.y:.1f}" font-size="{text.font:.1f}"'
        f' text-anchor="{text.anchor}"{bold} stroke="#ffffff" stroke-width="{text.font / 4:.1f}"'
        f' paint-order="stroke" fill="{fill}" class="{cls}">{_esc(text.text)}</text>'
    )


def _named(graph: nx.Graph, attrs: dict, fixed: bool) -> bool:
    emphasis = attrs.get("emphasis")
    if emphasis:
        return emphasis in ("center", "highlight", "near")
    return graph.number_of_nodes() < 100 or attrs.get("kind") in ("Plan", "Department")


def _ink(attrs: dict) -> str:
    return "#000000" if attrs.get("emphasis") == "center" else "#222222"


#: Where along a line its count is tried, from the middle outward.
ALONG = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8)


def _edges(
    graph: nx.Graph, positions: dict[Hashable, tuple[float, float]], zoom: float, taken: list[Box]
) -> tuple[str, list[tuple[tuple[Hashable, Hashable], Text]]]:
    """The lines, and each line's count (shared initiatives) or score placed on it where
    it touches nothing already placed (``taken`` grows with every count)."""
    rows = [(a, b, d) for a, b, d in graph.edges(data=True) if not d.get("hidden")]
    heaviest = max((_weight(d) for _, _, d in rows), default=0.0)
    faint = len(rows) > 60
    parts = ['<g stroke="#a0aab4" fill="none"' + (' stroke-opacity="0.4">' if faint else ">")]
    counts = []
    # The heaviest lines choose first: their counts matter most.
    for a, b, attrs in sorted(rows, key=lambda r: -_weight(r[2])):
        (x1, y1), (x2, y2) = positions[a], positions[b]
        weight = _weight(attrs)
        stroke = 1 + 9 * weight / heaviest if weight and heaviest else 1
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke-width="{stroke:.1f}"/>'
        )
        text = f"{attrs['score']:.2f}".replace(".", ",") if "score" in attrs else ""
        if attrs.get("items"):
            text = str(len(attrs["items"]))
        if not text:
            continue
        tries = [
            Text(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t + 5 * zoom, text, "middle", 15 * zoom, True)
            for t in ALONG
        ]
        chosen = min(tries, key=lambda c: sum(overlap(_grow(c.box, 2), box) for box in taken))
        taken.append(_grow(chosen.box, 2))
        counts.append(((a, b), chosen))
    parts.append("</g>")
    return "\n".join(parts), counts


def _shape(attrs: dict, x: float, y: float, size: float) -> str:
    """The kind's shape and colour (the focus yellow, the faded grey) at its size."""
    emphasis = attrs.get("emphasis")
    style = KIND_STYLES[style_of(attrs)]
    fill, stroke, width = style.color, "#333333", 0.8
    if emphasis == "center":
        fill, stroke, width = CENTER_COLOR["background"], CENTER_COLOR["border"], 4
    elif emphasis == "far":
        fill, stroke = FADED_COLOR["background"], FADED_COLOR["border"]
    if emphasis == "center":
        size = max(size, NODE_SIZE["center"])
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"'
    r = size
    if style.shape == "dot":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'
    if style.shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {paint}/>'
    corners = {
        "diamond": [(0, -1), (1, 0), (0, 1), (-1, 0)],
        "triangle": [(0, -1), (0.9, 0.6), (-0.9, 0.6)],
        "triangleDown": [(0, 1), (0.9, -0.6), (-0.9, -0.6)],
        "hexagon": [(math.cos(a * math.pi / 3), math.sin(a * math.pi / 3)) for a in range(6)],
        "star": [
            (
                (1 if i % 2 == 0 else 0.45) * math.cos(-math.pi / 2 + i * math.pi / 5),
                (1 if i % 2 == 0 else 0.45) * math.sin(-math.pi / 2 + i * math.pi / 5),
            )
            for i in range(10)
        ],
    }[style.shape]
    points = " ".join(f"{x + r * cx:.1f},{y + r * cy:.1f}" for cx, cy in corners)
    return f'<polygon points="{points}" {paint}/>'


def _esc(text: str) -> str:
    return html.escape(" ".join(str(text).split()), quote=True)


def png_bytes(svg: str, scale: int = PNG_SCALE) -> bytes:
    """The SVG drawn as PNG at ``scale`` pixels per SVG pixel (vl-convert, offline),
    marked as PRINT_DPI so a word processor places it at its intended size."""
    import vl_convert

    return with_dpi(vl_convert.svg_to_png(svg, scale=scale), PRINT_DPI)


def with_dpi(png: bytes, dpi: int) -> bytes:
    """``png`` with a pHYs chunk saying ``dpi`` (replacing any), right after the header."""
    import struct
    import zlib

    header_end = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    rest, at = bytearray(), header_end
    while at < len(png):
        length = struct.unpack(">I", png[at : at + 4])[0]
        end = at + 12 + length
        if png[at + 4 : at + 8] != b"pHYs":
            rest += png[at:end]
        at = end
    return png[:header_end] + chunk + bytes(rest)
