"""The scale generator writes documents the importers read like the real ones.

benchmarks/generate.py counts what it writes; here every generated document is
handed to the importer registry exactly as a user's file would be, and the
records the chosen importer finds must equal the generator's counts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import scale_generator
from indsatsgraf.graph.pipeline import build, bundled_sources
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.importers import registry
from indsatsgraf.importers.text import read_source

COUNTS = ("goals", "initiatives", "indicators", "budget_items")
generator = scale_generator()


def _found(path: Path) -> tuple[str, dict[str, int], list[str]]:
    source = read_source(path)
    importer = registry.choose(source).importer
    result = importer.parse(source)
    counts = {name: len(getattr(result, name)) for name in COUNTS}
    return importer.name, counts, [initiative.label for initiative in result.initiatives]


@pytest.mark.parametrize(("scale", "seed"), [(1, 1), (1, 7), (1, 2024), (2, 99)])
def test_importers_find_exactly_what_was_generated(tmp_path: Path, scale: int, seed: int) -> None:
    manifest = generator.generate(tmp_path, scale, seed)
    assert len(manifest.documents) == 5 * scale
    assert {entry.layout for entry in manifest.documents} == set(generator.LAYOUTS)
    for entry in manifest.documents:
        importer, counts, _ = _found(tmp_path / "documents" / entry.file)
        assert importer == entry.importer, entry.file
        assert counts == {name: getattr(entry, name) for name in COUNTS}, entry.file


def test_manifest_records_the_counts_per_document(tmp_path: Path) -> None:
    generator.generate(tmp_path, 1, 3)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 3 and manifest["scale"] == 1
    names = sorted(path.name for path in (tmp_path / "documents").iterdir())
    assert names == sorted(entry["file"] for entry in manifest["documents"])
    for name in COUNTS:
        assert manifest["totals"][name] == sum(entry[name] for entry in manifest["documents"])


def test_same_seed_same_bytes_other_seed_other_text(tmp_path: Path) -> None:
    generator.generate(tmp_path / "a", 1, 5)
    generator.generate(tmp_path / "b", 1, 5)
    generator.generate(tmp_path / "c", 1, 6)
    for path in sorted((tmp_path / "a" / "documents").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / "documents" / path.name).read_bytes()
        assert path.read_bytes() != (tmp_path / "c" / "documents" / path.name).read_bytes()


def test_documents_are_about_the_size_of_the_bundled_ones(tmp_path: Path) -> None:
    """×1 is the bundled corpus's size: totals within a quarter, each layout within a factor 3."""
    manifest = generator.generate(tmp_path, 1, 1)
    bundled = {}
    for path in bundled_sources():
        importer, counts, _ = _found(path)
        bundled[importer] = counts
    for name in ("goals", "initiatives"):
        real = sum(counts[name] for counts in bundled.values())
        assert 0.75 * real <= manifest.totals()[name] <= 1.25 * real, name
        for entry in manifest.documents:
            real = bundled[entry.importer][name]
            assert real / 3 <= getattr(entry, name) <= real * 3, (entry.file, name)


def test_initiatives_recur_across_plans_of_different_layouts(tmp_path: Path) -> None:
    generator.generate(tmp_path, 1, 1)
    layouts = defaultdict(set)
    for path in (tmp_path / "documents").iterdir():
        importer, _, labels = _found(path)
        for label in labels:
            layouts[label].add(importer)
    assert sum(1 for found in layouts.values() if len(found) >= 3) >= 3


def test_a_build_of_the_generated_corpus_reports_the_generated_counts(tmp_path: Path) -> None:
    manifest = generator.generate(tmp_path / "corpus", 1, 11)
    files = sorted((tmp_path / "corpus" / "documents").glob("*.txt"))
    summary = build(GraphStore(tmp_path / "store"), files)
    expected = {entry.file: entry for entry in manifest.documents}
    assert len(summary.documents) == len(expected)
    for document in summary.documents:
        entry = expected[document.file_name]
        assert (
            document.goals,
            document.initiatives,
            document.indicators,
            document.budget_items,
        ) == (
            entry.goals,
            entry.initiatives,
            entry.indicators,
            entry.budget_items,
        )
    # Synthetic units are invented: the build reports them instead of guessing.
    unknown = {name for names in summary.report.unknown_organisations.values() for name in names}
    assert unknown & set(generator.INVENTED_UNITS)
