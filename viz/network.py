"""Network views: SPARQL over the store, turned into networkx graphs.

Each view runs one query whose rows are edges (the query-as-graph view runs the saved
query). Every node then gets the same attributes from one shared query over the things
in the store, so a tooltip reads alike in every view: ``label`` (Danish), ``kind`` (a
key of the renderer's legend), ``details`` (Danish type, number, departments, plan,
period, amount, status, and the source quote with file and lines), ``amount`` (kroner,
for sizing) and, for the filters, ``plan`` (IRI) and ``departments`` (codes).

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
from ..graph.sparql import run_embedded, with_values
from ..queries.catalog import find as find_query
from .render import KIND_STYLES

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

IG = "https://w3id.org/indsatsgraf/ontology#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"

PREFIXES = """
PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

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

#: The most specific class decides the kind when a thing has several (a department is
#: also an org:OrganizationalUnit, a partner also an org:Organization).
KIND_ORDER = (
    ("Priority", IG + "Priority"),
    ("Benchmark", IG + "Benchmark"),
    ("Theme", IG + "Theme"),
    ("Goal", IG + "Goal"),
    ("Initiative", IG + "Initiative"),
    ("BudgetItem", IG + "BudgetItem"),
    ("Indicator", IG + "Indicator"),
    ("Measurement", IG + "Measurement"),
    ("Plan", IG + "Plan"),
    ("Department", IG + "Department"),
    ("PoliticalBody", IG + "PoliticalBody"),
    ("Partner", IG + "Partner"),
    ("Unit", ORG + "OrganizationalUnit"),
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

#: Every relation between things; units count for their department (as in the saved
#: queries), and a thing hangs on its plan only when nothing above it in the plan holds it,
#: so plans → goals → initiatives reads as a hierarchy rather than a star.
RELATIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?s ?p ?o ?via WHERE {
  {
    VALUES ?p { ig:supports ig:fundedBy ig:hasIndicator ig:hasMeasurement ig:partner
                ig:responsibleBody ig:involvedBody ig:correspondsTo skos:broader dcterms:isPartOf }
    ?s ?p ?o . ?o a ?class .
  } UNION {
    VALUES ?p { ig:responsibleDepartment ig:involvedDepartment }
    ?s ?p ?org .
    OPTIONAL { ?org org:unitOf+ ?dept . ?dept a ig:Department . ?org rdfs:label ?via }
    BIND(COALESCE(?dept, ?org) AS ?o)
  } UNION {
    ?s ig:describedIn ?o . BIND(ig:describedIn AS ?p)
    ?s a ?class . FILTER(?class != ig:SourceSpan)
    FILTER NOT EXISTS { ?s ig:supports|skos:broader|dcterms:isPartOf ?above }
    FILTER NOT EXISTS { ?holder ig:hasIndicator|ig:hasMeasurement ?s }
  }
}
"""
)

#: Initiatives and priorities with the departments they involve (units count for theirs).
DEPARTMENT_LINKS = (
    PREFIXES
    + """
SELECT DISTINCT ?item ?dept WHERE {
  VALUES ?class { ig:Initiative ig:Priority }
  ?item a ?class ; ig:department ?dept .
}
"""
)

#: What one initiative rests on: its goals up the hierarchy (with their indicators), its
#: budget (with the goals the budget serves), indicators, departments, bodies, partners,
#: parent and sub-initiatives, its plan, and everything it corresponds to in other plans.
DEPENDENCIES = (
    PREFIXES
    + """
SELECT DISTINCT ?s ?p ?o ?via WHERE {
  {
    VALUES ?p { ig:supports ig:fundedBy ig:hasIndicator ig:partner ig:responsibleBody
                ig:involvedBody ig:describedIn dcterms:isPartOf }
    ?_item ?p ?o . BIND(?_item AS ?s)
  } UNION {
    ?s dcterms:isPartOf ?_item . BIND(dcterms:isPartOf AS ?p) BIND(?_item AS ?o)
  } UNION {
    VALUES ?p { ig:responsibleDepartment ig:involvedDepartment }
    ?_item ?p ?org . BIND(?_item AS ?s)
    OPTIONAL { ?org org:unitOf+ ?dept . ?dept a ig:Department . ?org rdfs:label ?via }
    BIND(COALESCE(?dept, ?org) AS ?o)
  } UNION {
    ?_item ig:supports/skos:broader* ?s . ?s skos:broader ?o . BIND(skos:broader AS ?p)
  } UNION {
    ?_item ig:supports/skos:broader* ?s . ?s ig:hasIndicator ?o . BIND(ig:hasIndicator AS ?p)
  } UNION {
    ?_item ig:fundedBy ?s . ?s ig:supports ?o . BIND(ig:supports AS ?p)
  } UNION {
    ?_item (ig:correspondsTo|^ig:correspondsTo)+ ?s .
    ?s ig:correspondsTo ?o . BIND(ig:correspondsTo AS ?p)
  } UNION {
    ?_item (ig:correspondsTo|^ig:correspondsTo)+ ?s .
    ?s ig:describedIn ?o . BIND(ig:describedIn AS ?p)
  }
}
"""
)

#: The same initiative (or goal) across plans, and the plan each description belongs to.
LINEAGE = (
    PREFIXES
    + """
SELECT DISTINCT ?s ?p ?o ?via WHERE {
  { ?s ig:correspondsTo ?o . BIND(ig:correspondsTo AS ?p) }
  UNION
  { ?s ig:correspondsTo|^ig:correspondsTo ?other ; ig:describedIn ?o . BIND(ig:describedIn AS ?p) }
  UNION
  { ?s a ig:Plan . BIND(?s AS ?o) BIND(ig:describedIn AS ?p) }
}
"""
)

#: An organisation's own ties, for a view centred on a unit: the relations graph counts a
#: unit for its department, so the unit itself appears there only as a partner.
ORGANISATION_TIES = (
    PREFIXES
    + """
SELECT DISTINCT ?s ?p ?o ?via WHERE {
  {
    VALUES ?p { ig:responsibleDepartment ig:involvedDepartment ig:partner }
    ?s ?p ?_org . BIND(?_org AS ?o)
  } UNION {
    ?_org org:unitOf ?o . BIND(?_org AS ?s) BIND(org:unitOf AS ?p)
  }
}
"""
)

#: One row per fact a tooltip shows, so no OPTIONAL multiplies another.
THINGS = (
    PREFIXES
    + """
SELECT ?node ?key ?value ?first ?last ?extra WHERE {
  { ?node a ?value BIND("class" AS ?key) }
  UNION { ?node rdfs:label ?value BIND("label" AS ?key) FILTER(LANG(?value) IN ("da", "")) }
  UNION { ?node skos:notation ?value BIND("notation" AS ?key) }
  UNION { ?node ig:department/skos:notation ?value BIND("department" AS ?key) }
  UNION { ?node org:unitOf* ?dept . ?dept a ig:Department ; skos:notation ?value
          BIND("department" AS ?key) }
  UNION { ?node ig:periodText ?value BIND("period" AS ?key) }
  UNION { ?node ig:year ?value BIND("year" AS ?key) }
  UNION { ?node ig:startYear ?value BIND("start" AS ?key) }
  UNION { ?node ig:endYear ?value BIND("end" AS ?key) }
  UNION { ?node ig:budgetYear ?value BIND("budgetYear" AS ?key) }
  UNION { ?node ig:hasAmount ?extra . ?extra ig:amountDKK ?value BIND("amount" AS ?key)
          FILTER NOT EXISTS { ?extra ig:partOfAmount ?total } }
  UNION { ?node ig:amountDKK ?value BIND(?node AS ?extra) BIND("amount" AS ?key) }
  UNION { ?node ig:describedIn ?value BIND("plan" AS ?key) }
  UNION { ?node a ig:Plan BIND(?node AS ?value) BIND("plan" AS ?key) }
  UNION { ?node ig:describedIn/ig:fileName ?value BIND("planFile" AS ?key) }
  UNION { ?node ig:fileName ?value BIND("planFile" AS ?key) }
  UNION { ?node ig:statusUpdate/ig:statusClass/rdfs:label ?value BIND("status" AS ?key)
          FILTER(LANG(?value) = "da") }
  UNION { ?node ig:financingStatus/rdfs:label ?value BIND("financing" AS ?key)
          FILTER(LANG(?value) = "da") }
  UNION {
    # Hash-joined tables: one look-up per span and property costs far more on a big graph.
    { SELECT ?node ?span WHERE { ?node prov:wasDerivedFrom ?span } }
    { SELECT ?span ?document WHERE { ?span ig:document ?document } }
    { SELECT ?document ?value WHERE { ?document a ig:Plan ; ig:fileName ?value } }
    { SELECT ?span ?first WHERE { ?span ig:firstLine ?first } }
    { SELECT ?span ?last WHERE { ?span ig:lastLine ?last } }
    { SELECT ?span ?extra WHERE { ?span ig:quote ?extra } }
    BIND("source" AS ?key)
  }
}
"""
)


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
        for kind, iri in KIND_ORDER:
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
        """Node attributes for networkx and the renderer."""
        return {
            "label": self.label or self.notation or self.iri.rsplit("/", 1)[-1],
            "kind": self.kind,
            "details": self.details(),
            "amount": self.amount,
            "plan": self.plan,
            "departments": tuple(sorted(self.departments)),
        }

    def details(self) -> dict[str, str]:
        kind = self.kind
        details = {"Type": KIND_STYLES[kind].name if kind in KIND_STYLES else kind}
        if self.notation:
            details["Nummer" if kind != "Department" else "Kode"] = self.notation
        if self.departments and kind != "Department":
            details["Forvaltninger"] = ", ".join(sorted(self.departments))
        if self.plan_file:
            details["Plan"] = self.plan_file
        period = self.period or "–".join(y for y in (self.start, self.end) if y)
        if not period and self.budget_year:
            period = f"budgetår {self.budget_year}"
        if period:
            details["Periode"] = period
        if self.amount is not None:
            details["Beløb"] = f"{danish_number(self.amount)} kr."
        if self.status:
            details["Status"] = ", ".join(sorted(self.status))
        if self.financing:
            details["Finansiering"] = self.financing
        if self.sources:
            file_name, first, last, quote = min(self.sources)
            lines = f"linje {first}" if first == last else f"linje {first}-{last}"
            details["Kilde"] = f"{file_name}, {lines}"
            details["Citat"] = quote
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
    return apply_filters(graph, known, plans=plans, departments=departments)


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
        attrs["details"]["Indsatser"] = str(involved[dept])
    for (a, b), items in sorted(shared.items()):
        graph.add_edge(a, b, weight=len(items), label=str(len(items)), initiatives=tuple(items))
    wanted = _departments(known, departments)
    if wanted:
        edges = [(a, b) for a, b in graph.edges if a in wanted or b in wanted]
        star = graph.edge_subgraph(edges).copy()
        star.add_nodes_from((d, graph.nodes[d]) for d in wanted)
        graph = star
    return apply_filters(graph, known, classes=classes)


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
    return apply_filters(graph, known, plans=plans, departments=departments, classes=classes)


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
    return apply_filters(graph, known, plans=plans, departments=departments, classes=classes)


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
    return apply_filters(graph, known, departments=departments, classes=classes)


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
