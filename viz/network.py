"""Network views: SPARQL over the store, turned into networkx graphs.

Each view runs one query whose rows are edges (the query-as-graph view runs the saved
query). Every node then gets the same attributes from one shared reading of the things'
facts (:class:`Facts`), so a tooltip reads alike in every view; a view reads the facts
of the things it draws only, not of the whole archive. They are plain data: ``label``
(Danish), ``kind`` (a key of the renderer's legend) and ``kind_label`` (its Danish
name), ``notation``, ``plan`` (IRI) and ``plan_file``, ``departments`` (codes),
``period``, ``amount`` (kroner, for sizing), ``status``, ``financing``, ``source`` (file
and lines) and ``quote``. ``details`` is the Danish tooltip rendered from them
(:func:`tooltip`); code reads the data, never the tooltip.

Filters work on the view's graph and mean the same in every view: ``--plan`` keeps
the things of those plans and the organisations they touch; ``--department`` keeps the
things that involve the department and their direct neighbours; ``--class`` keeps only
nodes of those classes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

import networkx as nx
import pyoxigraph as ox

from ..errors import IndsatsgrafError
from ..graph.names import Names, Plan, UnresolvedName, match_plans
from ..graph.query_files import query_file
from ..graph.sparql import Value, run_embedded, with_value_list, with_values
from ..graph.vocabulary import IG, KIND_ORDER, ORG
from ..queries.catalog import SavedQuery
from ..queries.catalog import find as find_query
from .render import KIND_STYLES
from .stored import stored_query
from .styling import mark_departments, mark_focus, mark_lineage, mark_overview

__all__ = [
    "OVERVIEW_KINDS",
    "VIEWS",
    "Facts",
    "Thing",
    "View",
    "ViewError",
    "ViewSpec",
    "Answers",
    "live_answers",
    "apply_filters",
    "build_view",
    "capped",
    "dependencies",
    "departments",
    "describe",
    "focus",
    "lineage",
    "overview",
    "query_graph",
    "relations",
    "resolve",
    "with_thing",
]

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"

VIEWS = ("overview", "departments", "focus", "dependencies", "lineage", "query")

#: The classes of the overview: plans → goals → initiatives → departments, budget, indicators.
OVERVIEW_KINDS = frozenset(
    {
        "Plan",
        "Goal",
        "Theme",
        "Priority",
        "Benchmark",
        "Initiative",
        "Department",
        "Unit",
        "BudgetItem",
        "Indicator",
    }
)

#: The kinds a view draws, most specific first (graph.vocabulary.KIND_ORDER); programmes
#: and other organisations are not drawn as kinds of their own.
VIEW_KINDS = tuple(
    (kind, iri)
    for kind, iri in KIND_ORDER
    if kind not in {"ProgrammeTrack", "Programme", "Organisation"}
)

#: A class name given to ``--class`` also selects its subclasses.
SUBKINDS = {"Goal": {"Goal", "Theme", "Priority", "Benchmark"}}

#: Danish edge labels; the ontology labels ig: terms, but not the reused SKOS/ORG/DC terms.
EDGE_LABELS = {
    IG + "supports": "understøtter",
    IG + "fundedBy": "finansieret af",
    IG + "hasIndicator": "har indikator",
    IG + "hasMeasurement": "har måling",
    IG + "partner": "samarbejder med",
    IG + "responsibleBody": "ansvarligt politisk organ",
    IG + "involvedBody": "involveret politisk organ",
    IG + "responsibleDepartment": "ansvarlig forvaltning",
    IG + "involvedDepartment": "involveret forvaltning",
    IG + "correspondsTo": "svarer til",
    IG + "describedIn": "beskrevet i",
    SKOS + "broader": "under",
    ORG + "unitOf": "enhed under",
    DCTERMS + "isPartOf": "del af",
}
#: When two things are linked twice (responsible and involved), the stronger link is shown.
EDGE_PRECEDENCE = {IG + "responsibleDepartment": 0, IG + "involvedDepartment": 1}

#: The views' queries, each a .rq file in viz/queries/ (read by graph/query_files.py).
RELATIONS = query_file(__package__, "relations")
DEPARTMENT_LINKS = query_file(__package__, "department-links")
DEPENDENCIES = query_file(__package__, "dependencies")
LINEAGE = query_file(__package__, "lineage")
ORGANISATION_TIES = query_file(__package__, "organisation-ties")
THINGS = query_file(__package__, "things")
THING_FACTS = query_file(__package__, "thing-facts")
THING_CLASSES = query_file(__package__, "thing-classes")
CLASS_MEMBERS = query_file(__package__, "class-members")
PLAN_RELATIONS = query_file(__package__, "plan-relations")
PLAN_DEPARTMENT_LINKS = query_file(__package__, "plan-department-links")
UNIT_DEPARTMENTS = query_file(__package__, "unit-departments")
THING_PLANS = query_file(__package__, "thing-plans")

#: Reads a query's rows: a build's stored answer where the caller has one (the web
#: application's Library.run), else the live answer (:func:`live_answers`).
Answers = Callable[[SavedQuery, Mapping[str, str]], list[dict[str, Value]]]

#: Up to this many things (goals, initiatives, budget items, indicators and plans, as the
#: build counted them) the overview reads every relation to learn whether it fits its cap
#: (well under a second); above it the archive is known to be too large to draw.
WHOLE_LIMIT = 4000
#: Nodes the overview above its cap keeps free for the departments and units the chosen
#: plans name (seven departments, a few units without one).
ORGANISATION_ROOM = 20

#: Above this many things a view reads the facts of the whole archive in one query; up to
#: it, thing by thing (about 2 ms each on a large archive), LOOKUP_BATCH in a query.
LOOKUP_LIMIT = 5000
LOOKUP_BATCH = 500
#: Things whose classes are looked up in one query (a look-up costs some 40 µs).
CLASS_BATCH = 5000


class ViewError(IndsatsgrafError):
    """A view cannot be drawn as asked (unknown thing, plan, department or class)."""


@dataclass(frozen=True)
class ViewSpec:
    """Which view to draw and how to filter it, as the command line gives it.

    Without ``view``, a ``query`` draws the query, a ``focus`` its neighbourhood, and
    otherwise the overview.
    """

    view: str | None = None
    focus: str | None = None
    depth: int = 1
    query: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    plans: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()


@dataclass
class View:
    """A finished view: its graph, the page title that says what it shows, and how many
    things were left out to keep it under a node cap.

    ``plans`` and ``plans_shown``: an overview too large to draw shows its newest plans
    whole (``plans_shown`` of the archive's ``plans``); 0 and 0 otherwise.
    """

    graph: nx.Graph
    title: str
    hidden: int = 0
    plans: int = 0
    plans_shown: int = 0


def live_answers(store: ox.Store) -> Answers:
    """Answers run on ``store`` now (the command line, or a store built without them)."""

    def rows(query: SavedQuery, params: Mapping[str, str]) -> list[dict[str, Value]]:
        return run_embedded(store, query, query.bindings(dict(params))).rows

    return rows


@dataclass
class Thing:
    """What the tooltip of one node shows, gathered from the THINGS rows."""

    iri: str
    classes: set[str] = field(default_factory=set)
    label: str = ""
    notation: str = ""
    departments: set[str] = field(default_factory=set)
    period: str = ""
    year: str = ""
    start: str = ""
    end: str = ""
    budget_year: str = ""
    amounts: dict[str, Decimal] = field(default_factory=dict)
    plan: str = ""
    plan_file: str = ""
    status: set[str] = field(default_factory=set)
    financing: str = ""
    sources: list[tuple[str, int, int, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return kind_of(self.classes)

    @property
    def amount(self) -> float | None:
        return float(sum(self.amounts.values())) if self.amounts else None

    @property
    def name(self) -> str:
        """Number and label, as planners cite a thing: "1.4.2 Sammenhængende …"."""
        return thing_name(self.iri, self.label, self.notation)

    def attributes(self) -> dict:
        """Node attributes for networkx, the renderer and the analyses.

        Plain data (``notation``, ``plan_file``, ``kind_label`` …) that code reads;
        ``details`` is only the Danish tooltip rendered from it.
        """
        kind = self.kind
        period = self.period or "–".join(y for y in (self.start, self.end) if y)
        if not period and self.budget_year:
            period = f"budgetår {self.budget_year}"
        source, quote = "", ""
        if self.sources:
            file_name, first, last, quote = min(self.sources)
            lines = f"linje {first}" if first == last else f"linje {first}-{last}"
            source = f"{file_name}, {lines}"
        data = {
            "label": self.label or self.notation or self.iri.rsplit("/", 1)[-1],
            "kind": kind,
            "kind_label": KIND_STYLES[kind].name if kind in KIND_STYLES else kind,
            "notation": self.notation,
            "amount": self.amount,
            "plan": self.plan,
            "plan_file": self.plan_file,
            "departments": tuple(sorted(self.departments)),
            "period": period,
            "status": tuple(sorted(self.status)),
            "financing": self.financing,
            "source": source,
            "quote": quote,
        }
        data["details"] = tooltip(data)
        return data


def thing_name(iri: str, label: str, notation: str) -> str:
    """:attr:`Thing.name` from its parts, for rows that name tens of thousands of things."""
    label = label or iri.rsplit("/", 1)[-1]
    return f"{notation} {label}" if notation and notation != label else label


def tooltip(node: Mapping) -> dict[str, str]:
    """The Danish tooltip lines of a node, rendered from its data attributes."""
    kind = node["kind"]
    details = {"Type": node["kind_label"]}
    if node["notation"]:
        details["Nummer" if kind != "Department" else "Kode"] = node["notation"]
    if node["departments"] and kind != "Department":
        details["Forvaltninger"] = ", ".join(node["departments"])
    if node["plan_file"]:
        details["Plan"] = node["plan_file"]
    if node["period"]:
        details["Periode"] = node["period"]
    if node["amount"] is not None:
        details["Beløb"] = f"{danish_number(node['amount'])} kr."
    if node["status"]:
        details["Status"] = ", ".join(node["status"])
    if node["financing"]:
        details["Finansiering"] = node["financing"]
    if node["source"]:
        details["Kilde"] = node["source"]
        details["Citat"] = node["quote"]
    if node.get("initiatives") is not None:
        details["Indsatser"] = str(node["initiatives"])
    return details


def danish_number(value: float) -> str:
    """Whole kroner with Danish thousands separators: 44200000 → 44.200.000."""
    return f"{round(value):,}".replace(",", ".")


def kind_of(classes: Iterable[str]) -> str:
    """The kind a view draws for a thing of ``classes``: the most specific one."""
    classes = set(classes)
    for kind, iri in VIEW_KINDS:
        if iri in classes:
            return kind
    return "Other"


class Facts:
    """The tooltip facts of things, read from the store as a view asks for them.

    Reading the facts of every thing in an archive took most of a view's time
    (18 of 23 seconds for the departments view at ×100) although a view draws
    a few of them. So a view asks for the things it draws, and they are read
    thing by thing (THING_FACTS, index look-ups); only above LOOKUP_LIMIT
    things at once is the whole archive read in one query (THINGS, hash joins),
    which is then cheaper. Which resources are things at all, and of which
    kind, comes from their classes alone (THING_CLASSES, looked up too).
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._things: dict[str, Thing] = {}
        self._read: set[str] = set()
        self._whole = False
        self._classes: dict[str, set[str]] = {}
        self._classed: set[str] = set()

    def of(self, iris: Iterable[str]) -> dict[str, Thing]:
        """The things among ``iris`` with their facts, in the order given; IRIs that are
        not things are left out."""
        wanted = list(dict.fromkeys(iris))
        missing = [iri for iri in wanted if iri not in self._read]
        if missing and not self._whole:
            if len(missing) > LOOKUP_LIMIT:
                self._read_all()
            else:
                self._look_up(missing)
        return {iri: self._things[iri] for iri in wanted if iri in self._things}

    def kinds(self, iris: Iterable[str]) -> dict[str, str]:
        """The kind of each thing among ``iris`` (not-things left out), from their classes
        alone: a view learns which ends of its relations are things before it knows
        which of them it draws."""
        wanted = list(dict.fromkeys(iris))
        unknown = [iri for iri in wanted if iri not in self._classed and iri not in self._read]
        if not self._whole:
            for row in self.rows_of(THING_CLASSES, unknown, CLASS_BATCH):
                self._classes.setdefault(row["node"].value, set()).add(row["class"].value)
            self._classed.update(unknown)
        kinds = {}
        for iri in wanted:
            thing = self._things.get(iri)
            classes = thing.classes if thing is not None else self._classes.get(iri)
            if classes:
                kinds[iri] = kind_of(classes)
        return kinds

    def of_kind(self, kind: str) -> dict[str, Thing]:
        """Every thing of one kind (the plans, the departments), by IRI."""
        iri = dict(VIEW_KINDS)[kind]
        query = with_values(CLASS_MEMBERS, {"class": ox.NamedNode(iri)})
        rows = self.store.query(query, use_default_graph_as_union=True)
        members = (row["node"].value for row in rows)
        return {iri: t for iri, t in self.of(members).items() if t.kind == kind}

    def __getitem__(self, iri: str) -> Thing:
        return self.of([iri])[iri]

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and bool(self.of([iri]))

    def _look_up(self, iris: list[str]) -> None:
        self._absorb(self.rows_of(THING_FACTS, iris))
        self._read.update(iris)

    def rows_of(
        self, query: str, iris: list[str], batch: int = LOOKUP_BATCH
    ) -> Iterator[ox.QuerySolution]:
        """The rows of ``query`` with ``?node`` given each of ``iris``, ``batch`` at a time
        (text that is no IRI is skipped): the facts and classes of things, or a look-up
        that needs less, such as a thing's plan."""
        terms = [term for term in map(_named, iris) if term is not None]
        for start in range(0, len(terms), batch):
            text = with_value_list(query, "node", terms[start : start + batch])
            yield from self.store.query(text, use_default_graph_as_union=True)

    def _read_all(self) -> None:
        self._absorb(self.store.query(THINGS, use_default_graph_as_union=True))
        self._whole = True

    def _absorb(self, rows: Iterable[ox.QuerySolution]) -> None:
        """Keep the things of THINGS or THING_FACTS rows (resources with a class)."""
        found: dict[str, Thing] = {}
        for row in rows:
            node = row["node"]
            if not isinstance(node, ox.NamedNode):
                continue
            thing = found.setdefault(node.value, Thing(node.value))
            key, value = row["key"].value, row["value"].value
            if key == "class":
                thing.classes.add(value)
            elif key in _FIRST_VALUE_KEYS:
                setattr(thing, key, getattr(thing, key) or value)
            elif key == "planFile":
                thing.plan_file = value
            elif key == "budgetYear":
                thing.budget_year = value
            elif key == "department":
                thing.departments.add(value)
            elif key == "amount":
                thing.amounts[row["extra"].value] = Decimal(value)
            elif key == "status":
                thing.status.add(value)
            elif key == "source":
                first, last = int(row["first"].value), int(row["last"].value)
                thing.sources.append((value, first, last, row["extra"].value))
        self._things.update((iri, thing) for iri, thing in found.items() if thing.classes)


#: Facts of which a thing keeps the first value read (Thing has one field for each).
_FIRST_VALUE_KEYS = frozenset(
    ("label", "notation", "period", "year", "start", "end", "plan", "financing")
)


def _named(iri: str) -> ox.NamedNode | None:
    """``iri`` as a term, or None for text that is no IRI (a query's cell, say)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def describe(graph: nx.Graph, facts: Facts) -> nx.Graph:
    """Give the nodes that have no attributes yet their facts (:meth:`Thing.attributes`):
    views find their nodes first and read the facts of those they keep."""
    bare = [node for node, attrs in graph.nodes(data=True) if not attrs]
    for iri, thing in facts.of(bare).items():
        graph.nodes[iri].update(thing.attributes())
    return graph


def _edges_graph(
    rows: Iterable[ox.QuerySolution], facts: Facts, drawn_whole: bool = False
) -> nx.Graph:
    """An undirected graph from ?s ?p ?o (?via) rows between things; its nodes carry no
    facts yet (:func:`describe`). A view that draws all of them (``drawn_whole``) reads
    their facts at once, which tells their classes too."""
    links = []
    for row in rows:
        source, predicate, target = row["s"], row["p"], row["o"]
        if all(isinstance(t, ox.NamedNode) for t in (source, predicate, target)):
            via = row["via"].value if row["via"] else ""
            links.append((source.value, predicate.value, target.value, via))
    ends = [node for s, _, o, _ in links for node in (s, o)]
    if drawn_whole:
        facts.of(ends)
    known = facts.kinds(ends)
    graph = nx.Graph()
    for s, p, o, via in links:
        if s == o and p != IG + "describedIn":
            continue
        for node in (s, o):
            if node not in graph and node in known:
                graph.add_node(node)
        if s not in graph or o not in graph or s == o:
            continue
        label = EDGE_LABELS.get(p, p.rsplit("#", 1)[-1])
        if via:
            label = f"{label} (via {via})"
        rank = EDGE_PRECEDENCE.get(p, 0)
        old = graph.get_edge_data(s, o)
        if old is None or rank < old["rank"]:
            graph.add_edge(s, o, label=label, relation=p, rank=rank)
    for _, _, attrs in graph.edges(data=True):
        attrs.pop("rank", None)
    return graph


def _relations(store: ox.Store, facts: Facts) -> nx.Graph:
    """The relations graph with bare nodes, for views that keep part of it."""
    return _edges_graph(store.query(RELATIONS, use_default_graph_as_union=True), facts)


def relations(store: ox.Store, facts: Facts | None = None) -> nx.Graph:
    """Every thing and every relation between things: the graph the other views cut from."""
    facts = Facts(store) if facts is None else facts
    return describe(_relations(store, facts), facts)


def overview(
    store: ox.Store,
    *,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """Plans → goals → initiatives → departments, budget items and indicators.

    ``classes`` replaces the overview's classes (e.g. add partners or measurements);
    the other filters are those of every view.
    """
    return _overview(store, Facts(store), plans, departments, classes).graph


def _overview(
    store: ox.Store,
    facts: Facts,
    plans: Iterable[str],
    departments: Iterable[str],
    classes: Iterable[str],
    cap: int | None = None,
    answers: Answers | None = None,
) -> View:
    """The overview, its title, and what it leaves out to stay under ``cap`` nodes.

    An archive too large to draw (more than ``cap`` things) is shown as its newest plans,
    whole, as many as fit (:func:`_newest_plans`): a planner sees complete plans, goals
    above their initiatives, rather than the best-connected things of thousands of plans,
    which at ×1000 need not touch each other at all. Those plans' relations are read
    alone, so such an overview costs what it draws; every relation of the archive is read
    only where the build's counts say there are at most WHOLE_LIMIT things.
    """
    title = "Overblik: planer, mål, indsatser, forvaltninger, budget og indikatorer"
    kinds = _kinds(classes) or OVERVIEW_KINDS
    chosen = _plans(facts, plans)
    sizes = _plan_sizes(answers or live_answers(store)) if cap is not None else []
    if chosen:
        graph = _plan_relations(store, facts, chosen, kinds)
    elif sum(things + 1 for _, things in sizes) > WHOLE_LIMIT:
        return _newest_overview(store, facts, sizes, kinds, departments, cap or 0, title)
    else:
        graph = _relations(store, facts)
        kind = facts.kinds(graph)
        graph = graph.subgraph(n for n in graph if kind.get(n) in kinds).copy()
    graph = apply_filters(graph, facts, departments=departments)
    if cap is not None and not chosen and graph.number_of_nodes() > cap:
        total = graph.number_of_nodes()
        return _newest_overview(store, facts, sizes, kinds, departments, cap, title, total)
    graph, hidden = capped(graph, cap)
    return View(mark_overview(describe(graph, facts)), title, hidden)


def _plan_sizes(answers: Answers) -> list[tuple[str, int]]:
    """Every plan with the things it describes, newest first (by its last year; then by
    IRI, so the choice is the same on every build of the same documents)."""
    newest: list[tuple[int, str, int]] = []
    for row in answers(stored_query("plan-sizes"), {}):
        years = [int(row[k]) for k in ("end", "start", "year") if isinstance(row.get(k), int)]  # type: ignore[arg-type]
        newest.append((-max(years, default=0), str(row["plan"]), int(row["things"])))  # type: ignore[arg-type]
    return [(plan, things) for _, plan, things in sorted(newest)]


def _newest_plans(sizes: list[tuple[str, int]], room: int) -> list[str]:
    """The newest plans whose things and plan nodes fit in ``room`` together; at least one."""
    chosen, used = [], 0
    for plan, things in sizes:
        if chosen and used + things + 1 > room:
            break
        chosen.append(plan)
        used += things + 1
    return chosen


def _newest_overview(
    store: ox.Store,
    facts: Facts,
    sizes: list[tuple[str, int]],
    kinds: set[str] | frozenset[str],
    departments: Iterable[str],
    cap: int,
    title: str,
    total: int | None = None,
) -> View:
    """The overview of an archive above the cap: its newest plans whole, and a count of
    the things it leaves out: of the ``total`` nodes where the whole overview was drawn,
    else of the plans and things the build counted in the other plans."""
    chosen = _newest_plans(sizes, max(1, cap - ORGANISATION_ROOM))
    graph = _plan_relations(store, facts, set(chosen), kinds)
    graph = apply_filters(graph, facts, departments=departments)
    graph, over = capped(graph, cap)
    shown = set(chosen)
    if total is not None:
        hidden = total - graph.number_of_nodes()
    else:
        hidden = over + sum(things + 1 for plan, things in sizes if plan not in shown)
    newest = "den nyeste" if len(chosen) == 1 else f"de {len(chosen)} nyeste"
    return View(
        mark_overview(describe(graph, facts)),
        f"{title} ({newest} af {len(sizes)} planer)",
        hidden,
        plans=len(sizes),
        plans_shown=len(chosen),
    )


def _plan_relations(
    store: ox.Store, facts: Facts, plans: set[str], kinds: set[str] | frozenset[str]
) -> nx.Graph:
    """The relations graph of ``plans`` with the things of ``kinds``, as :func:`_relations`
    filtered with ``--plan`` (:func:`apply_filters`) would give it: their things and the
    organisations those touch, read from those plans alone (PLAN_RELATIONS)."""
    query = with_value_list(PLAN_RELATIONS, "plan", [ox.NamedNode(p) for p in sorted(plans)])
    rows = list(store.query(query, use_default_graph_as_union=True))
    units: dict[str, list[tuple[ox.NamedNode, ox.Literal]]] = defaultdict(list)
    for row in store.query(UNIT_DEPARTMENTS, use_default_graph_as_union=True):
        units[row["org"].value].append((row["dept"], row["via"]))
    links: list[dict[str, ox.Term | None]] = []
    for row in rows:
        source, predicate, target = row["s"], row["p"], row["o"]
        if predicate.value in EDGE_PRECEDENCE and target.value in units:
            for dept, via in units[target.value]:
                links.append({"s": source, "p": predicate, "o": dept, "via": via})
        else:
            links.append({"s": source, "p": predicate, "o": target, "via": None})
    graph = _edges_graph(links, facts)  # type: ignore[arg-type]
    kind = facts.kinds(graph)
    graph = graph.subgraph(n for n in graph if kind.get(n) in kinds)
    inside = {link["s"].value for link in links}  # type: ignore[union-attr]
    outside = [n for n in graph if n not in inside]
    plans_of: dict[str, set[str]] = defaultdict(set)
    for row in facts.rows_of(THING_PLANS, outside):
        plans_of[row["node"].value].add(row["plan"].value)
    keep = inside | {n for n in outside if not plans_of[n] or plans_of[n] & plans}
    return graph.subgraph(keep).copy()


def capped(graph: nx.Graph, cap: int | None) -> tuple[nx.Graph, int]:
    """Above ``cap`` nodes, the ``cap`` best-connected (ties by IRI), and how many were
    left out; the graph itself at or below it."""
    if cap is None or graph.number_of_nodes() <= cap:
        return graph, 0
    ranked = sorted(graph.degree, key=lambda item: (-item[1], str(item[0])))
    kept = graph.subgraph(node for node, _ in ranked[:cap]).copy()
    return kept, graph.number_of_nodes() - cap


def departments(
    store: ox.Store,
    *,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
    answers: Answers | None = None,
) -> nx.Graph:
    """Departments linked by the initiatives they share; ``weight`` = shared initiatives.

    The initiatives are named from the links' own rows: the view reads the facts of
    the departments only. Narrowed to plans, it reads those plans' links; for the whole
    archive with ``answers`` (a build's stored answers), it reads the stored
    multi-department-initiatives and each department's count of initiatives instead of
    every link of the archive (24 s at ×100 for the links' query, minutes at ×1000).
    """
    facts = Facts(store)
    chosen_plans = _plans(facts, plans)
    graph = nx.Graph()
    known = sorted(facts.of_kind("Department").items())
    for iri, thing in known:
        graph.add_node(iri, **thing.attributes())
    if chosen_plans:
        terms = [ox.NamedNode(plan) for plan in sorted(chosen_plans)]
        query = with_value_list(PLAN_DEPARTMENT_LINKS, "plan", terms)
        members, names = _members(store.query(query, use_default_graph_as_union=True))
        involved = Counter(dept for depts in members.values() for dept in depts)
    elif answers is None:
        members, names = _members(store.query(DEPARTMENT_LINKS, use_default_graph_as_union=True))
        involved = Counter(dept for depts in members.values() for dept in depts)
    else:
        members, names, involved = _stored_members(answers, {t.notation: i for i, t in known})
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item, depts in sorted(members.items()):
        for pair in combinations(sorted(depts), 2):
            shared[pair].append(item)
    for dept, attrs in graph.nodes(data=True):
        attrs["initiatives"] = involved[dept]
        attrs["details"] = tooltip(attrs)
    for (a, b), items in sorted(shared.items()):
        graph.add_edge(
            a,
            b,
            weight=len(items),
            label=str(len(items)),
            initiatives=tuple(items),
            items=tuple(names[item] for item in items),
        )
    wanted = _departments(facts, departments)
    if wanted:
        edges = [(a, b) for a, b in graph.edges if a in wanted or b in wanted]
        star = graph.edge_subgraph(edges).copy()
        star.add_nodes_from((d, graph.nodes[d]) for d in wanted)
        graph = star
    return mark_departments(apply_filters(graph, facts, classes=classes))


def _members(rows: Iterable[ox.QuerySolution]) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Each initiative's departments and its name, from DEPARTMENT_LINKS rows."""
    members: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for row in rows:
        item, dept = row["item"].value, row["dept"].value
        if item not in names:
            names[item] = _link_name(item, row)
        members[item].add(dept)
    return members, names


def _stored_members(
    answers: Answers, departments: Mapping[str, str]
) -> tuple[dict[str, set[str]], dict[str, str], Counter[str]]:
    """As :func:`_members` for the links that make the picture (initiatives of two
    departments or more), from the answers a build stores, with each department's count
    of initiatives (``departments``: IRI by code).

    Only the pairs need the initiatives; a department's size counts those it has alone
    too, which the stored count holds.
    """
    members: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for row in answers(find_query("multi-department-initiatives"), {}):
        item = str(row["initiative"])
        codes = str(row["departments"]).split(", ")
        members[item] = {departments[code] for code in codes if code in departments}
        label, notation = row.get("label"), row.get("notation")
        names[item] = thing_name(
            item, "" if label is None else str(label), "" if notation is None else str(notation)
        )
    counts = answers(stored_query("department-initiatives"), {})
    involved = Counter({str(row["dept"]): int(row["initiatives"]) for row in counts})  # type: ignore[arg-type]
    return members, names, involved


def _link_name(item: str, row: ox.QuerySolution) -> str:
    """An initiative's name (:attr:`Thing.name`) from a DEPARTMENT_LINKS row."""
    label, notation = row["label"], row["notation"]
    thing = Thing(
        item,
        label=label.value if label is not None else "",
        notation=notation.value if notation is not None else "",
    )
    return thing.name


def focus(
    store: ox.Store,
    name: str,
    *,
    depth: int = 1,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """Everything within ``depth`` relations of the thing ``name`` (code, number, IRI, label)."""
    facts = Facts(store)
    center = resolve(store, facts, name)
    graph = with_thing(store, facts, _relations(store, facts), center)
    graph = describe(nx.ego_graph(graph, center, radius=max(0, depth)).copy(), facts)
    graph.graph.update(center=center, center_name=facts[center].name)
    graph = apply_filters(graph, facts, plans=plans, departments=departments, classes=classes)
    return mark_focus(graph, layout="rings")


def dependencies(
    store: ox.Store,
    name: str,
    *,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """What one initiative rests on and what it became: goals, budget, indicators,
    departments, partners and its correspondences in other plans."""
    facts = Facts(store)
    center = resolve(store, facts, name)
    query = with_values(DEPENDENCIES, {"item": ox.NamedNode(center)})
    graph = _edges_graph(store.query(query, use_default_graph_as_union=True), facts)
    graph.add_node(center)
    graph = describe(graph, facts)
    graph.graph.update(center=center, center_name=facts[center].name)
    graph = apply_filters(graph, facts, plans=plans, departments=departments, classes=classes)
    return mark_focus(graph, layout=None)


def lineage(
    store: ox.Store,
    *,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """Initiatives that are the same across plans (``ig:correspondsTo``), around their plans.

    Without correspondence links this is just the plans. ``--plan`` keeps every chain that
    passes through those plans, so a 2015 initiative is shown with what it became.
    """
    facts = Facts(store)
    rows = store.query(LINEAGE, use_default_graph_as_union=True)
    graph = _edges_graph(rows, facts, drawn_whole=True)
    chosen = _plans(facts, plans)
    if chosen:
        known = facts.of(graph)
        chains = graph.subgraph(n for n in graph if known[n].kind != "Plan")
        keep: set[str] = set()
        for chain in nx.connected_components(chains):
            if any(known[n].plan in chosen for n in chain):
                keep |= chain
        keep |= {known[n].plan for n in keep} | chosen
        graph = graph.subgraph(keep).copy()
    graph = apply_filters(describe(graph, facts), facts, departments=departments, classes=classes)
    known = facts.of(graph)
    plans_of = facts.of(thing.plan for thing in known.values())
    years = {n: _years(plans_of[t.plan]) for n, t in known.items() if t.plan in plans_of}
    return mark_lineage(graph, years, *_link_scores(store))


def lineage_of(graph: nx.Graph, iri: str) -> nx.Graph:
    """One thing's chain in a lineage graph, with the plans it passes through; empty when
    the thing corresponds to nothing. Takes the whole lineage so callers can reuse it."""
    if iri not in graph or graph.nodes[iri].get("kind") == "Plan":
        return nx.Graph()
    chains = graph.subgraph(n for n, k in graph.nodes(data="kind") if k != "Plan")
    chain = nx.node_connected_component(chains, iri)
    if len(chain) < 2:
        return nx.Graph()
    plans = {graph.nodes[n].get("plan") for n in chain} & set(graph)
    return graph.subgraph(chain | plans).copy()


def _years(plan: Thing) -> tuple[int, ...]:
    """A plan's first and last year (one year for a plan of a single year)."""
    return tuple(int(y) for y in (plan.start or plan.year, plan.end) if y.isdigit())


def _link_scores(
    store: ox.Store,
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], str]]:
    """Accepted correspondences' scores and evidence, by (source, target)."""
    rows = store.query(query_file(__package__, "link-scores"), use_default_graph_as_union=True)
    scores, evidence = {}, {}
    for row in rows:
        pair = (row["source"].value, row["target"].value)
        scores[pair] = float(row["score"].value)
        if row["evidence"] is not None:
            evidence[pair] = row["evidence"].value
    return scores, evidence


def query_graph(
    store: ox.Store,
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    depth: int = 1,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """A saved SELECT or CONSTRUCT query drawn as a graph.

    CONSTRUCT: every triple between two things is an edge. SELECT: the things in one
    row are linked (the first to each other one, labelled by the column). The result's
    things are then shown with their neighbourhood to ``depth`` (0: the result alone),
    which is what turns a list such as multi-department-initiatives into a picture of
    who works with whom.
    """
    facts = Facts(store)
    saved = find_query(name)
    result = run_embedded(store, saved, saved.bindings(dict(params or {})))
    if result.form not in ("SELECT", "CONSTRUCT"):
        raise ViewError(
            f"query {saved.name!r} is an {result.form} query; only SELECT and CONSTRUCT can be drawn"
        )
    graph = nx.Graph()
    if result.form == "CONSTRUCT":
        triples = ox.parse("\n".join(result.triples), format=ox.RdfFormat.N_TRIPLES)
        links = [(t.subject.value, t.object.value, t.predicate.value) for t in triples]
        known = facts.kinds(n for s, o, _ in links for n in (s, o))
        seeds = {n for s, o, _ in links for n in (s, o) if n in known}
    else:
        links, seeds = [], set()
        rows = [
            [(v, row[v]) for v in result.variables if isinstance(row[v], str)]
            for row in result.rows
        ]
        known = facts.kinds(value for cells in rows for _, value in cells)
        for cells in rows:
            nodes = [(v, value) for v, value in cells if value in known]
            seeds |= {value for _, value in nodes}
            links += [(nodes[0][1], value, v) for v, value in nodes[1:]]
    for node in seeds:
        graph.add_node(node)
    for s, o, relation in links:
        if s in graph and o in graph and s != o:
            graph.add_edge(s, o, label=EDGE_LABELS.get(relation, relation.rsplit("#", 1)[-1]))
    if depth > 0 and seeds:
        around = _relations(store, facts)
        for seed in seeds:
            graph = nx.compose(graph, nx.ego_graph(around, seed, radius=depth))
    graph = describe(graph, facts)
    graph.graph["query"] = saved.name
    return apply_filters(graph, facts, plans=plans, departments=departments, classes=classes)


def build_view(
    store: ox.Store, spec: ViewSpec, cap: int | None = None, answers: Answers | None = None
) -> View:
    """The view ``spec`` asks for, with a title that says what it shows.

    Above ``cap`` nodes only the best-connected are kept (:func:`capped`); the overview
    shows its newest plans whole instead (:func:`_overview`). ``answers`` reads the
    aggregates a build stored (plan sizes, the departments' links), where the caller
    has them; without, they are computed now.
    """
    filters = {"plans": spec.plans, "departments": spec.departments, "classes": spec.classes}
    chosen = spec.view or ("query" if spec.query else "focus" if spec.focus else "overview")
    if chosen == "overview":
        whole = _overview(store, Facts(store), *filters.values(), cap=cap, answers=answers)
        whole.title = f"indsatsgraf — {whole.title}"
        return whole
    elif chosen == "departments":
        graph = departments(store, **filters, answers=answers)
        title = "Forvaltningernes samarbejde: fælles indsatser"
    elif chosen in ("focus", "dependencies"):
        if not spec.focus:
            raise ViewError(
                f"the {chosen} view needs a thing at its centre (code, number, IRI or label)",
                remedy="focus",
            )
        if chosen == "focus":
            graph = focus(store, spec.focus, depth=spec.depth, **filters)
            what = f"Omkring {{}} (afstand {spec.depth})"
        else:
            graph = dependencies(store, spec.focus, **filters)
            what = "Afhængigheder for {}"
        title = what.format(graph.graph["center_name"])
    elif chosen == "lineage":
        graph = lineage(store, **filters)
        title = "Indsatsernes forløb på tværs af planer"
    elif chosen == "query":
        if not spec.query:
            raise ViewError("the query view needs a saved query to draw", remedy="query")
        graph = query_graph(store, spec.query, spec.params, depth=spec.depth, **filters)
        title = f"Forespørgsel: {spec.query}"
    else:
        raise ViewError(f"unknown view {chosen!r}; choose one of {', '.join(VIEWS)}")
    graph, hidden = capped(graph, cap)
    return View(graph, f"indsatsgraf — {title}", hidden)


def resolve(store: ox.Store, facts: Facts, name: str) -> str:
    """The thing ``name`` means, as `show` resolves it (:mod:`..graph.names`)."""
    try:
        iri = Names.of_store(store).thing(name).iri
    except UnresolvedName as error:
        raise ViewError(str(error)) from error
    if iri not in facts:
        raise ViewError(f"{name!r} is {iri}, which the network views do not draw")
    return iri


def with_thing(store: ox.Store, facts: Facts, graph: nx.Graph, iri: str) -> nx.Graph:
    """``graph`` with ``iri`` in it: a unit with its own ties, anything else alone.

    The relations graph draws a unit as its department, so a view centred on one
    (``--focus "Borgercenter Handicap"``) adds the unit's ties to what it is built on.
    Nodes it adds have no facts yet (:func:`describe`).
    """
    if iri in graph:
        return graph
    query = with_values(ORGANISATION_TIES, {"org": ox.NamedNode(iri)})
    ties = _edges_graph(store.query(query, use_default_graph_as_union=True), facts)
    graph = nx.compose(graph, ties)
    if iri not in graph:
        graph.add_node(iri)
    return graph


def apply_filters(
    graph: nx.Graph,
    facts: Facts,
    *,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """Apply the shared filters; the center of a focus view is kept whenever it matches.

    They read the things' facts, so a view may filter before it has described its nodes.
    """
    keep = set(graph)
    chosen_plans = _plans(facts, plans)
    codes = {facts[d].notation for d in _departments(facts, departments)}
    known = facts.of(graph) if chosen_plans or codes else {}
    if chosen_plans:
        inside = {n for n in keep if known[n].plan in chosen_plans}
        keep = inside | {m for n in inside for m in graph[n] if not known[m].plan}
    if codes:
        anchors = {n for n in keep if codes & known[n].departments}
        keep = anchors | {m for n in anchors for m in graph[n] if m in keep}
    kinds = _kinds(classes)
    if kinds:
        kind = facts.kinds(keep)
        keep = {n for n in keep if kind.get(n) in kinds}
    if keep == set(graph):
        return graph
    filtered = graph.subgraph(keep).copy()
    filtered.graph.update(graph.graph)
    return filtered


def _plans(facts: Facts, names: Iterable[str]) -> set[str]:
    """Plan IRIs for names, named as everywhere (:func:`..graph.names.match_plans`).

    A filter may name several plans at once ("sof-indsatsplan" is two).
    """
    names = list(names)
    if not names:
        return set()
    plans = [_as_plan(thing) for thing in facts.of_kind("Plan").values()]
    chosen = set()
    for name in names:
        hits = match_plans(plans, name)
        if not hits:
            listed = ", ".join(sorted(p.file_name for p in plans))
            raise ViewError(f"no plan matches {name!r}; the plans are: {listed}")
        chosen.update(p.iri for p in hits)
    return chosen


def _as_plan(thing: Thing) -> Plan:
    """A plan as the resolver sees it, from the facts the views already hold."""
    years = tuple(int(y) for y in (thing.year, thing.start, thing.end) if y.isdigit())
    return Plan(
        thing.iri,
        thing.plan_file or thing.iri.rsplit("/", 1)[-1],
        thing.label,
        years,
        int(thing.start) if thing.start.isdigit() else None,
        int(thing.end) if thing.end.isdigit() else None,
    )


def _departments(facts: Facts, names: Iterable[str]) -> list[str]:
    """Department IRIs for codes (SOF, BUF, …) or IRIs, case-insensitive."""
    names = list(names)
    if not names:
        return []
    departments = facts.of_kind("Department")
    by_code = {t.notation.lower(): iri for iri, t in departments.items()}
    chosen = []
    for name in names:
        iri = name if name in departments else by_code.get(name.strip().lower())
        if iri is None:
            listed = ", ".join(sorted(t.notation for t in departments.values()))
            raise ViewError(f"no department {name!r}; the departments are: {listed}")
        chosen.append(iri)
    return chosen


def _kinds(names: Iterable[str]) -> set[str]:
    """Node kinds for class names: English (Initiative), Danish (Initiativ) or ontology local names."""
    lookup = {kind.lower(): kind for kind in KIND_STYLES}
    lookup.update({style.name.lower(): kind for kind, style in KIND_STYLES.items()})
    lookup["organizationalunit"] = "Unit"
    kinds: set[str] = set()
    for name in names:
        kind = lookup.get(name.strip().lower())
        if kind is None:
            raise ViewError(f"no class {name!r}; choose from {', '.join(sorted(KIND_STYLES))}")
        kinds |= SUBKINDS.get(kind, {kind})
    return kinds
