"""The landing page for professionals."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from directory.db import make_session_factory
from directory.expertise.listings import ListingQueries
from web.contexts.professionals import ProfessionalsPage
from web.pages import app_state, html_page, page_frame, page_lang, page_paths, tr


def _queries(request: Request) -> ListingQueries:
    return ListingQueries(make_session_factory(app_state(request).db_engine))


def professionals(request: Request) -> Response:
    lang = page_lang(request)
    q = _queries(request)
    page = page_frame(
        request,
        lang,
        tr(request, lang, "For GPs and specialists"),
        tr(
            request,
            lang,
            "All expert panels, national working groups, networks and hospitals for rare "
            "cancers in the Netherlands, with how to submit a case.",
        ),
        page_paths("professionals"),
    )
    counts = {
        "panels": len(q.panels()),
        "working_groups": len(q.working_groups()),
        "networks": len(q.networks()),
        "institutions": len(q.institutions()),
    }
    return html_page(request, lang, ProfessionalsPage(page, counts))
