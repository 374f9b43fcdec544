"""A line for the page views: two compute at a time, the others wait their turn in order.

A page view is Python, and Python runs one thread at a time. Starlette gives
every request a thread of its own, so under twenty concurrent visitors twenty
threads passed the interpreter lock among themselves every few milliseconds
and at every call into the store or SQLite (each of which hands the lock back
and must queue for it again). A page's wait grew with its own work: at ×1 a
thing page had a p95 of 2.6 to 2.9 times the mean time a request spent in the
server, a search 2.1 to 2.9 times, the front page 1.5 to 2.0 times. In a line,
a page waits for the pages before it and then runs nearly undisturbed, so
every kind waits about as long as the others.

The gate lets ``width`` views run at once and hands a freed place to the
longest waiting request. Measured with benchmarks/web_load.py (×1, 20
clients, rounds alternating with the thread-per-request server on a shared
2-core machine), two places brought the p95 of things to 0.4 to 0.9 of the old
server's and of searches to 0.5 to 0.9, the other kinds mostly staying within
0.8 to 1.2 (the busier the machine, the less the gain). One place was as
good or better on a quieter machine but worse on a busy one, where the thread
handed the place waited milliseconds for a processor while nothing else ran,
and it would let a page that takes long hold every other page up. A semaphore, which hands a
freed place to whichever thread runs first, did better on the busiest machine
and worse on a quieter one (a request could be passed over again and again).

A view that waits for an answer another thread computes
(:meth:`Library.remember`: the answers over the whole graph, the slow ones of
a large archive) steps aside meanwhile, so such an answer never holds a place,
and takes the first place free when it is done.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from starlette.routing import BaseRoute, Route

#: The gate whose place this thread holds, if any (see step_aside).
_holding = threading.local()


class Gate:
    """At most ``width`` threads inside at once; the others enter in the order they came."""

    def __init__(self, width: int) -> None:
        if width < 1:
            raise ValueError(f"a gate needs at least one place, not {width}")
        self._lock = threading.Lock()
        self._free = width
        #: One locked lock per waiting thread, oldest first; a place is handed over by
        #: releasing it, so a newcomer can never slip past the line.
        self._waiting: deque[threading.Lock] = deque()

    def _enter(self, first: bool = False) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            if first:
                self._waiting.appendleft(turn)
            else:
                self._waiting.append(turn)
        turn.acquire()

    def _leave(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1

    @contextmanager
    def place(self) -> Iterator[None]:
        """Hold one of the gate's places for the block (waiting in line for it)."""
        self._enter()
        _holding.gate = self
        try:
            yield
        finally:
            _holding.gate = None
            self._leave()

    def wrap(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """``view`` run inside the gate (still a plain function: run in the thread pool)."""

        @functools.wraps(view)
        def gated(*args: Any, **kwargs: Any) -> Any:
            with self.place():
                return view(*args, **kwargs)

        return gated

    def routes(self, routes: list[BaseRoute]) -> list[BaseRoute]:
        """``routes`` with each plain (not async) view inside the gate; async views do
        their waiting on the event loop and their heavy work elsewhere."""
        return [self._gated(route) for route in routes]

    def _gated(self, route: BaseRoute) -> BaseRoute:
        if not isinstance(route, Route) or not inspect.isfunction(route.endpoint):
            return route
        if inspect.iscoroutinefunction(route.endpoint):
            return route
        return Route(
            route.path,
            self.wrap(route.endpoint),
            methods=list(route.methods or ()) or None,
            name=route.name,
            include_in_schema=route.include_in_schema,
        )


@contextmanager
def step_aside() -> Iterator[None]:
    """Give this thread's place in the gate up for the block (a wait for another thread's
    work); it gets the first place free afterwards. Nothing happens outside a gate."""
    gate: Gate | None = getattr(_holding, "gate", None)
    if gate is None:
        yield
        return
    _holding.gate = None
    gate._leave()
    try:
        yield
    finally:
        gate._enter(first=True)
        _holding.gate = gate
