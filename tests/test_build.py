"""The build pipeline: determinism, atomicity, provenance, stats and export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SOURCES
from indsatsgraf.api import stored_queries
from indsatsgraf.graph.builder import BuildReport, build_document
from indsatsgraf.graph.export import canonical_nquads, export, stats
from indsatsgraf.graph.organisations import Registry, registry_path
from indsatsgraf.graph.pipeline import BuildError, build, import_file
from indsatsgraf.graph.store import GraphStore, StoreError

PLAN_2015 = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
IG = "https://w3id.org/indsatsgraf/ontology#"


def test_building_twice_gives_identical_canonical_nquads(tmp_path: Path) -> None:
    first, second = GraphStore(tmp_path / "a"), GraphStore(tmp_path / "b")
    build(first)
    build(second)
    assert canonical_nquads(first.open()) == canonical_nquads(second.open())


def test_a_compacted_build_holds_the_same_graph(tmp_path: Path) -> None:
    plain, compacted = GraphStore(tmp_path / "plain"), GraphStore(tmp_path / "compacted")
    build(plain)
    messages: list[str] = []
    build(compacted, compact=True, progress=messages.append, stored=stored_queries())
    assert canonical_nquads(compacted.open()) == canonical_nquads(plain.open())
    assert "compacting the indexes" in messages
    # The stored answers are computed on the finished (compacted) indexes.
    stored = [m for m in messages if m.startswith("storing the answer of ")]
    assert stored and messages.index(stored[0]) > messages.index("compacting the indexes")


def test_the_builder_writes_n_quads_that_parse_strictly(tmp_path: Path) -> None:
    # The store loads the builder's N-Quads leniently (no IRI checks), so the builder
    # itself must never write a quad that a strict parser would refuse: odd titles with
    # quotes, backslashes, tabs and angle brackets included.
    odd = tmp_path / "odd-plan.txt"
    odd.write_text(
        'Handleplan "Lige\\vilkår" <2024>\n\n'
        'Mål 1: Flere i\tjob "nu"\n'
        "Initiativ 1.1: Bedre adgang til <Borgerservice> \\ KK\n"
        "Socialforvaltningen afsætter 2,5 mio. kr. i 2025.\n",
        encoding="utf-8",
    )
    orgs = Registry.load(registry_path())
    for path in [*sorted(SOURCES.glob("*.txt")), odd]:
        item = import_file(path)
        lines = build_document(item.result, item.source, orgs, BuildReport())
        quads = list(ox.parse("".join(lines), format=ox.RdfFormat.N_QUADS))
        assert len(quads) == len(lines), path.name
    assert any('"' in q.object.value for q in quads if isinstance(q.object, ox.Literal))


def test_one_named_graph_per_document_plus_ontology_and_registry(oxstore: ox.Store) -> None:
    graphs = {g.value for g in oxstore.named_graphs()}
    base = "https://w3id.org/indsatsgraf/graph/"
    assert base + "ontology" in graphs
    assert base + "organisations" in graphs
    for source in SOURCES.glob("*.txt"):
        assert base + source.stem in graphs


def test_every_initiative_has_a_span_whose_quote_is_in_the_file(oxstore: ox.Store) -> None:
    rows = list(
        oxstore.query(
            f"""SELECT ?i ?file ?first ?last ?quote WHERE {{
              ?i a <{IG}Initiative> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?s .
              ?s <{IG}document>/<{IG}fileName> ?file ; <{IG}firstLine> ?first ;
                 <{IG}lastLine> ?last ; <{IG}quote> ?quote }}""",
            use_default_graph_as_union=True,
        )
    )
    assert len(rows) >= 32
    files: dict[str, list[str]] = {}
    for row in rows:
        name = row["file"].value
        lines = files.setdefault(name, (SOURCES / name).read_text(encoding="utf-8").split("\n"))
        first, last = int(row["first"].value), int(row["last"].value)
        assert 1 <= first <= last <= len(lines)
        assert "\n".join(lines[first - 1 : last]) == row["quote"].value


def test_plan_records_file_name_and_sha256(oxstore: ox.Store) -> None:
    import hashlib

    expected = hashlib.sha256(PLAN_2015.read_bytes()).hexdigest()
    rows = list(
        oxstore.query(
            f'SELECT ?sha WHERE {{ ?p <{IG}fileName> "{PLAN_2015.name}" ; <{IG}sha256> ?sha }}',
            use_default_graph_as_union=True,
        )
    )
    assert [r["sha"].value for r in rows] == [expected]


def test_failed_build_leaves_previous_graph_intact(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    before = canonical_nquads(store.open())
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(PLAN_2015, bad / "good.txt")
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(BuildError) as caught:
        build(store, [bad])
    failed = {path.name for path, _ in caught.value.failures}
    assert failed == {"empty.txt", "binary.txt"}
    assert [path.name for path in caught.value.imported] == ["good.txt"]
    assert canonical_nquads(store.open()) == before


def test_missing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        build(GraphStore(tmp_path / "s"), [tmp_path / "nope.txt"])
    assert "no such file" in str(caught.value)


def test_opening_a_store_that_was_never_built_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph at") as caught:
        GraphStore(tmp_path / "empty").open()
    assert caught.value.remedy == "build"


def test_export_nt_has_as_many_triples_as_stats_reports(oxstore: ox.Store) -> None:
    nt = export(oxstore, "nt").decode()
    assert len([line for line in nt.splitlines() if line.strip()]) == stats(oxstore).triples


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "nq", "jsonld"])
def test_every_export_format_parses_back(oxstore: ox.Store, fmt: str) -> None:
    import rdflib

    data = export(oxstore, fmt)
    rdf_format = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}[
        fmt
    ]
    graph = rdflib.Dataset()
    graph.parse(data=data, format=rdf_format)
    assert sum(1 for _ in graph.quads()) >= stats(oxstore).triples


def test_stats_counts_the_32_initiatives_of_the_2015_plan(oxstore: ox.Store) -> None:
    per_doc = stats(oxstore).per_document_class
    assert per_doc[PLAN_2015.name]["Initiative"] == 32


def _pairs(store: ox.Store, pattern: str) -> set[tuple[str, str]]:
    """The distinct (?thing, ?other) pairs that ``pattern`` binds."""
    query = f"""PREFIX ig: <{IG}> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT DISTINCT ?thing ?other WHERE {{ {pattern} }}"""
    rows = store.query(query, use_default_graph_as_union=True)
    return {(row["thing"].value, row["other"].value) for row in rows}


def test_derived_department_links_equal_the_walk_up_the_unit_hierarchy(
    oxstore: ox.Store,
) -> None:
    walked = _pairs(
        oxstore,
        "?thing ig:responsibleDepartment|ig:involvedDepartment|ig:inferredResponsibleDepartment"
        " ?org . "
        "?org org:unitOf* ?other . ?other a ig:Department",
    )
    derived = _pairs(oxstore, "?thing ig:department ?other")
    assert len(walked) > 200
    assert derived == walked


def test_derived_departments_of_initiative_1_4_2_of_2015(oxstore: ox.Store) -> None:
    # 2015 plan, 1.4.2 (lines 428-430): SUF, SOF, BIF and BUF, with Hjerneskadesamrådet.
    rows = oxstore.query(
        f"""PREFIX ig: <{IG}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?code WHERE {{
          ?i skos:notation "1.4.2" ; ig:describedIn/ig:fileName "tvaergaaende-indsatsplan-2015.txt" ;
             ig:department/skos:notation ?code }}""",
        use_default_graph_as_union=True,
    )
    assert sorted(row["code"].value for row in rows) == ["BIF", "BUF", "SOF", "SUF"]


def test_derived_contributions_equal_supports_then_broader_goals(oxstore: ox.Store) -> None:
    walked = _pairs(
        oxstore, "?thing ig:supports/<http://www.w3.org/2004/02/skos/core#broader>* ?other"
    )
    derived = _pairs(oxstore, "?thing ig:contributesTo ?other")
    assert len(walked) > 300
    assert derived == walked


def test_parts_of_a_stated_total_point_to_it(oxstore: ox.Store) -> None:
    # 2015 plan lines 1209-1211: 1,0 + 12,0 + 7,0 mio. kr. are the split of the 20,0 mio. kr.
    rows = oxstore.query(
        f"""SELECT ?part ?whole WHERE {{
          <https://w3id.org/indsatsgraf/id/tvaergaaende-indsatsplan-2015/initiative/2.1.8>
            <{IG}hasAmount> ?money .
          ?money <{IG}amountDKK> ?part ; <{IG}partOfAmount>/<{IG}amountDKK> ?whole }}""",
        use_default_graph_as_union=True,
    )
    pairs = sorted((int(float(row["part"].value)), int(float(row["whole"].value))) for row in rows)
    assert pairs == [(1_000_000, 20_000_000), (7_000_000, 20_000_000), (12_000_000, 20_000_000)]


def _count(store: ox.Store, query: str) -> int:
    rows = list(store.query(f"PREFIX ig: <{IG}> " + query, use_default_graph_as_union=True))
    return int(rows[0]["n"].value)


def test_initiatives_of_the_benchmark_report_naming_no_department_are_sofs_by_inference(
    oxstore: ox.Store,
) -> None:
    # Socialudvalget publishes the benchmark report; Socialforvaltningen answers to it. Of the
    # report's 51 initiatives only 13 name a department or unit (e.g. line 114 "… BIF …"); the
    # other 38 name none and are SOF's by inference, never as a stated responsibility.
    plan = "ig:describedIn/ig:fileName 'sud-pejlemaerker-2014-2017.txt'"
    sof = "<https://w3id.org/indsatsgraf/id/org/sof>"
    total = _count(oxstore, f"SELECT (COUNT(?i) AS ?n) WHERE {{ ?i a ig:Initiative ; {plan} }}")
    inferred = _count(
        oxstore,
        f"SELECT (COUNT(?i) AS ?n) WHERE {{ ?i a ig:Initiative ; {plan} ; "
        f"ig:inferredResponsibleDepartment {sof} }}",
    )
    without = _count(
        oxstore,
        f"SELECT (COUNT(?i) AS ?n) WHERE {{ ?i a ig:Initiative ; {plan} "
        "FILTER NOT EXISTS { ?i ig:department ?d } }",
    )
    both = _count(
        oxstore,
        "SELECT (COUNT(?i) AS ?n) WHERE { ?i ig:inferredResponsibleDepartment ?d . "
        "{ ?i ig:responsibleDepartment ?x } UNION { ?i ig:involvedDepartment ?x } }",
    )
    assert (total, inferred, without, both) == (51, 38, 0, 0)
