"""ASGI middleware of the app: security headers on every response, gzip by q-value."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder

from .negotiation import accepts_encoding

HTML_SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """nosniff everywhere; a strict CSP and frame denial on HTML pages."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {b"x-content-type-options": b"nosniff",
                         b"referrer-policy": b"no-referrer"}
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html"):
                    extra.update({k.encode(): v.encode() for k, v in HTML_SECURITY_HEADERS.items()})
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class GZipByQuality(GZipMiddleware):
    """Starlette's GZipMiddleware, deciding by the q-values of Accept-Encoding.

    Starlette looks for the substring "gzip", so a client that said `gzip;q=0, identity` was
    sent gzip, and one that said `*` was not. The responders (what is compressed, the
    `Vary: Accept-Encoding`) are Starlette's.
    """

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if accepts_encoding(Headers(scope=scope).get("accept-encoding"), "gzip"):
            responder = GZipResponder(self.app, self.minimum_size,
                                      compresslevel=self.compresslevel,
                                      thread_minimum_size=self.thread_minimum_size,
                                      exclude_content_types=self.exclude_content_types)
        else:
            responder = IdentityResponder(self.app, self.minimum_size,
                                          exclude_content_types=self.exclude_content_types)
        await responder(scope, receive, send)
