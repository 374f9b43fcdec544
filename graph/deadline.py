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
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
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


def _fork(
    child: Callable[..., None],
    work: Callable[..., Any],
    args: tuple[Any, ...],
    timeout: float,
    deadline: float | None,
) -> tuple[float, float, int, int]:
    """Start ``child(writer, work, args, seconds_left)`` in a forked process.

    Returns the checked limit, the monotonic end, the pipe's reading end and
    the child's pid; the caller reads, and kills the child when time is up.
    """
    limit = check_timeout(timeout)
    end = time.monotonic() + limit if deadline is None else min(deadline, time.monotonic() + limit)
    if end <= time.monotonic():
        raise QueryTimeout(limit)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        child(writer, work, args, end - time.monotonic())
    os.close(writer)
    return limit, end, reader, pid


def call_with_deadline(
    work: Callable[..., T], *args: Any, timeout: float, deadline: float | None = None
) -> T:
    """``work(*args)`` in a child process; QueryTimeout if it runs longer than ``timeout``.

    ``deadline`` (a ``time.monotonic()`` value) ends it earlier, when ``work``
    is the last step of a query whose ``timeout`` started before it.
    Exceptions raised by ``work`` are raised here again.
    """
    limit, end, reader, pid = _fork(_child, work, args, timeout, deadline)
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


#: Items the streaming child pickles together: one write per batch, not per row.
STREAM_BATCH = 500
_FRAME = struct.Struct("!I")  # the byte length of the pickled frame that follows


def stream_with_deadline(
    work: Callable[..., Iterable[T]], *args: Any, timeout: float, deadline: float | None = None
) -> Iterator[T]:
    """The items of ``work(*args)``, read from a child process as it produces them.

    Like :func:`call_with_deadline`, but the answer is not held whole: the
    child sends batches as it goes, and a full pipe makes it wait until the
    reader has taken the rows before, so neither side holds more than a few
    batches. The deadline covers the whole stream, writing included: once it
    passes, the child is killed and QueryTimeout raised, after the items
    already yielded, so a caller that wrote them must still report failure.
    An exception of ``work``, even after some items, is raised here again; a
    child that ends without saying it is done is an error, never a short answer.
    Closing the iterator early (a row cap reached) kills the child.
    """
    limit, end, reader, pid = _fork(_streaming_child, work, args, timeout, deadline)
    finished = False
    try:
        frames = _frames(reader, end)
        while True:
            try:
                kind, value = next(frames)
            except StopIteration:
                break
            if kind == "items":
                yield from value
            elif kind == "error":
                raise value
            else:
                finished = True
                break
    except TimeoutError:
        raise QueryTimeout(limit) from None
    finally:
        os.close(reader)
        if finished:
            _, status = os.waitpid(pid, 0)
        else:  # the deadline, an error, Ctrl-C or a reader that stopped early
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    if not finished:
        raise QueryError(_death(status))


def _frames(reader: int, deadline: float) -> Iterator[tuple[str, Any]]:
    """The child's frames, each (kind, value); TimeoutError once ``deadline`` passes."""
    buffer = bytearray()
    for chunk in _chunks(reader, deadline):
        buffer += chunk
        while len(buffer) >= _FRAME.size:
            (size,) = _FRAME.unpack_from(buffer)
            if len(buffer) < _FRAME.size + size:
                break
            payload = bytes(buffer[_FRAME.size : _FRAME.size + size])
            del buffer[: _FRAME.size + size]
            yield pickle.loads(payload)


def _streaming_child(
    writer: int, work: Callable[..., Iterable[Any]], args: tuple[Any, ...], seconds: float
) -> None:
    """Run ``work`` on a big-stack thread, writing its items in frames as they come."""
    pipe = os.fdopen(writer, "wb")

    def send(kind: str, value: Any) -> None:
        data = pickle.dumps((kind, value))
        pipe.write(_FRAME.pack(len(data)) + data)
        pipe.flush()

    def run() -> None:
        try:
            batch: list[Any] = []
            for item in work(*args):
                batch.append(item)
                if len(batch) >= STREAM_BATCH:
                    send("items", batch)
                    batch = []
            if batch:
                send("items", batch)
            send("end", None)
        except BrokenPipeError:  # the reader is gone: nobody to tell
            pass
        except MemoryError:
            send("error", QueryError(_OUT_OF_MEMORY))
        except BaseException as error:  # sent to the parent, which raises it
            try:
                send("error", error)
            except Exception as unpicklable:
                send("error", QueryError(f"the query failed: {unpicklable}"))

    try:
        _limit_child(seconds)
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    finally:
        os._exit(0)


def _limit_child(seconds: float) -> None:
    """In a child: an alarm a second after the deadline, a memory cap, a big stack."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # whatever handler the parent set
    signal.alarm(math.ceil(max(seconds, 0)) + 1)
    limit_worker()


def limit_worker() -> None:
    """In a query worker process: a memory cap, and a big stack for threads started
    from now on (the parser and planner recurse)."""
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = (
        MAX_QUERY_MEMORY_BYTES
        if hard == resource.RLIM_INFINITY
        else min(hard, MAX_QUERY_MEMORY_BYTES)
    )
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    threading.stack_size(WORKER_STACK_BYTES)


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
        _limit_child(seconds)
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
    return b"".join(_chunks(reader, deadline))


def _chunks(reader: int, deadline: float) -> Iterator[bytes]:
    """What the child writes, as it arrives, until it closes the pipe; TimeoutError
    once ``deadline`` passes."""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([reader], [], [], remaining)
        if not ready:
            raise TimeoutError
        chunk = os.read(reader, 1 << 16)
        if not chunk:
            return
        yield chunk
