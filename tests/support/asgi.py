"""Calling the ASGI app directly, to see how much of a request body it reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio

T = TypeVar("T")


def run_async(func: Callable[..., Awaitable[T]], *args: Any) -> T:
    """In a fresh event loop in its own thread (the site's test client owns another)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, func, *args).result()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    pulled: int  # body bytes the app asked for before it answered
    chunks: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def post_body(
    app: Any,
    path: str,
    *,
    chunk: bytes,
    chunks: int,
    headers: dict[str, str] | None = None,
    cookie: str = "",
    chunked: bool = True,
    prefix: bytes = b"",
) -> Answer:
    """POST ``prefix`` and ``chunks`` times ``chunk`` (generated as asked for, never whole)."""
    total = len(prefix) + len(chunk) * chunks
    head = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    head.append((b"host", b"testserver"))
    if chunked:
        head.append((b"transfer-encoding", b"chunked"))
    else:
        head.append((b"content-length", str(total).encode()))
    if cookie:
        head.append((b"cookie", cookie.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": head,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent = {"n": 0, "bytes": 0}
    out: dict[str, Any] = {"status": 0, "headers": {}, "body": b""}

    async def receive() -> dict[str, Any]:
        if sent["n"] >= chunks:
            await anyio.sleep(3600)  # a client still sending: never a disconnect
        body = prefix + chunk if sent["n"] == 0 else chunk
        sent["n"] += 1
        sent["bytes"] += len(body)
        return {"type": "http.request", "body": body, "more_body": sent["n"] < chunks}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    async def call() -> None:
        with anyio.fail_after(60):
            await app(scope, receive, send)

    run_async(call)
    return Answer(out["status"], out["headers"], out["body"], sent["bytes"], sent["n"])
