"""The embedded Oxigraph store, replaced atomically on every build.

Layout of a store directory::

    STORE/
      current -> generations/000007     (a symlink, swapped atomically)
      generations/000006/               (the previous graph, kept for readers)
      generations/000007/               (an Oxigraph database, and beside its files:)
        documents.json                  (the documents it was built from, see .documents)
        sources/FILE                    (a copy of each of them, byte for byte)
      build.lock                        (held while a build runs)

A build writes a complete new generation and only then swaps ``current``
with a single ``rename``. A build that fails or is killed leaves ``current``
pointing at the previous, intact graph, and readers never see a half-written
store: they open a generation read-only and nothing writes to it again.
"""

from __future__ import annotations

import fcntl
import os
import queue
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import IndsatsgrafError

ENV_VAR = "INDSATSGRAF_STORE"
KEEP_GENERATIONS = 2


class StoreError(IndsatsgrafError):
    """A store that is missing, locked or damaged; the message says what to do."""


def default_location() -> Path:
    """``$INDSATSGRAF_STORE``, else ``$XDG_DATA_HOME/indsatsgraf/store``, else ~/.local/share/…"""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "indsatsgraf" / "store"


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

    @contextmanager
    def _build_lock(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / "build.lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise StoreError(
                    f"another build is writing {self.path}; wait for it to finish "
                    f"(or remove {self.path / 'build.lock'} if no build is running)"
                ) from error
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
            generations.mkdir(exist_ok=True)
            numbers = [int(p.name) for p in generations.iterdir() if p.name.isdigit()]
            target = generations / f"{max(numbers, default=0) + 1:06d}"
            try:
                yield target
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            link = self.path / "current.new"
            if link.is_symlink():
                link.unlink()
            link.symlink_to(Path("generations") / target.name)
            os.replace(link, self.current)
            self._prune(generations)

    def _prune(self, generations: Path) -> None:
        """Keep the newest generations so a reader of the previous one can finish."""
        live = self.current.resolve().name
        numbered = sorted(p for p in generations.iterdir() if p.name.isdigit())
        for old in numbered[:-KEEP_GENERATIONS]:
            if old.name != live:
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
                    self.store.bulk_load(batch, ox.RdfFormat.N_QUADS)
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
