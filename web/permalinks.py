"""Each language's slug in the addresses of entity pages.

English pages of panels, working groups, networks and body areas are at the entity's
English slug, Dutch pages at its Dutch slug (its id). An address with the other
language's slug answers 301 to the right one, with its query string.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from directory.paths import Permalinks

if TYPE_CHECKING:
    from web.state import AppState

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slug_param(request: Request) -> str:
    """The ``slug`` of the address, or 404 when it cannot be one."""
    slug = str(request.path_params.get("slug", ""))
    if len(slug) > 100 or not SLUG_RE.match(slug):
        raise HTTPException(404)
    return slug


def permalinks(request: Request) -> Permalinks:
    """The slugs of the catalogue as it is now; read at most once per request."""
    found = getattr(request.state, "permalinks", None)
    if isinstance(found, Permalinks):
        return found
    state: AppState = request.app.state.exw
    links = state.permalinks.current()
    request.state.permalinks = links
    return links


def with_query(request: Request, path: str) -> str:
    return path + (f"?{request.url.query}" if request.url.query else "")


def entity_id(
    request: Request, kind: str, slug: str, lang: str, suffix: str = ""
) -> str | Response:
    """The id of the entity whose page ``/{lang}/{segment}/{slug}{suffix}`` is, or a
    permanent redirect when the address has the other language's slug."""
    links = permalinks(request)
    found = links.entity_id(kind, slug)
    if links.slug(kind, found, lang) != slug:
        target = with_query(request, links.path(kind, found, lang) + suffix)
        return RedirectResponse(target, status_code=301)
    return found
