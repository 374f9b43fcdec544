"""Run a saved query on the embedded store or on any SPARQL 1.1 endpoint.

Both paths return the same :class:`QueryResult`, built from plain values, so a
format is only a rendering choice and embedded and remote answers can be
compared row by row.

Saved queries read the default graph as the union of all named graphs (one per
document). The embedded store is queried that way; a remote endpoint is given
the project's graphs as the query's dataset (docs/endpoints.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from ..queries.catalog import QueryError, SavedQuery
from .vocabulary import XSD

UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.I,
)
DEFAULT_TIMEOUT = 30.0
Value = str | int | float | bool | None


@dataclass
class QueryResult:
    """SELECT rows, CONSTRUCT/DESCRIBE triples (N-Triples lines) or an ASK answer."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Value]] = field(default_factory=list)
    triples: list[str] = field(default_factory=list)
    boolean: bool | None = None


def strip_comments(text: str) -> str:
    """Query text without ``#`` comments (IRIs and strings kept intact)."""
    out = []
    for line in text.splitlines():
        out.append(re.sub(r'("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^>\s]*>)|#.*', _keep, line))
    return "\n".join(out)


def _keep(match: re.Match[str]) -> str:
    return match.group(1) or ""


def check(query: SavedQuery) -> None:
    """Refuse update forms and report syntax errors with file, line and column."""
    if UPDATE.match(strip_comments(query.text)):
        raise QueryError(f"{query.path}: this is a SPARQL update; `query` only reads the graph")
    try:
        ox.Store().query(query.text, use_default_graph_as_union=True)
    except SyntaxError as error:
        message = str(error)
        where = re.match(r"error at (\d+):(\d+): (.*)", message)
        if where:
            line, column, what = where.groups()
            raise QueryError(
                f"{query.path}:{line}:{column}: SPARQL syntax error: {what}"
            ) from error
        raise QueryError(f"{query.path}: SPARQL syntax error: {message}") from error


def python_value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Value:
    """A plain value for a term: numbers as numbers, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _typed(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _typed(value: str, datatype: str | None) -> Value:
    if datatype in (XSD + "integer", XSD + "int", XSD + "long"):
        return int(value)
    if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
        number = Decimal(value)
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
    query: SavedQuery,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    limit: int | None = None,
) -> QueryResult:
    check(query)
    answer = store.query(with_values(query.text, bindings), use_default_graph_as_union=True)
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
    """The query with a VALUES block of serialised terms opening its WHERE clause.

    The same text goes to the embedded store and to remote endpoints, so both
    bind parameters identically (pyoxigraph's own substitution only binds
    projected variables). Terms are written by pyoxigraph's N-Triples
    serialisation, which escapes quotes, newlines and braces, so a parameter
    can never end the literal it is in.
    """
    if not bindings:
        return text
    names = " ".join("?_" + k for k in bindings)
    terms = " ".join(str(v) for v in bindings.values())
    block = f" VALUES ({names}) {{ ({terms}) }} "
    clean = strip_comments(text)
    match = re.search(r"(?i)\bWHERE\s*\{", clean) or re.search(r"\{", clean)
    if not match:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return clean[: match.end()] + block + clean[match.end() :]


def run_remote(
    endpoint: str,
    query: SavedQuery,
    bindings: dict[str, ox.NamedNode | ox.Literal],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    limit: int | None = None,
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

    check(query)
    credentials = Credentials.from_env()
    form = query.form
    accept = (
        "application/sparql-results+json"
        if form in ("SELECT", "ASK")
        else "application/n-triples, text/turtle;q=0.5"
    )
    try:
        if graphs is None:
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
