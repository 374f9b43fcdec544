"""Load-run the web application: p50/p95 response time per page kind.

Starts the application on uvicorn on a free 127.0.0.1 port (the store given by
--store or INDSATSGRAF_STORE, built from the bundled documents if missing),
then 20 concurrent clients (asyncio + httpx) request a mix of page kinds until
--requests have been sent or --seconds have passed. Prints one line per page
kind. Run from the repository root:

    .venv/bin/python benchmarks/web_load.py --store /tmp/store
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import threading
import time
from collections import defaultdict
from pathlib import Path

PAGES = {
    "front": "/",
    "query": "/queries/multi-department-initiatives?department=SOF",
    "query-json": "/api/queries/status-overview.json",
    "thing": "/id/tvaergaaende-indsatsplan-2015/initiative/2.1.5",
    "document": "/documents/bif-indsatsplan-2018-2022",
    "search": "/search?q=botilbud",
    "indicators": "/indicators",
    "network": "/network/departments",
    "sparql": "/sparql?query=SELECT%20%28COUNT%28*%29%20AS%20%3Fn%29%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def client(base: str, kinds: list[str], timings: dict, budget: dict, deadline: float) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while budget["left"] > 0 and time.monotonic() < deadline:
            budget["left"] -= 1
            kind = kinds[budget["left"] % len(kinds)]
            start = time.perf_counter()
            response = await http.get(PAGES[kind])
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{PAGES[kind]} answered {response.status_code}")
            timings[kind].append(elapsed * 1000)


async def load(base: str, clients: int, requests: int, seconds: float) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    budget = {"left": requests}
    deadline = time.monotonic() + seconds
    kinds = list(PAGES)
    await asyncio.gather(*(client(base, kinds, timings, budget, deadline) for _ in range(clients)))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=os.environ.get("INDSATSGRAF_STORE"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=900)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument(
        "--no-cache", action="store_true", help="Turn the generation-keyed response cache off."
    )
    args = parser.parse_args()

    import uvicorn
    from indsatsgraf.graph.location import default_location
    from indsatsgraf.graph.pipeline import build
    from indsatsgraf.graph.store import GraphStore
    from indsatsgraf.web.app import Settings, create_app

    store = GraphStore(args.store or default_location())
    if not store.exists():
        build(store)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(store.path, read_only=True, cache=not args.no_cache))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(load(base, 1, len(PAGES), 60))  # warm-up: caches, search index
        started = time.monotonic()
        timings = asyncio.run(load(base, args.clients, args.requests, args.seconds))
        wall = time.monotonic() - started
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    total = sum(len(v) for v in timings.values())
    mode = "no cache" if args.no_cache else "response cache"
    print(
        f"{mode}: {total} requests, {args.clients} clients, {wall:.1f} s, {total / wall:.0f} requests/s"
    )
    print(f"{'page':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in PAGES:
        values = timings.get(kind, [])
        if values:
            print(
                f"{kind:<12} {len(values):>5} {statistics.median(values):>8.1f} "
                f"{percentile(values, 0.95):>8.1f}"
            )


if __name__ == "__main__":
    main()
