"""HTTP middleware: security headers on every response; compression of public pages only."""

from __future__ import annotations

from collections.abc import Callable

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_security_headers(response: Response) -> Response:
    """The same headers on a response that no middleware sees.

    Starlette's ``ServerErrorMiddleware`` is always the outermost layer, so the 500
    page it sends never passes :class:`SecurityHeadersMiddleware` (security review D3).
    """
    for key, value in HEADERS:
        response.headers.setdefault(key.decode(), value.decode())
    return response


class PublicGZipMiddleware:
    """Gzip, except for paths where ``uncompressed(path)`` is true.

    Editor pages carry the session's CSRF token next to text an attacker can choose
    (a search in the catalogue). Compressed over HTTPS that is what BREACH needs to
    read the token byte by byte (security review D16), so they are sent as they are;
    they are few and small. Public pages hold no secret and stay compressed.
    """

    def __init__(
        self,
        app: ASGIApp,
        uncompressed: Callable[[str], bool],
        minimum_size: int = 500,
        compresslevel: int = 9,
    ) -> None:
        self.app = app
        self.uncompressed = uncompressed
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=compresslevel)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.uncompressed(scope["path"]):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)
