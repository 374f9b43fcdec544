"""Socialudvalget's benchmark status 2014 importer, checked against the document itself.

Every expected value below was read from data/sources/sud-pejlemaerker-2014-2017.txt
(line numbers in the comments), not copied from the parser's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from indsatsgraf.importers.records import ImportResult, Indicator, Measurement
from indsatsgraf.importers.sud_pejlemaerker_2014 import IMPORTER
from indsatsgraf.importers.text import from_string, read_source
from test_importers_common import strings

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
PLAN = SOURCES / "sud-pejlemaerker-2014-2017.txt"

# Delmål per benchmark, from the tables of the nine sections (lines 87-95, 129-136, …).
NOTATIONS = {
    "1": ["A", "B", "C", "D", "E", "F", "F1", "F2"],
    "2": ["A", "B", "C", "C1", "C2", "D", "D1", "D2", "E"],
    "3": ["A", "B", "C"],
    "4": ["A", "B", "B1", "B2"],
    "5": ["A", "A1", "A2", "A3"],
    "6": ["A", "B", "C", "D", "E", "F"],
    "7": ["A", "B"],
    "8": ["A", "B"],
    "9": ["A", "B", "C"],
}
# Bullets under "Aktiviteter der skal understøtte pejlemærket" and "Hvad har forvaltningen
# igangsat/sat i gang …"; benchmark 7 only has prose there.
ACTIVITY_LINES = {
    "1": [114, 115, 116, 117, 118, 119],
    "2": [140, 141, 142, 146, 147, 148, 149],
    "3": [177, 178, 179, 180, 181],
    "4": [209, 210, 211, 212, 213, 214],
    "5": [243, 244],
    "6": [273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283],
    # line 313, prose: "Forvaltningen fik … midler til etablering af en økonomisk rådgivning …"
    "7": [313],
    "8": [347, 348, 349, 353, 354, 355, 356],
    "9": [397, 398, 399, 400, 401, 402],
}
# Budget proposals and every benchmark they are listed under.
BUDGET = {
    "Ø304": ["1", "6"],
    "Ø201": ["1", "5"],
    "Ø202": ["1", "4", "7"],
    "Ø103": ["2", "9"],
    "SI04": ["2", "9"],
    "Ø101": ["3", "6"],
    "Ø102": ["3"],
    "Ø402": ["4", "7"],
    "Ø303": ["4", "6", "7"],
    "Ø601": ["5"],
    "Ø301": ["6"],
    "Ø302": ["6"],
    "Ø305": ["6"],
    "Ø306": ["6"],
    "Ø401": ["8", "9"],
}
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return IMPORTER.parse(read_source(PLAN))


@pytest.fixture(scope="module")
def indicators(result: ImportResult) -> dict[str, Indicator]:
    return {indicator.notation: indicator for indicator in result.indicators}


def measured(indicator: Indicator) -> dict[str, Measurement]:
    return {measurement.kind: measurement for measurement in indicator.measurements}


def test_document(result: ImportResult) -> None:
    document = result.document
    assert document.title == "Socialudvalgets politiske PEJLEMÆRKER 2014-2017"
    assert document.kind == "benchmark-status"
    assert (document.year, document.start_year, document.end_year) == (2014, 2014, 2017)
    assert document.publisher == ["Socialudvalget"]


def test_nine_benchmarks_of_socialudvalget(result: ImportResult) -> None:
    assert [goal.notation for goal in result.goals] == [str(n) for n in range(1, 10)]
    assert [goal.key for goal in result.goals] == [str(n) for n in range(1, 10)]
    for goal in result.goals:
        assert goal.kind == "benchmark"
        assert goal.responsible == ["Socialudvalget"]
    labels = {goal.key: goal.label for goal in result.goals}
    assert labels["1"] == "Flere udsatte københavnere har en bolig"  # line 48
    assert labels["8"] == "Flere borgere med særlige behov oplever høj livskvalitet"  # line 79
    assert labels["9"] == "Flere borgere er tilfredse med samarbejdet med Socialforvaltningen"


def test_scores_only_where_given(result: ImportResult) -> None:
    scores = {goal.key: goal.score for goal in result.goals}
    assert scores["1"] == Decimal("1.6")  # line 48: "1,6"
    assert scores["5"] == Decimal("0.2")  # line 68: "0,2"
    # "0 (kun baseline-målinger)" (2, 3, 4, 7, 9) and "-" (6, 8) are no status score
    assert all(scores[key] is None for key in "2346789")
    remarks = {goal.key: goal.remarks for goal in result.goals}
    for key in "23479":
        assert "0 (kun baseline-målinger)" in remarks[key]
    assert "0 (kun baseline-målinger)" not in remarks["6"]


def test_benchmark_spans_are_their_overview_rows(result: ImportResult) -> None:
    spans = {goal.key: (goal.span.first, goal.span.last) for goal in result.goals}
    assert spans["1"] == (48, 54)
    assert spans["2"] == (55, 61)  # line 61 "E. Skolefraværet …" belongs to benchmark 2
    assert spans["6"] == (71, 76)
    assert spans["9"] == (81, 83)


def test_benchmark_footnotes_are_remarks(result: ImportResult) -> None:
    remarks = {goal.key: goal.remarks for goal in result.goals}
    # line 87 header "Samlet pejlemærkestatus ¹" → footnote line 108
    assert remarks["1"] == [
        "1. Hvor der ikke er data på status, tæller delmålet ikke med i beregning af "
        "pejlemærkestatus"
    ]
    # line 299 "7. Færre københavnere lever i fattigdom⁴" → footnote line 331
    assert remarks["7"][1].startswith("4. Baseline: Langtidsfattige ved udgangen af 2012")


def test_every_delmaal_is_an_indicator(result: ImportResult) -> None:
    expected = [f"{b}.{code}" for b, codes in NOTATIONS.items() for code in codes]
    assert [indicator.notation for indicator in result.indicators] == expected
    assert len(result.indicators) == 41
    assert [indicator.key for indicator in result.indicators] == expected
    for indicator in result.indicators:
        assert indicator.subject == indicator.notation.split(".")[0]


def test_indicator_labels_and_spans(indicators: dict[str, Indicator]) -> None:
    assert indicators["1.A"].label == "1.000 udsatte københavnere får anvist en bolig i 2017"
    assert (indicators["1.A"].span.first, indicators["1.A"].span.last) == (88, 88)
    # F with its sub-delmål F1, F2 on lines 93-95
    assert (indicators["1.F"].span.first, indicators["1.F"].span.last) == (93, 95)
    assert indicators["1.F1"].label == "Københavnerne med sindslidelser"
    assert (indicators["1.F1"].span.first, indicators["1.F1"].span.last) == (94, 94)
    # C and C1 share line 132, C2 is on line 133
    assert (indicators["2.C"].span.first, indicators["2.C"].span.last) == (132, 133)
    assert indicators["2.C2"].label == (
        "Flere anbragte får en karakter på 2 eller derover i både dansk og matematik"
    )
    assert indicators["5.A"].label == (
        "Flere københavnere klarer sig bedre og har derfor mindre behov for hjælp"
    )


def test_counts_and_years(indicators: dict[str, Indicator]) -> None:
    values = measured(indicators["1.A"])  # line 88: 859, 828, 1.000
    assert [(m.kind, m.value, m.unit, m.year) for m in indicators["1.A"].measurements] == [
        ("baseline", Decimal(859), "count", 2013),
        ("status", Decimal(828), "count", 2014),
        ("target", Decimal(1000), "count", 2017),
    ]
    assert values["target"].text == "1.000"
    assert measured(indicators["1.F2"])["baseline"].value == Decimal(102)


def test_percentages(indicators: dict[str, Indicator]) -> None:
    values = measured(indicators["1.C"])  # line 90: 95,9% 97,1% 97,5%
    assert values["baseline"].value == Decimal("95.9")
    assert values["baseline"].unit == "percent"
    assert values["status"].value == Decimal("97.1")
    assert values["target"].value == Decimal("97.5")
    assert measured(indicators["2.E"])["target"].value == Decimal("6.1")  # line 136


def test_comparators(indicators: dict[str, Indicator]) -> None:
    target = measured(indicators["3.A"])["target"]  # line 163: "<1,1%"
    assert (target.value, target.unit, target.comparator, target.text) == (
        Decimal("1.1"),
        "percent",
        "<",
        "<1,1%",
    )
    assert measured(indicators["3.A"])["baseline"].comparator is None
    poor = measured(indicators["7.A"])["target"]  # line 302: "<10.598"
    assert (poor.value, poor.unit, poor.comparator) == (Decimal(10598), "count", "<")


def test_footnotes_kept_and_baseline_year_from_footnote(indicators: dict[str, Indicator]) -> None:
    baseline = measured(indicators["4.A"])["baseline"]  # line 195: "5.657 ²"
    assert (baseline.value, baseline.unit, baseline.text) == (Decimal(5657), "count", "5.657 ²")
    assert baseline.footnote.startswith("2. Baseline: Antal københavnere med særlige behov")
    assert baseline.year == 2014  # footnote 2: "… per juli 2014"
    survey = measured(indicators["9.C"])[
        "baseline"
    ]  # line 371: "49% ⁶", footnote "6. Baseline er 2014"
    assert (survey.value, survey.unit, survey.footnote, survey.year) == (
        Decimal(49),
        "percent",
        "6. Baseline er 2014",
        2014,
    )
    assert measured(indicators["9.C"])["target"].year == 2017


def test_baseline_year_from_the_footnote_on_the_benchmark_heading(
    indicators: dict[str, Indicator],
) -> None:
    # line 299 "7. Færre københavnere lever i fattigdom⁴"; footnote 4 (line 331): "Baseline:
    # Langtidsfattige ved udgangen af 2012 (… i de tre år: 2010-12)", although the table
    # header (line 301) says "Baseline (2013)".
    for notation, value in (("7.A", 10598), ("7.B", 1743)):
        baseline = measured(indicators[notation])["baseline"]
        assert (baseline.value, baseline.year) == (Decimal(value), 2012)
    assert measured(indicators["1.D"])["baseline"].year == 2013  # no footnote: the header's year


def test_dash_means_no_measurement(result: ImportResult, indicators) -> None:
    assert set(measured(indicators["1.D"])) == {"baseline", "target"}  # line 91: 1.581 - 1.255
    assert set(measured(indicators["6.A"])) == {"target"}  # line 254: - - 44%
    for notation in ("6.B", "6.C", "6.D", "6.E", "6.F", "8.A", "8.B", "4.B1", "4.B2", "1.F"):
        assert indicators[notation].measurements == [], notation
    for indicator in result.indicators:
        for measurement in indicator.measurements:
            assert measurement.text != "-"
            assert measurement.unit == ("percent" if "%" in measurement.text else "count")


def test_remarks_kept(indicators: dict[str, Indicator]) -> None:
    for notation in ("2.A", "2.B"):  # lines 130-131
        assert indicators[notation].remarks == ["Forslag om at denne udgår"]
        assert indicators[notation].measurements == []
    # line 225 "… behov for hjælp ³" → footnote line 239
    assert indicators["5.A"].remarks == [
        "3. I opgørelsen af pejlemærkestatus er delmål er vægtet efter populationsstørrelse."
    ]


def test_activities_support_their_benchmark(result: ImportResult) -> None:
    lines: dict[str, list[int]] = {}
    for initiative in result.initiatives:
        assert len(initiative.goals) == 1
        lines.setdefault(initiative.goals[0], []).append(initiative.span.first)
    assert lines == ACTIVITY_LINES
    assert len(result.initiatives) == 51
    assert len({initiative.key for initiative in result.initiatives}) == 51


def test_financial_counselling_told_in_prose_is_an_initiative(result: ImportResult) -> None:
    # line 313: "Forvaltningen fik i forbindelse med budget 2013 midler til etablering af en
    # økonomisk rådgivning med 3 årsværk i regi af Socialcenter København. Målgruppen for
    # tilbuddet er forvaltningens borgere med rod i økonomien."
    (counselling,) = [item for item in result.initiatives if item.span.first == 313]
    assert counselling.label == "Økonomisk rådgivning"
    assert counselling.goals == ["7"]
    assert counselling.responsible == ["Socialcenter København"]
    assert counselling.financing == "funded"
    assert counselling.target_group == "forvaltningens borgere med rod i økonomien"


def test_activity_labels(result: ImportResult) -> None:
    by_line = {initiative.span.first: initiative for initiative in result.initiatives}
    assert by_line[209].label == "Unge på vej"  # "*Unge på vej*. 100 unge …"
    assert by_line[209].description.startswith("100 unge, der mangler en bolig")
    assert by_line[179].label == "Netværkssamråd"
    assert by_line[179].description == (
        "senest 7 dage efter den kriminelle handling skal, der afholdes netværksmøde"
    )
    assert by_line[181].label == "Kortere varetægtsfængslinger"
    assert by_line[181].description is None
    assert (
        by_line[281].label
        == "Hyppigere myndighedsopfølgninger på unge under 18 år ifm. Tæt på familien"
    )
    act = by_line[119]  # "Socialforvaltningen vil i perioden 2015-17 afprøve ACT-metoden …"
    assert (act.period_text, act.start_year, act.end_year) == ("i perioden 2015-17", 2015, 2017)
    assert by_line[115].label.startswith("I samarbejde med KAB forsøger Socialforvaltningen")


def test_budget_items_one_per_code(result: ImportResult) -> None:
    items = {item.code: item for item in result.budget_items}
    assert {code: item.supports for code, item in items.items()} == BUDGET
    assert len(result.budget_items) == 15
    assert [item.key for item in result.budget_items] == list(BUDGET)


def test_budget_item_details(result: ImportResult) -> None:
    items = {item.code: item for item in result.budget_items}
    assert items["SI04"].label == "Tidlig familierettet indsats"  # line 154
    assert items["Ø202"].span.first == 125  # first of its listings (125, 220, 319)
    assert items["Ø202"].label == (
        "Specialiseret rehabiliteringsindsats for borgere med psykisk sygdom på botilbud"
    )
    assert items["Ø402"].span.first == 218  # written "Ø 402"
    assert items["Ø402"].budget_year == 2016  # "… til budget 2016"
    assert items["Ø401"].label == "Tæt på familien (Omstilling af området for unge med handicap)"
    assert items["Ø304"].amounts == []  # no amounts are given


def test_no_list_markers_or_superscripts(result: ImportResult) -> None:
    records = result.goals + result.indicators + result.initiatives + result.budget_items
    for record in records:
        assert not any(char in record.label for char in SUPERSCRIPTS), record.label
        for text in strings(record):
            assert not text.startswith("- "), text


def test_a_budget_item_quotes_its_line(result: ImportResult) -> None:
    assert result.budget_items[0].span.quote == (
        "- Ø304: Kvalitetsløft af herberg: Kollegiet på Gl. Køge Landevej"
    )


def test_cp1252_copy_keeps_every_delmaal_and_proposal(tmp_path: Path) -> None:
    # cp1252 has ¹ ² ³ but not ⁴ ⁵ ⁶: such a copy shows "?" in their place.
    cp1252 = tmp_path / "cp1252.txt"
    cp1252.write_bytes(PLAN.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    parsed = IMPORTER.parse(read_source(cp1252))
    assert len(parsed.indicators) == 41 and len(parsed.budget_items) == 15


def test_benchmarks_from_section_headings_without_overview() -> None:
    lines = PLAN.read_text(encoding="utf-8").split("\n")
    without = lines[:46] + lines[83:]  # drop the overview table, lines 47-83
    result = IMPORTER.parse(from_string("\n".join(without)))
    assert [goal.key for goal in result.goals] == [str(n) for n in range(1, 10)]
    first = result.goals[0]
    assert first.label == "Flere udsatte københavnere har en bolig"  # "I. Flere udsatte …"
    assert first.score is None
    assert len(result.indicators) == 41
