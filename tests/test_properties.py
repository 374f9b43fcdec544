"""Property-based tests: importers on arbitrary and mangled text, builds from any subset."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SOURCES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from indsatsgraf.graph.pipeline import build
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.importers import registry
from indsatsgraf.importers.text import from_string

DOCUMENTS = sorted(SOURCES.glob("*.txt"))
REAL_LINES = [line for path in DOCUMENTS for line in path.read_text(encoding="utf-8").split("\n")]
IMPORTERS = registry.importers()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Arbitrary text, and text stitched from real lines (which reaches far deeper
# into the layout rules than random characters do).
arbitrary_text = st.text(max_size=2000)
real_line = st.sampled_from(REAL_LINES)
stitched_text = st.lists(st.one_of(real_line, st.text(max_size=80)), max_size=300).map("\n".join)


def records(result):
    return result.goals + result.initiatives + result.indicators + result.budget_items


def check_spans(source, result) -> None:
    for record in records(result):
        span = record.span
        assert 1 <= span.first <= span.last <= len(source.lines), record
        assert span.quote == "\n".join(source.lines[span.first - 1 : span.last])


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda i: i.name)
@SETTINGS
@given(text=st.one_of(arbitrary_text, stitched_text))
def test_importers_never_raise_and_spans_quote_their_lines(importer, text: str) -> None:
    source = from_string(text)
    assert 0.0 <= importer.recognise(source) <= 1.0
    check_spans(source, importer.parse(source))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
@SETTINGS
@given(data=st.data())
def test_mangled_documents_keep_exact_spans(path: Path, data: st.DataObject) -> None:
    """Real documents with lines deleted or repeated at random still give exact spans."""
    lines = path.read_text(encoding="utf-8").split("\n")
    keep = data.draw(st.lists(st.integers(0, len(lines) - 1), min_size=1, max_size=len(lines)))
    source = from_string("\n".join(lines[i] for i in sorted(keep)))
    importer = registry.by_name(registry.choose(from_string("\n".join(lines))).importer.name)
    check_spans(source, importer.parse(source))


def graph_quads(store: ox.Store, graph: str) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    store = GraphStore(tmp_path_factory.mktemp("full"))
    build(store)
    return store.open()


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(subset=st.sets(st.sampled_from(DOCUMENTS), min_size=1))
def test_a_build_from_any_subset_gives_each_document_the_same_graph(
    subset: set[Path], full: ox.Store, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = GraphStore(tmp_path_factory.mktemp("subset"))
    build(store, sorted(subset))
    partial = store.open()
    base = "https://w3id.org/indsatsgraf/graph/"
    graphs = {g.value for g in partial.named_graphs()}
    assert {base + p.stem for p in subset} <= graphs
    for path in subset:
        assert graph_quads(partial, base + path.stem) == graph_quads(full, base + path.stem)
    for path in set(DOCUMENTS) - subset:
        assert base + path.stem not in graphs
