"""Load the graph into a remote store with the SPARQL 1.1 Graph Store Protocol.

Each named graph is sent with ``PUT ?graph=IRI`` (replacing what the endpoint
held under that name) and then counted back with a SPARQL query, so a push
that lost triples on the way is reported, not assumed.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from .sparql import DEFAULT_TIMEOUT


class RemoteError(Exception):
    """The endpoint could not be reached or refused the data."""


@dataclass(frozen=True)
class Endpoint:
    """A store reachable over HTTP: its query URL and its Graph Store URL."""

    query_url: str
    store_url: str

    @classmethod
    def from_url(cls, url: str, store_url: str | None = None) -> Endpoint:
        """Guess the Graph Store URL from the query URL (Oxigraph: /query → /store)."""
        if store_url:
            return cls(url, store_url)
        base = url.rstrip("/")
        for suffix in ("/query", "/sparql"):
            if base.endswith(suffix):
                return cls(url, base[: -len(suffix)] + "/store")
        return cls(url, base + "/store")


def _request(url: str, method: str, data: bytes | None, content_type: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", content_type)
    request.add_header("Accept", "application/sparql-results+json, */*;q=0.1")
    user = os.environ.get("INDSATSGRAF_ENDPOINT_USER")
    if user:
        secret = f"{user}:{os.environ.get('INDSATSGRAF_ENDPOINT_PASSWORD', '')}"
        request.add_header("Authorization", "Basic " + base64.b64encode(secret.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode("utf-8", "replace")
        raise RemoteError(f"{url}: HTTP {error.code} {error.reason}: {detail}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RemoteError(f"{url}: cannot reach the endpoint ({reason})") from error


def push(store: ox.Store, endpoint: Endpoint, timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
    """Upload every named graph; return the triple count per graph as read back."""
    counts: dict[str, int] = {}
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        quads = store.quads_for_pattern(None, None, None, graph)
        body = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
            format=ox.RdfFormat.N_TRIPLES,
        )
        url = endpoint.store_url + "?" + urllib.parse.urlencode({"graph": graph.value})
        _request(url, "PUT", body, "application/n-triples", timeout)
        counts[graph.value] = len(body.splitlines())
    for graph, expected in counts.items():
        found = remote_count(endpoint, graph, timeout)
        if found != expected:
            raise RemoteError(
                f"{endpoint.store_url}: graph {graph} holds {found} triples after the push, expected {expected}"
            )
    return counts


def remote_count(endpoint: Endpoint, graph: str, timeout: float) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
    url = endpoint.query_url
    body = _request(
        url,
        "POST",
        urllib.parse.urlencode({"query": query}).encode(),
        "application/x-www-form-urlencoded",
        timeout,
    )
    try:
        answer = json.loads(body)
        return int(answer["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError) as error:
        raise RemoteError(
            f"{url}: the answer to a count query was not SPARQL JSON results"
        ) from error
