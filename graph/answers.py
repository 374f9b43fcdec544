"""Answers computed once per build and kept beside the graph they answer for.

An archive-wide aggregate (the collaboration matrix, budget totals per
department) reads every document, so its time grows with the archive while
its answer stays a handful of rows. A saved query that declares
``#+ stored: yes`` is therefore answered once, with its default parameters,
when a build finishes, and the rows are written next to the generation's
database::

    generations/000007/answers/NAME.json    {"query": sha256 of the text, "variables", "rows"}

A generation is never written again once it is live, so a stored answer can
never be stale for the graph beside it. It is used only when the query is run
with no parameters and its text is still the text it was computed from (a
changed query file is answered live until the next build).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .sparql import QueryResult, run_in_process

FOLDER = "answers"


class StorableQuery(Protocol):
    """What a saved query offers here (queries.catalog.SavedQuery; graph/ knows no catalog)."""

    name: str
    text: str
    stored: bool
    path: Path | str
    prologue_lines: int

    @property
    def form(self) -> str: ...

    def bindings(self, given: Mapping[str, str]) -> dict: ...


def _digest(query: StorableQuery) -> str:
    return hashlib.sha256(query.text.encode()).hexdigest()


def compute(
    target: Path,
    queries: Sequence[StorableQuery],
    progress: Callable[[str], None] | None = None,
) -> int:
    """Answer every storable query on the new generation ``target``; return how many.

    Runs after the database is complete and before the generation goes live,
    so a failure here loses the build like any other, never the current graph.
    """
    queries = [query for query in queries if query.stored]
    if not queries:
        return 0
    folder = target / FOLDER
    folder.mkdir(exist_ok=True)
    store = ox.Store(str(target))
    try:
        for query in queries:
            if progress:
                progress(f"storing the answer of {query.name}")
            result = run_in_process(store, query, query.bindings({}))
            record = {"query": _digest(query), "variables": result.variables, "rows": result.rows}
            (folder / f"{query.name}.json").write_text(
                json.dumps(record, ensure_ascii=False), encoding="utf-8"
            )
    finally:
        del store
    return len(queries)


def stored(
    generation: Path, query: StorableQuery, given: Mapping[str, str], limit: int | None = None
) -> QueryResult | None:
    """The answer kept for ``query`` in ``generation`` (its first ``limit`` rows), or None.

    Only a run without parameters (``given`` empty: defaults are what was
    stored) of an unchanged storable query is answered from the file; None
    means it must run live.
    """
    if not query.stored or given or query.form != "SELECT":
        return None
    path = generation / FOLDER / f"{query.name}.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("query") != _digest(query):
        return None
    rows = record["rows"] if limit is None else record["rows"][:limit]
    return QueryResult("SELECT", record["variables"], rows)
