"""Older names of the administrations, read only in texts of the years they were used.

Københavns Kommune moved from magistrate to committee rule on 1 January 1998
and reorganised into seven committees and administrations on 1 January 2006;
the names of 1998-2005 (ontology/organisations.ttl) are read in texts of those
years and reported as unknown in others.
"""

from __future__ import annotations

import pytest
from indsatsgraf.graph.organisations import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Miljø- og Forsyningsforvaltningen", "TMF"),
        ("Sundhedsforvaltningen", "SUF"),
        ("Uddannelses- og Ungdomsforvaltningen", "BUF"),
    ],
)
def test_a_name_of_1998_2005_is_read_in_those_years_only(
    registry: Registry, name: str, code: str
) -> None:
    text = f"{name} indstiller, at udvalget godkender planen."
    for year in (1998, 2001, 2005):
        assert [o.code for o in registry.find(text, year)] == [code], year
    for year in (1997, 2006, 2024):
        assert registry.find(text, year) == [], year
        assert registry.resolve(name, year).unknown == (name,)


def test_the_genitive_of_an_old_name_is_read_too(registry: Registry) -> None:
    found = registry.find("Miljø- og Forsyningsforvaltningens notat af 21. oktober 2005", 2005)
    assert [o.code for o in found] == ["TMF"]


def test_a_present_name_used_before_2006_is_read_in_any_year(registry: Registry) -> None:
    # Kultur- og Fritidsforvaltningen is named in the committee's minutes of 2001.
    for year in (2001, 2010, None):
        assert [o.code for o in registry.find("Kultur- og Fritidsforvaltningen", year)] == ["KFF"]


def test_an_old_name_beside_a_present_one_keeps_both_apart(registry: Registry) -> None:
    resolution = registry.resolve("Miljø- og Forsyningsforvaltningen og Socialforvaltningen", 2003)
    assert [o.code for o in resolution.organisations] == ["TMF", "SOF"]
    assert resolution.unknown == ()
