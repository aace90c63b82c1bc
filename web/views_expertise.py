"""Views of the expertise pages, and the expertise section of the condition page.

Thin, synchronous views (Starlette runs them in its threadpool): parse the slug,
ask :class:`~directory.expertise.queries.ExpertiseQueries`, build a typed
context with translated labels, render.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING

from babel.dates import format_date
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from directory.conditions.queries import Text
from directory.expertise.kinds import SECTION_ORDER
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.route_card import RouteCard, RoutePlace, route_card
from directory.expertise.views import ConditionExpertise, InstitutionRef, PanelDetail
from directory.paths import entity_path
from search.engine import GeoPoint
from web.condition_expertise import ConditionExpertiseView, ExpertiseLabels, SectionView
from web.expertise_contexts import (
    DesignationGroup,
    InstitutionPage,
    NetworkPage,
    PanelPage,
    WorkingGroupPage,
)
from web.hospitals import place_hospitals
from web.i18n import LANGS
from web.location import location_label, sites_km, visitor_location
from web.map import Site, site_map
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import entity_id, permalinks

if TYPE_CHECKING:
    from web.state import AppState

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
UNKNOWN_PREFIXES = ("niet bekend", "not known", "onbekend", "unknown")
MAX_DESCENDANT_ITEMS = 8  # per section; the rest is counted, not listed


def _queries(request: Request) -> ExpertiseQueries:
    state: AppState = app_state(request)
    return state.expertise


def _slug(request: Request) -> str:
    slug = str(request.path_params.get("slug", ""))
    if len(slug) > 100 or not SLUG_RE.match(slug):
        raise HTTPException(404)
    return slug


def labels(request: Request, lang: str) -> ExpertiseLabels:
    return ExpertiseLabels(
        kind={
            "panel": tr(request, lang, "Expert panels"),
            "ecza": tr(request, lang, "Recognised expertise centres (ECZA)"),
            "soncos_reference_centre": tr(request, lang, "SONCOS reference centres"),
            "expertise_centre": tr(request, lang, "Other expertise centres named by a source"),
            "working_group_centre": tr(request, lang, "National working groups"),
            "preferred_partner": tr(request, lang, "Preferred partner hospitals"),
            "ern_member": tr(request, lang, "European Reference Networks (ERN)"),
        },
        kind_short={
            "panel": tr(request, lang, "Expert panel"),
            "ecza": tr(request, lang, "Recognised expertise centre (ECZA)"),
            "soncos_reference_centre": tr(request, lang, "SONCOS reference centre"),
            "expertise_centre": tr(request, lang, "Expertise centre"),
            "working_group_centre": tr(request, lang, "National working group"),
            "preferred_partner": tr(request, lang, "Preferred partner"),
            "ern_member": tr(request, lang, "ERN member"),
        },
        explanation={
            "panel": tr(
                request,
                lang,
                "Specialists from several hospitals who give advice about a patient. "
                "Your doctor can submit your case.",
            ),
            "ecza": tr(
                request,
                lang,
                "Hospitals that the Minister of Health (VWS) has recognised as expertise "
                "centre for this condition or its group. A recognition is valid for five years.",
            ),
            "soncos_reference_centre": tr(
                request,
                lang,
                "SONCOS sets quality standards for cancer care. For some rare cancers it says "
                "that a reference centre must be involved in the care.",
            ),
            "expertise_centre": tr(
                request,
                lang,
                "Hospitals that a public source names as the place for this condition: a "
                "national centre, a reference centre or an expertise centre. We say who "
                "says so.",
            ),
            "working_group_centre": tr(
                request,
                lang,
                "Groups of specialists from across the country. They write guidelines and "
                "agree where care is given.",
            ),
            "preferred_partner": tr(
                request,
                lang,
                "Hospitals that work closely with an expert centre. Part of the treatment "
                "can take place there.",
            ),
            "ern_member": tr(
                request,
                lang,
                "European networks of expert hospitals. EURACAN is the network for rare "
                "cancers in adults. Being a member is a fact about the hospital, not a "
                "recognition for this condition.",
            ),
        },
        level={
            "cluster": tr(request, lang, "recognised for a group of conditions"),
            "disease": tr(request, lang, "recognised for the disease"),
            "subtype": tr(request, lang, "recognised for a subtype"),
            "national": tr(request, lang, "national"),
            "regional": tr(request, lang, "regional"),
            "reference_centre_requirements": tr(
                request, lang, "SONCOS sets requirements for reference centres"
            ),
            "treatment_in_reference_centre": tr(
                request, lang, "treatment must take place in a reference centre"
            ),
            "national_centre": tr(request, lang, "all patients in the Netherlands go here"),
            "reference_centre": tr(request, lang, "national reference centre"),
            "enets_centre_of_excellence": tr(
                request, lang, "European centre of excellence for neuroendocrine tumours (ENETS)"
            ),
            "expertise_centre": tr(request, lang, "named as an expertise centre"),
            "childrens_centre": tr(request, lang, "the centre for children with cancer"),
        },
        certainty={
            "confirmed": tr(request, lang, "confirmed"),
            "reported": tr(request, lang, "reported by another organisation"),
            "public-knowledge": tr(request, lang, "not yet checked against a source"),
            "uncertain": tr(request, lang, "not confirmed"),
        },
        certainty_explained={
            "confirmed": tr(
                request,
                lang,
                "An organisation that can know says this itself: the government, the "
                "hospital itself or a national body.",
            ),
            "reported": tr(
                request,
                lang,
                "A patient organisation or a news report says this. We have not read it "
                "from the hospital or the government itself.",
            ),
            "public-knowledge": tr(
                request,
                lang,
                "Our editors know this, but have not yet checked it against a public source.",
            ),
            "uncertain": tr(
                request,
                lang,
                "Our editors worked this out from other facts. No source confirms it.",
            ),
        },
        publisher_kind={
            "ministry": tr(request, lang, "the government"),
            "hospital": tr(request, lang, "the hospital itself"),
            "iknl": tr(request, lang, "IKNL, the Netherlands Comprehensive Cancer Organisation"),
            "professional_body": tr(request, lang, "an association of doctors"),
            "patient_platform": tr(request, lang, "a patient organisation"),
            "news": tr(request, lang, "a news report"),
            "european": tr(request, lang, "a European organisation"),
            "report": tr(request, lang, "a report"),
            "editors": tr(request, lang, "our editors"),
            "other": tr(request, lang, "another source"),
        },
        population={
            "all": tr(request, lang, "for everyone"),
            "children": tr(request, lang, "for children"),
            "adults": tr(request, lang, "for adults"),
        },
        institution_kind={
            "umc": tr(request, lang, "University medical centre"),
            "categorical_cancer_centre": tr(request, lang, "Cancer centre"),
            "childrens_cancer_centre": tr(request, lang, "Centre for children with cancer"),
            "top_clinical": tr(request, lang, "Top clinical hospital"),
            "general": tr(request, lang, "General hospital"),
            "radiotherapy": tr(request, lang, "Radiotherapy institute"),
            "other": tr(request, lang, "Other institution"),
        },
        site_kind={
            "hospital": tr(request, lang, "Hospital"),
            "outpatient_clinic": tr(request, lang, "Outpatient clinic"),
            "childrens_hospital": tr(request, lang, "Children's hospital"),
        },
        network_kind={
            "regional_oncology": tr(request, lang, "Regional oncology network"),
            "head_and_neck": tr(request, lang, "Head and neck network"),
            "tumour_type": tr(request, lang, "Collaboration for one type of cancer"),
            "shared_care": tr(request, lang, "Shared care network"),
        },
        group_kind={
            "national_working_group": tr(request, lang, "National working group"),
            "professional_society": tr(request, lang, "Professional society"),
            "initiative": tr(request, lang, "Initiative for specific rare cancers"),
            "platform": tr(request, lang, "Platform"),
            "patient_platform": tr(request, lang, "Patient platform"),
        },
        submission_kind={
            "portal": tr(request, lang, "Through a secure web portal"),
            "platform": tr(request, lang, "Through an online platform"),
            "email": tr(request, lang, "By e-mail"),
            "mdo": tr(request, lang, "In a multidisciplinary meeting (tumour board)"),
            "unknown": tr(request, lang, "Not known"),
        },
    )


# -- the condition page's section --------------------------------------------------------


def condition_expertise(
    request: Request, lang: str, orphacode: int, condition_title: Text
) -> ConditionExpertiseView:
    """The expertise section of a condition page, in the fixed order of SECTION_ORDER,
    with the route card on top (nearest places first when the visitor gave a location)."""
    queries = _queries(request)
    expertise: ConditionExpertise = queries.for_condition(orphacode)
    sections = []
    for section in expertise.sections:
        shown = [a for a in section.items if a.relation != "descendant"]
        below = [a for a in section.items if a.relation == "descendant"]
        sections.append(
            SectionView(
                kind=section.kind,
                items=tuple(shown + below[:MAX_DESCENDANT_ITEMS]),
                hidden=max(0, len(below) - MAX_DESCENDANT_ITEMS),
            )
        )
    near, location = visitor_location(app_state(request).search, request.query_params.get("near"))
    card = located_route_card(queries, expertise, location.point if location else None)
    return ConditionExpertiseView(
        expertise,
        tuple(sections),
        labels(request, lang),
        condition_title,
        card,
        near,
        location_label(location) if location else None,
        queries.patient_resources(orphacode),
        place_hospitals(
            queries,
            (p.institution for p in card.places),
            lang,
            near,
            location,
            nearest_first=False,
        ),
    )


def located_route_card(
    queries: ExpertiseQueries, expertise: ConditionExpertise, origin: GeoPoint | None
) -> RouteCard:
    """The route card of a condition, with each place's town and, when ``origin`` is
    known, its distance from there (then the nearest come first)."""
    named = {
        i.slug for s in expertise.sections for a in s.items for i in a.designation.institutions
    }
    sites = queries.main_sites(named)

    def city(inst: InstitutionRef) -> str | None:
        return next((p.city for p in sites.get(inst.slug, ()) if p.city), None)

    def distance(inst: InstitutionRef) -> float | None:
        assert origin is not None
        return sites_km(origin, sites.get(inst.slug, ()))

    return route_card(
        expertise,
        city=city,
        distance=distance if origin is not None else None,
        umbrella=queries.umbrella_groups(),
    )


def nearest_place(queries: ExpertiseQueries, orphacode: int, origin: GeoPoint) -> RoutePlace | None:
    """The nearest hospital on a condition's route card (for a search result)."""
    card = located_route_card(queries, queries.for_condition(orphacode), origin)
    placed = [p for p in card.places if p.distance_km is not None]
    return min(placed, key=lambda p: p.distance_km or 0.0) if placed else None


# -- institution -------------------------------------------------------------------------


def institution_page(request: Request) -> Response:
    lang = page_lang(request)
    slug = _slug(request)
    detail = _queries(request).institution(slug)
    if detail is None:
        raise HTTPException(404)
    if detail.lifecycle is not None and detail.lifecycle.successor is not None:
        # A closed or merged hospital is never a place to go: its permalink leads to the
        # hospital that took over, which names it under "took over".
        target = entity_path("institution", detail.lifecycle.successor.slug, lang)
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(target + query, status_code=301)
    title = detail.ref.title(lang).value
    lab = labels(request, lang)
    page = page_frame(
        request,
        lang,
        title,
        tr(request, lang, "%(name)s: its expertise for rare cancers, and its locations.")
        % {"name": title},
        {lg: entity_path("institution", slug, lg) for lg in LANGS},
        review=("institution", slug),
    )
    groups = tuple(
        DesignationGroup(kind, tuple(d for d in detail.designations if d.kind == kind))
        for kind in SECTION_ORDER
        if any(d.kind == kind for d in detail.designations)
    )
    sites = site_map(
        Site(
            name=s.name,
            lat=s.lat if s.lat is not None else math.nan,
            lon=s.lon if s.lon is not None else math.nan,
            place=s.city or "",
            name_lang="nl" if lang != "nl" else "",
        )
        for s in detail.sites
    )
    return html_page(
        request, lang, "institution.html", InstitutionPage(page, detail, groups, sites, lab)
    )


# -- panel -------------------------------------------------------------------------------


def panel_page(request: Request) -> Response:
    lang = page_lang(request)
    found = entity_id(request, "panel", _slug(request), lang)
    if isinstance(found, Response):  # the other language's slug
        return found
    slug = found
    detail = _queries(request).panel(slug)
    if detail is None:
        raise HTTPException(404)
    name = detail.ref.title(lang).value
    page = page_frame(
        request,
        lang,
        name,
        tr(
            request,
            lang,
            "How to submit a case to %(name)s: who may submit, what to include, "
            "turnaround and contact.",
        )
        % {"name": name},
        permalinks(request).paths("panel", slug),
        review=("panel", slug),
    )
    own = permalinks(request).path("panel", slug, lang)
    lab = labels(request, lang)
    base = app_state(request).settings.base_url
    summary = _panel_summary(request, lang, detail, lab, base + own)
    near, location = visitor_location(app_state(request).search, request.query_params.get("near"))
    hospitals = place_hospitals(
        _queries(request),
        (*((detail.coordinating,) if detail.coordinating else ()), *detail.members),
        lang,
        near,
        location,
    )
    return html_page(
        request,
        lang,
        "panel.html",
        PanelPage(
            page,
            detail,
            lab,
            summary,
            own + "/tekst",
            hospitals,
        ),
    )


def panel_text(request: Request) -> Response:
    """The referral text on its own, as plain text: to copy or save without JavaScript."""
    lang = page_lang(request)
    found = entity_id(request, "panel", _slug(request), lang, "/tekst")
    if isinstance(found, Response):  # the other language's slug
        return found
    slug = found
    detail = _queries(request).panel(slug)
    if detail is None:
        raise HTTPException(404)
    base = app_state(request).settings.base_url
    url = base + permalinks(request).path("panel", slug, lang)
    text = _panel_summary(request, lang, detail, labels(request, lang), url)
    return PlainTextResponse(text + "\n", headers={"content-language": lang})


def _panel_summary(
    request: Request, lang: str, p: PanelDetail, lab: ExpertiseLabels, url: str
) -> str:
    """A plain-text summary for a referral letter; every value in the page language."""

    def text(stem: str) -> str:
        value = p.texts[stem].get(lang)
        # "Niet bekend ..." / "Not known ..." texts are honest on the page, noise in a letter
        if value is None or value.value.lower().startswith(UNKNOWN_PREFIXES):
            return ""
        return value.value

    panel_label = tr(request, lang, "Expert panel")
    lines = [f"{panel_label}: {p.ref.title(lang).value}"]
    scope = p.scope.get(lang)
    if scope:
        scope_label = tr(request, lang, "Scope")
        lines.append(f"{scope_label}: {scope.value}")
    route = lab.submission_kind.get(p.submission_kind, p.submission_kind)
    if p.portal_name:
        route += f" ({p.portal_name})"
    for extra in (p.submission_url, p.submission_email):
        if extra:
            route += f", {extra}"
    how_label = tr(request, lang, "How to submit")
    if p.submission_kind != "unknown" or p.portal_name or p.submission_url or p.submission_email:
        lines.append(f"{how_label}: {route}")
    for label, stem in (
        (tr(request, lang, "Who may submit"), "who_may_submit"),
        (tr(request, lang, "What to include"), "what_to_include"),
        (tr(request, lang, "Patient consent"), "patient_consent"),
        (tr(request, lang, "Turnaround"), "turnaround"),
        (tr(request, lang, "How the advice comes back"), "feedback_route"),
        (tr(request, lang, "Contact"), "contact_route"),
    ):
        if value := text(stem):
            lines.append(f"{label}: {value}")
    today = format_date(dt.date.today(), format="long", locale=lang)
    source = tr(request, lang, "Source: Expertisewijzer, %(url)s (as on %(date)s)")
    lines.append(source % {"url": url, "date": today})
    return "\n".join(lines)


# -- working group -----------------------------------------------------------------------


def working_group_page(request: Request) -> Response:
    lang = page_lang(request)
    found = entity_id(request, "working_group", _slug(request), lang)
    if isinstance(found, Response):  # the other language's slug
        return found
    slug = found
    detail = _queries(request).working_group(slug)
    if detail is None:
        raise HTTPException(404)
    name = detail.ref.title(lang).value
    page = page_frame(
        request,
        lang,
        name + (f" ({detail.ref.short})" if detail.ref.short else ""),
        tr(request, lang, "%(name)s: which rare cancers it covers, its centres and panels.")
        % {"name": name},
        permalinks(request).paths("working_group", slug),
        review=("working_group", slug),
    )
    return html_page(
        request, lang, "working_group.html", WorkingGroupPage(page, detail, labels(request, lang))
    )


# -- network -----------------------------------------------------------------------------


def network_page(request: Request) -> Response:
    lang = page_lang(request)
    found = entity_id(request, "network", _slug(request), lang)
    if isinstance(found, Response):  # the other language's slug
        return found
    slug = found
    queries = _queries(request)
    detail = queries.network(slug)
    if detail is None:
        raise HTTPException(404)
    name = detail.ref.title(lang).value
    page = page_frame(
        request,
        lang,
        name,
        tr(request, lang, "%(name)s: the hospitals in this network and their roles.")
        % {"name": name},
        permalinks(request).paths("network", slug),
        review=("network", slug),
    )
    near, location = visitor_location(app_state(request).search, request.query_params.get("near"))
    hospitals = place_hospitals(
        queries, (m.institution for m in detail.members), lang, near, location
    )
    return html_page(
        request,
        lang,
        "network.html",
        NetworkPage(page, detail, labels(request, lang), hospitals),
    )
