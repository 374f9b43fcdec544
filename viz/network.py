"""Network views: SPARQL over the store, turned into networkx graphs.

Each view is one query whose rows are edges; nodes carry the attributes the
renderer shows (Danish label, kind, tooltip details with the source quote).
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

KIND_OF_CLASS = {
    "Plan": "Plan",
    "Goal": "Goal",
    "Theme": "Theme",
    "Priority": "Priority",
    "Benchmark": "Benchmark",
    "Initiative": "Initiative",
    "Department": "Department",
    "OrganizationalUnit": "Unit",
    "PoliticalBody": "PoliticalBody",
    "Partner": "Partner",
    "BudgetItem": "BudgetItem",
    "Indicator": "Indicator",
}
KIND_DA = {
    "Initiative": "Initiativ",
    "Department": "Forvaltning",
    "Unit": "Enhed",
    "PoliticalBody": "Politisk organ",
    "Partner": "Partner",
    "Priority": "Særlig prioritering",
}

OVERVIEW = """
PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?item ?itemLabel ?itemClass ?notation ?role ?dept ?deptLabel ?deptCode ?file ?first ?last ?quote
WHERE {
  VALUES ?itemClass { ig:Initiative ig:Priority }
  ?item a ?itemClass ; rdfs:label ?itemLabel ;
        ?role ?org .
  VALUES ?role { ig:responsibleDepartment ig:involvedDepartment }
  ?org org:unitOf* ?dept . ?dept a ig:Department ; skos:notation ?deptCode ; rdfs:label ?deptLabel .
  FILTER(LANG(?deptLabel) = "da")
  OPTIONAL { ?item skos:notation ?notation }
  OPTIONAL { ?item prov:wasDerivedFrom ?span . ?span ig:firstLine ?first ; ig:lastLine ?last ;
             ig:quote ?quote ; ig:document/ig:fileName ?file }
}
ORDER BY ?item ?dept
"""


def _short(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def overview(store: ox.Store) -> nx.Graph:
    """Initiatives and priorities linked to the departments responsible or involved."""
    graph = nx.Graph()
    for row in store.query(OVERVIEW, use_default_graph_as_union=True):
        item, dept = row["item"].value, row["dept"].value
        kind = row["itemClass"].value.rsplit("#", 1)[-1]
        if item not in graph:
            details = {"Type": KIND_DA.get(kind, kind)}
            if row["notation"]:
                details["Nummer"] = row["notation"].value
            if row["file"]:
                details["Kilde"] = (
                    f"{row['file'].value}, linje {row['first'].value}-{row['last'].value}"
                )
                details["Citat"] = _short(row["quote"].value)
            graph.add_node(
                item, label=row["itemLabel"].value, kind=kind, details=details, departments=set()
            )
        if dept not in graph:
            graph.add_node(
                dept,
                label=row["deptLabel"].value,
                kind="Department",
                details={"Type": "Forvaltning", "Kode": row["deptCode"].value},
            )
        graph.nodes[item]["departments"].add(row["deptCode"].value)
        role = "ansvarlig" if row["role"].value.endswith("responsibleDepartment") else "involveret"
        if not graph.has_edge(item, dept) or role == "ansvarlig":
            graph.add_edge(item, dept, label=role)
    for _, attrs in graph.nodes(data=True):
        if "departments" in attrs:
            attrs["details"]["Forvaltninger"] = ", ".join(sorted(attrs.pop("departments")))
    return graph
