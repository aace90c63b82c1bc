"""The search results page: grouped by kind, facets, distance, highlights, pages, "did you mean".

Every parameter is checked; a value we cannot use gives a page that says, in plain words,
what was wrong (HTTP 400), never a server error. Parameters:

``q``            the search text (any text; cut to the engine's maximum length)
``page``         page number, 1 or more
``kind``         restrict to kinds of entity (repeatable): condition, institution, ...
``f_<facet>``    restrict to values of a facet the engine reports (repeatable)
``near``         a Dutch postcode or town; hits with a location then show their distance

The parameters are read and written back into links by ``web.search_params``; the labels of
kinds and facets and the facet views are ``web.search_facets``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from directory.expertise.route_card import RoutePlace
from directory.paths import Permalinks, entity_path, page_path
from directory.text import fold
from search.engine import (
    Location,
    Reading,
    RelatedRef,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.lexicon import AMBIGUOUS
from search.query import CHILDREN, PREGNANCY, YOUNG_ADULTS
from search.serialize import hit_url
from search.text import parse_query
from web.api import zero_result_task
from web.contexts.base import Page
from web.contexts.browse import BrowseLink
from web.contexts.search import (
    Ambiguity,
    CommonCancerCard,
    HitGroup,
    HitView,
    PageLink,
    Pagination,
    ReadingView,
    SearchPage,
)
from web.highlight import highlight
from web.hospitals import km_text
from web.i18n import LANGS
from web.location import locate, location_label, with_near
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import permalinks
from web.route_cards import nearest_place
from web.search_facets import facet_views, group_label, kind_label
from web.search_params import MAX_PAGE, PER_PAGE, SearchParams, search_url, sort_links

PLACE_ONLY_HOSPITALS = 5  # hospitals listed for a place without a disease


def _hit_view(
    request: Request,
    lang: str,
    hit: SearchHit,
    terms: tuple[str, ...],
    nearest: RoutePlace | None = None,
    near: str = "",
) -> HitView:
    distance = None
    km = nearest.distance_km if nearest is not None else hit.distance_km
    if km is not None:
        distance = km_text(km, lang)
    place = None
    if nearest is not None:
        name = nearest.institution.title(lang)
        place = BrowseLink(
            name.value + (f", {nearest.city}" if nearest.city else ""),
            with_near(entity_path("institution", nearest.institution.slug, lang), near),
            label_lang=name.lang,
        )
    return HitView(
        hit=hit,
        url=with_near(hit_url(hit, permalinks(request), lang), near),
        kind_label=kind_label(request, lang, hit.kind),
        title_html=highlight(hit.title, terms),
        matched_html=tuple(highlight(m, terms) for m in hit.matched if m != hit.title),
        distance=distance,
        nearest=place,
        groups=tuple(_ref_link(g, permalinks(request), lang, near) for g in hit.groups[:2]),
        member_of=_ref_link(hit.member_of, permalinks(request), lang, near)
        if hit.member_of
        else None,
        benign=hit.benign,
    )


def _ref_link(ref: RelatedRef, links: Permalinks, lang: str, near: str = "") -> BrowseLink:
    return BrowseLink(
        ref.title,
        with_near(links.path(ref.kind, ref.entity_id, lang), near),
        label_lang=ref.title_lang,
    )


def _groups(
    request: Request,
    lang: str,
    results: SearchResults,
    terms: tuple[str, ...],
    nearest: Mapping[str, RoutePlace | None],
    near: str,
) -> tuple[HitGroup, ...]:
    order: list[str] = []
    by_kind: dict[str, list[HitView]] = {}
    for h in results.hits:
        if h.kind not in by_kind:
            order.append(h.kind)
            by_kind[h.kind] = []
        by_kind[h.kind].append(_hit_view(request, lang, h, terms, nearest.get(h.id), near))
    kind_counts = results.facets.get("kind", {})
    return tuple(
        HitGroup(k, group_label(request, lang, k), tuple(by_kind[k]), kind_counts.get(k))
        for k in order
    )


def _pagination(lang: str, params: SearchParams, total: int) -> Pagination | None:
    last = min(MAX_PAGE, max(1, -(-total // PER_PAGE)))
    if last <= 1:
        return None
    current = min(params.page, last)
    numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links = tuple(
        PageLink(n, search_url(lang, params.items(page=n)), n == current) for n in numbers
    )
    return Pagination(
        current=current,
        last=last,
        links=links,
        prev_url=search_url(lang, params.items(page=current - 1)) if current > 1 else None,
        next_url=search_url(lang, params.items(page=current + 1)) if current < last else None,
    )


def _place_only(
    request: Request, lang: str, page: Page, params: SearchParams, location: Location
) -> Response:
    """A place without a disease: the nearest hospitals, and what to type to find a centre."""
    state = app_state(request)
    results = state.search.search(
        SearchQuery(
            text="",
            lang=lang,
            kinds=("institution",),
            near=location.point,
            sort="distance",
            limit=PLACE_ONLY_HOSPITALS,
        )
    )
    near = params.near
    hospitals = tuple(
        BrowseLink(
            h.title + (f" ({km_text(h.distance_km, lang)})" if h.distance_km is not None else ""),
            with_near(hit_url(h, permalinks(request), lang), near),
            label_lang=h.title_lang,
        )
        for h in results.hits
    )
    message = tr(
        request,
        lang,
        "You gave a place, %(place)s, but no disease. Which hospital has the expertise "
        "depends on the kind of cancer: type it above, and we show the hospitals with "
        "expertise for it, nearest first.",
    ) % {"place": location_label(location)}
    ctx = SearchPage(
        page,
        "",
        0,
        (),
        message=message,
        near=location_label(location),
        near_input=params.near,
        nearby=hospitals,
        browse=browse_links(request, lang),
    )
    return html_page(request, lang, ctx)


def common_cancer_name(request: Request, lang: str, slug: str) -> str:
    """The common cancer's name in the page's language, in lower case."""
    names = {
        "breast": tr(request, lang, "breast cancer"),
        "colorectal": tr(request, lang, "bowel cancer"),
        "lung": tr(request, lang, "lung cancer"),
        "prostate": tr(request, lang, "prostate cancer"),
        "skin": tr(request, lang, "skin cancer"),
        "bladder": tr(request, lang, "bladder cancer"),
        "stomach": tr(request, lang, "stomach cancer"),
        "pancreas": tr(request, lang, "pancreatic cancer"),
        "kidney": tr(request, lang, "kidney cancer"),
        "ovary": tr(request, lang, "ovarian cancer"),
        "uterus": tr(request, lang, "womb cancer"),
    }
    return names.get(slug, slug)


MAX_RARE_FORMS = 5


def _common_cancer_card(
    request: Request, lang: str, results: SearchResults
) -> CommonCancerCard | None:
    slug = results.reading.common_cancer
    if not slug:
        return None
    name = common_cancer_name(request, lang, slug)
    title = tr(request, lang, "%(cancer)s is usually not a rare cancer") % {
        "cancer": name[:1].upper() + name[1:]
    }
    rare = tuple(
        BrowseLink(h.title, hit_url(h, permalinks(request), lang), label_lang=h.title_lang)
        for h in results.hits
        if h.kind == "condition"
    )[:MAX_RARE_FORMS]
    return CommonCancerCard(name, title, rare)


def _reading_view(request: Request, lang: str, q: str, reading: Reading) -> ReadingView | None:
    """Say how the query was read, when that is not simply what was typed."""
    words = ", ".join(reading.words)
    typed = " ".join(fold(q).split())
    ambiguous = tuple(
        Ambiguity(w, *(label[0] if lang == "nl" else label[1] for label in AMBIGUOUS[w][:2]))
        for w in reading.ambiguous
        if w in AMBIGUOUS
    )
    view = ReadingView(
        words=words if words and words.replace(",", "") != typed else None,
        ignored=", ".join(reading.ignored) or None,
        ambiguous=ambiguous,
        children=CHILDREN in reading.audience,
        pregnancy=PREGNANCY in reading.audience,
        young_adult=YOUNG_ADULTS in reading.audience,
        symptoms=bool(reading.symptoms),
        common_benign=", ".join(reading.common_benign) or None,
    )
    return view if view != ReadingView() else None


def browse_links(request: Request, lang: str) -> tuple[BrowseLink, ...]:
    return (
        BrowseLink(tr(request, lang, "Browse by part of the body"), page_path("body_area", lang)),
        BrowseLink(tr(request, lang, "Browse by EURACAN domain"), page_path("domain", lang)),
        BrowseLink(tr(request, lang, "What the recognitions mean"), page_path("about", lang)),
    )


def search_page(request: Request) -> Response:
    lang = page_lang(request)
    state = app_state(request)
    params = SearchParams(request, lang, request.query_params)
    q = params.q
    paths = {lg: page_path("search", lg) + (f"?{urlencode({'q': q})}" if q else "") for lg in LANGS}
    title = (
        tr(request, lang, "Search results for “%(query)s”") % {"query": q[:100]}
        if q.strip()
        else tr(request, lang, "Search")
    )
    page = page_frame(
        request,
        lang,
        title,
        tr(request, lang, "Search rare cancers and where the expertise is."),
        paths,
        query=q,
        noindex=True,
    )
    if params.errors:
        ctx = SearchPage(
            page,
            q,
            0,
            (),
            errors=tuple(params.errors),
            near_input=params.near,
            clear_filters_url=search_url(lang, [("q", q)]) if q.strip() else None,
        )
        return html_page(request, lang, ctx, status=400)
    location = locate(state.search, params.near)
    if not q.strip():
        if location is not None:
            return _place_only(request, lang, page, params, location)
        message = tr(
            request,
            lang,
            "Type the name of a disease, a word such as “bone cancer”, or an ORPHAcode.",
        )
        ctx = SearchPage(page, q, 0, (), message=message, browse=browse_links(request, lang))
        return html_page(request, lang, ctx)

    query = SearchQuery(
        text=q,
        lang=lang,
        kinds=tuple(params.kinds),
        filters={k: tuple(v) for k, v in params.filters.items()},
        near=location.point if location else None,
        sort=params.sort,
        limit=PER_PAGE,
        offset=(params.page - 1) * PER_PAGE,
    )
    results = state.search.search(query)
    # Counted for the editors (query text and time only), after the page has been sent.
    zero_task = None
    if results.total == 0:
        zero_task = zero_result_task(
            request, q, filtered=bool(params.kinds or params.filters), offset=params.page - 1
        )
    if not results.hits and params.page > 1 and results.total > 0:
        # A page beyond the last (an old link, a hand-typed number) shows the last page.
        params.page = min(MAX_PAGE, -(-results.total // PER_PAGE))
        results = state.search.search(
            dataclasses.replace(query, offset=(params.page - 1) * PER_PAGE)
        )
    terms = parse_query(q).terms
    corrected = results.corrected if results.corrected and results.corrected != q else None
    filtered = bool(params.kinds or params.filters)
    used = location or results.location
    # Links keep the place (also one read from the query, "sarcoom 9712"); each condition
    # names its nearest hospital, the one its page shows.
    near = params.near or (used.label if used else "")
    nearest = (
        {
            h.id: nearest_place(state.expertise, h.orphacode, used.point)
            for h in results.hits
            if h.kind == "condition" and h.orphacode is not None
        }
        if used is not None
        else {}
    )
    ctx = SearchPage(
        page=page,
        query=q,
        total=results.total,
        groups=_groups(request, lang, results, terms, nearest, near),
        sorts=sort_links(request, lang, params) if used is not None else (),
        facets=facet_views(request, lang, results, params),
        hidden_params=(("q", q),)
        + ((("near", params.near),) if params.near else ())
        + ((("sort", params.sort),) if params.sort != "relevance" else ()),
        pagination=_pagination(lang, params, results.total),
        corrected=corrected,
        corrected_url=search_url(lang, params.items(q=corrected)) if corrected else None,
        near=location_label(used) if used else None,
        near_input=params.near,
        near_note=(
            tr(
                request,
                lang,
                "We do not know the place “%(place)s”, so we show no distances. "
                "Type a Dutch postcode, for example 3584 or 3584 CX, or the name of a town.",
            )
            % {"place": params.near}
            if params.near and location is None
            else None
        ),
        clear_filters_url=search_url(lang, [("q", q)]) if filtered else None,
        browse=browse_links(request, lang) if not results.hits else (),
        reading=_reading_view(request, lang, q, results.reading),
        common_cancer=_common_cancer_card(request, lang, results),
    )
    response = html_page(request, lang, ctx)
    response.background = zero_task
    if zero_task is not None:
        # Every search that finds nothing must reach us to be counted: not kept by the
        # page cache (web/page_cache.py), nor by a proxy or a browser.
        response.headers["cache-control"] = "no-store"
    return response
