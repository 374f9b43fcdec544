"""The ontology, the SHACL shapes and the organisation registry keep the builder's contract.

The term list is copied from the contract on purpose: a term the builder writes but the
ontology forgets, or a label that goes missing, must fail here instead of surfacing as an
unlabelled node in a query result. Registry facts are checked against the source documents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from indsatsgraf.graph.vocabulary import slug
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SH

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
SOURCES_DIR = ROOT / "data" / "sources"

IG = Namespace("https://w3id.org/indsatsgraf/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
ORGS = Namespace("https://w3id.org/indsatsgraf/id/org/")
ONTOLOGY_IRI = URIRef("https://w3id.org/indsatsgraf/ontology")

CLASSES = [
    "Plan", "Goal", "Theme", "Priority", "Benchmark", "Initiative", "Department", "PoliticalBody",
    "Municipality", "Partner", "BudgetItem", "Indicator", "Measurement", "MeasurementKind",
    "UnitOfMeasure", "SourceSpan", "StatusUpdate", "StatusClass", "FinancingClass",
    "MonetaryAmount", "Reference",
    # cross-document links (graph/linking.py, graph/references.py)
    "Correspondence", "LinkStatus", "Programme", "ProgrammeTrack",
    # committee cases and facts read from prose (importers/committee_case.py, importers/facts.py)
    "Proposal", "Decision", "Mention",
    # names of organisations with their years (ontology/organisations.ttl)
    "NameInUse",
]  # fmt: skip
# involvedBody is not in the written contract but the builder writes it (graph/builder.py).
OBJECT_PROPERTIES = [
    "describedIn", "responsibleDepartment", "inferredResponsibleDepartment", "involvedDepartment",
    "responsibleBody",
    "involvedBody", "partner", "department", "contributesTo",
    "supports", "fundedBy", "crossReference", "correspondsTo", "hasIndicator", "hasMeasurement",
    "measurementKind", "unit", "financingStatus", "hasAmount", "partOfAmount", "statusUpdate",
    "statusClass",
    "document",
    "linkSource", "linkTarget", "linkStatus", "resolvesTo", "hasTrack",
    "committee", "hasProposal", "mentions", "mentionOf", "mentionsOrganisation", "statesAmount",
    "nameInUse",
]  # fmt: skip
DATATYPE_PROPERTIES = [
    "value", "year", "comparator", "footnote", "amountDKK", "budgetYear", "startYear", "endYear",
    "periodText", "targetGroup", "purpose", "goalText", "financingText", "statusText", "score",
    "remark", "firstLine", "lastLine", "quote", "fileName", "sha256", "importer", "planKind",
    "policy", "referenceKind",
    "linkScore", "linkMethod", "evidence",
    "firstPage", "lastPage", "meetingDate", "committeeName", "caseNumber", "proposerName",
    "mentionKind", "mentionValue", "confidence", "date", "baselineYear",
    "name", "validFrom", "validUntil",
]  # fmt: skip
INDIVIDUALS = {
    "MeasurementKind": ["Baseline", "Status", "Target", "Actual"],
    "UnitOfMeasure": ["Percent", "Count", "DKK", "Score"],
    "StatusClass": [
        "Ongoing", "Completed", "Delayed", "Discontinued", "NotPrioritised", "SeeOtherTheme",
        "StatusUnknown",
    ],
    "FinancingClass": ["Funded", "ExistingBudget", "PartlyFunded", "Unfunded", "NotRelevant"],
    "LinkStatus": ["Accepted", "Candidate", "Rejected"],
}  # fmt: skip
ALL_TERMS = (
    [(t, OWL.Class) for t in CLASSES]
    + [(t, OWL.ObjectProperty) for t in OBJECT_PROPERTIES]
    + [(t, OWL.DatatypeProperty) for t in DATATYPE_PROPERTIES]
    + [(t, IG[cls]) for cls, names in INDIVIDUALS.items() for t in names]
)

DEPARTMENT_CODES = {
    "SOF": "sof", "BUF": "buf", "BIF": "bif", "SUF": "suf", "TMF": "tmf", "ØKF": "oekf",
    "KFF": "kff",
}  # fmt: skip
POLITICAL_BODIES = {
    "Borgerrepræsentationen",
    "Socialudvalget",
    "Handicaprådet",
    "Børne- og Ungdomsudvalget",
    "Beskæftigelses- og Integrationsudvalget",
    "Sundheds- og Omsorgsudvalget",
    "Teknik- og Miljøudvalget",
    "Økonomiudvalget",
    "Kultur- og Fritidsudvalget",
}
ORGANISATION_KINDS = (IG.Department, IG.PoliticalBody, IG.Municipality, IG.Partner)


def _parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse("indsatsgraf.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse("shapes.ttl")


@pytest.fixture(scope="module")
def registry() -> Graph:
    return _parse("organisations.ttl")


@pytest.fixture(scope="module")
def corpus() -> str:
    """All five documents as one lower-cased string with line breaks collapsed."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES_DIR.glob("*.txt")))
    return " ".join(text.split()).lower()


def _langs(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def _organisations(registry: Graph) -> set[URIRef]:
    found = {s for kind in ORGANISATION_KINDS for s in registry.subjects(RDF.type, kind)}
    return found | set(registry.subjects(RDF.type, ORG.OrganizationalUnit))


def _danish_label(graph: Graph, subject: URIRef) -> str:
    (label,) = [o for o in graph.objects(subject, RDFS.label) if o.language == "da"]
    return str(label)


# --- ontology -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["indsatsgraf.ttl", "shapes.ttl", "organisations.ttl"])
def test_turtle_files_parse(name: str) -> None:
    assert len(_parse(name)) > 50


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert _langs(ontology, ONTOLOGY_IRI, DCTERMS.title) >= {"en", "da"}
    assert (ONTOLOGY_IRI, OWL.versionInfo, None) in ontology
    assert (ONTOLOGY_IRI, DCTERMS.description, None) in ontology
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (ONTOLOGY_IRI, DCTERMS.license, licence) in ontology


@pytest.mark.parametrize(("term", "kind"), ALL_TERMS, ids=[t for t, _ in ALL_TERMS])
def test_contract_term_is_defined(ontology: Graph, term: str, kind: URIRef) -> None:
    iri = IG[term]
    assert (iri, RDF.type, kind) in ontology
    assert _langs(ontology, iri, RDFS.label) >= {"da", "en"}
    assert "en" in _langs(ontology, iri, SKOS.definition)
    assert (iri, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology


def test_enumerations_hold_exactly_the_contract_individuals(ontology: Graph) -> None:
    for cls, names in INDIVIDUALS.items():
        members = set(ontology.subjects(RDF.type, IG[cls]))
        assert members == {IG[n] for n in names}, cls
        assert all((m, RDF.type, OWL.NamedIndividual) in ontology for m in members)


def test_ontology_defines_nothing_beyond_the_contract(ontology: Graph) -> None:
    defined = {s for s in ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)}
    assert defined == {IG[t] for t, _ in ALL_TERMS}


@pytest.mark.parametrize("name", ["indsatsgraf.ttl", "shapes.ttl", "organisations.ttl"])
def test_every_ig_term_used_is_defined(ontology: Graph, name: str) -> None:
    graph = _parse(name)
    used = {n for triple in graph for n in triple if isinstance(n, URIRef) and n in IG}
    undefined = {n for n in used if (n, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology}
    assert not undefined


def test_every_ig_term_in_code_and_queries_is_defined(ontology: Graph) -> None:
    """The builder, views and saved queries may only write or ask for defined terms."""
    sources = [*ROOT.glob("graph/*.py"), *ROOT.glob("viz/*.py"), *ROOT.glob("queries/*.rq")]
    sources += [ROOT / "cli.py"] if (ROOT / "cli.py").exists() else []
    pattern = re.compile(r'ig\("(\w+)"\)|\big:(\w+)')
    used: set[str] = set()
    for path in sources:
        for call, prefixed in pattern.findall(path.read_text(encoding="utf-8")):
            used.add(call or prefixed)
    assert {"Initiative", "involvedBody", "describedIn"} <= used
    assert {n for n in used if (IG[n], RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology} == set()


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (IG.Department, ORG.OrganizationalUnit),
        (IG.PoliticalBody, ORG.Organization),
        (IG.Municipality, ORG.FormalOrganization),
        (IG.Partner, ORG.Organization),
        (IG.SourceSpan, PROV.Entity),
        (IG.Theme, IG.Goal),
        (IG.Priority, IG.Goal),
        (IG.Benchmark, IG.Goal),
    ],
)
def test_subclass_axioms(ontology: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in ontology


def test_property_axioms(ontology: Graph) -> None:
    assert (IG.correspondsTo, RDF.type, OWL.SymmetricProperty) in ontology
    assert (IG.describedIn, RDFS.range, IG.Plan) in ontology
    assert (IG.document, RDFS.domain, IG.SourceSpan) in ontology
    assert (IG.hasMeasurement, RDFS.range, IG.Measurement) in ontology
    xsd = Namespace("http://www.w3.org/2001/XMLSchema#")
    assert (IG.value, RDFS.range, xsd.decimal) in ontology
    assert (IG.amountDKK, RDFS.range, xsd.decimal) in ontology
    for integer in ("year", "budgetYear", "startYear", "endYear", "firstLine", "lastLine"):
        assert (IG[integer], RDFS.range, xsd.integer) in ontology, integer
    # Describing something in a plan must not make it an initiative: describedIn stays open.
    assert (IG.describedIn, RDFS.domain, None) not in ontology


# --- SHACL shapes ---------------------------------------------------------------------

PREFIXES = """
@prefix ig: <https://w3id.org/indsatsgraf/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/> .
"""
VALID = {
    "plan": """:plan a ig:Plan ; ig:fileName "bif-indsatsplan-2018-2022.txt" ;
        ig:sha256 "abababababababababababababababababababababababababababababababab" .""",
    "span": """:span a ig:SourceSpan ; ig:document :plan ; ig:firstLine 3 ; ig:lastLine 4 ;
        ig:quote "Beskæftigelses- og Integrationsforvaltningens indsatsplan" .""",
    "initiative": """:ini a ig:Initiative ; rdfs:label "Jobklub"@da ;
        ig:describedIn :plan ; prov:wasDerivedFrom :span .""",
    "label": """:ini rdfs:label "Job club"@en .""",
    "measurement": """:m a ig:Measurement ; ig:value 95.9 ; ig:measurementKind ig:Baseline ;
        ig:unit ig:Percent .""",
    "department": """:dep a ig:Department ; skos:notation "BIF" .""",
    "budget": """:b a ig:BudgetItem ; rdfs:label "Udvikling af aktiviteter"@da ;
        ig:describedIn :plan .""",
}


def _data(parts: dict[str, str]) -> Graph:
    return Graph().parse(data=PREFIXES + "\n".join(parts.values()), format="turtle")


def _results(shapes: Graph, data: Graph) -> list[tuple[str, str]]:
    """(focus node, path) of every validation result, sorted."""
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    results = sorted(
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )
    assert conforms == (not results)
    return results


def test_valid_graph_conforms(shapes: Graph) -> None:
    assert _results(shapes, _data(VALID)) == []


def test_invalid_graph_reports_each_missing_field(shapes: Graph) -> None:
    parts = dict(VALID)
    parts["initiative"] = (
        ":ini a ig:Initiative ; ig:describedIn :plan ; prov:wasDerivedFrom :span ."
    )
    parts["measurement"] = ":m a ig:Measurement ; ig:value 95.9 ; ig:measurementKind ig:Baseline ."
    parts["department"] = ":dep a ig:Department ."
    assert _results(shapes, _data(parts)) == [
        ("https://example.org/dep", str(SKOS.notation)),
        ("https://example.org/ini", str(RDFS.label)),
        ("https://example.org/m", str(IG.unit)),
    ]


@pytest.mark.parametrize(
    ("part", "replacement", "focus", "path"),
    [
        (
            "initiative",
            ':ini a ig:Initiative ; rdfs:label "Job club"@en ; ig:describedIn :plan ;'
            " prov:wasDerivedFrom :span .",
            "ini",
            RDFS.label,
        ),
        (
            "initiative",
            ':ini a ig:Initiative ; rdfs:label "Jobklub"@da ; ig:describedIn :plan ;'
            " prov:wasDerivedFrom :plan .",
            "ini",
            PROV.wasDerivedFrom,
        ),
        (
            "initiative",
            ':ini a ig:Initiative ; rdfs:label "Jobklub"@da ; ig:describedIn :span ;'
            " prov:wasDerivedFrom :span .",
            "ini",
            IG.describedIn,
        ),
        (
            "span",
            ":span a ig:SourceSpan ; ig:document :plan ; ig:firstLine 5 ; ig:lastLine 4 ;"
            ' ig:quote "x" .',
            "span",
            IG.firstLine,
        ),
        (
            "span",
            ":span a ig:SourceSpan ; ig:document :plan ; ig:firstLine 0 ; ig:lastLine 4 ;"
            ' ig:quote "x" .',
            "span",
            IG.firstLine,
        ),
        (
            "span",
            ":span a ig:SourceSpan ; ig:document :plan ; ig:firstLine 3 ; ig:lastLine 4 .",
            "span",
            IG.quote,
        ),
        (
            "measurement",
            ":m a ig:Measurement ; ig:value 95.9 ; ig:measurementKind ig:Percent ;"
            " ig:unit ig:Percent .",
            "m",
            IG.measurementKind,
        ),
        (
            "measurement",
            ":m a ig:Measurement ; ig:value 96 ; ig:measurementKind ig:Target ;"
            " ig:unit ig:Percent .",
            "m",
            IG.value,
        ),
        (
            "budget",
            ':b a ig:BudgetItem ; rdfs:label "Udvikling af aktiviteter"@da .',
            "b",
            IG.describedIn,
        ),
        (
            "plan",
            f':plan a ig:Plan ; ig:fileName "x.txt" ; ig:sha256 "{"AB" * 32}" .',
            "plan",
            IG.sha256,
        ),
    ],
    ids=[
        "english-label-only",
        "derived-from-plan-only",
        "described-in-span",
        "first-after-last",
        "first-line-zero",
        "no-quote",
        "kind-not-a-kind",
        "integer-value",
        "budget-without-plan",
        "uppercase-sha256",
    ],  # fmt: skip
)
def test_single_violation(
    shapes: Graph, part: str, replacement: str, focus: str, path: URIRef
) -> None:
    parts = dict(VALID)
    parts[part] = replacement
    assert _results(shapes, _data(parts)) == [("https://example.org/" + focus, str(path))]


def test_every_shape_is_named_and_every_constraint_explains_itself(shapes: Graph) -> None:
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert (shape, SH.name, None) in shapes, shape
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(property_shapes) == 20  # 15 + the value and total of an amount + 3 link ends
    for shape in property_shapes:
        assert (shape, SH.name, None) in shapes, shape
        assert "en" in _langs(shapes, shape, SH.message), shape


# --- organisation registry ------------------------------------------------------------


def test_registry_has_the_seven_departments(registry: Graph) -> None:
    departments = set(registry.subjects(RDF.type, IG.Department))
    codes = {str(registry.value(d, SKOS.notation)): d for d in departments}
    assert codes == {code: ORGS[local] for code, local in DEPARTMENT_CODES.items()}


@pytest.mark.parametrize("local", DEPARTMENT_CODES.values())
def test_department_names(registry: Graph, local: str) -> None:
    department = ORGS[local]
    assert _langs(registry, department, RDFS.label) == {"da", "en"}
    assert _langs(registry, department, SKOS.prefLabel) == {"da", "en"}
    assert (department, ORG.unitOf, ORGS["koebenhavns-kommune"]) in registry


@pytest.mark.parametrize(
    ("alias", "organisation"),
    [
        ("Socialforvaltningen", "sof"),
        ("Beskæftigelsesforvaltningen", "bif"),
        ("Beskæftigelses- og Integrationsforvaltningen", "bif"),
        ("Børne- og Ungeforvaltningen", "buf"),
        ("Børne- Ungdomsforvaltning", "buf"),
        ("Kultur- Og Fritidsforvaltningen", "kff"),
        ("Sundheds- og Omsorgsforvaltningen", "suf"),
        ("Teknik- og Miljøforvaltningen", "tmf"),
        ("Økonomiforvaltningen", "oekf"),
        ("BCH", "borgercenter-handicap"),
        ("BCV", "borgercenter-voksne"),
        ("CEH", "center-for-erhvervet-hjerneskade"),
        ("CSBB", "center-for-selvstaendig-bolig-og-beskaeftigelse"),
        ("IBOS", "institut-for-blinde-og-svagsynede"),
        ("CBH", "cbh"),
        ("COS", "cos"),
        ("CAS", "cas"),
        ("KEH", "koebenhavns-erhvervshus"),
        ("SUD", "socialudvalget"),
        ("Region H", "region-hovedstaden"),
        ("BUC", "boerne-og-ungdomspsykiatrisk-center"),
        ("den regionale børne- og ungdomspsykiatri", "boerne-og-ungdomspsykiatrisk-center"),
        ("Social- Børne- og Ældreministeriet", "social-bolig-og-aeldreministeriet"),
    ],
)
def test_document_spellings_name_the_right_organisation(
    registry: Graph, alias: str, organisation: str
) -> None:
    names = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
    owners = {s for p in names for s, _, o in registry.triples((None, p, None)) if str(o) == alias}
    assert owners == {ORGS[organisation]}


@pytest.mark.parametrize(
    ("unit", "department"),
    [
        ("jobcenter-koebenhavn", "bif"),
        ("koebenhavns-erhvervshus", "bif"),
        ("specialindsats-handicap", "bif"),
        ("byggeri-koebenhavn", "oekf"),
        ("koncernit", "oekf"),
        ("borgercenter-handicap", "sof"),
        ("familiehuset", "sof"),
        ("svanehuset", "sof"),
        ("sundhedshus-noerrebro", "suf"),
        # 2023 plan line 233 "Samarbejde med Borgerservice"; Københavns Borgerservice is a
        # task of Kultur- og Fritidsudvalget, so of KFF.
        ("borgerservice", "kff"),
        # bif-indsatsplan-2018-2022.txt line 94 "… udelukkende i Job- og beskæftigelsescentrene"
        ("job-og-beskaeftigelsescentrene", "bif"),
    ],
)
def test_unit_belongs_to_department(registry: Graph, unit: str, department: str) -> None:
    assert list(registry.objects(ORGS[unit], ORG.unitOf)) == [ORGS[department]]
    assert (ORGS[unit], RDF.type, ORG.OrganizationalUnit) in registry


def test_every_unit_hangs_on_a_department_or_the_municipality(registry: Graph) -> None:
    parents = set(registry.subjects(RDF.type, IG.Department)) | {ORGS["koebenhavns-kommune"]}
    for unit in registry.subjects(RDF.type, ORG.OrganizationalUnit):
        assert len(list(registry.objects(unit, ORG.unitOf))) == 1, unit
        assert registry.value(unit, ORG.unitOf) in parents, unit


def test_municipality_and_political_bodies(registry: Graph) -> None:
    assert set(registry.subjects(RDF.type, IG.Municipality)) == {ORGS["koebenhavns-kommune"]}
    bodies = set(registry.subjects(RDF.type, IG.PoliticalBody))
    assert {_danish_label(registry, b) for b in bodies} == POLITICAL_BODIES
    for body in bodies:
        assert _langs(registry, body, RDFS.label) == {"da", "en"}, body


def test_partners_are_outside_the_municipality(registry: Graph) -> None:
    partners = set(registry.subjects(RDF.type, IG.Partner))
    assert len(partners) >= 25
    named = {"for-lige-vilkaar", "digitaliseringsstyrelsen", "6-byerne", "region-hovedstaden"}
    assert {ORGS[p] for p in named} <= partners
    assert not any((p, ORG.unitOf, None) in registry for p in partners)


def test_every_organisation_iri_is_the_slug_of_its_danish_name(registry: Graph) -> None:
    departments = set(registry.subjects(RDF.type, IG.Department))
    for organisation in _organisations(registry):
        assert str(organisation).startswith(str(ORGS)), organisation
        if organisation in departments:
            continue
        assert organisation == ORGS[slug(_danish_label(registry, organisation))]


def test_every_alias_occurs_in_the_documents(registry: Graph, corpus: str) -> None:
    missing = {
        str(alias)
        for alias in registry.objects(None, SKOS.altLabel)
        if " ".join(str(alias).split()).lower() not in corpus
    }
    assert not missing


def test_no_name_is_shared_by_two_organisations(registry: Graph) -> None:
    owners: dict[str, set[URIRef]] = {}
    for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
        for subject, _, name in registry.triples((None, predicate, None)):
            key = re.sub(r"\s+", " ", str(name)).lower()
            owners.setdefault(key, set()).add(subject)
    shared = {name: subjects for name, subjects in owners.items() if len(subjects) > 1}
    assert not shared


def test_registry_conforms_to_the_shapes(registry: Graph, shapes: Graph) -> None:
    assert _results(shapes, registry) == []
