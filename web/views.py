"""Thin views: parse input, ask the catalogue or the search engine, render a page.

Views are plain (synchronous) functions: Starlette runs them in its threadpool,
so blocking database and search calls never block the event loop.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from directory.conditions.queries import Text
from directory.numbers import ascii_int
from directory.paths import SEGMENTS, Permalinks, entity_path, page_of_segment, page_path
from web.contexts import ConditionPage, ErrorPage, SourcesPage
from web.editor.public import condition_summary
from web.i18n import LANGS, negotiate
from web.middleware import with_security_headers
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.redirects import moved_to
from web.views_expertise import condition_expertise

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

ORPHANET_ATTRIBUTION = (
    "Orphanet: an online rare disease and orphan drug data base. © INSERM 1999. "
    "Available on http://www.orpha.net. Orphadata: Free access data from Orphanet. "
    "© INSERM 1999. Available on https://www.orphadata.com. Licence: CC BY 4.0."
)


# -- root and home -------------------------------------------------------------


def root(request: Request) -> Response:
    lang = negotiate(request.headers.get("accept-language"))
    return RedirectResponse(f"/{lang}/", status_code=307, headers={"vary": "Accept-Language"})


def lang_root(request: Request) -> Response:
    return RedirectResponse(f"/{page_lang(request)}/", status_code=301)


def health(request: Request) -> Response:
    return JSONResponse({"status": "ok", "documents": app_state(request).search.count()})


# -- condition ---------------------------------------------------------------------


def condition_page(request: Request) -> Response:
    lang = page_lang(request)
    raw = request.path_params["code"]
    digits = raw.upper().removeprefix("ORPHA").removeprefix(":")
    code = ascii_int(digits)
    if code is None:
        raise HTTPException(404)
    if str(code) != raw:
        return RedirectResponse(entity_path("condition", code, lang), status_code=301)
    queries = app_state(request).queries
    detail = queries.condition(code)
    if detail is None:
        raise HTTPException(404)
    if detail.ref.status != "active" and any(k == "moved_to" for _r, k in detail.redirects_to):
        target = queries.successor(code)
        if target is not None:
            return RedirectResponse(entity_path("condition", target, lang), status_code=301)
    title = detail.ref.title(lang)
    paths = {lg: entity_path("condition", code, lg) for lg in LANGS}
    definition = detail.definitions.get(lang) or detail.definitions.get("en")
    page = page_frame(
        request,
        lang,
        f"{title.value} (ORPHA:{code})",
        (
            definition.value[:200]
            if definition
            else tr(request, lang, "Where to find expertise for %(name)s in the Netherlands.")
            % {"name": title.value}
        ),
        paths,
        review=("condition", code),
    )
    levels = {
        "group": tr(request, lang, "Group of conditions"),
        "disorder": tr(request, lang, "Disease"),
        "subtype": tr(request, lang, "Subtype of a disease"),
    }
    statuses = {
        "obsolete": tr(request, lang, "This code is no longer in use (obsolete)."),
        "deprecated": tr(request, lang, "This code has been withdrawn (deprecated)."),
    }
    summary = condition_summary(request, code, lang)
    if summary is None:  # a draft the editors have not approved yet, shown as such
        drafts = queries.proposed_summary(code)
        for candidate in (lang, "en" if lang == "nl" else "nl"):
            if drafts.get(candidate):
                summary = Text(drafts[candidate], candidate, "proposed")
                break
    ctx = ConditionPage(
        page=page,
        condition=detail,
        orphanet_url=f"https://www.orpha.net/{lang}/disease/detail/{code}",
        level_label=levels.get(detail.ref.level or "", tr(request, lang, "Unknown level")),
        status_label=statuses.get(detail.ref.status),
        title_lang=title.lang,
        expertise=condition_expertise(request, lang, code, title),
        summary=summary,
        summary_proposed=summary is not None and summary.origin == "proposed",
    )
    return html_page(request, lang, "condition.html", ctx)


# -- sources -------------------------------------------------------------------------


def sources_page(request: Request) -> Response:
    lang = page_lang(request)
    page = page_frame(
        request,
        lang,
        tr(request, lang, "Sources"),
        tr(request, lang, "Where the information in Expertisewijzer comes from, and its licences."),
        {lg: page_path("sources", lg) for lg in LANGS},
    )
    ctx = SourcesPage(page, app_state(request).queries.releases(), ORPHANET_ATTRIBUTION)
    return html_page(request, lang, "sources.html", ctx)


# -- errors ------------------------------------------------------------------------------


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
    return html_page(request, lang, "error.html", ctx, status=404)


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
    response = html_page(request, lang, "error.html", ctx, status=503, links=Permalinks())
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
    return html_page(request, lang, "error.html", ctx, status=500, links=Permalinks())
