"""What every public page shares: the app's state, the page's language, translated texts,
the page frame and rendering. Imports no view module, so views import it and not each
other (issue 12: no import circles in ``web``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from directory.paths import Permalinks, page_path
from web.contexts.base import Alternate, Page, PageContext
from web.i18n import LANGS, render
from web.location import clean_near
from web.permalinks import permalinks

if TYPE_CHECKING:
    from web.state import AppState


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.exw
    return state


def page_lang(request: Request) -> str:
    first = request.url.path.split("/")[1]
    return first if first in LANGS else "nl"


def tr(request: Request, lang: str, message: str) -> str:
    return str(app_state(request).translations[lang].gettext(message))


MAX_KEPT_QUERY = 1000  # longer query strings are not carried over by the language switch


def page_frame(
    request: Request,
    lang: str,
    title: str,
    description: str,
    paths: dict[str, str],
    *,
    query: str = "",
    noindex: bool = False,
    review: tuple[str, str | int] | None = None,
) -> Page:
    """The page frame. ``review`` (kind, id) adds when a person last checked the facts."""
    state = app_state(request)
    base = state.settings.base_url
    return Page(
        lang=lang,
        title=title,
        description=description,
        canonical=base + paths[lang],
        alternates=tuple(Alternate(lg, paths[lg]) for lg in LANGS),
        query=query,
        noindex=noindex,
        site_url=base,
        keep=request.url.query if len(request.url.query) <= MAX_KEPT_QUERY else "",
        near=clean_near(request.query_params.get("near")),
        review=state.reviews.of(*review) if review else None,
    )


def html_page(
    request: Request,
    lang: str,
    ctx: PageContext,
    status: int = 200,
    *,
    links: Permalinks | None = None,
) -> Response:
    """Render ``ctx`` with its template. ``links``: given by error pages, which must not
    read the database."""
    body = render(
        app_state(request).envs,
        lang,
        ctx.template,
        links=permalinks(request) if links is None else links,
        ctx=ctx,
        page=ctx.page,
    )
    return HTMLResponse(body, status_code=status, headers={"content-language": lang})


def page_paths(page: str) -> dict[str, str]:
    """A fixed page's path in each language."""
    return {lg: page_path(page, lg) for lg in LANGS}
