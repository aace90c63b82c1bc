"""The site's own pages: home, browsing, about the recognitions, accessibility, and the
machine-readable files (sitemap.xml, robots.txt, the open-data downloads)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from babel.dates import format_date
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from directory.db import make_session_factory
from directory.expertise.coverage import CoverageQueries
from directory.expertise.export import (
    active_orphacodes,
    catalogue_export,
    count_active,
    entity_slugs,
)
from directory.paths import Permalinks, entity_path, page_path
from web.i18n import LANGS
from web.opendata import catalogue_csv, catalogue_json, expertise_csv
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import permalinks
from web.site_contexts import GapsPage, HomePage, InfoPage
from web.views_browse import body_area_links, domain_links

if TYPE_CHECKING:
    from web.state import AppState

# When the fixed texts (about the recognitions, the accessibility statement) were last
# checked against the seeds and the site. Change it when you change those texts.
TEXTS_REVIEWED = dt.date(2026, 11, 26)

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


def _both(page: str) -> dict[str, str]:
    return {lg: page_path(page, lg) for lg in LANGS}


# -- pages ------------------------------------------------------------------------------------


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
    return html_page(request, lang, "home.html", ctx)


def _info(request: Request, name: str, title: str, description: str, template: str) -> Response:
    lang = page_lang(request)
    page = page_frame(request, lang, title, description, _both(name))
    ctx = InfoPage(page, format_date(TEXTS_REVIEWED, format="long", locale=lang))
    return html_page(request, lang, template, ctx)


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
        _both("gaps"),
    )
    report = CoverageQueries(_sessions(app_state(request))).report()
    return html_page(request, lang, "gaps.html", GapsPage(page, report))


def about_recognitions(request: Request) -> Response:
    lang = page_lang(request)
    return _info(
        request,
        "about",
        tr(request, lang, "What the recognitions mean"),
        tr(
            request,
            lang,
            "ECZA, SONCOS, expert panels and ERN explained in plain words: "
            "what each recognition says about a hospital.",
        ),
        "about_recognitions.html",
    )


def accessibility(request: Request) -> Response:
    lang = page_lang(request)
    return _info(
        request,
        "accessibility",
        tr(request, lang, "Accessibility statement"),
        tr(
            request,
            lang,
            "How we make Expertisewijzer usable for everyone, and how to tell us "
            "when something does not work for you.",
        ),
        "accessibility.html",
    )


# -- machine-readable files ---------------------------------------------------------------------


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
        yield _both(name)
    from web.views_browse import browse_paths

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
