"""Everything known about one thing, with the source lines it came from.

A thing can be named by IRI, notation ("1.1.1", "HA01", "SOF") or label; this
is how a planner checks a fact against the document it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .sparql import with_values
from .vocabulary import PREFIXES

FIND = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s (MIN(?rank) AS ?best) WHERE {
  { ?s skos:notation ?text BIND(1 AS ?kind) } UNION { ?s rdfs:label ?text BIND(2 AS ?kind) }
  BIND(LCASE(STR(?text)) AS ?t)
  BIND(LCASE(?_name) AS ?wanted)
  FILTER(CONTAINS(?t, ?wanted))
  BIND(IF(?t = ?wanted, ?kind, 3) AS ?rank)
  FILTER(!STRSTARTS(STR(?s), "https://w3id.org/indsatsgraf/ontology"))
} GROUP BY ?s ORDER BY ?best ?s LIMIT 20
"""


@dataclass
class Description:
    iri: str
    properties: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[str, int, int, str]] = field(default_factory=list)


def compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _text(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal) and term.language:
        return f"{term.value} @{term.language}"
    return term.value


def find(store: ox.Store, name: str) -> list[str]:
    """IRIs matching ``name``: exact IRI, then notation or exact label, then label substring."""
    if name.startswith(("http://", "https://")):
        return [name]
    rows = store.query(
        with_values(FIND, {"name": ox.Literal(name)}), use_default_graph_as_union=True
    )
    return [row["s"].value for row in rows]


def describe(store: ox.Store, iri: str) -> Description:
    node = ox.NamedNode(iri)
    description = Description(iri)
    seen = set()
    for quad in store.quads_for_pattern(node, None, None, None):
        key = (quad.predicate.value, str(quad.object))
        if key in seen:
            continue
        seen.add(key)
        description.properties.append((compact(quad.predicate.value), _text(quad.object)))
    description.properties.sort()
    rows = store.query(
        with_values(
            """PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?file ?first ?last ?quote WHERE {
          ?_s prov:wasDerivedFrom ?span . ?span ig:document ?doc ; ig:firstLine ?first ;
          ig:lastLine ?last ; ig:quote ?quote . ?doc ig:fileName ?file } ORDER BY ?file ?first""",
            {"s": node},
        ),
        use_default_graph_as_union=True,
    )
    for row in rows:
        description.sources.append(
            (row["file"].value, int(row["first"].value), int(row["last"].value), row["quote"].value)
        )
    return description
