"""Network views: SPARQL over the store, turned into networkx graphs.

Each view runs one query whose rows are edges (the query-as-graph view runs the saved
query). Every node then gets the same attributes from one shared query over the things
in the store, so a tooltip reads alike in every view. They are plain data: ``label``
(Danish), ``kind`` (a key of the renderer's legend) and ``kind_label`` (its Danish
name), ``notation``, ``plan`` (IRI) and ``plan_file``, ``departments`` (codes),
``period``, ``amount`` (kroner, for sizing), ``status``, ``financing``, ``source`` (file
and lines) and ``quote``. ``details`` is the Danish tooltip rendered from them
(:func:`tooltip`); code reads the data, never the tooltip.

Filters work on the finished graph and mean the same in every view: ``--plan`` keeps
the things of those plans and the organisations they touch; ``--department`` keeps the
things that involve the department and their direct neighbours; ``--class`` keeps only
nodes of those classes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

import networkx as nx
import pyoxigraph as ox

from ..errors import IndsatsgrafError
from ..graph.names import Names, Plan, UnresolvedName, match_plans
from ..graph.query_files import query_file
from ..graph.sparql import run_embedded, with_values
from ..graph.vocabulary import IG, KIND_ORDER, ORG
from ..queries.catalog import find as find_query
from .render import KIND_STYLES
from .styling import mark_departments, mark_focus, mark_lineage, mark_overview

__all__ = [
    "OVERVIEW_KINDS",
    "VIEWS",
    "Thing",
    "View",
    "ViewError",
    "ViewSpec",
    "apply_filters",
    "build_view",
    "dependencies",
    "departments",
    "focus",
    "lineage",
    "overview",
    "query_graph",
    "relations",
    "resolve",
    "things",
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
    """A finished view: its graph and the page title that says what it shows."""

    graph: nx.Graph
    title: str


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
        for kind, iri in VIEW_KINDS:
            if iri in self.classes:
                return kind
        return "Other"

    @property
    def amount(self) -> float | None:
        return float(sum(self.amounts.values())) if self.amounts else None

    @property
    def name(self) -> str:
        """Number and label, as planners cite a thing: "1.4.2 Sammenhængende …"."""
        label = self.label or self.iri.rsplit("/", 1)[-1]
        return f"{self.notation} {label}" if self.notation and self.notation != label else label

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


def things(store: ox.Store) -> dict[str, Thing]:
    """Tooltip facts for every thing in the store, by IRI."""
    found: dict[str, Thing] = {}
    for row in store.query(THINGS, use_default_graph_as_union=True):
        node = row["node"]
        if not isinstance(node, ox.NamedNode):
            continue
        thing = found.setdefault(node.value, Thing(node.value))
        key, value = row["key"].value, row["value"].value
        if key == "class":
            thing.classes.add(value)
        elif key in ("label", "notation", "period", "year", "start", "end", "plan", "financing"):
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
    return {iri: thing for iri, thing in found.items() if thing.classes}


def _edges_graph(rows: Iterable[ox.QuerySolution], known: Mapping[str, Thing]) -> nx.Graph:
    """An undirected graph from ?s ?p ?o (?via) rows between known things."""
    graph = nx.Graph()
    for row in rows:
        source, predicate, target = row["s"], row["p"], row["o"]
        if not all(isinstance(t, ox.NamedNode) for t in (source, predicate, target)):
            continue
        s, p, o = source.value, predicate.value, target.value
        if s == o and p != IG + "describedIn":
            continue
        for node in (s, o):
            if node not in graph and node in known:
                graph.add_node(node, **known[node].attributes())
        if s not in graph or o not in graph or s == o:
            continue
        via = row["via"].value if row["via"] else ""
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


def relations(store: ox.Store, known: Mapping[str, Thing] | None = None) -> nx.Graph:
    """Every thing and every relation between things: the graph the other views cut from."""
    known = things(store) if known is None else known
    return _edges_graph(store.query(RELATIONS, use_default_graph_as_union=True), known)


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
    known = things(store)
    graph = relations(store, known)
    kinds = _kinds(classes) or OVERVIEW_KINDS
    graph = graph.subgraph(n for n, kind in graph.nodes(data="kind") if kind in kinds).copy()
    return mark_overview(apply_filters(graph, known, plans=plans, departments=departments))


def departments(
    store: ox.Store,
    *,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """Departments linked by the initiatives they share; ``weight`` = shared initiatives."""
    known = things(store)
    chosen_plans = _plans(known, plans)
    graph = nx.Graph()
    for iri, thing in sorted(known.items()):
        if thing.kind == "Department":
            graph.add_node(iri, **thing.attributes())
    members: dict[str, set[str]] = defaultdict(set)
    for row in store.query(DEPARTMENT_LINKS, use_default_graph_as_union=True):
        item, dept = row["item"].value, row["dept"].value
        if not chosen_plans or known[item].plan in chosen_plans:
            members[item].add(dept)
    involved: Counter[str] = Counter()
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item, depts in sorted(members.items()):
        involved.update(depts)
        for pair in combinations(sorted(depts), 2):
            shared[pair].append(item)
    for dept, attrs in graph.nodes(data=True):
        attrs["initiatives"] = involved[dept]
        attrs["details"] = tooltip(attrs)
    for (a, b), items in sorted(shared.items()):
        names = tuple(known[item].name for item in items)
        graph.add_edge(
            a, b, weight=len(items), label=str(len(items)), initiatives=tuple(items), items=names
        )
    wanted = _departments(known, departments)
    if wanted:
        edges = [(a, b) for a, b in graph.edges if a in wanted or b in wanted]
        star = graph.edge_subgraph(edges).copy()
        star.add_nodes_from((d, graph.nodes[d]) for d in wanted)
        graph = star
    return mark_departments(apply_filters(graph, known, classes=classes))


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
    known = things(store)
    center = resolve(store, known, name)
    graph = with_thing(store, known, relations(store, known), center)
    graph = nx.ego_graph(graph, center, radius=max(0, depth)).copy()
    graph.graph.update(center=center, center_name=known[center].name)
    graph = apply_filters(graph, known, plans=plans, departments=departments, classes=classes)
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
    known = things(store)
    center = resolve(store, known, name)
    query = with_values(DEPENDENCIES, {"item": ox.NamedNode(center)})
    graph = _edges_graph(store.query(query, use_default_graph_as_union=True), known)
    graph.add_node(center, **known[center].attributes())
    graph.graph.update(center=center, center_name=known[center].name)
    graph = apply_filters(graph, known, plans=plans, departments=departments, classes=classes)
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
    known = things(store)
    graph = _edges_graph(store.query(LINEAGE, use_default_graph_as_union=True), known)
    chosen = _plans(known, plans)
    if chosen:
        chains = graph.subgraph(n for n, k in graph.nodes(data="kind") if k != "Plan")
        keep: set[str] = set()
        for chain in nx.connected_components(chains):
            if any(known[n].plan in chosen for n in chain):
                keep |= chain
        keep |= {known[n].plan for n in keep} | chosen
        graph = graph.subgraph(keep).copy()
    graph = apply_filters(graph, known, departments=departments, classes=classes)
    years = {n: _years(known[known[n].plan]) for n in graph if known[n].plan in known}
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
    known = things(store)
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
        seeds = {n for s, o, _ in links for n in (s, o) if n in known}
    else:
        links, seeds = [], set()
        for row in result.rows:
            cells = [(v, row[v]) for v in result.variables if isinstance(row[v], str)]
            nodes = [(v, value) for v, value in cells if value in known]
            seeds |= {value for _, value in nodes}
            links += [(nodes[0][1], value, v) for v, value in nodes[1:]]
    for node in seeds:
        graph.add_node(node, **known[node].attributes())
    for s, o, relation in links:
        if s in graph and o in graph and s != o:
            graph.add_edge(s, o, label=EDGE_LABELS.get(relation, relation.rsplit("#", 1)[-1]))
    if depth > 0 and seeds:
        around = relations(store, known)
        for seed in seeds:
            graph = nx.compose(graph, nx.ego_graph(around, seed, radius=depth))
    graph.graph["query"] = saved.name
    return apply_filters(graph, known, plans=plans, departments=departments, classes=classes)


def build_view(store: ox.Store, spec: ViewSpec) -> View:
    """The view ``spec`` asks for, with a title that says what it shows."""
    filters = {"plans": spec.plans, "departments": spec.departments, "classes": spec.classes}
    chosen = spec.view or ("query" if spec.query else "focus" if spec.focus else "overview")
    if chosen == "overview":
        graph = overview(store, **filters)
        title = "Overblik: planer, mål, indsatser, forvaltninger, budget og indikatorer"
    elif chosen == "departments":
        graph = departments(store, **filters)
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
    return View(graph, f"indsatsgraf — {title}")


def resolve(store: ox.Store, known: Mapping[str, Thing], name: str) -> str:
    """The thing ``name`` means, as `show` resolves it (:mod:`..graph.names`)."""
    try:
        iri = Names.of_store(store).thing(name).iri
    except UnresolvedName as error:
        raise ViewError(str(error)) from error
    if iri not in known:
        raise ViewError(f"{name!r} is {iri}, which the network views do not draw")
    return iri


def with_thing(store: ox.Store, known: Mapping[str, Thing], graph: nx.Graph, iri: str) -> nx.Graph:
    """``graph`` with ``iri`` in it: a unit with its own ties, anything else alone.

    The relations graph draws a unit as its department, so a view centred on one
    (``--focus "Borgercenter Handicap"``) adds the unit's ties to what it is built on.
    """
    if iri in graph:
        return graph
    query = with_values(ORGANISATION_TIES, {"org": ox.NamedNode(iri)})
    ties = _edges_graph(store.query(query, use_default_graph_as_union=True), known)
    graph = nx.compose(graph, ties)
    if iri not in graph:
        graph.add_node(iri, **known[iri].attributes())
    return graph


def apply_filters(
    graph: nx.Graph,
    known: Mapping[str, Thing],
    *,
    plans: Iterable[str] = (),
    departments: Iterable[str] = (),
    classes: Iterable[str] = (),
) -> nx.Graph:
    """Apply the shared filters; the center of a focus view is kept whenever it matches."""
    keep = set(graph)
    chosen_plans = _plans(known, plans)
    if chosen_plans:
        inside = {n for n in keep if graph.nodes[n]["plan"] in chosen_plans}
        keep = inside | {m for n in inside for m in graph[n] if not graph.nodes[m]["plan"]}
    codes = {known[d].notation for d in _departments(known, departments)}
    if codes:
        anchors = {n for n in keep if codes & set(graph.nodes[n]["departments"])}
        keep = anchors | {m for n in anchors for m in graph[n] if m in keep}
    kinds = _kinds(classes)
    if kinds:
        keep = {n for n in keep if graph.nodes[n]["kind"] in kinds}
    if keep == set(graph):
        return graph
    filtered = graph.subgraph(keep).copy()
    filtered.graph.update(graph.graph)
    return filtered


def _plans(known: Mapping[str, Thing], names: Iterable[str]) -> set[str]:
    """Plan IRIs for names, named as everywhere (:func:`..graph.names.match_plans`).

    A filter may name several plans at once ("sof-indsatsplan" is two).
    """
    names = list(names)
    if not names:
        return set()
    plans = [_as_plan(thing) for thing in known.values() if thing.kind == "Plan"]
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


def _departments(known: Mapping[str, Thing], names: Iterable[str]) -> list[str]:
    """Department IRIs for codes (SOF, BUF, …) or IRIs, case-insensitive."""
    departments = {iri: t for iri, t in known.items() if t.kind == "Department"}
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
