"""The web application's one door into the library.

Every page gets its graph, its saved queries, its descriptions of things and its
search results through this module, so the web and the command line answer a
question in the same place. Name resolution (``describe``/``find``) is called
only here, which keeps a change of those functions a change of one file.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from ..errors import IndsatsgrafError
from ..graph import answers, search_index, sparql
from ..graph import describe as describing
from ..graph.documents import SOURCES
from ..graph.names import Names
from ..graph.sparql import QueryResult
from ..graph.store import GraphStore
from ..graph.vocabulary import ID, RDFS
from ..importers.readers import read_document
from ..importers.text import MAX_BYTES
from ..queries.catalog import SavedQuery, parse_query_file, saved_queries
from .gate import step_aside

#: The most rows a saved query returns to a page, a download or the API.
ROW_CAP = 10_000
T = TypeVar("T")
#: Rows of answers kept in memory for the live generation (see Library.remember).
MEMO_ROWS = 200_000
#: Labels kept for the live generation (see Library.labels).
MAX_LABELS = 100_000
#: A label not looked up yet (None: looked up, and there is none).
_UNKNOWN = object()


@cache
def web_query(name: str) -> SavedQuery:
    """One of the web application's own queries (web/queries/NAME.rq)."""
    folder = resources.files("indsatsgraf.web").joinpath("queries")
    return parse_query_file(Path(str(folder.joinpath(f"{name}.rq"))))


@cache
def catalog() -> dict[str, SavedQuery]:
    """The saved queries, read once: they ship with the package and do not change."""
    return saved_queries()


@dataclass(frozen=True)
class Document:
    """A source document as the graph knows it; ``slug`` is its only name in a URL."""

    iri: str
    slug: str
    label: str
    file_name: str
    year: int | None
    kind: str
    counts: dict[str, int]


class StillComputing(Exception):
    """A page's answer took longer than the page waits; it is being finished in the background."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"not computed within {seconds:g} s")
        self.seconds = seconds


class _Flight:
    """One computation under way in :meth:`Library.remember`, which later callers wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: object = None
        self.error: BaseException | None = None

    def result(self) -> object:
        if self.error is not None:
            raise self.error
        return self.value


#: Set in the background threads: what they compute is never cut short again.
_background = threading.local()
#: When the page being answered stops waiting (monotonic clock); see Library._time_left.
_deadline: ContextVar[float | None] = ContextVar("page_deadline", default=None)


class PageClock:
    """ASGI middleware: every request starts its page's time limit afresh.

    The limit is kept in a context variable, and a request's context is copied
    from whatever started it. Under uvicorn that is a clean context, but a caller
    that asked the library something itself first (a test client's thread, an
    embedding application) would hand its expired clock to every request after.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        token = _deadline.set(None)
        try:
            await self.app(scope, receive, send)
        finally:
            _deadline.reset(token)


class Library:
    """The current graph of one store directory, reopened when a build replaces it.

    A generation never changes once it is live, so whatever a page computes
    from it (a query's answer, a network view) stays right until the next
    build: :meth:`remember` keeps such answers for the live generation and
    drops them all when ``current`` moves on.
    """

    def __init__(
        self,
        store_path: Path,
        source_dirs: tuple[Path, ...] = (),
        time_limit: float | None = None,
    ) -> None:
        self.graph_store = GraphStore(store_path)
        #: The link to the live generation, as text: read on every answer a page asks for.
        self._current = str(self.graph_store.current)
        self.source_dirs = source_dirs
        self.time_limit = time_limit
        self._lock = threading.RLock()
        self._opened: tuple[str, ox.Store, Names] | None = None
        self._documents: tuple[str, list[Document]] | None = None
        self._memo: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._memo_generation = ""
        self._memo_rows = 0
        self._flights: dict[tuple[str, Hashable], _Flight] = {}
        self._labels: tuple[str, dict[str, str | None]] = ("", {})

    # -- the graph --------------------------------------------------------------

    def generation(self) -> str:
        """The name of the live generation (changes when a build swaps ``current``)."""
        return os.readlink(self._current)

    def _open(self) -> tuple[str, ox.Store, Names]:
        generation = self.generation()
        opened = self._opened
        if opened is None or opened[0] != generation:
            with self._lock:
                if self._opened is None or self._opened[0] != generation:
                    store = self.graph_store.open()
                    self._opened = (generation, store, Names.of_store(store))
                    self._documents = None
            opened = self._opened
        return opened

    def store(self) -> ox.Store:
        """The live graph, opened read-only; a new generation is opened when it appears."""
        return self._open()[1]

    def remember(
        self,
        key: Hashable,
        compute: Callable[[], T],
        size: Callable[[T], int] = lambda _: 1,
        generation: str | None = None,
        limited: bool = False,
    ) -> T:
        """``compute()`` once per generation for ``key``; callers must not change the result.

        ``size`` (the rows of an answer, say) bounds what is kept: the least
        recently used answers go once MEMO_ROWS is exceeded. ``generation`` is
        the one ``compute`` reads, when the caller opened it already (a build
        may swap ``current`` in between).

        Concurrent callers of one key wait for the first one's answer instead of
        computing it too: twenty visitors opening the same network view at once
        made twenty computations that shared the processor, so each waited
        twenty times as long (seconds at ×1).

        A ``limited`` answer (one over the whole graph, which a large archive
        makes slow) is computed in a background thread of its own: the page
        waits at most the ``time_limit`` and then gets StillComputing, while the
        answer is finished and kept, so a visitor is never held for minutes and
        a later one gets it. Other answers (about one thing) are computed in the
        request's own thread: handing each to another thread and back cost a
        thing page tens of milliseconds under load.
        """
        generation = generation or self.generation()
        with self._lock:
            if self._memo_generation != generation:
                self._memo.clear()
                self._memo_generation, self._memo_rows = generation, 0
            hit = self._memo.get(key)
            if hit is not None:
                self._memo.move_to_end(key)
                return hit[0]  # type: ignore[return-value]
            flight = self._flights.get((generation, key))
            leader = flight is None
            if flight is None:
                flight = self._flights[(generation, key)] = _Flight()
        limit = self._time_left() if limited else None
        if leader:
            task = (key, compute, size, generation, flight)
            if limit is None:
                self._fly(*task)
            else:  # a thread of its own: one waiting in a bounded pool could wait for itself
                threading.Thread(
                    target=self._fly_in_background,
                    args=task,
                    name="indsatsgraf-answer",
                    daemon=True,
                ).start()
        done = flight.done.is_set()  # computed just now in this thread
        if not done:
            with step_aside():  # another thread computes it: this view's place is not needed
                done = flight.done.wait(limit)
        if not done:
            raise StillComputing(self.time_limit or 0)
        return flight.result()  # type: ignore[return-value]

    def _time_left(self) -> float | None:
        """Seconds this page may still wait: the time limit holds for the page's answers
        together (a thing page asks several), counted from its first answer."""
        if self.time_limit is None or getattr(_background, "active", False):
            return None
        deadline = _deadline.get()
        if deadline is None:
            # Each request's view runs in a copy of the context: this stays with the request.
            _deadline.set(time.monotonic() + self.time_limit)
            return self.time_limit
        return max(0.0, deadline - time.monotonic())

    def _fly(
        self,
        key: Hashable,
        compute: Callable[[], T],
        size: Callable[[T], int],
        generation: str,
        flight: _Flight,
    ) -> None:
        """Compute, keep the answer, and let every caller waiting for it go on."""
        try:
            value = compute()
        except BaseException as error:  # handed to the callers, who raise it
            flight.error = error
        else:
            flight.value = value
            weight = max(1, size(value))
            with self._lock:
                if self._memo_generation == generation and key not in self._memo:
                    self._memo[key] = (value, weight)
                    self._memo_rows += weight
                    while self._memo_rows > MEMO_ROWS and len(self._memo) > 1:
                        _, (_, old) = self._memo.popitem(last=False)
                        self._memo_rows -= old
        finally:
            with self._lock:
                del self._flights[(generation, key)]
            flight.done.set()

    def _fly_in_background(self, *task: object) -> None:
        _background.active = True
        self._fly(*task)  # type: ignore[arg-type]

    def run(
        self,
        query: SavedQuery,
        params: dict[str, str],
        limit: int | None = ROW_CAP,
        limited: bool = True,
        look_up: bool = True,
    ) -> QueryResult:
        """Run a saved query with checked, typed parameters (QueryError on bad ones).

        Parameters are checked and names of plans and things resolved as
        `indsatsgraf query` does. Only the package's own queries come here (the
        catalog and web/queries; anything a visitor writes goes to /sparql), so
        they run in this process: no guard against runaway text is needed, and
        forking a worker per query cost more than the query itself and, in a
        threaded server, could inherit a lock held by another thread and hang
        until its deadline. The answer is kept for the generation, and an
        aggregate that the build stored is read from its file.

        ``look_up=False`` takes thing and plan parameters given as IRIs as they are,
        for a page that knows them to be in the graph: looking a name up is a query
        of its own (a fifth of an initiative page's lineage).
        """
        generation, store, names = self._open()
        # Looked up or not: a name the graph does not know is an error only when looked up.
        key = ("run", query.name, query.text, tuple(sorted(params.items())), limit, look_up)

        def compute() -> QueryResult:
            return self._answer(generation, store, names, query, params, limit, look_up)

        return self.remember(key, compute, lambda result: len(result.rows), generation, limited)

    def answer(self, query: SavedQuery, params: dict[str, str]) -> QueryResult:
        """A query's whole answer as :meth:`run` gives it (stored, else live), not kept:
        for a caller that keeps what it makes of the answer (a network view keeps its
        graph), so tens of thousands of rows do not push other answers out."""
        generation, store, names = self._open()
        return self._answer(generation, store, names, query, params, None)

    def _answer(
        self,
        generation: str,
        store: ox.Store,
        names: Names,
        query: SavedQuery,
        params: dict[str, str],
        limit: int | None,
        look_up: bool = True,
    ) -> QueryResult:
        kept = answers.stored(self.graph_store.path / generation, query, params, limit, names)
        if kept is not None:
            return kept
        bindings = query.bindings(params, names if look_up else None)
        return sparql.run_in_process(store, query, bindings, limit)

    def rows(self, name: str, **params: str) -> list[dict]:
        """The rows of one of the web application's own queries.

        Those with parameters ask about one thing or one document and run in the
        request's thread; those without (documents, departments, years) go over
        the whole graph and are time-limited.
        """
        return self.run(web_query(name), params, limit=None, limited=not params).rows

    # -- things -----------------------------------------------------------------

    def describe(self, iri: str) -> describing.Description:
        """What the graph holds about ``iri`` itself, which the caller knows to exist.

        Not through the name resolution of `indsatsgraf show`: that asked the
        store what the name could mean on every page, and refused the things it
        never names (a cross-document link, a source span) although their IRI
        was right there, so their pages failed.
        """
        return describing.describe(self.store(), iri)

    def labels(self, iris: set[str]) -> dict[str, str]:
        """The Danish (else any) label of each IRI that has one.

        Kept for the live generation (up to MAX_LABELS of them): most labels a
        thing page shows are those of the same properties, classes, plans and
        departments, which every page looked up again.
        """
        generation, store, _ = self._open()
        kept_generation, kept = self._labels
        if kept_generation != generation:
            kept = {}
            self._labels = (generation, kept)
        found = {}
        label = ox.NamedNode(RDFS + "label")
        for iri in iris:
            if not iri.startswith(("http://", "https://")):
                continue
            best = kept.get(iri, _UNKNOWN)
            if best is _UNKNOWN:
                best = None
                for quad in store.quads_for_pattern(ox.NamedNode(iri), label, None):
                    language = getattr(quad.object, "language", None)
                    if best is None or language == "da":
                        best = quad.object.value
                if len(kept) < MAX_LABELS:
                    kept[iri] = best
            if best is not None:
                found[iri] = best
        return found

    def triples(self, iri: str) -> list[ox.Triple]:
        """The thing's own statements, once each (a fact may sit in several named graphs)."""
        seen: dict[str, ox.Triple] = {}
        for quad in self.store().quads_for_pattern(ox.NamedNode(iri), None, None):
            seen.setdefault(str(quad.triple), quad.triple)
        return list(seen.values())

    # -- documents --------------------------------------------------------------

    def documents(self) -> list[Document]:
        generation = self._open()[0]
        cached = self._documents
        if cached is not None and cached[0] == generation:
            return cached[1]
        found = []
        for row in self.rows("documents"):
            iri = str(row["plan"])
            found.append(
                Document(
                    iri=iri,
                    slug=iri.removeprefix(ID + "plan/"),
                    label=str(row["label"]),
                    file_name=str(row["fileName"]),
                    year=row["year"] if isinstance(row["year"], int) else None,
                    kind=str(row["kind"] or ""),
                    counts={
                        key: int(row[key] or 0)
                        for key in ("initiatives", "goals", "indicators", "budgetItems")
                    },
                )
            )
        self._documents = (generation, found)
        return found

    def document(self, slug: str) -> Document | None:
        """A document by the slug the graph gives it; never a path taken from a URL."""
        return next((d for d in self.documents() if d.slug == slug), None)

    def document_by_file(self, file_name: str) -> Document | None:
        return next((d for d in self.documents() if d.file_name == file_name), None)

    def document_lines(self, document: Document) -> tuple[list[str], bool]:
        """The document's lines and whether they are the whole text.

        The text is read from the bundled documents or the configured source
        folders, by the file name the graph records, and only if its SHA-256
        matches the graph's; otherwise the lines are put together from the
        quotes the graph keeps (the other lines stay empty).
        """
        whole = self.remember(
            ("source", document.iri), lambda: self._read_source(document), lambda _: 0
        )
        if whole is not None:
            return whole, True
        return self._from_quotes(document), False

    def _read_source(self, document: Document) -> list[str] | None:
        """The text of the copy the store keeps of the document (any format, read as a build
        reads it), else a file of that name in the bundled or configured source folders."""
        wanted = self._sha256(document.iri)
        generation = self.graph_store.current.resolve()
        kept = generation / SOURCES / document.file_name
        if kept.name == document.file_name and kept.is_file():
            try:
                data, text = read_document(kept, MAX_BYTES)
            except (OSError, IndsatsgrafError):
                data, text = b"", ""
            if data and (not wanted or hashlib.sha256(data).hexdigest() == wanted):
                return list(text.lines)
        folders = (
            Path(str(resources.files("indsatsgraf") / "data" / "sources")),
            *self.source_dirs,
        )
        for folder in folders:
            candidate = folder / document.file_name
            if candidate.name != document.file_name or not candidate.is_file():
                continue
            data = candidate.read_bytes()
            if wanted and hashlib.sha256(data).hexdigest() != wanted:
                continue
            return data.decode("utf-8", errors="replace").splitlines()
        return None

    def _sha256(self, iri: str) -> str | None:
        predicate = ox.NamedNode("https://w3id.org/indsatsgraf/ontology#sha256")
        for quad in self.store().quads_for_pattern(ox.NamedNode(iri), predicate, None):
            return quad.object.value
        return None

    def _from_quotes(self, document: Document) -> list[str]:
        lines: dict[int, str] = {}
        for row in self.rows("document-spans", document=document.iri):
            for offset, text in enumerate(str(row["quote"]).splitlines()):
                lines.setdefault(int(row["first"]) + offset, text)
        return [lines.get(n, "") for n in range(1, max(lines, default=0) + 1)]

    # -- search -----------------------------------------------------------------

    def search_index(self) -> Path:
        """The search index of the live generation, written by the build that made it.

        A generation built before builds wrote an index has none, or one of an
        older layout; for it the index is built once beside the store (temporary
        file, then rename), and the indexes of other generations there are removed.
        The answer is kept for the generation (:meth:`remember`, which also lets one
        caller build while the others wait): an index never changes once its
        generation is live, and checking its layout opened the file on every search.
        """
        generation = self.generation()
        return self.remember(
            ("search-index",), lambda: self._index_of(generation), generation=generation
        )

    def _index_of(self, generation: str) -> Path:
        target = search_index.index_path(self.graph_store.path / generation)
        if target.exists() and search_index.is_current(target):
            return target
        folder = self.graph_store.path / "search"
        target = folder / f"{Path(generation).name}.sqlite"
        if not (target.exists() and search_index.is_current(target)):
            search_index.build_index(self.store(), target)
            for old in folder.glob("*.sqlite"):
                if old != target:
                    old.unlink(missing_ok=True)
        return target

    def search(self, text: str, limit: int = 200) -> list[search_index.Hit]:
        return search_index.search(self.search_index(), text, limit)
