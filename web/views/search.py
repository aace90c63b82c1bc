"""The search results page: grouped by kind, facets, distance, highlights, pages, "did you mean".

Every parameter is checked; a value we cannot use gives a page that says, in plain words,
what was wrong (HTTP 400), never a server error. Parameters:

``q``            the search text (any text; cut to the engine's maximum length)
``page``         page number, 1 or more
``kind``         restrict to kinds of entity (repeatable): condition, institution, ...
``f_<facet>``    restrict to values of a facet the engine reports (repeatable)
``near``         a Dutch postcode or town; hits with a location then show their distance
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from directory.db import make_session_factory
from directory.expertise.browse import EntityNames, entity_names
from directory.expertise.route_card import RoutePlace
from directory.numbers import ascii_int
from directory.paths import Permalinks, entity_path, page_path
from directory.text import fold
from directory.vocabulary import SearchKind, SearchSort, is_one_of
from search.engine import (
    KINDS,
    MAX_QUERY_CHARS,
    SORTS,
    Location,
    Reading,
    RelatedRef,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.lexicon import AMBIGUOUS
from search.query import CHILDREN, PREGNANCY
from search.serialize import hit_url
from search.text import parse_query
from web.api import zero_result_task
from web.contexts.base import Page
from web.contexts.browse import BrowseLink
from web.contexts.search import (
    Ambiguity,
    CommonCancerCard,
    FacetValue,
    FacetView,
    HitGroup,
    HitView,
    PageLink,
    Pagination,
    ReadingView,
    SearchPage,
    SortLink,
)
from web.highlight import highlight
from web.hospitals import km_text
from web.i18n import LANGS
from web.location import clean_near, locate, location_label, with_near
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import permalinks
from web.route_cards import nearest_place

PLACE_ONLY_HOSPITALS = 5  # hospitals listed for a place without a disease


PER_PAGE = 20


MAX_PAGE = 50  # deeper than this nobody reads; it also bounds the work per request


FACET_PREFIX = "f_"


MAX_FILTER_VALUES = 20


_FACET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def kind_label(request: Request, lang: str, kind: str) -> str:
    labels = {
        "condition": tr(request, lang, "Condition"),
        "institution": tr(request, lang, "Hospital or centre"),
        "panel": tr(request, lang, "Expert panel"),
        "working_group": tr(request, lang, "Working group"),
        "network": tr(request, lang, "Network"),
    }
    return labels.get(kind, kind)


def _group_label(request: Request, lang: str, kind: str) -> str:
    labels = {
        "condition": tr(request, lang, "Conditions"),
        "institution": tr(request, lang, "Hospitals and centres"),
        "panel": tr(request, lang, "Expert panels"),
        "working_group": tr(request, lang, "Working groups"),
        "network": tr(request, lang, "Networks"),
    }
    return labels.get(kind, kind)


# Facets in the order they are offered; others the engine reports come after, by name.
FACET_ORDER = (
    "kind",
    "expertise",
    "euracan_domain",
    "level",
    "scope",
    "institution",
    "institution_kind",
    "network",
    "network_kind",
    "working_group",
    "group_kind",
)


HIDDEN_FACETS = frozenset({"networks"})  # "network" already offers the regional networks


MAX_FACET_VALUES = 12  # the most frequent ones, plus any the visitor chose


# facet -> kind of entity whose slugs are its values (labelled with the entity's name)
ENTITY_FACETS = {
    "institution": "institution",
    "euracan_domain": "euracan_domain",
    "working_group": "working_group",
    "network": "network",
    "panel": "panel",
}


def _facet_label(request: Request, lang: str, name: str) -> str:
    labels = {
        "kind": tr(request, lang, "Type of result"),
        "level": tr(request, lang, "Level in the classification"),
        "status": tr(request, lang, "Status of the code"),
        "expertise": tr(request, lang, "Type of expertise"),
        "euracan_domain": tr(request, lang, "EURACAN domain"),
        "institution": tr(request, lang, "Hospital or centre"),
        "institution_kind": tr(request, lang, "Type of hospital"),
        "network": tr(request, lang, "Regional network"),
        "network_kind": tr(request, lang, "Type of network"),
        "working_group": tr(request, lang, "Working group"),
        "group_kind": tr(request, lang, "Type of group"),
        "scope": tr(request, lang, "National or regional"),
    }
    return labels.get(name, name.replace("_", " ").capitalize())


def _value_label(
    request: Request, lang: str, facet: str, value: str, names: EntityNames
) -> tuple[str, str]:
    """The label of a facet value, and its language when it is an entity's name."""
    if facet == "kind":
        return _group_label(request, lang, value), ""
    if facet in ENTITY_FACETS:
        name = names.name(ENTITY_FACETS[facet], value, lang)
        return (name, "") if name else (value, "")
    labels = {
        ("level", "group"): tr(request, lang, "Group of conditions"),
        ("level", "disorder"): tr(request, lang, "Disease"),
        ("level", "subtype"): tr(request, lang, "Subtype of a disease"),
        ("status", "active"): tr(request, lang, "In use"),
        ("status", "obsolete"): tr(request, lang, "No longer in use"),
        ("status", "deprecated"): tr(request, lang, "Withdrawn"),
        ("scope", "national"): tr(request, lang, "National"),
        ("scope", "regional"): tr(request, lang, "Regional"),
        ("expertise", "ecza"): tr(request, lang, "Recognised expertise centre (ECZA)"),
        ("expertise", "soncos_reference_centre"): tr(request, lang, "SONCOS reference centre"),
        ("expertise", "expertise_centre"): tr(request, lang, "Expertise centre"),
        ("expertise", "panel"): tr(request, lang, "Expert panel"),
        ("expertise", "working_group_centre"): tr(request, lang, "Centre in a working group"),
        ("expertise", "preferred_partner"): tr(request, lang, "Preferred partner hospital"),
        ("expertise", "ern_member"): tr(request, lang, "Member of a European network (ERN)"),
        ("group_kind", "national_working_group"): tr(request, lang, "National working group"),
        ("group_kind", "initiative"): tr(request, lang, "Initiative for one rare cancer"),
        ("group_kind", "professional_society"): tr(request, lang, "Professional society"),
        ("group_kind", "platform"): tr(request, lang, "Platform"),
        ("group_kind", "patient_platform"): tr(request, lang, "Patient platform"),
        ("network_kind", "regional_oncology"): tr(request, lang, "Regional oncology network"),
        ("network_kind", "head_and_neck"): tr(request, lang, "Head and neck network"),
        ("network_kind", "tumour_type"): tr(request, lang, "Network for one type of tumour"),
        ("institution_kind", "umc"): tr(request, lang, "University medical centre"),
        ("institution_kind", "categorical_cancer_centre"): tr(
            request, lang, "Cancer centre (categorical)"
        ),
        ("institution_kind", "childrens_cancer_centre"): tr(
            request, lang, "Children's cancer centre"
        ),
        ("institution_kind", "top_clinical"): tr(request, lang, "Top clinical hospital"),
        ("institution_kind", "general"): tr(request, lang, "General hospital"),
        ("institution_kind", "radiotherapy"): tr(request, lang, "Radiotherapy centre"),
        ("institution_kind", "other"): tr(request, lang, "Other"),
    }
    return labels.get((facet, value), value), ""


class _Params:
    """The parsed parameters, and what was wrong with them."""

    def __init__(self, request: Request, lang: str, params: QueryParams) -> None:
        self.errors: list[str] = []
        self.q = params.get("q", "")
        if len(self.q) > MAX_QUERY_CHARS:
            self.q = self.q[:MAX_QUERY_CHARS]
        self.page = 1
        raw_page = params.get("page", "")
        if raw_page:
            page = ascii_int(raw_page)
            if page is not None and 1 <= page <= MAX_PAGE:
                self.page = page
            else:
                self.errors.append(
                    tr(request, lang, "The page number must be a whole number from 1 to %(max)s.")
                    % {"max": MAX_PAGE}
                )
        self.kinds: list[SearchKind] = []
        for k in params.getlist("kind"):
            if is_one_of(k, KINDS):
                if k not in self.kinds:
                    self.kinds.append(k)
            elif k:
                self.errors.append(
                    tr(request, lang, "We do not know the type of result you chose.")
                )
        self.filters: dict[str, list[str]] = {}
        for key, value in params.multi_items():
            if not key.startswith(FACET_PREFIX) or not value:
                continue
            name = key[len(FACET_PREFIX) :]
            if not _FACET_NAME.match(name) or len(value) > 200:
                self.errors.append(tr(request, lang, "One of the filters is not valid."))
                continue
            values = self.filters.setdefault(name, [])
            if value not in values and len(values) < MAX_FILTER_VALUES:
                values.append(value)
        self.near = clean_near(params.get("near"))
        given = params.get("sort", "") or "relevance"
        self.sort: SearchSort = "relevance"
        if is_one_of(given, SORTS):
            self.sort = given
        else:
            self.errors.append(tr(request, lang, "We do not know that order of results."))
        # Errors are reported once each, in the order found.
        self.errors = list(dict.fromkeys(self.errors))

    def items(
        self, *, page: int | None = None, q: str | None = None, sort: str | None = None
    ) -> list[tuple[str, str]]:
        """The query string of this search (optionally another page or text)."""
        out: list[tuple[str, str]] = [("q", self.q if q is None else q)]
        out += [("kind", k) for k in self.kinds]
        for name, values in self.filters.items():
            out += [(FACET_PREFIX + name, v) for v in values]
        if self.near:
            out.append(("near", self.near))
        if sort is None:
            sort = self.sort
        if sort != "relevance":
            out.append(("sort", sort))
        if page and page > 1:
            out.append(("page", str(page)))
        return out


def _url(lang: str, items: list[tuple[str, str]]) -> str:
    return page_path("search", lang) + "?" + urlencode(items)


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
        HitGroup(k, _group_label(request, lang, k), tuple(by_kind[k]), kind_counts.get(k))
        for k in order
    )


def _facets(
    request: Request, lang: str, results: SearchResults, params: _Params
) -> tuple[FacetView, ...]:
    if not results.facets:
        return ()
    wanted = {ENTITY_FACETS[f] for f in results.facets if f in ENTITY_FACETS}
    names = entity_names(make_session_factory(app_state(request).db_engine), wanted)
    order = {name: i for i, name in enumerate(FACET_ORDER)}
    views: list[FacetView] = []
    for name, counts in sorted(
        results.facets.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
    ):
        if name in HIDDEN_FACETS:
            continue
        selected = params.kinds if name == "kind" else params.filters.get(name, [])
        values: list[FacetValue] = []
        for v, n in counts.items():
            if n > 0 or v in selected:
                label, label_lang = _value_label(request, lang, name, v, names)
                values.append(FacetValue(v, label, n, v in selected, label_lang))
        # A selected value the engine no longer counts must stay visible, to be unticked.
        for v in selected:
            if v not in counts:
                label, label_lang = _value_label(request, lang, name, v, names)
                values.append(FacetValue(v, label, 0, True, label_lang))
        if len(values) < 2 and not any(v.selected for v in values):
            continue  # a facet with one value does not help anyone choose
        values.sort(key=lambda v: (-v.count, v.label.casefold()))
        shown = [v for i, v in enumerate(values) if i < MAX_FACET_VALUES or v.selected]
        param = "kind" if name == "kind" else FACET_PREFIX + name
        views.append(FacetView(param, _facet_label(request, lang, name), tuple(shown)))
    return tuple(views)


def _pagination(lang: str, params: _Params, total: int) -> Pagination | None:
    last = min(MAX_PAGE, max(1, -(-total // PER_PAGE)))
    if last <= 1:
        return None
    current = min(params.page, last)
    numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links = tuple(PageLink(n, _url(lang, params.items(page=n)), n == current) for n in numbers)
    return Pagination(
        current=current,
        last=last,
        links=links,
        prev_url=_url(lang, params.items(page=current - 1)) if current > 1 else None,
        next_url=_url(lang, params.items(page=current + 1)) if current < last else None,
    )


def _sorts(request: Request, lang: str, params: _Params) -> tuple[SortLink, ...]:
    """Order by relevance or by distance (offered when a place is known)."""
    labels = {
        "relevance": tr(request, lang, "Best match first"),
        "distance": tr(request, lang, "Nearest first"),
    }
    return tuple(
        SortLink(labels[s], _url(lang, params.items(sort=s)), s == params.sort) for s in SORTS
    )


def _place_only(
    request: Request, lang: str, page: Page, params: _Params, location: Location
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
    params = _Params(request, lang, request.query_params)
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
            clear_filters_url=_url(lang, [("q", q)]) if q.strip() else None,
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
        sorts=_sorts(request, lang, params) if used is not None else (),
        facets=_facets(request, lang, results, params),
        hidden_params=(("q", q),)
        + ((("near", params.near),) if params.near else ())
        + ((("sort", params.sort),) if params.sort != "relevance" else ()),
        pagination=_pagination(lang, params, results.total),
        corrected=corrected,
        corrected_url=_url(lang, params.items(q=corrected)) if corrected else None,
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
        clear_filters_url=_url(lang, [("q", q)]) if filtered else None,
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
