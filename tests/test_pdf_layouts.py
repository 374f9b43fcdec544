"""Layouts as a PDF's text layer gives them: bullets in any form, lost empty cells, page breaks.

A real PDF of the 2019 status report gives its goals' Wingdings bullet as
U+F076, as the letter "v", as a Unicode bullet or not at all; a PDF table
row loses its empty cells, leading and trailing; and a page's last blank
line does not survive. The importers must read the same records in each case.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from indsatsgraf.importers.sof_status_2019 import IMPORTER as STATUS
from indsatsgraf.importers.sud_pejlemaerker_2014 import IMPORTER as PEJLEMAERKER
from indsatsgraf.importers.text import from_string, read_source

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
STATUS_REPORT = SOURCES / "sof-indsatsplan-status-2019.txt"
PEJLEMAERKER_REPORT = SOURCES / "sud-pejlemaerker-2014-2017.txt"


def goals(text: str) -> list[tuple[str, str | None, str]]:
    result = STATUS.parse(from_string(text))
    return [(g.kind, g.parent, g.label) for g in result.goals]


@pytest.mark.parametrize("bullet", ["v ", "• ", "❖ ", "", " "])
def test_status_goals_are_read_whatever_became_of_their_bullet(bullet: str) -> None:
    text = STATUS_REPORT.read_text(encoding="utf-8")
    assert text.count("\uf076") == 25  # the 7 + 6 + 6 + 6 målsætninger
    expected = goals(text)
    assert sum(1 for kind, _, _ in expected if kind == "goal") == 25
    changed = re.sub(r"\uf076\s*", bullet, text)
    assert goals(changed) == expected


def test_status_goal_list_without_bullets_stops_at_the_table() -> None:
    text = "\n".join(
        [
            "Tema: Prøve",
            "Et tema om at prøve.",
            "",
            "Målsætninger: STATUS 2019",
            "",
            "Vi skal gøre det første, og det skal ske",
            "",
            "i god tid.",
            "Det andet mål er kort.",
            "Vi skal nå det tredje.",
            "",
            "Indsatser  Formål og virkning",
            "Første indsats: En indsats",
        ]
    )
    found = [label for kind, _, label in goals(text) if kind == "goal"]
    assert found == [
        "Vi skal gøre det første, og det skal ske i god tid.",
        "Det andet mål er kort.",
        "Vi skal nå det tredje.",
    ]


def test_a_status_row_after_a_page_break_without_its_blank_line_is_its_own_row() -> None:
    source = read_source(STATUS_REPORT)
    expected = {i.key for i in STATUS.parse(source).initiatives}
    # Line 392 opens the row "Råd og vejledning om misbrug"; the blank line before
    # it (391) is lost when a PDF page ends there, and line 392 opens the next page.
    assert source.lines[391].startswith("Råd og vejledning om misbrug")
    lines = source.lines[:389] + source.lines[391:]
    pages = tuple(1 if n < 389 else 2 for n in range(len(lines)))
    broken = dataclasses.replace(source, lines=lines, pages=pages, format="pdf")
    assert {i.key for i in STATUS.parse(broken).initiatives} == expected
    assert "raad-og-vejledning-om-misbrug" in expected


def test_pejlemaerker_rows_that_lost_their_empty_cells_are_read() -> None:
    text = PEJLEMAERKER_REPORT.read_text(encoding="utf-8")
    expected = PEJLEMAERKER.parse(from_string(text)).indicators
    # Line 93: "F. Højst 100 … i 2017" with four empty cells, then "\tF1. …" and "\tF2. …".
    assert re.search(r"^F\. Højst 100 .*\t\t\t\t$", text, re.M)
    stripped = "\n".join(line.strip("\t") for line in text.splitlines())
    found = PEJLEMAERKER.parse(from_string(stripped)).indicators
    assert [(i.key, i.label, i.measurements) for i in found] == [
        (i.key, i.label, i.measurements) for i in expected
    ]
    assert {"1.F", "1.F1", "1.F2"} <= {i.key for i in found}
