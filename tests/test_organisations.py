"""Resolving organisation mentions against the registry (graph/organisations.py)."""

from __future__ import annotations

import pytest
from indsatsgraf.graph.organisations import Registry

ORG = "https://w3id.org/indsatsgraf/id/org/"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def test_a_hyphenated_coordination_is_one_name(registry: Registry) -> None:
    # bif-indsatsplan-2018-2022.txt line 94: "… sker udelukkende i Job- og beskæftigelsescentrene."
    found = registry.resolve("Job- og beskæftigelsescentrene")
    assert found.unknown == ()
    assert [org.iri for org in found.organisations] == [ORG + "job-og-beskaeftigelsescentrene"]
    assert registry.department_of(found.organisations[0].iri).code == "BIF"


@pytest.mark.parametrize(
    "mention",
    ["Foo- og Barcentret", "Foo- og barcentret", "Foo-og barcentret"],
)
def test_an_unknown_hyphenated_coordination_is_reported_whole(
    registry: Registry, mention: str
) -> None:
    assert registry.resolve(mention).unknown == (mention,)


def test_og_between_two_names_still_separates_them(registry: Registry) -> None:
    found = registry.resolve("Sundheds- og Omsorgsforvaltningen og Foocentret")
    assert [org.code for org in found.organisations] == ["SUF"]
    assert found.unknown == ("Foocentret",)


def test_a_one_word_unit_is_named_only_when_capitalised(registry: Registry) -> None:
    # 2023 plan line 233 "Samarbejde med Borgerservice" names KFF's unit; 2019 status line 657
    # "… levere god borgerservice via en stærk, velfungerende medarbejderstab" names nobody.
    assert [org.iri for org in registry.find("Samarbejde med Borgerservice")] == [
        ORG + "borgerservice"
    ]
    assert registry.find("styrke evnen til at levere god borgerservice") == []


def test_an_old_name_is_read_in_a_text_of_its_own_time(registry: Registry) -> None:
    """Sundhedsforvaltningen was SUF's name until 2005: a 2004 text means SUF by it."""
    (suf,) = registry.find("Sundhedsforvaltningen indstiller", 2004)
    assert suf.code == "SUF"
    (buf,) = registry.find("Uddannelses- og Ungdomsforvaltningens skoler", 2003)
    assert buf.code == "BUF"


def test_an_old_name_in_a_later_text_is_reported_not_guessed(registry: Registry) -> None:
    """The same words in 2020 are another municipality's or a generic word: unknown."""
    assert registry.find("Sundhedsforvaltningen indstiller", 2020) == []
    resolution = registry.resolve("Sundhedsforvaltningen, SOF", 2020)
    assert [o.code for o in resolution.organisations] == ["SOF"]
    assert resolution.unknown == ("Sundhedsforvaltningen",)


def test_a_name_formed_in_2006_is_not_read_before_it(registry: Registry) -> None:
    assert [
        o.code for o in registry.find("Beskæftigelses- og Integrationsforvaltningen", 2010)
    ] == ["BIF"]
    assert registry.find("Beskæftigelses- og Integrationsforvaltningen", 2004) == []


def test_a_name_without_years_is_read_in_any_year(registry: Registry) -> None:
    """'Beskæftigelsesforvaltningen' is a short form of unknown years, and a code has none."""
    for year in (None, 1999, 2030):
        assert [o.code for o in registry.find("Beskæftigelsesforvaltningen og SOF", year)] == [
            "BIF",
            "SOF",
        ]


@pytest.mark.parametrize(
    ("committee", "department"),
    [
        ("Socialudvalget", "SOF"),
        ("Sundheds- og Omsorgsudvalget", "SUF"),
        ("Børne- og Ungdomsudvalget", "BUF"),
        ("Beskæftigelses- og Integrationsudvalget", "BIF"),
        ("Kultur- og Fritidsudvalget", "KFF"),
        ("Teknik- og Miljøudvalget", "TMF"),
        ("Økonomiudvalget", "ØKF"),
    ],
)
def test_each_committee_answers_for_its_department(
    registry: Registry, committee: str, department: str
) -> None:
    (body,) = registry.find(f"Sagen behandles i {committee}s møde", 2024)
    assert body.kind == "PoliticalBody"
    answering = registry.answerable_department(body.iri)
    assert answering is not None and answering.code == department


def test_the_council_and_the_disability_council_belong_to_no_department(
    registry: Registry,
) -> None:
    for name in ("Borgerrepræsentationen", "Handicaprådet"):
        (body,) = registry.find(name, 2024)
        assert body.kind == "PoliticalBody"
        assert registry.answerable_department(body.iri) is None
    found = registry.find("vedtaget i BR og drøftet i ØU", 2023)
    assert [o.label for o in found] == ["Borgerrepræsentationen", "Økonomiudvalget"]
