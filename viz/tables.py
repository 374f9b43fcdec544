"""The table beside every picture: the same facts for screen readers, search and print.

Each page carries its nodes (and, when few enough, its links) as an HTML table in a
``<details>`` element, and a network of pairs (departments and their shared initiatives)
also as a matrix whose cells are shaded by the count, so the heaviest pairs stand out
without hovering. All text is HTML-escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "LINK_ROWS",
    "PairMatrix",
    "pair_matrix",
    "pair_matrix_css",
    "pair_matrix_html",
    "table_html",
]

#: Links are listed in the table only up to this many; the nodes table is always complete.
LINK_ROWS = 1000


def _text(value: object) -> str:
    return html.escape(" ".join(str(value).split()))


def _name(graph: nx.Graph, node: Hashable) -> str:
    return " ".join(str(graph.nodes[node].get("label") or node).split())


def table_html(graph: nx.Graph) -> str:
    """Nodes with their type, number, departments and links; then the links."""
    rows = []
    for node, attrs in sorted(graph.nodes(data=True), key=lambda item: _name(graph, item[0])):
        details = attrs.get("details") or {}
        rows.append(
            "<tr>"
            f"<td>{_text(_name(graph, node))}</td>"
            f"<td>{_text(details.get('Type', attrs.get('kind', '')))}</td>"
            f"<td>{_text(details.get('Nummer', details.get('Kode', '')))}</td>"
            f"<td>{_text(', '.join(attrs.get('departments') or ()))}</td>"
            f"<td>{_text(', '.join(str(y) for y in attrs.get('years') or ()))}</td>"
            f"<td>{graph.degree(node)}</td>"
            "</tr>"
        )
    parts = [
        '<table id="nodes-table"><caption>Knuder</caption><thead><tr>'
        '<th scope="col">Navn</th><th scope="col">Type</th><th scope="col">Nummer</th>'
        '<th scope="col">Forvaltninger</th><th scope="col">År</th>'
        '<th scope="col">Forbindelser</th></tr></thead><tbody>',
        "\n".join(rows),
        "</tbody></table>",
    ]
    shown = [(a, b, attrs) for a, b, attrs in graph.edges(data=True) if not attrs.get("hidden")]
    if 0 < len(shown) <= LINK_ROWS:
        parts.append(
            '<table id="links-table"><caption>Forbindelser</caption><thead><tr>'
            '<th scope="col">Fra</th><th scope="col">Til</th><th scope="col">Forbindelse</th>'
            "</tr></thead><tbody>"
        )
        for a, b, attrs in shown:
            if attrs.get("towards") == a:
                a, b = b, a
            parts.append(
                f"<tr><td>{_text(_name(graph, a))}</td><td>{_text(_name(graph, b))}</td>"
                f"<td>{_text(_link_text(attrs))}</td></tr>"
            )
        parts.append("</tbody></table>")
    return "\n".join(parts)


def _link_text(attrs: dict) -> str:
    if attrs.get("items"):
        return f"{len(attrs['items'])} fælles indsatser: " + "; ".join(attrs["items"])
    if "score" in attrs:
        return f"{attrs.get('label', '')} (score {attrs['score']:.2f})".replace(".", ",")
    return str(attrs.get("label") or "")


@dataclass(frozen=True)
class PairMatrix:
    """Every pair's count in one order: the one answer the viz page and the web page draw.

    ``order`` puts the busiest node first; ``counts`` has both (a, b) and (b, a).
    """

    order: list[Hashable]
    codes: dict[Hashable, str]
    names: dict[Hashable, str]
    counts: dict[tuple[Hashable, Hashable], int]
    heaviest: int

    def count(self, a: Hashable, b: Hashable) -> int | None:
        """The pair's count; None on the diagonal (a node with itself)."""
        return None if a == b else self.counts.get((a, b), 0)


def pair_matrix(graph: nx.Graph) -> PairMatrix | None:
    """The pairs' counts, or None when the edges carry no ``items`` (not a network of pairs)."""
    if not any(attrs.get("items") for _, _, attrs in graph.edges(data=True)):
        return None
    order = sorted(graph, key=lambda n: (-graph.degree(n, weight="weight"), _name(graph, n)))
    counts: dict[tuple[Hashable, Hashable], int] = {}
    for a, b, attrs in graph.edges(data=True):
        counts[a, b] = counts[b, a] = int(attrs.get("weight", 0))
    return PairMatrix(
        order=order,
        codes={
            n: (graph.nodes[n].get("details") or {}).get("Kode") or _name(graph, n) for n in order
        },
        names={n: _name(graph, n) for n in order},
        counts=counts,
        heaviest=max(counts.values(), default=1) or 1,
    )


#: The matrix is shaded in this many steps, as classes, so a page whose policy forbids
#: inline styles (the web application's) can shade it from its style sheet.
SHADES = 8


def shade(count: int, heaviest: int) -> int:
    """The step (1 to SHADES) a count is shaded in: the heaviest pair is the darkest."""
    return max(1, round(SHADES * count / heaviest))


#: Contrast for the counts against their cell: WCAG AA's 4.5 for normal-size text, and a
#: little more, as the browser rounds the colour to whole RGB values.
CONTRAST = 4.6
HUE, SATURATION = 210, 0.6


def _shading(step: int) -> tuple[int, str]:
    """The step's lightness (per cent) and ink. The lightness falls evenly with the step,
    but a mid-tone that neither ink can be read on is darkened until white can."""
    light = round(95 - 62 * step / SHADES)
    ink, ratio = _ink(HUE, SATURATION, light / 100)
    while ratio < CONTRAST:
        light -= 1
        ink, ratio = _ink(HUE, SATURATION, light / 100)
    return light, ink


def pair_matrix_css() -> str:
    """The shading rules; the viz page embeds them, the web's app.css carries them verbatim."""
    rules = []
    for step in range(1, SHADES + 1):
        light, ink = _shading(step)
        rules.append(
            f"#pair-matrix td.shade-{step} {{ background: hsl({HUE}, {SATURATION:.0%}, {light}%); }}\n"
            f"#pair-matrix td.shade-{step} button.pair {{ color: {ink}; }}"
        )
    return "\n".join(rules)


def pair_matrix_html(graph: nx.Graph) -> str:
    """A heat map of the pairs' counts with the list its buttons fill, or "" for other views."""
    matrix = pair_matrix(graph)
    if matrix is None:
        return ""
    head = "".join(
        f'<th scope="col" title="{_text(matrix.names[n])}">{_text(matrix.codes[n])}</th>'
        for n in matrix.order
    )
    rows = []
    for a in matrix.order:
        cells = "".join(_cell(matrix, a, b) for b in matrix.order)
        rows.append(
            f'<tr><th scope="row" title="{_text(matrix.names[a])}">{_text(matrix.codes[a])}</th>'
            f"{cells}</tr>"
        )
    return (
        '<h2 id="matrix-heading">Fælles indsatser pr. par</h2>'
        '<table id="pair-matrix" aria-describedby="matrix-heading">'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        '<p class="hint">Klik på et tal eller en linje for at se indsatserne.</p>'
        '<section id="pair-items" aria-live="polite"></section>'
    )


def _cell(matrix: PairMatrix, a: Hashable, b: Hashable) -> str:
    """One shaded count; its button carries the two node ids the page looks the pair up by."""
    count = matrix.count(a, b)
    if count is None:
        return '<td class="self">–</td>'
    if count == 0:
        return '<td class="zero">0</td>'
    return (
        f'<td class="shade-{shade(count, matrix.heaviest)}">'
        f'<button type="button" class="pair" data-a="{_text(a)}" data-b="{_text(b)}"'
        f' aria-label="{count} fælles indsatser for {_text(matrix.codes[a])}'
        f' og {_text(matrix.codes[b])}">{count}</button></td>'
    )


def _ink(hue: float, saturation: float, lightness: float) -> tuple[str, float]:
    """White or near-black, whichever contrasts more with the cell, and that contrast
    (WCAG luminance)."""
    import colorsys

    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, saturation)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    dark = linear(0x11 / 255)  # #111111: grey, so its luminance is one channel's
    white, black = 1.05 / (lum + 0.05), (lum + 0.05) / (dark + 0.05)
    return ("#ffffff", white) if white >= black else ("#111111", black)
