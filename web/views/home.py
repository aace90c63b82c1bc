"""The home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import Response

from directory.db import make_session_factory
from directory.expertise.export import count_active
from web.browse_links import body_area_links, domain_links
from web.contexts.home import HomePage
from web.i18n import LANGS
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import permalinks

if TYPE_CHECKING:
    from web.state import AppState


def _sessions(state: AppState) -> sessionmaker[Session]:
    return make_session_factory(state.db_engine)


def home(request: Request) -> Response:
    lang = page_lang(request)
    state = app_state(request)
    page = page_frame(
        request,
        lang,
        tr(request, lang, "Find expertise for rare cancer"),
        tr(
            request,
            lang,
            "Where in the Netherlands is the expertise for each rare cancer? "
            "Search by name, in your own words, or by ORPHAcode.",
        ),
        {lg: f"/{lg}/" for lg in LANGS},
    )
    ctx = HomePage(
        page=page,
        domains=domain_links(state, permalinks(request), lang),
        body_areas=body_area_links(state, permalinks(request), lang),
        condition_count=count_active(_sessions(state)),
    )
    return html_page(request, lang, ctx)
