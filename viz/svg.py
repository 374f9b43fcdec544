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

__all__ = ["PNG_SCALE", "PRINT_DPI", "png_bytes", "svg_string", "with_dpi"]

#: Device pixels per SVG pixel in the PNG: print resolution for an A4 page width.
PNG_SCALE = 3
#: The resolution written into the PNG: at 300 dpi three pixels per SVG pixel print a
#: 1,240 px wide picture 10.5 cm wide, and a 2,000 px network about 17 cm (an A4 column).
PRINT_DPI = 300
MARGIN = 40.0
TITLE_HEIGHT = 36.0


def svg_string(graph: nx.Graph, *, title: str, size_by: str = "degree") -> str:
    """The picture as one SVG document, labelled as the page labels it at first sight."""
    if graph.graph.get("layout") == "timeline":
        from .timeline import timeline_svg

        return timeline_svg(graph, title)
    placement = place(graph)
    positions = placement.positions if placement else _layout(graph)
    fixed = placement is not None and placement.fixed_labels
    sizes = placement.sizes if fixed else _sizes(graph, size_by)
    if not positions:
        positions = {node: (0.0, 0.0) for node in graph}
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    # Labels of unfixed layouts keep their on-screen size relative to a 1400 px wide view.
    zoom = 1.0 if fixed else max(1.0, (max(xs) - min(xs)) / 1400)
    fonts = {
        node: placement.fonts[node] if fixed else LABEL_PX.get(attrs.get("emphasis"), 13) * zoom
        for node, attrs in graph.nodes(data=True)
    }
    pad = MARGIN + 160 * zoom
    left, top = min(xs) - pad, min(ys) - pad - TITLE_HEIGHT * zoom
    width, height = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad + TITLE_HEIGHT * zoom
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" role="img"'
        ' font-family="DejaVu Sans, sans-serif">',
        f"<title>{_esc(title)}</title>",
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#ffffff"/>',
        f'<text x="{left + MARGIN:.1f}" y="{top + MARGIN:.1f}" font-size="{20 * zoom:.1f}"'
        f' font-weight="bold">{_esc(title)}</text>',
    ]
    for axis in placement.axes if placement else ():
        out.append(
            f'<line x1="{axis.x}" y1="{min(ys) - 60}" x2="{axis.x}" y2="{max(ys) + 60}"'
            f' stroke="#d5dbe1"/><text x="{axis.x}" y="{min(ys) - 70}" text-anchor="middle"'
            f' font-size="{15 * zoom:.1f}">{_esc(axis.label)}</text>'
        )
    out.append(_edges(graph, positions, zoom))
    labels = []
    for node, attrs in graph.nodes(data=True):
        x, y = positions[node]
        out.append(_shape(attrs, x, y, sizes[node]))
        if _named(graph, attrs, fixed):
            font = fonts[node]
            bold = ' font-weight="bold"' if attrs.get("emphasis") == "center" else ""
            labels.append(
                f'<text x="{x:.1f}" y="{y + sizes[node] + 3 + font:.1f}" font-size="{font:.1f}"'
                f' text-anchor="middle"{bold} stroke="#ffffff" stroke-width="{font / 4:.1f}"'
                f' paint-order="stroke" fill="{_ink(attrs)}">{_esc(canvas_label(node, attrs))}</text>'
            )
    out.extend(labels)  # after every shape, so no node covers a label
    out.append("</svg>")
    return "\n".join(out)


def _named(graph: nx.Graph, attrs: dict, fixed: bool) -> bool:
    emphasis = attrs.get("emphasis")
    if emphasis:
        return emphasis in ("center", "highlight", "near")
    return graph.number_of_nodes() < 100 or attrs.get("kind") in ("Plan", "Department")


def _ink(attrs: dict) -> str:
    return "#000000" if attrs.get("emphasis") == "center" else "#222222"


def _edges(graph: nx.Graph, positions: dict[Hashable, tuple[float, float]], zoom: float) -> str:
    rows = [(a, b, d) for a, b, d in graph.edges(data=True) if not d.get("hidden")]
    heaviest = max((_weight(d) for _, _, d in rows), default=0.0)
    faint = len(rows) > 60
    parts = ['<g stroke="#a0aab4" fill="none"' + (' stroke-opacity="0.4">' if faint else ">")]
    texts = []
    for a, b, attrs in rows:
        (x1, y1), (x2, y2) = positions[a], positions[b]
        weight = _weight(attrs)
        stroke = 1 + 9 * weight / heaviest if weight and heaviest else 1
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke-width="{stroke:.1f}"/>'
        )
        text = f"{attrs['score']:.2f}".replace(".", ",") if "score" in attrs else ""
        if attrs.get("items"):
            text = str(len(attrs["items"]))
        if text:
            texts.append(
                f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 + 5 * zoom:.1f}"'
                f' font-size="{15 * zoom:.1f}" text-anchor="middle" stroke="#ffffff"'
                f' stroke-width="{4 * zoom:.1f}" paint-order="stroke">{text}</text>'
            )
    parts.append("</g>")
    return "\n".join(parts + texts)


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
