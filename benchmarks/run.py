"""The benchmark harness: one command measures everything and writes BENCHMARKS.md.

It generates synthetic corpora at each scale (benchmarks/generate.py), builds
them with the library, runs every saved query on the embedded Oxigraph store,
on rdflib's in-memory store loaded with the same quads, and on an oxigraph
server on 127.0.0.1 through the project's HTTP client (graph/http.py), times the command line's start-up,
renders network pages in headless Chromium (benchmarks/viz_stable.py), and
records peak memory. Every measurement runs in a fresh process; figures are
medians of the repetitions. Results go to benchmarks/results/results.json and,
as tables, to BENCHMARKS.md at the repository root::

    python benchmarks/run.py                      # ×1, ×100, ×1000 (about two hours)
    python benchmarks/run.py --quick              # ×1 and ×10, a smoke test (minutes)

The embedded store, an Oxigraph server and Virtuoso are compared at
``--endpoints-scale`` (benchmarks/endpoints.py, which also runs alone).

At scales of ``--large`` (1000) and above, every measurement runs
``--large-repeat`` times (default once, without a warm-up run), and each rdflib
query is stopped after ``--rdflib-limit`` seconds (its finished runs count); the
report says where that happened.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TASKS = HERE / "tasks.py"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import report  # noqa: E402

STARTUP_QUERY = "multi-department-initiatives"


def child(args: list[str]) -> tuple[str, float, int]:
    """Run a command; return its stdout, wall seconds and peak resident memory (bytes).

    ``os.wait4`` reports the peak of this one child (and the processes it
    waited for), not of every child so far.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(args)} failed:\n{err.read()}")
        out.seek(0)
        return out.read(), wall, usage.ru_maxrss * 1024


def task(*args: str) -> tuple[dict, float, int]:
    stdout, wall, peak = child([sys.executable, str(TASKS), *args])
    return json.loads(stdout), wall, peak


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ---------------------------------------------------------------- machine


def machine() -> dict:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) * 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    versions = {}
    for package in ("pyoxigraph", "rdflib", "SPARQLWrapper", "playwright"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # an absent package is reported, not fatal
            versions[package] = "not installed"
    server = oxigraph_binary()
    versions["oxigraph server"] = (
        subprocess.run([server, "--version"], capture_output=True, text=True).stdout.strip()
        if server
        else "not installed"
    )
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit or "unknown",
        "load_average": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def cli_command() -> list[str]:
    """The installed ``indsatsgraf`` command, else the module it runs."""
    beside = Path(sys.executable).with_name("indsatsgraf")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("indsatsgraf")
    return [found] if found else [sys.executable, "-m", "indsatsgraf.cli"]


# ---------------------------------------------------------------- measurements


def corpus(work: Path, scale: int, seed: int) -> tuple[Path, dict, float | None]:
    """The generated corpus of a scale, written once and reused while seed and scale agree."""
    folder = work / "corpora" / f"x{scale}"
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest["seed"] == seed and manifest["scale"] == scale:
            return folder / "documents", manifest, manifest.get("seconds")
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    generate.generate(folder, scale, seed)
    seconds = time.perf_counter() - start
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["seconds"] = seconds
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder / "documents", manifest, seconds


def builds(documents: Path, store: Path, repeat: int, link: bool, compact: bool) -> dict:
    """Build ``repeat`` times into fresh stores; the last one is kept for the queries."""
    runs = []
    for _ in range(repeat):
        shutil.rmtree(store, ignore_errors=True)
        result, wall, peak = task(
            "build",
            str(documents),
            str(store),
            "link" if link else "nolink",
            "compact" if compact else "nocompact",
        )
        runs.append({**result, "process_seconds": wall, "peak_bytes": peak})
    seconds = median([run["seconds"] for run in runs])
    phases = sorted({phase for run in runs for phase in run["phases"]})
    return {
        "repeat": repeat,
        "links": link,
        "compact": compact,
        "documents": runs[-1]["documents"],
        "triples": runs[-1]["triples"],
        "seconds": seconds,
        "runs": [run["seconds"] for run in runs],
        "documents_per_second": runs[-1]["documents"] / seconds,
        "triples_per_second": runs[-1]["triples"] / seconds,
        "phases": {p: median([run["phases"].get(p, 0.0) for run in runs]) for p in phases},
        "peak_bytes": max(run["peak_bytes"] for run in runs),
    }


def corpus_summary(manifest: dict, documents: Path, generated: float) -> dict:
    """What a generated corpus holds, as every results file records it."""
    return {
        "documents": len(manifest["documents"]),
        **manifest["totals"],
        "bytes": sum(p.stat().st_size for p in documents.glob("*.txt")),
        "generate_seconds": generated,
    }


def summarise(queries: dict) -> dict:
    """Median per query; an error, or a first run stopped at the time limit, instead."""
    summary = {}
    for name, q in queries.items():
        if "error" in q:
            summary[name] = {"error": q["error"]}
        elif not q["times"]:
            summary[name] = {"stopped_after": q["stopped_after"]}
        else:
            summary[name] = {"median": median(q["times"]), "times": q["times"], "rows": q["rows"]}
            if "stopped_after" in q:
                summary[name]["stopped_after"] = q["stopped_after"]
    return summary


def linking_growth(work: Path, scales: list[int], seed: int) -> list[dict]:
    """The linking step alone at small scales, to show how its time grows with the corpus."""
    found = []
    for scale in scales:
        documents, _, _ = corpus(work, scale, seed)
        result, _, peak = task("linking", str(documents))
        found.append({"scale": scale, **result, "peak_bytes": peak})
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served(store: Path, documents: Path, repeat: int) -> dict:
    """Every saved query through ``graph.sparql.run_remote`` against ``oxigraph serve-read-only``."""
    binary = oxigraph_binary()
    if binary is None:
        return {"error": "the oxigraph server binary is not installed (pip install oxigraph)"}
    port = free_port()
    location = (store / "current").resolve()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        result, _, _ = task("remote", endpoint, str(repeat), str(documents))
        return {"queries": summarise(result["queries"])}
    finally:
        server.terminate()
        server.wait(timeout=30)


def with_rdflib(
    store: Path,
    documents: Path,
    dump: Path,
    repeat: int,
    limit: float,
    triples: int,
    max_quads: int,
) -> dict:
    """rdflib's in-memory Dataset loaded with the store's quads; each query stops at ``limit``.

    Above ``max_quads`` rdflib is not run: it holds every quad as Python
    objects (about 2.3 KiB a quad measured at ×100), so a larger store would not
    fit in memory beside anything else. The report then projects the memory it
    would need from the smaller scales.
    """
    import pyoxigraph as ox

    if triples > max_quads:
        return {"skipped": f"{triples:,} quads is more than --rdflib-max-quads {max_quads:,}"}
    # Dumped afresh every run: the store was just rebuilt, perhaps by other code.
    ox.Store.read_only(str((store / "current").resolve())).dump(
        str(dump), format=ox.RdfFormat.N_QUADS
    )
    lines = dump.with_suffix(".jsonl")
    lines.unlink(missing_ok=True)
    failure, peak = None, None
    try:
        _, _, peak = child(
            [
                sys.executable,
                str(TASKS),
                "rdflib",
                str(dump),
                str(repeat),
                str(limit),
                str(lines),
                str(documents),
            ]  # fmt: skip
        )
    except RuntimeError as error:  # e.g. killed for memory: keep what finished, say why
        failure = str(error).strip().splitlines()[-1][:300]
    records = (
        [json.loads(line) for line in lines.read_text().splitlines()] if lines.exists() else []
    )
    load = next((r for r in records if "load_seconds" in r), None)
    queries = {r["query"]: r for r in records if "query" in r}
    return {
        "repeat": repeat,
        "load_seconds": load["load_seconds"] if load else None,
        "quads": load["quads"] if load else None,
        "queries": summarise(queries),
        "limit": limit,
        "peak_bytes": peak,
        "failure": failure,
    }


def startup(store: Path, repeat: int) -> dict:
    """Wall time of ``indsatsgraf --help`` and of a saved query, process start included."""
    command = cli_command()
    results = {"command": " ".join(Path(c).name if c == sys.executable else c for c in command)}
    for name, args in (
        ("help", [*command, "--help"]),
        ("query", [*command, "--store", str(store), "query", STARTUP_QUERY]),
    ):
        child(args)  # warm the file cache, as a user's second call is
        results[name] = median([child(args)[1] for _ in range(repeat)])
    return results


def web(work: Path, scales: list[int], search_scale: int) -> dict:
    """benchmarks/web_load.py: pages and /sparql on the smallest store, search on a larger one.

    Search runs on the largest store built up to ``search_scale``: the archive
    scale is not built for it (its corpus and build take far longer than the
    measurement may).
    """
    output = work / "web.json"
    store = work / "stores" / f"x{min(scales)}"
    larger = max((s for s in scales if s <= search_scale), default=min(scales))
    try:
        child(
            [
                sys.executable,
                str(HERE / "web_load.py"),
                "--store",
                str(store),
                "--scale",
                str(min(scales)),
                "--search-store",
                str(work / "stores" / f"x{larger}"),
                "--search-scale",
                str(larger),
                "--output",
                str(output),
            ]  # fmt: skip
        )
    except RuntimeError as error:
        return {"error": str(error).strip().splitlines()[-1][:300]}
    return json.loads(output.read_text(encoding="utf-8"))["web"]


def viz(work: Path) -> dict:
    """benchmarks/viz_stable.py: HTML generation and time to a stable picture in Chromium."""
    output = work / "viz.json"
    try:
        child([sys.executable, str(HERE / "viz_stable.py"), str(output)])
    except RuntimeError as error:
        return {"error": str(error).splitlines()[-1]}
    return json.loads(output.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100,1000", help="comma-separated scale factors")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement")
    parser.add_argument("--large", type=int, default=1000, help="scales from here are large")
    parser.add_argument("--large-repeat", type=int, default=1, help="repetitions if large")
    parser.add_argument(
        "--rdflib-limit", type=float, default=60, help="seconds per query on rdflib (all runs)"
    )
    parser.add_argument(
        "--rdflib-max-quads", type=int, default=9_000_000, help="larger stores skip rdflib"
    )
    parser.add_argument(
        "--link-up-to",
        type=int,
        default=100,
        help="build with cross-document links up to this scale (see the report for why)",
    )
    parser.add_argument(
        "--link-scales", default="1,10,100", help="scales at which linking alone is timed"
    )
    parser.add_argument(
        "--endpoints-scale",
        type=int,
        default=100,
        help="scale of the embedded/Oxigraph server/Virtuoso comparison (0: skip it)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work", help="corpora and stores")
    parser.add_argument("--no-viz", action="store_true", help="skip the browser measurements")
    parser.add_argument("--no-web", action="store_true", help="skip the web application's load run")
    parser.add_argument(
        "--web-search-scale", type=int, default=100, help="largest scale the web search runs on"
    )
    parser.add_argument("--no-server", action="store_true", help="skip the oxigraph server")
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib's in-memory store")
    parser.add_argument(
        "--no-compact", action="store_true", help="leave the built stores uncompacted"
    )
    parser.add_argument(
        "--pages-up-to",
        type=int,
        default=1000,
        help="time the first page of every list up to this scale (each costs a full pass)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="×1 and ×10, two repetitions, rdflib stopped at 10 s"
    )
    parser.add_argument("--results", type=Path, help="results JSON (default benchmarks/results)")
    parser.add_argument("--markdown", type=Path, help="report (default BENCHMARKS.md)")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales, args.repeat, args.link_scales = "1,10", 2, "1,3"
        args.rdflib_limit = min(args.rdflib_limit, 10)
    quick_dir = args.work / "quick"
    results_path = args.results or (
        quick_dir / "results.json" if args.quick else HERE / "results" / "results.json"
    )
    markdown_path = args.markdown or (
        quick_dir / "BENCHMARKS.md" if args.quick else ROOT / "BENCHMARKS.md"
    )
    scales = [int(s) for s in args.scales.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {
        "machine": machine(),
        "command": "python benchmarks/run.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "config": {
            "scales": scales,
            "repeat": args.repeat,
            "large": args.large,
            "large_repeat": args.large_repeat,
            "rdflib_limit": args.rdflib_limit,
            "rdflib_max_quads": args.rdflib_max_quads,
            "seed": args.seed,
            "link_up_to": args.link_up_to,
            "compact": not args.no_compact,
            "pages_up_to": args.pages_up_to,
            "cli": " ".join(cli_command()),
        },
        "scales": {},
    }
    for scale in scales:
        large = scale >= args.large
        say(f"×{scale}: generating the corpus")
        documents, manifest, generated = corpus(args.work, scale, args.seed)
        store = args.work / "stores" / f"x{scale}"
        say(f"×{scale}: building")
        built = builds(
            documents,
            store,
            args.large_repeat if large else args.repeat,
            link=scale <= args.link_up_to,
            compact=not args.no_compact,
        )
        repeat = args.large_repeat if large else args.repeat
        say(f"×{scale}: queries on the embedded store")
        embedded, _, query_peak = task("embedded", str(store), str(repeat), str(documents))
        long_answers = sorted(
            name
            for name, q in embedded["queries"].items()
            if q.get("rows", 0) >= report.STREAM_ROWS
        )
        say(f"×{scale}: whole answers streamed as CSV: {', '.join(long_answers) or 'none'}")
        for name in long_answers:
            written, _, peak = task("streamed", str(store), str(documents), name)
            embedded.setdefault("streamed", {})[name] = {**written, "peak_bytes": peak}
        say(f"×{scale}: questions about one plan, one department, a first page")
        pages = "pages" if scale <= args.pages_up_to else "nopages"
        narrowed, _, _ = task("narrowed", str(store), str(repeat), str(documents), pages)
        if args.no_server:
            remote = {"skipped": "not asked for (--no-server)"}
        else:
            say(f"×{scale}: queries on an oxigraph server")
            remote = served(store, documents, repeat)
        if args.no_rdflib:
            rdflib = {"skipped": "not asked for (--no-rdflib)"}
        else:
            say(f"×{scale}: queries on rdflib")
            rdflib = with_rdflib(
                store,
                documents,
                args.work / "stores" / f"x{scale}.nq",
                repeat,
                args.rdflib_limit,
                built["triples"],
                args.rdflib_max_quads,
            )
        results["scales"][str(scale)] = {
            "corpus": corpus_summary(manifest, documents, generated),
            "build": built,
            "embedded": {
                "open_seconds": embedded["open_seconds"],
                "queries": summarise(embedded["queries"]),
                "floor": embedded["floor"],
                "peak_bytes": query_peak,
            },
            "narrowed": narrowed,
            "server": remote,
            "rdflib": rdflib,
        }
        write(results, results_path, markdown_path)
    if args.endpoints_scale and not args.quick:
        import endpoints

        say(f"×{args.endpoints_scale}: embedded store, oxigraph server and Virtuoso")
        results["endpoints"] = endpoints.measure(
            args.work, args.endpoints_scale, args.seed, args.repeat, endpoints.LIMIT
        )
        write(results, results_path, markdown_path)
    say("cross-document linking alone")
    results["linking"] = linking_growth(
        args.work, [int(s) for s in args.link_scales.split(",")], args.seed
    )
    write(results, results_path, markdown_path)
    smallest = args.work / "stores" / f"x{min(scales)}"
    say("command-line start-up")
    results["startup"] = {"scale": min(scales), **startup(smallest, args.repeat)}
    if not args.no_web:
        say("the web application under load, its search, /sparql against oxigraph serve")
        results["web"] = web(args.work, scales, args.web_search_scale)
        write(results, results_path, markdown_path)
    if not args.no_viz:
        say("network pages in Chromium")
        results["viz"] = viz(args.work)
    results["seconds"] = time.perf_counter() - started
    write(results, results_path, markdown_path)
    say(f"wrote {results_path} and {markdown_path} in {results['seconds'] / 60:.1f} min")


def write(results: dict, results_path: Path, markdown_path: Path) -> None:
    """Results so far, so that an interrupted run still leaves its measurements.

    The measurements are saved before the report is made from them, so a
    report that fails loses nothing (``python benchmarks/report.py`` remakes it).
    """
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    results["targets"] = report.targets(results)
    results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    markdown_path.parent.mkdir(parents=True, exist_ok=True)
    markdown_path.write_text(report.markdown(results), encoding="utf-8")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
