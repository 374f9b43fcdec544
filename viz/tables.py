"""The table beside every picture: the same facts for screen readers, search and print.

Each page carries its nodes (and, when few enough, its links) as an HTML table in a
``<details>`` element, and a network of pairs (departments and their shared initiatives)
also as a matrix whose cells are shaded by the count, so the heaviest pairs stand out
without hovering. All text is HTML-escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Hashable

import networkx as nx

__all__ = ["LINK_ROWS", "pair_matrix_html", "table_html"]

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


def pair_matrix_html(graph: nx.Graph) -> str:
    """A heat map of the pairs' counts, or "" when the edges carry no ``items``."""
    if not any(attrs.get("items") for _, _, attrs in graph.edges(data=True)):
        return ""
    order = sorted(graph, key=lambda n: (-graph.degree(n, weight="weight"), _name(graph, n)))
    codes = {n: (graph.nodes[n].get("details") or {}).get("Kode") or _name(graph, n) for n in order}
    heaviest = max((attrs.get("weight", 0) for _, _, attrs in graph.edges(data=True)), default=1)
    head = "".join(
        f'<th scope="col" title="{_text(_name(graph, n))}">{_text(codes[n])}</th>' for n in order
    )
    rows = []
    for a in order:
        cells = []
        for b in order:
            attrs = graph.get_edge_data(a, b) or {}
            count = int(attrs.get("weight", 0)) if a != b else None
            cells.append(_cell(count, heaviest, (a, codes[a]), (b, codes[b])))
        rows.append(
            f'<tr><th scope="row" title="{_text(_name(graph, a))}">{_text(codes[a])}</th>'
            + "".join(cells)
            + "</tr>"
        )
    return (
        '<h2 id="matrix-heading">Fælles indsatser pr. par</h2>'
        '<table id="pair-matrix" aria-describedby="matrix-heading">'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        '<p class="hint">Klik på et tal eller en linje for at se indsatserne.</p>'
        '<section id="pair-items" aria-live="polite"></section>'
    )


def _cell(
    count: int | None, heaviest: float, a: tuple[Hashable, str], b: tuple[Hashable, str]
) -> str:
    """One shaded count; its button carries the two node ids the page looks the pair up by."""
    if count is None:
        return '<td class="self">–</td>'
    if count == 0:
        return '<td class="zero">0</td>'
    share = count / heaviest
    light = round(95 - 62 * share)
    ink = _ink(210, 0.6, light / 100)
    return (
        f'<td style="background:hsl(210, 60%, {light}%)">'
        f'<button type="button" class="pair" style="color:{ink}" data-a="{_text(a[0])}"'
        f' data-b="{_text(b[0])}" aria-label="{count} fælles indsatser for {_text(a[1])}'
        f' og {_text(b[1])}">{count}</button></td>'
    )


def _ink(hue: float, saturation: float, lightness: float) -> str:
    """White or near-black, whichever contrasts more with the cell (WCAG luminance)."""
    import colorsys

    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, saturation)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    dark = linear(0x11 / 255)  # #111111: grey, so its luminance is one channel's
    return "#ffffff" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / (dark + 0.05)) else "#111111"
