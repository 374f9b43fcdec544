"""SHACL validation of the store against ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .export import nquads
from .pipeline import ontology_dir
from .vocabulary import ONTOLOGY_GRAPH


@dataclass(frozen=True)
class Violation:
    focus: str
    focus_label: str
    path: str
    message: str
    severity: str


def validate(store: ox.Store) -> list[Violation]:
    """Every SHACL result for the data graphs (the ontology is the schema, not data)."""
    import rdflib
    from pyshacl import validate as shacl

    # The shapes apply to the union of the document and registry graphs.
    union = rdflib.Graph()
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads(store), format="nquads")
    for s, p, o, g in dataset.quads():
        if str(g) != ONTOLOGY_GRAPH.value:
            union.add((s, p, o))
    ontology = rdflib.Graph().parse(ontology_dir() / "indsatsgraf.ttl")
    shapes = rdflib.Graph().parse(ontology_dir() / "shapes.ttl")
    _, report, _ = shacl(union, shacl_graph=shapes, ont_graph=ontology, inference="none")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        label = union.value(focus, rdflib.RDFS.label) if focus is not None else None
        path = report.value(result, sh.resultPath)
        violations.append(
            Violation(
                focus=str(focus),
                focus_label=str(label or ""),
                path=union.namespace_manager.normalizeUri(path) if path is not None else "",
                message=str(report.value(result, sh.resultMessage) or ""),
                severity=str(report.value(result, sh.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path, v.message))
