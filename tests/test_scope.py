"""Queries narrowed to one plan read only that plan's graph, with the same answer.

A saved query that declares ``#+ scope: plan`` is run, when its plan is given,
with the plan's document graph (plus organisations and ontology, and the links
when declared) as its default graph instead of the union of every document.
That is only right if the rows are the same; these tests compare both ways of
running every scoped query for every bundled plan, and check that the scoped
run really reads nothing else.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from indsatsgraf.graph.sparql import run_embedded
from indsatsgraf.graph.vocabulary import GRAPH
from indsatsgraf.queries.catalog import QueryError, parse_query_file, saved_queries

SCOPED = sorted(name for name, query in saved_queries().items() if query.scope)


def _plans(oxstore: ox.Store) -> list[str]:
    rows = oxstore.query(
        "SELECT DISTINCT ?plan WHERE { ?plan a <https://w3id.org/indsatsgraf/ontology#Plan> }",
        use_default_graph_as_union=True,
    )
    return sorted(row["plan"].value for row in rows)


def test_the_one_plan_questions_declare_their_scope() -> None:
    expected = {
        "initiative-financing",
        "department-collaboration-matrix",
        "multi-department-initiatives",
    }
    assert expected <= set(SCOPED)


@pytest.mark.parametrize("name", SCOPED)
def test_a_scoped_answer_equals_the_answer_over_every_graph(oxstore, name: str) -> None:
    query = saved_queries()[name]
    unscoped = replace(query, scope=None)
    plans = _plans(oxstore)
    assert len(plans) == 5
    answered = 0
    for plan in plans:
        bindings = query.bindings({query.scope: plan})
        assert query.scoped_graphs(bindings) is not None
        narrow = run_embedded(oxstore, query, bindings)
        wide = run_embedded(oxstore, unscoped, bindings)
        assert narrow.rows == wide.rows, f"{name} narrowed to {plan}"
        answered += bool(wide.rows)
    assert answered >= 1, f"{name} answers nothing for any bundled plan: the test proves nothing"


def test_a_scoped_run_reads_only_the_plans_graph(oxstore) -> None:
    """Counting initiatives in the scoped dataset finds only those of the plan."""
    query = saved_queries()["initiative-financing"]
    plan = next(p for p in _plans(oxstore) if "2015" in p)
    graphs = query.scoped_graphs(query.bindings({"plan": plan}))
    assert graphs[0] == GRAPH + "tvaergaaende-indsatsplan-2015"
    count = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?i a <https://w3id.org/indsatsgraf/ontology#Initiative> }"
    )
    scoped = next(iter(oxstore.query(count, default_graph=[ox.NamedNode(g) for g in graphs])))
    everywhere = next(iter(oxstore.query(count, use_default_graph_as_union=True)))
    assert 0 < int(scoped["n"].value) < int(everywhere["n"].value)


def test_without_the_plan_a_scoped_query_reads_every_graph() -> None:
    query = saved_queries()["initiative-financing"]
    assert query.scoped_graphs(query.bindings({})) is None
    assert query.scoped_graphs(query.bindings({"financing": "unfunded"})) is None


def test_a_scope_with_links_adds_the_links_graph(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(
        "#+ param: plan plan — the plan\n#+ scope: plan + links\n"
        "SELECT ?s WHERE { ?s ?p ?_plan } ORDER BY ?s\n",
        encoding="utf-8",
    )
    query = parse_query_file(path)
    graphs = query.scoped_graphs(query.bindings({"plan": "sof-indsatsplan-2023-2026.txt"}))
    assert graphs == [
        GRAPH + "sof-indsatsplan-2023-2026",
        GRAPH + "organisations",
        GRAPH + "ontology",
        GRAPH + "links",
    ]


@pytest.mark.parametrize(
    ("header", "complaint"),
    [
        ("#+ scope: department", "not a parameter of type plan"),
        ("#+ scope: year", "not a parameter of type plan"),
        ("#+ scope: plan + everything", "optionally followed by '+ links'"),
    ],
)
def test_a_bad_scope_is_reported_with_its_line(tmp_path: Path, header: str, complaint: str) -> None:
    path = tmp_path / "q.rq"
    path.write_text(
        "#+ param: plan plan — the plan\n#+ param: year year — a year\n"
        f"{header}\nSELECT ?s WHERE {{ ?s ?p ?o }} ORDER BY ?s\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryError) as caught:
        parse_query_file(path)
    assert f"{path}:3:" in str(caught.value)
    assert complaint in str(caught.value)
