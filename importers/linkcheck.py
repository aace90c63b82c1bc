"""Check the outbound links of the public pages (``expertisewijzer links check``).

Each distinct URL is requested once with the HTTP client the caller passes in
(with its timeouts): HEAD first, GET when a server does not allow HEAD. A link
is broken when the answer, after redirects, is 400 or higher, or when there is no
answer at all. Tests pass an ``httpx.Client`` on a ``MockTransport``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import httpx

from directory.clock import utcnow
from directory.editorial.queries.links import OutboundLink
from directory.editorial.service_base import LinkResult

USER_AGENT = "Expertisewijzer link check (+https://github.com/expertisewijzer)"


def _check(client: httpx.Client, url: str) -> tuple[bool, int | None, str | None]:
    headers = {"user-agent": USER_AGENT}
    try:
        response = client.head(url, follow_redirects=True, headers=headers)
        if response.status_code in (405, 501) or response.status_code == 403:
            # Some servers refuse HEAD: ask again with GET, without reading the body.
            with client.stream("GET", url, follow_redirects=True, headers=headers) as streamed:
                response = streamed
    except httpx.HTTPError as exc:
        return False, None, f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
    return response.status_code < 400, response.status_code, None


def check_links(
    client: httpx.Client,
    links: Iterable[OutboundLink],
    *,
    clock: Callable[[], dt.datetime] = utcnow,
) -> list[LinkResult]:
    """Check every link; one request per distinct URL."""
    by_url: dict[str, tuple[bool, int | None, str | None]] = {}
    results = []
    for link in links:
        if link.url not in by_url:
            by_url[link.url] = _check(client, link.url)
        ok, status, error = by_url[link.url]
        results.append(
            LinkResult(
                entity_kind=link.entity_kind,
                entity_id=link.entity_id,
                field=link.field,
                url=link.url,
                ok=ok,
                status_code=status,
                error=error,
                checked_at=clock(),
            )
        )
    return results
