"""Fixed layouts for the pictures whose shape carries meaning.

A department network reads best as a ring (every pair has room for its count), a focus
as rings of distance around the thing, and a lineage as a time axis. Physics cannot
promise any of that, and the SVG export needs the same positions as the page, so these
views are laid out here, in Python, once. Coordinates are vis-network canvas units.

A view asks for a layout by name in ``graph.graph["layout"]``; node attributes carry
what the layout needs (``ring`` for rings, ``years`` for the timeline).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["Axis", "Placement", "place"]

#: Canvas units per year on the timeline; wide enough for a wrapped plan title.
YEAR_WIDTH = 260.0
#: Vertical distance between two initiative chains on the timeline.
LANE_HEIGHT = 70.0
#: Minimum distance along a ring between two neighbouring nodes.
RING_SPACING = 150.0


@dataclass(frozen=True)
class Axis:
    """A labelled vertical line, e.g. a year on the timeline."""

    x: float
    label: str


@dataclass
class Placement:
    """Positions for every node, plus optional year lines, for the page and the SVG."""

    positions: dict[Hashable, tuple[float, float]]
    axes: list[Axis] = field(default_factory=list)


def place(graph: nx.Graph) -> Placement | None:
    """The layout ``graph`` asks for, or None when physics (or the disc layout) decides."""
    name = graph.graph.get("layout")
    if name == "circle":
        return Placement(_circle(graph))
    if name == "rings":
        return Placement(_rings(graph))
    if name == "timeline":
        return _timeline(graph)
    return None


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


def _rings(graph: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """The centre in the middle, each further ring on its own circle.

    Ring 1 is spread evenly; each outer node sits near the angle of the inner node it
    hangs on, so a branch stays together and its labels stay near their parent.
    """
    center = graph.graph.get("center")
    if center not in graph:
        return {}
    rings = nx.single_source_shortest_path_length(graph, center)
    positions: dict[Hashable, tuple[float, float]] = {center: (0.0, 0.0)}
    angles: dict[Hashable, float] = {center: 0.0}
    radius = 0.0
    outer = max(rings.values(), default=0)
    outermost = RING_SPACING * sum(r == outer for r in rings.values()) / (2 * math.pi)
    for ring in range(1, outer + 1):
        members = [n for n, r in rings.items() if r == ring]

        def parent_angle(node: Hashable, ring: int = ring) -> float:
            inner = [angles[m] for m in graph[node] if rings.get(m) == ring - 1]
            return min(inner) if inner else 0.0

        members.sort(key=lambda n: (parent_angle(n), str(n)))
        # Inner rings get room for their labels in proportion to the outermost ring.
        share = 0.5 * outermost * ring / outer if outer > 1 else 0.0
        radius = max(radius + 260.0, RING_SPACING * len(members) / (2 * math.pi), share)
        for index, node in enumerate(members):
            angle = -math.pi / 2 + 2 * math.pi * index / len(members)
            angles[node] = angle % (2 * math.pi)
            positions[node] = _polar(radius, angle)
    for node in graph:  # things the filters left without a path to the centre
        positions.setdefault(node, _polar(radius + 260.0, len(positions) * 0.7))
    return positions


def _timeline(graph: nx.Graph) -> Placement:
    """x = the year of the plan; plans along the top, each chain of initiatives a lane.

    A chain is a set of things linked as the same initiative across plans; its members
    sit on one horizontal lane, so reading left to right follows it through time.
    """
    years = {node: _first_year(graph, node) for node in graph}
    known = [y for y in years.values() if y is not None]
    first, last = (min(known), max(known)) if known else (0, 0)
    last = max(last, max((_last_year(graph, n) or 0) for n in graph))
    positions: dict[Hashable, tuple[float, float]] = {}
    plans = sorted(
        (n for n, kind in graph.nodes(data="kind") if kind == "Plan"),
        key=lambda n: (years[n] or 0, str(n)),
    )
    for index, plan in enumerate(plans):
        positions[plan] = (_x(years[plan], first), -LANE_HEIGHT * (1 + 1.6 * (index % 2)))
    rest = graph.subgraph(n for n in graph if n not in positions)
    chains = sorted(
        nx.connected_components(rest), key=lambda c: (min(years[n] or 0 for n in c), -len(c))
    )
    lane = 1
    for chain in chains:
        by_year: dict[int | None, int] = {}
        for node in sorted(chain, key=lambda n: (years[n] or 0, str(n))):
            offset = by_year.get(years[node], 0)
            by_year[years[node]] = offset + 1
            positions[node] = (_x(years[node], first), LANE_HEIGHT * (lane + offset))
        lane += max(by_year.values())
    axes = [Axis(_x(year, first), str(year)) for year in range(first, last + 1)] if known else []
    return Placement(positions, axes)


def _x(year: int | None, first: int) -> float:
    return YEAR_WIDTH * ((year if year is not None else first) - first)


def _first_year(graph: nx.Graph, node: Hashable) -> int | None:
    years = graph.nodes[node].get("years") or ()
    return years[0] if years else None


def _last_year(graph: nx.Graph, node: Hashable) -> int | None:
    years = graph.nodes[node].get("years") or ()
    return years[-1] if years else None
