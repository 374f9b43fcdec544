"""Security headers and the CSRF check for the few requests that change anything.

The Content-Security-Policy allows scripts and styles only from this server:
no inline script runs even if text from a document ever reached a page as
markup. Styles set from script (vis-network, YASGUI) are CSSOM changes, which
the policy does not block.

CSRF is a double-submit token: the form carries the same random value as a
``SameSite=Strict`` cookie, and a POST whose two values differ (or whose
Origin is another site) is refused.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "indsatsgraf_csrf"
CSRF_FIELD = "csrf_token"

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Adds HEADERS to every response (pages, data, static files and errors alike)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, add_headers)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_matches(cookie: str | None, submitted: str | None) -> bool:
    """Both present and equal (compared in constant time)."""
    return bool(cookie) and bool(submitted) and hmac.compare_digest(cookie, submitted)


def same_origin(origin: str | None, host: str | None, scheme: str) -> bool:
    """An absent Origin passes (old browsers, curl); a present one must name this server."""
    if not origin or origin == "null":
        return origin is None
    return origin == f"{scheme}://{host}"
