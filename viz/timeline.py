"""The lineage as a timeline: plans as bars on a year axis, each initiative's path across
plan generations as a lane, each link with its score.

Drawn as SVG in Python rather than on vis-network's canvas, because a timeline's
reading depends on text placed exactly: every label is given its own room here, from
estimated text widths (DejaVu Sans, rounded up), and checked against every other label
and score before the picture is written, so nothing overlaps at any zoom. The same SVG is
the page's picture (the ``viz`` page, the web application's lineage page and an
initiative's own lineage), the printable file and the source of the PNG.

Text is XML-escaped; each node and link carries a ``<title>`` (full name, plan, year;
score and evidence) for hovering, and :func:`timeline_table` carries the same facts as a
table for readers who do not see the picture.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import networkx as nx

from .render import CENTER_COLOR, KIND_STYLES, danish_decimal, style_of
from .text import Text, fit, overlap, text_width

__all__ = ["Timeline", "lay_out", "link_rows", "timeline_page", "timeline_svg", "timeline_table"]

WIDTH = 1240.0
LEFT, RIGHT = 34.0, 44.0
FONT = 13.0
PLAN_FONT = 13.0
SCORE_FONT = 12.0
TITLE_Y = 30.0
LEGEND_Y = 56.0
AXIS_Y = 92.0
PLAN_ROW = 30.0
#: Distance between two lanes: the node, its label below and the scores above the next.
LANE = 52.0
NODE_R = 8.0
#: How far an arc over a lane rises (a link that skips a plan generation).
ARC = 22.0
GAP = 8.0
PLAN_COLOR = KIND_STYLES["Plan"].color


@dataclass
class Timeline:
    """Everything the SVG draws, placed: axis, plan bars, nodes, links and their texts."""

    width: float
    height: float
    years: list[tuple[float, int]]
    plans: list[tuple[Hashable, float, float, float, Text]] = field(default_factory=list)
    nodes: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    labels: dict[Hashable, Text] = field(default_factory=dict)
    #: (earlier, later, score text, arc height: 0 for a straight line)
    links: list[tuple[Hashable, Hashable, Text | None, float]] = field(default_factory=list)


def _years(attrs: dict) -> tuple[int, ...]:
    return tuple(attrs.get("years") or ())


def _name(node: Hashable, attrs: dict) -> str:
    label = " ".join(str(attrs.get("label") or node).split())
    notation = str(attrs.get("notation") or "").strip()
    return f"{notation} {label}" if notation and not label.startswith(notation) else label


def lay_out(graph: nx.Graph, width: float = WIDTH) -> Timeline:
    """Place the timeline: a year axis, one row per plan, one lane per chain of links."""
    known = [y for _, attrs in graph.nodes(data=True) for y in _years(attrs)]
    first, last = (min(known), max(known)) if known else (0, 0)
    last = max(last, first + 1)
    step = (width - LEFT - RIGHT) / (last - first)

    def x_of(year: int) -> float:
        return LEFT + step * (year - first)

    kinds = dict(graph.nodes(data="kind"))
    plans = sorted(
        (n for n in graph if kinds[n] == "Plan"),
        key=lambda n: (_years(graph.nodes[n]) or (first,), str(n)),
    )
    drawing = Timeline(width, 0.0, [(x_of(y), y) for y in range(first, last + 1)])
    y = AXIS_Y + 22
    for plan in plans:
        span = _years(graph.nodes[plan]) or (first,)
        start, end = x_of(span[0]), x_of(span[-1])
        title = _name(plan, graph.nodes[plan])
        room_after = width - RIGHT / 2 - start
        if text_width(title, PLAN_FONT, True) <= room_after:
            text = Text(start, y + 21, title, "start", PLAN_FONT, True)
        else:  # end under the bar's end, or at the right margin, as far left as needed
            right = max(end, width - RIGHT / 2)
            text = Text(
                right, y + 21, fit(title, right - LEFT / 2, PLAN_FONT, True), "end", PLAN_FONT, True
            )
        drawing.plans.append((plan, start, max(end, start + 8), y, text))
        y += PLAN_ROW
    lane_y = y + 26
    rest = nx.Graph(
        (a, b)
        for a, b, attrs in graph.edges(data=True)
        if not attrs.get("hidden") and kinds[a] != "Plan" and kinds[b] != "Plan"
    )
    rest.add_nodes_from(n for n in graph if kinds[n] != "Plan")

    def year(node: Hashable) -> int:
        return (_years(graph.nodes[node]) or (first,))[0]

    chains = sorted(
        nx.connected_components(rest), key=lambda c: (min(map(year, c)), -len(c), min(map(str, c)))
    )
    rows: list[list[Hashable]] = []
    row_of: dict[Hashable, int] = {}
    for chain in chains:
        by_year: dict[int, int] = {}
        base = len(rows)
        for node in sorted(chain, key=lambda n: (year(n), str(n))):
            offset = by_year.get(year(node), 0)
            by_year[year(node)] = offset + 1
            while len(rows) <= base + offset:
                rows.append([])
            rows[base + offset].append(node)
            row_of[node] = base + offset
    links = []
    for a, b, attrs in graph.edges(data=True):
        if attrs.get("hidden") or a not in row_of or b not in row_of:
            continue
        earlier, later = (a, b) if attrs.get("towards") != a else (b, a)
        links.append((earlier, later, attrs))
    # A link that passes over another node of its lane is drawn as an arc above the lane,
    # so the lane gets room for the arc and its score.
    skips = {
        (a, b)
        for a, b, _ in links
        if row_of[a] == row_of[b]
        and any(min(year(a), year(b)) < year(n) < max(year(a), year(b)) for n in rows[row_of[a]])
    }
    arched = {row_of[a] for a, _ in skips}
    row_y, at = [], lane_y
    for index in range(len(rows)):
        at += ARC if index in arched else 0.0
        row_y.append(at)
        at += LANE
    for node, index in row_of.items():
        drawing.nodes[node] = (x_of(year(node)), row_y[index])
    for row in rows:
        _label_row(graph, drawing, row)
    taken = [t.box for t in drawing.labels.values()] + [p[4].box for p in drawing.plans]
    for earlier, later, attrs in links:
        bend = ARC if (earlier, later) in skips else 0.0
        score = _score_text(drawing, earlier, later, attrs, taken, bend)
        if score:
            taken.append(score.box)
        drawing.links.append((earlier, later, score, bend))
    drawing.height = at - LANE / 2 + 16 if rows else y + 20
    return drawing


def _label_row(graph: nx.Graph, drawing: Timeline, row: list[Hashable]) -> None:
    """Each label below its node, starting at the node and running right up to the next
    node, else ending at the node and running left, whichever gives the text room."""
    row = sorted(row, key=lambda n: drawing.nodes[n][0])
    used = LEFT / 2
    for index, node in enumerate(row):
        x, y = drawing.nodes[node]
        name = _name(node, graph.nodes[node])
        following = (
            drawing.nodes[row[index + 1]][0] - NODE_R - GAP if index + 1 < len(row) else None
        )
        right_room = (following if following is not None else drawing.width - RIGHT / 4) - (
            x - NODE_R
        )
        left_room = x + NODE_R - (used + GAP)
        width = text_width(name, FONT)
        baseline = y + NODE_R + 4 + FONT
        if width <= right_room or right_room >= left_room:
            text = Text(x - NODE_R, baseline, fit(name, right_room, FONT), "start", FONT)
        else:
            text = Text(x + NODE_R, baseline, fit(name, left_room, FONT), "end", FONT)
        drawing.labels[node] = text
        used = text.box[2]


def _score_text(
    drawing: Timeline, earlier: Hashable, later: Hashable, attrs: dict, taken: list, bend: float
) -> Text | None:
    """The link's score above its line (on top of its arc), slid along the line until it
    is clear of all text."""
    if "score" not in attrs:
        return None
    (x1, y1), (x2, y2) = drawing.nodes[earlier], drawing.nodes[later]
    label = danish_decimal(attrs["score"])
    if bend:
        return Text((x1 + x2) / 2, y1 - bend - 6, label, "middle", SCORE_FONT)
    for share in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        x, y = x1 + (x2 - x1) * share, y1 + (y2 - y1) * share - 6
        text = Text(x, y, label, "middle", SCORE_FONT)
        if not any(overlap(text.box, box) for box in taken):
            return text
    return Text(x1 + (x2 - x1) / 2, (y1 + y2) / 2 - 6, label, "middle", SCORE_FONT)


def timeline_svg(
    graph: nx.Graph,
    title: str,
    *,
    current: Hashable | None = None,
    href: Callable[[str], str | None] | None = None,
    width: float = WIDTH,
) -> str:
    """The timeline as one SVG document; ``current`` is drawn as the focus, ``href`` links
    each node to its page (the web application)."""
    drawing = lay_out(graph, width)
    h = drawing.height
    kinds = sorted({style_of(a) for _, a in graph.nodes(data=True)}, key=list(KIND_STYLES).index)
    role = "group" if href else "img"  # an image cannot hold links a keyboard can reach
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{h:.0f}"'
        f' viewBox="0 0 {width:.0f} {h:.0f}" role="{role}" aria-labelledby="timeline-title"'
        f' class="timeline" font-family="DejaVu Sans, sans-serif" font-size="{FONT:.0f}">',
        f'<title id="timeline-title">{_esc(title)}</title>',
        '<defs><marker id="timeline-arrow" viewBox="0 0 10 10" refX="9" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#6b7785"/></marker></defs>',
        f'<rect width="{width:.0f}" height="{h:.0f}" fill="#ffffff"/>',
        f'<text x="{LEFT / 2}" y="{TITLE_Y}" font-size="18" font-weight="bold"'
        f' class="timeline-title">{_esc(title)}</text>',
        _legend(kinds),
    ]
    for x, year in drawing.years:
        out.append(
            f'<line x1="{x:.1f}" y1="{AXIS_Y + 6}" x2="{x:.1f}" y2="{h - 8:.1f}" stroke="#e1e5ea"/>'
            f'<text x="{x:.1f}" y="{AXIS_Y}" text-anchor="middle" class="year"'
            f' fill="#333333">{year}</text>'
        )
    for plan, start, end, y, text in drawing.plans:
        out.append(
            f'<g class="plan" data-id="{_esc(str(plan))}" data-year="{drawing_year(graph, plan)}">'
            f"<title>{_esc(_tooltip(graph, plan))}</title>"
            f'<rect x="{start:.1f}" y="{y:.1f}" width="{end - start:.1f}" height="8" rx="3"'
            f' fill="{PLAN_COLOR}"/>{_text(text, "plan-label", fill=PLAN_COLOR)}</g>'
        )
    for earlier, later, score, bend in drawing.links:
        attrs = graph.edges[earlier, later]
        out.append(
            f'<g class="link"><title>{_esc(_link_tooltip(graph, earlier, later, attrs))}</title>'
            + _line(drawing.nodes[earlier], drawing.nodes[later], bend)
            + (_text(score, "score", fill="#1f3b73") if score else "")
            + "</g>"
        )
    for node, (x, y) in drawing.nodes.items():
        attrs = graph.nodes[node]
        focus = node == current
        link = href(str(node)) if href else None
        mark = _node_mark(attrs, x, y, focus)
        label = drawing.labels[node]
        body = f"<title>{_esc(_tooltip(graph, node))}</title>{mark}" + _text(
            label, "label", bold=focus
        )
        if link:
            body = f'<a href="{_esc(link)}">{body}</a>'
        out.append(f'<g class="node" data-id="{_esc(str(node))}">{body}</g>')
    out.append("</svg>")
    return "\n".join(out)


def _line(start: tuple[float, float], end: tuple[float, float], bend: float) -> str:
    """A straight arrow between two nodes, or an arc rising ``bend`` above their lane."""
    (x1, y1), (x2, y2) = start, end
    paint = ' fill="none" stroke="#6b7785" stroke-width="1.6" marker-end="url(#timeline-arrow)"'
    if bend:
        edge = NODE_R * 0.7
        return (
            f'<path d="M{x1 + edge:.1f},{y1 - edge:.1f} Q{(x1 + x2) / 2:.1f},{y1 - 2 * bend:.1f}'
            f' {x2 - edge:.1f},{y2 - edge - 1:.1f}"{paint}/>'
        )
    angle = math.atan2(y2 - y1, x2 - x1)
    dx, dy = NODE_R * math.cos(angle), NODE_R * math.sin(angle)
    return (
        f'<line x1="{x1 + dx:.1f}" y1="{y1 + dy:.1f}" x2="{x2 - dx - 2 * math.cos(angle):.1f}"'
        f' y2="{y2 - dy - 2 * math.sin(angle):.1f}"{paint}/>'
    )


def drawing_year(graph: nx.Graph, node: Hashable) -> str:
    years = _years(graph.nodes[node])
    return str(years[0]) if years else ""


def _text(text: Text, cls: str, *, fill: str = "#222222", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if text.bold or bold else ""
    return (
        f'<text x="{text.x:.1f}" y="{text.y:.1f}" text-anchor="{text.anchor}"'
        f' font-size="{text.font:.0f}"{weight} class="{cls}" fill="{fill}">{_esc(text.text)}</text>'
    )


def _node_mark(attrs: dict, x: float, y: float, focus: bool) -> str:
    style = KIND_STYLES[style_of(attrs)]
    fill = CENTER_COLOR["background"] if focus else style.color
    stroke, width = ("#111111", 3) if focus else ("#333333", 0.8)
    r = NODE_R + (3 if focus else 0)
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"'
    if style.shape == "star":
        points = [
            (
                x + (r if i % 2 == 0 else r * 0.45) * math.cos(-math.pi / 2 + i * math.pi / 5),
                y + (r if i % 2 == 0 else r * 0.45) * math.sin(-math.pi / 2 + i * math.pi / 5),
            )
            for i in range(10)
        ]
    elif style.shape in ("triangle", "triangleDown"):
        sign = 1 if style.shape == "triangle" else -1
        points = [
            (x, y - sign * r),
            (x + 0.95 * r, y + sign * 0.7 * r),
            (x - 0.95 * r, y + sign * 0.7 * r),
        ]
    else:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'
    return f'<polygon points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in points)}" {paint}/>'


def _legend(kinds: list[str]) -> str:
    parts, x = [], LEFT / 2
    for kind in ["Plan", *[k for k in kinds if k != "Plan"]]:
        style = KIND_STYLES[kind]
        if kind == "Plan":
            mark = f'<rect x="{x:.1f}" y="{LEGEND_Y - 9}" width="22" height="8" rx="3" fill="{PLAN_COLOR}"/>'
            x += 28
        else:
            mark = _node_mark({"kind": kind}, x + 8, LEGEND_Y - 5, False)
            x += 20
        parts.append(
            mark + f'<text x="{x:.1f}" y="{LEGEND_Y}" class="legend">{_esc(style.name)}</text>'
        )
        x += text_width(style.name, FONT) + 22
    parts.append(
        f'<line x1="{x:.1f}" y1="{LEGEND_Y - 5}" x2="{x + 30:.1f}" y2="{LEGEND_Y - 5}" stroke="#6b7785"'
        ' stroke-width="1.6" marker-end="url(#timeline-arrow)"/>'
        f'<text x="{x + 38:.1f}" y="{LEGEND_Y}" class="legend">samme indsats i en senere plan'
        " (score 0–1)</text>"
    )
    return "".join(parts)


def _tooltip(graph: nx.Graph, node: Hashable) -> str:
    attrs = graph.nodes[node]
    years = "–".join(str(y) for y in _years(attrs))
    plan = attrs.get("plan")
    plan_name = _name(plan, graph.nodes[plan]) if plan in graph else ""
    kind = KIND_STYLES[style_of(attrs)].name
    return "\n".join(
        x for x in (_name(node, attrs), f"{kind} · {years}".strip(" ·"), plan_name) if x
    )


def _link_tooltip(graph: nx.Graph, earlier: Hashable, later: Hashable, attrs: dict) -> str:
    parts = [f"{_name(earlier, graph.nodes[earlier])} → {_name(later, graph.nodes[later])}"]
    if "score" in attrs:
        parts.append(f"Score {danish_decimal(attrs['score'])}")
    if attrs.get("evidence"):
        parts.append(" ".join(str(attrs["evidence"]).split()))
    return "\n".join(parts)


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def link_rows(graph: nx.Graph) -> list[dict[str, str]]:
    """The links of the timeline, earliest first: from, to, years, score and evidence."""
    rows = []
    for a, b, attrs in graph.edges(data=True):
        if attrs.get("hidden"):
            continue
        earlier, later = (a, b) if attrs.get("towards") != a else (b, a)
        rows.append(
            {
                "from": str(earlier),
                "fromLabel": _name(earlier, graph.nodes[earlier]),
                "fromYear": drawing_year(graph, earlier),
                "to": str(later),
                "toLabel": _name(later, graph.nodes[later]),
                "toYear": drawing_year(graph, later),
                "score": danish_decimal(attrs["score"]) if "score" in attrs else "",
                "evidence": " ".join(str(attrs.get("evidence") or "").split()),
            }
        )
    rows.sort(key=lambda r: (r["fromYear"], r["fromLabel"], r["toYear"], r["toLabel"]))
    return rows


def timeline_table(graph: nx.Graph) -> str:
    """The links as an HTML table: the same facts as the picture, for screen readers."""
    cells = "".join(
        "<tr>"
        + "".join(
            f"<td>{_esc(r[k])}</td>"
            for k in ("fromYear", "fromLabel", "toYear", "toLabel", "score", "evidence")
        )
        + "</tr>"
        for r in link_rows(graph)
    )
    return (
        '<table id="lineage-table"><caption>Samme indsats på tværs af planer</caption><thead><tr>'
        '<th scope="col">År</th><th scope="col">Fra</th><th scope="col">År</th>'
        '<th scope="col">Til</th><th scope="col">Score</th><th scope="col">Begrundelse</th>'
        f"</tr></thead><tbody>{cells}</tbody></table>"
    )


def timeline_page(graph: nx.Graph, title: str) -> str:
    """The timeline with its table, offline and without script."""
    from .tables import table_html

    return f"""<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>{_esc(title)}</title>
<style>body {{ font-family: system-ui, sans-serif; margin: 1em; }} figure {{ margin: 0; }}
table {{ border-collapse: collapse; font-size: 0.9em; margin: 0.4em 0 1em; }}
th, td {{ border-bottom: 1px solid #e1e5ea; padding: 0.2em 0.5em; text-align: left; }}
caption {{ text-align: left; font-weight: 600; }} svg a:focus {{ outline: 2px solid #d35400; }}</style>
</head>
<body>
<main>
<h1>{_esc(title)}</h1>
<figure>{timeline_svg(graph, title)}</figure>
<details id="table"><summary>Tabel med figurens indhold</summary>
{timeline_table(graph)}
{table_html(graph)}
</details>
</main>
<script>window.indsatsgrafReady = true;</script>
</body>
</html>
"""
