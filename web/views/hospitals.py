"""The institution (hospital) page."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from directory.expertise.kinds import SECTION_ORDER
from directory.expertise.queries import ExpertiseQueries
from directory.paths import entity_path
from web.contexts.hospitals import DesignationGroup, InstitutionPage
from web.i18n import LANGS
from web.labels import labels
from web.map import Site, site_map
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import slug_param

if TYPE_CHECKING:
    from web.state import AppState


def _queries(request: Request) -> ExpertiseQueries:
    state: AppState = app_state(request)
    return state.expertise


def institution_page(request: Request) -> Response:
    lang = page_lang(request)
    slug = slug_param(request)
    detail = _queries(request).institution(slug)
    if detail is None:
        raise HTTPException(404)
    if detail.lifecycle is not None and detail.lifecycle.successor is not None:
        # A closed or merged hospital is never a place to go: its permalink leads to the
        # hospital that took over, which names it under "took over".
        target = entity_path("institution", detail.lifecycle.successor.slug, lang)
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(target + query, status_code=301)
    title = detail.ref.title(lang).value
    lab = labels(request, lang)
    page = page_frame(
        request,
        lang,
        title,
        tr(request, lang, "%(name)s: its expertise for rare cancers, and its locations.")
        % {"name": title},
        {lg: entity_path("institution", slug, lg) for lg in LANGS},
        review=("institution", slug),
    )
    groups = tuple(
        DesignationGroup(kind, tuple(d for d in detail.designations if d.kind == kind))
        for kind in SECTION_ORDER
        if any(d.kind == kind for d in detail.designations)
    )
    sites = site_map(
        Site(
            name=s.name,
            lat=s.lat if s.lat is not None else math.nan,
            lon=s.lon if s.lon is not None else math.nan,
            place=s.city or "",
            name_lang="nl" if lang != "nl" else "",
        )
        for s in detail.sites
    )
    return html_page(request, lang, InstitutionPage(page, detail, groups, sites, lab))
