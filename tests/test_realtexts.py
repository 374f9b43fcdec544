"""The importers' recall on the real texts in ../shared/realtexts must not fall.

The texts are not part of the project; CI has them at that path. Without them
this test fails (it does not skip), so a missing folder is never read as a pass.
The floors are the recall measured when the committee case importer was written
(docs/importing.md), minus nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import benchmark_module

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT.parent / "shared" / "realtexts"
FLOORS = {
    "codes": 1.0,
    "amounts": 1.0,
    "departments": 1.0,
    "meeting dates": 1.0,
    "indstilling points": 1.0,
}


def _benchmark():  # noqa: ANN202 - the benchmarks/realtexts.py module
    return benchmark_module("realtexts")


@pytest.fixture(scope="module")
def measured():  # noqa: ANN201
    assert (FOLDER / "SOURCES.md").is_file(), (
        f"the real texts are missing: expected them at {FOLDER}"
    )
    return _benchmark().score(FOLDER)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_recall_does_not_fall(measured, kind: str) -> None:  # noqa: ANN001
    scores, _ = measured
    assert scores[kind].expected > 0
    assert scores[kind].recall >= FLOORS[kind], scores[kind].misses


def test_no_readable_real_text_is_refused(measured) -> None:  # noqa: ANN001
    _, documents = measured
    assert len(documents) == 16
    assert all(title for _, _, _, title in documents)


def test_committee_cases_are_told_apart_from_other_texts(measured) -> None:  # noqa: ANN001
    _, documents = measured
    importers = {name[:2]: importer for name, importer, _, _ in documents}
    assert importers["08"] == "committee-case"
    assert importers["13"] == "generic"  # a news page is no case
