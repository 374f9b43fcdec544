"""The library as its faces use it: one function per question, for the CLI and the web.

The command line and the web application are two thin faces of this module: a
question (what is in the graph, what does a query answer, what is this thing,
which picture) is answered here once, and each face only reads its inputs and
renders the result. Every problem the user can act on is raised as an
:class:`~.errors.IndsatsgrafError`; its message names no command-line option,
and its ``remedy`` key says what to do next in words each face chooses.

The graph is passed around as the opened, read-only ``pyoxigraph.Store`` that
:func:`open_graph` returns, so a face can keep it open between requests and a
function never reopens it. Heavy libraries (the importers, rdflib, networkx)
are imported inside the functions that need them: importing this module costs
nothing, and a query never loads the build pipeline or the network views.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import IndsatsgrafError, QueryError

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .graph.describe import Description
    from .graph.documents import Document
    from .graph.export import Stats
    from .graph.names import Thing
    from .graph.pipeline import BuildSummary, Preview
    from .graph.sparql import QueryResult, RowStream
    from .graph.validate import Violation
    from .queries.catalog import SavedQuery
    from .viz.network import View, ViewSpec

__all__ = [
    "QUERY_TIMEOUT",
    "analyze",
    "build",
    "check_query",
    "decide_link",
    "default_store_path",
    "describe",
    "documents",
    "export",
    "export_view",
    "find_query",
    "link_candidates",
    "open_graph",
    "push",
    "remove",
    "render",
    "resolve",
    "run_query",
    "saved_queries",
    "stats",
    "stream_query",
    "write_rows",
    "validate",
    "view",
]

#: Seconds a query may take in all unless the caller says otherwise.
QUERY_TIMEOUT = 60.0
#: Longest name of a thing accepted: a label is a sentence, never a page.
MAX_NAME_CHARS = 1_000

Progress = Callable[[str], None]


def default_store_path() -> Path:
    """Where the graph lives when neither the caller nor INDSATSGRAF_STORE says."""
    from .graph.location import default_location

    return default_location()


# -- the graph ----------------------------------------------------------------------------


def open_graph(
    store_path: Path, *, build_if_missing: bool = True, progress: Progress | None = None
) -> ox.Store:
    """The current graph at ``store_path``, opened read-only.

    With ``build_if_missing`` an empty store is first built from the bundled
    documents, so a first question has an answer; ``progress`` hears that the
    build starts (it takes a while). Without it a missing graph is a StoreError
    (remedy "build").
    """
    from .graph.store import GraphStore

    location = GraphStore(store_path)
    if build_if_missing and not location.exists():
        from .graph.pipeline import build as run_build  # the importers: only when needed

        if progress:
            progress(f"no graph at {location.path} yet; building it from the bundled documents")
        run_build(location, stored=stored_queries())
    return location.open()


def documents(store_path: Path) -> list[Document]:
    """The documents in the graph, in build order, each with its importer and counts."""
    from .graph.documents import documents as held
    from .graph.store import GraphStore

    return held(GraphStore(store_path))


def build(
    store_path: Path,
    sources: Iterable[Path] = (),
    *,
    fresh: bool = False,
    importer: str | None = None,
    max_bytes: int | None = None,
    compact: bool = False,
    progress: Progress | None = None,
) -> BuildSummary:
    """Add ``sources`` (files or folders) to the graph, replacing same-named documents.

    Without sources the graph's own documents are rebuilt (an empty store gets
    the bundled ones); ``fresh`` drops every other document. All or nothing: a
    file that cannot be imported raises BuildError and the graph stays as it was.
    ``max_bytes`` bounds one source file (default: the importers' limit).
    """
    from .graph.pipeline import build as run_build
    from .graph.store import GraphStore

    limits = {} if max_bytes is None else {"max_bytes": max_bytes}
    return run_build(
        GraphStore(store_path),
        list(sources) or None,
        fresh=fresh,
        importer_name=importer,
        progress=progress,
        compact=compact,
        stored=stored_queries(),
        **limits,
    )


def preview(
    store_path: Path,
    sources: Iterable[Path],
    *,
    importer: str | None = None,
    max_bytes: int | None = None,
) -> Preview:
    """What adding ``sources`` would add and which links it would make; writes nothing."""
    from .graph.pipeline import preview as run_preview
    from .graph.store import GraphStore

    limits = {} if max_bytes is None else {"max_bytes": max_bytes}
    return run_preview(GraphStore(store_path), list(sources), importer_name=importer, **limits)


def remove(
    store_path: Path, document: str, *, compact: bool = False, progress: Progress | None = None
) -> BuildSummary:
    """Take ``document`` (file name or slug) out of the graph, keeping and relinking the rest."""
    from .graph.pipeline import remove as run_remove
    from .graph.store import GraphStore

    return run_remove(
        GraphStore(store_path),
        document,
        progress=progress,
        compact=compact,
        stored=stored_queries(),
    )


# -- queries ------------------------------------------------------------------------------


def stored_queries() -> list[SavedQuery]:
    """The saved queries whose default answer every build keeps beside the graph, and
    the network views' own (:mod:`.viz.stored`)."""
    from .viz.stored import stored_queries as network_queries

    return [query for query in saved_queries().values() if query.stored] + network_queries()


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name, with its summary and typed parameters."""
    from .queries.catalog import saved_queries as every

    return every()


def find_query(name_or_text: str, *, inline: bool | None = None) -> SavedQuery:
    """A saved query by name, a ``.rq`` file by path, or SPARQL text.

    ``inline`` says which; left as None, text holding ``{`` is SPARQL (no query
    name or file name holds one). Inline text gets the project's prefixes.
    """
    from .queries import catalog

    if inline is None:
        inline = "{" in name_or_text
    return catalog.ad_hoc(name_or_text) if inline else catalog.find(name_or_text)


def check_query(
    query: str | SavedQuery,
    *,
    timeout: float = QUERY_TIMEOUT,
    allow_service: Iterable[str] = (),
) -> SavedQuery:
    """The query (see :func:`find_query`), refused with a QueryError if it cannot run.

    Unsafe text, updates, SERVICE calls not allowed and syntax errors (with
    line and column) are found without reading any graph, so a face can check
    a query before it opens, or builds, a store. :func:`run_query` checks too.
    """
    from .graph import sparql
    from .graph.deadline import check_timeout
    from .graph.query_guard import allowed_endpoints

    saved = find_query(query) if isinstance(query, str) else query
    sparql.check(saved, allowed_endpoints(allow_service), check_timeout(timeout))
    return saved


def run_query(
    query: str | SavedQuery,
    params: Mapping[str, str] | None = None,
    *,
    store: ox.Store | None = None,
    endpoint: str | None = None,
    limit: int | None = None,
    timeout: float = QUERY_TIMEOUT,
    allow_service: Iterable[str] = (),
    store_path: Path | None = None,
) -> QueryResult:
    """The answer of ``query`` (see :func:`find_query`) on ``store`` or at ``endpoint``.

    With ``store_path`` (the store folder ``store`` was opened from), a query
    asked without parameters is answered from the answer its build kept, when
    the build kept one for this very query text (:mod:`.graph.answers`).

    Parameters are checked against their declared types and bound as RDF
    terms; a plan or thing is named as :func:`resolve` takes it, looked up in
    the graph the query runs on. SERVICE calls are refused unless their
    endpoint is in ``allow_service``; the query stops after ``timeout`` seconds.
    """

    saved, given, allowed = _checked(query, params, store, endpoint, timeout, allow_service)
    if endpoint is not None:
        return _run_remote(endpoint, saved, given, limit, timeout, allowed)
    assert store is not None
    return _embedded(False, store, store_path, saved, given, limit, timeout, allowed)


def stream_query(
    query: str | SavedQuery,
    params: Mapping[str, str] | None = None,
    *,
    store: ox.Store | None = None,
    endpoint: str | None = None,
    limit: int | None = None,
    timeout: float = QUERY_TIMEOUT,
    allow_service: Iterable[str] = (),
    store_path: Path | None = None,
) -> RowStream:
    """The rows of a SELECT ``query``, read as they come: for writing a whole answer.

    As :func:`run_query`, but the embedded store's rows and a kept answer's
    rows are never all held at once. ``timeout`` covers reading every row:
    iterating raises QueryTimeout once it passes, after the rows read so far,
    and a writer must then report failure (:func:`write_rows` leaves its
    output unfinished). An endpoint's answer arrives whole and is then given
    out row by row.
    """
    from .graph import sparql

    saved, given, allowed = _checked(query, params, store, endpoint, timeout, allow_service)
    if saved.form != "SELECT":
        raise IndsatsgrafError(f"{saved.name}: only a SELECT query answers in rows")
    if endpoint is not None:
        return sparql.RowStream.of(_run_remote(endpoint, saved, given, limit, timeout, allowed))
    assert store is not None
    return _embedded(True, store, store_path, saved, given, limit, timeout, allowed)


def write_rows(rows: RowStream, fmt: str, out: TextIO) -> int:
    """Write ``rows`` to ``out`` as ``fmt`` (json, csv, tsv) as they come; return how many.

    A failure half-way (the deadline) is raised after the rows written so
    far, with the output left unfinished (an open JSON array).
    """
    from .queries.formats import write_delimited, write_json

    written = 0

    def counted() -> Iterator[dict]:
        nonlocal written
        for row in rows.rows:
            written += 1
            yield row

    if fmt not in ("json", "csv", "tsv"):
        raise IndsatsgrafError(f"no streamed format {fmt!r}; choose json, csv or tsv")
    try:
        if fmt == "json":
            write_json(counted(), out)
        else:
            write_delimited(rows.variables, counted(), out, "," if fmt == "csv" else "\t")
    except IndsatsgrafError as error:
        out.flush()
        raise QueryError(
            f"{error}; the answer is incomplete: it stopped after {written:,} rows",
            remedy=error.remedy,
        ) from None
    return written


def _checked(
    query: str | SavedQuery,
    params: Mapping[str, str] | None,
    store: ox.Store | None,
    endpoint: str | None,
    timeout: float,
    allow_service: Iterable[str],
) -> tuple[SavedQuery, dict[str, str], tuple[str, ...]]:
    """The query, its parameters and the endpoints SERVICE may call, refused before any reading."""
    from .graph import sparql
    from .graph.deadline import check_timeout
    from .graph.query_guard import allowed_endpoints

    if (store is None) == (endpoint is None):
        raise ValueError("give run_query a store or an endpoint, not both or neither")
    check_timeout(timeout)
    allowed = allowed_endpoints(allow_service)
    saved = find_query(query) if isinstance(query, str) else query
    sparql.check(saved, allowed, timeout)  # before the store is read or the endpoint called
    return saved, dict(params or {}), allowed


def _embedded(
    streamed: bool,
    store: ox.Store,
    store_path: Path | None,
    saved: SavedQuery,
    given: dict[str, str],
    limit: int | None,
    timeout: float,
    allowed: tuple[str, ...],
) -> QueryResult | RowStream:
    """The answer on the embedded store, whole or ``streamed``: the one its build kept
    for this query text and these parameters if there is one, else run now."""
    from .graph import answers, sparql
    from .graph.names import Names

    names = Names.of_store(store)
    if store_path is not None:
        keep = answers.stream if streamed else answers.stored
        kept = keep(_generation(store_path), saved, given, limit, names)
        if kept is not None:
            return kept
    run = sparql.stream_embedded if streamed else sparql.run_embedded
    return run(
        store,
        saved,
        saved.bindings(given, names),
        limit=limit,
        timeout=timeout,
        allow_service=allowed,
    )


def _run_remote(
    endpoint: str,
    saved: SavedQuery,
    given: dict[str, str],
    limit: int | None,
    timeout: float,
    allowed: tuple[str, ...],
) -> QueryResult:
    from .graph import sparql
    from .graph.names import Names

    names = Names.at_endpoint(endpoint, timeout) if given else None
    return sparql.run_remote(
        endpoint,
        saved,
        saved.bindings(given, names),
        timeout=timeout,
        limit=limit,
        allow_service=allowed,
    )


def _generation(store_path: Path) -> Path:
    """The live generation of the store folder, where its build kept its answers."""
    from .graph.store import GraphStore

    return GraphStore(store_path).current.resolve()


def render(result: QueryResult, fmt: str) -> str:
    """A result as JSON, CSV, TSV or Markdown text (tables are each face's own)."""
    from .queries.formats import render as as_text

    return as_text(result, fmt)


# -- things -------------------------------------------------------------------------------


def resolve(store: ox.Store, name: str) -> Thing:
    """The one thing ``name`` means: a number, code, label, ``PLAN:NAME`` or IRI.

    A name that means nothing or several things is an UnresolvedName whose
    message lists what it could mean (see :mod:`.graph.names`).
    """
    from .graph.names import UnknownName, resolve_thing

    if not name.isprintable() or len(name) > MAX_NAME_CHARS or not _is_text(name):
        raise UnknownName(
            f"{name[:80]!r}: not a code, number, IRI or label (control characters, "
            f"over {MAX_NAME_CHARS:,} characters, or not UTF-8 text)"
        )
    return resolve_thing(store, name)


def describe(store: ox.Store, name: str) -> Description:
    """Everything the graph holds about the thing ``name`` means, with its source lines."""
    from .graph.describe import describe as described

    return described(store, resolve(store, name).iri)


def _is_text(text: str) -> bool:
    """False for text that was not UTF-8 where it came from (it holds surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- pictures -----------------------------------------------------------------------------


def view(store: ox.Store, spec: ViewSpec) -> View:
    """The network view ``spec`` asks for (a networkx graph and its title)."""
    from .viz.network import build_view

    return build_view(store, spec)


def picture(
    store: ox.Store, spec: ViewSpec, fmt: str, *, size_by: str = "degree"
) -> tuple[bytes, str]:
    """A picture as ``fmt`` (html, svg or png) and what it shows ("N nodes, M edges").

    The indicator view is a chart (``viz.indicators``); every other view is a
    network, drawn by vis-network in a page or laid out in Python for SVG/PNG.
    """
    if spec.view == "indicators":
        from .viz import indicators

        rows = indicators.progress(store, spec.plans[0] if spec.plans else None)
        title = "indsatsgraf — Indikatorer: udgangspunkt, status og mål"
        what = f"{len(rows)} indicators"
        page = indicators.progress_page(rows, title) if fmt == "html" else None
        svg = indicators.progress_svg(rows, title) if fmt != "html" else None
    else:
        drawn = view(store, spec)
        graph = drawn.graph
        what = f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
        page = svg = None
        if fmt == "html":
            from .viz.render import html_string

            page = html_string(graph, title=drawn.title, size_by=size_by)
        else:
            from .viz.svg import svg_string

            svg = svg_string(graph, title=drawn.title, size_by=size_by)
    if page is not None:
        return page.encode("utf-8"), what
    assert svg is not None
    if fmt == "svg":
        return svg.encode("utf-8"), what
    from .viz.svg import png_bytes

    return png_bytes(svg), what


# -- the whole graph ----------------------------------------------------------------------


def stats(store: ox.Store) -> Stats:
    """Triples, things per class and things per document."""
    from .graph.export import stats as counted

    return counted(store)


def validate(store: ox.Store) -> list[Violation]:
    """Every SHACL violation of the data graphs; an empty list when the graph conforms."""
    from .graph.validate import validate as checked

    return checked(store)


def export(store: ox.Store, fmt: str) -> bytes:
    """The whole graph as ``ttl``, ``trig``, ``nt``, ``nq`` or ``jsonld``."""
    from .graph.export import FORMATS
    from .graph.export import export as serialised

    if fmt not in FORMATS:
        raise IndsatsgrafError(f"no export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return serialised(store, fmt)


def push(
    store: ox.Store, endpoint: str, *, store_url: str | None = None, timeout: float = QUERY_TIMEOUT
) -> dict[str, int]:
    """Upload every named graph to ``endpoint`` and check the counts; triples per graph.

    The Graph Store URL is read from the server when ``store_url`` is not given;
    credentials come from INDSATSGRAF_ENDPOINT_USER/_PASSWORD, sent only when asked.
    """
    from .graph.http import Credentials
    from .graph.remote import Endpoint
    from .graph.remote import push as upload

    credentials = Credentials.from_env()
    target = Endpoint.discover(endpoint, store_url, credentials=credentials, timeout=timeout)
    return upload(store, target, timeout, credentials)


# -- analyses of the pictures -------------------------------------------------------------


def analyze(store: ox.Store, analysis: str, spec: ViewSpec, **options: object) -> QueryResult:
    """One analysis of a view as a table: ``centrality`` and ``bridges`` (``top``),
    ``communities`` (``members``) or ``path`` (``source`` and ``target``, named as
    :func:`resolve` takes them)."""
    from .viz import analytics

    if analysis == "path":
        return analytics.shortest_path(store, str(options["source"]), str(options["target"]), spec)
    analyses = {
        "centrality": analytics.centrality,
        "communities": analytics.communities,
        "bridges": analytics.bridges,
    }
    if analysis not in analyses:
        raise IndsatsgrafError(
            f"no analysis {analysis!r}; choose one of {', '.join([*analyses, 'path'])}"
        )
    return analyses[analysis](store, spec, **options)  # type: ignore[arg-type]


def export_view(store: ox.Store, spec: ViewSpec, fmt: str, path: Path) -> tuple[int, int]:
    """Write a view as GraphML or GEXF to ``path`` (atomically); its nodes and edges."""
    from .viz.analytics import export as written

    return written(store, spec, fmt, path)


# -- cross-document links -----------------------------------------------------------------


def link_candidates(store: ox.Store) -> QueryResult:
    """The candidate links awaiting a person's decision, with score and evidence."""
    return run_query("links-awaiting-review", store=store)


def decide_link(
    store: ox.Store,
    source: str,
    target: str,
    decision: str,
    *,
    note: str = "",
    decisions: Path | None = None,
) -> tuple[str, str, Path]:
    """Record ``accept`` or ``reject`` for the link between two things named as
    :func:`resolve` takes them; the next build applies it. Their IRIs and the file."""
    from .graph.link_decisions import decisions_path, record

    path = decisions or decisions_path()
    made = record(resolve(store, source).iri, resolve(store, target).iri, decision, note, path)
    return made.source, made.target, path
