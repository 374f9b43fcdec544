"""The SOF status 2019 importer, checked against the document itself.

Every expected value below was read from data/sources/sof-indsatsplan-status-2019.txt
(line numbers quoted in the comments) by going through the 46 table rows one by
one, not copied from the parser's output.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from indsatsgraf.importers.records import ImportResult, Initiative, Span
from indsatsgraf.importers.sof_status_2019 import IMPORTER, status_class
from indsatsgraf.importers.text import from_string, read_source
from test_importers_common import spans, strings

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
REPORT = SOURCES / "sof-indsatsplan-status-2019.txt"

THEMES = {
    "1": ("Det gode liv", 13),
    "2": ("Deltagelse", 662),
    "3": ("Dagtilbud, skole, uddannelse og beskæftigelse", 1060),
    "4": ("Netværk", 1254),
}
# Bullets per theme: lines 21-39 (7), 671-684 (6), 1069-1087 (6), 1262-1278 (6).
GOALS_PER_THEME = {"1": 7, "2": 6, "3": 6, "4": 6}
# Table rows per theme: 20 (lines 51-713), 13 (715-1059), 7 (1095-1251), 6 (1285-1471);
# eight initiatives are listed twice ("Fremgår også under …"), so 46 rows hold 38.
ROWS = 46
INITIATIVES = 38
LISTED_TWICE = {
    "Familiehuset": ["1", "4"],  # lines 51, 1285
    "Projekt Borgeren i førersædet": ["1", "2"],  # 74, 853
    "Styrket borgerdialog og læringspraksis": ["1", "2"],  # 99, 967
    "Styrke den pædagogiske støtte i forvaltningens botilbud": ["1", "2"],  # 233, 922
    "Kommunikationsorienteret velfærdsteknologi": ["1", "2"],  # 285, 889
    "Implementering af ny organisering på hjerneskadeområdet (CEH)": ["1", "2"],  # 343, 1017
    "Ferie og fritidstilbud til forvaltningens borgere, evt. via frivillige organisationer": [
        "2",
        "4",
    ],  # 715, 1313
    "Beskæftigelses og aktivitetstilbud i Center Campo": ["2", "3"],  # 946, 1165
}
# One status per row (46), less three repeats with the very same text (the two
# "ikke prioriteret" notes, 239/928 and 721/1319, and the status of
# Kommunikationsorienteret velfærdsteknologi, 302-316 = 906-920).
STATUS_CLASSES = {
    # 1379-1441 is ongoing: "Indsatsen forløber planmæssigt", only a bike ride was postponed;
    # 993-1014 is ongoing: hold 3 started in September and a workshop is planned.
    "ongoing": 25,
    "delayed": 6,  # lines 161, 215, 358, 413, 763, 1459
    "see-other-theme": 5,  # 864, 976, 1033, 1177, 1296
    "completed": 3,  # 115, 1128, 1239
    "not-prioritised": 2,  # 239, 721
    "discontinued": 1,  # 491
    "unknown": 1,  # 402 "Indsatsen er indmeldt af BCV"
}
FOOTER_RE = re.compile(r"Side \d+ af 22")


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return IMPORTER.parse(read_source(REPORT))


@pytest.fixture(scope="module")
def by_label(result: ImportResult) -> dict[str, Initiative]:
    return {initiative.label: initiative for initiative in result.initiatives}


def test_document(result: ImportResult) -> None:
    document = result.document
    assert document.kind == "status-report"
    assert document.year == 2019
    assert document.policy == "Handicappolitik 2018-2022"
    assert document.title.startswith("Bilag 1: Status og oversigt over samtlige indsatser")
    assert document.publisher == ["Socialforvaltningen"]


def test_themes_numbered_as_in_the_opening_list(result: ImportResult) -> None:
    themes = [goal for goal in result.goals if goal.kind == "theme"]
    assert {t.key: (t.label, t.span.first) for t in themes} == THEMES
    assert all(t.notation == t.key for t in themes)
    netvaerk = next(t for t in themes if t.key == "4")
    assert netvaerk.description.startswith("Netværk er vigtigt for alle mennesker")
    assert netvaerk.span.last == 1256


def test_maalsaetninger(result: ImportResult) -> None:
    goals = [goal for goal in result.goals if goal.kind == "goal"]
    assert len(goals) == 25
    assert Counter(goal.parent for goal in goals) == GOALS_PER_THEME
    assert len({goal.key for goal in goals}) == 25
    first = goals[0]
    assert first.label == (
        "Vi skal sikre, at borgere med handicap har de nødvendige forudsætninger og den bedst "
        "mulige støtte for at leve et selvstændigt liv med mulighed for personlig udfoldelse."
    )
    assert (first.span.first, first.span.last) == (21, 22)
    # Lines 684-686: a double-spaced bullet, followed (after blanks) by a table row's tail.
    last_of_deltagelse = [goal for goal in goals if goal.parent == "2"][-1]
    assert last_of_deltagelse.label.endswith("for alle byens brugere.")
    assert (last_of_deltagelse.span.first, last_of_deltagelse.span.last) == (684, 686)


def test_initiative_count_and_unique_keys(result: ImportResult) -> None:
    assert len(result.initiatives) == INITIATIVES
    assert len({initiative.key for initiative in result.initiatives}) == INITIATIVES
    assert sum(len(initiative.goals) for initiative in result.initiatives) == ROWS


@pytest.mark.parametrize("label", sorted(LISTED_TWICE))
def test_initiative_listed_under_two_themes_is_one(
    result: ImportResult, by_label: dict[str, Initiative], label: str
) -> None:
    assert [i.label for i in result.initiatives].count(label) == 1
    assert by_label[label].goals == LISTED_TWICE[label]


def test_repeated_listing_keeps_the_first_span_and_both_statuses(
    by_label: dict[str, Initiative],
) -> None:
    familiehuset = by_label["Familiehuset"]
    assert (familiehuset.span.first, familiehuset.span.last) == (51, 73)
    assert familiehuset.description.startswith("Et kommunalt tilbud rettet mod børn og unge")
    assert familiehuset.purpose == (
        "Formålet er at hjælpe familier til børn og unge med handicap med at håndtere "
        "udfordringer i hverdagen."
    )
    assert [(s.status, s.span.first) for s in familiehuset.statuses] == [
        ("ongoing", 66),
        ("see-other-theme", 1296),
    ]
    assert familiehuset.statuses[0].text.startswith(
        "I Familiehuset arbejdes der på at kompetenceudvikle kontaktpersonerne"
    )
    assert familiehuset.statuses[1].text == "Se status under Det gode liv."
    assert [(r.kind, r.target) for r in familiehuset.cross_references] == [
        ("theme", "Netværk"),
        ("theme", "Det gode liv"),
    ]
    assert all(r.text.startswith("Fremgår også under") for r in familiehuset.cross_references)


def test_label_without_centre_matches_the_repeat(by_label: dict[str, Initiative]) -> None:
    # Line 343 says "(CEH)", line 1017 does not: still one initiative, one key.
    ceh = by_label["Implementering af ny organisering på hjerneskadeområdet (CEH)"]
    assert ceh.key == "implementering-af-ny-organisering-paa-hjerneskadeomraadet"
    assert [s.status for s in ceh.statuses] == ["delayed", "see-other-theme"]
    assert ceh.statuses[1].text == "Se status under ’Det Gode Liv’."
    assert "CEH" in ceh.responsible


def test_status_classes(result: ImportResult) -> None:
    statuses = [status for i in result.initiatives for status in i.statuses]
    assert len(statuses) == sum(STATUS_CLASSES.values()) == 43
    assert Counter(status.status for status in statuses) == STATUS_CLASSES
    assert all(status.year == 2019 for status in statuses)


@pytest.mark.parametrize(
    ("label", "purpose_start", "status", "status_start"),
    [
        (
            "Uddannelse af seksualvejledere (COS)",  # lines 482-498
            "Formålet er at give borgere mulighed for at udleve",
            "discontinued",
            "COS kommer ikke til at arbejde videre med denne indsats.",
        ),
        (
            "Smertevurdering af børn uden sprog (CBH)",  # 404-439
            "Formålet er, at børn uden sprog med smerter får adgang",
            "delayed",
            "Tidsplanen i den oprindelige procesplan for implementeringen af smerteprofiler",
        ),
        (
            "Undervisning om arbejdsmarkedet",  # 1122-1145
            "Formålet er at give de unge større tilknytning til arbejdsmarkedet",
            "completed",
            "IBOS har arbejdet på at øge arbejdsmarkedskendskabet blandt STU-elever",
        ),
        (
            "Fokus på demensudredning (COS)",  # 375-389
            "Formålet er at kvalificere demensudredning og dokumentation",
            "ongoing",
            "Indsatsen forløber planmæssigt.",
        ),
        (
            "Råd og vejledning om misbrug",  # 392-402
            "Formålet er at sikre, at borgerne oplever nem adgang",
            "unknown",
            "Indsatsen er indmeldt af BCV",
        ),
        (
            "Styrke den pædagogiske støtte i forvaltningens botilbud",  # 233-253, no colon
            "Et større antal pædagoger på botilbuddene vil øge kapaciteten",
            "not-prioritised",
            "Denne indsats blev ikke prioriteret til budgetforliget 2019",
        ),
        (
            "’SOF/LEV’ boligprojekt",  # 1444-1471
            "Formålet er dels, at borgerne bliver mere selvstændige",
            "delayed",
            "Botilbuddet på Thomas Laubs Gade skulle efter planen",
        ),
        (
            "Styrket samarbejde med private virksomheder og organisationer",  # 1226-1251
            "Formålet er, at flere mennesker med synshandicap",
            "completed",
            "Denne indsats var oprindeligt tiltænkt som en udvidelse",
        ),
    ],
)
def test_specific_rows(
    by_label: dict[str, Initiative], label: str, purpose_start: str, status: str, status_start: str
) -> None:
    initiative = by_label[label]
    assert initiative.purpose.startswith(purpose_start)
    assert initiative.statuses[0].status == status
    assert initiative.statuses[0].text.startswith(status_start)


def test_name_is_text_before_the_first_colon(by_label: dict[str, Initiative]) -> None:
    hjerne = by_label[
        "Hjerneskadekoordinationen – samarbejde mellem Sundheds- og Omsorgsforvaltningen "
        "og Socialforvaltningen"
    ]
    assert hjerne.description.startswith("Hjerneskadekoordinationen sikrer koordination")
    assert hjerne.involved == ["Sundheds- og Omsorgsforvaltningen"]
    # Line 149-151: no colon, the sentence is the name.
    assert (
        "Sikre et tilstrækkeligt antal botilbudspladser til det stigende antal borgere med "
        "autisme og senhjerneskade" in by_label
    )
    ferie = by_label[
        "Ferie og fritidstilbud til forvaltningens borgere, evt. via frivillige organisationer"
    ]
    assert ferie.description is None


def test_column_one_continued_after_a_page_break(by_label: dict[str, Initiative]) -> None:
    # Lines 599-601 end "fx"; column 1 goes on at 609-612 after column 3 began at 607.
    kompetence = by_label["Kompetenceudvikling"]
    assert kompetence.description.endswith(
        "sagsbehandlere, fx konflikthåndtering, neuropædagogik samt afprøvelse af nye metoder. "
        "Niveauet og indholdet af kompetenceudviklingen varierer fra center til center."
    )
    status = kompetence.statuses[0].text
    assert status.startswith("Der er indsatser i flere centre på dette område")
    assert "konflikthåndtering" not in status
    assert "I Center Campo er uddannelse i neuropædagogik" in status
    assert kompetence.statuses[0].status == "ongoing"  # last verdict: CSBB "forløber efter planen"


def test_row_continued_after_the_next_theme_heading(by_label: dict[str, Initiative]) -> None:
    # Lines 652-661, then the "Tema: Deltagelse" block (662-686), then 692-713.
    attraktiv = by_label["Attraktiv arbejdsplads"]
    assert attraktiv.goals == ["1"]
    assert attraktiv.description.endswith(
        "kompetenceudvikling til sagsbehandlere samt rekruttering og fastholdelse af medarbejdere."
    )
    status = attraktiv.statuses[0].text
    assert "2019-2021 med formålet at styrke en helhedsorienteret sagsbehandling" in status
    assert status.endswith("Projektet forløber som planlagt.")
    assert "Deltagelse rummer" not in status and "Tema" not in status
    assert [(a.value, a.year) for a in attraktiv.amounts] == [(Decimal(40000), 2019)]


def test_column_two_and_three_interleaved_line_by_line(by_label: dict[str, Initiative]) -> None:
    # Lines 872-887: columns 2 and 3 alternate across a page break at 878.
    individuelt = by_label["Individuelt tilpasset velfærdsteknologi"]
    assert individuelt.purpose == (
        "Borgere er selv med til at fastsætte mål og indsatser og kan selv arbejde aktivt med "
        "målene, hvilket giver øget mestring for den enkelte samt mulighed for at tage aktiv "
        "del i beslutninger i hverdagen sammen med andre."
    )
    assert "men indtænkes i den overordnede teknologiske udvikling" in (
        individuelt.statuses[0].text
    )
    # Lines 1122-1145: all three columns split over the page break at 1131.
    undervisning = by_label["Undervisning om arbejdsmarkedet"]
    assert undervisning.description == (
        "Indføring af praktikker samt undervisning i arbejdsmarkedskendskab som en del af "
        "Særligt Tilrettelagt Uddannelse (STU) samt i ungetilbud."
    )
    assert undervisning.purpose == (
        "Formålet er at give de unge større tilknytning til arbejdsmarkedet og inklusion i "
        "arbejdsfællesskab. Dette kan også være med til at modvirke ensomhed."
    )
    assert "blevet tilknyttet en arbejdsmarkedskonsulent fra IBOS" in undervisning.statuses[0].text


def test_row_after_a_footer_and_a_note_on_the_same_line_run(
    by_label: dict[str, Initiative],
) -> None:
    # Line 1055 "Side 16 af 22", then column 1 ends at 1058-1059.
    survey = by_label["Brugertilfredshedsundersøgelse"]
    assert survey.description.endswith(
        "herunder sammenhæng i sagsbehandlingen. Undersøgelsen følger udviklingen i "
        "brugertilfredshed over tid."
    )
    # Line 1297 " Fremgår også under Det gode liv." runs straight into the next row at 1298.
    aaben = by_label["Åben rådgivning til unge"]
    assert aaben.goals == ["4"]
    assert aaben.statuses[0].text.startswith("Delindsatsen ’Åben rådgivning’")


def test_centre_abbreviations_as_responsible(by_label: dict[str, Initiative]) -> None:
    assert by_label["Smertevurdering af børn uden sprog (CBH)"].responsible == ["SOF", "CBH"]
    assert by_label["Råd og vejledning om misbrug"].responsible == ["SOF", "BCV"]
    assert by_label["Akademiet"].responsible == ["SOF", "CSBB"]
    assert by_label["Undervisning om arbejdsmarkedet"].responsible == ["SOF", "IBOS"]
    frivillige = by_label["Indsatser og sociale aktiviteter, hvor frivillige deltager"]
    assert frivillige.responsible == ["SOF", "CAS", "CEH", "IBOS"]  # lines 1381, 1414, 1427
    assert all(i.responsible[0] == "SOF" for i in by_label.values())


def test_amounts(by_label: dict[str, Initiative]) -> None:
    sagsbehandlere = by_label[
        "Flere sagsbehandlere og kompetenceudvikling til Borgercenter Handicap"
    ]
    assert [(a.value, a.year) for a in sagsbehandlere.amounts] == [(Decimal(15_000_000), 2019)]
    assert [a.value for a in by_label["Hverdagsaktivisterne"].amounts] == [Decimal(3_500_000)]


def test_goal_reached_measurement(result: ImportResult) -> None:
    # Line 131: "Mål om bedre borgerdialog (80 %) er nået pr. 1.6.19: 87,7 % af"
    indicator = next(i for i in result.indicators if i.label == "Bedre borgerdialog")
    assert indicator.subject == "styrket-borgerdialog-og-laeringspraksis"
    assert (indicator.span.first, indicator.span.last) == (131, 131)
    values = {m.kind: (m.value, m.unit, m.year) for m in indicator.measurements}
    assert values == {
        "target": (Decimal(80), "percent", None),
        "actual": (Decimal("87.7"), "percent", 2019),
    }
    subject = next(i for i in result.initiatives if i.key == indicator.subject)
    assert indicator.key in subject.indicators
    # Line 137: "Målet om 80% tilfredshed på borgermøder er nået pr. 1.6.19: 86,7% af"
    satisfaction = next(i for i in result.indicators if i.label == "Tilfredshed på borgermøder")
    assert [m.value for m in satisfaction.measurements] == [Decimal(80), Decimal("86.7")]


def test_result_against_target_measurement(result: ImportResult) -> None:
    # Lines 565-573: "(>80 pct.)" … "for oktober 2019 på 79,5 pct. mod 62 pct. ved sidste
    # status i juni 2019."
    indicator = next(i for i in result.indicators if i.label.startswith("Sagsfristoverholdelsen"))
    assert indicator.subject == "rettidighed-i-sagsbehandlingen"
    values = {m.kind: (m.value, m.comparator) for m in indicator.measurements}
    assert values == {
        "target": (Decimal(80), ">"),
        "status": (Decimal(62), None),
        "actual": (Decimal("79.5"), None),
    }
    assert (indicator.span.first, indicator.span.last) == (565, 573)
    assert len(result.indicators) == 3


def test_no_footer_in_any_field(result: ImportResult) -> None:
    # Span quotes hold whole lines as printed, footers included; fields must not.
    texts = list(strings(result))
    assert texts
    assert not [text for text in texts if FOOTER_RE.search(text)]


def test_every_goal_initiative_status_and_indicator_has_a_span(result: ImportResult) -> None:
    assert len(spans(result)) == 29 + 38 + 43 + 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Real status texts (line numbers), one per class.
        ("Se status under Deltagelse", "see-other-theme"),  # 1177
        ("Denne indsats blev ikke prioriteret til budgetforliget 2019", "not-prioritised"),
        ("COS kommer ikke til at arbejde videre med denne indsats. Projektet er dermed "
         "afsluttet.", "discontinued"),  # 491-498
        ("Projektet er forsinket og forventes ibrugtaget i 2025.", "delayed"),  # 179-181
        ("Indsatsen har ikke længere projektkarakter og er derfor afsluttet.", "completed"),
        ("Indsatsen afsluttes som projekt og overgår til almindelig drift", "completed"),  # 115
        ("Både Skoleflex og Tilbageslusningsflex forløber planmæssigt", "ongoing"),  # 1119
        ("Indsatsen er indmeldt af BCV", "unknown"),  # 402
        # 1384 and 1398: one trip postponed, the initiative itself runs to plan.
        ("En planlagt cykellangtur på 2-3 dage er udskudt til 2020 af ressourcemæssige grunde. "
         "Indsatsen forløber planmæssigt.", "ongoing"),
        # 993-1014: some products finished ("Afsluttet: …"), a team just started.
        ("Hold 3: 26 studerende er opstartet i primo september. Afsluttet: Drejebog til støtte "
         "til pårørende. Afsluttet Survey til undersøgelse af tilfredshed.", "ongoing"),
        # 636-645: one centre finished, the last sentence says the rest goes on.
        ("Projektet er dermed afsluttet. CSBB’s indsats om kompetenceudvikling forløber efter "
         "planen.", "ongoing"),
    ],
)  # fmt: skip
def test_status_class_rule(text: str, expected: str) -> None:
    assert status_class(text) == expected


def test_cp1252_copy_differs_only_in_quotes(tmp_path: Path, result: ImportResult) -> None:
    # cp1252 has no Wingdings bullet (U+F076); such an extraction would show "•".
    cp1252 = tmp_path / "cp1252.txt"
    cp1252.write_bytes(REPORT.read_text(encoding="utf-8").replace("\uf076", "•").encode("cp1252"))
    parsed = IMPORTER.parse(read_source(cp1252))
    assert [g.label for g in parsed.goals] == [g.label for g in result.goals]
    # Only the quotes of the spans around the "Tema: Deltagelse" bullets (652-713) differ.
    assert [_without_quotes(i) for i in parsed.initiatives] == [
        _without_quotes(i) for i in result.initiatives
    ]
    assert parsed.indicators == result.indicators


def _without_quotes(initiative: Initiative) -> Initiative:
    def bare(span: Span) -> Span:
        return Span(span.first, span.last, "")

    statuses = [dataclasses.replace(s, span=bare(s.span)) for s in initiative.statuses]
    return dataclasses.replace(initiative, span=bare(initiative.span), statuses=statuses)


@pytest.mark.parametrize(
    "name",
    [
        "sof-indsatsplan-2023-2026.txt",
        "tvaergaaende-indsatsplan-2015.txt",
        "bif-indsatsplan-2018-2022.txt",
        "sud-pejlemaerker-2014-2017.txt",
    ],
)
def test_other_layouts_give_no_records(name: str) -> None:
    parsed = IMPORTER.parse(read_source(SOURCES / name))
    assert (parsed.goals, parsed.initiatives, parsed.indicators) == ([], [], [])


LINE = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            " Tema: Netværk ",
            "Målsætninger:  STATUS 2019",
            "\uf076 Vi skal have fokus på borgerens sociale færdigheder",
            "Indsatser  Formål og virkning",
            "Side 3 af 22",
            "Familiehuset: Et kommunalt tilbud rettet mod",
            "børn og unge med nedsat fysisk eller psykisk",
            "Fremgår også under Netværk.",
            "Formålet er at hjælpe familier til børn og unge med",
            "Se status under Det gode liv",
            "Mål om bedre borgerdialog (80 %) er nået pr. 1.6.19: 87,7 % af",
            "Der blev afsat 15 mio. til styrket sagsbehandling i budget 2019. De ekstra",
            " konflikthåndtering, neuropædagogik samt",
        ]
    ),
    st.text(max_size=120),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=40))
def test_odd_text_never_raises(lines: list[str]) -> None:
    source = from_string("\n".join(lines))
    parsed = IMPORTER.parse(source)
    assert 0.0 <= IMPORTER.recognise(source) <= 1.0
    for record in parsed.goals + parsed.initiatives + parsed.indicators:
        assert record.span.quote == "\n".join(
            source.lines[record.span.first - 1 : record.span.last]
        )


def test_partners_of_hverdagsaktivisterne(by_label: dict[str, Initiative]) -> None:
    # lines 1351-1354: "… partnerskab imellem venskabsforeningen ’Venner af Captum’ og
    # organisationen CSBB, har indgået et partnerskab med Frivilligcenter Vesterbro, og har
    # modtaget 3.5 millioner i fondsstøtte af VELUX Fonden." CSBB is SOF's own centre.
    (initiative,) = [item for label, item in by_label.items() if "Hverdagsaktivisterne" in label]
    assert initiative.partners == ["Venner af Captum", "Frivilligcenter Vesterbro", "VELUX Fonden"]
    assert "CSBB" in initiative.responsible
