"""Load-run the web application: page latency, search latency, /sparql against `oxigraph serve`.

The application runs on uvicorn in its own process on a free 127.0.0.1 port,
as `indsatsgraf serve` runs it, so the load clients (asyncio + httpx, in this
process) never compete with it for the interpreter lock. Three measurements:

* pages: 20 concurrent clients request the page kinds in turn for a fixed
  number of requests, with the response cache off (every request is computed;
  what the application keeps per generation is used) and on. Things, searches
  and documents cycle through many distinct URLs, so most requests are a first
  visit of their URL. The first request of each kind on a fresh server is
  timed alone before the run.
* search: distinct Danish searches, one at a time, on a larger store.
* sparql: the same small saved queries sent by concurrent clients to the
  application's /sparql and to ``oxigraph serve-read-only`` on the same store
  generation, in alternating rounds, as requests per second.

Part of the harness (benchmarks/run.py, benchmarks/partial.py); alone::

    python benchmarks/web_load.py --store STORE [--search-store STORE] [--output web.json]
    python benchmarks/web_load.py --store STORE --baseline OLD_TREE   # before/after, one run

``--baseline`` serves the same store with the package in another checkout
(a folder holding an older commit's tree) and reports both, so a change is
measured as a ratio within one run on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ID = "https://w3id.org/indsatsgraf/id/"
CLIENTS = 20
#: Page kinds and their fixed URLs; things and searches get many distinct URLs (see urls()).
PAGES = {
    "front": ["/"],
    "query": [
        f"/queries/multi-department-initiatives?department={code}"
        for code in ("SOF", "BUF", "BIF", "SUF", "TMF", "ØKF", "KFF")
    ],
    "query-json": ["/api/queries/status-overview.json", "/api/queries/initiative-financing.json"],
    "thing": [],
    "document": [],
    "search": [],
    "indicators": ["/indicators"],
    "network": ["/network/departments", "/network/overview"],
}
#: Danish words a planner searches for: compounds, inflections, æ/ø/å and aa.
WORDS = (
    "botilbud", "pårørende", "familiehus", "Aarhus", "beskæftigelse", "handicap", "bolig",
    "sagsbehandling", "udsatte", "børn", "unge", "misbrug", "psykiatri", "fritid", "job",
    "frivillige", "borgere", "tilgængelighed", "hjælpemidler", "uddannelse", "sundhed",
    "økonomi", "indsats", "mål", "samarbejde", "kommunikation", "botilbudspladser", "støtte",
)  # fmt: skip
#: Saved queries sent to both SPARQL servers: small answers, no parameters needed.
SPARQL_QUERIES = ("ontology-terms", "department-collaboration-matrix", "links-awaiting-review")
SPARQL_CLIENTS = 8

SERVE = """
import sys
from pathlib import Path
import uvicorn
from indsatsgraf.web.app import Settings, create_app
store, port, cache = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "cache"
app = create_app(Settings(Path(store), read_only=True, cache=cache))
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_ms": statistics.median(values),
        "p95_ms": percentile(values, 0.95),
        "max_ms": max(values),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


@contextmanager
def _process(command: list[str], probe: str, env: dict | None = None) -> Iterator[None]:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        _wait(probe, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def application(store: Path, cache: bool, tree: Path | None = None) -> Iterator[str]:
    """The web application serving ``store``; its base URL.

    ``tree`` (a checkout of the repository) serves that tree's package instead of
    the installed one: a folder holding a link named ``indsatsgraf`` to it goes first
    on the path.
    """
    port = free_port()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as shim:
        if tree is not None:
            (Path(shim) / "indsatsgraf").symlink_to(Path(tree).resolve())
            env["PYTHONPATH"] = shim
        command = [sys.executable, "-c", SERVE, str(store), str(port), "cache" if cache else "-"]
        base = f"http://127.0.0.1:{port}"
        with _process(command, base + "/queries.json", env):
            yield base


@contextmanager
def oxigraph(store: Path) -> Iterator[str]:
    """``oxigraph serve-read-only`` on the live generation of ``store``; its query URL."""
    beside = Path(sys.executable).with_name("oxigraph")
    binary = str(beside) if beside.exists() else "oxigraph"
    port = free_port()
    location = (Path(store) / "current").resolve()
    command = [binary, "serve-read-only", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]  # fmt: skip
    url = f"http://127.0.0.1:{port}/query"
    with _process(command, url + "?query=ASK%7B%7D"):
        yield url


async def _get_json(base: str, path: str) -> dict:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        response = await http.get(path)
        response.raise_for_status()
        return response.json()


def urls(base: str) -> dict[str, list[str]]:
    """Every page kind's URLs: fixed ones, and things, searches and documents from the graph."""
    found = {kind: list(paths) for kind, paths in PAGES.items()}
    found["search"] = [f"/search?q={quote(word)}" for word in WORDS]
    front = asyncio.run(_get_json(base, "/index.json"))
    found["document"] = [f"/documents/{row['slug']}" for row in front["rows"]]
    things: list[str] = []
    for word in WORDS[:8]:
        for row in asyncio.run(_get_json(base, f"/search.json?q={quote(word)}"))["rows"]:
            path = "/id/" + row["iri"][len(ID) :] if row["iri"].startswith(ID) else None
            if path and path not in things:
                things.append(path)
    found["thing"] = things[:300]
    return found


@dataclass
class Run:
    """Milliseconds per request by kind, the wall time, and the answers other than 200 by kind."""

    timings: dict[str, list[float]]
    wall: float
    failed: dict[str, int]


async def _clients(
    base: str,
    schedule: list[tuple[str, str]],
    clients: int,
    headers: dict[str, str] | None = None,
) -> Run:
    """Send ``schedule`` ((kind, path) in order) with ``clients`` at a time; times per kind."""
    import httpx

    timings: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    queue = list(reversed(schedule))

    async def client(http: httpx.AsyncClient) -> None:
        while queue:
            kind, path = queue.pop()
            start = time.perf_counter()
            try:
                response = await http.get(path, headers=headers)
                status = response.status_code
            except httpx.TransportError:  # e.g. a kept-alive connection the server had closed
                status = 0
            elapsed = time.perf_counter() - start
            if status != 200:  # counted, and its time kept: it was waited for
                failures[kind] += 1
            timings[kind].append(elapsed * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        wall = time.perf_counter() - started
    return Run(timings, wall, dict(failures))


def _schedule(found: dict[str, list[str]], requests: int) -> list[tuple[str, str]]:
    """The page kinds in turn, each cycling through its URLs."""
    kinds = list(found)
    return [
        (kind, found[kind][(i // len(kinds)) % len(found[kind])])
        for i, kind in ((i, kinds[i % len(kinds)]) for i in range(requests))
    ]


def pages(
    store: Path, requests: int = 900, clients: int = CLIENTS, tree: Path | None = None
) -> dict:
    """Page latency per kind at ``clients`` concurrent clients, cache off and on."""
    result: dict = {"clients": clients, "requests": requests}
    for cache in (False, True):
        with application(store, cache, tree) as base:
            found = urls(base) if not cache else result["urls"]
            if not cache:
                first: dict[str, float] = {}
                for kind, paths in found.items():
                    lone = asyncio.run(_clients(base, [(kind, paths[-1])], 1))
                    first[kind] = lone.timings[kind][0]
                result["first_request_ms"] = first
                result["urls"] = found
            asyncio.run(_clients(base, [(k, p[0]) for k, p in found.items()], 1))  # warm-up
            run = asyncio.run(_clients(base, _schedule(found, requests), clients))
        total = sum(len(v) for v in run.timings.values())
        result["cache" if cache else "no_cache"] = {
            "requests_per_second": total / run.wall,
            "pages": {kind: summary(run.timings[kind]) for kind in found if run.timings[kind]},
            "failed": run.failed,
        }
    result["distinct_urls"] = {kind: len(paths) for kind, paths in result.pop("urls").items()}
    return result


def search(store: Path, repeat: int = 3, tree: Path | None = None) -> dict:
    """Latency of each search alone (/search.json, cache off), after one warm-up search."""
    with application(store, False, tree) as base:
        asyncio.run(_clients(base, [("warm", "/search.json?q=plan")], 1))
        timings: list[float] = []
        for _ in range(repeat):
            run = asyncio.run(
                _clients(base, [("search", f"/search.json?q={quote(w)}") for w in WORDS], 1)
            )
            if run.failed:
                raise RuntimeError(f"searches failed: {run.failed}")
            timings += run.timings["search"]
    return {"searches": len(WORDS), "repeat": repeat, **summary(timings)}


def _sparql_schedule(texts: list[str], requests: int, path: str) -> list[tuple[str, str]]:
    return [("sparql", f"{path}?query={quote(texts[i % len(texts)])}") for i in range(requests)]


def sparql(
    store: Path, requests: int = 300, rounds: int = 2, clients: int = SPARQL_CLIENTS
) -> dict:
    """Requests per second of the app's /sparql and of `oxigraph serve`, in alternating rounds."""
    from indsatsgraf.api import find_query

    texts = [find_query(name).text for name in SPARQL_QUERIES]
    accept = {"Accept": "application/sparql-results+json"}
    times: dict[str, list[float]] = {"app": [], "oxigraph": []}
    walls = {"app": 0.0, "oxigraph": 0.0}
    with application(store, False) as base, oxigraph(store) as endpoint:
        served = {"app": (base, "/sparql"), "oxigraph": (endpoint.removesuffix("/query"), "/query")}
        for root, path in served.values():  # warm-up: every query once
            asyncio.run(_clients(root, _sparql_schedule(texts, len(texts), path), 1, accept))
        for _ in range(rounds):
            for name, (root, path) in served.items():
                run = asyncio.run(
                    _clients(root, _sparql_schedule(texts, requests, path), clients, accept)
                )
                if run.failed:
                    raise RuntimeError(f"{name} failed {run.failed['sparql']} SPARQL requests")
                times[name] += run.timings["sparql"]
                walls[name] += run.wall
    found = {
        name: {"requests_per_second": len(times[name]) / walls[name], **summary(times[name])}
        for name in times
    }
    return {
        "queries": list(SPARQL_QUERIES),
        "clients": clients,
        "requests": requests * rounds,
        **found,
        "ratio": found["oxigraph"]["requests_per_second"] / found["app"]["requests_per_second"],
    }


def measure(
    store: Path,
    scale: int,
    search_store: Path | None = None,
    search_scale: int | None = None,
    requests: int = 900,
) -> dict:
    """The web section of the harness's results."""
    found = {
        "scale": scale,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load_average": os.getloadavg(),
        "pages": pages(store, requests),
        "sparql": {"scale": scale, **sparql(store)},
    }
    if search_store is not None:
        found["search"] = {"scale": search_scale, **search(search_store)}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (×1)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--search-store", type=Path, help="a larger store for the search run")
    parser.add_argument("--search-scale", type=int)
    parser.add_argument("--requests", type=int, default=900)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare pages with")
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    if args.baseline:
        found = {
            "baseline": {
                "tree": str(args.baseline),
                **pages(args.store, args.requests, tree=args.baseline),
            },
            "new": pages(args.store, args.requests),
        }
    else:
        found = {
            "command": "python benchmarks/web_load.py " + " ".join(sys.argv[1:]),
            "web": measure(
                args.store, args.scale, args.search_store, args.search_scale, args.requests
            ),
        }
    text = json.dumps(found, indent=1, ensure_ascii=False)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
