"""Run a piece of Oxigraph work in a child process that is killed at a deadline.

Oxigraph has no query timeout, and a query running in Rust cannot be
interrupted from Python: a thread would keep computing after we gave up on it.
A forked child can be killed. Forking is cheap here (a few milliseconds, see
docs/robustness.md), and the child inherits the open store, so nothing is
opened twice. The child runs the work on a thread with a large stack, since
the parser and planner recurse, under a memory limit, and sends back the
pickled result or exception; a child that dies of a signal is reported,
never silently lost.

In a multi-threaded process (a web server), fork copies only the calling
thread: a lock that another thread held at that moment (inside RocksDB, say)
stays held in the child, which then waits until its deadline. The outcome is
a timeout, never a wrong answer.
"""

from __future__ import annotations

import math
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import QueryError

#: Stack of the thread that runs the work in the child: the parser and
#: planner recurse per nesting level and per operator in a chain.
WORKER_STACK_BYTES = 256 * 2**20
#: Memory the child may allocate (heap and anonymous maps, not the store's
#: files): a query can double a string forty times, and the machine is shared.
MAX_QUERY_MEMORY_BYTES = 4 * 2**30
_OUT_OF_MEMORY = (
    f"the query needed more than {MAX_QUERY_MEMORY_BYTES / 2**30:g} GiB of memory and was stopped"
)
#: Longest timeout accepted (a day): beyond it a mistake is likelier than a wish.
MAX_TIMEOUT = 86_400.0

T = TypeVar("T")


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"the query ran longer than {limit:g} s and was stopped", remedy="timeout")


def check_timeout(timeout: float) -> float:
    """``timeout`` if it is a usable number of seconds, else a QueryError saying why."""
    if not (isinstance(timeout, int | float) and math.isfinite(timeout)) or timeout <= 0:
        raise QueryError(f"timeout {timeout!r}: give a number of seconds above 0")
    if timeout > MAX_TIMEOUT:
        raise QueryError(f"timeout {timeout:g} s: at most {MAX_TIMEOUT:g} s")
    return float(timeout)


def call_with_deadline(
    work: Callable[..., T], *args: Any, timeout: float, deadline: float | None = None
) -> T:
    """``work(*args)`` in a child process; QueryTimeout if it runs longer than ``timeout``.

    ``deadline`` (a ``time.monotonic()`` value) ends it earlier, when ``work``
    is the last step of a query whose ``timeout`` started before it.
    Exceptions raised by ``work`` are raised here again.
    """
    limit = check_timeout(timeout)
    end = time.monotonic() + limit if deadline is None else min(deadline, time.monotonic() + limit)
    if end <= time.monotonic():
        raise QueryTimeout(limit)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(writer, work, args, end - time.monotonic())
    os.close(writer)
    try:
        payload = _read_until(reader, end)
    except BaseException as error:  # the deadline, or Ctrl-C: the child must not outlive us
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if isinstance(error, TimeoutError):
            raise QueryTimeout(limit) from None
        raise
    finally:
        os.close(reader)
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise QueryError(_death(status))
    ok, value = pickle.loads(payload)
    if ok:
        return value
    raise value


def _death(status: int) -> str:
    """Why a child that sent nothing back ended, for the user."""
    if not os.WIFSIGNALED(status):
        return (
            f"the query engine stopped unexpectedly (exit status "
            f"{os.waitstatus_to_exitcode(status)}); please report the query"
        )
    number = os.WTERMSIG(status)
    if number == signal.SIGABRT:  # Rust aborts when an allocation fails
        return f"{_OUT_OF_MEMORY} (signal {number})"
    return f"the query engine stopped unexpectedly (signal {number}); please report the query"


def _child(writer: int, work: Callable[..., Any], args: tuple[Any, ...], seconds: float) -> None:
    """Run ``work`` on a big-stack thread, write (ok, value) to ``writer`` and exit at once.

    An alarm a second after the deadline ends the child even if the parent
    was killed before it could do so.
    """
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, work(*args)))
        except MemoryError:
            outcome.append((False, QueryError(_OUT_OF_MEMORY)))
        except BaseException as error:  # sent to the parent, which raises it
            outcome.append((False, error))

    try:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # whatever handler the parent set
        signal.alarm(math.ceil(max(seconds, 0)) + 1)
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = (
            MAX_QUERY_MEMORY_BYTES
            if hard == resource.RLIM_INFINITY
            else min(hard, MAX_QUERY_MEMORY_BYTES)
        )
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
        threading.stack_size(WORKER_STACK_BYTES)
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        try:
            data = pickle.dumps(outcome[0])
        except Exception as error:  # an exception that cannot be pickled
            data = pickle.dumps((False, QueryError(f"the query failed: {error}")))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)


def _read_until(reader: int, deadline: float) -> bytes:
    """Everything the child writes, or TimeoutError once ``deadline`` passes."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([reader], [], [], remaining)
        if not ready:
            raise TimeoutError
        chunk = os.read(reader, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
