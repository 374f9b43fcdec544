"""The search index of a new generation, written by a process of its own.

A build ends with two jobs that each only read the finished generation: the
stored answers (:mod:`.answers`) and the search index (:mod:`.search_index`).
At ×1000 they took 132 s and 214 s one after the other, though neither needs
the other. Both are Python bound, so threads would take turns on one core;
the index is written by a second interpreter (``python -m
indsatsgraf.graph.index_process GENERATION``) while this one stores the
answers, and on a machine with a core to spare the build waits for the longer
of the two instead of their sum.

A new interpreter, not a fork: forking a process in which RocksDB's threads
may hold a lock leaves the child waiting on it for good (see :mod:`.deadline`),
and the web application builds from a process that serves pages on threads.
The child opens the generation read-only, writes the index beside it (the
file appears whole or not at all), then helps store the answers of the
queries it is given on its standard input (:mod:`.answer_process`: the index
takes less time than the answers) and prints one line of JSON saying what
happened; the build fails, and the graph in use stays, when it reports a
failure, ends without a word, or is still running when the build fails for
another reason (it is stopped first).
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import IndsatsgrafError
from .answer_process import AnsweringError
from .answers import StorableQuery


class IndexingError(IndsatsgrafError):
    """The search index of a new generation could not be written; the graph in use stays."""


class IndexProcess:
    """The index of ``generation`` being written by another process, which then stores
    answers of ``queries`` with this one: start, then wait or stop."""

    def __init__(self, generation: Path, queries: Sequence[StorableQuery] = ()) -> None:
        self.generation = Path(generation)
        #: How many answers it stored, once waited for.
        self.answered = 0
        self._texts: int | None = None
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(self.generation)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        given, self._process.stdin = self._process.stdin, None  # given once, here
        try:
            # the child reads them first: more than a pipe holds would otherwise block
            given.buffer.write(pickle.dumps(list(queries)))  # type: ignore[union-attr]
            given.close()  # type: ignore[union-attr]
        except BrokenPipeError:  # it ended before reading: wait() says why
            pass

    def failed(self) -> bool:
        """Whether the child has ended in failure (the build's process then stops early)."""
        return self._process.poll() not in (None, 0)

    def wait(self) -> int:
        """The number of texts indexed, once the index is written; raises what stopped it.

        A full disk or another file-system error comes back as the OSError it was
        (the store reports it as the disk it is); anything else as an IndexingError,
        or an AnsweringError when its answers failed, that says what the child reported.
        """
        if self._texts is not None:  # waited for before (by the answers, then the build)
            return self._texts
        output, errors = self._process.communicate()
        reply = _reply(output)
        if self._process.returncode == 0 and "texts" in reply:
            self.answered = int(reply.get("answers", 0))
            self._texts = int(reply["texts"])
            return self._texts
        if reply.get("errno") is not None:
            raise OSError(reply["errno"], reply["message"])
        if "message" in reply:
            problem = reply["message"]
        elif self._process.returncode < 0:
            problem = f"the indexing process was ended by signal {-self._process.returncode}"
        else:
            last = errors.strip().splitlines()[-1:] or ["no message"]
            problem = f"the indexing process failed ({last[0]})"
        if reply.get("failed") == "answers":
            raise AnsweringError(
                f"{self.generation}: the stored answers could not be written "
                f"(by the indexing process): {problem}"
            )
        raise IndexingError(f"{self.generation}: the search index could not be written: {problem}")

    def stop(self) -> None:
        """End the child if it still runs (the build failed meanwhile) and wait for it,
        so that nothing writes into the generation while it is deleted."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()


def _reply(output: str) -> dict:
    """The child's one line of JSON (its last line of output), or {} when it said nothing."""
    lines = output.strip().splitlines()
    try:
        reply = json.loads(lines[-1]) if lines else {}
    except ValueError:
        return {}
    return reply if isinstance(reply, dict) else {}


def main(arguments: list[str]) -> int:
    """Write the index of the generation named by ``arguments[0]``, then store answers of
    the queries on standard input; report as one JSON line (``failed``: which failed)."""
    from . import answer_process, search_index

    generation = Path(arguments[0])
    queries = pickle.load(sys.stdin.buffer)
    reply: dict = {"failed": "index"}
    try:
        reply["texts"] = search_index.build_index(generation, search_index.index_path(generation))
        reply["failed"] = "answers"
        reply["answers"] = answer_process.help_store(generation, queries)
        del reply["failed"]
    except OSError as error:
        reply |= {"errno": error.errno, "message": error.strerror or str(error)}
    except Exception as error:  # any failure is the build's, reported by the parent
        reply |= {"message": str(error) or type(error).__name__}
    print(json.dumps(reply), flush=True)
    return 1 if "failed" in reply else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
