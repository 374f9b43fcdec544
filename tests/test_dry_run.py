"""`build --dry-run` and a budget code named in a committee case, linked to the plan's item.

The case (tests/data/udvalgssag-budgetopfoelgning.txt, invented) names "HA01 (2024)",
which is a budget item of the 2023 plan (sof-indsatsplan-2023-2026), and "TV02 (2027)",
which no plan holds (the plan's TV02 is of budget 2024).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.graph.builder import record_iri
from indsatsgraf.graph.documents import documents
from indsatsgraf.graph.pipeline import build, preview
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.graph.vocabulary import IG, LINKS_GRAPH, data_iri_value

CASE = Path(__file__).parent / "data" / "udvalgssag-budgetopfoelgning.txt"
CASE_SLUG = "udvalgssag-budgetopfoelgning"
PLAN_HA01 = record_iri("sof-indsatsplan-2023-2026", "budget", "HA01")
PLAN_TV02 = record_iri("sof-indsatsplan-2023-2026", "budget", "TV02")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore(tmp_path_factory.mktemp("dry-run") / "store")
    build(store)
    return store


def test_a_preview_shows_the_case_linking_to_the_plans_budget_item(bundled: GraphStore) -> None:
    before = bundled.current.resolve()
    found = preview(bundled, [CASE])
    mention_links = [
        link
        for link in found.links
        if link.relation == "mentionOf" and link.target == PLAN_HA01.value
    ]
    assert mention_links and all(
        link.source.startswith(data_iri_value(CASE_SLUG, "mention")) for link in mention_links
    )
    assert [link.source for link in found.links if link.relation == "crossReference"] == [
        record_iri(CASE_SLUG, "budget", "HA01").value
    ]
    assert all(PLAN_TV02.value != link.target for link in found.links)
    assert [doc.file_name for doc in found.summary.documents] == [CASE.name]
    facts = {f.kind: f for f in found.summary.facts[CASE.name]}
    assert facts["budget-code"].count == 4 and facts["budget-code"].confidence == 0.9
    assert facts["proposal"].count == 2
    # Nothing was written: the same generation, the same five documents.
    assert bundled.current.resolve() == before
    assert len(documents(bundled)) == 5


def test_a_code_of_another_budget_year_links_to_nothing(
    bundled: GraphStore, tmp_path: Path
) -> None:
    # Codes are reused every budget year for new proposals: the 2023 plan also names
    # an HA01 of the 2020-21 transfer case without a year, which is not HA01 (2026).
    case = tmp_path / "budgetforslag-2026.txt"
    case.write_text(
        "Socialudvalget\n\nMødedato: 12. marts 2026\n\nBudgetforslag HA01 (2026)\n\n"
        "Resumé\n\nForvaltningen fremlægger budgetforslag HA01 (2026) om botilbud.\n\n"
        "Indstilling\n\nSocialforvaltningen indstiller, at Socialudvalget godkender HA01 (2026).\n",
        encoding="utf-8",
    )
    found = preview(bundled, [case])
    plan_items = data_iri_value("sof-indsatsplan-2023-2026", "budget")
    assert [link.target for link in found.links if link.target.startswith(plan_items)] == []


def test_the_cli_dry_run_prints_the_links_and_writes_nothing(bundled: GraphStore) -> None:
    result = CliRunner().invoke(
        main, ["--store", str(bundled.path), "build", "--dry-run", str(CASE)]
    )
    assert result.exit_code == 0, result.output
    assert "HA01 (2024) —mentionOf→" in result.output
    assert "  facts: 4 budget codes (0.90), 1 amount" in result.output
    assert result.output.rstrip().endswith("nothing was written")
    assert len(documents(bundled)) == 5


def test_a_dry_run_without_sources_is_refused(bundled: GraphStore) -> None:
    result = CliRunner().invoke(main, ["--store", str(bundled.path), "build", "--dry-run"])
    assert result.exit_code != 0
    assert "--dry-run needs the SOURCES" in result.output


def test_building_the_case_writes_the_links_the_preview_showed(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store)
    result = CliRunner().invoke(main, ["--store", str(store.path), "build", str(CASE)])
    assert result.exit_code == 0, result.output
    assert "  facts: 4 budget codes (0.90)" in result.output
    graph = store.open()
    mention_of = ox.NamedNode(IG + "mentionOf")
    cross = ox.NamedNode(IG + "crossReference")
    sources = {
        q.subject.value for q in graph.quads_for_pattern(None, mention_of, PLAN_HA01, LINKS_GRAPH)
    }
    assert sources and all(s.startswith(data_iri_value(CASE_SLUG, "mention")) for s in sources)
    assert list(
        graph.quads_for_pattern(
            record_iri(CASE_SLUG, "budget", "HA01"), cross, PLAN_HA01, LINKS_GRAPH
        )
    )
    assert not list(graph.quads_for_pattern(None, mention_of, PLAN_TV02, LINKS_GRAPH))
