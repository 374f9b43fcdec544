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
file appears whole or not at all) and prints one line of JSON saying what
happened; the build fails, and the graph in use stays, when it reports a
failure, ends without a word, or is still running when the build fails for
another reason (it is stopped first).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..errors import IndsatsgrafError


class IndexingError(IndsatsgrafError):
    """The search index of a new generation could not be written; the graph in use stays."""


class IndexProcess:
    """The index of ``generation`` being written by another process: start, then wait or stop."""

    def __init__(self, generation: Path) -> None:
        self.generation = Path(generation)
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(self.generation)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait(self) -> int:
        """The number of texts indexed, once the index is written; raises what stopped it.

        A full disk or another file-system error comes back as the OSError it was
        (the store reports it as the disk it is); anything else as an IndexingError
        that says what the child reported.
        """
        output, errors = self._process.communicate()
        reply = _reply(output)
        if self._process.returncode == 0 and "texts" in reply:
            return int(reply["texts"])
        if reply.get("errno") is not None:
            raise OSError(reply["errno"], reply["message"])
        if "message" in reply:
            problem = reply["message"]
        elif self._process.returncode < 0:
            problem = f"the indexing process was ended by signal {-self._process.returncode}"
        else:
            last = errors.strip().splitlines()[-1:] or ["no message"]
            problem = f"the indexing process failed ({last[0]})"
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
    """Write the index of the generation named by ``arguments[0]``; report as one JSON line."""
    from . import search_index

    generation = Path(arguments[0])
    try:
        texts = search_index.build_index(generation, search_index.index_path(generation))
    except OSError as error:
        reply = {"errno": error.errno, "message": error.strerror or str(error)}
    except Exception as error:  # any failure is the build's, reported by the parent
        reply = {"message": str(error) or type(error).__name__}
    else:
        reply = {"texts": texts}
    print(json.dumps(reply), flush=True)
    return 0 if "texts" in reply else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
