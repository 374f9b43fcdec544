"""From source files to a new store generation, all or nothing.

Every file is read and imported before anything is written, so one bad file
stops the build with the store untouched, and the report lists the good files
separately from the bad ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ..importers import registry
from ..importers.records import ImportResult
from ..importers.text import MAX_BYTES, UnreadableSource, parse_bytes, read_limited
from . import link_decisions, linking
from .builder import BuildReport, SourceFile, build_document
from .organisations import Registry, registry_path
from .store import GraphStore
from .vocabulary import ONTOLOGY_GRAPH, ORGANISATIONS_GRAPH, slug

Progress = Callable[[str], None]


@dataclass
class Imported:
    path: Path
    source: SourceFile
    result: ImportResult
    confidence: float


@dataclass
class BuildError(Exception):
    """Some files could not be imported; nothing was written."""

    failures: list[tuple[Path, str]]
    imported: list[Imported] = field(default_factory=list)

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
    """Read and import one file; raise UnreadableSource/UnknownLayout with a reason."""
    data = read_limited(path, max_bytes)
    text = parse_bytes(data)
    if importer_name:
        importer, confidence = registry.by_name(importer_name), 1.0
    else:
        choice = registry.choose(text)
        importer, confidence = choice.importer, choice.confidence
    result = importer.parse(text)
    if not (result.goals or result.initiatives or result.indicators or result.budget_items):
        raise UnreadableSource(f"the {importer.name} importer found nothing in it")
    source = SourceFile(slug(path.stem), path.name, hashlib.sha256(data).hexdigest())
    return Imported(path, source, result, confidence)


def import_all(
    paths: list[Path],
    importer_name: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
) -> list[Imported]:
    """Import every file or raise BuildError naming each one that failed."""
    imported: list[Imported] = []
    failures: list[tuple[Path, str]] = []
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
        imported.append(item)
    if failures:
        raise BuildError(failures, imported)
    return imported


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


def build(
    store: GraphStore,
    paths: list[Path] | None = None,
    *,
    importer_name: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    decisions: Path | None = None,
    link: bool = True,
) -> BuildSummary:
    """Import ``paths`` (default: the bundled documents) and replace the store's graph.

    ``decisions`` is the link-decisions file (default: :func:`.link_decisions.decisions_path`).
    ``link=False`` leaves out the cross-document links (the benchmarks measure the
    rest of the build at archive scale, where linking every pair is too slow).
    """
    files = collect(paths) if paths else bundled_sources()
    imported = import_all(files, importer_name, progress, max_bytes)
    orgs = Registry.load(registry_path())
    report = BuildReport()
    quads = vocabulary_quads()
    documents = []
    for item in imported:
        if progress:
            progress(f"building {item.path.name}")
        document_quads = build_document(item.result, item.source, orgs, report)
        quads.extend(document_quads)
        r = item.result
        documents.append(
            DocumentSummary(
                item.path.name,
                r.importer,
                item.confidence,
                len(r.goals),
                len(r.initiatives),
                len(r.indicators),
                len(r.budget_items),
                len(document_quads),
            )
        )
    links: list[linking.Link] = []
    if link:
        if progress:
            progress("linking the documents")
        link_quads, links = linking.link_quads(
            [(item.source, item.result) for item in imported], orgs, link_decisions.load(decisions)
        )
        quads.extend(link_quads)
    if progress:
        progress(f"writing {len(quads)} triples to {store.path}")
    total = store.replace(quads)
    accepted = sum(link.status == "accepted" for link in links)
    candidates = sum(link.status == "candidate" for link in links)
    return BuildSummary(documents, total, report, accepted, candidates)
