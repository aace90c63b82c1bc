"""Public pages cached per catalogue version: ETag, 304, Cache-Control, what is never kept,
a publish that empties the cache, and its bounds (web/page_cache.py)."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.asgi import run_async
from tests.support.editor import Site, login, make_site
from web.app import is_public_page
from web.catalogue_watch import Versions
from web.page_cache import PageCacheMiddleware, PageCachePolicy, etag_of, matches

CONDITION = "/en/condition/178"


def _cache(client: TestClient) -> PageCacheMiddleware:
    """The app's page cache (the middleware instance Starlette built)."""
    app: Any = client.app
    layer = app.middleware_stack
    while not isinstance(layer, PageCacheMiddleware):
        layer = layer.app
    return layer


@pytest.fixture
def site(loaded, tmp_path: Path):
    # The watch's own looks would come at any moment: here only when the test says.
    s = make_site(loaded, tmp_path, env={"EXW_CATALOGUE_POLL_SECONDS": "3600"})
    with s.client:
        yield s
    s.app.state.exw.db_engine.dispose()
    s.sessions.kw["bind"].dispose()


def test_a_page_is_rendered_once_then_answered_from_the_cache(client: TestClient) -> None:
    cache = _cache(client)
    first = client.get("/nl/aandoening/319")
    hits = cache.hits
    second = client.get("/nl/aandoening/319")
    assert cache.hits == hits + 1
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second.headers["etag"] == first.headers["etag"] == etag_of(first.content).decode()
    assert second.headers["cache-control"] == "public, max-age=0, s-maxage=30"
    assert second.headers["content-type"] == "text/html; charset=utf-8"
    assert second.headers["content-language"] == "nl"
    assert "accept-encoding" in second.headers["vary"].lower()
    assert "content-security-policy" in second.headers  # the security headers still


def test_if_none_match_gets_304_without_a_body(client: TestClient) -> None:
    page = client.get(CONDITION)
    tag = page.headers["etag"]
    for asked in (tag, f'"other", {tag}', tag.removeprefix("W/"), "*"):
        again = client.get(CONDITION, headers={"if-none-match": asked})
        assert again.status_code == 304, asked
        assert again.content == b""
        assert again.headers["etag"] == tag
        assert again.headers["cache-control"].startswith("public")
    assert client.get(CONDITION, headers={"if-none-match": '"other"'}).status_code == 200


def test_the_first_rendering_answers_304_too(site: Site) -> None:
    tag = site.client.get("/nl/aandoening/178").headers["etag"]
    watch = site.app.state.exw.watch
    old = watch.versions  # a new catalogue version: everything rendered anew
    watch.versions = Versions(old.catalogue + 1, old.index)
    again = site.client.get("/nl/aandoening/178", headers={"if-none-match": tag})
    assert again.status_code == 304  # the same bytes: the same tag, across versions and nodes


def test_gzip_is_kept_and_sent_to_those_who_ask(client: TestClient) -> None:
    plain = client.get(CONDITION, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = client.get(CONDITION, headers={"accept-encoding": "gzip, br"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content  # httpx decodes it
    assert packed.headers["etag"] == plain.headers["etag"]
    assert int(packed.headers["content-length"]) < len(plain.content) / 2


@pytest.mark.parametrize(
    "path",
    [
        "/nl/redactie/inloggen",
        "/en/editor/login",
        "/nl/fout-melden",
        "/en/report-an-error?page=/en/",
        "/api/search?q=sarcoom",
        "/healthz",
        "/static/site.css",
        "/robots.txt",
        "/",
    ],
)
def test_what_is_never_cached(client: TestClient, path: str) -> None:
    for _ in range(2):
        r = client.get(path)
        assert "public" not in r.headers.get("cache-control", ""), path
        assert not r.headers.get("etag", "").startswith('W/"') or path.startswith("/static")


def test_is_public_page() -> None:
    assert is_public_page("/nl/aandoening/178")
    assert is_public_page("/en/")
    assert is_public_page("/en/search")
    for path in ("/nl", "/", "/nl/redactie", "/en/editor/drafts", "/nl/fout-melden", "/api/x"):
        assert not is_public_page(path), path


def test_errors_and_redirects_are_not_cached(client: TestClient) -> None:
    for path, status in (("/en/condition/999999999", 404), ("/en/condition/ORPHA:178", 301)):
        cache = _cache(client)
        misses = cache.misses
        for _ in range(2):
            r = client.get(path, headers={"accept-encoding": "gzip"})
            assert r.status_code == status
            assert "etag" not in r.headers
            assert "public" not in r.headers.get("cache-control", "")
        assert cache.misses == misses + 2
    page = client.get("/en/condition/999999999", headers={"accept-encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"  # compressed as before


def test_an_editor_is_never_served_from_the_cache(site: Site) -> None:
    site.client.get(CONDITION)  # kept
    assert login(site.client, "en", "eddie@example.org").status_code == 303
    cache = _cache(site.client)
    hits = cache.hits
    r = site.client.get(CONDITION)
    assert r.status_code == 200
    assert cache.hits == hits
    assert "etag" not in r.headers
    assert "cache-control" not in r.headers


def test_a_publish_empties_the_cache_of_the_server_that_published(site: Site) -> None:
    service = site.state.service
    before = site.client.get(CONDITION)
    assert "kraakbeenknobbeltje" not in before.text
    token = service.entity_form("condition", "178").token
    draft = service.save_draft(
        site.team.editor.id,
        "condition",
        "178",
        "update",
        {"summary_en": "A chordoma is a rare kraakbeenknobbeltje."},
        token,
        "summary",
    )
    service.approve(draft, site.team.reviewer.id)
    after = site.client.get(CONDITION, headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200
    assert "kraakbeenknobbeltje" in after.text
    assert after.headers["etag"] != before.headers["etag"]


def test_an_editors_check_shows_at_once_on_a_kept_page(site: Site) -> None:
    """The page says when a person last checked its facts: a check is a new version."""
    before = site.client.get(CONDITION)
    assert "No editor has checked these facts yet" in before.text
    site.state.service.mark_checked(site.team.editor.id, "condition", "178")
    after = site.client.get(CONDITION, headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200
    assert "An editor last checked these facts on" in after.text


def test_a_publish_elsewhere_empties_it_at_the_next_look(site: Site) -> None:
    """Another server (or the CLI) publishes: this server reads the new version itself."""
    from directory.catalogue_version import bump_version

    watch = site.app.state.exw.watch
    site.client.get(CONDITION)
    with site.sessions() as s, s.begin():
        bump_version(s)
    cache = _cache(site.client)
    misses = cache.misses
    site.client.get(CONDITION)
    assert cache.misses == misses  # not read yet: still the page kept
    watch.refresh()  # what the watch's thread does every EXW_CATALOGUE_POLL_SECONDS
    site.client.get(CONDITION)
    assert cache.misses == misses + 1


def test_settings_bound_and_describe_the_cache(loaded, tmp_path: Path) -> None:
    s = make_site(
        loaded,
        tmp_path,
        env={
            "EXW_PAGE_CACHE_ENTRIES": "3",
            "EXW_PAGE_CACHE_MB": "1",
            "EXW_PAGE_CACHE_SECONDS": "0",
        },
    )
    with s.client:
        for path in ("/en/", CONDITION, "/en/sources", "/en/", "/en/condition/319", "/nl/"):
            r = s.client.get(path)
            assert r.headers["cache-control"] == "public, no-cache"
        pages, size = _cache(s.client).size
        assert pages == 3
        assert size <= 1024 * 1024
    (tmp_path / "off").mkdir()
    off = make_site(loaded, tmp_path / "off", env={"EXW_PAGE_CACHE_ENTRIES": "0"})
    with off.client:
        r = off.client.get(CONDITION)
        assert "etag" not in r.headers
        assert "cache-control" not in r.headers
    for each in (s, off):
        each.app.state.exw.db_engine.dispose()
        each.sessions.kw["bind"].dispose()


# -- the middleware alone ------------------------------------------------------------------


class FakePages:
    """An ASGI app that renders ``size`` bytes for any path, slowly, and counts renderings."""

    def __init__(self, size: int = 1000, headers: list[tuple[bytes, bytes]] | None = None):
        self.size = size
        self.rendered = 0
        self.headers = headers or []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.rendered += 1
        await asyncio.sleep(0.01)
        body = (scope["path"] * self.size).encode()[: self.size]
        headers = [(b"content-type", b"text/html; charset=utf-8"), *self.headers]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _get(app: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> list[Any]:
    sent: list[Any] = []

    async def receive() -> Any:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": headers or [],
    }
    await app(scope, receive, send)
    return sent


def _run(app: Any, paths: list[str], headers: list[tuple[bytes, bytes]] | None = None):
    """The answers to ``paths`` asked all at once (in a fresh event loop of its own)."""

    async def together() -> list[list[Any]]:
        return list(await asyncio.gather(*(_get(app, p, headers) for p in paths)))

    return run_async(together)


def _middleware(inner: Any, **policy: int) -> PageCacheMiddleware:
    settings = {"entries": 100, "max_bytes": 1_000_000, "shared_max_age": 30, **policy}
    return PageCacheMiddleware(
        inner, policy=PageCachePolicy(**settings), versions=lambda: 1, cacheable=lambda p: True
    )


def test_many_asking_at_once_for_one_page_render_it_once() -> None:
    inner = FakePages()
    cache = _middleware(inner)
    answers = _run(cache, ["/nl/a"] * 20 + ["/nl/b"] * 5)
    assert inner.rendered == 2
    assert all(a[0]["status"] == 200 for a in answers)
    assert {a[1]["body"] for a in answers[:20]} == {answers[0][1]["body"]}


def test_the_budget_in_entries_and_bytes_holds() -> None:
    by_bytes = _middleware(FakePages(size=10_000), entries=50, max_bytes=100_000)
    _run(by_bytes, [f"/nl/{n}" for n in range(20)])
    pages, size = by_bytes.size
    assert pages == 9  # 9 x (10,000 + bookkeeping) fit in 100,000
    assert size <= 100_000
    by_entries = _middleware(FakePages(size=100), entries=5, max_bytes=100_000)
    _run(by_entries, [f"/nl/{n}" for n in range(20)])
    assert by_entries.size[0] == 5
    big = _middleware(FakePages(size=13_000), entries=5, max_bytes=100_000)
    _run(big, ["/nl/x"])
    assert big.size == (0, 0)  # over an eighth of the budget: not kept


def test_least_recently_used_pages_go_first() -> None:
    inner = FakePages()
    cache = _middleware(inner, entries=2)
    _run(cache, ["/nl/a"])
    _run(cache, ["/nl/b"])
    _run(cache, ["/nl/a"])  # a is used again
    _run(cache, ["/nl/c"])  # b goes
    rendered = inner.rendered
    _run(cache, ["/nl/a"])
    assert inner.rendered == rendered
    _run(cache, ["/nl/b"])
    assert inner.rendered == rendered + 1


@pytest.mark.parametrize(
    "header",
    [(b"set-cookie", b"a=b"), (b"cache-control", b"no-store"), (b"content-type", b"text/csv")],
)
def test_answers_that_say_so_are_not_kept(header: tuple[bytes, bytes]) -> None:
    inner = FakePages(headers=[header])
    cache = _middleware(inner)
    (answer,) = _run(cache, ["/nl/a"])
    assert (b"etag", etag_of(answer[1]["body"])) not in answer[0]["headers"]
    _run(cache, ["/nl/a"])
    assert inner.rendered == 2
    assert cache.size == (0, 0)


def test_gzip_of_a_kept_page_is_made_once() -> None:
    inner = FakePages(size=5000)
    cache = _middleware(inner)
    for _ in range(3):
        (sent,) = _run(cache, ["/nl/a"], [(b"accept-encoding", b"gzip")])
        assert gzip.decompress(sent[1]["body"]) == (b"/nl/a" * 1000)[:5000]
    assert inner.rendered == 1
    pages, size = cache.size
    assert pages == 1
    assert size > 5000  # the page and its gzip


def test_matches() -> None:
    assert matches(b'W/"abc"', b'W/"abc"')
    assert matches(b'"abc"', b'W/"abc"')
    assert matches(b'"x", W/"abc"', b'W/"abc"')
    assert matches(b"*", b'W/"abc"')
    assert not matches(b"", b'W/"abc"')
    assert not matches(b'"abcd"', b'W/"abc"')


def test_a_search_that_finds_nothing_is_counted_every_time(site: Site) -> None:
    """The editors' list of searches that found nothing counts each one (not the cache's)."""
    from directory.conditions.zero_results import zero_results

    for _ in range(3):
        r = site.client.get("/nl/zoeken", params={"q": "xqzvkwpj"})
        assert r.status_code == 200
        assert r.headers["cache-control"] == "no-store"
    counted = {z.normalised: z.count for z in zero_results(site.sessions)}
    assert counted["xqzvkwpj"] == 3


def test_a_large_body_in_parts_is_passed_on_and_not_kept() -> None:
    async def parts(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"text/html")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for n in range(3):
            await send({"type": "http.response.body", "body": b"x" * 20_000, "more_body": n < 2})

    cache = _middleware(parts, max_bytes=100_000)
    (sent,) = _run(cache, ["/nl/big"])
    assert sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"x" * 60_000
    assert cache.size == (0, 0)
