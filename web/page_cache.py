"""Public pages rendered once per catalogue version, with ETag, 304 and Cache-Control.

A condition page costs milliseconds of CPU-bound Python to render (its route card,
expertise, sources), and it only changes when the catalogue does. So each server
process keeps the pages it rendered, by path and query string (the language is the
path's first segment), for as long as the catalogue's version and its search
index's stay the same (:class:`web.catalogue_watch.Versions`): a publish anywhere
empties the cache of every server within seconds. Results pages depend on the
index, which is rebuilt after the catalogue changes, so the index's version is
part of the key too.

Only public pages (``/nl/...`` and ``/en/...``, not the editor area, not the report
form) are cached, only answers 200 of a GET in HTML, and never an answer that
sets a cookie or says how it may be cached itself. A request that carries an
editor's session cookie is answered as if there were no cache: an editor sees
what they published at once. Errors and redirects pass as they are.

Every cached page has a weak ``ETag`` (a hash of its bytes, so it is the same on
every node and across a publish that did not change the page), and a request
whose ``If-None-Match`` names it gets ``304 Not Modified``. ``Cache-Control:
public, max-age=0, s-maxage=N``: a reverse proxy or CDN may serve it for
``EXW_PAGE_CACHE_SECONDS`` without asking, browsers ask every time (and mostly
get a 304, a few hundred bytes).

The cache sits in front of the compression: it keeps each page as it is and,
once a client asks for it, gzipped (level 5 as the site's compression), and
answers from the event loop without a worker thread. Its memory is bounded by
``EXW_PAGE_CACHE_ENTRIES`` and ``EXW_PAGE_CACHE_MB`` per server process; the
least recently used pages go first, and a page larger than an eighth of the
budget is not kept. Requests for a page that is being rendered wait for that
rendering instead of rendering it again (after a publish, many ask at once).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = b"exw_session="
ENTRY_OVERHEAD = 512  # bytes of bookkeeping per page, roughly: keys, headers, objects
LARGEST_SHARE = 8  # a page may take at most this fraction of the byte budget
GZIP_LEVEL = 5
GZIP_MINIMUM = 1000


@dataclass(frozen=True)
class PageCachePolicy:
    entries: int  # 0: no cache
    max_bytes: int
    shared_max_age: int  # seconds a proxy or CDN may serve a page without asking

    @property
    def cache_control(self) -> bytes:
        if self.shared_max_age <= 0:
            return b"public, no-cache"
        return f"public, max-age=0, s-maxage={self.shared_max_age}".encode()


@dataclass(frozen=True)
class CachedPage:
    headers: tuple[tuple[bytes, bytes], ...]  # the view's, less length and encoding
    body: bytes
    etag: bytes
    gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + ENTRY_OVERHEAD


def etag_of(body: bytes) -> bytes:
    return b'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return b""


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, as for GET)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == b"*":
        return True
    opaque = etag.removeprefix(b"W/")
    return any(tag.strip().removeprefix(b"W/") == opaque for tag in if_none_match.split(b","))


class PageCacheMiddleware:
    """See the module's docstring. ``versions()`` names the catalogue's state now;
    ``cacheable(path)`` says whether a path is a public page."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        policy: PageCachePolicy,
        versions: Callable[[], Hashable],
        cacheable: Callable[[str], bool],
    ) -> None:
        self.app = app
        self.policy = policy
        self.versions = versions
        self.cacheable = cacheable
        self.largest = policy.max_bytes // LARGEST_SHARE
        self.cache_control = policy.cache_control
        self._pages: OrderedDict[tuple[str, bytes], CachedPage] = OrderedDict()
        self._bytes = 0
        self._state: Hashable = None
        self._rendering: dict[tuple[str, bytes], asyncio.Future[CachedPage | None]] = {}
        self.hits = 0
        self.misses = 0

    # -- bookkeeping --------------------------------------------------------------------

    @property
    def size(self) -> tuple[int, int]:
        """(pages, bytes) kept now."""
        return len(self._pages), self._bytes

    def _current(self) -> None:
        state = self.versions()
        if state != self._state:
            self._pages.clear()
            self._bytes = 0
            self._state = state

    def _keep(self, key: tuple[str, bytes], page: CachedPage) -> None:
        old = self._pages.pop(key, None)
        if old is not None:
            self._bytes -= old.size
        if page.size > self.largest:
            return
        self._pages[key] = page
        self._bytes += page.size
        while len(self._pages) > self.policy.entries or self._bytes > self.policy.max_bytes:
            _key, gone = self._pages.popitem(last=False)
            self._bytes -= gone.size

    # -- answering ----------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not self.policy.entries
            or not self.cacheable(scope["path"])
            or SESSION_COOKIE in _header(scope, b"cookie")
        ):
            await self.app(scope, receive, send)
            return
        self._current()
        key = (scope["path"], scope["query_string"])
        page = self._pages.get(key)
        if page is not None:
            self.hits += 1
            self._pages.move_to_end(key)
            await self._send(scope, send, key, page)
            return
        pending = self._rendering.get(key)
        if pending is not None:
            page = await asyncio.shield(pending)
            if page is not None:
                self.hits += 1
                await self._send(scope, send, key, page)
                return
        await self._render(scope, receive, send, key)

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes]
    ) -> None:
        """Render the page and answer as soon as its body is complete.

        The answer goes out from inside the view's own ``send``: work a view does after
        its answer (Starlette's background tasks, such as the zero-results log) still
        comes after the answer. A body sent in parts and larger than a page may be is
        passed on as it comes, and not kept.
        """
        self.misses += 1
        state = self._state
        done: asyncio.Future[CachedPage | None] = asyncio.get_running_loop().create_future()
        self._rendering[key] = done
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False
        # The view's answer as it is: the compression inside must not touch it.
        inner = dict(scope)
        inner["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                start = message
                return
            if passing or start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                if sum(map(len, chunks)) > self.largest:
                    passing = True
                    await send(start)
                    await send({**message, "body": b"".join(chunks)})
                return
            body = b"".join(chunks)
            page = self._page_of(start, body)
            if page is None:
                await self._send_as_is(scope, send, start, body)
                return
            if self._state == state:  # not a page of a catalogue that changed meanwhile
                self._keep(key, page)
            done.set_result(page)
            await self._send(scope, send, key, page)

        try:
            await self.app(inner, receive, capture)
        finally:
            self._rendering.pop(key, None)
            if not done.done():
                done.set_result(None)

    def _page_of(self, start: Message, body: bytes) -> CachedPage | None:
        """The answer as a page to keep, or None when it must not be kept."""
        if start["status"] != 200:
            return None
        headers = []
        for key, value in start.get("headers", []):
            name = bytes(key).lower()
            if name in (b"set-cookie", b"cache-control", b"content-encoding", b"etag"):
                return None
            if name == b"content-type" and not bytes(value).startswith(b"text/html"):
                return None
            if name not in (b"content-length", b"vary"):
                headers.append((name, bytes(value)))
        return CachedPage(tuple(headers), body, etag_of(body))

    async def _send(
        self, scope: Scope, send: Send, key: tuple[str, bytes], page: CachedPage
    ) -> None:
        common = [
            (b"etag", page.etag),
            (b"cache-control", self.cache_control),
            (b"vary", b"Accept-Encoding"),
        ]
        if matches(_header(scope, b"if-none-match"), page.etag):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        body = page.body
        headers = [*page.headers, *common]
        if len(body) >= GZIP_MINIMUM and b"gzip" in _header(scope, b"accept-encoding"):
            if page.gzipped is None:
                page = replace(page, gzipped=gzip.compress(body, GZIP_LEVEL, mtime=0))
                if self._pages.get(key) is not None:
                    self._keep(key, page)
            body = page.gzipped or body
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _send_as_is(self, scope: Scope, send: Send, start: Message, body: bytes) -> None:
        """An answer that is not kept, compressed as the site's compression would have."""
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        names = {k.lower() for k, _ in headers}
        if (
            len(body) >= GZIP_MINIMUM
            and b"content-encoding" not in names
            and b"gzip" in _header(scope, b"accept-encoding")
        ):
            body = gzip.compress(body, GZIP_LEVEL)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers += [
                (b"content-encoding", b"gzip"),
                (b"content-length", str(len(body)).encode()),
                (b"vary", b"Accept-Encoding"),
            ]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})
