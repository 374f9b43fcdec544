"""From source files to a new store generation, all or nothing.

A build adds documents to the graph or replaces those already in it (the same
document is the same slug of the file name), and keeps every other document:
re-importing one document must replace only its graph. Each generation keeps
the documents it was built from (:mod:`.documents`), so a build imports the
kept ones again from the store's own copies, together with the new files, and
links them all: the links are computed over every document's importer records,
which the graph alone does not hold. ``fresh`` builds from the given files only.

The build streams: each document is imported, built into N-Quads and handed to
the store in batches, which it indexes on a background thread while the next
documents are read. Nothing becomes visible until every file has been read: one
bad file, however late, deletes the half-written generation and leaves the
store's current graph untouched, and the report lists the good files separately
from every bad one. Only the batches in flight (and, when linking, the
importers' records) are held in memory, never the whole graph.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ..errors import IndsatsgrafError
from ..files import reason
from ..importers import registry
from ..importers.facts import FactCount, fact_counts
from ..importers.readers import read_document
from ..importers.records import ImportResult
from ..importers.text import MAX_BYTES, UnreadableSource
from . import answer_process, answers, documents, index_process, link_decisions, linking
from .builder import BuildReport, SourceFile, build_document
from .documents import Document, DocumentError
from .organisations import Registry, registry_path
from .store import GraphStore, StoreError, load, unwritable
from .vocabulary import ONTOLOGY_GRAPH, ORGANISATIONS_GRAPH, data_iri_value, slug

Progress = Callable[[str], None]
BATCH_QUADS = 100_000
MAX_BATCH_QUADS = 800_000
"""Quads per bulk load. The first batch is small, so that the store starts indexing
early; each next one is twice as big, up to MAX_BATCH_QUADS, because RocksDB merges
every load into the data loaded before it, and fewer loads mean less merging. The
batches in flight stay within a few hundred MiB."""

ADDED, REPLACED, KEPT = "added", "replaced", "kept"
PROSE_IMPORTERS = ("generic", "committee-case")  # their facts are read from prose, with confidence


@dataclass
class Imported:
    path: Path
    source: SourceFile
    result: ImportResult
    confidence: float


@dataclass(frozen=True)
class Wanted:
    """One document a build imports: where to read it, how, and what it does to the graph.

    ``change`` is ADDED, REPLACED (a document of the same slug was in the graph)
    or KEPT (read again from the store's copy, with the importer recorded for it
    when that was forced, and its original path and time kept).
    """

    path: Path
    importer: str | None
    change: str
    original_path: str
    built_at: str


@dataclass
class BuildError(IndsatsgrafError):
    """Some files could not be imported; the store's current graph is unchanged."""

    failures: list[tuple[Path, str]]
    imported: list[Path] = field(default_factory=list)  # the files that were read fine
    remedies: list[str] = field(default_factory=list)  # the failures' remedy keys (errors.py)

    def __str__(self) -> str:
        lines = [f"{path}: {problem}" for path, problem in self.failures]
        return "\n".join(lines)


@dataclass
class BuildSummary:
    documents: list[Document]
    triples: int
    report: BuildReport
    links: int = 0  # accepted cross-document correspondences
    candidate_links: int = 0  # correspondences awaiting a person's decision
    changes: dict[str, list[str]] = field(default_factory=dict)
    """File names by change: ADDED, REPLACED, KEPT, and "removed" for :func:`remove`."""
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Entries of the folders given that are not files, each with why it was not read."""
    decision_problems: list[str] = field(default_factory=list)
    """Lines of the link-decisions files that were left out, as ``FILE:LINE: problem``."""
    facts: dict[str, list[FactCount]] = field(default_factory=dict)
    """File name → its facts by kind with their mean confidence, for the documents read
    from prose (the generic and committee-case importers), whose facts are guesses."""


def ontology_dir() -> Path:
    return Path(str(resources.files("indsatsgraf") / "ontology"))


def bundled_sources() -> list[Path]:
    """The five documents shipped with the package."""
    folder = Path(str(resources.files("indsatsgraf") / "data" / "sources"))
    return sorted(folder.glob("*.txt"))


def collect(paths: Iterable[Path]) -> list[Path]:
    """Expand directories (their files, sorted); a path that is no readable file is a failure."""
    return collect_sources(paths)[0]


def collect_sources(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to read, and what was skipped in the folders given (each with why).

    Every path the user named must be a file or a folder: anything else is a
    failure named for what it is. In a folder, hidden files are passed over in
    silence; subfolders, dangling links, pipes and devices are skipped with a
    word. Nothing is ever opened here, so a named pipe cannot block the build.
    """
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    failures: list[tuple[Path, str]] = []
    for path in paths:
        kind = source_kind(path)
        if kind == "folder":
            try:
                entries = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            except OSError as error:
                failures.append((path, f"cannot list this folder ({reason(error)})"))
                continue
            for entry in entries:
                entry_kind = source_kind(entry)
                if entry_kind == "file":
                    files.append(entry)
                elif entry_kind == "folder":
                    skipped.append(
                        (entry, "a subfolder (only the files directly in a folder are read)")
                    )
                else:
                    skipped.append((entry, entry_kind))
        elif kind == "file":
            files.append(path)
        else:
            failures.append((path, kind))
    if failures:
        raise BuildError(failures)
    if not files:
        raise BuildError([(Path(p), "contains no files") for p in paths])
    return files, skipped


def source_kind(path: Path) -> str:
    """ "file", "folder", or why ``path`` cannot be read as a source (without opening it)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link that leads in a loop"
        if error.errno == errno.ENOENT and path.is_symlink():
            return f"a symbolic link to {os.readlink(path)}, which does not exist"
        if error.errno == errno.ENOENT:
            return "no such file or directory"
        return f"cannot be read ({reason(error)})"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file; save what it gives to a file and build that"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def import_file(
    path: Path,
    importer_name: str | None = None,
    max_bytes: int = MAX_BYTES,
    copy_to: Path | None = None,
) -> Imported:
    """Read and import one file in any supported format; raise UnreadableSource/UnknownLayout.

    A document is accepted when its importer found anything at all in it: a
    committee case or a news page may hold only a title, dates, departments
    and amounts, and those are worth having in the graph. ``copy_to`` (a
    folder) receives the very bytes that were imported, so the copy a store
    keeps always matches the checksum recorded for it.
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
    if copy_to is not None:
        try:
            copy_to.mkdir(parents=True, exist_ok=True)
            (copy_to / path.name).write_bytes(data)
        except OSError as error:  # the store's disk, not the source, is at fault
            raise unwritable(copy_to.parents[2], error) from None  # STORE/generations/N/sources
    source = SourceFile(slug(path.stem), path.name, hashlib.sha256(data).hexdigest())
    return Imported(path, source, result, confidence)


def import_each(
    paths: list[Path],
    importer_name: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Imported]:
    """Import the files one at a time; at the end raise BuildError naming each that failed."""
    wanted = [Wanted(path, importer_name, ADDED, str(path), "") for path in paths]
    for _, item in _import_wanted(wanted, progress, max_bytes, None):
        yield item


def _import_wanted(
    wanted: list[Wanted], progress: Progress | None, max_bytes: int, copy_to: Path | None
) -> Iterator[tuple[Wanted, Imported]]:
    """Import each wanted document; at the end raise BuildError naming each that failed.

    After the first failure the remaining files are still read, so that the
    report names every bad one, but no more are yielded: the build is lost anyway.
    """
    failures: list[tuple[Path, str]] = []
    remedies: set[str] = set()
    good: list[Path] = []
    seen: dict[str, Path] = {}
    for want in wanted:
        path = want.path
        if progress:
            progress(f"reading {path.name}")
        try:
            item = import_file(path, want.importer, max_bytes, copy_to)
        except StoreError:
            raise
        except (UnreadableSource, registry.UnknownLayout) as error:
            failures.append((path, _problem(want, str(error))))
            remedies.update(filter(None, [getattr(error, "remedy", None)]))
            continue
        except OSError as error:
            failures.append((path, _problem(want, f"cannot read it ({reason(error)})")))
            continue
        except Exception as error:  # an importer bug must not cost the user the store
            problem = f"the importer failed on this file ({error!r}); please report it"
            failures.append((path, _problem(want, problem)))
            continue
        if item.source.slug in seen:
            failures.append((path, f"has the same name as {seen[item.source.slug]}"))
            continue
        seen[item.source.slug] = path
        if want.change != KEPT:  # the report names the files the user gave
            good.append(path)
        if not failures:
            yield want, item
    if failures:
        raise BuildError(failures, good, sorted(remedies))


def _problem(want: Wanted, problem: str) -> str:
    """A kept document that fails is the store's copy: say which, and how to drop it."""
    if want.change != KEPT:
        return problem
    return (
        f"{problem} (the graph's copy of {want.original_path}; "
        f"removing {want.path.name} from the graph takes it out)"
    )


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
    """What one build learns while it streams, for its summary and manifest."""

    orgs: Registry
    report: BuildReport = field(default_factory=BuildReport)
    documents: list[Document] = field(default_factory=list)
    links: list[linking.Link] = field(default_factory=list)
    facts: dict[str, list[FactCount]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Options:
    progress: Progress | None
    max_bytes: int
    decisions: Path | None
    link: bool
    compact: bool
    stored: Sequence[answers.StorableQuery] = ()


def build(
    store: GraphStore,
    paths: list[Path] | None = None,
    *,
    fresh: bool = False,
    importer_name: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    decisions: Path | None = None,
    link: bool = True,
    compact: bool = False,
    stored: Sequence[answers.StorableQuery] = (),
) -> BuildSummary:
    """Add ``paths`` to the store's graph, replacing documents of the same slug; keep the rest.

    Without ``paths`` a store that holds documents rebuilds them (applying new
    link decisions, importers or ontology), and an empty store is built from the
    bundled documents. ``fresh`` ignores the documents in the store: the graph
    is built from ``paths`` alone (the bundled documents when there are none).
    ``importer_name`` forces an importer on ``paths``; each kept document is
    imported as it was before.

    ``decisions`` is the link-decisions file (default: :func:`.link_decisions.decisions_path`).
    ``link=False`` leaves out the cross-document links (the benchmarks build ×1000
    without them and time linking on its own, so the build rate stays comparable).
    ``compact=True`` compacts the store's indexes before the new graph goes live
    (:meth:`.store.GenerationWriter.finish`): slower builds, faster queries.
    ``stored`` are the saved queries whose answers are kept with the generation
    (:mod:`.answers`); the caller names them, because graph/ knows no catalog.
    """
    # a missing path fails before the store is locked
    files, skipped = collect_sources(paths) if paths else (None, [])
    options = _Options(progress, max_bytes, decisions, link, compact, tuple(stored))
    with store.new_generation() as target:
        held = [] if fresh or not store.exists() else documents.documents(store)
        if files is None and not held:
            files = bundled_sources()
        elif files is None and importer_name:
            raise DocumentError(
                "an importer is forced only on the files given; name them (the documents "
                "kept in the graph are imported as they were before)"
            )
        new_slugs = {slug(path.stem) for path in files or []}
        now = datetime.now(UTC).isoformat(timespec="seconds")
        wanted = [
            Wanted(path, importer_name, _change(path, held), str(path.resolve()), now)
            for path in files or []
        ]
        wanted += [_kept(store, document) for document in held if document.slug not in new_slugs]
        summary = _build_into(target, wanted, options)
        summary.skipped = skipped
        return summary


def remove(
    store: GraphStore,
    name: str,
    *,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    decisions: Path | None = None,
    compact: bool = False,
    stored: Sequence[answers.StorableQuery] = (),
) -> BuildSummary:
    """Take the document ``name`` (file name or slug) out of the graph and link the rest anew.

    The last document is not removed: a graph of none would look like an empty
    store, which the readers fill with the bundled documents; start over with
    ``build(store, paths, fresh=True)`` instead.
    """
    options = _Options(progress, max_bytes, decisions, True, compact, tuple(stored))
    with store.new_generation() as target:
        held = documents.documents(store)
        gone = documents.find(held, name)
        if len(held) == 1:
            raise DocumentError(
                f"{gone.file_name} is the only document in the graph; build another one "
                f"first, or start over",
                remedy="fresh",
            )
        wanted = [_kept(store, document) for document in held if document != gone]
        summary = _build_into(target, wanted, options)
        summary.changes["removed"] = [gone.file_name]
        return summary


def _change(path: Path, held: list[Document]) -> str:
    return REPLACED if any(d.slug == slug(path.stem) for d in held) else ADDED


def _kept(store: GraphStore, document: Document) -> Wanted:
    """Read ``document`` again from the current generation's copy, as it was imported."""
    return Wanted(
        documents.source_copy(store.current.resolve(), document),
        document.importer if document.forced else None,
        KEPT,
        document.original_path,
        document.built_at,
    )


def _build_into(target: Path, wanted: list[Wanted], options: _Options) -> BuildSummary:
    """Import, build and link ``wanted`` into generation ``target`` with its manifest.

    The documents are built in file-name order, so adding documents one at a
    time gives the same graph as building them all at once.
    """
    wanted = sorted(wanted, key=lambda want: want.path.name)
    run = _Run(Registry.load(registry_path()))
    problems: list[str] = []
    decided = link_decisions.load(options.decisions, problems) if options.link else None
    imported = _import_wanted(
        wanted, options.progress, options.max_bytes, target / documents.SOURCES
    )
    batches = _batches(run, imported, options.progress, decided)
    total = load(target, batches, options.compact, options.progress)
    _serve(target, options)
    documents.write(target, run.documents)
    accepted = sum(link.status == "accepted" for link in run.links)
    candidates = sum(link.status == "candidate" for link in run.links)
    changes: dict[str, list[str]] = {ADDED: [], REPLACED: [], KEPT: []}
    for want in wanted:
        changes[want.change].append(want.path.name)
    summary = BuildSummary(
        run.documents, total, run.report, accepted, candidates, changes, facts=run.facts
    )
    summary.decision_problems = problems
    return summary


def _serve(target: Path, options: _Options) -> None:
    """Store the answers and write the search index of the finished generation ``target``.

    Both only read the generation, so the index is written by another process
    meanwhile (:mod:`.index_process`), which then stores answers too, taking
    turns with this one (:mod:`.answer_process`); a failure of either stops
    the other and fails the build.
    """
    indexing = index_process.IndexProcess(target, options.stored)
    try:
        answer_process.compute(target, options.stored, indexing, options.progress)
        if options.progress:
            options.progress("indexing the texts for search")
        indexing.wait()
    finally:
        indexing.stop()


def _batches(
    run: _Run,
    imported: Iterable[tuple[Wanted, Imported]],
    progress: Progress | None,
    decisions: dict[tuple[str, str], link_decisions.Decision] | None,
) -> Iterator[bytes]:
    """The whole dataset as N-Quads batches: vocabulary, each document's graph, and the
    links (unless ``decisions`` is None: no linking)."""
    yield ox.serialize(vocabulary_quads(), format=ox.RdfFormat.N_QUADS)
    records: list[tuple[SourceFile, ImportResult]] = []
    batch: list[bytes] = []  # each document's N-Quads, encoded at once to hold less
    quads, size = 0, BATCH_QUADS
    for want, item in imported:
        if progress:
            progress(f"building {item.path.name}")
        lines = build_document(item.result, item.source, run.orgs, run.report)
        batch.append("".join(lines).encode())
        quads += len(lines)
        run.documents.append(_document(want, item, len(lines)))
        if item.result.importer in PROSE_IMPORTERS:
            run.facts[item.source.file_name] = fact_counts(item.result)
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


def _document(want: Wanted, item: Imported, triples: int) -> Document:
    r = item.result
    return Document(
        file_name=item.source.file_name,
        slug=item.source.slug,
        importer=r.importer,
        forced=want.importer is not None,
        confidence=item.confidence,
        goals=len(r.goals),
        initiatives=len(r.initiatives),
        indicators=len(r.indicators),
        budget_items=len(r.budget_items),
        triples=triples,
        sha256=item.source.sha256,
        built_at=want.built_at,
        original_path=want.original_path,
    )


# -- what a build would do, before it does it ------------------------------------------


@dataclass(frozen=True)
class PreviewLink:
    """One link the build would make between a new document and the graph (or within it)."""

    source: str
    source_label: str
    relation: str  # the property's local name, or "correspondsTo (candidate)"
    target: str
    target_label: str


@dataclass
class Preview:
    """What ``build`` of some files would add, and the links it would make, nothing written."""

    summary: BuildSummary  # the new documents only; ``triples`` counts their quads
    links: list[PreviewLink]


def preview(
    store: GraphStore,
    paths: list[Path],
    *,
    importer_name: str | None = None,
    max_bytes: int = MAX_BYTES,
    decisions: Path | None = None,
) -> Preview:
    """Import, build and link ``paths`` with the documents in the store, writing nothing.

    The documents the store holds are read from its copies as a build would
    read them, so the links are those the build would make; only the ones that
    touch a new document are returned. A file that cannot be imported raises
    :class:`BuildError` exactly as the build would.
    """
    import tempfile

    files = collect(paths)
    held = documents.documents(store) if store.exists() else []
    new_slugs = {slug(path.stem) for path in files}
    wanted = [Wanted(path, importer_name, _change(path, held), str(path), "") for path in files]
    wanted += [_kept(store, document) for document in held if document.slug not in new_slugs]
    run = _Run(Registry.load(registry_path()))
    records: list[tuple[SourceFile, ImportResult]] = []
    labels: dict[str, str] = {}
    triples = 0
    changes: dict[str, list[str]] = {ADDED: [], REPLACED: []}
    with tempfile.TemporaryDirectory() as scratch:
        for want, item in _import_wanted(
            sorted(wanted, key=lambda w: w.path.name), None, max_bytes, Path(scratch)
        ):
            # What the kept documents report, the build has reported before: only the new ones'.
            report = BuildReport() if want.change == KEPT else run.report
            lines = build_document(item.result, item.source, run.orgs, report)
            records.append((item.source, item.result))
            labels.update(_labels(lines))
            if want.change == KEPT:
                continue
            triples += len(lines)
            changes[want.change].append(want.path.name)
            run.documents.append(_document(want, item, len(lines)))
            if item.result.importer in PROSE_IMPORTERS:
                run.facts[item.source.file_name] = fact_counts(item.result)
    link_quads, links = linking.link_quads(records, run.orgs, link_decisions.load(decisions))
    new = tuple(documents_prefix(s) for s in new_slugs)
    found = [
        PreviewLink(
            q.subject.value,
            labels.get(q.subject.value, ""),
            q.predicate.value.rsplit("#", 1)[-1],
            q.object.value,
            labels.get(q.object.value, ""),
        )
        for q in link_quads
        if isinstance(q.object, ox.NamedNode)
        and (q.subject.value.startswith(new) or q.object.value.startswith(new))
        and q.predicate.value.rsplit("#", 1)[-1] in PREVIEWED
    ]
    found += [
        PreviewLink(
            link.source,
            labels.get(link.source, ""),
            f"correspondsTo ({link.status})",
            link.target,
            labels.get(link.target, ""),
        )
        for link in links
        if link.status != "rejected"
        and (link.source.startswith(new) or link.target.startswith(new))
    ]
    summary = BuildSummary(run.documents, triples, run.report, changes=changes, facts=run.facts)
    summary.links = sum(link.status == "accepted" for link in links)
    summary.candidate_links = sum(link.status == "candidate" for link in links)
    return Preview(summary, found)


PREVIEWED = ("mentionOf", "crossReference", "fundedBy", "supports", "contributesTo", "resolvesTo")
"""The explicit links a preview shows; the correspondences are shown from the links' own list."""


def documents_prefix(document_slug: str) -> str:
    """Every IRI of a document's own things begins with this."""
    return data_iri_value(document_slug, "")


def _labels(lines: list[str]) -> dict[str, str]:
    """IRI → Danish label (rdfs:label) among a document's N-Quads, to name what a link joins."""
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    found: dict[str, str] = {}
    for quad in ox.parse(
        "".join(line for line in lines if label in line), format=ox.RdfFormat.N_QUADS
    ):
        found.setdefault(quad.subject.value, quad.object.value)
    return found
