"""The error pages (404, 500, 503), used as the app's exception handlers."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from directory.paths import SEGMENTS, Permalinks, page_of_segment
from web.contexts.errors import ErrorPage
from web.i18n import LANGS
from web.middleware import with_security_headers
from web.pages import html_page, page_frame, page_lang, tr
from web.redirects import moved_to

log = logging.getLogger(__name__)


def _twin_paths(request: Request) -> dict[str, str]:
    """The same page in each language, for error pages and the language switch."""
    parts = request.url.path.split("/")
    result = {}
    for lg in LANGS:
        new = list(parts)
        if len(new) > 1 and new[1] in LANGS:
            new[1] = lg
            if len(new) > 2 and (found := page_of_segment(new[2])):
                new[2] = SEGMENTS[found[0]][lg]
            result[lg] = "/".join(new)
        else:
            result[lg] = f"/{lg}/"
    return result


def not_found(request: Request, exc: Exception) -> Response:
    lang = page_lang(request)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "not found"}, status_code=404)
    moved = moved_to(request)  # a renamed or merged entity: its old link keeps working
    if moved is not None:
        return RedirectResponse(moved, status_code=301)
    page = page_frame(
        request, lang, tr(request, lang, "Page not found"), "", _twin_paths(request), noindex=True
    )
    ctx = ErrorPage(
        page,
        404,
        tr(request, lang, "Page not found"),
        tr(
            request,
            lang,
            "We could not find this page. It may have moved, or the address "
            "may contain a typo. Search for what you were looking for:",
        ),
    )
    return html_page(request, lang, ctx, status=404)


# Seconds a client is asked to wait when the database is busy: a long import holds
# SQLite's write lock for seconds, not minutes.
RETRY_AFTER_SECONDS = 10


def database_unavailable(request: Request, exc: Exception) -> Response:
    """503 with ``Retry-After`` when the database is busy or cannot be reached.

    A write that waited out SQLite's busy timeout (another process held the lock,
    as a long import does) answered 500 with a traceback (security review D12).
    Only the error's class is logged: its message quotes the statement.
    """
    log.warning("database unavailable (%s): answered 503", type(exc).__name__)
    headers = {"retry-after": str(RETRY_AFTER_SECONDS), "cache-control": "no-store"}
    lang = page_lang(request)
    if request.url.path.startswith("/api/"):
        body = {"error": "the database is busy; try again shortly"}
        return JSONResponse(body, status_code=503, headers=headers)
    title = tr(request, lang, "The site is busy")
    page = page_frame(request, lang, title, "", {lg: f"/{lg}/" for lg in LANGS}, noindex=True)
    ctx = ErrorPage(
        page,
        503,
        title,
        tr(
            request,
            lang,
            "The site is very busy at the moment, and nothing you sent was saved. "
            "Please try again in a minute.",
        ),
    )
    response = html_page(request, lang, ctx, status=503, links=Permalinks())
    response.headers.update(headers)
    return response


def server_error(request: Request, exc: Exception) -> Response:
    return with_security_headers(_server_error_page(request))


def _server_error_page(request: Request) -> Response:
    lang = page_lang(request)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "internal error"}, status_code=500)
    page = page_frame(
        request,
        lang,
        tr(request, lang, "Something went wrong"),
        "",
        {lg: f"/{lg}/" for lg in LANGS},
        noindex=True,
    )
    ctx = ErrorPage(
        page,
        500,
        tr(request, lang, "Something went wrong"),
        tr(request, lang, "Something went wrong on our side. Please try again later."),
    )
    return html_page(request, lang, ctx, status=500, links=Permalinks())
