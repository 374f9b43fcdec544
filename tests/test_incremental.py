"""Documents added, replaced and removed one at a time; every other document's graph kept."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import REPO, SOURCES
from indsatsgraf.cli import main
from indsatsgraf.graph.documents import DocumentError, documents
from indsatsgraf.graph.export import canonical_nquads
from indsatsgraf.graph.pipeline import BuildError, build, remove
from indsatsgraf.graph.store import GraphStore

KFF = REPO / "tests" / "data" / "kff-indsatsplan-2025-2028.txt"
PLAN_2015 = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
BIF = SOURCES / "bif-indsatsplan-2018-2022.txt"
BUNDLED = sorted(SOURCES.glob("*.txt"))
GRAPH = "https://w3id.org/indsatsgraf/graph/"
LINKS = GRAPH + "links"


def graph_of(store: GraphStore, name: str) -> list[str]:
    """The quads of one named graph (a document's slug, or ``links``), sorted."""
    quads = store.open().quads_for_pattern(None, None, None, ox.NamedNode(GRAPH + name))
    return sorted(str(quad) for quad in quads)


def document_graphs(store: GraphStore) -> set[str]:
    names = {g.value.removeprefix(GRAPH) for g in store.open().named_graphs()}
    return names - {"ontology", "organisations", "links"}


def cli(store: GraphStore, *args: str):
    return CliRunner().invoke(main, ["--store", str(store.path), *args])


@pytest.fixture(scope="module")
def bundled_then_kff(tmp_path_factory: pytest.TempPathFactory):
    """The bundled documents' graphs, then the store after `build KFF` was added to them."""
    store = GraphStore(tmp_path_factory.mktemp("incremental") / "store")
    build(store)
    before = {path.stem: graph_of(store, path.stem) for path in BUNDLED}
    summary = build(store, [KFF])
    return store, before, summary


def test_building_one_new_document_keeps_the_bundled_graphs_identical(
    bundled_then_kff, tmp_path: Path
) -> None:
    store, before, summary = bundled_then_kff
    assert document_graphs(store) == {path.stem for path in BUNDLED} | {KFF.stem}
    for name, quads in before.items():
        assert len(quads) > 500
        assert graph_of(store, name) == quads, name
    alone = GraphStore(tmp_path / "alone")
    build(alone, [KFF], fresh=True)
    added = graph_of(store, KFF.stem)
    assert len(added) > 100
    assert added == graph_of(alone, KFF.stem)  # the same graph as when built on its own
    assert summary.changes == {
        "added": [KFF.name],
        "replaced": [],
        "kept": [path.name for path in BUNDLED],
    }


def test_adding_one_at_a_time_gives_the_graph_of_building_all_at_once(
    bundled_then_kff, tmp_path: Path
) -> None:
    store, _, _ = bundled_then_kff
    at_once = GraphStore(tmp_path / "at-once")
    build(at_once, [*BUNDLED, KFF])
    assert canonical_nquads(store.open()) == canonical_nquads(at_once.open())


def test_the_cli_says_what_was_added_and_kept(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    result = cli(store, "build", str(KFF))
    assert result.exit_code == 0, result.output
    assert f"added: {KFF.name}\nkept: {PLAN_2015.name}\n" in result.output
    assert "from 2 documents (1 added, 0 replaced, 1 kept)" in result.output


def test_rebuilding_a_changed_copy_replaces_only_that_document(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    copy = folder / PLAN_2015.name
    shutil.copy(PLAN_2015, copy)
    store = GraphStore(tmp_path / "store")
    build(store, [copy, BIF])
    bif_before, plan_before = graph_of(store, BIF.stem), graph_of(store, PLAN_2015.stem)
    text = PLAN_2015.read_text(encoding="utf-8")
    assert "Styrket veteranindsats" in text
    copy.write_text(text.replace("Styrket veteranindsats", "Styrket indsats for veteraner"))
    summary = build(store, [copy])
    assert summary.changes == {"added": [], "replaced": [copy.name], "kept": [BIF.name]}
    assert graph_of(store, BIF.stem) == bif_before
    plan_after = graph_of(store, PLAN_2015.stem)
    assert plan_after != plan_before
    assert any("Styrket indsats for veteraner" in quad for quad in plan_after)
    assert not any("Styrket veteranindsats" in quad for quad in plan_after)
    listed = {d.file_name: d.sha256 for d in documents(store)}
    assert listed == {
        PLAN_2015.name: hashlib.sha256(copy.read_bytes()).hexdigest(),
        BIF.name: hashlib.sha256(BIF.read_bytes()).hexdigest(),
    }


def test_remove_keeps_the_others_and_the_links_forget_the_document(bundled_then_kff) -> None:
    store, _, _ = bundled_then_kff
    removed_iris = "/id/tvaergaaende-indsatsplan-2015/"
    assert any(removed_iris in quad for quad in graph_of(store, "links"))
    others = {path.stem: graph_of(store, path.stem) for path in BUNDLED if path != PLAN_2015}
    others[KFF.stem] = graph_of(store, KFF.stem)
    summary = remove(store, "tvaergaaende-indsatsplan-2015")  # the slug works as well
    assert summary.changes["removed"] == [PLAN_2015.name]
    assert document_graphs(store) == set(others)
    for name, quads in others.items():
        assert graph_of(store, name) == quads, name
    links = graph_of(store, "links")
    assert links and not any(removed_iris in quad for quad in links)
    assert PLAN_2015.name not in {d.file_name for d in documents(store)}


def test_remove_of_an_unknown_document_lists_the_documents(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015, BIF])
    result = cli(store, "remove", "sof-2023.txt")
    assert result.exit_code == 1
    assert "no document 'sof-2023.txt' in the graph" in result.output
    assert f"{BIF.name}, {PLAN_2015.name}" in result.output
    assert "Traceback" not in result.output


def test_the_last_document_is_not_removed(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [BIF])
    generation = store.current.resolve()
    with pytest.raises(DocumentError, match="only document in the graph"):
        remove(store, BIF.name)
    assert store.current.resolve() == generation
    assert document_graphs(store) == {BIF.stem}


def test_fresh_builds_the_given_document_alone(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store)
    result = cli(store, "build", "--fresh", str(KFF))
    assert result.exit_code == 0, result.output
    assert document_graphs(store) == {KFF.stem}
    assert [d.file_name for d in documents(store)] == [KFF.name]
    assert "from 1 documents (1 added, 0 replaced, 0 kept)" in result.output


def test_build_without_sources_rebuilds_the_documents_held(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    summary = build(store)
    assert document_graphs(store) == {PLAN_2015.stem}
    assert summary.changes == {"added": [], "replaced": [], "kept": [PLAN_2015.name]}


def test_kept_documents_are_read_from_the_store_not_from_where_they_came(tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / PLAN_2015.name
    moved.parent.mkdir()
    shutil.copy(PLAN_2015, moved)
    store = GraphStore(tmp_path / "store")
    build(store, [moved])
    plan = graph_of(store, PLAN_2015.stem)
    moved.unlink()
    build(store, [BIF])
    assert graph_of(store, PLAN_2015.stem) == plan
    assert document_graphs(store) == {PLAN_2015.stem, BIF.stem}


def test_a_forced_importer_is_forced_again_when_the_document_is_kept(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015], importer_name="generic")
    build(store, [BIF])
    importers = {d.file_name: (d.importer, d.forced) for d in documents(store)}
    assert importers == {
        PLAN_2015.name: ("generic", True),
        BIF.name: ("bif-indsatsplan-2018", False),
    }


def test_a_failing_new_file_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015, BIF])
    generation, before = store.current.resolve(), canonical_nquads(store.open())
    listed = documents(store)
    bad = tmp_path / "noise.txt"
    bad.write_text("lorem ipsum\n" * 20)
    with pytest.raises(BuildError, match="noise.txt") as caught:
        build(store, [KFF, bad])
    assert caught.value.imported == [KFF]  # the files given; not the documents kept
    assert store.current.resolve() == generation
    assert canonical_nquads(store.open()) == before
    assert documents(store) == listed
    assert sorted(p.name for p in (store.path / "generations").iterdir()) == [generation.name]


def test_documents_lists_file_importer_confidence_counts_checksum_and_time(
    tmp_path: Path,
) -> None:
    store = GraphStore(tmp_path / "store")
    started = datetime.now(UTC).replace(microsecond=0)
    build(store, [PLAN_2015, KFF])
    result = cli(store, "documents", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["file_name"]: row for row in json.loads(result.output)}
    plan, kff = rows[PLAN_2015.name], rows[KFF.name]
    assert (plan["importer"], plan["confidence"], plan["forced"]) == (
        "tvaergaaende-2015",
        1.0,
        False,
    )
    assert (plan["goals"], plan["initiatives"], plan["indicators"]) == (14, 32, 3)
    assert plan["sha256"] == hashlib.sha256(PLAN_2015.read_bytes()).hexdigest()
    assert plan["original_path"] == str(PLAN_2015.resolve())
    assert kff["importer"] == "generic" and 0 < kff["confidence"] < 1
    assert (kff["initiatives"], kff["budget_items"]) == (5, 1)
    assert kff["triples"] == len(graph_of(store, KFF.stem))
    built_at = datetime.fromisoformat(plan["built_at"])
    assert started <= built_at <= datetime.now(UTC) + timedelta(seconds=1)
    table = cli(store, "documents")
    assert table.exit_code == 0
    assert PLAN_2015.name in table.output and plan["sha256"][:12] in table.output
    assert "2 rows" in table.output


def test_a_kept_document_keeps_the_time_it_was_built(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    first = documents(store)[0].built_at
    manifest = store.current.resolve() / "documents.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["documents"][0]["built_at"] = "2020-01-02T03:04:05+00:00"  # as if built long ago
    manifest.write_text(json.dumps(data), encoding="utf-8")
    build(store, [BIF])
    times = {d.file_name: d.built_at for d in documents(store)}
    assert times[PLAN_2015.name] == "2020-01-02T03:04:05+00:00"
    assert times[BIF.name] >= first


def test_an_importer_without_files_is_refused_on_a_graph_of_documents(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    generation = store.current.resolve()
    result = cli(store, "build", "--importer", "generic")
    assert result.exit_code == 1
    assert "an importer is forced only on the files given" in result.output
    assert "Traceback" not in result.output
    assert store.current.resolve() == generation
