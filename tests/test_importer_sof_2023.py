"""The SOF 2023-2026 action plan importer, checked against the document itself.

Every expected value below was read from data/sources/sof-indsatsplan-2023-2026.txt
(line numbers in the comments), not copied from the parser's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from indsatsgraf.importers.records import Goal, ImportResult, Initiative
from indsatsgraf.importers.sof_2023 import IMPORTER
from indsatsgraf.importers.text import from_string, read_source

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
PLAN = SOURCES / "sof-indsatsplan-2023-2026.txt"
FILE_LINES = PLAN.read_text(encoding="utf-8").splitlines()

SECTIONS = ["1.1", "2.1", "2.2", "3.1", "4.1", "5.1", "6.1", "6.2", "6.3", "6.4"]
# Initiative lines per section: bold-led bullets, the plain sub-bullets 190-192 and
# 228-231, and the plain "Tværsektorielle initiativer" bullets 387-389.
INITIATIVE_LINES = {
    "1.1": [150, 151, 152, 153, 154],
    "2.1": [188, 189, 190, 191, 192],
    "2.2": [206, 207, 208, 209],
    "3.1": [227, 228, 229, 230, 231, 232, 233, 234],
    "4.1": [253, 259, 260],
    # lines 270-273 ("særlig opmærksomhed på:") and 277-278 ("fokus på … ved:", ✓ bullets):
    # what Socialforvaltningen itself does for employment, so initiatives too.
    "5.1": [270, 271, 272, 273, 277, 278],
    "6.1": [313, 314, 315, 316, 317, 318],
    "6.2": [331, 332, 333, 334, 335],
    "6.3": [360, 361, 362, 363],
    "6.4": [387, 388, 389, 393, 394, 395, 396, 397],
}
# sub-bullet line → parent bullet line
SUB_BULLETS = {
    190: 189, 191: 189, 192: 189,
    228: 227, 229: 227, 230: 227, 231: 227,
    394: 393, 395: 393,
}  # fmt: skip
BUDGET_LIST_LINES = list(range(416, 434))


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return IMPORTER.parse(read_source(PLAN))


def goals_of(result: ImportResult, kind: str, sections: bool = False) -> list[Goal]:
    return [
        goal
        for goal in result.goals
        if goal.kind == kind and (goal.notation is not None and "." in goal.notation) == sections
    ]


def goal_at(result: ImportResult, line: int) -> Goal:
    (goal,) = [goal for goal in result.goals if goal.span.first == line]
    return goal


def initiative_at(result: ImportResult, line: int) -> Initiative:
    (initiative,) = [item for item in result.initiatives if item.span.first == line]
    return initiative


def all_records(result: ImportResult) -> list:
    return [*result.goals, *result.initiatives, *result.indicators, *result.budget_items]


# --- counts ---------------------------------------------------------------------------


def test_counts(result: ImportResult) -> None:
    assert len(goals_of(result, "goal")) == 6  # lines 55-60
    assert len(goals_of(result, "priority")) == 20  # lines 92-140: 2+4+2+3+5+4
    assert [goal.notation for goal in goals_of(result, "goal", sections=True)] == SECTIONS
    assert len(result.initiatives) == 54  # 48 + the six bullets of 5.1 (lines 270-278)
    assert sum(1 for item in result.initiatives if item.parent) == len(SUB_BULLETS) == 9
    assert len(result.indicators) == 4  # KPI slides of 1.1, 5.1, 6.2, 6.3
    # the municipal 850 of line 285 is context, not a measurement
    assert sum(len(indicator.measurements) for indicator in result.indicators) == 8
    assert len(result.budget_items) == 19  # 18 in the Budget 2024 list + HA01 on line 367


# --- document and goals ---------------------------------------------------------------


def test_document(result: ImportResult) -> None:
    document = result.document
    assert document.title == (
        "Socialforvaltningens indsatsplan under Københavns Kommunes Handicappolitik for 2023 – 2026"
    )
    assert document.policy == "Handicappolitik 2023-2026"
    assert (document.year, document.start_year, document.end_year) == (2023, 2023, 2026)
    assert document.publisher == ["Socialforvaltningen"]
    assert document.kind == "action-plan"


def test_six_goals(result: ImportResult) -> None:
    goals = goals_of(result, "goal")
    assert [goal.notation for goal in goals] == ["1", "2", "3", "4", "5", "6"]
    assert [goal.span.first for goal in goals] == [55, 56, 57, 58, 59, 60]
    assert goals[1].label == "Lettere adgang til hjælp"
    assert goals[4].label == (
        "Flere skal have adgang til beskæftigelse og uddannelse – Københavns Kommune vil "
        "føre an som det gode eksempel"
    )
    assert all(goal.parent is None for goal in goals)


@pytest.mark.parametrize(
    ("line", "goal", "responsible", "involved"),
    [
        (92, "1", ["SOF"], []),
        (94, "1", ["BIF"], []),
        (102, "2", ["SOF", "BIF"], []),
        (104, "2", ["SUF", "BIF", "SOF"], []),
        (108, "3", ["TMF"], ["de øvrige forvaltninger"]),
        (118, "4", ["BUF", "SOF"], []),
        (124, "5", ["ØKF"], ["de øvrige forvaltninger"]),
        (126, "5", ["alle forvaltninger"], []),
        (128, "5", ["alle forvaltninger"], []),
        (134, "6", ["KFF", "SUF", "SOF"], []),
        (140, "6", ["SUF", "SOF"], []),
    ],
)
def test_priority_anchoring(
    result: ImportResult, line: int, goal: str, responsible: list[str], involved: list[str]
) -> None:
    priority = goal_at(result, line)
    assert priority.kind == "priority"
    assert priority.parent == goal
    assert priority.responsible == responsible
    assert priority.involved == involved
    assert "(" not in priority.label


def test_priority_label(result: ImportResult) -> None:
    assert goal_at(result, 118).label == "Nedbringe skolefravær for børn og unge i specialtilbud"


# --- sections -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "priority_line"),
    [
        ("1.1", 92),  # "Øge tilfredsheden med dialogen og samarbejdet …"
        ("2.2", 100),  # "Større gennemsigtighed i sagsprocessen"
        ("3.1", 108),  # universelt design (TMF og de øvrige forvaltninger …)
        ("4.1", 118),  # "Nedbringe skolefravær …" (BUF, SOF)
        ("5.1", 124),  # rummelig arbejdsplads (ØKF og de øvrige forvaltninger …)
        ("6.1", 134),
        ("6.2", 136),
        ("6.3", 138),
        ("6.4", 140),
    ],
)
def test_section_hangs_under_its_priority(
    result: ImportResult, section: str, priority_line: int
) -> None:
    goal = next(goal for goal in result.goals if goal.key == section)
    assert goal.notation == section
    assert goal.parent == goal_at(result, priority_line).key


def test_section_listing_three_priorities_hangs_under_its_goal(result: ImportResult) -> None:
    section = next(goal for goal in result.goals if goal.key == "2.1")
    assert section.label.startswith("Afbureaukratisering (lette arbejdet for borgerne")
    assert section.parent == "2"
    covered = [goal_at(result, line).label for line in (98, 102, 104)]
    assert section.remarks == [f"Særlig prioritering: {label}" for label in covered]


def test_section_spans_stop_before_goal_banners(result: ImportResult) -> None:
    spans = {goal.key: (goal.span.first, goal.span.last) for goal in result.goals}
    assert spans["1.1"] == (144, 169)  # "Målsætning 2. …" banner on 171
    assert spans["6.1"] == (297, 318)  # "Målsætning 6: …" banner on 322
    assert spans["6.4"] == (381, 397)  # "Opfølgning på indsatsplanen" on 399


# --- initiatives ----------------------------------------------------------------------


def test_initiatives_per_section(result: ImportResult) -> None:
    found: dict[str, list[int]] = {}
    for item in result.initiatives:
        (goal,) = item.goals
        found.setdefault(goal, []).append(item.span.first)
    assert found == INITIATIVE_LINES


def test_check_mark_bullets_of_5_1_are_initiatives_of_sof(result: ImportResult) -> None:
    # line 277 "- ✓ Ansættelse i mini-fleksjob, eksempelvis 2-4 timer om ugen"; the lead-in on
    # line 275 says "Socialforvaltningen har bl.a. fokus på … ved:".
    item = initiative_at(result, 277)
    assert item.label == "Ansættelse i mini-fleksjob, eksempelvis 2-4 timer om ugen"
    assert item.responsible == ["Socialforvaltningen"]
    assert initiative_at(result, 270).label.startswith("Den forebyggende indsats gennem forbedring")


def test_sub_bullets_link_to_their_parent(result: ImportResult) -> None:
    for line, parent_line in SUB_BULLETS.items():
        assert initiative_at(result, line).parent == initiative_at(result, parent_line).key
    parent = initiative_at(result, 189)
    assert parent.label == "Påvirke nationale dagsordener i forhold til afbureaukratisering"
    assert parent.parent is None
    assert initiative_at(result, 394).label == "Udvide indsatsen SundNeuro på botilbud"


def test_bold_title_is_the_label(result: ImportResult) -> None:
    assert initiative_at(result, 151).label == (
        "Opkvalificering af sagsbehandlere på handicapområdet i det gode borgermøde"
    )
    assert initiative_at(result, 153).label == "Øget beslutningskompetence"
    assert initiative_at(result, 397).label == "Forbedre madkvaliteten i botilbud"  # mid-line bold


def test_prose_between_bullets_belongs_to_the_bullet_above(result: ImportResult) -> None:
    u_start = initiative_at(result, 253)
    assert u_start.label == "Implementering af skolefraværsindsatsen U-start"
    assert (u_start.span.first, u_start.span.last) == (253, 257)
    assert "skolesocialrådgiver til specialskolerne" in u_start.description


@pytest.mark.parametrize(
    ("line", "period", "start", "end"),
    [
        (188, "1. april 2023 – 31. marts 2026", 2023, 2026),
        (150, "2022-2024", 2022, 2024),
        (209, "2023-24", 2023, 2024),
        (313, "2022-2026", 2022, 2026),
        (152, "fra 2023", 2023, None),
        (331, "starter i 2024", 2024, None),
        (154, None, None, None),
        # years in prose: line 190 "SUD fik i foråret 2023 …"; line 206 "I 2023 implementeres …
        # I 2024 udarbejdes …"
        (190, "i foråret 2023", 2023, 2023),
        (206, "I 2023; I 2024", 2023, 2024),
        # line 334 "… med forventet ibrugtagning i 2025": an expectation dates nothing done
        (334, None, None, None),
    ],
)
def test_periods(
    result: ImportResult, line: int, period: str | None, start: int | None, end: int | None
) -> None:
    initiative = initiative_at(result, line)
    assert (initiative.period_text, initiative.start_year, initiative.end_year) == (
        period,
        start,
        end,
    )


@pytest.mark.parametrize(
    ("line", "partners"),
    [
        (151, ["For Lige Vilkår"]),
        (207, ["Digitaliseringsstyrelsen"]),
        (
            208,
            ["Digitaliseringsstyrelsen", "Odense Kommune", "Udviklings- og Forenklingsstyrelsen"],
        ),
        (
            192,
            [
                "6-byerne",
                "Social-, Bolig- og Ældreministeriet",
                "Ekspertudvalget på det sociale område",
            ],
        ),
        (188, ["Social- Børne- og Ældreministeriet"]),
        (260, ["den regionale børne- og ungdomspsykiatri"]),
        (387, ["sundhedsklynge", "regionen"]),
        (189, []),
        (150, []),
    ],
)
def test_partners(result: ImportResult, line: int, partners: list[str]) -> None:
    assert initiative_at(result, line).partners == partners


@pytest.mark.parametrize(
    ("line", "responsible", "involved"),
    [
        (150, ["Borgercenter Handicap"], []),
        (151, ["Socialforvaltningen"], []),  # from "Udvalgte initiativer i Socialforvaltningen"
        (208, ["SOF"], ["BIF", "KoncernIT"]),
        (253, ["SOF"], ["BUF"]),
        (233, ["Socialforvaltningen"], ["Borgerservice"]),
        (363, ["Borgercenter Handicap"], ["Beskæftigelses- og Integrationsforvaltningen"]),
        (396, ["Center for Erhvervet Hjerneskade"], []),
        (387, [], []),  # "Tværsektorielle initiativer på sundhedsområdet (sundhedsklynge)"
    ],
)
def test_departments(
    result: ImportResult, line: int, responsible: list[str], involved: list[str]
) -> None:
    initiative = initiative_at(result, line)
    assert initiative.responsible == responsible
    assert initiative.involved == involved


def test_financing_sentences(result: ImportResult) -> None:
    assert initiative_at(result, 150).financing_text == (
        "Bevilling til pårørendevejlederen er i perioden 2022-2024."
    )
    assert initiative_at(result, 150).financing == "funded"
    assert initiative_at(result, 151).financing is None
    # line 188 "Forsøg med enklere bevilling af merudgifter": grants to parents, not funding;
    # the item says nothing about where its money comes from.
    assert initiative_at(result, 188).financing is None
    assert initiative_at(result, 188).financing_text is None
    # line 154 "… er der afsat penge til at nedbringe antallet af sager …"
    assert initiative_at(result, 154).financing == "funded"


def test_funded_by_the_same_named_budget_item(result: ImportResult) -> None:
    funded = {
        item.span.first: item.budget_codes for item in result.initiatives if item.budget_codes
    }
    # 317 ↔ HA01 (426), 331 ↔ HA02 (427), 333 ↔ HA07 (431)
    assert funded == {317: ["HA01"], 331: ["HA02"], 333: ["HA07"]}


# --- indicators -----------------------------------------------------------------------


def measured(result: ImportResult, subject: str) -> set[tuple]:
    (indicator,) = [item for item in result.indicators if item.subject == subject]
    return {(m.kind, m.value, m.unit, m.year) for m in indicator.measurements}


def test_complaints_indicator(result: ImportResult) -> None:
    (indicator,) = [item for item in result.indicators if item.subject == "1.1"]
    assert indicator.label == "Flere tilfredse borgere, målt gennem andelen af formalitetsklager"
    assert (indicator.span.first, indicator.span.last) == (157, 169)
    # line 163: "i 2022 … hhv. 1,5 pct. for børneområdet og 0,5 pct. på voksenområdet";
    # the complements 98,5 % / 99,5 % ("Det svarer til …") are not new measurements.
    assert measured(result, "1.1") == {
        ("status", Decimal("1.5"), "percent", 2022),
        ("status", Decimal("0.5"), "percent", 2022),
    }
    assert "børneområdet" in indicator.measurements[0].text
    assert "voksenområdet" in indicator.measurements[1].text
    assert indicator.remarks[0].startswith("Kilde: KPI fra BCH's omstillingsplan.")


def test_flexjob_indicator(result: ImportResult) -> None:
    # line 285: måltal 2023 850 for the whole municipality ("for Københavns Kommune i alt"),
    # "hvoraf Socialforvaltningens andel er 146"; 202 pr. september 2023;
    # line 287: in 2022 måltal 146, resultat 193. The 850 is not SOF's target, only context.
    assert measured(result, "5.1") == {
        ("target", Decimal(146), "count", 2023),
        ("status", Decimal(202), "count", 2023),
        ("target", Decimal(146), "count", 2022),
        ("actual", Decimal(193), "count", 2022),
    }
    (indicator,) = [item for item in result.indicators if item.subject == "5.1"]
    assert any("Københavns Kommune i alt 850" in remark for remark in indicator.remarks)


def test_socialtilsyn_indicator(result: ImportResult) -> None:
    (indicator,) = [item for item in result.indicators if item.subject == "6.3"]
    assert indicator.label == (
        "Andel af tilbud, som har en seneste score på minimum 3 ift. Socialtilsynets indikator 1a"
    )
    # line 367: "90 pct. af tilbuddene har scoret minimum 3 …
    # … i forhold til 69 % ved baseline i 2020"
    assert measured(result, "6.3") == {
        ("status", Decimal(90), "percent", None),
        ("baseline", Decimal(69), "percent", 2020),
    }


def test_indicator_without_numbers(result: ImportResult) -> None:
    (indicator,) = [item for item in result.indicators if item.subject == "6.2"]
    assert indicator.label == "Andelen af købte pladser"  # line 339: "målt ved andelen af …"
    assert indicator.measurements == []


# --- budget items ---------------------------------------------------------------------


def budget_at(result: ImportResult, line: int):
    (item,) = [item for item in result.budget_items if item.span.first == line]
    return item


def test_budget_list(result: ImportResult) -> None:
    listed = [item for item in result.budget_items if item.span.first in BUDGET_LIST_LINES]
    assert [item.span.first for item in listed] == BUDGET_LIST_LINES
    assert all(item.budget_year == 2024 for item in listed)
    assert [item.code for item in listed] == [
        "SO06", "SO14", "SO21", "SO30a", "SO30b", "SO31", None, "SO81", None, "BU44",
        "HA01", "HA02", "HA03", "HA04", "HA05", "HA07", "HA/SI08", "TV02",
    ]  # fmt: skip


def test_ha01(result: ImportResult) -> None:
    item = budget_at(result, 426)
    assert (item.key, item.code, item.budget_year) == ("HA01", "HA01", 2024)
    assert item.label == "Videreudvikling af Tættere på familier med børn og unge med handicap"


def test_tv02_has_two_responsible_departments(result: ImportResult) -> None:
    item = budget_at(result, 433)
    assert (item.code, item.budget_year) == ("TV02", 2024)
    assert item.responsible == ["BUF", "SOF"]
    assert item.label == (
        "Tidlig og tværfaglig indsats mod bekymrende fravær og mistriivsel i skolen"
    )


def test_items_without_code(result: ImportResult) -> None:
    for line, label in (
        (422, "Styrke rekruttering og fastholdelse til Socialudvalget"),
        (424, "Bevilling til keredrift på socialområdet"),
    ):
        item = budget_at(result, line)
        assert (item.code, item.label, item.budget_year) == (None, label, 2024)
        assert item.key


def test_non_department_parentheses_stay_in_the_label(result: ImportResult) -> None:
    item = budget_at(result, 417)
    assert item.label == "Anlægsmidler til køb af nøglefærdigt botilbud (FORTROLIGT)"
    assert item.responsible == []


def test_investment_proposal_named_in_prose(result: ImportResult) -> None:
    item = budget_at(result, 367)  # "investeringsforslaget HA01 – Livet er ikke snorlige – …"
    assert item.code == "HA01"
    assert item.key != "HA01"
    assert item.label == "Livet er ikke snorlige – omstilling af handicapområdets tilbudsvifte"
    assert item.supports == ["6.3"]
    assert item.budget_year is None


# --- text hygiene, odd input ---------------------------------------------------------


def test_no_links_or_goal_banners_in_text(result: ImportResult) -> None:
    texts = [
        value
        for record in all_records(result)
        for value in (record.label, getattr(record, "description", None))
        if value
    ]
    for text in texts:
        assert "](#)" not in text and "Målsætning 6:" not in text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(FILE_LINES + ["- **", "1.1", "- (SOF)", "2. X"]), max_size=60))
def test_shuffled_lines_never_raise(lines: list[str]) -> None:
    IMPORTER.parse(from_string("\n".join(lines)))


def test_an_anchor_keeps_a_hyphenated_coordination_whole() -> None:
    from indsatsgraf.importers.sof_2023 import _anchoring

    # "X- og Y…" is one name; "og" between two names still separates them.
    assert _anchoring("Sundheds- og Omsorgsforvaltningen og BUF") == (
        ["Sundheds- og Omsorgsforvaltningen", "BUF"],
        [],
    )
