"""Graph analytics over the network views: who is central, who bridges, how things connect.

Every analysis takes the store and a :class:`~.network.ViewSpec` (default: the overview),
so it measures exactly the picture a planner sees with ``indsatsgraf viz`` and the same
filters. Results are :class:`~..graph.sparql.QueryResult` tables, so the command line
prints them in every format a query has (table, JSON, CSV, TSV, Markdown).

Only pure-Python networkx algorithms are used (betweenness, Louvain, shortest paths):
numpy and scipy are not dependencies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO

import networkx as nx
import pyoxigraph as ox

from ..files import atomic_output, check_target
from ..graph.sparql import QueryResult, Value
from ..safetext import without_controls
from .network import (
    Facts,
    ViewError,
    ViewSpec,
    apply_filters,
    build_view,
    describe,
    relations,
    resolve,
    with_thing,
)

__all__ = [
    "BRIDGE_KINDS",
    "EXPORT_FORMATS",
    "bridges",
    "centrality",
    "communities",
    "export",
    "flatten",
    "shortest_path",
]

#: The things a department collaboration runs through: initiatives, priorities, departments.
BRIDGE_KINDS = ("Initiative", "Priority", "Department")
EXPORT_FORMATS = ("graphml", "gexf")
#: Louvain is randomised; a fixed seed gives the same communities on every run.
LOUVAIN_SEED = 1
ROUND = 4
DESCRIPTION = ("kind", "notation", "label", "plan", "departments")
CENTRALITY_COLUMNS = [*DESCRIPTION, "degree", "weighted_degree", "degree_centrality"]
CENTRALITY_COLUMNS += ["betweenness", "iri"]
BRIDGE_COLUMNS = ["role", "rank", *DESCRIPTION, "ties", "betweenness", "iri"]


def centrality(store: ox.Store, spec: ViewSpec, *, top: int = 10) -> QueryResult:
    """Degree and betweenness centrality of the initiatives and departments of a view.

    The departments view has only departments; other views list the ``top`` initiatives
    (and priorities) and every department, most between first.
    """
    graph = build_view(store, spec).graph
    degree = nx.degree_centrality(graph)
    between = nx.betweenness_centrality(graph)
    rows: list[dict[str, Value]] = []
    for kinds, limit in ((("Department",), None), (("Initiative", "Priority"), top)):
        ranked = _ranked(graph, kinds, between, degree)[:limit]
        rows += [
            {
                **_describe(graph, node),
                "degree": graph.degree(node),
                "weighted_degree": _strength(graph, node),
                "degree_centrality": round(degree[node], ROUND),
                "betweenness": round(between[node], ROUND),
            }
            for node in ranked
        ]
    return _table(rows, CENTRALITY_COLUMNS)


def communities(store: ox.Store, spec: ViewSpec, *, members: int = 5) -> QueryResult:
    """Louvain communities of a view (weighted by ``weight`` where the view has one).

    Each row is one community: its size, the departments in it and its best-connected
    members, so a planner can name what holds the group together. Things without any
    link in the view form no community and are left out.
    """
    graph = build_view(store, spec).graph
    graph = graph.subgraph(n for n in graph if graph.degree(n) > 0)
    found = nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED)
    found = sorted(found, key=lambda c: (-len(c), min(c)))
    rows: list[dict[str, Value]] = []
    for number, community in enumerate(found, 1):
        inside = graph.subgraph(community)
        hubs = sorted(community, key=lambda n: (-inside.degree(n), _name(graph, n)))
        departments = sorted(
            graph.nodes[n]["notation"] for n in community if graph.nodes[n]["kind"] == "Department"
        )
        rows.append(
            {
                "community": number,
                "size": len(community),
                "departments": ", ".join(departments),
                "members": "; ".join(_shorten(_name(graph, n)) for n in hubs[:members]),
            }
        )
    return _table(rows, ["community", "size", "departments", "members"])


def bridges(store: ox.Store, spec: ViewSpec, *, top: int = 10) -> QueryResult:
    """The departments and initiatives that bridge departments the most.

    Measured on the overview cut down to initiatives, priorities and departments (the
    plan and department filters of ``spec`` apply): a department's betweenness says how
    much collaboration runs through it; an initiative bridges when it ties two or more
    departments together, ranked by its betweenness and then by how many it ties.
    """
    view = replace(spec, view="overview", classes=BRIDGE_KINDS)
    graph = build_view(store, view).graph
    between = nx.betweenness_centrality(graph)
    degree = nx.degree_centrality(graph)
    departments = _ranked(graph, ("Department",), between, degree)
    tying = [
        node
        for node in _ranked(graph, ("Initiative", "Priority"), between, degree)
        if sum(graph.nodes[m]["kind"] == "Department" for m in graph[node]) >= 2
    ]
    rows: list[dict[str, Value]] = []
    for role, ranked in (("department", departments), ("initiative", tying[:top])):
        for rank, node in enumerate(ranked, 1):
            tied = sorted(
                graph.nodes[m]["notation"] or _name(graph, m)
                for m in graph[node]
                if graph.nodes[m]["kind"] == "Department"
            )
            rows.append(
                {
                    "role": role,
                    "rank": rank,
                    **_describe(graph, node),
                    "ties": len(tied) if role == "initiative" else graph.degree(node),
                    "betweenness": round(between[node], ROUND),
                }
            )
    return _table(rows, BRIDGE_COLUMNS)


def shortest_path(store: ox.Store, source: str, target: str, spec: ViewSpec) -> QueryResult:
    """The shortest chain of relations between two things (code, number, IRI or label).

    Searched in the graph of every relation between things, cut by the filters of
    ``spec`` (e.g. ``--class`` to avoid going through departments). Each row is one step
    with the relation that leads to the next.
    """

    facts = Facts(store)
    start, end = resolve(store, facts, source), resolve(store, facts, target)
    around = relations(store, facts)
    for node in (start, end):
        around = describe(with_thing(store, facts, around, node), facts)
    graph = apply_filters(
        around,
        facts,
        plans=spec.plans,
        departments=spec.departments,
        classes=spec.classes,
    )
    for node, name in ((start, source), (end, target)):
        if node not in graph:
            raise ViewError(f"{name!r} is not in the graph with these filters")
    try:
        path = nx.shortest_path(graph, start, end)
    except nx.NetworkXNoPath:
        raise ViewError(f"no chain of relations links {source!r} and {target!r}") from None
    rows: list[dict[str, Value]] = []
    for step, node in enumerate(path):
        following = path[step + 1] if step + 1 < len(path) else None
        relation = graph.edges[node, following]["label"] if following else ""
        rows.append({"step": step, **_describe(graph, node), "relation": relation})
    return _table(rows, ["step", "kind", "notation", "label", "plan", "relation", "iri"])


def export(store: ox.Store, spec: ViewSpec, fmt: str, path: Path) -> tuple[int, int]:
    """Write a view as GraphML or GEXF (for Gephi and Cytoscape); return nodes and edges."""
    writers: dict[str, Callable[[nx.Graph, IO[bytes]], None]] = {
        "graphml": nx.write_graphml,
        "gexf": nx.write_gexf,
    }
    if fmt not in writers:
        raise ViewError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    check_target(Path(path))
    graph = flatten(build_view(store, spec).graph)
    with atomic_output(Path(path)) as handle:
        writers[fmt](graph, handle)
    return graph.number_of_nodes(), graph.number_of_edges()


def flatten(graph: nx.Graph) -> nx.Graph:
    """A copy with only string and number attributes, as GraphML and GEXF require.

    Tooltip details become attributes of their own (``Kilde``, ``Citat`` …), tuples are
    joined, and missing values are left out. Control characters are dropped from
    text, because XML 1.0 cannot hold them and the file would not parse.
    """
    flat = nx.Graph()
    flat.graph.update(
        {k: without_controls(v) for k, v in graph.graph.items() if isinstance(v, str)}
    )
    for node, attrs in graph.nodes(data=True):
        values = {k: v for k, v in attrs.items() if k != "details"}
        values.update(attrs.get("details") or {})
        flat.add_node(node, **_plain(values))
    for source, target, attrs in graph.edges(data=True):
        flat.add_edge(source, target, **_plain(attrs))
    return flat


def _plain(values: dict) -> dict[str, str | int | float]:
    plain: dict[str, str | int | float] = {}
    for key, value in values.items():
        if isinstance(value, (tuple, list, set, frozenset)):
            value = " ".join(sorted(str(v) for v in value))
        if isinstance(value, bool) or value is None or value == "":
            continue
        plain[without_controls(str(key))] = (
            value if isinstance(value, (int, float)) else without_controls(str(value))
        )
    return plain


def _ranked(graph: nx.Graph, kinds: tuple[str, ...], between: dict, degree: dict) -> list[str]:
    """Most between first; ties (e.g. in a complete network) go to the strongest links."""
    nodes = [n for n, kind in graph.nodes(data="kind") if kind in kinds]
    return sorted(
        nodes, key=lambda n: (-between[n], -_strength(graph, n), -degree[n], _name(graph, n))
    )


def _strength(graph: nx.Graph, node: str) -> float:
    """The weighted degree: the sum of ``weight`` over the node's edges (1 where absent)."""
    return graph.degree(node, weight="weight")


def _name(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe(graph: nx.Graph, node: str) -> dict[str, Value]:
    attrs = graph.nodes[node]
    return {
        "kind": attrs["kind_label"],
        "notation": attrs["notation"],
        "label": _name(graph, node),
        "plan": attrs["plan_file"],
        "departments": ", ".join(attrs.get("departments") or ()),
        "iri": node,
    }


def _table(rows: list[dict[str, Value]], columns: list[str]) -> QueryResult:
    return QueryResult("SELECT", columns, [{c: row.get(c) for c in columns} for row in rows])
