"""What each view wants the eye to find first, as plain node and edge attributes.

The views build graphs; this module marks in them what a planner's question is about,
and the renderer (page and SVG alike) turns the marks into size, colour and labels:

- ``emphasis``: "center" (the focused thing), "highlight" (named at first sight),
  "near" (labelled, normal), "far" (faded, named only when zoomed in);
- ``style``: a key of the renderer's KIND_STYLES that overrides the kind's look;
- ``short``: the label drawn on the canvas when the full name is too long;
- ``wrap_at``: the width (canvas units) at which the canvas label wraps;
- ``graph.graph["layout"]``: a fixed layout from :mod:`.layouts`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx

__all__ = [
    "SHARED_STYLE",
    "mark_departments",
    "mark_focus",
    "mark_lineage",
    "mark_overview",
    "canvas_label",
    "short_label",
]

#: The renderer's style for initiatives that involve several departments.
SHARED_STYLE = "SharedInitiative"
#: Characters of a highlighted label before it is shortened on the canvas.
SHORT_CHARS = 22
#: Long node labels are shortened on the canvas; the tooltip and search use the full label.
CANVAS_LABEL_CHARS = 40
#: Department names wrap at this width (canvas units), so neighbours on the ring keep
#: their names apart ("KFF · Kultur- og" over "Fritidsforvaltningen").
DEPARTMENT_WRAP = 170
CORRESPONDS_TO = "https://w3id.org/indsatsgraf/ontology#correspondsTo"


def short_label(attrs: Mapping) -> str:
    """The number where the thing has one (as planners cite it), else the shortened label."""
    details = attrs.get("details") or {}
    number = details.get("Nummer") or details.get("Kode")
    if number:
        return str(number)
    label = " ".join(str(attrs.get("label") or "").split())
    return label if len(label) <= SHORT_CHARS else label[: SHORT_CHARS - 1].rstrip() + "…"


def canvas_label(node: Hashable, attrs: Mapping) -> str:
    """The text drawn beside a node: its ``short`` mark, else its label (wrapped plan
    titles in full, others shortened)."""
    short = " ".join(str(attrs.get("short") or "").split())
    if short:
        return short
    label = " ".join(str(attrs.get("label") or node).split())
    if attrs.get("wrap") or len(label) <= CANVAS_LABEL_CHARS:
        return label
    return label[: CANVAS_LABEL_CHARS - 1].rstrip() + "…"


def mark_overview(graph: nx.Graph) -> nx.Graph:
    """Plans, departments and initiatives across departments are named at first sight;
    the rest are small and named only when zoomed in."""
    for _, attrs in graph.nodes(data=True):
        kind = attrs.get("kind")
        if kind == "Initiative" and len(attrs.get("departments") or ()) > 1:
            attrs.update(emphasis="highlight", style=SHARED_STYLE, short=short_label(attrs))
            attrs["weight"] = len(attrs["departments"])
        elif kind in ("Plan", "Department"):
            attrs.update(emphasis="highlight", short=short_label(attrs))
        else:
            attrs["emphasis"] = "far"
    graph.graph["layout"] = "sectors"
    return graph


def mark_departments(graph: nx.Graph) -> nx.Graph:
    """Departments on a ring, each named by its code and full name."""
    for _, attrs in graph.nodes(data=True):
        code = (attrs.get("details") or {}).get("Kode", "")
        attrs.update(emphasis="highlight", short=f"{code} · {attrs.get('label', '')}".strip(" ·"))
        attrs["wrap_at"] = DEPARTMENT_WRAP
    graph.graph["layout"] = "circle"
    return graph


def mark_focus(graph: nx.Graph, *, layout: str | None) -> nx.Graph:
    """The centre stands out, its direct neighbours keep their labels, the rest fade."""
    center = graph.graph.get("center")
    rings: Mapping[Hashable, int] = (
        nx.single_source_shortest_path_length(graph, center) if center in graph else {}
    )
    for node, attrs in graph.nodes(data=True):
        ring = rings.get(node)
        attrs["ring"] = ring
        attrs["emphasis"] = {0: "center", 1: "near"}.get(ring, "far")
        if ring == 0:
            attrs["short"] = short_label(attrs)
    if layout:
        graph.graph["layout"] = layout
    return graph


def mark_lineage(
    graph: nx.Graph,
    years: Mapping[Hashable, tuple[int, ...]],
    scores: Mapping[tuple[str, str], float],
    evidence: Mapping[tuple[str, str], str] | None = None,
) -> nx.Graph:
    """A time axis: every node at its plan's year, links pointing forward in time with
    their score, and the plan membership shown by position instead of a line."""
    for node, attrs in graph.nodes(data=True):
        attrs["years"] = years.get(node, ())
        is_plan = attrs.get("kind") == "Plan"
        attrs.update(emphasis="highlight" if is_plan else "near", wrap=is_plan)
    for a, b, attrs in graph.edges(data=True):
        if attrs.get("relation") != CORRESPONDS_TO:
            attrs["hidden"] = True
            continue
        earlier, later = sorted((a, b), key=lambda n: (years.get(n) or (0,), str(n)))
        attrs["towards"] = later
        score = scores.get((a, b), scores.get((b, a)))
        if score is not None:
            attrs["score"] = score
        why = (evidence or {}).get((a, b)) or (evidence or {}).get((b, a))
        if why:
            attrs["evidence"] = why
    graph.graph["layout"] = "timeline"
    return graph
