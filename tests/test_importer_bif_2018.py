"""BIF's action plan 2018-22 importer, checked against the document itself.

Every expected value below was read from data/sources/bif-indsatsplan-2018-2022.txt
(line numbers in the comments), not copied from the parser's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from indsatsgraf.importers.bif_2018 import IMPORTER, cell_pieces, render
from indsatsgraf.importers.records import ImportResult, Initiative
from indsatsgraf.importers.text import from_string, read_source

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
PLAN = SOURCES / "bif-indsatsplan-2018-2022.txt"

THEME_LINES = {9: "Det gode liv", 39: "Deltagelse", 67: "Skole, uddannelse og beskæftigelse"}
# Line of each målsætning's first appearance -> its theme; lines 27 and 61 are "(fortsat)".
GOAL_LINES = {
    11: "1",
    19: "1",
    33: "1",
    41: "2",
    47: "2",
    53: "2",
    69: "3",
    79: "3",
    88: "3",
    99: "3",
}
# Table rows under each målsætning (the rows after a "(fortsat)" repeat belong to the first one).
ROWS_BY_GOAL = {
    11: [15, 16, 17],
    19: [23, 31],
    33: [37],
    41: [45],
    47: [51],
    53: [57, 65],
    69: [73, 74, 75],
    79: [83, 84],
    88: [92, 93, 94, 95],
    99: [103],
}
ROW_LINES = sorted(line for rows in ROWS_BY_GOAL.values() for line in rows)


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return IMPORTER.parse(read_source(PLAN))


@pytest.fixture(scope="module")
def by_line(result: ImportResult) -> dict[int, Initiative]:
    return {initiative.span.first: initiative for initiative in result.initiatives}


def test_document(result: ImportResult) -> None:
    document = result.document
    assert result.importer == "bif-indsatsplan-2018"
    assert document.title == (
        "Beskæftigelses- og Integrationsforvaltningens indsatsplan for Handicappolitikken 2018-22"
    )
    assert document.kind == "action-plan"
    assert (document.year, document.start_year, document.end_year) == (2018, 2018, 2022)
    assert document.publisher == ["Beskæftigelses- og Integrationsforvaltningen"]
    assert document.policy == "Handicappolitik 2018-2022"


def test_themes_read_once_despite_page_headers(result: ImportResult) -> None:
    themes = [goal for goal in result.goals if goal.kind == "theme"]
    assert {goal.span.first: goal.label for goal in themes} == THEME_LINES
    assert [goal.notation for goal in themes] == ["1", "2", "3"]


def test_maalsaetninger_once_each_under_their_theme(result: ImportResult) -> None:
    goals = [goal for goal in result.goals if goal.kind == "goal"]
    assert {goal.span.first: goal.parent for goal in goals} == GOAL_LINES
    assert len({goal.key for goal in result.goals}) == len(result.goals) == 13


def test_maalsaetning_labels_without_quotes(result: ImportResult) -> None:
    labels = {goal.span.first: goal.label for goal in result.goals if goal.kind == "goal"}
    assert labels[41] == (
        "Betydningsfulde overgange skal forbedres i god tid, og borgerne skal inddrages tidligt "
        "i processen"
    )
    assert labels[99] == (
        "Københavns Kommune skal ansætte flere medarbejdere på særlige vilkår, herunder fleksjob."
    )
    assert all("”" not in label and '"' not in label for label in labels.values())


def test_every_table_row_is_one_initiative(result: ImportResult) -> None:
    assert [initiative.span.first for initiative in result.initiatives] == ROW_LINES
    assert len(result.initiatives) == 20
    assert all(i.span.first == i.span.last for i in result.initiatives)
    assert len({i.key for i in result.initiatives}) == 20


def test_rows_support_their_maalsaetning(result: ImportResult, by_line) -> None:
    key_by_line = {goal.span.first: goal.key for goal in result.goals}
    for goal_line, rows in ROWS_BY_GOAL.items():
        for row in rows:
            assert by_line[row].goals == [key_by_line[goal_line]], row


def test_label_is_the_first_sentence_and_description_the_rest(by_line) -> None:
    # line 45: two sentences; "18 år." ends the first one
    assert by_line[45].label.endswith("i forbindelse med, at de fylder 18 år")
    assert by_line[45].description == (
        "Den konkrete indsats afhænger af, om der afsættes midler ved budgetforhandlingerne."
    )
    # line 83: "(f.eks. hjælpemidler, …)" must not end the sentence
    assert by_line[83].label == (
        "Specialindsats Handicap (enhed i BIF) yder råd og vejledning til borgere og virksomheder "
        "i alle fag og brancher om bl.a. brugen af handicapkompenserende ordninger (f.eks. "
        "hjælpemidler, personlig assistent og fortrinsadgang)"
    )
    assert by_line[83].description.startswith("Samtidig behandler Specialindsats Handicap")
    assert by_line[17].label == (
        "BIF har en særskilt rammeaftale med leverandør om en indsats for borgere med erhvervet "
        "hjerneskade"
    )
    assert by_line[17].description is None


def test_html_paragraphs_and_bullets_become_text(by_line) -> None:
    # line 73: "<p>… herunder bl.a.:</p> <ul …> • Brobygning …"
    assert by_line[73].label == (
        "Jobcenter København har en række tilbud med fokus på uddannelse målrettet unge borgere "
        "med handicap, herunder bl.a."
    )
    assert by_line[73].description == (
        "Brobygning til uddannelse for unge med diagnose inden for autismespektret eller med "
        "tilsvarende støttebehov (HF-uddannelse)."
    )
    # line 23: four bulleted collaborations joined as a list
    description = by_line[23].description
    assert description.startswith("Af forskellige eksisterende samarbejder kan f.eks. nævnes: ")
    assert "forvaltningerne; Mentorforløb i SOF for unge med mental funktionsnedsættelse; " in (
        description
    )
    assert description.endswith(
        "Direkte henvisningsmulighed (herunder fast track) for sygemeldte borgere."
    )
    assert by_line[31].purpose == (
        "Bidrage til at sikre, at samarbejdet med bl.a. andre forvaltninger, understøtter "
        "fremdrift i borgerens forløb."
    )
    assert by_line[94].purpose.startswith("1. Match mellem virksomhed og borger sker udelukkende")
    assert by_line[65].period_text == "Igangværende indsats"


def test_purpose(by_line) -> None:
    assert by_line[15].purpose == (
        "At borgere med bl.a. funktionsnedsættelse bliver klar til at vende tilbage til "
        "arbejdsmarkedet og/eller afklares til rette målgrupper/ydelse (f.eks. fleksjob, "
        "førtidspension)."
    )
    assert by_line[16].purpose is None  # empty Formål cell
    assert by_line[17].purpose is None
    assert by_line[92].purpose == "At flere fleksjobberettigede borgere ansættes i fleksjob."


@pytest.mark.parametrize(
    ("line", "text", "start", "end"),
    [
        (16, "September 2018 – september 2019", 2018, 2019),
        (75, "August 2018 – juni 2021", 2018, 2021),
        (
            17,
            "Eksisterende aftale forlænges til ultimo 2019 med mulighed for forlængelse med "
            "yderligere 1 år",
            None,
            2019,
        ),
        (94, "Igangværende indsats – Styrket indsat frem til 2020", None, 2020),
        (15, "Igangværende indsats", None, None),
        (57, "Igangværende indsats – ingen slutdato", None, None),
        # 2019 is the year of the budget negotiations, not a period
        (84, "Afhænger af budgetforhandlingerne 2019", None, None),
    ],
)
def test_periods(by_line, line: int, text: str, start: int | None, end: int | None) -> None:
    initiative = by_line[line]
    assert (initiative.period_text, initiative.start_year, initiative.end_year) == (
        text,
        start,
        end,
    )


def test_bif_and_its_units_are_responsible(result: ImportResult, by_line) -> None:
    assert all(initiative.responsible[0] == "BIF" for initiative in result.initiatives)
    assert by_line[73].responsible == ["BIF", "Jobcenter København"]
    assert by_line[92].responsible == ["BIF", "Jobcenter København"]
    assert by_line[93].responsible == ["BIF", "Københavns Erhvervshus"]
    assert by_line[83].responsible == ["BIF", "Specialindsats Handicap"]
    assert by_line[15].responsible == ["BIF"]


def test_other_departments_are_involved(by_line) -> None:
    assert by_line[23].involved[:2] == ["Socialforvaltningen", "Sundheds- og Omsorgsforvaltningen"]
    assert {"Hjerneskadesamrådet", "Rygcentret", "Sundhedshus Nørrebro"} <= set(
        by_line[23].involved
    )
    assert by_line[45].involved == ["Socialforvaltningen", "Børne- og Ungeforvaltningen"]
    assert by_line[103].involved == ["Økonomiforvaltningen", "Borgerrepræsentationen"]
    assert by_line[74].involved == ["Beskæftigelses- og Integrationsudvalget"]
    # BIF's own name is never listed as another department
    assert "Beskæftigelses- og Integrationsforvaltningen" not in by_line[83].involved
    assert by_line[15].involved == []


def test_external_partners(by_line) -> None:
    assert by_line[65].partners == ["God adgang"]
    assert by_line[75].partners == ["Glad Fonden", "A.P. Møller Fonden"]
    assert by_line[23].partners == []


def test_a_midterm_status_only_planned_is_no_status(result: ImportResult) -> None:
    # lines 105-108: "Midt 2020 vil … udarbejde en midtvejsstatus": planned, never reported.
    assert all(initiative.statuses == [] for initiative in result.initiatives)


def test_activities_waiting_for_budget_negotiations_are_unfunded(
    result: ImportResult, by_line
) -> None:
    # lines 31, 37, 45, 51: "afhænger … af, om der afsættes midler ved budgetforhandlingerne";
    # line 84: "forudsætter, at der afsættes midler ved budgetforhandlingerne".
    unfunded = {item.span.first for item in result.initiatives if item.financing == "unfunded"}
    assert unfunded == {31, 37, 45, 51, 84}
    assert by_line[45].financing_text == (
        "Den konkrete indsats afhænger af, om der afsættes midler ved budgetforhandlingerne."
    )
    assert {item.financing for item in result.initiatives} == {"unfunded", None}


def test_an_initiative_quotes_its_table_row(result: ImportResult) -> None:
    assert result.initiatives[0].span.quote.startswith("| BIF arbejder for, at borgere")


def test_list_items_in_li_tags() -> None:
    pieces = cell_pieces("<p>Tilbud:</p><ul><li>Et.</li><li>To.</li></ul>")
    assert pieces == [("para", "Tilbud:"), ("item", "Et."), ("item", "To.")]
    assert render(pieces) == "Tilbud: Et; To."


def test_a_broken_table_row_still_gives_its_label() -> None:
    broken = IMPORTER.parse(
        from_string("| Aktivitet | Formål | Periode |\n|---|\n| <p>Kun tekst\n| |")
    )
    assert [i.label for i in broken.initiatives] == ["Kun tekst"]
    assert broken.initiatives[0].goals == []
