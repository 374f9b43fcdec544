"""Network views read the facts of the things they draw, not of the whole archive.

Reading every thing's tooltip facts was most of a view's time on a large archive (18 of
23 seconds for the departments view at ×100, which draws seven departments). These
tests watch the queries a view sends: the whole-archive facts query is not among them,
and the things whose facts are read are the things drawn. Speed itself is measured
outside the tests (BENCHMARKS.md).
"""

from __future__ import annotations

import re

import networkx as nx
import pyoxigraph as ox
import pytest
from indsatsgraf.viz import network
from indsatsgraf.viz.network import Facts, ViewSpec, build_view

ID = "https://w3id.org/indsatsgraf/id/"
DEPARTMENTS = {ID + f"org/{code}" for code in ("sof", "buf", "bif", "suf", "tmf", "kff", "oekf")}
LOOKED_UP = re.compile(r"VALUES \?node \{([^}]*)\}")


class Recording:
    """A store that keeps the text of every query sent to it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.queries: list[str] = []

    def query(self, text: str, **options: object) -> object:
        self.queries.append(text)
        return self.store.query(text, **options)

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)

    def read_whole_archive(self) -> bool:
        return network.THINGS in self.queries

    def looked_up(self) -> set[str]:
        """The IRIs whose tooltip facts were read thing by thing (not just their classes)."""
        found: set[str] = set()
        for text in self.queries:
            if '"source" AS ?key' not in text:
                continue
            for block in LOOKED_UP.findall(text):
                found |= set(re.findall(r"<([^>]*)>", block))
        return found


def test_departments_view_reads_the_facts_of_the_departments_only(oxstore) -> None:
    store = Recording(oxstore)
    graph = build_view(store, ViewSpec(view="departments")).graph
    assert set(graph) == DEPARTMENTS
    assert not store.read_whole_archive()
    assert store.looked_up() == DEPARTMENTS
    # the links still name their initiatives (from the links' own query) as a tooltip does
    link = graph.edges[ID + "org/sof", ID + "org/buf"]
    facts = Facts(oxstore).of(link["initiatives"])
    assert link["items"] == tuple(facts[item].name for item in link["initiatives"])
    assert ID + "tvaergaaende-indsatsplan-2015/initiative/2.1.1" in link["initiatives"]


#: The bundled plans, newest first (by their last year): what an overview above its cap
#: draws whole, as many as fit.
NEWEST = ("sof-indsatsplan-2023-2026.txt", "bif-indsatsplan-2018-2022.txt")


def _plans_of(graph: nx.Graph) -> set[str]:
    return {attrs["plan_file"] for _, attrs in graph.nodes(data=True) if attrs["plan_file"]}


@pytest.mark.parametrize("whole_limit", [network.WHOLE_LIMIT, 0], ids=["small", "large"])
def test_overview_above_the_cap_draws_the_newest_plans_whole(
    oxstore, monkeypatch, whole_limit
) -> None:
    """Above the cap a planner sees whole plans, the newest first, exactly as the overview
    filtered to them; on an archive the build counted as large, without reading every
    relation of it, and with how much was left out."""
    whole = build_view(oxstore, ViewSpec()).graph
    monkeypatch.setattr(network, "WHOLE_LIMIT", whole_limit)
    store = Recording(oxstore)
    # 200 nodes hold the two newest plans (114 and 34 things with their plan nodes) and
    # their departments, not the third (71)
    view = build_view(store, ViewSpec(), cap=200)
    expected = network.apply_filters(whole, Facts(oxstore), plans=NEWEST)
    assert _plans_of(view.graph) == set(NEWEST)
    assert dict(view.graph.nodes(data=True)) == dict(expected.nodes(data=True))
    assert nx.utils.edges_equal(view.graph.edges, expected.edges)
    assert (view.plans, view.plans_shown) == (5, 2)
    assert "de 2 nyeste af 5 planer" in view.title
    assert view.graph.number_of_nodes() <= 200
    assert not store.read_whole_archive()
    # the facts of what it draws, and of the neighbours in other plans it leaves out
    near = set(view.graph) | {m for n in view.graph for m in whole[n]}
    assert store.looked_up() <= near | _departments_and_units(oxstore)
    left_out = {n for n, attrs in whole.nodes(data=True) if n not in view.graph}
    if whole_limit:
        assert view.hidden == len(left_out)
    else:
        # the build's count of the other plans' goals, initiatives, budget items,
        # indicators and plans: here every one of them is a node of the whole overview
        assert network.RELATIONS not in store.queries
        assert view.hidden == len(left_out - _departments_and_units(oxstore))


def _departments_and_units(store: ox.Store) -> set[str]:
    facts = Facts(store)
    return set(facts.of_kind("Department")) | set(facts.of_kind("Unit"))


def test_overview_whose_newest_plan_is_above_the_cap_keeps_its_best_connected(oxstore):
    whole = build_view(oxstore, ViewSpec(plans=(NEWEST[0],))).graph
    view = build_view(oxstore, ViewSpec(), cap=50)
    assert view.graph.number_of_nodes() == 50 and view.plans_shown == 1
    ranked = sorted(whole.degree, key=lambda item: (-item[1], str(item[0])))
    assert set(view.graph) == {node for node, _ in ranked[:50]}
    assert view.hidden == build_view(oxstore, ViewSpec()).graph.number_of_nodes() - 50


def test_overview_of_plans_reads_those_plans_only(oxstore) -> None:
    """``--plan`` reads the plans' own relations, and draws what filtering every
    relation by plan drew."""
    whole = build_view(oxstore, ViewSpec()).graph
    for plans in [(NEWEST[1],), ("tvaergaaende-indsatsplan-2015.txt", "sof-indsatsplan")]:
        store = Recording(oxstore)
        view = build_view(store, ViewSpec(plans=plans)).graph
        expected = network.apply_filters(whole, Facts(oxstore), plans=plans)
        assert network.RELATIONS not in store.queries
        assert dict(view.nodes(data=True)) == dict(expected.nodes(data=True)), plans
        assert nx.utils.edges_equal(view.edges, expected.edges), plans


def test_dependencies_read_the_facts_around_one_initiative(oxstore) -> None:
    store = Recording(oxstore)
    graph = build_view(store, ViewSpec(view="dependencies", focus="2.1.7")).graph
    assert not store.read_whole_archive()
    read = store.looked_up()
    assert set(graph) <= read
    # the ends of its own query, not the thousand things of the five plans
    assert len(read) < 100 < len(build_view(oxstore, ViewSpec()).graph)


def test_facts_read_thing_by_thing_equal_those_of_the_whole_archive(oxstore, monkeypatch):
    rows = oxstore.query(network.THING_CLASSES, use_default_graph_as_union=True)
    everything = {row["node"].value for row in rows if isinstance(row["node"], ox.NamedNode)}
    assert len(everything) < network.LOOKUP_LIMIT
    one_by_one = Facts(oxstore).of(everything)
    monkeypatch.setattr(network, "LOOKUP_LIMIT", 0)
    whole = Facts(oxstore).of(everything)
    assert len(one_by_one) == len(whole) > 1000
    for iri, thing in whole.items():
        assert one_by_one[iri].attributes() == thing.attributes(), iri


@pytest.mark.parametrize("view", ["overview", "focus", "lineage"])
def test_views_read_the_whole_archive_only_when_they_draw_most_of_it(oxstore, view) -> None:
    """At the bundled size the whole archive is below the look-up limit: every view
    reads its things one by one, so none runs the archive-wide facts query."""
    store = Recording(oxstore)
    build_view(store, ViewSpec(view=view, focus="1.4.2" if view == "focus" else None))
    assert not store.read_whole_archive()


def test_departments_view_from_stored_answers_is_the_live_links_view(built_store) -> None:
    """The web application draws the departments from the build's stored answers: the
    same pairs, weights and initiatives as the live department-links query says, without
    sending that query (minutes on a large archive)."""
    from indsatsgraf.graph import answers as stored
    from indsatsgraf.graph.names import Names

    oxstore = built_store.open()
    generation = built_store.current.resolve()
    names = Names.of_store(oxstore)
    read: list[str] = []

    def kept(query, params):
        read.append(query.name)
        result = stored.stored(generation, query, params, None, names)
        assert result is not None, f"{query.name} is not stored"
        return result.rows

    store = Recording(oxstore)
    view = build_view(store, ViewSpec(view="departments"), answers=kept).graph
    assert network.DEPARTMENT_LINKS not in store.queries
    assert set(read) == {"multi-department-initiatives", "network-department-initiatives"}
    # the pairs counted straight from the live query's rows
    members: dict[str, set[str]] = {}
    for row in oxstore.query(network.DEPARTMENT_LINKS, use_default_graph_as_union=True):
        members.setdefault(row["item"].value, set()).add(row["dept"].value)
    pairs: dict[frozenset[str], set[str]] = {}
    for item, depts in members.items():
        for a in depts:
            for b in depts - {a}:
                pairs.setdefault(frozenset((a, b)), set()).add(item)
    assert {frozenset(e) for e in view.edges} == set(pairs)
    for a, b, attrs in view.edges(data=True):
        assert set(attrs["initiatives"]) == pairs[frozenset((a, b))]
        assert attrs["weight"] == len(pairs[frozenset((a, b))])
    for dept, attrs in view.nodes(data=True):
        assert attrs["initiatives"] == sum(dept in depts for depts in members.values())
    assert view.edges[ID + "org/sof", ID + "org/buf"]["weight"] > 0
    # and the whole view, names, tooltips and layout included, is the live one
    live = build_view(oxstore, ViewSpec(view="departments")).graph
    assert dict(view.nodes(data=True)) == dict(live.nodes(data=True))
    assert {tuple(sorted(e[:2])): e[2] for e in view.edges(data=True)} == {
        tuple(sorted(e[:2])): e[2] for e in live.edges(data=True)
    }


def test_departments_view_of_a_plan_reads_that_plan_only(oxstore) -> None:
    whole_links = Recording(oxstore)
    view = build_view(whole_links, ViewSpec(view="departments", plans=("2015",))).graph
    assert network.DEPARTMENT_LINKS not in whole_links.queries
    members: dict[str, set[str]] = {}
    for row in oxstore.query(network.DEPARTMENT_LINKS, use_default_graph_as_union=True):
        if row["plan"] is not None and row["plan"].value.endswith("tvaergaaende-indsatsplan-2015"):
            members.setdefault(row["item"].value, set()).add(row["dept"].value)
    weights = {}
    for depts in members.values():
        for a in depts:
            for b in depts - {a}:
                weights[frozenset((a, b))] = weights.get(frozenset((a, b)), 0) + 1
    assert {frozenset(e[:2]): e[2] for e in view.edges(data="weight")} == {
        pair: n // 2 for pair, n in weights.items()
    }
    assert weights
