"""Permanent redirects for former slugs: a page that moved answers 301, never 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from directory.db import make_session_factory
from directory.expertise.redirects import RedirectQueries
from directory.paths import is_slug, page_of_segment
from directory.vocabulary import REDIRECT_KINDS
from web.i18n import LANGS
from web.permalinks import permalinks, with_query

if TYPE_CHECKING:
    from web.state import AppState


def moved_to(request: Request) -> str | None:
    """The new path of ``/{lang}/{segment}/{slug}`` when that slug was renamed or merged."""
    parts = request.url.path.split("/")
    if len(parts) != 4 or parts[1] not in LANGS or not is_slug(parts[3]):
        return None
    found = page_of_segment(parts[2])
    if found is None or found[0] not in REDIRECT_KINDS or found[1] != parts[1]:
        return None
    kind, lang = found
    state: AppState = request.app.state.exw
    target = RedirectQueries(make_session_factory(state.db_engine)).target(kind, parts[3])
    if target is None:
        return None
    # a former slug of either language: straight to the page's slug in this one
    links = permalinks(request)
    return with_query(request, links.path(kind, links.entity_id(kind, target), lang))
