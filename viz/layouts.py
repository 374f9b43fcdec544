"""Fixed layouts for the pictures whose shape carries meaning.

A department network reads best as a ring (every pair has room for its count), a focus
as rings of distance around the thing and the overview as one sector per plan around the
departments (the lineage's time axis is an SVG of its own, :mod:`.timeline`). Physics cannot promise any of that, and the SVG
export needs the same positions as the page, so these views are laid out here, in
Python, once. Coordinates are vis-network canvas units.

The overview and the focus rings also fix their node sizes and label fonts in canvas
units (``Placement.fixed_labels``): the layout then knows every label's box and moves
labels apart here, before the page is written, instead of in the browser. Whatever zoom
the page opens at, all of it scales together, so labels that do not overlap here do not
overlap on screen. Label widths are estimated from the font size (``TEXT_WIDTH_EM``, set
for the wide DejaVu Sans that Debian's browsers use), so the estimate errs on the wide
side.

A view asks for a layout by name in ``graph.graph["layout"]``; node attributes carry
what the layout needs (``ring`` for rings, ``plan`` for the overview, ``emphasis`` and the canvas label from :mod:`.styling`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from .styling import canvas_label

__all__ = ["Box", "Placement", "label_box", "overlaps", "place"]

#: Minimum distance along a ring between two neighbouring nodes.
RING_SPACING = 150.0
#: Label font (canvas units) by emphasis, in layouts with fixed labels; "far" labels are
#: below vis-network's draw threshold at the default zoom and appear when zoomed in.
LABEL_FONT = {"center": 20, "highlight": 16, "near": 15, "far": 5}
#: Node size (radius, canvas units) by emphasis in layouts with fixed labels.
NODE_SIZE = {"center": 22.0, "highlight": 11.0, "near": 9.0, "far": 5.0}
#: Width of one character in font sizes; DejaVu Sans averages about 0.55 (bold 0.62).
TEXT_WIDTH_EM = 0.62
#: vis-network draws a label this far below a node's edge.
LABEL_OFFSET = 3.0
#: Free space kept around every label box.
LABEL_GAP = 4.0
#: Room per faded node in a layout with fixed labels (they are drawn 10 units wide).
FAR_SPACING = 20.0
#: The picture is wider than high, like the screen it opens on.
ASPECT = 1.35
GOLDEN = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in canvas units."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass
class Placement:
    """Positions for every node, for the page and the SVG.

    With ``fixed_labels`` the sizes and fonts below are what the page draws, and the
    labels were checked for collisions here.
    """

    positions: dict[Hashable, tuple[float, float]]
    fixed_labels: bool = False
    sizes: dict[Hashable, float] = field(default_factory=dict)
    fonts: dict[Hashable, int] = field(default_factory=dict)


def place(graph: nx.Graph) -> Placement | None:
    """The layout ``graph`` asks for, or None when physics (or the disc layout) decides."""
    name = graph.graph.get("layout")
    if name == "circle":
        return Placement(_circle(graph))
    if name == "rings":
        return _rings(graph)
    if name == "sectors":
        return _sectors(graph)
    return None


def label_box(x: float, y: float, size: float, text: str, font: float, bold: bool = False) -> Box:
    """Where vis-network draws a label: centred under the node, ``font`` high per line."""
    width = (TEXT_WIDTH_EM + (0.08 if bold else 0.0)) * font * len(text)
    top = y + size + LABEL_OFFSET
    return Box(
        x - width / 2 - LABEL_GAP, top - LABEL_GAP, x + width / 2 + LABEL_GAP, top + 1.2 * font
    )


def overlaps(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _disc(x: float, y: float, size: float) -> Box:
    return Box(x - size, y - size, x + size, y + size)


def _circle(graph: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Nodes on one circle, the busiest at the top, so every pair's line is its own chord."""
    order = sorted(graph, key=lambda n: (-graph.degree(n, weight="weight"), str(n)))
    radius = max(220.0, RING_SPACING * len(order) / (2 * math.pi))
    return {
        node: _polar(radius, -math.pi / 2 + 2 * math.pi * index / max(1, len(order)))
        for index, node in enumerate(order)
    }


def _polar(radius: float, angle: float) -> tuple[float, float]:
    return radius * math.cos(angle), radius * math.sin(angle)


def _oval(radius: float, angle: float) -> tuple[float, float]:
    """A point on the screen-shaped ellipse of "radius" ``radius`` (its half height)."""
    return ASPECT * radius * math.cos(angle), radius * math.sin(angle)


class _Labels:
    """Fixed sizes and fonts, and the boxes already taken, while a layout places nodes."""

    def __init__(self, graph: nx.Graph) -> None:
        self.graph = graph
        self.positions: dict[Hashable, tuple[float, float]] = {}
        self.sizes = {n: NODE_SIZE.get(a.get("emphasis"), 5.0) for n, a in graph.nodes(data=True)}
        self.fonts = {n: LABEL_FONT.get(a.get("emphasis"), 5) for n, a in graph.nodes(data=True)}
        self.taken: list[Box] = []

    def labelled(self, node: Hashable) -> bool:
        return self.graph.nodes[node].get("emphasis") in ("center", "highlight", "near")

    def box(self, node: Hashable, x: float, y: float) -> Box:
        attrs = self.graph.nodes[node]
        text = canvas_label(node, attrs)
        bold = attrs.get("emphasis") == "center"
        return label_box(x, y, self.sizes[node], text, self.fonts[node], bold)

    def put(self, node: Hashable, x: float, y: float) -> None:
        """Place a node, moving it outward from the centre until its label is free."""
        if not self.labelled(node):
            self.positions[node] = (x, y)
            self.taken.append(_disc(x, y, self.sizes[node]))
            return
        step = 0
        while True:
            factor = 1 + 0.04 * step
            px, py = (x * factor, y * factor) if (x, y) != (0.0, 0.0) else (0.0, 12.0 * step)
            shapes = [self.box(node, px, py), _disc(px, py, self.sizes[node])]
            if step > 400 or not any(overlaps(s, t) for s in shapes for t in self.taken):
                break
            step += 1
        self.positions[node] = (px, py)
        self.taken.extend(shapes)

    def reach(self, nodes: Iterable[Hashable]) -> float:
        """The oval radius that encloses these nodes and their labels."""
        extent = 0.0
        for node in nodes:
            x, y = self.positions[node]
            box = self.box(node, x, y) if self.labelled(node) else _disc(x, y, self.sizes[node])
            for cx in (box.left, box.right):
                for cy in (box.top, box.bottom):
                    extent = max(extent, math.hypot(cx / ASPECT, cy))
        return extent

    def placement(self) -> Placement:
        return Placement(self.positions, fixed_labels=True, sizes=self.sizes, fonts=self.fonts)


def _fill_sector(
    labels: _Labels, nodes: list[Hashable], start: float, end: float, inner: float, outer: float
) -> None:
    """Spread ``nodes`` evenly over a sector of the oval annulus (a Fibonacci lattice:
    equal area per node, no two in a line), the first ones innermost."""
    for index, node in enumerate(nodes):
        share = (index + 0.5) / len(nodes)
        radius = math.sqrt(inner**2 + share * (outer**2 - inner**2))
        angle = start + (end - start) * ((0.5 + index * GOLDEN) % 1.0)
        labels.put(node, *_oval(radius, angle))


def _annulus_depth(count: int, inner: float, spacing: float) -> float:
    """How far out an oval annulus must reach to give ``count`` nodes ``spacing`` each."""
    return math.sqrt(inner**2 + count * spacing**2 / (math.pi * ASPECT)) - inner


def _sectors(graph: nx.Graph) -> Placement:
    """The overview: departments in the middle, the initiatives shared by several of them
    on a ring around the departments, and around that one sector per plan holding the
    plan's goals, initiatives, budget items and indicators, the plan named at its edge."""
    labels = _Labels(graph)
    kinds = dict(graph.nodes(data="kind"))
    departments = sorted((n for n in graph if kinds[n] == "Department"), key=str)
    shared = [n for n in graph if graph.nodes[n].get("style") == "SharedInitiative"]
    plans = sorted((n for n in graph if kinds[n] == "Plan"), key=str)
    for index, node in enumerate(departments):
        labels.put(node, *_oval(70.0, -math.pi / 2 + 2 * math.pi * index / len(departments)))
    # Each shared initiative sits at the mean angle of its departments, so it is near them.
    angle_of = {
        str(n): math.atan2(labels.positions[n][1], labels.positions[n][0]) for n in departments
    }
    codes = {str(n).rsplit("/", 1)[-1]: str(n) for n in departments}

    def mean_angle(node: Hashable) -> float:
        own = [
            angle_of[codes[c.lower()]]
            for c in graph.nodes[node].get("departments") or ()
            if c.lower() in codes
        ]
        return math.atan2(sum(map(math.sin, own)), sum(map(math.cos, own))) if own else 0.0

    shared.sort(key=lambda n: (mean_angle(n), str(n)))
    ring = labels.reach(departments) + 50.0
    for index, node in enumerate(shared):
        labels.put(node, *_oval(ring, -math.pi / 2 + 2 * math.pi * (index + 0.5) / len(shared)))
    inner = labels.reach([*departments, *shared]) + 20.0
    members: dict[Hashable, list[Hashable]] = defaultdict(list)
    rest = [n for n in graph if n not in labels.positions and n not in plans]
    for node in rest:
        plan = graph.nodes[node].get("plan")
        members[plan if plan in plans else None].append(node)
    groups = [p for p in plans if members[p]] + ([None] if members[None] else [])
    total = sum(len(members[p]) + 4 for p in groups) or 1
    outer = inner + _annulus_depth(len(rest), inner, FAR_SPACING)
    start = -math.pi / 2
    for group in groups:
        span = 2 * math.pi * (len(members[group]) + 4) / total
        order = sorted(members[group], key=lambda n: (kinds[n], str(n)))
        _fill_sector(labels, order, start + 0.03, start + span - 0.03, inner, outer)
        if group is not None:
            labels.put(group, *_oval(outer + 25.0, start + span / 2))
        start += span
    for index, plan in enumerate(p for p in plans if p not in labels.positions):
        labels.put(plan, *_oval(outer + 25.0, 2 * math.pi * index / len(plans)))
    return labels.placement()


def _rings(graph: nx.Graph) -> Placement:
    """The centre in the middle, its direct neighbours on a ring, everything further out
    gathered in the sector of the neighbour it hangs on, so each branch reads as a group.

    Each neighbour gets a sector in proportion to what hangs on it; its branch fills the
    sector's outer band, nearest rings innermost.
    """
    labels = _Labels(graph)
    center = graph.graph.get("center")
    if center not in graph:
        return labels.placement()
    rings = nx.single_source_shortest_path_length(graph, center)
    labels.put(center, 0.0, 0.0)
    first = sorted(
        (n for n, r in rings.items() if r == 1),
        key=lambda n: (str(graph.nodes[n].get("kind")), str(n)),
    )
    branch: dict[Hashable, list[Hashable]] = {n: [] for n in first}
    owner: dict[Hashable, Hashable] = {n: n for n in first}
    for node in sorted((n for n, r in rings.items() if r > 1), key=lambda n: (rings[n], str(n))):
        parents = sorted(
            (owner[m] for m in graph[node] if rings.get(m) == rings[node] - 1 and m in owner),
            key=first.index,
        )
        if parents:
            owner[node] = parents[0]
            branch[parents[0]].append(node)
    total = sum(1 + len(branch[n]) for n in first) or 1
    start, middles = -math.pi / 2, {}
    for node in first:
        span = 2 * math.pi * (1 + len(branch[node])) / total
        middles[node] = (start, start + span)
        start += span
    radius = 60.0 + 10.0 * len(first)
    for node in first:
        a, b = middles[node]
        labels.put(node, *_oval(radius, (a + b) / 2))
    inner = labels.reach([center, *first]) + 20.0
    outer = inner + _annulus_depth(sum(map(len, branch.values())), inner, FAR_SPACING)
    for node in first:
        if branch[node]:
            a, b = middles[node]
            gap = min(0.04, (b - a) / 6)
            _fill_sector(labels, branch[node], a + gap, b - gap, inner, outer)
    stray = [n for n in graph if n not in labels.positions]  # left without a path by filters
    for index, node in enumerate(stray):
        labels.put(node, *_oval(outer + 40.0, 2 * math.pi * index / len(stray)))
    return labels.placement()
