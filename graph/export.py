"""Serialise the whole store, and count what is in it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from ..safetext import escaped
from .query_files import query_file
from .vocabulary import PREFIXES

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": None,
}


def nquads(store: ox.Store) -> bytes:
    """Every quad as N-Quads, for handing the graph to rdflib."""
    return ox.serialize(store, format=ox.RdfFormat.N_QUADS)


def canonical_nquads(store: ox.Store) -> str:
    """Sorted N-Quads with RDFC-1.0 blank node labels: identical text for identical graphs.

    The ontology's OWL lists are blank nodes whose labels change on every
    parse; canonicalisation names them by their content instead.
    """
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "\n".join(sorted(str(q) + " ." for q in dataset)) + "\n"


def export(store: ox.Store, fmt: str) -> bytes:
    """The store in ``fmt``; triple formats merge the named graphs into one."""
    if fmt == "jsonld":
        import rdflib

        dataset = rdflib.Dataset()
        dataset.parse(data=nquads(store), format="nquads")
        for prefix, iri in PREFIXES.items():
            dataset.bind(prefix, iri)
        return dataset.serialize(format="json-ld", indent=2).encode()
    if fmt in ("nt", "ttl"):
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store}, key=str)
        kwargs = {"prefixes": PREFIXES} if fmt == "ttl" else {}
        return ox.serialize(triples, format=FORMATS[fmt], **kwargs)
    quads = sorted(store, key=str)
    kwargs = {"prefixes": PREFIXES} if fmt == "trig" else {}
    return ox.serialize(quads, format=FORMATS[fmt], **kwargs)


@dataclass
class Stats:
    triples: int  # distinct triples over all graphs (what `export --format nt` writes)
    quads: int
    per_graph: dict[str, int]
    per_class: dict[str, int]
    per_document_class: dict[str, Counter[str]]


def stats(store: ox.Store) -> Stats:
    per_graph: Counter[str] = Counter()
    triples: set[tuple[str, str, str]] = set()
    for q in store:
        per_graph[q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""] += 1
        triples.add((str(q.subject), str(q.predicate), str(q.object)))
    classes: Counter[str] = Counter()
    for row in store.query(query_file(__package__, "things-per-class")):
        classes[row["c"].value] = int(row["n"].value)
    per_document: dict[str, Counter[str]] = {}
    for row in store.query(query_file(__package__, "things-per-document")):
        per_document.setdefault(row["file"].value, Counter())[row["class"].value] = int(
            row["n"].value
        )
    return Stats(
        len(triples), sum(per_graph.values()), dict(per_graph), dict(classes), per_document
    )


TABLE_CLASSES = (
    "Theme",
    "Goal",
    "Priority",
    "Benchmark",
    "Initiative",
    "Indicator",
    "Measurement",
    "BudgetItem",
    "StatusUpdate",
    "MonetaryAmount",
    "SourceSpan",
)


def extraction_table(result: Stats) -> str:
    """A Markdown table of things per class per document, for the README."""
    header = "| document | " + " | ".join(TABLE_CLASSES) + " |"
    rows = [header, "|---" * (len(TABLE_CLASSES) + 1) + "|"]
    totals: Counter[str] = Counter()
    for file_name, counts in sorted(result.per_document_class.items()):
        totals.update(counts)
        cells = " | ".join(str(counts.get(c, 0)) for c in TABLE_CLASSES)
        name = escaped(file_name).replace("|", "\\|")  # one cell, on one line
        rows.append(f"| {name} | {cells} |")
    rows.append("| **all** | " + " | ".join(str(totals.get(c, 0)) for c in TABLE_CLASSES) + " |")
    return "\n".join(rows)
