"""The condition page, with its expertise section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from directory.conditions.queries import Text
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.views import ConditionExpertise
from directory.numbers import ascii_int
from directory.paths import entity_path
from web.contexts.condition import ConditionExpertiseView, ConditionPage, SectionView
from web.editor.public import condition_summary
from web.hospitals import place_hospitals
from web.i18n import LANGS
from web.labels import labels
from web.location import location_label, visitor_location
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.route_cards import located_route_card

if TYPE_CHECKING:
    from web.state import AppState


def condition_page(request: Request) -> Response:
    lang = page_lang(request)
    raw = request.path_params["code"]
    digits = raw.upper().removeprefix("ORPHA").removeprefix(":")
    code = ascii_int(digits)
    if code is None:
        raise HTTPException(404)
    if str(code) != raw:
        return RedirectResponse(entity_path("condition", code, lang), status_code=301)
    queries = app_state(request).queries
    detail = queries.condition(code)
    if detail is None:
        raise HTTPException(404)
    if detail.ref.status != "active" and any(k == "moved_to" for _r, k in detail.redirects_to):
        target = queries.successor(code)
        if target is not None:
            return RedirectResponse(entity_path("condition", target, lang), status_code=301)
    title = detail.ref.title(lang)
    paths = {lg: entity_path("condition", code, lg) for lg in LANGS}
    definition = detail.definitions.get(lang) or detail.definitions.get("en")
    page = page_frame(
        request,
        lang,
        f"{title.value} (ORPHA:{code})",
        (
            definition.value[:200]
            if definition
            else tr(request, lang, "Where to find expertise for %(name)s in the Netherlands.")
            % {"name": title.value}
        ),
        paths,
        review=("condition", code),
    )
    levels = {
        "group": tr(request, lang, "Group of conditions"),
        "disorder": tr(request, lang, "Disease"),
        "subtype": tr(request, lang, "Subtype of a disease"),
    }
    statuses = {
        "obsolete": tr(request, lang, "This code is no longer in use (obsolete)."),
        "deprecated": tr(request, lang, "This code has been withdrawn (deprecated)."),
    }
    summary = condition_summary(request, code, lang)
    if summary is None:  # a draft the editors have not approved yet, shown as such
        drafts = queries.proposed_summary(code)
        for candidate in (lang, "en" if lang == "nl" else "nl"):
            if drafts.get(candidate):
                summary = Text(drafts[candidate], candidate, "proposed")
                break
    ctx = ConditionPage(
        page=page,
        condition=detail,
        orphanet_url=f"https://www.orpha.net/{lang}/disease/detail/{code}",
        level_label=levels.get(detail.ref.level or "", tr(request, lang, "Unknown level")),
        status_label=statuses.get(detail.ref.status),
        title_lang=title.lang,
        expertise=condition_expertise(request, lang, code, title),
        summary=summary,
        summary_proposed=summary is not None and summary.origin == "proposed",
    )
    return html_page(request, lang, ctx)


MAX_DESCENDANT_ITEMS = 8  # per section; the rest is counted, not listed


def _queries(request: Request) -> ExpertiseQueries:
    state: AppState = app_state(request)
    return state.expertise


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
