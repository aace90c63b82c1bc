"""The browse pages: EURACAN domains and body areas, their indexes and each one's page."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from directory.conditions.queries import ConditionRef
from directory.paths import entity_path, is_slug, page_path
from web.browse_links import PAGE_OF, _queries, body_area_links, domain_links
from web.contexts.browse import BrowseCondition, BrowseIndexPage, BrowsePage
from web.i18n import LANGS
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import entity_id, permalinks

# browse kind in the catalogue -> page name in directory.paths


def _condition(
    ref: ConditionRef,
    lang: str,
    children: tuple[ConditionRef, ...] = (),
    benign: frozenset[int] = frozenset(),
) -> BrowseCondition:
    title = ref.title(lang)
    kids = sorted(
        (_condition(c, lang, benign=benign) for c in children), key=lambda c: c.name.casefold()
    )
    return BrowseCondition(
        ref.orphacode,
        title.value,
        title.lang,
        entity_path("condition", ref.orphacode, lang),
        tuple(kids),
        benign=ref.orphacode in benign,
    )


def _index(request: Request, kind: str) -> Response:
    lang = page_lang(request)
    state = app_state(request)
    page_name = PAGE_OF[kind]
    if kind == "euracan_domain":
        title = tr(request, lang, "Rare cancers by EURACAN domain")
        intro = tr(
            request,
            lang,
            "EURACAN is the European network for rare cancers in adults. "
            "It sorts rare cancers into ten groups, called domains. "
            "Choose a domain to see which cancers belong to it.",
        )
        links = domain_links(state, permalinks(request), lang)
    else:
        title = tr(request, lang, "Rare cancers by part of the body")
        intro = tr(
            request,
            lang,
            "Where in the body is the cancer? Choose a part of the body "
            "to see the rare cancers that start there.",
        )
        links = body_area_links(state, permalinks(request), lang)
    page = page_frame(request, lang, title, intro, {lg: page_path(page_name, lg) for lg in LANGS})
    return html_page(request, lang, BrowseIndexPage(page, title, intro, links))


def _detail(request: Request, kind: str) -> Response:
    lang = page_lang(request)
    state = app_state(request)
    if not is_slug(request.path_params["slug"]):
        raise HTTPException(404)
    found = entity_id(request, PAGE_OF[kind], request.path_params["slug"], lang)
    if isinstance(found, Response):  # the other language's slug
        return found
    links = permalinks(request)
    detail = _queries(state).detail(kind, found)
    if detail is None:
        raise HTTPException(404)
    e = detail.entry
    page_name = PAGE_OF[kind]
    lay = e.lay_name(lang) or ""
    if kind == "euracan_domain":
        heading = e.name(lang)
        intro = tr(
            request,
            lang,
            "These rare cancers belong to this EURACAN domain. "
            "Choose a cancer to see where the expertise for it is.",
        )
        siblings = domain_links(state, links, lang)
        siblings_heading = tr(request, lang, "Other EURACAN domains")
        description = tr(request, lang, "Rare cancers in the EURACAN domain %(name)s.") % {
            "name": heading
        }
    else:
        heading = e.name(lang)
        intro = tr(
            request,
            lang,
            "These rare cancers start in this part of the body. "
            "Choose a cancer to see where the expertise for it is.",
        )
        siblings = body_area_links(state, links, lang)
        siblings_heading = tr(request, lang, "Other parts of the body")
        description = tr(request, lang, "Rare cancers of this part of the body: %(name)s.") % {
            "name": heading
        }
    page = page_frame(
        request,
        lang,
        heading,
        description,
        links.paths(page_name, e.slug),
    )
    own_url = links.path(page_name, e.slug, lang)
    ctx = BrowsePage(
        page=page,
        heading=heading,
        lay_name=lay,
        intro=intro,
        conditions=tuple(_condition(n.ref, lang, n.children, detail.benign) for n in detail.scope),
        siblings=tuple(s for s in siblings if s.url != own_url),
        siblings_heading=siblings_heading,
        search_url=page_path("search", lang),
    )
    return html_page(request, lang, ctx)


def domain_index(request: Request) -> Response:
    return _index(request, "euracan_domain")


def domain_page(request: Request) -> Response:
    return _detail(request, "euracan_domain")


def body_area_index(request: Request) -> Response:
    return _index(request, "body_area")


def body_area_page(request: Request) -> Response:
    return _detail(request, "body_area")
