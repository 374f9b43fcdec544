"""The saved-query library: each question answered with facts read from the documents.

Every expected value below was read in data/sources/*.txt (line numbers given),
not copied from a query's output. Parameters are attacked with quotes, braces,
comments and newlines: a text parameter must match only itself, every other
type must refuse such input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.graph.sparql import run_embedded, with_values
from indsatsgraf.queries.catalog import QueryError, parse_query_file, saved_queries

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "indsatsgraf.ttl"
IG = "https://w3id.org/indsatsgraf/ontology#"
PLAN_2015 = "tvaergaaende-indsatsplan-2015.txt"
PLAN_SUD = "sud-pejlemaerker-2014-2017.txt"
PLAN_2023 = "sof-indsatsplan-2023-2026.txt"
LINK_QUERIES = {"initiative-lineage", "benchmark-support", "links-awaiting-review"}
ATTACKS = [
    '"',
    "'",
    '"} UNION { ?s ?p ?o } #',
    "x' . } } SELECT * WHERE { ?s ?p ?o } #",
    'hjerneskade"))) || true || ((("',
    "hjerneskade\n} UNION { ?s ?p ?o }\n#",
    "# }",
    "{ }",
    '""" \\',
    "> <http://example.org/x",
]


def rows(store: ox.Store, name: str, **params: str) -> list[dict]:
    query = saved_queries()[name]
    return run_embedded(store, query, query.bindings(params)).rows


def only(found: list[dict], **match: object) -> dict:
    hits = [row for row in found if all(row.get(k) == v for k, v in match.items())]
    assert len(hits) == 1, (match, hits)
    return hits[0]


# -- the library as a whole ------------------------------------------------------------


def test_at_least_fifteen_documented_saved_queries() -> None:
    own = {n: q for n, q in saved_queries().items() if n not in LINK_QUERIES}
    assert len(own) >= 15
    for name, query in own.items():
        assert query.summary and query.description and query.tags, name
        for p in query.parameters:
            assert p.doc, (name, p.name)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_declared_parameters_are_exactly_the_ones_used(name: str) -> None:
    query = saved_queries()[name]
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    used = set(re.findall(r"\?_(\w+)", body))
    assert used == {p.name for p in query.parameters}


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_select_is_ordered_so_answers_are_deterministic(name: str) -> None:
    query = saved_queries()[name]
    if query.form == "SELECT":
        assert re.search(r"(?m)^ORDER BY ", query.text), name


# -- one question, one command --------------------------------------------------------


def test_collaboration_matrix_counts_the_2015_plans_shared_responsibility(oxstore) -> None:
    # tvaergaaende-indsatsplan-2015.txt: SOF and BUF are both responsible ("Ansvarlig
    # forvaltning") for 1.4.2, 2.1.1, 2.1.2, 2.1.3, 2.1.4 and 2.1.6.
    in_2015 = rows(oxstore, "department-collaboration-matrix", plan=PLAN_2015)
    assert only(in_2015, departmentA="BUF", departmentB="SOF")["sharedInitiatives"] >= 6
    overall = rows(oxstore, "department-collaboration-matrix")
    assert only(overall, departmentA="BUF", departmentB="SOF")["sharedInitiatives"] >= 6
    assert all(r["departmentA"] < r["departmentB"] for r in overall)
    with_buf = rows(oxstore, "department-collaboration-matrix", department="BUF")
    assert with_buf and all("BUF" in (r["departmentA"], r["departmentB"]) for r in with_buf)


def test_multi_department_initiatives_accepts_a_plan_file_name(oxstore) -> None:
    # Lines 433-434: 1.4.2 is the responsibility of SUF, SOF, BIF and BUF.
    found = rows(oxstore, "multi-department-initiatives", plan=PLAN_2015)
    assert only(found, notation="1.4.2")["departments"] == "BIF, BUF, SOF, SUF"
    assert {r["plan"] for r in found} == {PLAN_2015}


def test_initiatives_per_goal_and_department(oxstore) -> None:
    # Goal 1.5 Sundhed holds 1.5.1, 1.5.2 and 1.5.3, all three Sundheds- og Omsorgsforvaltningen.
    found = rows(oxstore, "initiatives-per-goal-and-department", plan=PLAN_2015)
    assert only(found, goalNotation="1.5", department="SUF")["initiatives"] == 3
    suf = rows(oxstore, "initiatives-per-goal-and-department", department="SUF", plan=PLAN_2015)
    assert {r["department"] for r in suf} == {"SUF"}


def test_goals_without_initiatives(oxstore) -> None:
    found = rows(oxstore, "goals-without-initiatives")
    # 2023 plan line 127: "Flere borgere med handicap og funktionsnedsættelser skal i job (BIF)"
    # is a priority no section of SOF's plan takes up.
    assert only(found, goal="Flere borgere med handicap og funktionsnedsættelser skal i job")
    # sud-pejlemaerker line 313: pejlemærke 7 (fattigdom) has no activity list, but its prose
    # names one, Socialcenter København's økonomisk rådgivning.
    assert not [r for r in found if r["plan"] == PLAN_SUD and r["notation"] == "7"]
    # tvaergaaende 2015: goal 1.4 holds the initiatives 1.4.1-1.4.5.
    assert not [r for r in found if r["plan"] == PLAN_2015 and r["notation"] == "1.4"]
    # The 2019 status report lists its initiatives under themes (e.g. "Netværk") and its
    # målsætninger beside them: a målsætning there is covered by its theme, not a gap.
    assert not [r for r in found if r["plan"] == "sof-indsatsplan-status-2019.txt"]
    # 2023 plan lines 270-278: the bullets under 5.1 are its initiatives, so 5.1 is no gap.
    assert not [r for r in found if r["plan"] == PLAN_2023 and r["notation"] == "5.1"]


def test_priorities_whose_anchoring_department_has_no_initiative(oxstore) -> None:
    found = rows(oxstore, "priorities-without-department-initiatives", plan=PLAN_2023)
    # Line 127: "Flere borgere med handicap og funktionsnedsættelser skal i job (BIF)";
    # the initiatives of section 5.1 (lines 270-278) are SOF's own, none is BIF's.
    job = only(found, priority="Flere borgere med handicap og funktionsnedsættelser skal i job")
    assert job["department"] == "BIF"
    # Line 117: "Nedbringe skolefravær … (BUF, SOF)"; line 253: U-start runs across BUF and SOF.
    assert not [r for r in found if r["priority"].startswith("Nedbringe skolefravær")]
    bif = rows(oxstore, "priorities-without-department-initiatives", department="BIF")
    assert bif and {r["department"] for r in bif} == {"BIF"}


def test_initiative_financing_unsettled_and_existing_budget(oxstore) -> None:
    unfunded = rows(oxstore, "initiative-financing", financing="unfunded")
    # Line 438: "det er endnu ikke afklaret, hvordan indsatsen skal finansieres".
    assert "endnu ikke afklaret" in only(unfunded, notation="1.4.2")["financingText"]
    assert {r["financing"] for r in unfunded} == {"unfunded"}
    existing = rows(oxstore, "initiative-financing", financing="existing-budget", plan=PLAN_2015)
    # Line 386: 1.4.1 "afholdes inden for den eksisterende økonomiske ramme".
    assert only(existing, notation="1.4.1")
    funded = rows(oxstore, "initiative-financing", financing="funded", plan=PLAN_2023)
    # sof-indsatsplan-2023 line 431: HA07 (2024) Brobygning … erhvervet hjerneskade.
    assert only(funded, fundedBy="HA07")["initiative"].startswith("Brobygning fra rehabilitering")


def test_budget_items_per_department(oxstore) -> None:
    found = {r["department"]: r for r in rows(oxstore, "budget-items-per-department")}
    # sof-indsatsplan-2023 line 433: TV02 (2024) … (BUF og SOF), BUF's only item.
    assert (found["BUF"]["codes"], found["BUF"]["firstCode"], found["BUF"]["lastCode"]) == (
        1,
        "TV02",
        "TV02",
    )
    # Socialudvalget's benchmarks count for SOF; their Ø601 (sud-pejlemaerker line 248)
    # sorts last; items without a code count once, as "(uden kode)", which sorts first.
    assert (found["SOF"]["firstCode"], found["SOF"]["lastCode"]) == ("(uden kode)", "Ø601")
    # A count, not a list (a list passes Virtuoso's row length at ×100, issue 12).
    assert 1 < found["SOF"]["codes"] <= found["SOF"]["budgetItems"]
    # No bundled budget item states its kroner: the total is unknown, not 0 kr.
    assert found["SOF"]["totalDKK"] is None
    assert found["SOF"]["itemsWithoutAmount"] == found["SOF"]["budgetItems"] == 34
    year_2024 = rows(oxstore, "budget-items-per-department", year="2024", department="SOF")
    # The Ø codes are of the 2014–2017 benchmarks, none of budget year 2024.
    assert year_2024[0]["lastCode"] == "TV02"


def test_budget_totals_add_each_stated_amount_once() -> None:
    """The bundled documents give no kroner for budget items, so the sum is checked on a tiny graph."""
    ig = IG
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    store = ox.Store()
    graph = ox.NamedNode("https://w3id.org/indsatsgraf/graph/p")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    sof = ox.NamedNode("https://w3id.org/indsatsgraf/id/org/sof")
    facts = [
        (sof, kind, ox.NamedNode(ig + "Department")),
        (sof, ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation"), ox.Literal("SOF")),
    ]
    for n, amounts in enumerate([(900000, 100000), (44200000,), ()]):
        item = ox.NamedNode(f"https://w3id.org/indsatsgraf/id/p/budget/{n}")
        facts += [(item, kind, ox.NamedNode(ig + "BudgetItem"))]
        facts += [(item, ox.NamedNode(ig + "responsibleDepartment"), sof)]
        facts += [(item, ox.NamedNode(ig + "department"), sof)]  # derived by the builder
        for m, kroner in enumerate(amounts):
            money = ox.NamedNode(f"{item.value}/amount/{m}")
            facts += [(item, ox.NamedNode(ig + "hasAmount"), money)]
            facts += [
                (money, ox.NamedNode(ig + "amountDKK"), ox.Literal(str(kroner), datatype=decimal))
            ]
    for fact in facts:
        store.add(ox.Quad(*fact, graph))
        store.add(ox.Quad(*fact, ox.NamedNode(graph.value + "-copy")))  # the same facts twice
    (row,) = rows(store, "budget-items-per-department")
    # The third item states no amount: the total covers two items and says one is missing.
    assert (row["budgetItems"], row["itemsWithoutAmount"], row["totalDKK"]) == (3, 1, 45200000)


def test_budget_items_and_the_goals_they_serve(oxstore) -> None:
    # sud-pejlemaerker lines 123 and 291: Ø304 is listed under pejlemærke 1 and 6.
    found = rows(oxstore, "budget-items-and-goals", code="ø 304")
    assert {(r["goalNotation"], r["via"]) for r in found} == {("1", "direct"), ("6", "direct")}
    # Line 431 (HA07) funds the 6.2 initiative "Brobygning fra rehabiliteringstilbud …" (line 333).
    via_initiative = rows(oxstore, "budget-items-and-goals", code="HA07")
    assert ("6.2", "initiative: Brobygning") in {
        (r["goalNotation"], r["via"][:22]) for r in via_initiative
    }


def test_indicator_progress_of_socialudvalgets_1a(oxstore) -> None:
    # sud-pejlemaerker line 89: "A. 1.000 udsatte københavnere får anvist en bolig i 2017
    # 859 828 1.000" under "Baseline (2013) Status (2014) Mål 2017".
    (row,) = rows(oxstore, "indicator-progress", indicator="1.A", plan=PLAN_SUD)
    assert (row["baseline"], row["baselineYear"]) == (859, 2013)
    assert (row["status"], row["statusYear"]) == (828, 2014)
    assert (row["target"], row["targetYear"]) == (1000, 2017)
    assert row["direction"] == "up"
    assert row["shareOfWayPercent"] == round(100 * (828 - 859) / (1000 - 859))
    assert row["missing"] == ""
    # Line 64: 3.C has a baseline 2,6% and a target "<2,6%", no status.
    (c3,) = rows(oxstore, "indicator-progress", indicator="3.C", plan=PLAN_SUD)
    assert (c3["comparator"], c3["direction"], c3["missing"]) == ("<", "down", "status")


def test_initiatives_active_in_a_year(oxstore) -> None:
    # Line 1205: 2.1.8's club places open "fra august 2016"; line 335: 1.3.2 "primo 2016".
    in_2016 = rows(oxstore, "initiatives-active-in-year", year="2016")
    in_2015 = rows(oxstore, "initiatives-active-in-year", year="2015")
    for notation in ("2.1.8", "1.3.2"):
        assert only(in_2016, plan=PLAN_2015, notation=notation)["basis"] == "own period"
        assert not [r for r in in_2015 if r["plan"] == PLAN_2015 and r["notation"] == notation]
    default = rows(oxstore, "initiatives-active-in-year")
    assert default == in_2016


def test_keyword_search_folds_case_and_danish_letters(oxstore) -> None:
    # Line 420: 1.4.2's description names "Hjerneskadesamrådet".
    for word in (
        "hjerneskade",
        "HJERNESKADESAMRAADET",
        "Hjerneskadesamrådet",
        "hjerneskadesamraadet",
        "Hjerneskadesamradet",
    ):
        found = rows(oxstore, "initiatives-by-keyword", keyword=word)
        assert only(found, plan=PLAN_2015, notation="1.4.2")["matchedIn"]
    assert rows(oxstore, "initiatives-by-keyword") == rows(
        oxstore, "initiatives-by-keyword", keyword="hjerneskade"
    )
    assert not rows(oxstore, "initiatives-by-keyword", keyword="xylofonorkester")


def test_target_group_search(oxstore) -> None:
    # Lines 349 and 361: 1.4.1 Styrket veteranindsats, "Veteraner og deres pårørende".
    (row,) = rows(oxstore, "initiatives-by-target-group", group="veteraner")
    assert (row["notation"], row["targetGroup"]) == ("1.4.1", "Veteraner og deres pårørende")


def test_2019_status_overview_puts_the_problems_first(oxstore) -> None:
    found = rows(oxstore, "status-overview")
    assert found[0]["status"] == "forsinket"
    # sof-indsatsplan-status-2019 line 222: "Projektet har været forsinket".
    delayed = rows(oxstore, "status-overview", status="delayed")
    assert only(
        delayed,
        initiative="Sikre tidssvarende forhold for borgerne i forvaltningens eksisterende tilbud",
    )
    # Line 239: "Denne indsats blev ikke prioriteret til budgetforliget 2019".
    skipped = rows(oxstore, "status-overview", status="not-prioritised")
    assert only(skipped, initiative="Styrke den pædagogiske støtte i forvaltningens botilbud")
    # Line 491: "COS kommer ikke til at arbejde videre med denne indsats".
    (stopped,) = rows(oxstore, "status-overview", status="discontinued")
    assert stopped["initiative"] == "Uddannelse af seksualvejledere (COS)"
    assert stopped["line"] == 491 and stopped["inClass"] == 1


def test_partners_and_their_initiatives(oxstore) -> None:
    # tvaergaaende 2015 lines 1556-1557: 3.4.1 is financed by "A.P. Møller fonden".
    for spelling in ("Møller Fonden", "moeller fonden", "MOLLER FONDEN"):
        found = rows(oxstore, "partners-and-initiatives", partner=spelling)
        assert only(found, partner="A.P. Møller Fonden", notation="3.4.1")
        assert {r["partner"] for r in found} == {"A.P. Møller Fonden"}


def test_provenance_lookup_of_a_line_range(oxstore) -> None:
    (row,) = rows(oxstore, "provenance-lookup", document=PLAN_2015, first="396", last="439")
    assert (row["notation"], row["class"], row["firstLine"], row["lastLine"]) == (
        "1.4.2",
        "Initiative",
        396,
        439,
    )
    # sud-pejlemaerker line 77 is the overview row of pejlemærke 7.
    found = rows(
        oxstore, "provenance-lookup", document="sud-pejlemaerker-2014-2017", first="77", last="77"
    )
    assert only(found, **{"class": "Benchmark"})["notation"] == "7"


def test_ontology_terms_come_from_the_ontology_file(oxstore) -> None:
    graph = ox.Store()
    graph.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    expected = {
        "ig:" + q.subject.value.removeprefix(IG)
        for q in graph.quads_for_pattern(None, rdf_type, owl_class)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(IG)
    }
    found = rows(oxstore, "ontology-terms", kind="class")
    assert {r["term"] for r in found} == expected
    initiative = only(found, term="ig:Initiative")
    assert (initiative["labelDa"], initiative["labelEn"]) == ("indsats", "initiative")


# -- parameters: types, defaults and injection ---------------------------------------


@pytest.mark.parametrize("attack", ATTACKS)
def test_text_parameter_is_one_inert_literal(attack: str) -> None:
    """A text matches only a thing whose text contains it, even a text that looks like SPARQL."""
    store = ox.Store()
    plan = ox.NamedNode("https://w3id.org/indsatsgraf/id/plan/p")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    graph = ox.NamedNode("https://w3id.org/indsatsgraf/graph/p")
    for n, text in enumerate([f"a {attack} b", "something else"]):
        thing = ox.NamedNode(f"https://w3id.org/indsatsgraf/id/p/initiative/{n}")
        store.add(ox.Quad(thing, kind, ox.NamedNode(IG + "Initiative"), graph))
        store.add(ox.Quad(thing, label, ox.Literal(text), graph))
        store.add(ox.Quad(thing, ox.NamedNode(IG + "describedIn"), plan, graph))
    store.add(ox.Quad(plan, ox.NamedNode(IG + "fileName"), ox.Literal("p.txt"), graph))
    found = rows(store, "initiatives-by-keyword", keyword=attack)
    assert [r["initiative"] for r in found] == [f"a {attack} b"]


@pytest.mark.parametrize("attack", [a for a in ATTACKS if len(a) > 1])
def test_text_attacks_return_nothing_from_the_real_graph(oxstore, attack: str) -> None:
    """No document contains these texts, so a literal search finds nothing and nothing leaks."""
    for name, param in [
        ("initiatives-by-keyword", "keyword"),
        ("partners-and-initiatives", "partner"),
        ("budget-items-and-goals", "code"),
        ("indicator-progress", "indicator"),
    ]:
        assert rows(oxstore, name, **{param: attack}) == [], name


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("multi-department-initiatives", "department"),
        ("multi-department-initiatives", "plan"),
        ("provenance-lookup", "first"),
        ("initiatives-active-in-year", "year"),
        ("status-overview", "status"),
    ],
)
def test_typed_parameters_refuse_attacks(name: str, param: str, attack: str) -> None:
    with pytest.raises(QueryError, match=param):
        saved_queries()[name].bindings({param: attack})


def test_iri_parameter_refuses_breaking_out_of_the_iri(tmp_path: Path) -> None:
    path = tmp_path / "iri.rq"
    path.write_text(
        "#+ param: thing iri — a thing\nSELECT ?p WHERE { ?_thing ?p ?o } ORDER BY ?p\n"
    )
    query = parse_query_file(path)
    for attack in ["http://x/> ?p ?o } UNION { ?s", "http://x/\n}", 'http://x/"', "x:y"]:
        with pytest.raises(QueryError, match="not an absolute"):
            query.bindings({"thing": attack})


def test_the_bound_value_appears_only_as_one_escaped_literal() -> None:
    query = saved_queries()["initiatives-by-keyword"]
    text = with_values(query.text, query.bindings({"keyword": '"} UNION { ?s ?p ?o } #\nx'}))
    block = re.search(r"BIND\((.*) AS \?_keyword\)", text)
    assert block and block.group(1) == '"\\"} UNION { ?s ?p ?o } #\\nx"'
    ox.Store().query(text)  # still one well-formed query


def test_unknown_choice_and_plan_are_explained(oxstore) -> None:
    with pytest.raises(QueryError, match="did you mean unfunded"):
        saved_queries()["initiative-financing"].bindings({"financing": "unfundd"})
    with pytest.raises(QueryError, match="is not a plan"):
        saved_queries()["goals-without-initiatives"].bindings({"plan": "../etc/passwd"})
    with pytest.raises(QueryError, match="non-empty"):
        saved_queries()["initiatives-by-keyword"].bindings({"keyword": "  "})


def test_a_bad_header_is_reported_with_its_line(tmp_path: Path) -> None:
    bad_default = tmp_path / "a.rq"
    bad_default.write_text("#+ summary: x\n#+ param: year year = 20x5 — y\nSELECT * WHERE {}\n")
    with pytest.raises(QueryError, match=r"a\.rq:2: bad default"):
        parse_query_file(bad_default)
    bad_choice = tmp_path / "b.rq"
    bad_choice.write_text("#+ param: kind choice — k\nSELECT * WHERE {}\n")
    with pytest.raises(QueryError, match=r"b\.rq:1: only a choice lists its words"):
        parse_query_file(bad_choice)


# -- the command line ------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_dir(built_store) -> Path:
    return built_store.path


def cli(store_dir: Path, *args: str):
    return CliRunner().invoke(main, ["--store", str(store_dir), *args])


def test_cli_binds_a_parameter_with_a_default(store_dir: Path) -> None:
    result = cli(store_dir, "query", "initiatives-active-in-year", "-p", "year=2015", "-f", "json")
    assert result.exit_code == 0, result.output
    notations = {r["notation"] for r in json.loads(result.output) if r["plan"] == PLAN_2015}
    assert "2.1.8" not in notations and "1.1.1" in notations


def test_cli_lists_choices_and_defaults(store_dir: Path) -> None:
    result = cli(store_dir, "queries")
    assert "--param financing=<unfunded|partly-funded|existing-budget|" in result.output
    assert "--param year=<year>  the year (e.g. 2024) (default: 2016)" in result.output
    listed = json.loads(cli(store_dir, "queries", "--json").output)
    assert len(listed) == len(saved_queries())


def test_cli_refuses_updates_in_a_query_file(store_dir: Path, tmp_path: Path) -> None:
    for n, text in enumerate(
        [
            "DELETE WHERE { ?s ?p ?o }",
            "# a comment first\nPREFIX ig: <https://w3id.org/indsatsgraf/ontology#>\ninsert data { ig:a ig:b ig:c }",
            "CLEAR ALL",
        ]
    ):
        path = tmp_path / f"u{n}.rq"
        path.write_text(text)
        result = cli(store_dir, "query", str(path))
        assert result.exit_code == 1 and "update" in result.output, text
    count = cli(
        store_dir, "query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "json"
    )
    assert json.loads(count.output)[0]["n"] > 7000


def test_cli_runs_an_ad_hoc_file_with_its_own_typed_parameter(
    store_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "responsible.rq"
    path.write_text(
        "#+ summary: initiatives a department is responsible for\n"
        "#+ param: dept department — the department\n"
        "PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?n WHERE { ?i ig:responsibleDepartment ?_dept ; skos:notation ?n ;\n"
        '  ig:describedIn/ig:fileName "tvaergaaende-indsatsplan-2015.txt" } ORDER BY ?n\n'
    )
    result = cli(store_dir, "query", str(path), "-p", "dept=SUF", "-f", "csv")
    assert result.exit_code == 0, result.output
    # Line 434 and the "Ansvarlig forvaltning" of 1.5.1-1.5.3 (lines 647, 678, 714): SUF.
    assert {"1.4.2", "1.5.1", "1.5.2", "1.5.3"} <= set(result.output.split()[1:])
    refused = cli(store_dir, "query", str(path), "-p", "dept=SUF } UNION {")
    assert refused.exit_code == 1 and "not a department code" in refused.output


def test_cli_prints_construct_as_turtle(store_dir: Path) -> None:
    result = cli(
        store_dir,
        "query",
        "-e",
        "PREFIX ig: <https://w3id.org/indsatsgraf/ontology#> "
        "CONSTRUCT { ?i ig:responsibleDepartment ?d } WHERE { ?i ig:responsibleDepartment ?d ; "
        '<http://www.w3.org/2004/02/skos/core#notation> "1.4.2" ; '
        'ig:describedIn/ig:fileName "tvaergaaende-indsatsplan-2015.txt" }',
    )
    assert result.exit_code == 0, result.output
    assert "@prefix ig:" in result.output
    triples = list(ox.parse(result.output.encode(), format=ox.RdfFormat.TURTLE))
    assert sorted(t.object.value.rsplit("/", 1)[1] for t in triples) == ["bif", "buf", "sof", "suf"]


def test_cli_ask_answer_and_exit_code_from_a_parameterised_file(
    store_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "exists.rq"
    path.write_text(
        "#+ param: n text — a number\n"
        "ASK WHERE { ?thing <http://www.w3.org/2004/02/skos/core#notation> ?_n }\n"
    )
    yes = cli(store_dir, "query", str(path), "-p", "n=1.4.2")
    no = cli(store_dir, "query", str(path), "-p", 'n=1.4.2" } #')
    assert (yes.exit_code, yes.output.strip()) == (0, "yes")
    assert (no.exit_code, no.output.strip()) == (1, "no")
    as_json = cli(store_dir, "query", str(path), "-p", "n=1.4.2", "-f", "json")
    assert as_json.output.strip() == "true"


def test_lists_copied_to_their_columns_are_still_compared_as_sets() -> None:
    """initiative-lineage makes its lists as ?statusList and shows them as ?statuses (an
    empty list unbound on every store); the comparison with Virtuoso follows the copy."""
    from answers import concat_columns

    columns = concat_columns(saved_queries()["initiative-lineage"])
    assert columns["statuses"] == columns["budgets"] == "; "
