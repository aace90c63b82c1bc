"""The page that says where the Netherlands has no named expertise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import Response

from directory.db import make_session_factory
from directory.expertise.coverage import CoverageQueries
from web.contexts.gaps import GapsPage
from web.pages import app_state, html_page, page_frame, page_lang, page_paths, tr

if TYPE_CHECKING:
    from web.state import AppState


def _sessions(state: AppState) -> sessionmaker[Session]:
    return make_session_factory(state.db_engine)


def gaps(request: Request) -> Response:
    """Where the Netherlands has no recognised or named expertise, by EURACAN domain."""
    lang = page_lang(request)
    page = page_frame(
        request,
        lang,
        tr(request, lang, "Where the Netherlands has no named expertise"),
        tr(
            request,
            lang,
            "For which rare cancers do our sources name a centre, and for which only a "
            "route or nothing? Per domain of the European network EURACAN.",
        ),
        page_paths("gaps"),
    )
    report = CoverageQueries(_sessions(app_state(request))).report()
    return html_page(request, lang, GapsPage(page, report))
