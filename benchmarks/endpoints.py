"""The embedded store, an Oxigraph server and Virtuoso on the same ×N corpus, in one run.

The comparison tests/test_virtuoso.py makes on the bundled documents, at
scale: a generated corpus (benchmarks/generate.py) is built into an embedded
store, that store is served by ``oxigraph serve-read-only`` and pushed to a
``virtuoso-t`` of its own (tests/servers.py), and every saved query runs on
all three, each store in turn per query so that a change in the machine's
load falls on all three alike. Each query's first run is its cold time; the
least of the next ``--repeat`` runs its warm time. Rows and any error are
recorded per store, and Virtuoso's resident memory after the push and after
each pass. A run that passes ``--limit`` seconds stops that store's
runs of the query and is recorded as its error. The results go into benchmarks/results/results.json (under
``endpoints``) and BENCHMARKS.md is re-rendered from it::

    python benchmarks/endpoints.py                 # ×100, about 20 minutes
    python benchmarks/endpoints.py --scale 10      # a smoke test

Remote queries go through ``graph.sparql.run_remote`` (graph/http.py) with
the project's graphs listed once beforehand, so a timing is one request.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

import report  # noqa: E402
import run  # noqa: E402
import tasks  # noqa: E402

#: Virtuoso's suggested buffers for a machine with 2 GB to give it (8 KB pages,
#: about 1.3 GB): the ×100 corpus (about 1.2 million quads) and its indexes fit
#: with room to spare, so warm runs read no page from disk. MaxDirtyBuffers is
#: three quarters of it (tests/servers.py), as virtuoso.ini suggests.
VIRTUOSO_BUFFERS = 170_000
#: Raised from Virtuoso's 10,000 rows so that no answer is cut short here (the
#: largest ×100 answer has about 33,000 rows).
VIRTUOSO_MAX_ROWS = 1_000_000
#: 0 switches off MaxQueryCostEstimationTime: Virtuoso's estimates at ×100 were
#: hours for queries that run in seconds, and it refused them unrun.
VIRTUOSO_MAX_ESTIMATE = 0
#: Seconds a store gets for one run of a query; Virtuoso's MaxQueryExecutionTime
#: is set to the same, so it stops a query itself instead of working on after
#: the client gave up.
LIMIT = 120.0
#: Seconds Virtuoso gets to start on a pushed database (it may replay its log).
VIRTUOSO_START = 900.0
#: Seconds for pushing the graph to Virtuoso.
PUSH_TIMEOUT = 3600.0
STORES = ("embedded", "oxigraph", "virtuoso")


def rss(pid: int) -> dict[str, int]:
    """Resident and peak resident memory of a process, in bytes (Linux /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return {"rss_bytes": fields.get("VmRSS", 0), "peak_bytes": fields.get("VmHWM", 0)}


class Virtuoso:
    """The benchmark's Virtuoso, restarted on its own database when a query leaves it mute.

    A Virtuoso 7.2.5 that took a query it could not finish in time has been
    seen to stop answering every request, even ASK {}; the runs after it would
    all fail for a cause not theirs. Its database stays in ``folder``, so a
    restart costs no second push.
    """

    def __init__(self, folder: Path, limit: float) -> None:
        self.folder, self.limit = folder, limit
        self.restarts = 0
        self._stack = contextlib.ExitStack()
        self.running = self._start()

    def _start(self):  # type: ignore[no-untyped-def]
        from servers import virtuoso_process

        return self._stack.enter_context(
            virtuoso_process(
                self.folder,
                buffers=VIRTUOSO_BUFFERS,
                max_rows=VIRTUOSO_MAX_ROWS,
                max_seconds=int(self.limit),
                max_estimate=VIRTUOSO_MAX_ESTIMATE,
                start_seconds=VIRTUOSO_START,
            )
        )

    def answers(self) -> bool:
        from indsatsgraf.graph.http import HttpError, exchange

        try:
            return exchange("GET", self.running.url + "?query=ASK%7B%7D", timeout=10).status == 200
        except HttpError:
            return False

    def restart_if_mute(self) -> bool:
        """Restart when ASK {} goes unanswered; True if it was restarted."""
        if self.answers():
            return False
        run.say("Virtuoso does not answer ASK {}: restarting it on its database")
        self._stack.close()
        self._stack = contextlib.ExitStack()
        self.running = self._start()
        self.restarts += 1
        return True

    def close(self) -> None:
        self._stack.close()


def timed(call: Callable[[], int], repeat: int) -> dict:
    """Cold (first run) and warm (least of ``repeat`` more) seconds, rows; or the error."""
    times, rows = [], 0
    try:
        for _ in range(1 + repeat):
            start = time.perf_counter()
            rows = call()
            times.append(time.perf_counter() - start)
    except Exception as error:  # a store that cannot run a query is a result
        message = str(error).strip().splitlines()[0][:240] if str(error).strip() else ""
        return {"error": f"{type(error).__name__}: {message}", "times": times}
    return {"cold": times[0], "warm": min(times[1:]) if repeat else times[0], "rows": rows}


def measure(
    work: Path,
    scale: int,
    seed: int,
    repeat: int,
    limit: float,
    progress: Callable[[dict], None] | None = None,
) -> dict:
    """Build, serve, push and query; every figure of the report's endpoint section.

    ``progress`` gets the results so far after each query (marked unfinished),
    so a run stopped part-way still leaves its measurements.
    """
    import pyoxigraph as ox
    from indsatsgraf.graph.http import Credentials
    from indsatsgraf.graph.remote import Endpoint, project_graphs, push
    from indsatsgraf.graph.sparql import run_embedded, run_remote
    from servers import VIRTUOSO_USER, oxigraph_server

    run.say(f"endpoints ×{scale}: generating the corpus")
    documents, manifest, _ = run.corpus(work, scale, seed)
    store = work / "stores" / f"endpoints-x{scale}"
    run.say(f"endpoints ×{scale}: building")
    built = run.builds(documents, store, 1, link=True, compact=True)
    current = (store / "current").resolve()
    oxstore = ox.Store.read_only(str(current))
    folder = work / "virtuoso" / f"x{scale}"
    shutil.rmtree(folder, ignore_errors=True)
    admin = Credentials(*VIRTUOSO_USER)
    result: dict = {
        "scale": scale,
        "seed": seed,
        "repeat": repeat,
        "limit": limit,
        "commit": run.machine()["commit"],
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "documents": len(manifest["documents"]),
        "triples": built["triples"],
        "build_seconds": built["seconds"],
        "compact": True,
        "virtuoso_config": {
            "NumberOfBuffers": VIRTUOSO_BUFFERS,
            "MaxDirtyBuffers": VIRTUOSO_BUFFERS * 3 // 4,
            "ResultSetMaxRows": VIRTUOSO_MAX_ROWS,
            "MaxQueryExecutionTime": int(limit),
            "MaxQueryCostEstimationTime": VIRTUOSO_MAX_ESTIMATE,
        },
        "oxigraph_dataset": "union-default-graph",
        "memory": {},
        "restarts": [],
        "queries": {},
    }
    virtuoso = Virtuoso(folder, limit)
    try:
        # The Oxigraph server holds only the project's graphs, so it reads them as
        # the union default graph; naming 500 graphs as the dataset of every query
        # made each pattern a union of 500 look-ups (timeouts in the first run).
        with oxigraph_server(current, read_only=True, union_default_graph=True) as oxigraph:
            result["memory"]["started"] = rss(virtuoso.running.pid)
            run.say(f"endpoints ×{scale}: pushing to Virtuoso")
            start = time.perf_counter()
            endpoint = Endpoint.discover(virtuoso.running.url, credentials=admin, timeout=60)
            counts = push(oxstore, endpoint, PUSH_TIMEOUT, admin)
            result["push_seconds"] = time.perf_counter() - start
            result["pushed_triples"] = sum(counts.values())
            result["memory"]["pushed"] = rss(virtuoso.running.pid)
            # Virtuoso's default graph holds its system graphs too: the project's are named.
            graphs = {"oxigraph": [], "virtuoso": project_graphs(virtuoso.running.url, timeout=60)}
            urls = {"oxigraph": lambda: oxigraph, "virtuoso": lambda: virtuoso.running.url}
            for name, query in tasks._queries():
                run.say(f"endpoints ×{scale}: {name}")
                bindings = query.bindings(tasks.corpus_parameters(name, str(documents)))
                calls = {
                    "embedded": lambda q=query, b=bindings: len(
                        run_embedded(oxstore, q, b, timeout=limit).rows
                    )
                }
                for remote in ("oxigraph", "virtuoso"):
                    calls[remote] = lambda q=query, b=bindings, r=remote: len(
                        run_remote(urls[r](), q, b, timeout=limit, graphs=graphs[r]).rows
                    )
                runs = {}
                for store_name in STORES:
                    runs[store_name] = timed(calls[store_name], repeat)
                    failed = "error" in runs[store_name]
                    if store_name == "virtuoso" and failed and virtuoso.restart_if_mute():
                        result["restarts"].append(name)
                result["queries"][name] = runs
                if progress:
                    progress({**result, "unfinished": True})
            result["memory"]["queried"] = rss(virtuoso.running.pid)
    finally:
        virtuoso.close()
    return result


def save(result: dict, results_path: Path, markdown_path: Path, partials: list[Path]) -> None:
    """Into the harness's results (other sections kept) and BENCHMARKS.md re-rendered.

    The scales measured in part (``partials``) are added as
    ``benchmarks/report.py`` adds them, so that re-rendering keeps their sections.
    """
    results = json.loads(results_path.read_text(encoding="utf-8"))
    results["endpoints"] = result
    results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    for partial in partials:
        report.add_partial(results, json.loads(partial.read_text(encoding="utf-8")))
    results["targets"] = report.targets(results)
    markdown_path.write_text(report.markdown(results), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs after the cold one")
    parser.add_argument(
        "--limit", type=float, default=LIMIT, help="seconds a store gets for one run of a query"
    )
    parser.add_argument("--work", type=Path, default=HERE / "work", help="corpora and stores")
    parser.add_argument("--results", type=Path, default=HERE / "results" / "results.json")
    parser.add_argument("--markdown", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--partial",
        type=Path,
        nargs="*",
        help="results of scales run in part (default: every *-partial.json beside --results)",
    )
    args = parser.parse_args(argv)
    partials = (
        args.partial
        if args.partial is not None
        else sorted(args.results.parent.glob("*-partial.json"))
    )
    started = time.perf_counter()
    result = measure(
        args.work,
        args.scale,
        args.seed,
        args.repeat,
        args.limit,
        lambda unfinished: save(unfinished, args.results, args.markdown, partials),
    )
    result["seconds"] = time.perf_counter() - started
    save(result, args.results, args.markdown, partials)
    run.say(f"wrote {args.results} and {args.markdown} in {result['seconds'] / 60:.1f} min")


if __name__ == "__main__":
    main()
