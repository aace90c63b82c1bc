"""What the site says to machines: robots.txt, the sitemap and the open data files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from directory.db import make_session_factory
from directory.expertise.export import active_orphacodes, catalogue_export, entity_slugs
from directory.paths import Permalinks, entity_path, page_path
from web.i18n import LANGS
from web.opendata import catalogue_csv, catalogue_json, expertise_csv
from web.pages import app_state, page_paths

if TYPE_CHECKING:
    from web.state import AppState


OPEN_DATA_CSV = "/open-data/expertisewijzer-conditions.csv"


OPEN_DATA_JSON = "/open-data/expertisewijzer-catalogue.json"


OPEN_DATA_EXPERTISE_CSV = "/open-data/expertisewijzer-expertise.csv"


# Fixed pages in the sitemap (besides the home page), by page name.
FIXED_PAGES = (
    "about",
    "accessibility",
    "sources",
    "domain",
    "body_area",
    "gaps",
    "professionals",
    "panels",
    "working_groups",
    "networks",
    "institutions",
)


def _sessions(state: AppState) -> sessionmaker[Session]:
    return make_session_factory(state.db_engine)


def robots(request: Request) -> Response:
    base = app_state(request).settings.base_url
    lines = [
        "User-agent: *",
        # Result pages are endless combinations of parameters; the sitemap lists every page.
        *(f"Disallow: {page_path('search', lg)}" for lg in LANGS),
        "Disallow: /api/",
        *(f"Disallow: /{lg}/{seg}" for lg, seg in (("nl", "redactie"), ("en", "editor"))),
        "",
        f"Sitemap: {base}/sitemap.xml",
        "",
    ]
    return PlainTextResponse("\n".join(lines))


def _url_entry(base: str, paths: dict[str, str]) -> str:
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{lg}" href="{xml_escape(base + p)}"/>'
        for lg, p in paths.items()
    )
    return "".join(
        f"<url><loc>{xml_escape(base + p)}</loc>{alternates}</url>\n" for p in paths.values()
    )


def sitemap_paths(state: AppState) -> Iterable[dict[str, str]]:
    """Every public page, as {lang: path}; each page is listed in both languages."""
    yield {lg: f"/{lg}/" for lg in LANGS}
    for name in FIXED_PAGES:
        yield page_paths(name)
    from web.browse_links import browse_paths

    links = state.permalinks.current()
    yield from browse_paths(state, links)
    for code in active_orphacodes(_sessions(state)):
        yield {lg: entity_path("condition", code, lg) for lg in LANGS}
    yield from _expertise_paths(state, links)


def _expertise_paths(state: AppState, links: Permalinks) -> Iterable[dict[str, str]]:
    """Pages of institutions, panels, working groups and networks."""
    for kind, slug in entity_slugs(_sessions(state)):
        yield links.paths(kind, slug)


def sitemap(request: Request) -> Response:
    state = app_state(request)
    base = state.settings.base_url
    body = "".join(_url_entry(base, paths) for paths in sitemap_paths(state))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + body + "</urlset>\n"
    )
    return Response(xml, media_type="application/xml")


def open_data_csv(request: Request) -> Response:
    state = app_state(request)
    text = catalogue_csv(catalogue_export(_sessions(state)), state.settings.base_url)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": 'attachment; filename="expertisewijzer-conditions.csv"',
            "link": '<https://creativecommons.org/licenses/by/4.0/>; rel="license"',
        },
    )


def open_data_expertise_csv(request: Request) -> Response:
    state = app_state(request)
    text = expertise_csv(catalogue_export(_sessions(state)), state.settings.base_url)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": 'attachment; filename="expertisewijzer-expertise.csv"',
            "link": '<https://creativecommons.org/licenses/by/4.0/>; rel="license"',
        },
    )


def open_data_json(request: Request) -> Response:
    state = app_state(request)
    data = catalogue_json(
        catalogue_export(_sessions(state)),
        state.settings.base_url,
        dt.datetime.now(dt.UTC),
    )
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1),
        media_type="application/json",
        headers={
            "content-disposition": 'attachment; filename="expertisewijzer-catalogue.json"',
            "link": '<https://creativecommons.org/licenses/by/4.0/>; rel="license"',
        },
    )
