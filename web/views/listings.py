"""The index pages of panels, working groups, networks and hospitals, with their filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from directory.db import make_session_factory
from directory.expertise.listings import (
    GroupListing,
    InstitutionListing,
    ListingQueries,
    NetworkListing,
    PanelListing,
    Province,
)
from directory.expertise.views import EntityRef
from directory.paths import page_path
from web.contexts.listings import Filter, FilterOption, ListingPage
from web.labels import labels
from web.location import location_label, sites_km, visitor_location
from web.pages import app_state, html_page, page_frame, page_lang, page_paths, tr

T = TypeVar("T")


def _queries(request: Request) -> ListingQueries:
    return ListingQueries(make_session_factory(app_state(request).db_engine))


def _filter_many(
    request: Request,
    rows: Sequence[T],
    name: str,
    label: str,
    values_of: Callable[[T], Sequence[str]],
    option_label: Callable[[str], str],
) -> tuple[Filter, Callable[[T], bool]]:
    """A filter over ``rows`` by the values ``values_of`` gives (a row may have several:
    it passes when one is chosen); an unknown value selects nothing."""
    chosen = request.query_params.get(name, "")
    counts: dict[str, int] = {}
    for row in rows:
        for value in dict.fromkeys(values_of(row)):
            if value:
                counts[value] = counts.get(value, 0) + 1
    options = tuple(
        FilterOption(v, option_label(v), n, v == chosen)
        for v, n in sorted(counts.items(), key=lambda kv: option_label(kv[0]).casefold())
    )

    def keep(row: T) -> bool:
        return not chosen or chosen in values_of(row)

    return Filter(name, label, options), keep


def _label_of(labels: Mapping[Any, str]) -> Callable[[str], str]:
    """A filter option's label: a label dict (keyed by a vocabulary word) read with the
    value from the URL, the value itself when it has no label."""
    return lambda value: labels.get(value, value)


def _filter(
    request: Request,
    rows: Sequence[T],
    name: str,
    label: str,
    value_of: Callable[[T], str | None],
    option_label: Callable[[str], str],
) -> tuple[Filter, Callable[[T], bool]]:
    """A filter over ``rows`` by the one value ``value_of`` gives."""

    def values_of(row: T) -> tuple[str, ...]:
        value = value_of(row)
        return (value,) if value else ()

    return _filter_many(request, rows, name, label, values_of, option_label)


class _InProvinces(Protocol):
    @property
    def provinces(self) -> tuple[Province, ...]: ...


class _InDomain(_InProvinces, Protocol):
    @property
    def domain(self) -> EntityRef | None: ...


R = TypeVar("R", bound=_InProvinces)


D = TypeVar("D", bound=_InDomain)


def _region_filter(
    request: Request, lang: str, rows: Sequence[R], label: str
) -> tuple[Filter, Callable[[R], bool]]:
    """The region filter: the provinces where a row's hospitals are (``?region=<slug>``)."""
    names = {p.slug: text.value for r in rows for p in r.provinces if (text := p.name.get(lang))}
    return _filter_many(
        request, rows, "region", label,
        lambda r: tuple(p.slug for p in r.provinces),
        lambda v: names.get(v, v),
    )  # fmt: skip


def _domain_and_region(
    request: Request, lang: str, rows: Sequence[D]
) -> tuple[tuple[Filter, Filter], Callable[[D], bool]]:
    """The filters panels and working groups share: EURACAN domain and region."""
    domain, keep_domain = _filter(
        request, rows, "domain", tr(request, lang, "Domain"),
        lambda r: r.domain.slug if r.domain else None,
        lambda v: next(
            (r.domain.title(lang).value for r in rows if r.domain and r.domain.slug == v), v
        ),
    )  # fmt: skip
    region, keep_region = _region_filter(
        request, lang, rows, tr(request, lang, "Province of a hospital taking part")
    )
    return (domain, region), lambda r: keep_domain(r) and keep_region(r)


def panels(request: Request) -> Response:
    lang = page_lang(request)
    lab = labels(request, lang)
    rows = _queries(request).panels()
    level, keep_level = _filter(
        request, rows, "level", tr(request, lang, "National or regional"),
        lambda p: p.level, _label_of(lab.level),
    )  # fmt: skip
    (domain, region), keep_shared = _domain_and_region(request, lang, rows)
    submit, keep_submit = _filter(
        request, rows, "submit", tr(request, lang, "How to submit"),
        lambda p: p.submission_kind, _label_of(lab.submission_kind),
    )  # fmt: skip
    shown = tuple(r for r in rows if keep_level(r) and keep_shared(r) and keep_submit(r))
    return _listing(
        request,
        "panels",
        tr(request, lang, "Expert panels"),
        tr(
            request,
            lang,
            "Panels of specialists from several hospitals who advise on a patient's diagnosis "
            "or treatment. Who may submit, how, and how fast the advice comes is on each "
            "panel's page.",
        ),
        (level, region, domain, submit),
        shown,
        len(rows),
    )


def working_groups(request: Request) -> Response:
    lang = page_lang(request)
    lab = labels(request, lang)
    rows = _queries(request).working_groups()
    kind, keep_kind = _filter(
        request, rows, "kind", tr(request, lang, "Kind"),
        lambda g: g.kind, _label_of(lab.group_kind),
    )  # fmt: skip
    (domain, region), keep_shared = _domain_and_region(request, lang, rows)
    shown = tuple(r for r in rows if keep_kind(r) and keep_shared(r))
    return _listing(
        request,
        "working_groups",
        tr(request, lang, "National working groups"),
        tr(
            request,
            lang,
            "Groups of specialists from across the country for one kind of cancer: they "
            "write guidelines and agree where care is given.",
        ),
        (kind, domain, region),
        shown,
        len(rows),
    )


def networks(request: Request) -> Response:
    lang = page_lang(request)
    lab = labels(request, lang)
    rows = _queries(request).networks()
    kind, keep_kind = _filter(
        request, rows, "kind", tr(request, lang, "Kind"),
        lambda n: n.kind, _label_of(lab.network_kind),
    )  # fmt: skip
    region, keep_region = _region_filter(
        request, lang, rows, tr(request, lang, "Province of a member hospital")
    )
    shown = tuple(r for r in rows if keep_kind(r) and keep_region(r))
    return _listing(
        request,
        "networks",
        tr(request, lang, "Networks"),
        tr(
            request,
            lang,
            "Regional oncology networks and other collaborations of hospitals, with the "
            "hospitals that take part.",
        ),
        (kind, region),
        shown,
        len(rows),
    )


def institutions(request: Request) -> Response:
    lang = page_lang(request)
    lab = labels(request, lang)
    rows = _queries(request).institutions()
    kind, keep_kind = _filter(
        request, rows, "kind", tr(request, lang, "Kind of hospital"),
        lambda i: i.ref.kind, _label_of(lab.institution_kind),
    )  # fmt: skip
    network, keep_network = _filter(
        request, rows, "network", tr(request, lang, "Regional oncology network"),
        lambda i: i.networks[0].slug if i.networks else None,
        lambda v: next(
            (n.title(lang).value for i in rows for n in i.networks if n.slug == v), v
        ),
    )  # fmt: skip
    expertise, keep_expertise = _filter(
        request, rows, "expertise", tr(request, lang, "Named as a centre"),
        lambda i: "yes" if i.centre_facts else "no",
        lambda v: tr(request, lang, "yes") if v == "yes" else tr(request, lang, "no"),
    )  # fmt: skip
    shown = [r for r in rows if keep_kind(r) and keep_network(r) and keep_expertise(r)]
    near, location = visitor_location(app_state(request).search, request.query_params.get("near"))
    distances: tuple[float | None, ...] = ()
    if location is not None:

        def km(row: InstitutionListing) -> float | None:
            assert location is not None
            return sites_km(location.point, row.sites)

        paired = sorted(
            ((km(r), r) for r in shown), key=lambda x: (x[0] is None, x[0] or 0.0, x[1].ref.name)
        )
        shown = [r for _d, r in paired]
        distances = tuple(d for d, _r in paired)
    label = location_label(location) if location else None
    return _listing(
        request,
        "institutions",
        tr(request, lang, "Hospitals"),
        tr(
            request,
            lang,
            "Every hospital in our directory, with the regional network it belongs to and "
            "whether a source names it as a centre for a rare cancer.",
        ),
        (kind, network, expertise),
        tuple(shown),
        len(rows),
        near=near,
        near_label=label,
        distances=distances,
    )


def _listing(
    request: Request,
    kind: str,
    heading: str,
    intro: str,
    filters: tuple[Filter, ...],
    rows: tuple[PanelListing, ...]
    | tuple[GroupListing, ...]
    | tuple[NetworkListing, ...]
    | tuple[InstitutionListing, ...],
    total: int,
    *,
    near: str = "",
    near_label: str | None = None,
    distances: tuple[float | None, ...] = (),
) -> Response:
    lang = page_lang(request)
    page = page_frame(request, lang, heading, intro, page_paths(kind))
    ctx = ListingPage(
        page=page,
        heading=heading,
        intro=intro,
        kind=kind,
        filters=filters,
        rows=tuple(rows),
        total=total,
        labels=labels(request, lang),
        reset_url=page_path(kind, lang),
        near=near,
        near_label=near_label,
        distances=distances,
    )
    return html_page(request, lang, ctx)
