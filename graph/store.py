"""The embedded Oxigraph store, replaced atomically on every build.

Layout of a store directory::

    STORE/
      current -> generations/000007     (a symlink, swapped atomically)
      generations/000006/               (the previous graph, kept for readers)
      generations/000007/               (an Oxigraph database, and beside its files:)
        documents.json                  (the documents it was built from, see .documents)
        sources/FILE                    (a copy of each of them, byte for byte)
        search.sqlite                   (the full-text index of this graph, see search_index)
        complete                        (written last: the generation is whole)
      build.lock                        (held while a build runs)
      indsatsgraf-store                 (the marker: this folder is a store)

A build writes a complete new generation and only then swaps ``current``
with a single ``rename``. A build that fails or is killed leaves ``current``
pointing at the previous, intact graph, and readers never see a half-written
store: they open a generation read-only and nothing writes to it again.

A generation is marked ``complete`` before it goes live, so a leftover of a
killed build (no marker) is never mistaken for a graph: the next build deletes
it, and pruning keeps the newest complete generation before ``current``.

The tool only ever writes into a folder that is its own: a new or empty one
(which gets the marker), one with the marker, or a store made before the marker
existed (nothing but store names at its top). Anything else, say a
user's folder that happens to hold a file called ``current``, is refused
before a byte is written.
"""

from __future__ import annotations

import errno
import fcntl
import os
import queue
import shutil
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import IndsatsgrafError
from ..files import reason

MARKER = "indsatsgraf-store"
COMPLETE = "complete"
LAYOUT = {"current", "generations", "build.lock", MARKER, "current.new"}
"""Every name a store holds at its top level."""


class StoreError(IndsatsgrafError):
    """A store that is missing, locked or damaged; the message says what to do."""


class StoreWriteError(StoreError):
    """The store's folder cannot be written (full disk, permissions); the graph is unchanged."""


def unwritable(path: Path, error: OSError) -> StoreWriteError:
    """The message for an OS error met while writing the store at ``path``."""
    return StoreWriteError(
        f"cannot write the store at {path} ({_reason(error)}); its graph, if any, is unchanged"
    )


def _reason(error: OSError) -> str:
    """The OS error in words; Oxigraph's own errors carry no number, only the C library's text."""
    if error.errno is None:
        for number in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS, errno.EFBIG):
            if os.strerror(number) in str(error):
                return reason(OSError(number, os.strerror(number)))
    return reason(error)


class GraphStore:
    """A store directory holding generations of an Oxigraph database."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def current(self) -> Path:
        return self.path / "current"

    def exists(self) -> bool:
        return self.current.is_symlink() and self.current.resolve().is_dir()

    def open(self) -> ox.Store:
        """Open the current graph read-only (never blocks, never writes)."""
        if not self.exists():
            raise StoreError(f"no graph at {self.path}", remedy="build")
        try:
            return ox.Store.read_only(str(self.current.resolve()))
        except (OSError, RuntimeError) as error:  # RocksDB reports corruption as RuntimeError
            raise StoreError(
                f"the store at {self.path} cannot be opened ({error})", remedy="rebuild"
            ) from error

    def check_writable_layout(self) -> None:
        """Refuse a path that is not, and cannot become, this tool's store.

        Checked before anything is created, so a user's file or folder given by
        mistake is never changed.
        """
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return  # a new store
        except OSError as error:
            raise StoreError(f"cannot use {self.path} as a store ({reason(error)})") from None
        if not stat.S_ISDIR(mode):
            kind = "a file" if stat.S_ISREG(mode) else "not a folder (a device, pipe or socket)"
            raise StoreError(f"the store {self.path} is {kind}, not a folder", remedy="store")
        try:
            names = {p.name for p in self.path.iterdir()}
        except OSError as error:
            raise StoreError(
                f"cannot read the store folder {self.path} ({reason(error)})"
            ) from None
        if names and MARKER not in names and not self._legacy(names):
            listed = ", ".join(sorted(names)[:5]) + (", …" if len(names) > 5 else "")
            raise StoreError(
                f"{self.path} is not an indsatsgraf store (it holds {listed})", remedy="store"
            )
        if "current" in names and not self.current.is_symlink():
            kind = "a folder" if self.current.is_dir() else "a file"
            raise StoreError(
                f"{self.current} is {kind}, not the store's link to its graph; "
                f"move it out of {self.path} (nothing was changed)"
            )

    def _legacy(self, names: set[str]) -> bool:
        """A store made before the marker, or one whose first build has just taken the lock."""
        return names <= LAYOUT

    @contextmanager
    def _build_lock(self) -> Iterator[None]:
        self.check_writable_layout()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = open(self.path / "build.lock", "a+")  # noqa: SIM115 (held below)
        except OSError as error:
            raise unwritable(self.path, error) from None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise StoreError(
                    f"another build is writing {self.path}; wait for it to finish "
                    f"(or remove {self.path / 'build.lock'} if no build is running)"
                ) from error
            try:
                (self.path / MARKER).touch()
            except OSError as error:
                raise unwritable(self.path, error) from None
            yield

    @contextmanager
    def new_generation(self) -> Iterator[Path]:
        """Hold the build lock and give the directory of the next generation to fill.

        The directory does not exist yet. When the block ends normally it becomes
        current with one atomic rename; when it raises, the directory is deleted
        and ``current`` is untouched. The lock is held for the whole block, so a
        build can read the current generation (the documents it keeps) knowing
        that no other build replaces it meanwhile.
        """
        with self._build_lock():
            generations = self.path / "generations"
            try:
                generations.mkdir(exist_ok=True)
                self._remove_leftovers(generations)
            except OSError as error:
                raise unwritable(self.path, error) from None
            numbers = [int(p.name) for p in generations.iterdir() if p.name.isdigit()]
            target = generations / f"{max(numbers, default=0) + 1:06d}"
            try:
                yield target
                (target / COMPLETE).touch()
                link = self.path / "current.new"
                if link.is_symlink():
                    link.unlink()
                link.symlink_to(Path("generations") / target.name)
                os.replace(link, self.current)
            except BaseException as error:
                shutil.rmtree(target, ignore_errors=True)
                if isinstance(error, OSError):  # sources are read (and reported) elsewhere
                    raise unwritable(self.path, error) from None
                raise
            self._prune(generations)

    def _live(self) -> str | None:
        """The name of the current generation, if ``current`` points at one."""
        return self.current.resolve().name if self.exists() else None

    def _remove_leftovers(self, generations: Path) -> None:
        """Delete generations that a killed build left unfinished (the lock says none is running)."""
        live = self._live()
        for path in generations.iterdir():
            unfinished = path.name.isdigit() and not (path / COMPLETE).exists()
            if unfinished and (live is None or int(path.name) > int(live)):
                shutil.rmtree(path, ignore_errors=True)

    def _prune(self, generations: Path) -> None:
        """Keep ``current`` and the newest whole generation before it, for a reader still on it.

        Only whole generations count: a leftover of a killed build never takes
        the place of the previous graph. A store made before generations were
        marked keeps its newest unmarked one instead.
        """
        live = self._live()
        if live is None:
            return
        older = sorted(
            (p for p in generations.iterdir() if p.name.isdigit() and int(p.name) < int(live)),
            reverse=True,
        )
        whole = [p for p in older if (p / COMPLETE).exists()] or older[:1]
        for old in older:
            if old not in whole[:1]:
                shutil.rmtree(old, ignore_errors=True)


def load(
    target: Path,
    batches: Iterable[bytes],
    compact: bool = False,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Write N-Quads ``batches`` into the database of generation ``target``; return its size.

    ``batches`` may be a generator that reads and builds as it goes: the
    store indexes one batch on a background thread while the next is being
    made. ``compact`` merges the files each batch left in the indexes before
    the generation goes live (see ``GenerationWriter.finish``), saying so to
    ``progress``.
    """
    with GenerationWriter(target) as writer:
        for batch in batches:
            writer.write(batch)
        if compact and progress:
            progress("compacting the indexes")
        return writer.finish(compact)


class GenerationWriter:
    """Bulk-loads N-Quads batches into a new generation on a background thread.

    Oxigraph indexes a batch in Rust without holding the GIL, so the build's
    Python work (importing and building the next documents) runs meanwhile
    instead of waiting for one load of everything at the end. One batch waits
    while another loads, so at most two are held in memory at a time.

    The batches are loaded leniently (Oxigraph does not validate each IRI
    again): they come from the builder, which writes every IRI and escapes
    every literal itself (tests/test_build.py parses its output strictly), and
    validating cost about a fifth of the load's time.
    """

    def __init__(self, target: Path) -> None:
        self.store = ox.Store(str(target))
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._load, name="indsatsgraf-writer", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None and not self._cancelled:  # else only drain the queue
                try:
                    self.store.bulk_load(batch, ox.RdfFormat.N_QUADS, lenient=True)
                except BaseException as error:  # reported by write() or finish()
                    self._error = error

    def write(self, batch: bytes) -> None:
        """Queue ``batch``; raise the error of an earlier batch that failed to load."""
        if self._error is not None:
            raise self._error
        self._queue.put(batch)

    def finish(self, compact: bool = False) -> int:
        """Wait for every batch to be loaded, flush, and return the number of quads.

        Each bulk load adds its own sorted files to every index, so a lookup in
        a graph loaded in many batches probes many files. ``compact`` merges
        them once, at the cost of rewriting the indexes: worth it for a large
        archive that is queried often (the README's Benchmarks section has the
        figures); the bundled documents fit in one batch.
        """
        self._stop()
        if self._error is not None:
            raise self._error
        if compact:
            self.store.optimize()
        self.store.flush()
        return len(self.store)

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def __enter__(self) -> GenerationWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        """Never leave the thread writing into a generation that is about to be deleted."""
        self._cancelled = exc_type is not None
        self._stop()
        del self.store
