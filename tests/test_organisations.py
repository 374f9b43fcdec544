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
