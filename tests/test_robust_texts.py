"""Unseen forms of real texts: other headings, amounts, codes, dates and case numbers.

The five documents in tests/data/robust/ were written for this test in the
forms a Danish committee case, budget note or another municipality's plan
takes: "Sagsfremstilling" and "Indstilling og beslutning" headings,
"kr. 2,5 mio.", "2.500 t.kr.", "DKK 1.750.000", "3/3-2025", "den 3. marts
2025", "Sagsnr.: 25/4471", "BF-12", "konto 5.38.50", a table in "1.000 kr.",
an indicator "fra 61 % i 2024 til 70 % i 2027", points "a) … b) …" under a
proposer's line, "Beslutningstema" and "Sagens indhold". Every expected value below
was read from the documents (line numbers in the comments); the last test
scores recall over all of them for each kind of fact.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from indsatsgraf.graph.pipeline import import_file
from indsatsgraf.importers.records import ImportResult

ROBUST = Path(__file__).parent / "data" / "robust"
CASE = ROBUST / "sag-sagsfremstilling-naestved.txt"
NOTE = ROBUST / "budgetnotat-ledsagelse.txt"
PAGE = ROBUST / "indstilling-og-beslutning.html"
PLAN = ROBUST / "handleplan-holbaek-lignende.txt"
LETTERED = ROBUST / "sag-bogstavpunkter.txt"

# What a reader finds in each document, by kind.
EXPECTED = {
    CASE.name: {
        "codes": {"SO30a"},  # lines 13, 21
        # lines 13 (kr. 2,5 mio.; 4,1 mio. kr.; 900 t.kr.), 16 (2.500 t.kr.; DKK 1.750.000), 22
        "amounts": {2_500_000, 4_100_000, 900_000, 1_750_000},
        "departments": {"Center for Handicap og Psykiatri", "Center for Børn og Familie"},
        "meeting dates": {"2025-03-03"},  # line 3 "Mødedato: den 3. marts 2025"
        "dates": {"2025-03-03", "2025-01-01", "2025-08-01"},  # lines 3, 11, 13 (1/8-2025), 20
        "case numbers": {"25/4471"},  # line 8
        "indstilling points": 3,  # lines 20-22
    },
    NOTE.name: {
        "codes": {"HA04", "SO17", "SO17a"},  # lines 11, 14, 18-19
        # lines 11 (6,3 mio. kr.), 14 (2.500 t.kr.; 2.600 t.kr.; kr. 350.000; 0,4 mio. kr.)
        "amounts": {6_300_000, 2_500_000, 2_600_000, 350_000, 400_000},
        "departments": {
            "Socialforvaltningen",
            "Borgercenter Handicap",
            "Beskæftigelses- og Integrationsforvaltningen",
        },
        "meeting dates": set(),  # a note has no meeting
        "dates": {"2025-03-03", "2025-12-31", "2025-09-10"},  # lines 5 (3/3-2025), 11, 24
        "case numbers": {"2025-0123456"},  # line 6
        "indstilling points": 0,
    },
    PAGE.name: {
        "codes": {"BU12"},  # lines 13 and 26 ("BU12 (2025)")
        "amounts": {3_400_000, 1_700_000, 650_000},  # 3,4 mill. kr.; 1,7 mio. kr.; 650.000 kr.
        "departments": {"Børne- og Ungdomsforvaltningen", "Socialforvaltningen"},
        "meeting dates": {"2025-02-12"},  # "Referat af mødet onsdag den 12. februar 2025 kl. 16.00"
        "dates": {"2025-02-12", "2026-06-01", "2025-02-20"},
        "case numbers": {"2025-0009876"},
        "indstilling points": 3,  # the <ol>; its lead-in "at … godkender," is none
    },
    PLAN.name: {
        "codes": {"5.38.50", "BF-12"},  # lines 10, 15
        "amounts": {1_200_000, 800_000},  # lines 10, 15
        "departments": {"Center for Handicap og Psykiatri"},  # line 5
        "meeting dates": set(),
        "dates": {"2025-01-29", "2025-09-15"},  # lines 2, 18
        "case numbers": set(),
        "indstilling points": 0,
    },
    LETTERED.name: {
        "codes": {"5.32.32"},  # line 13 "ramme 5.32.32"
        "amounts": {2_500_000},  # line 12 "2.500 tkr.", line 16 "2,5 mio kr."
        "departments": {"Social- og Sundhedsforvaltningen", "Handicapafdelingen"},  # 11, 16
        "meeting dates": {"2025-03-03"},  # line 2 "Dato: 3. marts 2025", line 3 "Tidspunkt: 16:00"
        "dates": {"2025-03-03"},
        "case numbers": set(),
        "indstilling points": 2,  # lines 12-13, "a)" and "b)"
    },
}


def found(result: ImportResult) -> dict[str, object]:
    mentions = result.mentions
    meeting = result.document.meeting_date
    return {
        "codes": {m.value for m in mentions if m.kind == "budget-code"},
        "amounts": {int(a.value) for a in result.amounts},
        "departments": {m.value for m in mentions if m.kind == "department"},
        "meeting dates": {str(meeting)} if meeting else set(),
        "dates": {m.value for m in mentions if m.kind == "date"},
        "case numbers": {m.value for m in mentions if m.kind == "case-number"},
        "indstilling points": sum(1 for p in result.proposals if p.kind == "proposal"),
    }


@pytest.fixture(scope="module")
def results() -> dict[str, ImportResult]:
    return {path.name: import_file(path).result for path in sorted(ROBUST.iterdir())}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fact_of_each_form_is_found_and_nothing_else(results, name: str) -> None:
    assert found(results[name]) == EXPECTED[name]


def test_recall_per_kind_over_the_documents(results) -> None:
    for kind in ("codes", "amounts", "departments", "meeting dates", "indstilling points"):
        expected = found_count = 0
        for name, facts in EXPECTED.items():
            want, got = facts[kind], found(results[name])[kind]
            if isinstance(want, int):
                expected, found_count = expected + want, found_count + min(want, got)
            else:
                expected, found_count = expected + len(want), found_count + len(want & got)
        assert found_count / expected >= 0.9, (kind, found_count, expected)


def test_the_cases_are_read_as_cases_with_their_committee_and_title(results) -> None:
    case, page = results[CASE.name], results[PAGE.name]
    assert case.importer == page.importer == "committee-case"
    assert case.document.committee == "Social-, Sundheds- og Ældreudvalget"
    assert case.document.title == "5. Udvidelse af aflastningstilbuddet for børn med handicap"
    assert page.document.committee == "Børne- og Ungdomsudvalget"
    assert page.document.title.startswith("4. Specialklasser til elever med autisme")
    assert [p.number for p in page.proposals if p.kind == "proposal"] == [1, 2, 3]
    assert [p.label for p in case.proposals if p.kind == "decision"] == ["Tiltrådt."]


def test_a_note_is_titled_by_its_subject_not_its_kind(results) -> None:
    note = results[NOTE.name].document
    assert note.title == "Budgetnotat: Ledsagelse og støttekontaktpersoner, budget 2026"


def test_a_tables_unit_is_no_amount_and_a_currency_first_amount_is_whole(results) -> None:
    note, case = results[NOTE.name], results[CASE.name]
    assert 1000 not in {int(a.value) for a in note.amounts}  # "(1.000 kr., 2026-priser)"
    (dkk,) = [a for a in case.amounts if a.text.startswith("DKK")]
    assert dkk.value == Decimal(1_750_000) and dkk.span.first == 16


def test_an_indicator_from_one_share_to_another_has_both_values_and_years(results) -> None:
    plan = results[PLAN.name]
    (change,) = [i for i in plan.indicators if "stige fra" in i.label]
    values = {(m.kind, m.value, m.year) for m in change.measurements}
    assert values == {("baseline", Decimal(61), 2024), ("target", Decimal(70), 2027)}
    assert change.baseline_year == 2024 and change.span.first == 9
    (fall,) = [i for i in plan.indicators if i.label.startswith("fald på 20")]
    assert (fall.measurements[0].value, fall.measurements[0].year, fall.baseline_year) == (
        Decimal(-20),
        2027,
        2023,
    )


def test_lettered_points_under_the_proposers_line_and_a_page_headed_by_its_committee(results):
    case = results[LETTERED.name]
    assert case.document.committee == "Ældre- og Handicapudvalget"  # line 1 alone
    points = [p for p in case.proposals if p.kind == "proposal"]
    assert [p.label for p in points] == [
        "godkender puljen på 2.500 tkr. i 2025,",
        "godkender, at puljen finansieres af ramme 5.32.32.",
    ]
    assert [(p.span.first, p.span.last) for p in points] == [(12, 12), (13, 13)]
    # "Beslutningstema" (line 7) is a heading, not the decision; "Beslutning" (line 18) is.
    assert [p.label for p in case.proposals if p.kind == "decision"] == ["Godkendt."]


def test_points_joined_in_one_sentence_on_the_proposers_line_are_each_a_point():
    from indsatsgraf.importers.committee_case import IMPORTER
    from indsatsgraf.importers.text import from_string

    case = IMPORTER.parse(
        from_string(
            "Teknik- og Miljøudvalget\n\nTilgængelige stoppesteder\n\nIndstilling\n"
            "Teknik- og Miljøforvaltningen indstiller, at udvalget godkender planen for 40 "
            "stoppesteder, og at der afsættes 2,1 mio. kr. i 2026 til ombygning; samt at "
            "forvaltningen orienterer udvalget i 2027.\n\nProblemstilling\nMange stoppesteder "
            "er ikke tilgængelige.\n\nBeslutning\nGodkendt.\n"
        )
    )
    points = [p for p in case.proposals if p.kind == "proposal"]
    assert [p.label for p in points] == [
        "at udvalget godkender planen for 40 stoppesteder",
        "at der afsættes 2,1 mio. kr. i 2026 til ombygning",
        "at forvaltningen orienterer udvalget i 2027.",
    ]
    assert [a.value for a in points[1].amounts] == [Decimal(2_100_000)]
    # "godkender, at …" inside one point is no new point: only ", og at" and "samt at" are.
    (one,) = [
        p
        for p in IMPORTER.parse(
            from_string(
                "Indstilling\nForvaltningen indstiller, at udvalget godkender, at planen "
                "sendes i høring.\n\nProblemstilling\nIngen.\n"
            )
        ).proposals
        if p.kind == "proposal"
    ]
    assert one.label == "at udvalget godkender, at planen sendes i høring."
