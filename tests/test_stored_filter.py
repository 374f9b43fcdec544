"""One-department and one-plan questions answered by filtering the answer the build stored.

A ``#+ stored-filter:`` line is a promise about the query's SPARQL: asked for
one department (or plan), its answer is exactly the stored whole answer's rows
that hold that department's code (or belong to that plan), in the same order.
These tests hold every declaration to that promise for each of the seven
departments and each bundled plan, and show that a wrong declaration breaks it.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from indsatsgraf.graph import answers
from indsatsgraf.graph.names import Names
from indsatsgraf.graph.sparql import run_embedded
from indsatsgraf.graph.vocabulary import organisation_iri
from indsatsgraf.queries.catalog import (
    DEPARTMENT_CODES,
    QueryError,
    SavedQuery,
    StoredFilter,
    parse_query_file,
    saved_queries,
)
from stored_file import change_stored_rows

DECLARED = (
    "budget-items-per-department",
    "department-collaboration-matrix",
    "initiatives-active-in-year",
    "initiatives-per-goal-and-department",
    "multi-department-initiatives",
    "priorities-without-department-initiatives",
)
#: The one-plan questions answered from the stored answer: those that cannot be scoped to
#: the plan's graph (their rows draw on other plans), and the stored lists whose rows show
#: their plan's file name.
PLAN_DECLARED = (
    "benchmark-support",
    "budget-items-and-goals",
    "goals-without-initiatives",
    "indicator-progress",
    "initiatives-by-keyword",
    "initiatives-by-target-group",
    "initiatives-per-goal-and-department",
    "partners-and-initiatives",
)


def disagreements(generation: Path, oxstore, query: SavedQuery) -> dict[str, tuple[int, int]]:
    """The departments whose filtered stored answer is not the live one: (stored, live) rows.

    Also fails outright if the stored answer is not used at all: a declaration
    that silently runs live would prove nothing.
    """
    wrong = {}
    for code in DEPARTMENT_CODES:
        kept = answers.stored(generation, query, {"department": code})
        assert kept is not None, f"{query.name}: {code} was not answered from the stored answer"
        live = run_embedded(oxstore, query, query.bindings({"department": code}))
        if (kept.variables, kept.rows) != (live.variables, live.rows):
            wrong[code] = (len(kept.rows), len(live.rows))
    return wrong


def test_the_declared_queries_are_the_department_narrowed_ones() -> None:
    def declaring(parameter: str) -> set[str]:
        return {
            name
            for name, q in saved_queries().items()
            if any(f.parameter == parameter for f in q.stored_filters)
        }

    assert declaring("department") == set(DECLARED)
    assert declaring("plan") == set(PLAN_DECLARED)


def plan_disagreements(
    generation: Path, oxstore, query: SavedQuery, department: str | None = None
) -> dict[str, tuple[int, int]]:
    """The plans (named by file name and by IRI) whose stored rows are not the live ones.

    Fails outright when the stored answer is not used, or when no plan has rows.
    """
    names = Names.of_store(oxstore)
    plans = names.plans()
    assert len(plans) == 5
    wrong, answered = {}, 0
    for plan in plans:
        for named in (plan.file_name, plan.iri):
            given = {"plan": named} | ({"department": department} if department else {})
            kept = answers.stored(generation, query, given, names=names)
            assert kept is not None, (
                f"{query.name}: {named} was not answered from the stored answer"
            )
            live = run_embedded(oxstore, query, query.bindings(given, names))
            if (kept.variables, kept.rows) != (live.variables, live.rows):
                wrong[named] = (len(kept.rows), len(live.rows))
            answered += bool(live.rows)
    assert answered >= 2, "plans without rows would prove nothing"
    return wrong


@pytest.mark.parametrize("name", PLAN_DECLARED)
def test_a_plan_filter_answers_as_the_live_query(built_store, oxstore, name: str) -> None:
    query = saved_queries()[name]
    assert plan_disagreements(built_store.current.resolve(), oxstore, query) == {}


@pytest.mark.parametrize("department", ["SOF", "BUF"])
def test_a_plan_and_a_department_together(built_store, oxstore, department: str) -> None:
    query = saved_queries()["initiatives-per-goal-and-department"]
    generation = built_store.current.resolve()
    assert plan_disagreements(generation, oxstore, query, department) == {}


def test_a_plan_by_year_is_resolved_in_the_graph(built_store, oxstore) -> None:
    """A plan named as a planner names it ("2023") needs the graph's names; without, it runs live."""
    query = saved_queries()["goals-without-initiatives"]
    generation = built_store.current.resolve()
    names = Names.of_store(oxstore)
    assert answers.stored(generation, query, {"plan": "2023"}) is None
    kept = answers.stored(generation, query, {"plan": "2023"}, names=names)
    live = run_embedded(oxstore, query, query.bindings({"plan": "2023"}, names))
    assert kept is not None and live.rows
    assert kept.rows == live.rows


@pytest.mark.parametrize("name", DECLARED)
def test_a_stored_filter_answers_as_the_live_query(built_store, oxstore, name: str) -> None:
    query = saved_queries()[name]
    generation = built_store.current.resolve()
    assert disagreements(generation, oxstore, query) == {}
    answered = [
        code
        for code in DEPARTMENT_CODES
        if answers.stored(generation, query, {"department": code}).rows
    ]
    assert len(answered) >= 2, "departments without rows would prove nothing"


def test_a_limit_counts_the_kept_rows(built_store, oxstore) -> None:
    query = saved_queries()["initiatives-per-goal-and-department"]
    generation = built_store.current.resolve()
    live = run_embedded(oxstore, query, query.bindings({"department": "BUF"})).rows
    assert len(live) > 3
    assert answers.stored(generation, query, {"department": "buf"}, limit=3).rows == live[:3]
    streamed = answers.stream(generation, query, {"department": "BUF"})
    assert list(streamed.rows) == live


def test_an_undeclared_parameter_runs_live(built_store) -> None:
    generation = built_store.current.resolve()
    query = saved_queries()["budget-items-per-department"]
    assert answers.stored(generation, query, {"department": "SOF", "year": "2024"}) is None
    matrix = saved_queries()["department-collaboration-matrix"]
    assert answers.stored(generation, matrix, {"department": "SOF", "plan": "2015"}) is None
    assert (
        answers.stored(generation, replace(matrix, stored_filters=()), {"department": "SOF"})
        is None
    )


def test_a_bad_code_is_refused_as_live(built_store) -> None:
    query = saved_queries()["department-collaboration-matrix"]
    with pytest.raises(QueryError, match="'XYZ' is not a department code"):
        answers.stored(built_store.current.resolve(), query, {"department": "XYZ"})


@pytest.fixture(scope="module")
def spare_generation(built_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled graph's generation, for storing answers of queries under test."""
    copy = tmp_path_factory.mktemp("spare") / "generation"
    shutil.copytree(built_store.current.resolve(), copy)
    return copy


def _stored_as(generation: Path, query: SavedQuery) -> SavedQuery:
    assert answers.compute(generation, [query]) == 1
    return query


def _undeclared(name: str) -> str:
    """The saved query's text without its ``#+ stored`` lines, to declare afresh."""
    text = saved_queries()[name].text
    return "".join(line for line in text.splitlines(True) if not line.startswith("#+ stored"))


def _declared(tmp_path: Path, text: str, header: str) -> SavedQuery:
    """``text`` with ``header`` lines put before its first line, parsed as a query file."""
    path = tmp_path / "declared.rq"
    path.write_text(header + text, encoding="utf-8")
    return parse_query_file(path)


def test_a_list_column_compared_as_one_code_fails(spare_generation: Path, oxstore) -> None:
    """multi-department-initiatives' column lists codes ("BUF, SOF"): '=' would keep no row."""
    query = saved_queries()["multi-department-initiatives"]
    wrong = replace(query, stored_filters=(StoredFilter("department", ("departments",)),))
    found = disagreements(spare_generation, oxstore, _stored_as(spare_generation, wrong))
    assert found and all(kept == 0 < live for kept, live in found.values())


def test_a_column_not_grouped_on_fails(spare_generation: Path, oxstore, tmp_path: Path) -> None:
    """The first department of each initiative is not what narrowing to a department shows."""
    text = """#+ param: department department — only this department
PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?initiative (MIN(?code) AS ?department) WHERE {
  ?initiative a ig:Initiative ; ig:department ?dept . ?dept skos:notation ?code .
  FILTER(!BOUND(?_department) || ?dept = ?_department)
}
GROUP BY ?initiative
ORDER BY ?initiative
"""
    header = "#+ stored: yes\n#+ stored-filter: department = ?department\n"
    query = _stored_as(spare_generation, _declared(tmp_path, text, header))
    found = disagreements(spare_generation, oxstore, query)
    assert found and all(kept < live for kept, live in found.values())


def test_a_query_without_the_column_cannot_declare_it(tmp_path: Path) -> None:
    """initiatives-active-in-year shows no department: only 'by query' can file its rows."""
    text = _undeclared("initiatives-active-in-year")
    header = "#+ stored: yes\n#+ stored-filter: department = ?department\n"
    with pytest.raises(QueryError, match=r"declared\.rq:2: the query has no column \?department"):
        _declared(tmp_path, text, header)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("#+ stored-filter: department = ?department\n", "needs '#\\+ stored: yes'"),
        ("#+ stored: yes\n#+ stored-filter: department ?department\n", "a stored filter is"),
        ("#+ stored: yes\n#+ stored-filter: goal = ?department\n", "'goal' is not a department"),
        ("#+ stored: yes\n#+ stored-filter: plan in ?plan\n", "a plan filter is '=' or 'of'"),
        ("#+ stored: yes\n#+ stored-filter: department of ?goal\n", "filter is '=' or 'in'"),
        ("#+ stored: yes\n#+ stored-filter: department in ?a | ?b\n", "'in' takes one column"),
        ("#+ stored: yes\n#+ stored-filter: department = ?dept\n", "no column \\?dept"),
        ("#+ stored: yes\n#+ stored-filter: plan within ?plan ?goal\n", "plan filter is '='"),
        ("#+ stored: yes\n#+ stored-filter: department within ?a\n", "a stored filter is"),
        ("#+ stored: yes\n#+ stored-filter: plan by query\n", "plan filter is '=' or 'of'"),
        ("#+ stored: yes\n#+ stored-filter: department by query ?department\n", "filter is"),
        (
            "#+ stored: yes\n#+ stored-filter: department = ?department\n"
            "#+ stored-filter: department = ?plan\n",
            "'department' has a stored filter already",
        ),
    ],
)
def test_a_bad_declaration_names_its_line(tmp_path: Path, header: str, message: str) -> None:
    text = _undeclared("initiatives-per-goal-and-department")
    with pytest.raises(QueryError, match=rf"declared\.rq:\d+: .*{message}"):
        _declared(tmp_path, text, header)


def test_a_defaulted_parameter_cannot_be_declared(tmp_path: Path) -> None:
    text = _undeclared("initiatives-per-goal-and-department").replace(
        "#+ param: department department —", "#+ param: department department = SOF —"
    )
    header = "#+ stored: yes\n#+ stored-filter: department = ?department\n"
    with pytest.raises(QueryError, match="has a default"):
        _declared(tmp_path, text, header)


MATRIX = saved_queries()["department-collaboration-matrix"]


def test_the_command_answers_one_department_from_the_stored_answer(built_store, tmp_path) -> None:
    """A marker in the stored file shows that `query --param department=…` read it."""
    store = tmp_path / "store"
    shutil.copytree(built_store.path, store, symlinks=True)
    file = store / "current" / answers.FILE
    first = min(
        place
        for place, row in enumerate(answers.stored(store / "current", MATRIX, {}).rows)
        if row["departmentA"] == "BUF"
    )

    def negated(place: int, row: dict) -> dict | None:
        return row | {"sharedInitiatives": -row["sharedInitiatives"]} if place == first else None

    assert change_stored_rows(file, MATRIX.name, negated) == 1
    shown = _query_json(store, "department-collaboration-matrix", "department=BUF")
    assert any(r["sharedInitiatives"] < 0 for r in shown)
    assert all("BUF" in (r["departmentA"], r["departmentB"]) for r in shown)


def _query_json(store: Path, name: str, parameter: str) -> list[dict]:
    """What `indsatsgraf query NAME --param PARAMETER --format json` prints, parsed."""
    import json

    from click.testing import CliRunner
    from indsatsgraf.cli import main

    result = CliRunner().invoke(
        main,
        ["--store", str(store), "query", name, "--param", parameter, "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_command_answers_one_plan_from_the_stored_answer(built_store, tmp_path) -> None:
    """`query goals-without-initiatives --param plan=2023` reads the stored rows, marked here."""
    store = tmp_path / "store"
    shutil.copytree(built_store.path, store, symlinks=True)
    changed = change_stored_rows(
        store / "current" / answers.FILE,
        "goals-without-initiatives",
        lambda place, row: row | {"goal": "STORED " + row["goal"]},
    )
    assert changed > 2
    shown = _query_json(store, "goals-without-initiatives", "plan=2023")
    assert shown and all(r["goal"].startswith("STORED ") for r in shown)
    assert {r["plan"] for r in shown} == {"sof-indsatsplan-2023-2026.txt"}


def test_a_thing_column_of_another_plan_fails(spare_generation: Path, oxstore) -> None:
    """benchmark-support's supporters come from other plans too: their plan is not the benchmark's."""
    query = saved_queries()["benchmark-support"]
    wrong = replace(query, stored_filters=(StoredFilter("plan", ("supporter",), "of", "plan"),))
    found = plan_disagreements(spare_generation, oxstore, _stored_as(spare_generation, wrong))
    assert found


YEARS = range(2010, 2031)


def year_disagreements(generation: Path, oxstore, query: SavedQuery) -> dict[tuple, tuple]:
    """The (year, department) questions whose stored rows are not the live ones.

    Asked for every year from 2010 to 2030, with no department and with each
    of the seven; fails outright if the stored answer is not used or if too
    few questions have rows to prove anything.
    """
    wrong, answered = {}, 0
    for year in YEARS:
        for code in (None, *DEPARTMENT_CODES):
            given = {"year": str(year)} | ({"department": code} if code else {})
            kept = answers.stored(generation, query, given)
            assert kept is not None, (
                f"{query.name}: {given} was not answered from the stored answer"
            )
            live = run_embedded(oxstore, query, query.bindings(given))
            if (kept.variables, kept.rows) != (live.variables, live.rows):
                wrong[(year, code)] = (len(kept.rows), len(live.rows))
            answered += bool(live.rows)
    assert answered >= 20, "years without rows would prove nothing"
    return wrong


def test_a_year_range_and_a_department_by_query_answer_as_the_live_query(
    built_store, oxstore
) -> None:
    """initiatives-active-in-year shows neither the year nor the department it is asked for."""
    query = saved_queries()["initiatives-active-in-year"]
    generation = built_store.current.resolve()
    assert year_disagreements(generation, oxstore, query) == {}
    default = answers.stored(generation, query, {"department": "SOF"})
    live = run_embedded(oxstore, query, query.bindings({"year": "2016", "department": "SOF"}))
    assert default is not None and live.rows
    assert default.rows == live.rows


def test_a_range_read_the_wrong_way_round_fails(spare_generation: Path, oxstore) -> None:
    """With start and end swapped, the plans of one year (start = end) still agree, the rest not."""
    query = saved_queries()["initiatives-active-in-year"]
    swapped = replace(
        query,
        stored_filters=(
            StoredFilter("year", ("endYear", "startYear"), "within", "year"),
            StoredFilter("department", (), "by query", "department"),
        ),
    )
    found = year_disagreements(spare_generation, oxstore, _stored_as(spare_generation, swapped))
    assert found


def test_a_department_by_query_that_changes_rows_fails_the_build(
    spare_generation: Path, tmp_path: Path
) -> None:
    """A count per department is no row of the whole answer: storing it is refused, named."""
    text = """#+ param: department department — only this department
PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
SELECT (COUNT(?initiative) AS ?initiatives) WHERE {
  ?initiative a ig:Initiative .
  FILTER(!BOUND(?_department) || EXISTS { ?initiative ig:department ?_department })
}
"""
    query = _declared(tmp_path, text, "#+ stored: yes\n#+ stored-filter: department by query\n")
    with pytest.raises(
        QueryError, match=r"declared\.rq: asked for every department at once, .* by query' needs"
    ):
        answers.compute(spare_generation, [query])


BY_QUERY = "#+ stored: yes\n#+ stored-filter: department by query\n"
#: A department parameter read as a FILTER that only leaves initiatives out.
INITIATIVES = """#+ param: department department — only this department
PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT {distinct} ?label {shown} WHERE {{
  ?initiative a ig:Initiative ; rdfs:label ?label .
  FILTER(!BOUND(?_department) || EXISTS {{ ?initiative ig:department ?_department }})
}}
{tail}
"""


def test_a_department_by_query_that_marks_its_rows_fails_the_build(
    spare_generation: Path, tmp_path: Path
) -> None:
    """A row that shows whether a department was asked is in no whole answer: refused, named."""
    text = INITIATIVES.format(
        distinct="DISTINCT",
        shown='(IF(BOUND(?_department), "asked", "all") AS ?asked)',
        tail="ORDER BY ?label",
    )
    query = _declared(tmp_path, text, BY_QUERY)
    with pytest.raises(QueryError, match=r"declared\.rq: asked for department=\w+, .* lacks"):
        answers.compute(spare_generation, [query])


@pytest.mark.parametrize(
    ("distinct", "tail", "message"),
    [
        ("DISTINCT", "ORDER BY ?label LIMIT 5", r"only an ORDER BY may follow .*LIMIT 5"),
        ("DISTINCT", "GROUP BY ?label", r"only an ORDER BY may follow .*GROUP BY"),
        ("", "ORDER BY ?label", r"holds a row twice; .* \(SELECT DISTINCT\)"),
    ],
)
def test_a_department_by_query_that_cannot_be_asked_at_once_fails_the_build(
    spare_generation: Path, tmp_path: Path, distinct: str, tail: str, message: str
) -> None:
    """Cut or grouped rows, or a row kept twice, would be filed wrong from one run for all
    the departments: the build refuses them. (Some labels name two initiatives, so
    without DISTINCT the answer holds a row twice.)"""
    query = _declared(
        tmp_path, INITIATIVES.format(distinct=distinct, shown="", tail=tail), BY_QUERY
    )
    with pytest.raises(QueryError, match=rf"declared\.rq: .*{message}"):
        answers.compute(spare_generation, [query])


def test_rows_filed_under_the_wrong_department_are_found(
    spare_generation: Path, oxstore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above can fail: with SOF's and BUF's rows swapped as they are filed, the
    stored answers of those two (and only those) disagree with the live ones."""
    query = saved_queries()["initiatives-active-in-year"]
    run = answers.run_for_every_value
    sof, buf = (organisation_iri(code).value for code in ("SOF", "BUF"))

    def swapped(*args, **kwargs):
        result = run(*args, **kwargs)
        for row in result.rows:
            row["_department"] = {sof: buf, buf: sof}.get(row["_department"], row["_department"])
        return result

    monkeypatch.setattr(answers, "run_for_every_value", swapped)
    found = year_disagreements(spare_generation, oxstore, _stored_as(spare_generation, query))
    assert {code for _, code in found} == {"SOF", "BUF"}


def test_a_year_read_from_small_parts_skips_none_it_needs(
    spare_generation: Path, oxstore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts of four rows: a part whose ranges cannot hold the year is not read, and
    still every year's rows are the live ones (and some parts are passed over)."""
    import sqlite3

    query = saved_queries()["initiatives-active-in-year"]
    monkeypatch.setattr(answers, "PART_ROWS", 4)
    _stored_as(spare_generation, query)
    assert year_disagreements(spare_generation, oxstore, query) == {}
    with sqlite3.connect(spare_generation / answers.FILE) as connection:
        spans = connection.execute(
            "SELECT low, high FROM part WHERE query = ? AND parameter = ''", (query.name,)
        ).fetchall()
    assert len(spans) > 4
    assert any(low is not None and low > 2012 for low, _ in spans)
    assert any(high is not None and high < 2020 for _, high in spans)


def test_a_plan_with_a_department_by_query_reads_the_places_filed(
    spare_generation: Path, oxstore, tmp_path: Path
) -> None:
    """initiatives-active-in-year given a plan parameter too: a plan and a department
    together keep the plan's rows that the department's own answer filed."""
    text = (
        _undeclared("initiatives-active-in-year")
        .replace(
            "#+ param: department department",
            "#+ param: plan plan — only this plan\n#+ param: department department",
        )
        .replace(
            "FILTER(BOUND(?startYear) || BOUND(?endYear))",
            "FILTER(BOUND(?startYear) || BOUND(?endYear))\n"
            "  FILTER(!BOUND(?_plan) || ?planIri = ?_plan)",
        )
    )
    header = (
        "#+ stored: yes\n#+ stored-filter: department by query\n"
        "#+ stored-filter: plan = ?plan\n#+ stored-filter: year within ?startYear ?endYear\n"
    )
    query = _stored_as(spare_generation, _declared(tmp_path, text, header))
    names = Names.of_store(oxstore)
    wrong, answered = {}, 0
    for plan in names.plans():
        for code in DEPARTMENT_CODES:
            for year in ("2015", "2020"):
                given = {"plan": plan.file_name, "department": code, "year": year}
                kept = answers.stored(spare_generation, query, given, names=names)
                assert kept is not None
                live = run_embedded(oxstore, query, query.bindings(given, names))
                if kept.rows != live.rows:
                    wrong[(plan.file_name, code, year)] = (len(kept.rows), len(live.rows))
                answered += bool(live.rows)
    assert wrong == {}
    assert answered >= 5, "questions without rows would prove nothing"
