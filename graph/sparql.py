"""Run a saved query on the embedded store or on any SPARQL 1.1 endpoint.

Both paths return the same :class:`QueryResult`, built from plain values, so a
format is only a rendering choice and embedded and remote answers can be
compared row by row.

Saved queries read the default graph as the union of all named graphs (one per
document). The embedded store is queried that way; a remote endpoint is given
the project's graphs as the query's dataset (docs/endpoints.md). A query that
declares a scope (``#+ scope: plan``) and is narrowed to one plan reads only
that document's graph with the organisations and the ontology, on both paths
(:meth:`..queries.catalog.SavedQuery.scoped_graphs`).
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import QueryError
from .deadline import call_with_deadline, check_timeout, stream_with_deadline
from .query_guard import guard
from .vocabulary import PREFIXES, XSD

UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.I,
)
DEFAULT_TIMEOUT = 30.0
#: Seconds an embedded query may take, syntax check included, unless told otherwise.
EMBEDDED_TIMEOUT = 60.0
Value = str | int | float | bool | None


class Runnable(Protocol):
    """What running needs of a query: its text and where it came from, for messages.

    A saved query (``queries.catalog.SavedQuery``) is one; so is a
    :class:`QueryText`. Execution stays here, below the catalog, and knows
    nothing of names, summaries or parameters.
    """

    @property
    def text(self) -> str: ...

    @property
    def path(self) -> Path | str: ...

    @property
    def prologue_lines(self) -> int: ...

    @property
    def form(self) -> str: ...

    def scoped_graphs(self, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> list | None:
        """The named graphs the query may be limited to with these bindings; None: all."""
        ...


@dataclass(frozen=True)
class QueryText:
    """Query text the library runs for itself, named by ``path`` in its error messages."""

    text: str
    path: Path | str = "<internal>"
    prologue_lines: int = 0

    @property
    def form(self) -> str:
        return query_form(self.text)

    def scoped_graphs(self, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> None:
        """The library's own queries read every graph."""
        return None


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query keyword outside comments."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"(?i)PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>", " ", body)
    match = re.search(r"(?i)\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body)
    return match.group(1).upper() if match else "SELECT"


@dataclass
class QueryResult:
    """SELECT rows, CONSTRUCT/DESCRIBE triples (N-Triples lines) or an ASK answer."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Value]] = field(default_factory=list)
    triples: list[str] = field(default_factory=list)
    boolean: bool | None = None


@dataclass
class RowStream:
    """A SELECT answer whose rows are read as they come, once: for writing whole answers.

    Iterating may raise QueryError (QueryTimeout at the deadline) after some
    rows: whoever writes them must then report the answer as failed, not as
    complete.
    """

    variables: list[str]
    rows: Iterator[dict[str, Value]]

    @classmethod
    def of(cls, result: QueryResult) -> RowStream:
        """An answer held already (a remote endpoint's, say) as a stream."""
        return cls(result.variables, iter(result.rows))


def strip_comments(text: str) -> str:
    """Query text without ``#`` comments (IRIs and strings kept intact)."""
    out = []
    for line in text.splitlines():
        out.append(re.sub(r'("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^>\s]*>)|#.*', _keep, line))
    return "\n".join(out)


def _keep(match: re.Match[str]) -> str:
    return match.group(1) or ""


#: strip_comments for the queries that parameters are bound into: the package's own
#: few, stripped again for every thing page, several times each, if not remembered.
_stripped = lru_cache(maxsize=128)(strip_comments)


def check(
    query: Runnable, allow_service: Iterable[str] = (), timeout: float = EMBEDDED_TIMEOUT
) -> None:
    """Refuse unsafe text and update forms; report syntax errors with file, line and column.

    The text is bounded and its SERVICE calls checked (``query_guard``) before
    Oxigraph parses it, and the parse runs under the deadline: planning a
    query of a few hundred joined patterns can take minutes.
    """
    guard(query.text, str(query.path), allow_service)
    if UPDATE.match(strip_comments(query.text)):
        raise QueryError(f"{query.path}: this is a SPARQL update; `query` only reads the graph")
    if query.text in _PARSED:
        return
    try:
        call_with_deadline(_parse, query.text, timeout=timeout)
        if len(_PARSED) >= MAX_REMEMBERED_PARSES:  # a server sees endless distinct texts
            _PARSED.clear()
        _PARSED.add(query.text)
    except SyntaxError as error:
        raise QueryError(explain_syntax_error(query, str(error))) from error


def explain_syntax_error(query: Runnable, message: str) -> str:
    """The parser's complaint as a sentence, at the user's own line and column.

    Oxigraph lists every token it would have accepted, which says little to a
    person; what helps is where reading stopped and what stands there.
    """
    where = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if not where:
        return f"{query.path}: SPARQL syntax error: {message.splitlines()[0]}"
    line, column = int(where.group(1)), int(where.group(2))
    lines = query.text.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    before, rest = text[: column - 1], text[column - 1 :]
    said = re.search(r"(?:one of |, )([A-Z][a-z]+(?: [^,\[\]'\"]+)+)", where.group(3))
    sentence = said.group(1).strip() if said else ""
    if sentence == "Prefix not found":
        used = re.search(r"([A-Za-z][\w.-]*)?:\w*$", before) or re.match(
            r"([A-Za-z][\w.-]*)?:", rest
        )
        prefix = (used.group(1) or "") if used else ""
        what = (
            f"the prefix {prefix + ':'!r} is not declared; add PREFIX {prefix}: <…> "
            f"(known without declaring in -e: {', '.join(p + ':' for p in PREFIXES)})"
        )
    elif sentence:
        what = sentence[0].lower() + sentence[1:]
    elif rest.strip():
        token = re.match(r"\s*(\S+?)(?=[\s{}()]|$)|\s*(\S)", rest)
        shown = token.group(1) or token.group(2) if token else rest.strip()[:20]
        what = f"{shown!r} cannot stand here"
    elif line >= len(lines):
        what = "the query ends too early (an unclosed {, ( or string?)"
    else:
        what = "the line ends where more was expected"
    if re.search(r"(?<![<\w])[A-Za-z][\w-]*:[\w.-]*/", text):
        what += (
            "; a prefixed name cannot hold '/': write the full <https://…> IRI or escape it as \\/"
        )
    user_line = line - query.prologue_lines
    caret = " " * (column - 1) + "^"
    return (
        f"{query.path}:{user_line}:{column}: SPARQL syntax error at line {user_line}, "
        f"column {column}: {what}\n    {text}\n    {caret}"
    )


#: Texts this process has already seen parse: the CLI checks a query before it
#: opens the store and run_embedded checks it again, which need not cost a second fork.
_PARSED: set[str] = set()
MAX_REMEMBERED_PARSES = 256


def _parse(text: str) -> None:
    """Parse and plan ``text`` on an empty store: raises SyntaxError, reads no data.

    Planning also finds what cannot run (an unknown function is a RuntimeError).
    """
    try:
        ox.Store().query(text, use_default_graph_as_union=True)
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query cannot run: {error}") from None


def python_value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Value:
    """A plain value for a term: numbers as numbers, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _typed(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


#: Integers longer than this stay text: Python refuses (or takes minutes) to
#: convert the thousands of digits a query can make with STRDT or an exponent.
MAX_NUMBER_DIGITS = 30


def _typed(value: str, datatype: str | None) -> Value:
    """A number for a well-formed, reasonably sized numeric literal; its text otherwise.

    Ill-typed literals (``"abc"^^xsd:integer``), INF and NaN stay text, so
    JSON output stays valid JSON.
    """
    if datatype in (XSD + "integer", XSD + "int", XSD + "long"):
        fits = re.fullmatch(rf"[+-]?[0-9]{{1,{MAX_NUMBER_DIGITS}}}", value)
        return int(value) if fits else value
    if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        if not number.is_finite() or abs(number.adjusted()) > MAX_NUMBER_DIGITS:
            return value
        return (
            int(number)
            if number == number.to_integral_value() and "." not in value
            else float(number)
        )
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def run_embedded(
    store: ox.Store,
    query: Runnable,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    limit: int | None = None,
    *,
    timeout: float = EMBEDDED_TIMEOUT,
    allow_service: Iterable[str] = (),
) -> QueryResult:
    """Run on the embedded store, stopped with QueryTimeout after ``timeout`` seconds in all.

    SERVICE calls are refused unless their endpoint is in ``allow_service``.
    """
    deadline = time.monotonic() + check_timeout(timeout)
    check(query, allow_service, timeout)
    text = with_values(query.text, bindings)  # adds only serialised, validated terms
    graphs = query.scoped_graphs(bindings)
    return call_with_deadline(
        _evaluate, store, text, limit, graphs, timeout=timeout, deadline=deadline
    )


def stream_embedded(
    store: ox.Store,
    query: Runnable,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    limit: int | None = None,
    *,
    timeout: float = EMBEDDED_TIMEOUT,
    allow_service: Iterable[str] = (),
) -> RowStream:
    """Run a SELECT on the embedded store, its rows read while the store still finds more.

    The same child process and deadline as :func:`run_embedded`, but the rows
    come back in batches (:func:`.deadline.stream_with_deadline`), so an
    answer of any length is never held whole. The variables are known once
    the first message arrives, before any row; ``limit`` stops the store after
    that many rows.
    """
    deadline = time.monotonic() + check_timeout(timeout)
    check(query, allow_service, timeout)
    if query.form != "SELECT":
        raise QueryError(f"{query.path}: only a SELECT answer comes as rows to stream")
    text = with_values(query.text, bindings)
    graphs = query.scoped_graphs(bindings)
    items = stream_with_deadline(
        _solutions, store, text, limit, graphs, timeout=timeout, deadline=deadline
    )
    head = next(items)
    assert isinstance(head, list), "the first item of _solutions is the variables"
    return RowStream(head, items)  # type: ignore[arg-type]


def _solutions(
    store: ox.Store, text: str, limit: int | None, graphs: list[str] | None
) -> Iterator[list[str] | dict[str, Value]]:
    """The variables, then each row as plain values (in the child of stream_embedded)."""
    try:
        answer = _query(store, text, graphs)
        assert isinstance(answer, ox.QuerySolutions)
        variables = [v.value for v in answer.variables]
        yield variables
        for solution in itertools.islice(answer, limit):
            # A solution iterates its terms in the order of the variables (None: unbound).
            yield dict(zip(variables, map(python_value, solution), strict=True))
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query failed while running: {error}") from None


def run_in_process(
    store: ox.Store,
    query: Runnable,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    limit: int | None = None,
) -> QueryResult:
    """Run one of the package's own saved queries here, without a worker or a deadline.

    For the build, which answers its stored queries on the generation it has
    just written: forking while that writable store's RocksDB threads hold a
    lock leaves the child waiting on it for good (see :mod:`.deadline`), and
    the package's own queries need no guard against runaway text.
    """
    text = with_values(query.text, bindings)
    return _evaluate(store, text, limit, query.scoped_graphs(bindings))


def run_for_every_value(
    store: ox.Store,
    query: Runnable,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    name: str,
    terms: Iterable[ox.NamedNode | ox.Literal],
) -> QueryResult:
    """One of the package's own SELECT queries asked for each of ``terms`` as its parameter
    ``name`` in one run, as :func:`run_in_process` does: each row also shows ``?_name``.

    For the build, which files each row of a stored answer under every value
    whose own answer holds it (``by query``): at ×100 the seven runs of
    initiatives-active-in-year, one per department, took 6.5 s of CPU, and
    one run for all seven without its ORDER BY 2.8 s (sorting reads each
    compared text from the store). The rows come unsorted: they are filed,
    not shown.
    """
    text = _for_every_value(with_values(query.text, bindings), name, terms)
    try:
        return _evaluate(store, text, None, query.scoped_graphs(bindings))
    except SyntaxError as error:
        raise QueryError(
            f"asked for every {name} at once, the query does not parse ({error})"
        ) from None


def _for_every_value(text: str, name: str, terms: Iterable[ox.NamedNode | ox.Literal]) -> str:
    """``text`` with ``VALUES ?_name`` of ``terms`` opening its WHERE clause, ``?_name``
    selected too and its ORDER BY left out.

    A VALUES block of n terms joined with the WHERE clause is the union of the
    clause with each term bound on its own (as :func:`with_values` binds one),
    so each row the query answers for one term is a row here with that term.
    That holds only for rows that are not grouped or cut, so the text after
    the WHERE clause may be an ORDER BY and nothing else (an aggregate without
    GROUP BY is refused by the parser, its ``?_name`` not being grouped).
    """
    listed = with_value_list(text, f"_{name}", terms)
    closing = listed.rindex("}")
    tail = listed[closing + 1 :]
    if not re.fullmatch(r"\s*(?:ORDER\s+BY\b(?:(?!\b(?:LIMIT|OFFSET)\b)[^{}])*)?", tail, re.I):
        raise QueryError(
            f"asked for every {name} at once, only an ORDER BY may follow the query's "
            f"WHERE clause, not {tail.strip()!r}"
        )
    selected = re.search(r"(?i)\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?", listed)
    if selected is None:
        raise QueryError(f"asked for every {name} at once, the query is no SELECT")
    if listed[selected.end() :].startswith("*"):
        return listed[: closing + 1]
    return listed[: selected.end()] + f"?_{name} " + listed[selected.end() : closing + 1]


def texts_in_process(store: ox.Store, query: Runnable) -> Iterator[tuple[str, ...]]:
    """Each row of one of the package's own SELECT queries as the text of its terms.

    An IRI's text is the IRI, a literal's its lexical form, an unbound variable's
    "". For the build's bulk reads of text (the search index reads 157,000 rows
    at ×100): a dict of typed values per row (:func:`run_in_process`) took 2.1 s
    of them, the terms' texts 0.5 s.
    """
    try:
        solutions = _query(store, query.text, None)
        assert isinstance(solutions, ox.QuerySolutions), f"{query.path} is not a SELECT query"
        width = len(solutions.variables)
        for solution in solutions:
            yield tuple("" if (term := solution[i]) is None else term.value for i in range(width))
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query failed while running: {error}") from None


def _evaluate(
    store: ox.Store, text: str, limit: int | None, graphs: list[str] | None = None
) -> QueryResult:
    """The query's answer as plain values (it crosses a process boundary).

    ``graphs`` are the default graph of a scoped query; without them it is
    the union of every named graph. Oxigraph reports evaluation errors (an
    unknown function, a store file gone) as OSError or RuntimeError, at the
    call or while rows are read.
    """
    try:
        return _answer(_query(store, text, graphs), limit)
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query failed while running: {error}") from None


def _query(
    store: ox.Store, text: str, graphs: list[str] | None
) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
    """``text`` over ``graphs`` as the default graph (a scoped query), else their union."""
    if graphs is None:
        return store.query(text, use_default_graph_as_union=True)
    return store.query(text, default_graph=[ox.NamedNode(g) for g in graphs])


def _answer(
    answer: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples, limit: int | None
) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = []
        for solution in answer:
            rows.append({v: python_value(solution[v]) for v in variables})
            if limit is not None and len(rows) >= limit:
                break
        return QueryResult("SELECT", variables, rows)
    triples = [f"{t.subject} {t.predicate} {t.object} ." for t in answer]
    return QueryResult("CONSTRUCT", triples=triples[:limit] if limit else triples)


def with_values(text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with one BIND per parameter, of serialised terms, opening its WHERE clause.

    The same text goes to the embedded store and to remote endpoints, so both
    bind parameters identically (pyoxigraph's own substitution only binds
    projected variables). BIND, not a one-row VALUES block: with a VALUES
    block opening the WHERE clause, Virtuoso 7.2.5 dropped 7 of the 41 rows of
    indicator-progress for one plan, and on a later run stopped answering
    altogether (docs/endpoints.md); both stores give every row with BIND.
    Terms are written by pyoxigraph's N-Triples serialisation, which escapes
    quotes, newlines and braces, so a parameter can never end the literal it
    is in.
    """
    if not bindings:
        return text
    block = "".join(f" BIND({term} AS ?_{name})" for name, term in bindings.items()) + " "
    return _opening_where(text, block)


def with_value_list(text: str, name: str, terms: Iterable[ox.NamedNode | ox.Literal]) -> str:
    """The query with ``VALUES ?name { … }`` of ``terms`` opening its WHERE clause.

    The list form of :func:`with_values`, for the library's own queries on the
    embedded store only (a VALUES block is what Virtuoso mishandled): a network
    view names the hundreds of things it draws in one query.
    """
    block = f" VALUES ?{name} {{ {' '.join(str(term) for term in terms)} }} "
    return _opening_where(text, block)


def _opening_where(text: str, block: str) -> str:
    """The query without comments, ``block`` opening its WHERE clause (or its first group)."""
    clean = _stripped(text)
    match = re.search(r"(?i)\bWHERE\s*\{", clean) or re.search(r"\{", clean)
    if not match:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return clean[: match.end()] + block + clean[match.end() :]


def refuse_cut_answer(endpoint: str, headers: dict[str, str], rows: int) -> None:
    """Raise QueryError when the endpoint says it sent only part of the answer.

    Virtuoso cuts a SELECT at its ResultSetMaxRows without an error: it sends
    ``X-SPARQL-MaxRows: N`` with N rows. It sends that header, too, when the
    answer happens to be exactly N rows long, so an answer of N rows is refused
    as possibly cut; a shorter one is complete. A query stopped at its
    MaxQueryExecutionTime may answer with the rows found so far and says so in
    ``X-SQL-State``/``X-SQL-Message``. Either way a partial answer would read
    as the whole one, so it is an error, not a warning.
    """
    cap = headers.get("x-sparql-maxrows", "").strip()
    if cap.isdigit() and rows >= int(cap):
        raise QueryError(
            f"{endpoint}: the endpoint cut the answer at {int(cap):,} rows (its limit for one "
            "answer); raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini, or "
            "narrow the query with its parameters"
        )
    state = headers.get("x-sql-state", "").strip()
    if state:
        message = headers.get("x-sql-message", "").strip() or "no message"
        raise QueryError(
            f"{endpoint}: the endpoint sent a partial answer ({state}: {message}); raise "
            "MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini, or narrow the query"
        )


def run_remote(
    endpoint: str,
    query: Runnable,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    limit: int | None = None,
    allow_service: Iterable[str] = (),
    graphs: list[str] | None = None,
) -> QueryResult:
    """Run on a SPARQL 1.1 endpoint over the project's graphs only.

    The dataset is given with ``default-graph-uri``/``named-graph-uri`` (the
    project's graphs, listed at the endpoint unless ``graphs`` is passed), so a
    store's own graphs (Virtuoso's system graphs) never join the answer.
    Credentials come from INDSATSGRAF_ENDPOINT_USER/_PASSWORD and are sent
    only when the endpoint asks (docs/endpoints.md).
    """
    from .http import Credentials
    from .remote import RemoteError, checked, project_graphs, sparql_request

    check(query, allow_service, timeout)
    credentials = Credentials.from_env()
    scoped = query.scoped_graphs(bindings)
    form = query.form
    accept = (
        "application/sparql-results+json"
        if form in ("SELECT", "ASK")
        else "application/n-triples, text/turtle;q=0.5"
    )
    try:
        if scoped is not None:
            graphs = scoped
        elif graphs is None:
            graphs = project_graphs(endpoint, timeout=timeout, credentials=credentials)
        response = checked(
            sparql_request(
                endpoint,
                with_values(query.text, bindings),
                timeout=timeout,
                credentials=credentials,
                accept=accept,
                graphs=graphs,
            ),
            "the endpoint refused the query",
            credentials,
        )
    except RemoteError as error:
        raise QueryError(str(error)) from error
    raw = _decoded(endpoint, response.content_type, response.body)
    if form == "SELECT":
        refuse_cut_answer(endpoint, response.headers, len(raw["results"]["bindings"]))
    if form == "ASK":
        return QueryResult("ASK", boolean=bool(raw.get("boolean")))
    if form == "SELECT":
        variables = raw["head"]["vars"]
        rows = []
        for binding in raw["results"]["bindings"]:
            rows.append({v: _json_value(binding.get(v)) for v in variables})
            if limit is not None and len(rows) >= limit:
                break
        return QueryResult("SELECT", variables, rows)
    kind = ox.RdfFormat.TURTLE if "turtle" in response.content_type else ox.RdfFormat.N_TRIPLES
    parsed = ox.parse(raw, format=kind)
    triples = [f"{t.subject} {t.predicate} {t.object} ." for t in parsed]
    return QueryResult("CONSTRUCT", triples=triples[:limit] if limit else triples)


def _decoded(endpoint: str, content_type: str, body: bytes) -> Any:
    """SPARQL JSON results as a dict, RDF as bytes; an HTML page is an error."""
    import json

    if "html" in content_type.lower():
        raise QueryError(
            f"{endpoint}: answered with an HTML page, not SPARQL results; is this a SPARQL endpoint URL?"
        )
    if "json" in content_type.lower():
        try:
            return json.loads(body)
        except ValueError as error:
            raise QueryError(f"{endpoint}: answered with invalid JSON") from error
    return body


def _json_value(cell: dict[str, str] | None) -> Value:
    if cell is None:
        return None
    if cell["type"] == "bnode":
        return f"_:{cell['value']}"
    if cell["type"] == "uri":
        return cell["value"]
    return _typed(cell["value"], cell.get("datatype"))
