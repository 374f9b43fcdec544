"""Load-run the web application: page latency, search latency, /sparql against `oxigraph serve`.

The application runs on uvicorn in its own process on a free 127.0.0.1 port,
as `indsatsgraf serve` runs it (uvloop and httptools), so the load clients (in
this process) never compete with it for the interpreter lock. The clients are
plain asyncio keep-alive connections (Connection): httpx's client used about
30 times the processor time per request and, on a 2-core machine, took a core
from the server it measured; `client_cost` measures both against a trivial
server. Measurements:

* pages: 20 concurrent clients request the page kinds in turn for a fixed
  number of requests, with the response cache off (every request is computed;
  what the application keeps per generation is used) and on. Things, searches
  and documents cycle through many distinct URLs, so most requests are a first
  visit of their URL. The first request of each kind on a fresh server is
  timed alone before the run. The server's and the clients' processor time per
  request are recorded too: on a shared machine they vary less than latency.
* search: distinct Danish searches, one at a time, on a larger store.
* sparql: the same small saved queries sent by concurrent clients to the
  application's /sparql and to ``oxigraph serve-read-only`` on the same store
  generation, in alternating rounds, as requests per second.
* pages on a large store (``--large-store``): the same page kinds, fewer
  requests, every request computed.

Part of the harness (benchmarks/run.py, benchmarks/partial.py); alone::

    python benchmarks/web_load.py --store STORE [--search-store STORE] [--output web.json]
    python benchmarks/web_load.py --store STORE --baseline OLD_TREE --large-store X1000

``--baseline`` serves the same store with the package in another checkout
(a folder holding an older commit's tree, as it was installed: asyncio and
h11) and measures its pages in the same run, so a change is a ratio measured
within one run on a shared machine.
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

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
store, port, cache, loop, http = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "cache", *sys.argv[4:6]
app = create_app(Settings(Path(store), read_only=True, cache=cache))
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", loop=loop, http=http)
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
def _process(command: list[str], probe: str, env: dict | None = None) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        _wait(probe, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Server:
    """How the application is served: which tree, which event loop and HTTP parser
    (uvicorn's "auto" takes uvloop and httptools when installed, as `indsatsgraf
    serve` does; the tree before them had asyncio and h11)."""

    tree: Path | None = None
    loop: str = "auto"
    http: str = "auto"

    def describe(self) -> str:
        loop = {"auto": "uvloop"}.get(self.loop, self.loop)
        http = {"auto": "httptools"}.get(self.http, self.http)
        return f"{loop} + {http}"


SERVER = Server()


@contextmanager
def application(store: Path, cache: bool, server: Server = SERVER) -> Iterator[str]:
    """The web application serving ``store`` as ``server`` says; its base URL.

    ``server.tree`` (a checkout of the repository) serves that tree's package instead
    of the installed one: a folder holding a link named ``indsatsgraf`` to it goes
    first on the path.
    """
    port = free_port()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as shim:
        if server.tree is not None:
            (Path(shim) / "indsatsgraf").symlink_to(Path(server.tree).resolve())
            env["PYTHONPATH"] = shim
        command = [sys.executable, "-c", SERVE, str(store), str(port), "cache" if cache else "-",
                   server.loop, server.http]  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        with _process(command, base + "/queries.json", env) as process:
            SERVED[base] = process.pid
            yield base


#: The process id of the server at each base URL (its worker processes are its children).
SERVED: dict[str, int] = {}


def processor_seconds(pid: int) -> float:
    """Processor seconds a process and its children have used so far (from /proc)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += processor_seconds(int(child))
    except (OSError, IndexError, ValueError):  # gone in between, or no /proc
        pass
    return total


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


class Connection:
    """One kept-alive HTTP/1.1 connection: a GET written by hand, the answer read by its length.

    httpx's per-request work (its models, header objects, pool bookkeeping) cost the
    load clients more processor time than the pages cost the server on a 2-core
    machine, so the clients measured themselves; this reads just what is needed.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """The status and body of GET ``path`` (one reconnect if the kept connection closed)."""
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                return await self._exchange(path, headers or {})
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        path = quote(path, safe="/?&=%:;,+@~")  # a request line is ASCII: ØKF as %C3%98KF
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{extra}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            body = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunks()
        else:  # neither: the body ends with the connection
            body = await self.reader.read()
            self.close()
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, body

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append((await self.reader.readexactly(size + 2))[:-2])
        await self.reader.readuntil(b"\r\n")  # the empty trailer
        return b"".join(parts)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _address(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    return parts.hostname or "127.0.0.1", parts.port or 80


async def _get_json(base: str, path: str, patience: float = 600) -> dict:
    """The JSON at ``path``, asking again while the server says it is still computing (503)."""
    connection = Connection(*_address(base))
    deadline = time.monotonic() + patience
    try:
        while True:
            status, body = await connection.get(path)
            if status != 503 or time.monotonic() > deadline:
                break
            await asyncio.sleep(2)
    finally:
        connection.close()
    if status != 200:
        raise RuntimeError(f"{base}{path} answered {status}")
    return json.loads(body)


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
    """Milliseconds per request by kind, the wall time, the answers other than 200 by kind."""

    timings: dict[str, list[float]]
    wall: float
    failed: dict[str, int]
    #: Processor seconds the clients themselves used (this process), for their share of the run.
    client_seconds: float = 0.0
    #: The statuses other than 200 by kind, and how often (0: no answer at all).
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)


async def _clients(
    base: str,
    schedule: list[tuple[str, str]],
    clients: int,
    headers: dict[str, str] | None = None,
) -> Run:
    """Send ``schedule`` ((kind, path) in order) with ``clients`` at a time; times per kind."""
    timings: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    statuses: dict[str, dict[int, int]] = {}
    queue = list(reversed(schedule))

    async def client(connection: Connection) -> None:
        try:
            while queue:
                kind, path = queue.pop()
                start = time.perf_counter()
                try:
                    status, _ = await connection.get(path, headers)
                except (OSError, asyncio.IncompleteReadError):
                    status = 0
                elapsed = time.perf_counter() - start
                if status != 200:  # counted, and its time kept: it was waited for
                    failures[kind] += 1
                    statuses.setdefault(kind, defaultdict(int))[status] += 1
                timings[kind].append(elapsed * 1000)
        finally:
            connection.close()

    host, port = _address(base)
    started, processor = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client(Connection(host, port)) for _ in range(clients)))
    wall, processor = time.perf_counter() - started, time.process_time() - processor
    return Run(timings, wall, dict(failures), processor, statuses)


def _schedule(found: dict[str, list[str]], requests: int) -> list[tuple[str, str]]:
    """The page kinds in turn, each cycling through its URLs."""
    kinds = list(found)
    return [
        (kind, found[kind][(i // len(kinds)) % len(found[kind])])
        for i, kind in ((i, kinds[i % len(kinds)]) for i in range(requests))
    ]


def pages(
    store: Path,
    requests: int = 900,
    clients: int = CLIENTS,
    server: Server = SERVER,
    modes: tuple[bool, ...] = (False, True),
) -> dict:
    """Page latency per kind at ``clients`` concurrent clients, cache off and on (``modes``)."""
    result: dict = {"clients": clients, "requests": requests, "server": server.describe()}
    found: dict[str, list[str]] = {}
    for cache in modes:
        with application(store, cache, server) as base:
            if not found:
                found = urls(base)
                first: dict[str, float] = {}
                for kind, paths in found.items():
                    lone = asyncio.run(_clients(base, [(kind, paths[-1])], 1))
                    first[kind] = lone.timings[kind][0]
                result["first_request_ms"] = first
            asyncio.run(_clients(base, [(k, p[0]) for k, p in found.items()], 1))  # warm-up
            before = processor_seconds(SERVED[base])
            run = asyncio.run(_clients(base, _schedule(found, requests), clients))
            server_seconds = processor_seconds(SERVED[base]) - before
        total = sum(len(v) for v in run.timings.values())
        result["cache" if cache else "no_cache"] = {
            "requests_per_second": total / run.wall,
            "server_ms_per_request": server_seconds * 1000 / total,
            "client_ms_per_request": run.client_seconds * 1000 / total,
            "pages": {kind: summary(run.timings[kind]) for kind in found if run.timings[kind]},
            "failed": run.failed,
            "statuses": {
                kind: {str(status): n for status, n in found.items()}
                for kind, found in run.statuses.items()
            },
        }
    result["distinct_urls"] = {kind: len(paths) for kind, paths in found.items()}
    return result


TRIVIAL = """
import sys
import uvicorn
body = b"x" * 20_000
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"20000")]})
    await send({"type": "http.response.body", "body": body})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


async def _httpx_clients(base: str, paths: list[str], clients: int) -> float:
    """The processor seconds httpx's client needs for ``paths`` (the client used before)."""
    import httpx

    queue = list(paths)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:

        async def client() -> None:
            while queue:
                (await http.get(queue.pop())).raise_for_status()

        processor = time.process_time()
        await asyncio.gather(*(client() for _ in range(clients)))
        return time.process_time() - processor


def client_cost(requests: int = 2000, clients: int = CLIENTS) -> dict:
    """Processor milliseconds per request of each load client against a trivial server
    (20 kB answers, no work), so the clients' own share of a 2-core machine is known."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    paths = [f"/{i}" for i in range(requests)]
    with _process([sys.executable, "-c", TRIVIAL, str(port)], base + "/"):
        lean = asyncio.run(_clients(base, [("x", p) for p in paths], clients))
        if lean.failed:
            raise RuntimeError(f"the trivial server failed {lean.failed['x']} requests")
        httpx_seconds = asyncio.run(_httpx_clients(base, paths, clients))
    return {
        "requests": requests,
        "clients": clients,
        "lean_ms_per_request": lean.client_seconds * 1000 / requests,
        "httpx_ms_per_request": httpx_seconds * 1000 / requests,
        "lean_requests_per_second": requests / lean.wall,
    }


def search(store: Path, repeat: int = 3, server: Server = SERVER) -> dict:
    """Latency of each search alone (/search.json, cache off), after one warm-up search."""
    with application(store, False, server) as base:
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
    server: Server = SERVER,
    baseline: Path | None = None,
    large: tuple[Path, int, int] | None = None,
) -> dict:
    """The web section of the harness's results.

    ``baseline`` (an older checkout) is served as it was installed (one process,
    asyncio and h11) and measured in the same run, before the new tree;
    ``large`` (store, scale, requests) adds the page run on a larger store,
    every request computed.
    """
    found: dict = {
        "scale": scale,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load_average": os.getloadavg(),
        "client_cost": client_cost(),
    }
    if baseline is not None:
        old = Server(tree=baseline, loop="asyncio", http="h11")
        found["pages_baseline"] = {"tree": str(baseline), **pages(store, requests, server=old)}
    found["pages"] = pages(store, requests, server=server)
    found["sparql"] = {"scale": scale, **sparql(store)}
    if search_store is not None:
        found["search"] = {"scale": search_scale, **search(search_store)}
    if large is not None:
        large_store, large_scale, large_requests = large
        found["pages_large"] = {
            "scale": large_scale,
            **pages(large_store, large_requests, server=server, modes=(False,)),
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (×1)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--search-store", type=Path, help="a larger store for the search run")
    parser.add_argument("--search-scale", type=int)
    parser.add_argument("--requests", type=int, default=900)
    parser.add_argument("--baseline", type=Path, help="an older checkout, measured in the same run")
    parser.add_argument("--large-store", type=Path, help="a larger store for a page run")
    parser.add_argument("--large-scale", type=int, default=1000)
    parser.add_argument("--large-requests", type=int, default=240)
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    server = SERVER
    large = (args.large_store, args.large_scale, args.large_requests) if args.large_store else None
    web = measure(
        args.store,
        args.scale,
        args.search_store,
        args.search_scale,
        args.requests,
        server,
        args.baseline,
        large,
    )
    found = {"command": "python benchmarks/web_load.py " + " ".join(sys.argv[1:]), "web": web}
    text = json.dumps(found, indent=1, ensure_ascii=False)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
