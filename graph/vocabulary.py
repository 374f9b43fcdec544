"""Namespaces and the one rule for minting stable IRIs.

Only the builder and the organisation registry mint IRIs, and they do it here,
from codes and normalised labels, so a rebuild yields byte-identical graphs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pyoxigraph import NamedNode

IG = "https://w3id.org/indsatsgraf/ontology#"
ID = "https://w3id.org/indsatsgraf/id/"
GRAPH = "https://w3id.org/indsatsgraf/graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES = {
    "ig": IG,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "owl": OWL,
}

ONTOLOGY_GRAPH = NamedNode(GRAPH + "ontology")
ORGANISATIONS_GRAPH = NamedNode(GRAPH + "organisations")
LINKS_GRAPH = NamedNode(GRAPH + "links")

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slug(text: str, *, keep_dots: bool = False) -> str:
    """ASCII slug of a Danish label: æ→ae, ø→oe, å→aa, other marks dropped."""
    text = text.translate(_DANISH).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    allowed = r"[^a-z0-9.]+" if keep_dots else r"[^a-z0-9]+"
    return re.sub(allowed, "-", text).strip("-.") or "x"


@cache
def ig(local: str) -> NamedNode:
    """An ontology term; cached, since a build asks for the same few terms millions of times."""
    return NamedNode(IG + local)


def data_iri(*parts: str) -> NamedNode:
    return NamedNode(data_iri_value(*parts))


def data_iri_value(*parts: str) -> str:
    """The IRI :func:`data_iri` names, as a string (the builder writes N-Quads text)."""
    return ID + "/".join(parts)


def organisation_iri(code_or_name: str) -> NamedNode:
    """IRI of an organisation: departments by code (``SOF`` → ``org/sof``), others by name."""
    return data_iri("org", slug(code_or_name))


def graph_iri(document_slug: str) -> NamedNode:
    return NamedNode(GRAPH + document_slug)


#: The kind of a thing that has several classes is its most specific one, first in this
#: order (a department is also an org:OrganizationalUnit, a partner an org:Organization).
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
    ("ProgrammeTrack", IG + "ProgrammeTrack"),
    ("Programme", IG + "Programme"),
    ("Department", IG + "Department"),
    ("PoliticalBody", IG + "PoliticalBody"),
    ("Partner", IG + "Partner"),
    ("Unit", ORG + "OrganizationalUnit"),
    ("Organisation", ORG + "Organization"),
)
