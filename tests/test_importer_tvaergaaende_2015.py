"""The 2015 cross-department action plan importer, checked against the document itself.

Every expected value below was read from data/sources/tvaergaaende-indsatsplan-2015.txt
(line numbers quoted in the comments), not copied from the parser's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from indsatsgraf.importers.records import ImportResult, Initiative
from indsatsgraf.importers.text import from_string, read_source
from indsatsgraf.importers.tvaergaaende_2015 import IMPORTER

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
PLAN = SOURCES / "tvaergaaende-indsatsplan-2015.txt"

NOTATIONS = [
    "1.1.1", "1.1.2", "1.1.3", "1.1.4",
    "1.3.1", "1.3.2",
    "1.4.1", "1.4.2", "1.4.3", "1.4.4", "1.4.5",
    "1.5.1", "1.5.2", "1.5.3",
    "1.6.1", "1.6.2",
    "1.7.1",
    "2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.1.7", "2.1.8", "2.1.9", "2.1.10",
    "3.1.1", "3.1.2",
    "3.2.1",
    "3.3.1",
    "3.4.1",
]  # fmt: skip

PAGE_HEADERS = (
    "Tværgående målsætninger",
    "Målsætninger for udvalgte grupper",
    "Interne målsætninger",
    "1.1 Bolig",
    "2.1 Børn og unge med handicap",
)
TEXT_FIELDS = ("description", "goal_text", "target_group", "period_text", "financing_text")


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return IMPORTER.parse(read_source(PLAN))


@pytest.fixture(scope="module")
def initiatives(result: ImportResult) -> dict[str, Initiative]:
    return {initiative.notation: initiative for initiative in result.initiatives}


def test_document(result: ImportResult) -> None:
    assert result.importer == "tvaergaaende-2015"
    assert result.document.title == "Tværgående indsatsplan for handicappolitikken 2015"
    assert result.document.kind == "action-plan"
    assert result.document.year == 2015


def test_all_32_initiatives_in_order(result: ImportResult) -> None:
    assert [initiative.notation for initiative in result.initiatives] == NOTATIONS
    assert [initiative.key for initiative in result.initiatives] == NOTATIONS


def test_labels_of_odd_headings(initiatives: dict[str, Initiative]) -> None:
    # line 1226 " 2.1.9 …" (leading blank), 1429 "3.2.1. …" and 1462 "3.3.1. …" (trailing dot)
    assert initiatives["2.1.9"].label == "Information om BUF-flex pladser"
    assert initiatives["3.2.1"].label == "Relevante datagange og kendskab til tilgængelighed"
    assert initiatives["3.3.1"].label == "Synliggørelse af handicappolitikken"
    assert initiatives["2.1.10"].label == "Kompetencecentrenes tilbud til skoler og dagtilbud"


def test_themes(result: ImportResult) -> None:
    themes = [
        (goal.key, goal.label, goal.span.first) for goal in result.goals if goal.kind == "theme"
    ]
    assert themes == [
        ("1", "Tværgående målsætninger", 1),
        ("2", "Målsætninger for udvalgte grupper", 785),
        ("3", "Interne målsætninger", 1340),
    ]


def test_sections_once_each_at_first_occurrence(result: ImportResult) -> None:
    sections = {goal.key: goal for goal in result.goals if goal.kind == "goal"}
    expected = {
        "1.1": ("Bolig", 3),
        "1.3": ("Beskæftigelse", 240),
        "1.4": ("Støtte, social tryghed og koordination", 347),
        "1.5": ("Sundhed", 595),
        "1.6": ("Tilgængelighed", 725),
        "1.7": ("Kultur og fritid", 775),  # only printed as the heading "1.7.1 Kultur og fritid"
        "2.1": ("Børn og unge med handicap", 787),
        "3.1": ("Oplysning om handicapgruppernes behov og mangfoldighed", 1342),
        "3.2": ("Tværgående intern rådgivning", 1427),
        "3.3": ("Rekruttering og fastholdelse i Købehavns Kommune", 1460),
        "3.4": ("Sektoransvar og mainstreaming", 1496),
    }
    assert {key: (goal.label, goal.span.first) for key, goal in sections.items()} == expected
    assert all(goal.parent == key.split(".")[0] for key, goal in sections.items())
    assert all(goal.notation == key for key, goal in sections.items())
    assert len(result.goals) == 14  # repeated page headers give no extra goals


def test_initiatives_point_to_their_section(initiatives: dict[str, Initiative]) -> None:
    for notation, initiative in initiatives.items():
        assert initiative.goals == [notation.rsplit(".", 1)[0]]


@pytest.mark.parametrize(
    ("notation", "first", "last"),
    [
        ("1.1.1", 5, 76),  # "De 87 boliger er finansierede. …" ends it; 86/88 are the next header
        ("1.1.2", 90, 143),  # line 144 " 1. Tværgående målsætninger" follows without a gap
        ("1.5.1", 597, 655),  # line 656 is the next page header
        ("1.6.2", 763, 765),
        ("1.7.1", 775, 777),
        ("2.1.8", 1169, 1219),
        ("3.4.1", 1498, 1557),  # the last initiative runs to the last line with text
    ],
)
def test_initiative_spans(
    initiatives: dict[str, Initiative], notation: str, first: int, last: int
) -> None:
    span = initiatives[notation].span
    assert (span.first, span.last) == (first, last)
    assert span.quote.splitlines()[0].strip().startswith(notation)


def test_no_page_header_inside_any_span_end_or_field(initiatives: dict[str, Initiative]) -> None:
    for initiative in initiatives.values():
        for name in TEXT_FIELDS:
            value = getattr(initiative, name) or ""
            assert not any(header in value for header in PAGE_HEADERS), (initiative.notation, name)
        tail = initiative.span.quote.splitlines()[-1]
        assert not any(header in tail for header in PAGE_HEADERS), initiative.notation


def test_fields_of_1_1_1(initiatives: dict[str, Initiative]) -> None:
    initiative = initiatives["1.1.1"]
    assert initiative.goal_text.startswith("Initiativet vedrører boliger til borgere med handicap")
    assert initiative.goal_text.endswith("at boligkapaciteten svarer til efterspørgslen.")
    assert initiative.target_group.startswith("Borgere med handicap, der har potentiale for at bo")
    assert initiative.description.startswith("Flest mulige borgere med handicap skal kunne bo")
    assert initiative.description.endswith("samt spor 9 om billige boliger.")
    assert initiative.period_text.startswith("I 2015-2018 forventer Socialforvaltningen")
    assert initiative.financing_text == (
        "De 87 boliger er finansierede. "
        "Der mangler at blive finansieret modernisering af 12 boliger."
    )
    assert "  " not in initiative.description


@pytest.mark.parametrize(
    ("notation", "responsible"),
    [
        (
            "1.4.2",
            [
                "Sundheds- og Omsorgsforvaltningen",
                "Socialforvaltningen",
                "Beskæftigelses- og Integrationsforvaltningen",
                "Børne- og Ungdomsforvaltningen",
            ],
        ),
        ("2.1.1", ["Socialforvaltningen", "Børne- og Ungdomsforvaltningen"]),
        ("1.4.1", ["Socialforvaltningen", "Beskæftigelsesforvaltningen"]),
        ("1.6.1", ["Byggeri København", "Økonomiforvaltningen"]),
        ("3.1.1", ["Handicaprådet", "Socialforvaltningen"]),
        ("1.3.1", ["Beskæftigelses- og Integrationsforvaltningen"]),
        ("1.4.3", ["Børne- og Ungdomsforvaltningen"]),  # written with a final dot
        ("1.6.2", ["Teknik- og Miljøforvaltningen"]),  # no fields, named in its prose
        ("1.7.1", ["Kultur- Og Fritidsforvaltningen"]),
    ],
)
def test_responsible(
    initiatives: dict[str, Initiative], notation: str, responsible: list[str]
) -> None:
    assert initiatives[notation].responsible == responsible


def test_every_initiative_has_someone_responsible(initiatives: dict[str, Initiative]) -> None:
    assert all(initiative.responsible for initiative in initiatives.values())


def test_prose_only_initiatives(initiatives: dict[str, Initiative]) -> None:
    tmf = initiatives["1.6.2"]
    assert tmf.description == (
        "Teknik- og Miljøforvaltningen arbejder med handicappolitikken som en integreret del "
        "af forvaltningens ydelser."
    )
    assert (tmf.period_text, tmf.financing_text, tmf.financing) == (None, None, None)
    assert initiatives["1.7.1"].description.startswith("Kultur- Og Fritidsforvaltningen arbejder")


def test_amounts(initiatives: dict[str, Initiative]) -> None:
    def values(notation: str) -> list[tuple[Decimal, int | None]]:
        return [(amount.value, amount.year) for amount in initiatives[notation].amounts]

    # line 1161 "Der er i Budget 2014 afsat 44,2 mio. kr. i anlægsmidler …"
    assert values("2.1.7") == [(Decimal("44200000"), 2014)]
    # line 325 "Bevillingen på 900.000 kr. udløber …"
    assert values("1.3.2") == [(Decimal("900000"), None)]
    # line 1557 "… der er bevilget 1.5 mio. kr."
    assert values("3.4.1") == [(Decimal("1500000"), None)]
    # lines 1209-1211, the "7,0 mio." / "kr. i 2015" wrap included
    assert values("2.1.8") == [
        (Decimal("20000000"), 2013),
        (Decimal("1000000"), 2013),
        (Decimal("12000000"), 2014),
        (Decimal("7000000"), 2015),
    ]
    assert initiatives["2.1.8"].amounts[2].text == "12,0 mio. kr. i 2014"
    with_amounts = {notation for notation, initiative in initiatives.items() if initiative.amounts}
    assert with_amounts == {"1.3.2", "2.1.7", "2.1.8", "3.4.1"}


def test_a_total_and_its_split_are_never_both_summed(initiatives: dict[str, Initiative]) -> None:
    # lines 1209-1211: "afsat 20,0 mio. kr. … 1,0 mio. kr. i 2013 … 12,0 mio. kr. i 2014 og 7,0
    # mio. kr. i 2015": the three are the split of the 20,0 million, not 20 million more.
    amounts = initiatives["2.1.8"].amounts
    assert [amount.part_of for amount in amounts] == [None, 0, 0, 0]
    assert sum(a.value for a in amounts if a.part_of is None) == Decimal("20000000")
    # an amount that stands alone is part of nothing
    assert initiatives["2.1.7"].amounts[0].part_of is None


@pytest.mark.parametrize(
    ("notation", "financing"),
    [
        ("1.1.1", "partly-funded"),  # finansierede … mangler at blive finansieret
        ("1.1.3", "partly-funded"),  # delvist finansieret
        ("1.1.4", "funded"),  # er finansieret og afholdes derfor indenfor den afsatte ramme
        ("2.1.7", "funded"),  # afsat 44,2 mio. kr.
        ("3.4.1", "funded"),  # finansieres af A.P. Møller fonden … bevilget 1.5 mio. kr.
        ("1.1.2", "existing-budget"),  # afholdes inden for den afsatte ramme
        ("2.1.9", "existing-budget"),  # indenfor … eksisterende bevilling/ramme
        ("3.1.1", "existing-budget"),  # Afholdes af Handicaprådets budgetmidler
        ("1.4.2", "unfunded"),  # endnu ikke afklaret, hvordan indsatsen skal finansieres
        ("1.3.2", "unfunded"),  # beskrevet i et samlet budgetforslag
        ("1.4.4", "not-relevant"),  # Ikke relevant.
        ("1.5.3", "not-relevant"),  # Ingen.
        ("1.7.1", None),  # no Økonomiske konsekvenser field
    ],
)
def test_financing(initiatives: dict[str, Initiative], notation: str, financing: str) -> None:
    assert initiatives[notation].financing == financing


@pytest.mark.parametrize(
    ("notation", "years"),
    [
        ("1.1.1", (2015, 2018)),  # "I 2015-2018 forventer …"
        ("2.1.2", (2015, 2016)),  # "… i 2015 – 2016." (en dash)
        ("3.2.1", (2015, 2017)),  # "2015 - 2017"
        ("1.5.3", (None, 2019)),  # "Praksisplan gælder frem til 2019"
        ("2.1.4", (2014, None)),  # "Forløbet er igangsat 2014 og udvikles fortløbende."
        ("2.1.9", (2015, 2015)),  # "Materialet udarbejdes i 2015"
        ("1.4.1", (None, None)),  # "Fortløbende"
        ("1.4.2", (None, None)),  # "… af varig status." (the stray URL below is not read)
    ],
)
def test_period_years(
    initiatives: dict[str, Initiative], notation: str, years: tuple[int | None, int | None]
) -> None:
    initiative = initiatives[notation]
    assert (initiative.start_year, initiative.end_year) == years


def test_cross_references_of_1_1_1(initiatives: dict[str, Initiative]) -> None:
    references = initiatives["1.1.1"].cross_references
    assert [(ref.kind, ref.target) for ref in references] == [
        ("benchmark", "flere udsatte københavnere har en bolig"),
        ("boligplan-spor", "6"),
        ("boligplan-spor", "9"),
    ]


def test_other_cross_references(initiatives: dict[str, Initiative]) -> None:
    def refs(notation: str) -> list[tuple[str, str]]:
        return [(ref.kind, ref.target) for ref in initiatives[notation].cross_references]

    assert ("boligplan-spor", "4") in refs("1.1.2")
    assert ("boligplan-spor", "8") in refs("1.1.3")
    # lines 214-218: the pejlemærke sentence is interrupted by two stray URL lines
    assert refs("1.1.4") == [("benchmark", "flere udsatte københavnere har en bolig")]
    assert refs("1.3.2") == [
        (
            "benchmark",
            "flere københavnere med særlige behov bliver selvforsøgende via beskæftigelse "
            "eller uddannelse",
        )
    ]
    assert refs("1.4.4") == [
        ("benchmark", "flere borgere med særlige behov oplever høj livskvalitet"),
        ("benchmark", "flere borgere er tilfredse med samarbejdet med Socialforvaltningen"),
    ]
    assert refs("2.1.1") == []


def test_urls_rejoined_and_stray_urls_dropped(initiatives: dict[str, Initiative]) -> None:
    url = (
        "http://subsite.kk.dk/PolitikOgIndflydelse/Moedemateriale/Socialudvalget/26-03-2014/"
        "41cf757f-8fe5-46a1-9cfb-e783f521921c/a3ef7938-1917-4db3-9064-4b6100df2382.aspx"
    )
    assert initiatives["1.1.3"].description.endswith("Handleplanen kan ses her: " + url)
    assert "http" not in initiatives["1.1.4"].description  # lines 216-217 are link artefacts
    assert "http" not in initiatives["1.4.2"].period_text  # line 436 repeats 1.4.1's URL
    assert "http://www.kk.dk/artikel/veteraner" in initiatives["1.4.1"].description


def test_unrelated_text_gives_no_records() -> None:
    parsed = IMPORTER.parse(from_string("Referat\n\n1. januar 2015 blev der holdt møde.\n"))
    assert (parsed.goals, parsed.initiatives) == ([], [])


def test_page_header_inside_an_initiative_is_dropped(result: ImportResult) -> None:
    lines = PLAN.read_text(encoding="utf-8").split("\n")
    # a page break after line 43 (inside 1.1.1's description) reprinting the headers
    broken = lines[:43] + ["", "1. Tværgående målsætninger ", "", "1.1 Bolig ", ""] + lines[43:]
    parsed = IMPORTER.parse(from_string("\n".join(broken)))
    assert parsed.initiatives[0].description == result.initiatives[0].description
    assert [initiative.notation for initiative in parsed.initiatives] == NOTATIONS


def test_counted_outputs_are_targets_of_their_initiative(result: ImportResult) -> None:
    # line 1142 "… etablering af 9 grupper med basispladser …" (2.1.7);
    # line 1191 "I første omgang etableres 100 klubpladser …" and line 1209 "… at etablere 100
    # specialklubpladser" (2.1.8, the same hundred); line 137 "… etablering af 20 boliger …" (1.1.2);
    # line 1187 "behov for at udvide med 250 specialklubpladser" is a need, not a target.
    targets = {
        indicator.subject: [(m.kind, m.value, m.unit) for m in indicator.measurements]
        for indicator in result.indicators
    }
    assert targets == {
        "1.1.2": [("target", Decimal(20), "count")],
        "2.1.7": [("target", Decimal(9), "count")],
        "2.1.8": [("target", Decimal(100), "count")],
    }
    labels = {indicator.subject: indicator.label for indicator in result.indicators}
    assert labels["2.1.7"] == "Antal grupper med basispladser"
    spans = {indicator.subject: indicator.span.first for indicator in result.indicators}
    assert spans == {"1.1.2": 137, "2.1.7": 1142, "2.1.8": 1191}
