"""The expert panel page and its referral text on its own."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from babel.dates import format_date
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from directory.expertise.entity_fields import PANEL_SUMMARY
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.views import PanelDetail
from web.contexts.labels import ExpertiseLabels
from web.contexts.panels import PanelPage
from web.hospitals import place_hospitals
from web.labels import labels
from web.location import visitor_location
from web.pages import app_state, html_page, page_frame, page_lang, tr
from web.permalinks import entity_id, permalinks, slug_param

if TYPE_CHECKING:
    from web.state import AppState

UNKNOWN_PREFIXES = ("niet bekend", "not known", "onbekend", "unknown")


def _queries(request: Request) -> ExpertiseQueries:
    state: AppState = app_state(request)
    return state.expertise


def panel_page(request: Request) -> Response:
    lang = page_lang(request)
    found = entity_id(request, "panel", slug_param(request), lang)
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
    found = entity_id(request, "panel", slug_param(request), lang, "/tekst")
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
    for f in PANEL_SUMMARY:
        label, stem = tr(request, lang, f.summary_label), f.name
        if value := text(stem):
            lines.append(f"{label}: {value}")
    today = format_date(dt.date.today(), format="long", locale=lang)
    source = tr(request, lang, "Source: Expertisewijzer, %(url)s (as on %(date)s)")
    lines.append(source % {"url": url, "date": today})
    return "\n".join(lines)
