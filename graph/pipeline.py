"""From source files to a new store generation, all or nothing.

The build streams: each document is imported, built into N-Quads and handed to
the store in batches, which it indexes on a background thread while the next
documents are read. Nothing becomes visible until every file has been read: one
bad file, however late, deletes the half-written generation and leaves the
store's current graph untouched, and the report lists the good files separately
from every bad one. Only the batches in flight (and, when linking, the
importers' records) are held in memory, never the whole graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ..importers import registry
from ..importers.readers import read_document
from ..importers.records import ImportResult
from ..importers.text import MAX_BYTES, UnreadableSource
from . import link_decisions, linking
from .builder import BuildReport, SourceFile, build_document
from .organisations import Registry, registry_path
from .store import GraphStore
from .vocabulary import ONTOLOGY_GRAPH, ORGANISATIONS_GRAPH, slug

Progress = Callable[[str], None]
BATCH_QUADS = 100_000
MAX_BATCH_QUADS = 800_000
"""Quads per bulk load. The first batch is small, so that the store starts indexing
early; each next one is twice as big, up to MAX_BATCH_QUADS, because RocksDB merges
every load into the data loaded before it, and fewer loads mean less merging. The
batches in flight stay within a few hundred MiB."""


@dataclass
class Imported:
    path: Path
    source: SourceFile
    result: ImportResult
    confidence: float


@dataclass
class BuildError(Exception):
    """Some files could not be imported; the store's current graph is unchanged."""

    failures: list[tuple[Path, str]]
    imported: list[Path] = field(default_factory=list)  # the files that were read fine

    def __str__(self) -> str:
        lines = [f"{path}: {problem}" for path, problem in self.failures]
        return "\n".join(lines)


@dataclass
class DocumentSummary:
    file_name: str
    importer: str
    confidence: float
    goals: int
    initiatives: int
    indicators: int
    budget_items: int
    triples: int


@dataclass
class BuildSummary:
    documents: list[DocumentSummary]
    triples: int
    report: BuildReport
    links: int = 0  # accepted cross-document correspondences
    candidate_links: int = 0  # correspondences awaiting a person's decision


def ontology_dir() -> Path:
    return Path(str(resources.files("indsatsgraf") / "ontology"))


def bundled_sources() -> list[Path]:
    """The five documents shipped with the package."""
    folder = Path(str(resources.files("indsatsgraf") / "data" / "sources"))
    return sorted(folder.glob("*.txt"))


def collect(paths: Iterable[Path]) -> list[Path]:
    """Expand directories (their files, sorted); a missing path is a failure."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append((path, "no such file or directory"))
    if missing:
        raise BuildError(missing)
    if not files:
        raise BuildError([(Path(p), "contains no files") for p in paths])
    return files


def import_file(
    path: Path, importer_name: str | None = None, max_bytes: int = MAX_BYTES
) -> Imported:
    """Read and import one file in any supported format; raise UnreadableSource/UnknownLayout.

    A document is accepted when its importer found anything at all in it: a
    committee case or a news page may hold only a title, dates, departments
    and amounts, and those are worth having in the graph.
    """
    data, text = read_document(path, max_bytes)
    if importer_name:
        importer, confidence = registry.by_name(importer_name), 1.0
    else:
        choice = registry.choose(text)
        importer, confidence = choice.importer, choice.confidence
    result = importer.parse(text)
    if not (
        result.goals
        or result.initiatives
        or result.indicators
        or result.budget_items
        or result.proposals
        or result.mentions
        or result.amounts
    ):
        raise UnreadableSource(
            f"the {importer.name} importer found nothing in it (no goals, initiatives, "
            "amounts, dates, departments or budget codes)"
        )
    source = SourceFile(slug(path.stem), path.name, hashlib.sha256(data).hexdigest())
    return Imported(path, source, result, confidence)


def import_each(
    paths: list[Path],
    importer_name: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Imported]:
    """Import the files one at a time; at the end raise BuildError naming each that failed.

    After the first failure the remaining files are still read, so that the
    report names every bad one, but no more are yielded: the build is lost anyway.
    """
    failures: list[tuple[Path, str]] = []
    good: list[Path] = []
    seen: dict[str, Path] = {}
    for path in paths:
        if progress:
            progress(f"reading {path.name}")
        try:
            item = import_file(path, importer_name, max_bytes)
        except (UnreadableSource, registry.UnknownLayout, OSError) as error:
            failures.append((path, str(error)))
            continue
        except Exception as error:  # an importer bug must not cost the user the store
            failures.append(
                (path, f"the importer failed on this file ({error!r}); please report it")
            )
            continue
        if item.source.slug in seen:
            failures.append((path, f"has the same name as {seen[item.source.slug]}"))
            continue
        seen[item.source.slug] = path
        good.append(path)
        if not failures:
            yield item
    if failures:
        raise BuildError(failures, good)


def import_all(
    paths: list[Path],
    importer_name: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
) -> list[Imported]:
    """Import every file or raise BuildError naming each one that failed."""
    return list(import_each(paths, importer_name, progress, max_bytes))


def vocabulary_quads() -> list[ox.Quad]:
    """The ontology, shapes and organisation registry, each in its named graph."""
    quads = []
    for name, graph in (
        ("indsatsgraf.ttl", ONTOLOGY_GRAPH),
        ("organisations.ttl", ORGANISATIONS_GRAPH),
    ):
        path = ontology_dir() / name
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    return quads


@dataclass
class _Run:
    """What one build learns while it streams, for its summary."""

    orgs: Registry
    report: BuildReport = field(default_factory=BuildReport)
    documents: list[DocumentSummary] = field(default_factory=list)
    links: list[linking.Link] = field(default_factory=list)


def build(
    store: GraphStore,
    paths: list[Path] | None = None,
    *,
    importer_name: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    decisions: Path | None = None,
    link: bool = True,
    compact: bool = False,
) -> BuildSummary:
    """Import ``paths`` (default: the bundled documents) and replace the store's graph.

    ``decisions`` is the link-decisions file (default: :func:`.link_decisions.decisions_path`).
    ``link=False`` leaves out the cross-document links (the benchmarks build ×1000
    without them and time linking on its own, so the build rate stays comparable).
    ``compact=True`` compacts the store's indexes before the new graph goes live
    (:meth:`.store.GenerationWriter.finish`): slower builds, faster queries.
    """
    files = collect(paths) if paths else bundled_sources()
    run = _Run(Registry.load(registry_path()))
    decided = link_decisions.load(decisions) if link else None  # a bad file fails before reading
    imported = import_each(files, importer_name, progress, max_bytes)
    total = store.replace(_batches(run, imported, progress, decided), compact, progress)
    accepted = sum(link.status == "accepted" for link in run.links)
    candidates = sum(link.status == "candidate" for link in run.links)
    return BuildSummary(run.documents, total, run.report, accepted, candidates)


def _batches(
    run: _Run,
    imported: Iterable[Imported],
    progress: Progress | None,
    decisions: dict[tuple[str, str], link_decisions.Decision] | None,
) -> Iterator[bytes]:
    """The whole dataset as N-Quads batches: vocabulary, each document's graph, and the
    links (unless ``decisions`` is None: no linking)."""
    yield ox.serialize(vocabulary_quads(), format=ox.RdfFormat.N_QUADS)
    records: list[tuple[SourceFile, ImportResult]] = []
    batch: list[bytes] = []  # each document's N-Quads, encoded at once to hold less
    quads, size = 0, BATCH_QUADS
    for item in imported:
        if progress:
            progress(f"building {item.path.name}")
        lines = build_document(item.result, item.source, run.orgs, run.report)
        batch.append("".join(lines).encode())
        quads += len(lines)
        run.documents.append(_summary(item, len(lines)))
        if decisions is not None:
            records.append((item.source, item.result))
        if quads >= size:
            yield _written(batch, quads, progress)
            batch, quads, size = [], 0, min(2 * size, MAX_BATCH_QUADS)
    if batch:
        yield _written(batch, quads, progress)
    if decisions is not None:
        if progress:
            progress("linking the documents")
        link_quads, run.links = linking.link_quads(records, run.orgs, decisions)
        if progress:
            progress(f"writing {len(link_quads)} link quads")
        yield ox.serialize(link_quads, format=ox.RdfFormat.N_QUADS)


def _written(batch: list[bytes], quads: int, progress: Progress | None) -> bytes:
    if progress:
        progress(f"writing {quads} quads")
    return b"".join(batch)


def _summary(item: Imported, triples: int) -> DocumentSummary:
    r = item.result
    return DocumentSummary(
        item.path.name,
        r.importer,
        item.confidence,
        len(r.goals),
        len(r.initiatives),
        len(r.indicators),
        len(r.budget_items),
        triples,
    )
