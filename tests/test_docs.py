"""docs/queries.md is generated from the saved queries and their real answers, and kept current."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import REPO
from indsatsgraf.cli import main
from indsatsgraf.queries.catalog import saved_queries
from indsatsgraf.queries.docs import render_page

PAGE = REPO / "docs" / "queries.md"


def test_the_page_is_up_to_date(oxstore) -> None:
    expected = render_page(oxstore)
    assert PAGE.read_text(encoding="utf-8") == expected, (
        "docs/queries.md is out of date; run `indsatsgraf docs` from the repository root"
    )


def test_the_page_shows_every_query_with_parameters_and_a_real_answer(oxstore) -> None:
    page = render_page(oxstore)
    for name, query in saved_queries().items():
        section = page.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"indsatsgraf query {name}" in section
        for p in query.parameters:
            assert f"| `{p.name}` |" in section, (name, p.name)
    provenance = page.split("\n## provenance-lookup\n", 1)[1].split("\n## ", 1)[0]
    # tvaergaaende-indsatsplan-2015.txt lines 396-439 are initiative 1.4.2.
    assert "| 396 | 439 | Initiative | 1.4.2 |" in provenance


def test_docs_check_fails_on_a_stale_page_and_docs_rewrites_it(tmp_path: Path) -> None:
    page = tmp_path / "queries.md"
    page.write_text("# stale\n", encoding="utf-8")
    stale = CliRunner().invoke(main, ["docs", "--check", "-o", str(page)])
    assert stale.exit_code == 1 and "out of date" in stale.output
    written = CliRunner().invoke(main, ["docs", "-o", str(page)])
    assert written.exit_code == 0, written.output
    fresh = CliRunner().invoke(main, ["docs", "--check", "-o", str(page)])
    assert fresh.exit_code == 0, fresh.output
    assert page.read_text(encoding="utf-8") == PAGE.read_text(encoding="utf-8")
