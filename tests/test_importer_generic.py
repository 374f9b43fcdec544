"""The generic importer on a plan no specific importer knows (tests/data)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import SOURCES
from indsatsgraf.importers import danish, registry
from indsatsgraf.importers.generic import IMPORTER
from indsatsgraf.importers.text import from_string, read_source

NEW_PLAN = Path(__file__).parent / "data" / "kff-indsatsplan-2025-2028.txt"


def parsed():
    return IMPORTER.parse(read_source(NEW_PLAN))


def test_the_new_plan_is_taken_by_the_generic_importer() -> None:
    choice = registry.choose(read_source(NEW_PLAN))
    assert choice.importer.name == "generic"


def test_bundled_documents_are_not_taken_by_the_generic_importer() -> None:
    for path in SOURCES.glob("*.txt"):
        assert registry.choose(read_source(path)).importer.name != "generic", path.name


def test_goals_from_numbered_headings() -> None:
    goals = {g.key: g for g in parsed().goals}
    assert sorted(goals) == ["1", "1.1", "1.2", "2", "2.1"]
    assert goals["1.1"].label == "Adgang til idræt og bevægelse"
    assert goals["1.1"].parent == "1"
    assert goals["2.1"].parent == "2"


def test_initiatives_from_bullets_table_rows_and_numbered_headings() -> None:
    items = {i.label: i for i in parsed().initiatives}
    assert sorted(items) == [
        "Biblioteker med lydbøger",
        "Foreningspulje for handicapidræt",
        "Inkluderende svømmeundervisning",
        "Museumsbesøg med tegnsprog",
        "Tilgængelige idrætsfaciliteter",
    ]
    swim = items["Inkluderende svømmeundervisning"]
    assert swim.goals == ["1.1"]
    assert swim.responsible == ["KFF, BUF"]
    assert (swim.start_year, swim.end_year) == (2025, 2027)
    assert [(a.value, a.year) for a in swim.amounts] == [(Decimal(1200000), 2025)]
    museum = items["Museumsbesøg med tegnsprog"]
    assert museum.goals == ["1.2"] and museum.responsible == ["KFF, SOF"]
    pool = items["Foreningspulje for handicapidræt"]
    assert pool.notation == "2.1.1" and pool.goals == ["2.1"]
    assert pool.responsible == ["Kultur- og Fritidsforvaltningen", "Socialforvaltningen"]
    assert (pool.start_year, pool.end_year) == (2025, 2028)
    assert [a.value for a in pool.amounts] == [Decimal(500000)]


def test_budget_items_with_code_and_year() -> None:
    (item,) = parsed().budget_items
    assert (item.code, item.budget_year, item.label) == (
        "KF12",
        2025,
        "Foreningspulje for handicapidræt (KFF)",
    )
    assert item.responsible == ["KFF"]


def test_text_without_structure_is_not_claimed() -> None:
    assert IMPORTER.recognise(from_string("Et brev.\nMed venlig hilsen\n")) == 0.0


def test_danish_numbers_and_amounts() -> None:
    assert danish.number("1.000") == 1000
    assert danish.number("95,9") == Decimal("95.9")
    assert danish.number("1.5") == Decimal("1.5")
    found = danish.amounts("12,0 mio. kr. i 2014 og 7,0 mio. kr. i 2015 samt 900.000 kr.")
    assert [(a.value, a.year) for a in found] == [(12000000, 2014), (7000000, 2015), (900000, None)]
    assert danish.period("1. april 2023 – 31. marts 2026")[1:] == (2023, 2026)
    assert danish.period("2018-22")[1:] == (2018, 2022)
