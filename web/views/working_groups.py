"""The working group page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from directory.expertise.queries import ExpertiseQueries
from web.contexts.working_groups import WorkingGroupPage
from web.labels import labels
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import entity_id, permalinks, slug_param

if TYPE_CHECKING:
    from web.state import AppState


def _queries(request: Request) -> ExpertiseQueries:
    state: AppState = app_state(request)
    return state.expertise


def working_group_page(request: Request) -> Response:
    lang = page_lang(request)
    found = entity_id(request, "working_group", slug_param(request), lang)
    if isinstance(found, Response):  # the other language's slug
        return found
    slug = found
    detail = _queries(request).working_group(slug)
    if detail is None:
        raise HTTPException(404)
    name = detail.ref.title(lang).value
    page = page_frame(
        request,
        lang,
        name + (f" ({detail.ref.short})" if detail.ref.short else ""),
        tr(request, lang, "%(name)s: which rare cancers it covers, its centres and panels.")
        % {"name": name},
        permalinks(request).paths("working_group", slug),
        review=("working_group", slug),
    )
    return html_page(request, lang, WorkingGroupPage(page, detail, labels(request, lang)))
