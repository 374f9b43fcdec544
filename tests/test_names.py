"""Naming things and plans: one resolver behind show, parameters, viz, analyze and links.

Each case is a complaint from issue 8 (what a planner typed and what went wrong);
expected things were read in data/sources/*.txt: 2015 goal 2.1 "Børn og unge med
handicap" and initiative 2.1.5 "Etablering af Familiehus", the 2019 initiative
"Familiehuset", the 2023 goal 2.1 "Afbureaukratisering …", the unit Borgercenter Handicap.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.graph import link_decisions
from indsatsgraf.graph.names import AmbiguousName, Names, UnknownName, resolve_plan, resolve_thing
from indsatsgraf.queries.catalog import QueryError, saved_queries

ID = "https://w3id.org/indsatsgraf/id/"
GOAL_2015 = ID + "tvaergaaende-indsatsplan-2015/goal/2.1"
GOAL_2023 = ID + "sof-indsatsplan-2023-2026/goal/2.1"
FAMILIEHUS_2015 = ID + "tvaergaaende-indsatsplan-2015/initiative/2.1.5"
FAMILIEHUSET_2019 = ID + "sof-indsatsplan-status-2019/initiative/familiehuset"
BORGERCENTER = ID + "org/borgercenter-handicap"


def cli(built_store, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["--store", str(built_store.path), *args], env=env)


# -- show (6) ---------------------------------------------------------------------------


def test_an_ambiguous_number_lists_its_candidates_and_shows_nothing(built_store) -> None:
    result = cli(built_store, "show", "2.1")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert GOAL_2015 in result.output and GOAL_2023 in result.output
    # The way to choose is given for each, and it works.
    assert "2015:2.1" in result.output and "2023:2.1" in result.output
    assert "ig:describedIn" not in result.output
    chosen = cli(built_store, "show", "2015:2.1")
    assert chosen.exit_code == 0
    assert chosen.output.splitlines()[0] == GOAL_2015
    assert "Børn og unge med handicap" in chosen.output


def test_the_compact_form_show_prints_is_accepted(built_store) -> None:
    result = cli(built_store, "show", "id:tvaergaaende-indsatsplan-2015/goal/2.1")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == GOAL_2015


def test_a_label_names_the_initiative_before_the_unit_of_that_name(built_store) -> None:
    result = cli(built_store, "show", "Familiehus")
    assert result.exit_code == 0, result.output
    # "Familiehuset" (2019) starts with the name; the unit of that name comes after
    # initiatives; "Etablering af Familiehus" only contains it.
    assert result.output.splitlines()[0] == FAMILIEHUSET_2019


def test_ranking_exact_label_before_longer_labels_that_contain_it(oxstore) -> None:
    # Four initiatives mention Borgercenter Handicap; the unit is called exactly that.
    assert resolve_thing(oxstore, "borgercenter  HANDICAP").iri == BORGERCENTER
    assert resolve_thing(oxstore, "2.1.5").iri == FAMILIEHUS_2015
    assert resolve_thing(oxstore, "SOF").iri == ID + "org/sof"
    with pytest.raises(AmbiguousName) as two:
        resolve_thing(oxstore, "2.1")
    assert {t.iri for t in two.value.candidates} == {GOAL_2015, GOAL_2023}


def test_an_empty_name_is_an_error(built_store) -> None:
    result = cli(built_store, "show", "")
    assert result.exit_code == 1
    assert "give a name" in result.output
    assert "ig:describedIn" not in result.output


def test_an_iri_that_is_not_in_the_graph_is_unknown(oxstore) -> None:
    with pytest.raises(UnknownName, match="nothing with the IRI"):
        resolve_thing(oxstore, "id:1.4.1")


# -- viz and analyze (1) ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["Familiehus", "Borgercenter Handicap"])
def test_viz_focus_on_a_name_draws_it(built_store, tmp_path: Path, name: str) -> None:
    page = tmp_path / "focus.html"
    result = cli(built_store, "viz", "--focus", name, "-o", str(page))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and page.exists()


def test_focus_on_a_unit_shows_its_own_initiatives(oxstore) -> None:
    from indsatsgraf.viz.network import focus

    graph = focus(oxstore, "Borgercenter Handicap")
    assert graph.graph["center"] == BORGERCENTER
    # sof-indsatsplan-2023 6.3: "En beskæftigelseskoordinator i Borgercenter Handicap …"
    assert any("beskaeftigelseskoordinator-i-borgercenter-handicap" in n for n in graph)
    assert ID + "org/sof" in graph  # the department it is a unit of


# -- links accept|reject (2) ------------------------------------------------------------


def test_links_accept_records_full_iris_of_things_that_exist(built_store, tmp_path) -> None:
    decisions = tmp_path / "d.tsv"
    result = cli(
        built_store, "links", "--decisions", str(decisions), "accept", "2.1.5", "Familiehus"
    )
    assert result.exit_code == 0, result.output
    (decision,) = link_decisions.read(decisions).values()
    assert {decision.source, decision.target} == {FAMILIEHUS_2015, FAMILIEHUSET_2019}


@pytest.mark.parametrize(
    "names", [("1.4.1", "id:6.4"), ("findes-ikke-xyz", "2.1.5"), ("2.1", "2.1.5")]
)
def test_links_accept_refuses_what_does_not_name_one_thing(built_store, tmp_path, names) -> None:
    decisions = tmp_path / "d.tsv"
    result = cli(built_store, "links", "--decisions", str(decisions), "accept", *names)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not decisions.exists()


def test_validate_reports_a_link_to_a_thing_that_does_not_exist(tmp_path) -> None:
    from indsatsgraf.graph.pipeline import build
    from indsatsgraf.graph.store import GraphStore
    from indsatsgraf.graph.validate import validate

    decisions = tmp_path / "d.tsv"
    # What the old `links accept 1.4.1 6.4` wrote: IRIs no document has.
    link_decisions.record(ID + "1.4.1", ID + "6.4", "accept", path=decisions)
    store = GraphStore(tmp_path / "store")
    build(store, decisions=decisions)
    dangling = {v.focus for v in validate(store.open())}
    assert {ID + "1.4.1", ID + "6.4"} <= dangling


# -- parameters (5, 7) ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["2.1.5", "2015:2.1.5", "Etablering af Familiehus"])
def test_a_thing_parameter_takes_what_show_takes(built_store, name: str) -> None:
    result = cli(
        built_store, "query", "initiative-lineage", "-p", f"initiative={name}", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    rows = {r["relation"]: r["initiative"] for r in json.loads(result.output)}
    assert rows == {"start": FAMILIEHUS_2015, "successor": FAMILIEHUSET_2019}


def test_a_thing_parameter_without_a_graph_needs_an_iri() -> None:
    with pytest.raises(QueryError, match="not an IRI"):
        saved_queries()["initiative-lineage"].bindings({"initiative": "2.1.5"})


@pytest.mark.parametrize(
    "plan",
    ["2015", "tvaergaaende-indsatsplan-2015.txt", "tværgående", "tvaergaaende-indsatsplan-2015"],
)
def test_a_plan_parameter_takes_year_file_slug_or_title(built_store, plan: str) -> None:
    result = cli(
        built_store, "query", "multi-department-initiatives", "-p", f"plan={plan}", "-f", "csv"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    # tvaergaaende 2015, lines 396-439: 1.4.2 involves BIF, BUF, SOF and SUF.
    assert rows and {r["plan"] for r in rows} == {"tvaergaaende-indsatsplan-2015.txt"}
    assert "1.4.2" in {r["notation"] for r in rows}


def test_an_unknown_plan_is_an_error_listing_the_plans(built_store) -> None:
    result = cli(built_store, "query", "multi-department-initiatives", "-p", "plan=2099")
    assert result.exit_code == 1
    assert "no plan matches '2099'" in result.output
    assert "sof-indsatsplan-status-2019.txt" in result.output


def test_plans_are_named_alike_everywhere(oxstore) -> None:
    assert resolve_plan(oxstore, "2018-2022").file_name == "bif-indsatsplan-2018-2022.txt"
    assert resolve_plan(oxstore, "2019").file_name == "sof-indsatsplan-status-2019.txt"
    assert resolve_plan(oxstore, "PEJLEMÆRKER").file_name == "sud-pejlemaerker-2014-2017.txt"
    with pytest.raises(AmbiguousName):
        resolve_plan(oxstore, "sof-indsatsplan")
    # A view filter may name several plans at once.
    assert len(Names.of_store(oxstore).plans_named("sof-indsatsplan")) == 2


def test_a_plan_by_file_name_is_found_without_listing_every_plan(oxstore, monkeypatch) -> None:
    """Listing every plan took about 2 s at ×1000 on each one-plan question."""
    every = Names.of_store(oxstore).plans()
    found = {p.file_name: p for p in every}["bif-indsatsplan-2018-2022.txt"]

    def no_list(self: Names) -> list:
        raise AssertionError("every plan was listed")

    monkeypatch.setattr(Names, "plans", no_list)
    names = Names.of_store(oxstore)
    assert names.plan(" bif-indsatsplan-2018-2022.txt ") == found
    with pytest.raises(AssertionError, match="every plan was listed"):
        names.plan("BIF-indsatsplan-2018-2022.TXT")  # other spellings go through the list
    with pytest.raises(AssertionError, match="every plan was listed"):
        names.plan("no-such-plan.txt")  # the list names the plans when nothing matches


# -- query -e (9) -----------------------------------------------------------------------


def test_inline_queries_know_the_project_prefixes(built_store) -> None:
    result = cli(
        built_store,
        "query",
        "-e",
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ig:Initiative ; ig:describedIn ?p }",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": 195}]  # README extraction table: 195 in all


def test_a_syntax_error_is_explained_at_the_users_line(built_store) -> None:
    text = "SELECT ?s WHERE {\n  ?s a ig:Initiative\n} LIMIT many"
    result = cli(built_store, "query", "-e", text)
    assert result.exit_code == 1
    assert "<inline>:3:" in result.output and "line 3, column" in result.output
    assert "'many' cannot stand here" in result.output
    assert "expected one of" not in result.output


# -- link decisions live with the user's data (10) --------------------------------------


def test_decisions_go_to_the_users_data_directory(built_store, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("INDSATSGRAF_LINK_DECISIONS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "indsatsgraf" / "link-decisions.tsv"
    assert link_decisions.decisions_path() == expected
    result = cli(built_store, "links", "reject", "2.1.5", "Familiehus")
    assert result.exit_code == 0, result.output
    assert expected.exists()
    assert str(link_decisions.shipped_path()) not in result.output


def test_the_users_decision_overrides_the_shipped_one(tmp_path, monkeypatch) -> None:
    shipped, own = tmp_path / "shipped.tsv", tmp_path / "own.tsv"
    link_decisions.record(FAMILIEHUS_2015, FAMILIEHUSET_2019, "accept", path=shipped)
    link_decisions.record(GOAL_2015, GOAL_2023, "reject", path=shipped)
    link_decisions.record(FAMILIEHUSET_2019, FAMILIEHUS_2015, "reject", path=own)
    monkeypatch.setattr(link_decisions, "shipped_path", lambda: shipped)
    found = link_decisions.load(own)
    assert found[link_decisions.pair(FAMILIEHUS_2015, FAMILIEHUSET_2019)].decision == "reject"
    assert found[link_decisions.pair(GOAL_2015, GOAL_2023)].decision == "reject"
