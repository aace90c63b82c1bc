"""The network page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from directory.expertise.queries import ExpertiseQueries
from web.contexts.networks import NetworkPage
from web.hospitals import place_hospitals
from web.labels import labels
from web.location import visitor_location
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import entity_id, permalinks, slug_param

if TYPE_CHECKING:
    from web.state import AppState


def _queries(request: Request) -> ExpertiseQueries:
    state: AppState = app_state(request)
    return state.expertise


def network_page(request: Request) -> Response:
    lang = page_lang(request)
    found = entity_id(request, "network", slug_param(request), lang)
    if isinstance(found, Response):  # the other language's slug
        return found
    slug = found
    queries = _queries(request)
    detail = queries.network(slug)
    if detail is None:
        raise HTTPException(404)
    name = detail.ref.title(lang).value
    page = page_frame(
        request,
        lang,
        name,
        tr(request, lang, "%(name)s: the hospitals in this network and their roles.")
        % {"name": name},
        permalinks(request).paths("network", slug),
        review=("network", slug),
    )
    near, location = visitor_location(app_state(request).search, request.query_params.get("near"))
    hospitals = place_hospitals(
        queries, (m.institution for m in detail.members), lang, near, location
    )
    return html_page(
        request,
        lang,
        NetworkPage(page, detail, labels(request, lang), hospitals),
    )
