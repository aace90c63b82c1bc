"""Request bodies are counted as they arrive and refused past their route's limit.

Security review D1: a size check that trusted ``Content-Length`` let any chunked
body through, and the login and report forms had no limit at all, so anyone could
make the server read hundreds of megabytes before it answered. This middleware
wraps ``receive``:

* a declared ``Content-Length`` above the limit is answered 413 before a byte of
  the body is read;
* otherwise the bytes are counted as they come, whatever the framing (chunked or
  not), and the request is answered 413 the moment the count passes the limit;
* a response that starts while the body is still unread (the 413, a refusal for a
  missing session) closes the connection, so the rest is never read either.

The limit is chosen per path (``limit_for``), before the route runs.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory.numbers import ascii_int


class BodyTooLarge(Exception):
    """Raised from ``receive`` when the body passes its limit; answered 413 here."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int], too_large: ASGIApp) -> None:
        self.app = app
        self.limit_for = limit_for
        self.too_large = too_large  # the 413 answer (an ASGI app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        length = ascii_int(declared.strip(), 18) if declared is not None else None
        if length is not None and length > limit:
            await self.too_large(scope, receive, _closing(send))
            return
        has_body = bool(length) or "transfer-encoding" in headers
        received = 0
        body_done = not has_body
        started = False

        async def counted_receive() -> Message:
            nonlocal received, body_done
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if not message.get("more_body", False):
                    body_done = True
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if not body_done:
                    message = _with_close(message)
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:  # too late to answer: the server drops the connection
                raise
            await self.too_large(scope, receive, _closing(send))


def _with_close(message: Message) -> Message:
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
    return {**message, "headers": [*headers, (b"connection", b"close")]}


def _closing(send: Send) -> Send:
    async def closing_send(message: Message) -> None:
        await send(_with_close(message) if message["type"] == "http.response.start" else message)

    return closing_send
