"""A read-only SPARQL 1.1 Protocol endpoint over the live graph.

Queries come by GET (``?query=``) or POST (form field or a body of type
``application/sparql-query``). Updates are refused, as is ``SERVICE`` (the
endpoint must not make this server fetch from elsewhere); every query runs
under a time limit and returns at most ROW_CAP rows or triples, and the reply
says when it was cut (``X-Indsatsgraf-Truncated``).

Results are serialised here rather than by pyoxigraph so that the row cap can
stop reading early; the formats follow the W3C SPARQL 1.1 result specifications.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring as _string  # as json.dumps(ensure_ascii=False)
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..graph import sparql
from ..graph.deadline import QueryTimeout
from ..graph.query_guard import guard
from ..queries.catalog import QueryError
from .sparql_workers import QueryWorkers, WorkerError

ROW_CAP = 10_000
TIME_LIMIT = 20.0
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ("turtle", ox.RdfFormat.TURTLE),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
    "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
    "application/rdf+xml": ("rdfxml", ox.RdfFormat.RDF_XML),
}
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


class EndpointError(Exception):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Answer:
    body: bytes
    media_type: str
    truncated: bool


def checked(text: str) -> str:
    """The query if it only reads this graph; EndpointError otherwise.

    Size, nesting and SERVICE are checked here; the text is parsed by the worker
    that runs it, under the query's time limit (a syntax error is a 400 from there).
    """
    if not text.strip():
        raise EndpointError("no query given (send it as the query parameter)")
    refusal = _refusal(text) if len(text) <= MAX_REMEMBERED_TEXT else _refusal.__wrapped__(text)
    if refusal is not None:
        raise EndpointError(*refusal)
    return text


#: Query texts up to this many characters have their verdict remembered (see _refusal).
MAX_REMEMBERED_TEXT = 20_000


@lru_cache(maxsize=256)
def _refusal(text: str) -> tuple[str, int] | None:
    """Why the endpoint refuses ``text`` (message, status), or None.

    Remembered for recent texts: clients send the same queries again and again
    (a dashboard, the editor's examples, a script in a loop), and the token scan
    cost the server's event loop a millisecond or two of every such request. The
    verdict depends on the text alone, so a remembered one is the same answer.
    """
    try:
        guard(text, "<inline>")
    except QueryError as error:
        return str(error).replace("<inline>: ", ""), 403
    if sparql.UPDATE.match(sparql.strip_comments(text)):
        return "updates are not allowed: this endpoint is read-only", 403
    return None


def choose(accept: str, options: dict, default: str) -> str:
    """The first media type of ``accept`` that ``options`` knows (q-values in order given)."""
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.lower()))
    for _, _, media in sorted(ranked):
        if media in options:
            return media
    return default


async def answer(
    workers: QueryWorkers,
    generation: Path,
    text: str,
    accept: str,
    time_limit: float = TIME_LIMIT,
) -> Answer:
    """Run ``text`` (already checked) on ``generation`` and serialise it as ``accept`` asks.

    The query runs in one of the endpoint's worker processes, which is killed
    at the time limit, so a runaway query cannot hold a core after its client
    has been told it took too long.
    """
    try:
        return await workers.run(generation, text, accept, ROW_CAP, time_limit)
    except QueryTimeout as error:
        raise EndpointError(
            f"the query did not finish within {time_limit:g} s; narrow it down", 503
        ) from error
    except WorkerError as error:
        raise EndpointError(str(error), error.status) from error


def evaluate(store: ox.Store, text: str, accept: str, row_cap: int) -> Answer:
    """The answer of ``text`` on ``store``, at most ``row_cap`` rows (in a worker process)."""
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except (SyntaxError, ValueError, OSError) as error:
        raise EndpointError(f"the query failed: {str(error)[:300]}") from error
    if isinstance(result, ox.QueryBoolean):
        kind = SELECT_TYPES[choose(accept, SELECT_TYPES, "application/sparql-results+json")]
        return Answer(_boolean(bool(result), kind), MEDIA[kind], False)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = [], False
        for solution in result:
            if len(rows) == row_cap:
                truncated = True
                break
            rows.append(tuple(solution))  # its terms in the order of the variables
        kind = SELECT_TYPES[choose(accept, SELECT_TYPES, "application/sparql-results+json")]
        return Answer(_solutions(variables, rows, kind), MEDIA[kind], truncated)
    triples, truncated = [], False
    for triple in result:
        if len(triples) == row_cap:
            truncated = True
            break
        triples.append(triple)
    media = choose(accept, GRAPH_TYPES, "text/turtle")
    _, rdf_format = GRAPH_TYPES[media]
    body = ox.serialize(triples, format=rdf_format) or b""
    return Answer(body, f"{media}; charset=utf-8", truncated)


def _json_term(term: object) -> str:
    """One term as its JSON object, in the text ``json.dumps`` writes for it."""
    if isinstance(term, ox.NamedNode):
        return f'{{"type": "uri", "value": {_string(term.value)}}}'
    if isinstance(term, ox.BlankNode):
        return f'{{"type": "bnode", "value": {_string(term.value)}}}'
    value = _string(term.value)  # type: ignore[union-attr]
    if term.language:  # type: ignore[union-attr]
        return f'{{"type": "literal", "value": {value}, "xml:lang": {_string(term.language)}}}'  # type: ignore[union-attr]
    if term.datatype.value != XSD_STRING:  # type: ignore[union-attr]
        return (
            f'{{"type": "literal", "value": {value}, "datatype": {_string(term.datatype.value)}}}'  # type: ignore[union-attr]
        )
    return f'{{"type": "literal", "value": {value}}}'


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attributes = ""
    if term.language:  # type: ignore[union-attr]
        attributes = f" xml:lang={quoteattr(term.language)}"  # type: ignore[union-attr]
    elif term.datatype.value != XSD_STRING:  # type: ignore[union-attr]
        attributes = f" datatype={quoteattr(term.datatype.value)}"  # type: ignore[union-attr]
    return f"<literal{attributes}>{escape(term.value)}</literal>"  # type: ignore[union-attr]


def _json_solutions(variables: list[str], rows: list[tuple]) -> bytes:
    """The JSON results document, written as ``json.dumps`` writes the whole of it.

    Each distinct term is encoded once and the rows are joined as text: building
    a dict per cell and encoding the document took as long as a small query.
    """
    names = [_string(v) for v in variables]
    cells: dict[object, str] = {}
    bindings = []
    for row in rows:
        parts = []
        for name, term in zip(names, row, strict=True):
            if term is None:
                continue
            cell = cells.get(term)
            if cell is None:
                cell = cells[term] = _json_term(term)
            parts.append(f"{name}: {cell}")
        bindings.append("{" + ", ".join(parts) + "}")
    head = json.dumps({"vars": variables}, ensure_ascii=False)
    return f'{{"head": {head}, "results": {{"bindings": [{", ".join(bindings)}]}}}}'.encode()


def _solutions(variables: list[str], rows: list[tuple], kind: str) -> bytes:
    if kind == "json":
        return _json_solutions(variables, rows)
    if kind == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            for variable, term in zip(variables, row, strict=True):
                if term is not None:
                    out.append(f"<binding name={quoteattr(variable)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out.append("</results></sparql>")
        return "".join(out).encode()
    buffer = io.StringIO()
    if kind == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else t.value for t in row])
    else:
        buffer.write("\t".join("?" + v for v in variables) + "\n")
        for row in rows:
            buffer.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return buffer.getvalue().encode()


def _boolean(value: bool, kind: str) -> bytes:
    if kind == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>"
        ).encode()
    if kind in ("csv", "tsv"):
        return b"true\n" if value else b"false\n"
    return json.dumps({"head": {}, "boolean": value}).encode()
