"""The committee case importer on invented cases (tests/data/udvalgssag-*)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from indsatsgraf.graph.pipeline import import_file
from indsatsgraf.importers import registry
from indsatsgraf.importers.committee_case import IMPORTER
from indsatsgraf.importers.text import from_string, read_source

DATA = Path(__file__).parent / "data"
CASE = DATA / "udvalgssag-handicapraad.txt"


def parsed():  # noqa: ANN201
    return IMPORTER.parse(read_source(CASE))


def test_the_case_is_recognised_by_its_skeleton() -> None:
    choice = registry.choose(read_source(CASE))
    assert choice.importer.name == "committee-case" and choice.confidence >= 0.8


def test_case_committee_date_and_number() -> None:
    doc = parsed().document
    assert doc.kind == "committee-case"
    assert doc.title == "Styrket indsats for tilgængelige botilbud 2025-2028 (2025-0112233)"
    assert doc.committee == "Socialudvalget"
    assert doc.meeting_date == date(2025, 3, 12)
    assert doc.case_number == "2025-0112233"
    assert doc.proposer == "Socialforvaltningen"
    assert (doc.start_year, doc.end_year) == (2025, 2028)


def test_each_indstilling_point_is_a_proposal_with_its_line() -> None:
    result = parsed()
    proposals = [p for p in result.proposals if p.kind == "proposal"]
    assert [p.number for p in proposals] == [1, 2, 3]
    assert proposals[1].label.startswith("at Socialudvalget afsætter 3,1 mill. kr. årligt")
    assert proposals[1].span.first == 17
    assert [a.value for a in proposals[2].amounts] == [Decimal(12_000_000)]
    decisions = [p for p in result.proposals if p.kind == "decision"]
    assert [d.label for d in decisions] == ["Indstillingen blev godkendt."]


def test_budget_codes_with_their_years() -> None:
    result = parsed()
    codes = {(b.code, b.budget_year) for b in result.budget_items}
    assert codes == {("SO30a", None), ("HA01", 2026), ("TV02", 2024), ("Ø304", None)}


def test_amounts_in_every_usual_form() -> None:
    values = {(a.value, a.year) for a in parsed().amounts}
    assert (Decimal(3_100_000), None) in values
    assert (Decimal(12_000_000), None) in values
    assert (Decimal(900_000), None) in values
    assert (Decimal(44_200_000), 2026) in values
    assert (Decimal(1_500_000_000), None) in values
    assert (Decimal(-2_500_000), 2025) in values


def test_departments_legal_references_and_indicator() -> None:
    result = parsed()
    departments = {m.text for m in result.mentions if m.kind == "department"}
    assert {
        "Beskæftigelsesforvaltningen",
        "Sundheds- og Omsorgsforvaltningen",
        "Borgercenter Handicap",
        "Socialforvaltningen",
    } <= departments
    laws = {m.text for m in result.mentions if m.kind == "legal-reference"}
    assert laws == {"servicelovens § 108", "lov om social service § 85"}
    (indicator,) = result.indicators
    assert indicator.baseline_year == 2019
    (target,) = indicator.measurements
    assert (target.value, target.unit, target.year) == (Decimal(-10), "percent", 2027)


def test_impossible_amounts_and_reversed_periods_are_warnings_with_their_line() -> None:
    imported = import_file(DATA / "udvalgssag-botilbud.html")
    warnings = {(w.line, w.message.split(":")[0].split(" (")[0]) for w in imported.result.warnings}
    assert any("period runs backwards" in m for _, m in warnings)
    assert any(m.startswith("impossible amount") for _, m in warnings)
    assert all(line > 0 for line, _ in warnings)
    assert all(abs(a.value) < 10**12 for a in imported.result.amounts)


def test_a_text_with_only_a_title_and_amounts_is_imported_not_refused() -> None:
    source = from_string(
        "Nyt om budgettet\n\nUdvalget fik 7,5 millioner til ramper den 3. april 2024.\n"
    )
    choice = registry.choose(source)
    result = choice.importer.parse(source)
    assert choice.importer.name == "generic" and 0 < choice.confidence < 0.5
    assert result.document.title == "Nyt om budgettet"
    assert [a.value for a in result.amounts] == [Decimal(7_500_000)]
    assert [m.value for m in result.mentions if m.kind == "date"] == ["2024-04-03"]


def _case(name: str):  # noqa: ANN202
    source = read_source(DATA / name)
    assert registry.choose(source).importer.name == "committee-case"
    return IMPORTER.parse(source)


def test_the_committee_is_the_one_asked_to_decide_not_one_in_the_history() -> None:
    """The council's decision of 2019 opens a paragraph; the case is still the committee's."""
    result = _case("udvalgssag-skolestart.txt")
    assert result.document.committee == "Børne- og Ungdomsudvalget"
    assert result.document.proposer == "Børne- og Ungdomsforvaltningen"
    assert [p.number for p in result.proposals if p.kind == "proposal"] == [1, 2]


def test_a_committee_that_sends_its_case_on_leaves_it_to_the_council() -> None:
    """ "(Kultur- og Fritidsudvalget)" under the indstilling is the sender; the council decides."""
    result = _case("br-sag-fra-kulturudvalget.txt")
    assert result.document.committee == "Borgerrepræsentationen"
    assert result.document.meeting_date == date(2025, 11, 6)


def test_a_page_of_labelled_fields_is_titled_by_its_body_meeting_and_day() -> None:
    result = _case("raadsmoede-felter.txt")
    assert result.document.title == "Ældrerådet – Dagsorden 02-10-2024"
    assert result.document.span is not None and result.document.span.first == 3
    assert result.document.committee == "Ældrerådet"
    assert result.document.meeting_date == date(2024, 10, 2)
    assert [p.label for p in result.proposals if p.kind == "decision"] == ["Godkendt."]


def test_another_municipalitys_wording_yields_its_facts() -> None:
    """Inline indstilling and decision, currency before the number, "4/5-2024", "mødet i X d. …"."""
    result = _case("sag-anden-kommune.txt")
    doc = result.document
    assert (doc.committee, doc.meeting_date) == ("Social- og Seniorudvalget", date(2023, 5, 4))
    assert doc.proposer == "Forvaltningen"
    assert [(p.kind, p.span.first) for p in result.proposals] == [
        ("proposal", 11),
        ("decision", 17),
    ]
    assert result.proposals[1].label == "Indstillingen blev godkendt."
    assert [a.value for a in result.amounts] == [
        Decimal(2_500_000),
        Decimal(2_500_000),
        Decimal(1_200_000),
    ]
    dates = [m.value for m in result.mentions if m.kind == "date"]
    assert dates == ["2023-05-04", "2022-05-04", "2024-05-04"]
    (code,) = [m for m in result.mentions if m.kind == "budget-code"]
    assert (code.value, code.confidence) == ("SO30a", 0.9)
