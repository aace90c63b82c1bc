"""Links to the browse pages (EURACAN domains, body areas) and their paths (no view:
the home page, the browse pages and the sitemap use them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from directory.db import make_session_factory
from directory.expertise.browse import BrowseEntry, BrowseQueries
from directory.paths import Permalinks
from web.contexts.browse import BrowseLink

if TYPE_CHECKING:
    from web.state import AppState

PAGE_OF = {"euracan_domain": "domain", "body_area": "body_area"}


def _queries(state: AppState) -> BrowseQueries:
    return BrowseQueries(make_session_factory(state.db_engine))


def _link(e: BrowseEntry, links: Permalinks, lang: str) -> BrowseLink:
    url = links.path(PAGE_OF[e.kind], e.slug, lang)
    if e.kind == "euracan_domain":
        # Domains have a professional name; patients read the lay name first.
        lay = e.lay_name(lang)
        return BrowseLink(lay or e.name(lang), url, e.name(lang) if lay else "")
    return BrowseLink(e.name(lang), url)


def domain_links(state: AppState, links: Permalinks, lang: str) -> tuple[BrowseLink, ...]:
    return tuple(_link(e, links, lang) for e in _queries(state).entries("euracan_domain"))


def body_area_links(state: AppState, links: Permalinks, lang: str) -> tuple[BrowseLink, ...]:
    return tuple(_link(e, links, lang) for e in _queries(state).entries("body_area"))


def browse_paths(state: AppState, links: Permalinks) -> Iterator[dict[str, str]]:
    q = _queries(state)
    for kind, page in PAGE_OF.items():
        for e in q.entries(kind):
            yield links.paths(page, e.slug)
