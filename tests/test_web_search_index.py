"""The search index is part of the store generation: built with it, pruned with it.

A build or a removal writes the new generation's index before the generation
goes live, so the web search answers for exactly the graph it shows; a build
that fails leaves the old graph and its index in use.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import SOURCES
from indsatsgraf.graph import index_process, pipeline, search_index
from indsatsgraf.graph.pipeline import BuildError, build, remove
from indsatsgraf.graph.store import GraphStore, StoreWriteError
from indsatsgraf.web.library import Library

SOF_2023 = SOURCES / "sof-indsatsplan-2023-2026.txt"
TVAERGAAENDE = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
TVAERGAAENDE_IDS = "https://w3id.org/indsatsgraf/id/tvaergaaende-indsatsplan-2015/"


def _indexed_iris(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {iri for (iri,) in db.execute("SELECT iri FROM things")}


def _labels(library: Library, text: str) -> list[str]:
    return [hit.label for hit in library.search(text)]


@pytest.fixture
def two_documents(tmp_path: Path) -> GraphStore:
    store = GraphStore(tmp_path / "store")
    build(store, [SOF_2023, TVAERGAAENDE], fresh=True)
    return store


def test_build_writes_the_index_into_the_new_generation(two_documents):
    generation = two_documents.current.resolve()
    index = search_index.index_path(generation)
    assert index.is_file()
    library = Library(two_documents.path)
    assert library.search_index() == index
    assert not (two_documents.path / "search").exists(), "nothing is built beside the store"
    # Danish forms: a compound found by its first word, aa as å, æ/ø/å as themselves.
    assert any(
        label.startswith("Etablering af nye botilbudspladser")
        for label in _labels(library, "botilbud")
    )
    aarhus = [hit.iri for hit in library.search("Aarhus")]
    assert aarhus and aarhus == [hit.iri for hit in library.search("Århus")]
    assert any(
        label.startswith("Etablering af Familiehus") for label in _labels(library, "familiehus")
    )
    assert any(label.startswith("Pårørendevejleder") for label in _labels(library, "pårørende"))


def test_every_indexed_thing_is_in_the_generations_graph(two_documents):
    store = two_documents.open()
    subjects = {quad.subject.value for quad in store.quads_for_pattern(None, None, None)}
    indexed = _indexed_iris(search_index.index_path(two_documents.current.resolve()))
    assert indexed and indexed <= subjects
    assert any(iri.startswith(TVAERGAAENDE_IDS) for iri in indexed)


def test_remove_gives_an_index_without_the_document_and_prunes_old_indexes(two_documents):
    library = Library(two_documents.path)
    first = two_documents.current.resolve()
    assert _labels(library, "familiehus")
    remove(two_documents, TVAERGAAENDE.name)
    second = two_documents.current.resolve()
    assert second != first
    indexed = _indexed_iris(search_index.index_path(second))
    assert indexed and not any(iri.startswith(TVAERGAAENDE_IDS) for iri in indexed)
    assert library.search_index() == search_index.index_path(second)
    assert not [
        label for label in _labels(library, "familiehus") if label.startswith("Etablering af")
    ], "the removed plan's initiative is no longer found"
    assert any(
        label.startswith("Etablering af nye botilbudspladser")
        for label in _labels(library, "botilbud")
    )
    build(two_documents, [TVAERGAAENDE])  # the third generation: the first is pruned
    assert not first.exists()
    assert _labels(library, "familiehus")


def test_a_failed_build_leaves_the_old_index_in_use(two_documents, tmp_path):
    library = Library(two_documents.path)
    before = library.search_index()
    found = [hit.iri for hit in library.search("familiehus")]
    bad = tmp_path / "tom.txt"
    bad.write_text("", encoding="utf-8")
    with pytest.raises(BuildError):
        build(two_documents, [TVAERGAAENDE, bad], fresh=True)
    assert library.search_index() == before
    assert [hit.iri for hit in library.search("familiehus")] == found


def test_a_failing_index_process_loses_the_build_not_the_graph(two_documents, monkeypatch):
    """The index is written by another process: its failure (here: a directory where the
    index file belongs, so the finished file cannot be renamed into place) fails the
    build with the file-system error it met, and the old graph and its index stay."""
    library = Library(two_documents.path)
    before = two_documents.current.resolve()
    real_load = pipeline.load

    def load_then_block_the_index(target, *arguments):
        total = real_load(target, *arguments)
        (search_index.index_path(target) / "in-the-way").mkdir(parents=True)
        return total

    monkeypatch.setattr(pipeline, "load", load_then_block_the_index)
    with pytest.raises(StoreWriteError, match="its graph, if any, is unchanged"):
        remove(two_documents, TVAERGAAENDE.name)
    assert two_documents.current.resolve() == before
    assert [p.name for p in before.parent.iterdir()] == [before.name]
    assert _labels(library, "familiehus")


def test_a_failure_beside_the_index_process_stops_it_and_loses_the_build(
    two_documents, monkeypatch
):
    """When storing the answers fails while the index is being written, the indexing
    process is ended before the new generation is deleted (nothing of it is left)."""
    library = Library(two_documents.path)
    before = two_documents.current.resolve()

    def broken(target, queries, helper, progress=None):
        raise RuntimeError("the disk filled up while storing answers")

    monkeypatch.setattr(pipeline.answer_process, "compute", broken)
    with pytest.raises(RuntimeError, match="storing answers"):
        remove(two_documents, TVAERGAAENDE.name)
    assert two_documents.current.resolve() == before
    assert [p.name for p in before.parent.iterdir()] == [before.name]
    assert _labels(library, "familiehus")


def test_the_index_is_being_written_while_the_answers_are_stored(tmp_path, monkeypatch):
    """The two jobs that read the finished generation overlap: the indexing process is
    running (started, not yet waited for) when the answers are stored, and the
    generation that goes live holds its complete index."""
    started: list[index_process.IndexProcess] = []
    real_start, real_compute = index_process.IndexProcess.__init__, pipeline.answer_process.compute

    def start(self, generation, queries=()):
        real_start(self, generation, queries)
        started.append(self)

    def compute(target, queries, helper, progress=None):
        assert [indexing.generation for indexing in started] == [target]
        return real_compute(target, queries, helper, progress)

    monkeypatch.setattr(index_process.IndexProcess, "__init__", start)
    monkeypatch.setattr(pipeline.answer_process, "compute", compute)
    store = GraphStore(tmp_path / "store")
    build(store, [TVAERGAAENDE], fresh=True)
    assert len(started) == 1
    assert _indexed_iris(search_index.index_path(store.current.resolve()))


def test_an_index_process_that_fails_says_why(tmp_path):
    """A child that fails with something other than a file-system error (here: the
    generation holds no database) is reported in words, not as a bare exit code."""
    (tmp_path / "not-a-store").mkdir()
    (tmp_path / "not-a-store" / "CURRENT").write_text("garbage\n")
    indexing = index_process.IndexProcess(tmp_path / "not-a-store")
    with pytest.raises(index_process.IndexingError) as raised:
        indexing.wait()
    assert str(raised.value).startswith(f"{tmp_path / 'not-a-store'}: the search index could not")
    assert "CURRENT file corrupted" in str(raised.value)
    assert not search_index.index_path(tmp_path / "not-a-store").exists()


def test_a_generation_from_before_the_index_gets_one_beside_the_store(two_documents):
    search_index.index_path(two_documents.current.resolve()).unlink()
    library = Library(two_documents.path)
    fallback = library.search_index()
    assert fallback.parent == two_documents.path / "search" and fallback.is_file()
    assert _labels(library, "familiehus")


def test_a_full_disk_while_indexing_is_reported_as_the_disk_and_leaves_no_file(
    two_documents, tmp_path, monkeypatch
):
    import errno
    import sqlite3

    def full(store):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(search_index, "_rows", full)
    target = tmp_path / "index" / search_index.FILE_NAME
    with pytest.raises(OSError) as raised:
        search_index.build_index(two_documents.current.resolve(), target)
    assert raised.value.errno == errno.ENOSPC
    assert list(target.parent.iterdir()) == []


def test_an_index_of_an_older_layout_is_rebuilt_beside_the_store(two_documents):
    """A generation built before the index's layout changed keeps its old file; the
    search builds a current one beside the store instead of failing on the old."""
    old = search_index.index_path(two_documents.current.resolve())
    old.unlink()
    with sqlite3.connect(old) as db:  # the first layout: one FTS5 row per thing and text
        db.execute("CREATE VIRTUAL TABLE texts USING fts5(iri UNINDEXED, text, label_terms)")
        db.execute("INSERT INTO texts VALUES ('x', 'Etablering af Familiehus', 'famili')")
    db.close()
    assert not search_index.is_current(old)
    library = Library(two_documents.path)
    assert any(
        label.startswith("Etablering af Familiehus") for label in _labels(library, "familiehus")
    )
    rebuilt = library.search_index()
    assert rebuilt.parent == two_documents.path / "search" and search_index.is_current(rebuilt)


def test_the_index_layout_is_checked_once_per_generation(two_documents, monkeypatch):
    """A live generation's index never changes, so searches do not open it to check it."""
    checked = []
    real = search_index.is_current
    monkeypatch.setattr(search_index, "is_current", lambda path: checked.append(path) or real(path))
    library = Library(two_documents.path)
    first = [hit.iri for hit in library.search("familiehus")]
    assert first and len(checked) == 1
    for _ in range(3):
        assert [hit.iri for hit in library.search("familiehus")] == first
    assert len(checked) == 1
