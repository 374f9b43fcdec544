"""Load the graph into a remote store with the SPARQL 1.1 Graph Store Protocol.

Each named graph is sent with ``PUT ?graph=IRI`` (replacing what the endpoint
held under that name) and then counted back with a SPARQL query, so a push
that lost triples on the way is reported, not assumed. Where the Graph Store
lives differs per product (docs/endpoints.md); it is read from the server's
``Server`` header when not given.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import IndsatsgrafError
from .http import Credentials, HttpError, Response, exchange
from .query_files import query_file
from .sparql import DEFAULT_TIMEOUT, with_values

#: Triples per Graph Store request (about 4 MB of N-Triples).
PUSH_BATCH = 20_000


class RemoteError(IndsatsgrafError):
    """The endpoint could not be reached or refused the data."""


@dataclass(frozen=True)
class Endpoint:
    """A store reachable over HTTP: its query URL and its Graph Store URL."""

    query_url: str
    store_url: str

    @classmethod
    def discover(
        cls,
        url: str,
        store_url: str | None = None,
        *,
        credentials: Credentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Endpoint:
        """The Graph Store URL: given, or the one of the product answering at ``url``."""
        if store_url:
            return cls(url, store_url)
        probe = checked(
            sparql_request(url, "ASK {}", timeout=timeout, credentials=credentials),
            "the endpoint does not answer SPARQL",
            credentials,
        )
        return cls(url, store_url_for(url, probe.headers.get("server", ""), credentials))


def store_url_for(query_url: str, server: str, credentials: Credentials | None) -> str:
    """Where a product keeps its Graph Store, from its query URL and Server header."""
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    if "virtuoso" in server.lower():
        # /sparql-graph-crud only lets anonymous users write after a GRANT to
        # the SPARQL user; the -auth endpoint checks the user's own rights.
        path = "/sparql-graph-crud-auth" if credentials else "/sparql-graph-crud"
    elif "/repositories/" in path:  # GraphDB, RDF4J
        path = path.split("/statements")[0] + "/rdf-graphs/service"
    else:
        base = path
        for suffix in ("/query", "/sparql"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        path = base + ("/data" if "fuseki" in server.lower() else "/store")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def sparql_request(
    url: str,
    query: str,
    *,
    timeout: float,
    credentials: Credentials | None,
    accept: str = "application/sparql-results+json",
    graphs: list[str] | None = None,
) -> Response:
    """POST a query (form-encoded, UTF-8) with the project's graphs as its dataset."""
    fields = [("query", query)]
    for graph in graphs or []:
        fields += [("default-graph-uri", graph), ("named-graph-uri", graph)]
    try:
        return exchange(
            "POST",
            url,
            timeout=timeout,
            body=urllib.parse.urlencode(fields).encode("ascii"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                "Accept": accept,
            },
            credentials=credentials,
        )
    except HttpError as error:
        raise RemoteError(str(error)) from error


def checked(response: Response, what: str, credentials: Credentials | None) -> Response:
    """The response if it succeeded; else a RemoteError saying what failed and why."""
    if 200 <= response.status < 300:
        if "html" in response.content_type.lower() and response.body.strip():
            raise RemoteError(
                f"{response.url}: answered with an HTML page, not SPARQL results; is this a SPARQL endpoint URL?"
            )
        return response
    kind = response.content_type.lower()
    detail = "" if "html" in kind else response.body[:300].decode("utf-8", "replace").strip()
    if response.status == 401:
        detail = (
            "the credentials were refused"
            if credentials
            else "it asks for credentials: set INDSATSGRAF_ENDPOINT_USER and INDSATSGRAF_ENDPOINT_PASSWORD"
        )
    elif "html" in kind:
        detail = "with an HTML page"
    raise RemoteError(
        f"{response.url}: {what}: HTTP {response.status} {response.reason}"
        + (f" {detail}" if detail.startswith("with") else f": {detail}" if detail else "")
    )


def push(
    store: ox.Store,
    endpoint: Endpoint,
    timeout: float = DEFAULT_TIMEOUT,
    credentials: Credentials | None = None,
    batch: int = PUSH_BATCH,
) -> dict[str, int]:
    """Upload every named graph; return the triple count per graph as read back.

    A graph goes in requests of at most ``batch`` triples: the first replaces
    what the endpoint held under its name (PUT), the others add to it (POST).
    Virtuoso resets the connection on one request of a whole large graph (the
    links graph of a ×100 corpus, about 100 MB of N-Triples).
    """
    counts: dict[str, int] = {}
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]
        url = endpoint.store_url + "?" + urllib.parse.urlencode({"graph": graph.value})
        for start in range(0, max(len(triples), 1), batch):
            body = ox.serialize(triples[start : start + batch], format=ox.RdfFormat.N_TRIPLES)
            try:
                # N-Triples is Turtle; text/turtle is the one type every store takes.
                response = exchange(
                    "PUT" if start == 0 else "POST",
                    url,
                    timeout=timeout,
                    body=body,
                    headers={"Content-Type": "text/turtle; charset=UTF-8"},
                    credentials=credentials,
                )
            except HttpError as error:
                raise RemoteError(str(error)) from error
            checked(response, f"the store refused graph {graph.value}", credentials)
        counts[graph.value] = len(triples)
    for graph, expected in counts.items():
        found = remote_count(endpoint, graph, timeout, credentials)
        if found != expected:
            raise RemoteError(
                f"{endpoint.store_url}: graph {graph} holds {found} triples after the push, expected {expected}"
            )
    return counts


def remote_count(
    endpoint: Endpoint, graph: str, timeout: float, credentials: Credentials | None = None
) -> int:
    query = with_values(query_file(__package__, "graph-size"), {"graph": ox.NamedNode(graph)})
    response = sparql_request(endpoint.query_url, query, timeout=timeout, credentials=credentials)
    body = checked(response, "the count query failed", credentials).body
    try:
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError) as error:
        raise RemoteError(
            f"{endpoint.query_url}: the answer to a count query was not SPARQL JSON results"
        ) from error


def project_graphs(
    url: str, *, timeout: float, credentials: Credentials | None = None
) -> list[str]:
    """The project's named graphs held at the endpoint (its own system graphs left out)."""
    response = checked(
        sparql_request(
            url, query_file(__package__, "project-graphs"), timeout=timeout, credentials=credentials
        ),
        "listing the project's graphs failed",
        credentials,
    )
    try:
        rows = json.loads(response.body)["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows)
    except (ValueError, KeyError) as error:
        raise RemoteError(f"{url}: the graph list was not SPARQL JSON results") from error
