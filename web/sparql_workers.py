"""A few long-lived processes that run the /sparql endpoint's queries, each killable.

Oxigraph cannot stop a query, so a visitor's query must run where it can be
killed at its time limit: another process. Forking one per query (as the
command line does, graph/deadline.py) cost more than a small query itself and
capped the endpoint at a fraction of `oxigraph serve`'s throughput; a fork
from a threaded server can also inherit a lock another thread held. So the
endpoint keeps WORKERS processes, started fresh by a fork server (never forked
from the server's threads), each with the live generation opened read-only.
A query goes to an idle worker; one that runs past its time limit, or dies,
is killed and replaced, and the other workers carry on.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from ..graph.deadline import QueryTimeout, limit_worker

#: Queries run at once; more wait for a worker (within their time limit).
WORKERS = max(2, os.cpu_count() or 1)


class WorkerError(Exception):
    """The query failed in its worker; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class QueryWorkers:
    """The pool; :meth:`run` is awaited on the server's event loop.

    The loop waits for a worker's answer by watching its pipe, not from a
    thread: handing every query to a thread that sat in a blocking read, and
    waking the loop from it, cost the server more processor time per request
    than a small query costs the worker that runs it.
    """

    def __init__(self, size: int = WORKERS) -> None:
        self._context = multiprocessing.get_context("forkserver")
        self._size = size
        self._idle: list[_Worker] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(size)

    async def run(self, generation: Path, text: str, accept: str, row_cap: int, time_limit: float):
        """The query's Answer (see sparql_endpoint) on ``generation``; QueryTimeout at the limit."""
        slots = self._semaphore()
        try:
            async with asyncio.timeout(time_limit):
                await slots.acquire()
        except TimeoutError:
            raise QueryTimeout(time_limit) from None
        try:
            worker = self._idle.pop() if self._idle else await self._start()
            try:
                worker.connection.send((str(generation), text, accept, row_cap))
                await _readable(worker.connection, time_limit)
                ok, value = worker.connection.recv()
            except (EOFError, OSError) as error:
                worker.stop()
                raise WorkerError(
                    "the query engine stopped unexpectedly (perhaps out of memory); "
                    "narrow the query down",
                    503,
                ) from error
            except BaseException:  # the time limit, or the request given up
                worker.stop()  # still running the query: killed, never reused
                raise
            self._idle.append(worker)
        finally:
            slots.release()
        if ok:
            return value
        raise WorkerError(*value)

    def _semaphore(self) -> asyncio.Semaphore:
        """The slots, for the running loop (a test may run each query on a loop of its own)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._slots = loop, asyncio.Semaphore(self._size)
        return self._slots

    async def _start(self) -> _Worker:
        """A new worker; started from a thread, as asking the fork server for it blocks."""
        return await asyncio.to_thread(_Worker, self._context)

    def close(self) -> None:
        while self._idle:
            self._idle.pop().stop()


async def _readable(connection: Connection, seconds: float) -> None:
    """Return once ``connection`` has data (or its worker is gone); QueryTimeout after ``seconds``."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    descriptor = connection.fileno()
    loop.add_reader(descriptor, lambda: ready.done() or ready.set_result(None))
    try:
        async with asyncio.timeout(seconds):
            await ready
    except TimeoutError:
        raise QueryTimeout(seconds) from None
    finally:
        loop.remove_reader(descriptor)
        # uvloop leaves a watched descriptor non-blocking; the reply is then read whole.
        os.set_blocking(descriptor, True)


def _serve(connection: Connection) -> None:
    """A worker: answer queries until the server closes the pipe (or is gone)."""
    limit_worker()
    thread = threading.Thread(target=_loop, args=(connection,))
    thread.start()
    thread.join()


def _loop(connection: Connection) -> None:
    import pyoxigraph as ox

    from .sparql_endpoint import EndpointError, evaluate

    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            generation, text, accept, row_cap = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if opened is None or opened[0] != generation:
                opened = None  # the old generation's files are let go first
                opened = (generation, ox.Store.read_only(generation))
            reply = (True, evaluate(opened[1], text, accept, row_cap))
        except EndpointError as error:
            reply = (False, (str(error), error.status))
        except MemoryError:
            reply = (False, ("the query needed more memory than it may use; narrow it down", 503))
        except Exception as error:  # the engine's own errors: the visitor's query is at fault
            reply = (False, (f"the query failed: {str(error)[:300]}", 400))
        try:
            connection.send(reply)
        except (BrokenPipeError, OSError):
            return
