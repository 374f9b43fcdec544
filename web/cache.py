"""A response cache keyed by the store generation.

A generation of the store never changes once written (a build writes a new one
and swaps ``current``), so the answer to a GET of the same URL with the same
Accept header stays right until the generation changes; the generation is part
of the key, so a new build is seen at once. Pages that depend on anything else
(link review reads the decisions file; the CSRF cookie) are never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Cached bytes in all (bodies); the least recently used answers go first.
MAX_BYTES = 64 * 2**20
#: Answers larger than this are not cached (a big download is rare and costly to hold).
MAX_ENTRY = 4 * 2**20
UNCACHED_PREFIXES = ("/links", "/static")


class ResponseCache:
    def __init__(self, app: ASGIApp, generation: Callable[[], str]) -> None:
        self.app = app
        self.generation = generation
        self._entries: OrderedDict[tuple, tuple[Message, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or path.startswith(UNCACHED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        try:
            generation = self.generation()
        except OSError:  # no store yet: nothing to key on
            await self.app(scope, receive, send)
            return
        key = (generation, path, scope.get("query_string", b""), headers.get(b"accept", b""))
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None:
            start, body = hit
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        parts: list[bytes] = []
        start_message: dict = {}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start_message.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(key, start_message, b"".join(parts))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple, start: Message, body: bytes) -> None:
        if start.get("status") != 200 or len(body) > MAX_ENTRY:
            return
        if any(name.lower() == b"set-cookie" for name, _ in start.get("headers", [])):
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (dict(start), body)
            self._size += len(body)
            while self._size > MAX_BYTES and self._entries:
                _, (_, old) = self._entries.popitem(last=False)
                self._size -= len(old)
