"""Everything known about one thing, with the source lines it came from.

Which thing a name means is decided by :mod:`.names`; this module only says
what the graph holds about it, which is how a planner checks a fact against the
document it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .query_files import query_file
from .sparql import with_values
from .vocabulary import PREFIXES


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
        with_values(query_file(__package__, "thing-sources"), {"s": node}),
        use_default_graph_as_union=True,
    )
    for row in rows:
        description.sources.append(
            (row["file"].value, int(row["first"].value), int(row["last"].value), row["quote"].value)
        )
    return description
