"""One HTTP exchange with a remote store, on the terms a user can trust.

urllib (and SPARQLWrapper on top of it) sends Basic credentials before anyone
asks, follows redirects to any host with the same headers, knows no Digest
without a process-wide opener, and its timeout is per socket read, so a server
dripping one byte every half second holds it forever. Here:

- no credentials go out until the server answers 401 with a challenge; Basic
  and Digest (MD5, qop=auth or none) are answered;
- redirects are followed only within the origin (scheme, host, port) the
  request was made to; any other target is refused with a message;
- the whole exchange (connect, auth round, redirects, headers, body) has one
  deadline, enforced by closing the socket when it passes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import os
import re
import secrets
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

MAX_REDIRECTS = 5
#: Header lines one answer may have. Virtuoso echoes the dataset back, one
#: X-SPARQL-default-graph and one X-SPARQL-named-graph header per graph, so a
#: query over the 500 graphs of a ×100 corpus is answered with over 1,000;
#: http.client's own limit (100) refused those answers ("got more than 100 headers").
MAX_HEADERS = 20_000
REDIRECTS = (301, 302, 303, 307, 308)
ITEM = re.compile(r'([A-Za-z][\w.+-]*)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?')


# http.client has no per-connection setting for this; its module limit is the only one.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, MAX_HEADERS)  # type: ignore[attr-defined]


class HttpError(Exception):
    """The exchange failed: unreachable, too slow, refused redirect or challenge."""


class DeadlineExceeded(HttpError):
    """No complete answer within the deadline."""


@dataclass(frozen=True)
class Credentials:
    """A user and password, sent only to the origin of the URL they were given for."""

    user: str
    password: str

    @classmethod
    def from_env(cls) -> Credentials | None:
        user = os.environ.get("INDSATSGRAF_ENDPOINT_USER")
        if not user:
            return None
        return cls(user, os.environ.get("INDSATSGRAF_ENDPOINT_PASSWORD", ""))


@dataclass
class Response:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    url: str
    challenges: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default)


def exchange(
    method: str,
    url: str,
    *,
    timeout: float,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    credentials: Credentials | None = None,
) -> Response:
    """Send one request and return the final answer (any status) within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    start = origin(url)
    headers = dict(headers or {})
    authorization: str | None = None
    for _ in range(MAX_REDIRECTS + 1):
        sent = dict(headers)
        if authorization:
            sent["Authorization"] = authorization
        response = _once(method, url, body, sent, deadline, timeout)
        if response.status == 401 and credentials and authorization is None:
            authorization = _answer(response, method, url, credentials)
            continue
        if response.status not in REDIRECTS or "location" not in response.headers:
            return response
        target = urllib.parse.urljoin(url, response.headers["location"])
        if origin(target) != start:
            raise HttpError(
                f"{url}: redirected to {target}, another origin; not following "
                "(credentials and queries stay with the endpoint they were given for)"
            )
        if response.status == 303:
            method, body = "GET", None
            headers.pop("Content-Type", None)
        url = target
    raise HttpError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _once(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    deadline: float,
    timeout: float,
) -> Response:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpError(f"{url}: not an http(s) URL")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise DeadlineExceeded(f"{url}: no answer within {timeout:g} s (timeout)")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=remaining)
    expired = threading.Event()

    def expire() -> None:
        # Closing the socket wakes a read that is blocked waiting for the next byte.
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, expire)
    watchdog.daemon = True
    watchdog.start()
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        # A server may answer from the headers alone (401 before a large body, as
        # Virtuoso does) and close; its answer is read below, or the error raised there.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(method, target, body=body, headers=headers)
        answer = connection.getresponse()
        chunks = []
        while not expired.is_set():
            chunk = answer.read1(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        if expired.is_set() or time.monotonic() > deadline:
            raise DeadlineExceeded(f"{url}: no answer within {timeout:g} s (timeout)")
        return Response(
            answer.status,
            answer.reason,
            {k.lower(): v for k, v in answer.getheaders()},
            b"".join(chunks),
            url,
            answer.headers.get_all("WWW-Authenticate") or [],
        )
    except (TimeoutError, http.client.HTTPException, OSError) as error:
        if expired.is_set() or time.monotonic() >= deadline or isinstance(error, TimeoutError):
            raise DeadlineExceeded(f"{url}: no answer within {timeout:g} s (timeout)") from error
        raise HttpError(f"{url}: cannot reach the endpoint ({error})") from error
    finally:
        watchdog.cancel()
        connection.close()


def _answer(response: Response, method: str, url: str, credentials: Credentials) -> str:
    """The Authorization header answering the server's challenge (Digest preferred)."""
    offered = {}
    for header in response.challenges:
        for scheme, params in _challenges(header):
            offered.setdefault(scheme.lower(), params)
    if "digest" in offered:
        return _digest(offered["digest"], method, url, credentials)
    if "basic" in offered:
        secret = f"{credentials.user}:{credentials.password}".encode()
        return "Basic " + base64.b64encode(secret).decode()
    schemes = ", ".join(offered) or "none"
    raise HttpError(f"{url}: asks for authentication this tool cannot give (offered: {schemes})")


def _challenges(header: str) -> list[tuple[str, dict[str, str]]]:
    """Split a WWW-Authenticate value into (scheme, parameters); quoted commas stay inside."""
    found: list[tuple[str, dict[str, str]]] = []
    for match in ITEM.finditer(header):
        name, value = match.group(1), match.group(2)
        if value is None:
            found.append((name, {}))
        elif found:
            found[-1][1][name.lower()] = re.sub(r"\\(.)", r"\1", value.strip('"'))
    return found


def _digest(challenge: dict[str, str], method: str, url: str, credentials: Credentials) -> str:
    algorithm = challenge.get("algorithm", "MD5")
    if algorithm.upper() != "MD5":
        raise HttpError(f"{url}: asks for Digest with {algorithm}; only MD5 is supported")
    parts = urllib.parse.urlsplit(url)
    uri = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    ha1 = md5(f"{credentials.user}:{realm}:{credentials.password}")
    ha2 = md5(f"{method}:{uri}")
    fields = {
        "username": credentials.user,
        "realm": realm,
        "nonce": nonce,
        "uri": uri,
        "algorithm": "MD5",
    }
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    if "auth" in qops:
        cnonce, count = secrets.token_hex(8), "00000001"
        fields["response"] = md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        fields["cnonce"] = cnonce
    elif qops:
        raise HttpError(f"{url}: asks for Digest qop={','.join(qops)}; only qop=auth is supported")
    else:
        fields["response"] = md5(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in challenge:
        fields["opaque"] = challenge["opaque"]
    quoted = ", ".join(f'{k}="{v}"' for k, v in fields.items())
    if "auth" in qops:
        quoted += f", qop=auth, nc={count}"
    return "Digest " + quoted
