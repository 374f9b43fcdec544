"""One measurement in a fresh process, so that its time and peak memory are its own.

benchmarks/run.py starts this script once per measurement and reads the JSON it
prints (or, for rdflib, the JSON lines it writes as it goes, so a query that
runs past the time limit still leaves the finished ones behind)::

    python benchmarks/tasks.py build DOCUMENTS_DIR STORE_DIR [link|nolink] [compact|nocompact]
    python benchmarks/tasks.py linking DOCUMENTS_DIR
    python benchmarks/tasks.py streamed STORE_DIR DOCUMENTS_DIR NAME [command|live]
    python benchmarks/tasks.py embedded STORE_DIR REPEAT DOCUMENTS_DIR [NAME,NAME…]
    python benchmarks/tasks.py store_answers STORE_DIR
    python benchmarks/tasks.py remote ENDPOINT_URL REPEAT
    python benchmarks/tasks.py narrowed STORE_DIR REPEAT DOCUMENTS_DIR [pages|nopages]
    python benchmarks/tasks.py rdflib NQUADS_FILE REPEAT LIMIT_SECONDS OUTPUT.jsonl
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from indsatsgraf import api
from indsatsgraf.queries.catalog import SavedQuery, ad_hoc, saved_queries


def build(documents: str, store: str, link: str = "link", compact: str = "nocompact") -> dict:
    """Time ``pipeline.build`` end to end, and each of its phases by its progress messages.

    ``nolink`` builds without cross-document links (see ``linking`` below);
    ``compact`` compacts the indexes before the generation goes live.
    """
    from indsatsgraf.graph.pipeline import build as run_build
    from indsatsgraf.graph.store import GraphStore

    files = sorted(Path(documents).glob("*.txt"))
    marks: list[tuple[float, str]] = []

    def progress(message: str) -> None:
        phase = message.split()[0]
        if not marks or marks[-1][1] != phase:
            marks.append((time.perf_counter(), phase))

    start = time.perf_counter()
    summary = run_build(
        GraphStore(Path(store)),
        files,
        progress=progress,
        link=link == "link",
        compact=compact == "compact",
        stored=api.stored_queries(),
    )
    end = time.perf_counter()
    phases: dict[str, float] = {}
    for (at, phase), (following, _) in zip(marks, [*marks[1:], (end, "")], strict=True):
        phases[phase] = phases.get(phase, 0.0) + following - at
    return {
        "seconds": end - start,
        "documents": len(summary.documents),
        "triples": summary.triples,
        "phases": phases,
    }


def linking(documents: str) -> dict:
    """Time the cross-document linking step alone, on documents imported beforehand."""
    from indsatsgraf.graph import link_decisions
    from indsatsgraf.graph.linking import link_quads
    from indsatsgraf.graph.organisations import Registry
    from indsatsgraf.graph.pipeline import import_all

    imported = import_all(sorted(Path(documents).glob("*.txt")))
    records = [(item.source, item.result) for item in imported]
    start = time.perf_counter()
    quads, links = link_quads(records, Registry.load(), link_decisions.load(None))
    seconds = time.perf_counter() - start
    accepted = [(link.source, link.target) for link in links if link.status == "accepted"]
    return {
        "seconds": seconds,
        "documents": len(records),
        "initiatives": sum(len(result.initiatives) for _, result in records),
        "links": len(links),
        "accepted": len(accepted),
        "quads": len(quads),
        **_against_the_generator(records, accepted),
        **({"profile": _linking_profile(records)} if len(records) <= PROFILE_DOCUMENTS else {}),
    }


#: Linking is profiled (a second, untimed run) on corpora up to this many documents.
PROFILE_DOCUMENTS = 50
#: The steps of ``link_quads`` whose share of the time the report shows.
LINKING_STEPS = (
    "entities",
    "candidate_pairs",
    "_scored",
    "correspondence_quads",
    "reference_quads",
)


def _linking_profile(records: list) -> dict[str, float]:
    """Each linking step's share of a profiled run (profiling slows all, the shares hold)."""
    import cProfile
    import pstats

    from indsatsgraf.graph import link_decisions
    from indsatsgraf.graph.linking import link_quads
    from indsatsgraf.graph.organisations import Registry

    profiler = cProfile.Profile()
    profiler.runcall(link_quads, records, Registry.load(), link_decisions.load(None))
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max((entry[3] for entry in stats.values()), default=0.0) or 1.0
    shares = {}
    for (_, _, function), entry in stats.items():
        if function in LINKING_STEPS:
            shares[function] = shares.get(function, 0.0) + entry[3] / total
    return shares


def _against_the_generator(records: list, accepted: list[tuple[str, str]]) -> dict:
    """Precision and recall of the accepted links, judged by the generator's construction.

    benchmarks/generate.py makes an initiative recur in another plan by reusing
    its title word for word, and never otherwise; so two initiatives of
    different documents are the same exactly when their titles are equal. A
    link counts as correct when its two titles are equal; a same-title pair
    counts as found when links connect the two, directly or through others.
    """
    from indsatsgraf.graph.builder import record_iri

    title: dict[str, tuple[str, str]] = {}
    for source, result in records:
        for item in result.initiatives:
            iri = record_iri(source.slug, "initiative", item.key).value
            title[iri] = (source.slug, item.label.strip().casefold())
    between = [(a, b) for a, b in accepted if a in title and b in title]
    correct = sum(title[a][1] == title[b][1] for a, b in between)
    parent = {iri: iri for iri in title}

    def root(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    for a, b in between:
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for iri, (_, label) in title.items():
        groups.setdefault(label, []).append(iri)
    same = found = 0
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if title[a][0] != title[b][0]:
                    same += 1
                    found += root(a) == root(b)
    return {
        "initiative_links": len(between),
        "precision": correct / len(between) if between else None,
        "recall": found / same if same else None,
        "same_title_pairs": same,
    }


def _timed(run: Callable[[], int], repeat: int, *, warm_up: bool | None = None) -> dict:
    """A warm-up run, then ``repeat`` timed runs; rows of the last.

    A measurement made once (at the largest scales, where one run takes
    minutes) has no warm-up run unless asked for.

    A store that cannot run a query is recorded with its error, and the others go on.
    """
    if warm_up is None:
        warm_up = repeat > 1
    try:
        rows = run() if warm_up else 0
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = run()
            times.append(time.perf_counter() - start)
    except Exception as error:  # any store's failure is a result to report
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    return {"times": times, "rows": rows}


#: The least any query answering for every initiative must do: list each one with its label.
FLOOR_QUERY = """PREFIX ig: <https://w3id.org/indsatsgraf/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?initiative ?label WHERE { ?initiative a ig:Initiative ; rdfs:label ?label }"""


def _queries() -> list[tuple[str, SavedQuery]]:
    return sorted(saved_queries().items())


def corpus_parameters(name: str, documents: str) -> dict[str, str]:
    """Parameters that name things the generated corpus holds.

    Two saved queries default to the bundled 2015 plan, which a generated
    corpus does not contain: measured with those defaults they would time a
    look-up that finds nothing. They get the first generated cross-departmental
    plan instead (its initiative 1.1.1, and the same line range); every other
    query keeps its defaults.
    """
    from indsatsgraf.graph.builder import record_iri
    from indsatsgraf.graph.vocabulary import slug

    plan = min(Path(documents).glob("tvaergaaende-indsatsplan-*.txt"))
    if name == "initiative-lineage":
        return {"initiative": record_iri(slug(plan.stem), "initiative", "1.1.1").value}
    if name == "provenance-lookup":
        return {"document": plan.name}
    return {}


def embedded(store: str, repeat: str, documents: str, only: str = "") -> dict:
    """Every saved query on the embedded store (pyoxigraph), as ``indsatsgraf query`` runs it.

    ``only`` (comma-separated names) limits the pass to those queries.
    """
    from indsatsgraf.graph.sparql import run_embedded
    from indsatsgraf.graph.store import GraphStore

    start = time.perf_counter()
    oxstore = GraphStore(Path(store)).open()
    opened = time.perf_counter() - start
    results = {}
    for name, query in _queries():
        if only and name not in only.split(","):
            continue
        bindings = query.bindings(corpus_parameters(name, documents))
        results[name] = _timed(
            lambda q=query, b=bindings: len(run_embedded(oxstore, q, b, timeout=3600).rows),
            int(repeat),
        )
    floor = ad_hoc(FLOOR_QUERY)
    return {
        "open_seconds": opened,
        "queries": results,
        "floor": {}
        if only
        else _timed(lambda: len(run_embedded(oxstore, floor, {}).rows), int(repeat)),
    }


def streamed(store: str, documents: str, name: str, way: str = "command") -> dict:
    """One saved query's whole answer written as CSV (to /dev/null) as ``query --format csv``
    writes it (``api.stream_query`` with the store folder, then ``api.write_rows``): from the
    answer the build stored when there is one (``from_stored``), else as the store finds the
    rows. ``live`` streams from the store even so, for the ratio. In a process of its own, so
    its peak memory is the stream's."""
    from indsatsgraf import api
    from indsatsgraf.graph import answers
    from indsatsgraf.graph.names import Names
    from indsatsgraf.graph.sparql import stream_embedded
    from indsatsgraf.graph.store import GraphStore

    oxstore = GraphStore(Path(store)).open()
    generation = GraphStore(Path(store)).current.resolve()
    query = dict(_queries())[name]
    given = corpus_parameters(name, documents)
    lines: list[float] = []

    class Sink:
        """/dev/null that notes when the header and the first row arrive."""

        def write(self, text: str) -> None:
            if len(lines) < 2:
                lines.extend(time.perf_counter() - start for _ in range(text.count("\n")))

        def flush(self) -> None:
            pass

    start = time.perf_counter()
    if way == "live":
        names = Names.of_store(oxstore)
        rows = stream_embedded(oxstore, query, query.bindings(given, names), timeout=3600)
    else:
        rows = api.stream_query(query, given, store=oxstore, store_path=Path(store), timeout=3600)
    written = api.write_rows(rows, "csv", Sink())
    seconds = time.perf_counter() - start
    from_stored = way != "live" and (
        answers.stream(generation, query, given, limit=0, names=Names.of_store(oxstore)) is not None
    )
    return {
        "rows": written,
        "seconds": seconds,
        "first_row_seconds": lines[1] if written else None,
        "from_stored": from_stored,
    }


#: The department a one-department question is asked about (the one with most initiatives).
NARROW_DEPARTMENT = "SOF"
#: Warm runs of a one-plan or one-department question, after its cold run.
WARM_RUNS = 5
#: Rows on a page of a list, as the web application shows them.
PAGE_ROWS = 50


def narrowed(store: str, repeat: str, documents: str, pages: str = "pages") -> dict:
    """The questions a planner asks: about one plan, about one department, a first page.

    Every saved query with a ``plan`` parameter runs narrowed to the first
    generated cross-departmental plan, every one with a ``department``
    parameter narrowed to SOF. Both are asked as ``query --param …`` asks them
    (``api.run_query`` with the store folder), so a query that declares
    ``#+ stored-filter:`` for the parameter is answered from its stored answer;
    ``from_stored`` says whether it was, and ``live`` times the same question
    run on the graph. A scoped plan question also times ``unscoped``, the same
    run over every graph. ``pages`` also times the first page (PAGE_ROWS rows)
    of every query with its default parameters, with its total count, as the
    web application shows it (:func:`_first_page`: from the stored answer where
    the build kept one). ``stored`` reads back each answer the build stored
    (``graph.answers``).
    """
    from indsatsgraf.graph import answers
    from indsatsgraf.graph.sparql import run_embedded
    from indsatsgraf.graph.store import GraphStore

    oxstore = GraphStore(Path(store)).open()
    generation = GraphStore(Path(store)).current.resolve()
    plan = min(Path(documents).glob("tvaergaaende-indsatsplan-*.txt")).name
    results: dict[str, dict] = {"plan": {}, "department": {}, "page": {}, "stored": {}}
    for name, query in _queries():
        declared = {p.name: p.type for p in query.parameters}
        asked = corpus_parameters(name, documents)
        if declared.get("department") == "department":
            results["department"][name] = _narrow_question(
                query, {**asked, "department": NARROW_DEPARTMENT}, oxstore, store, int(repeat)
            )
        if declared.get("plan") == "plan":
            results["plan"][name] = _narrow_question(
                query, {**asked, "plan": plan}, oxstore, store, int(repeat)
            )
            bindings = query.bindings({**asked, "plan": plan})
            if not results["plan"][name].get("from_stored") and query.scoped_graphs(bindings):
                unscoped = replace(query, scope=None)  # the same, over every graph
                results["plan"][name]["unscoped"] = _timed(
                    lambda q=unscoped, b=bindings: len(
                        run_embedded(oxstore, q, b, timeout=3600).rows
                    ),
                    int(repeat),
                )
        if pages == "pages":
            results["page"][name] = _first_page(store, query, asked, int(repeat))
    for query in api.stored_queries():
        results["stored"][query.name] = _timed(
            lambda q=query: len(answers.stored(generation, q, {}).rows), int(repeat)
        )
    return {"plan_name": plan, "department_name": NARROW_DEPARTMENT, **results}


def _first_page(store: str, query: SavedQuery, given: dict[str, str], repeat: int) -> dict:
    """The first page of a list with its total count, read as the web application reads it.

    ``pages.query_result`` asks ``Library.run`` for at most ROW_CAP + 1 rows (from
    the stored answer where the build kept one, else live) and ``pages.paged``
    cuts the first page from them with ``tables.page``. Each run has a library of
    its own, opened (names read) before the clock starts as a running server has
    it, so no answer a library remembers is timed.
    """
    from indsatsgraf.graph import answers
    from indsatsgraf.graph.names import Names
    from indsatsgraf.graph.store import GraphStore
    from indsatsgraf.web import tables
    from indsatsgraf.web.library import ROW_CAP, Library

    times, total = [], 0
    try:
        for run in range(repeat + (repeat > 1)):  # a warm-up run first, as _timed does
            library = Library(Path(store))
            library.store()
            start = time.perf_counter()
            result = library.run(query, given, limit=ROW_CAP + 1)
            page = tables.page(
                result.variables, result.rows[:ROW_CAP], truncated=len(result.rows) > ROW_CAP
            )
            seconds = time.perf_counter() - start
            assert len(page.rows) == min(PAGE_ROWS, page.total)
            total = page.total
            if run or repeat == 1:
                times.append(seconds)
    except Exception as error:  # a query's failure is a result to report
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    generation = GraphStore(Path(store)).current.resolve()
    names = Names.of_store(library.store())
    kept = answers.stream(generation, query, given, 0, names) is not None
    return {"times": times, "rows": total, "from_stored": kept}


def _narrow_question(
    query: SavedQuery, given: dict[str, str], oxstore, store: str, repeat: int
) -> dict:
    """One plan's or department's question asked as the command asks it (from the stored
    answer where the query declares that filter), and also live when it was stored.

    Asked first once, cold (``cold``: the first question in this process, as a
    command asks it, reading the new store's files for the first time), then
    ``times``: at least WARM_RUNS more, warm, as a running web application asks
    it again. At ×1000 four plan questions asked once, cold, took 55 to 89 ms;
    asked again they took 1.3 to 20.5 ms.
    """
    from indsatsgraf.graph import answers
    from indsatsgraf.graph.names import Names
    from indsatsgraf.graph.sparql import run_embedded
    from indsatsgraf.graph.store import GraphStore

    def asked() -> int:
        return len(
            api.run_query(query, given, store=oxstore, store_path=Path(store), timeout=3600).rows
        )

    cold = _timed(asked, 1, warm_up=False)
    timed = _timed(asked, max(repeat, WARM_RUNS), warm_up=False)
    if "error" in cold or "error" in timed:
        return cold if "error" in cold else timed
    timed["cold"] = cold["times"][0]
    generation = GraphStore(Path(store)).current.resolve()
    names = Names.of_store(oxstore)
    timed["from_stored"] = answers.stream(generation, query, given, 0, names) is not None
    if timed["from_stored"]:
        bindings = query.bindings(given, names)
        timed["live"] = _timed(
            lambda: len(run_embedded(oxstore, query, bindings, timeout=3600).rows), repeat
        )
    return timed


def store_answers(store: str) -> dict:
    """Time ``graph.answers.compute`` on a store built without it (the build's last step)."""
    from indsatsgraf.graph import answers
    from indsatsgraf.graph.store import GraphStore

    start = time.perf_counter()
    count = answers.compute(GraphStore(Path(store)).current.resolve(), api.stored_queries())
    return {"seconds": time.perf_counter() - start, "answers": count}


def remote(endpoint: str, repeat: str, documents: str) -> dict:
    """Every saved query through graph/http.py, as ``indsatsgraf query --endpoint`` runs it."""
    from indsatsgraf.graph.sparql import run_remote

    results = {}
    for name, query in _queries():
        bindings = query.bindings(corpus_parameters(name, documents))
        results[name] = _timed(
            lambda q=query, b=bindings: len(run_remote(endpoint, q, b, timeout=3600).rows),
            int(repeat),
        )
    return {"queries": results}


class _Stopped(Exception):
    """Raised by the alarm inside rdflib's (pure Python) query evaluation."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def _rdflib_record(dataset: object, name: str, text: str, repeat: int, limit: float) -> dict:
    """Run one query ``repeat`` times, all runs together stopped after ``limit`` seconds.

    rdflib evaluates SPARQL in Python, so an interval timer's signal interrupts
    it between bytecodes; the loaded store stays usable for the next query and
    needs no second copy (a forked process per query would duplicate its pages
    as reference counts are touched, which at ×1000 is more memory than the machine has).
    """
    record: dict = {"query": name, "times": [], "rows": 0}
    signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            rows = len(list(dataset.query(text)))  # type: ignore[attr-defined]
            record["times"].append(time.perf_counter() - start)
            record["rows"] = rows
    except _Stopped:
        record["stopped_after"] = limit
    except Exception as error:  # rdflib's failure is a result to report
        record = {
            "query": name,
            "error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}",
        }
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return record


def rdflib_queries(nquads: str, repeat: str, limit: str, output: str, documents: str) -> dict:
    """Load the same quads into rdflib's default in-memory store and run every saved query.

    The default graph is the union of the named graphs, as on the other two
    stores. Each query is stopped after ``limit`` seconds; its finished
    repetitions count, and the record says it stopped. Records are appended to
    ``output`` as they finish, so a run killed for memory still leaves them.
    """
    from indsatsgraf.graph.sparql import with_values
    from rdflib import Dataset

    with open(output, "a", encoding="utf-8") as out:

        def emit(record: dict) -> None:
            out.write(json.dumps(record) + "\n")
            out.flush()

        start = time.perf_counter()
        dataset = Dataset(default_union=True)
        dataset.parse(nquads, format="nquads")
        emit({"load_seconds": time.perf_counter() - start, "quads": len(dataset)})
        # rdflib builds its SPARQL grammar on first use; that is start-up, not query time.
        dataset.query("ASK { ?s ?p ?o }")
        for name, query in _queries():
            text = with_values(query.text, query.bindings(corpus_parameters(name, documents)))
            emit(_rdflib_record(dataset, name, text, int(repeat), float(limit)))
    return {}


TASKS: dict[str, Callable[..., dict]] = {
    "build": build,
    "linking": linking,
    "embedded": embedded,
    "streamed": streamed,
    "remote": remote,
    "narrowed": narrowed,
    "store_answers": store_answers,
    "rdflib": rdflib_queries,
}

if __name__ == "__main__":
    print(json.dumps(TASKS[sys.argv[1]](*sys.argv[2:])))
