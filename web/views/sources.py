"""The sources page: the catalogue's releases and Orphanet's attribution."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from directory.paths import page_path
from web.contexts.sources import SourcesPage
from web.i18n import LANGS
from web.pages import app_state, html_page, page_frame, page_lang, tr

ORPHANET_ATTRIBUTION = (
    "Orphanet: an online rare disease and orphan drug data base. © INSERM 1999. "
    "Available on http://www.orpha.net. Orphadata: Free access data from Orphanet. "
    "© INSERM 1999. Available on https://www.orphadata.com. Licence: CC BY 4.0."
)


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
    return html_page(request, lang, ctx)
