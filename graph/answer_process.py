"""The stored answers of a new generation, shared between the build's process and the
index process once its index is written.

Storing the answers (:mod:`.answers`) is nearly all query time in pyoxigraph,
which holds the GIL, and it outlasted the search index written beside it by a
second interpreter (:mod:`.index_process`). At ×100, in one process each:
about 19 s of CPU for the index, 27 s for the answers; one core idled for the
last third of the storing. So the index process, once its index is written,
stores answers too, into a file of its own beside ``answers.sqlite``
(:data:`HELPER_FILE`). A third interpreter started at once beside the index
was tried first: on two cores the three then share them and the index, which
cannot be split, became the last to finish (at ×100 about 5 s after the
answers); an index written first and answers shared afterwards end together.
On two free cores this step then takes about max(index, (index + answers) / 2),
some 23 s against 27 s. Measured at ×100 on a machine shared with other work
(load 1.5 to 4), old and new alternating: the step alone 0.80, 0.82, 0.93 and
1.16 times the old wall time, whole builds 0.90 and 0.83; a gain of that size
is within the noise of such a machine. At ×10 (one run) it did not pay.

Neither process is given its share. Both walk the same list of queries and
take the next one no one has taken: a query is taken by creating its file in
a claims directory of the generation (``O_EXCL``: only one process can), so
the process that first writes the index simply takes fewer, and the two end
at most one query apart without a split to tune. When both are done the
build's process copies the helper's rows into ``answers.sqlite`` (SQLite
``ATTACH`` and one ``INSERT … SELECT`` per table; the helper's file and the
claims are then deleted), so a reader still opens one file, and it checks that
every stored query is answered there.

A failure of either fails the build and the graph in use stays: this process
stops taking queries as soon as it sees the helper has ended in failure, and
its own failure stops the helper before the generation is deleted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from ..errors import IndsatsgrafError
from . import answers

#: The helper's answers, beside the generation's answers.sqlite until they are merged into it.
HELPER_FILE = "answers.helper.sqlite"
#: A file per query taken, created by the process that takes it.
CLAIMS = "answers.claims"


class AnsweringError(IndsatsgrafError):
    """The stored answers of a new generation could not be written; the graph in use stays."""


class Helper(Protocol):
    """The other process storing answers (index_process.IndexProcess)."""

    def failed(self) -> bool: ...

    def wait(self) -> int: ...


def compute(
    target: Path,
    queries: Sequence[answers.StorableQuery],
    helper: Helper,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Store the answers of the storable ``queries`` on generation ``target``, taking turns
    with ``helper``, which was given the same queries; wait for it and merge its answers.
    Return how many were stored (as :func:`.answers.compute`)."""
    queries = [query for query in queries if query.stored]
    if not queries:
        return 0
    answers.write(target, target / answers.FILE, taken(target, queries, helper), progress)
    helper.wait()
    names = answers.merge(target / answers.FILE, target / HELPER_FILE)
    shutil.rmtree(target / CLAIMS)
    missing = [query.name for query in queries if query.name not in names]
    if missing:  # a claim without an answer: never expected, never kept quietly
        raise AnsweringError(
            f"{target}: the stored answers could not be written: {', '.join(missing)} "
            "answered by neither process"
        )
    return len(queries)


def taken(
    target: Path,
    queries: Sequence[answers.StorableQuery],
    helper: Helper | None = None,
) -> Iterator[answers.StorableQuery]:
    """The queries this process takes, in order: each one no other process took first.

    Stops early when ``helper`` has failed: its failure ends the build anyway.
    """
    (target / CLAIMS).mkdir(exist_ok=True)
    for query in queries:
        if helper is not None and helper.failed():
            return
        try:
            os.close(os.open(target / CLAIMS / query.name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        yield query


def help_store(generation: Path, queries: Sequence[answers.StorableQuery]) -> int:
    """In the helper: store the answers it takes into :data:`HELPER_FILE`; return how many."""
    queries = [query for query in queries if query.stored]
    if not queries:
        return 0
    return answers.write(generation, generation / HELPER_FILE, taken(generation, queries))
