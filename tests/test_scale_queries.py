"""Saved queries whose cost must not explode with the graph (issue 13).

Times here are deadlines two orders of magnitude above what the queries need,
so a loaded machine does not fail them; what they catch is a query whose plan
is quadratic or worse, which no machine finishes in time.
"""

from __future__ import annotations

from indsatsgraf.graph.sparql import run_embedded
from indsatsgraf.queries.catalog import saved_queries

#: Seconds; the bundled graph answers in well under one.
DEADLINE = 20.0


def test_goals_without_initiatives_tests_each_plan_once_not_each_goal(oxstore) -> None:
    """The theme-coverage rule ran its NOT EXISTS per goal and took 127 s on five documents."""
    query = saved_queries()["goals-without-initiatives"]
    rows = run_embedded(oxstore, query, query.bindings({}), timeout=DEADLINE).rows
    assert len(rows) == 11
    # The 2019 status report's målsætninger are covered by their themes, so none is listed.
    assert not [r for r in rows if r["plan"] == "sof-indsatsplan-status-2019.txt"]
    narrowed = run_embedded(
        oxstore, query, query.bindings({"plan": "sof-indsatsplan-2023-2026.txt"}), timeout=DEADLINE
    ).rows
    assert narrowed == [r for r in rows if r["plan"] == "sof-indsatsplan-2023-2026.txt"]
