"""The stored answers of a new generation, shared between this process and another.

Storing the answers (:mod:`.answers`) is nearly all query time in
pyoxigraph, which holds the GIL, and it outlasted the search index written
beside it by a second interpreter (:mod:`.index_process`): at ×100 the index
was done well before the answers, and one core idled for the rest of the
storing. So the answers are stored by two processes: this one and a helper
interpreter (``python -m indsatsgraf.graph.answer_process GENERATION``,
started with the index process; a new interpreter, not a fork, for the
reason :mod:`.index_process` gives), which reads the queries to store from
its standard input, opens the generation read-only, writes the answers it
stored to a file of its own beside ``answers.sqlite`` and prints one line of
JSON saying what happened.

Neither process is given its half. Both walk the same list of queries and
take the next one no one has taken: a query is taken by creating its file in
a claims directory of the generation (``O_EXCL``: only one process can), so a
process that runs beside the index, or on a busier core, simply takes fewer,
and the two end at most one query apart without any split to tune. When both
are done this process copies the helper's rows into ``answers.sqlite`` (one
SQLite ``ATTACH`` and ``INSERT … SELECT`` per table; the helper's file and the
claims are then deleted), so the reader still opens one file, and checks that
every stored query is answered there.

A failure of either fails the build and the graph in use stays: the helper's
failure (reported, or an end without a word) is raised once this process
stops taking queries, which it does as soon as it sees the helper has
failed; a failure here stops the helper before the generation is deleted.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import IndsatsgrafError
from . import answers
from .index_process import _reply

#: The helper's answers, beside the generation's answers.sqlite until they are merged into it.
HELPER_FILE = "answers.helper.sqlite"
#: A file per query taken, created by the process that takes it.
CLAIMS = "answers.claims"


class AnsweringError(IndsatsgrafError):
    """The stored answers of a new generation could not be written; the graph in use stays."""


def compute(
    target: Path,
    queries: Sequence[answers.StorableQuery],
    progress: Callable[[str], None] | None = None,
) -> int:
    """Store the answers of the storable ``queries`` on generation ``target``, this process
    and a helper taking turns; return how many were stored (as :func:`.answers.compute`)."""
    queries = [query for query in queries if query.stored]
    if len(queries) < 2:  # nothing to share
        return answers.compute(target, queries, progress)
    (target / CLAIMS).mkdir()
    helper = AnswerProcess(target, queries)
    try:
        answers.write(target, target / answers.FILE, taken(target, queries, helper), progress)
        helper.wait()
    finally:
        helper.stop()
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
    helper: AnswerProcess | None = None,
) -> Iterator[answers.StorableQuery]:
    """The queries this process takes, in order: each one no other process took first.

    Stops early when ``helper`` has failed: its error ends the build anyway.
    """
    for query in queries:
        if helper is not None and helper.failed():
            return
        try:
            os.close(os.open(target / CLAIMS / query.name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        yield query


class AnswerProcess:
    """Answers of ``generation`` being stored by another process: start, then wait or stop."""

    def __init__(self, generation: Path, queries: Sequence[answers.StorableQuery]) -> None:
        self.generation = Path(generation)
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(self.generation)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        given, self._process.stdin = self._process.stdin, None  # given once, here
        try:
            given.write(pickle.dumps(list(queries)))  # type: ignore[union-attr]
            given.close()  # type: ignore[union-attr]
        except BrokenPipeError:  # it ended before reading: wait() says why
            pass

    def failed(self) -> bool:
        """Whether the helper has ended with a failure."""
        return self._process.poll() not in (None, 0)

    def wait(self) -> int:
        """The number of answers the helper stored; raises what stopped it.

        A full disk or another file-system error comes back as the OSError it
        was; anything else as an AnsweringError that says what the helper reported.
        """
        output, errors = self._process.communicate()
        reply = _reply(output.decode(errors="replace"))
        if self._process.returncode == 0 and "answers" in reply:
            return int(reply["answers"])
        if reply.get("errno") is not None:
            raise OSError(reply["errno"], reply["message"])
        if "message" in reply:
            problem = reply["message"]
        elif self._process.returncode < 0:
            problem = f"the answering process was ended by signal {-self._process.returncode}"
        else:
            last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
            problem = f"the answering process failed ({last[0]})"
        raise AnsweringError(
            f"{self.generation}: the stored answers could not be written: {problem}"
        )

    def stop(self) -> None:
        """End the helper if it still runs (the build failed meanwhile) and wait for it,
        so that nothing writes into the generation while it is deleted."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()


def main(arguments: list[str]) -> int:
    """Store the answers the helper takes of the queries on standard input, into the
    generation named by ``arguments[0]``; report as one JSON line."""
    generation = Path(arguments[0])
    try:
        queries = pickle.load(sys.stdin.buffer)
        stored = answers.write(generation, generation / HELPER_FILE, taken(generation, queries))
    except OSError as error:
        reply = {"errno": error.errno, "message": error.strerror or str(error)}
    except Exception as error:  # any failure is the build's, reported by the parent
        reply = {"message": str(error) or type(error).__name__}
    else:
        reply = {"answers": stored}
    print(json.dumps(reply), flush=True)
    return 0 if "answers" in reply else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
