"""Editor screen: the overview (work lists, expiring recognitions, reviews due)."""

from __future__ import annotations

from starlette.responses import Response

from directory.editorial.queries.dashboard import worklists
from directory.expertise.coverage import CoverageQueries
from directory.paths import page_path
from web.editor import texts
from web.editor.auth import ANY_ROLE, editor_view
from web.editor.contexts import DashboardPage, ExpiringView, LinkRow, ReviewRow
from web.editor.paths import editor_path, entity_editor_path, twins
from web.editor.render import chrome, html, page, translator
from web.editor.request import EditorRequest
from web.editor.rows import entity_title
from web.permalinks import permalinks


@editor_view(ANY_ROLE)
def dashboard(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    work = worklists(er.editor.catalogue.session_factory)
    q = er.editor.queries
    data = q.dashboard(er.user_id)
    links = []
    for link in data.broken_links:
        title, _ = entity_title(er, link.entity_kind, link.entity_id)
        edit = (
            entity_editor_path("edit", link.entity_kind, link.entity_id, er.lang)
            if link.entity_kind in q.adapters
            else None
        )
        links.append(LinkRow(link, title, edit))
    ctx = DashboardPage(
        page=page(er.request, er.lang, _("Editor area"), twins("dashboard")),
        chrome=chrome(er, "dashboard"),
        dashboard=data,
        expiring=tuple(
            ExpiringView(
                e.label, e.valid_until, e.expired, tuple(f"ORPHA:{c}" for c in e.orphacodes)
            )
            for e in data.expiring
        ),
        reviews=tuple(
            ReviewRow(
                texts.label(_, texts.KINDS, r.kind),
                r.title,
                entity_editor_path("history", r.kind, r.entity_id, er.lang)
                if r.kind in q.adapters
                else permalinks(er.request).path(r.kind, r.entity_id, er.lang),
                r.dates,
            )
            for r in data.reviews.items
        ),
        review_counts=tuple(
            (texts.label(_, texts.KINDS, kind), n) for kind, n in data.reviews.by_kind.items()
        ),
        broken_links=tuple(links),
        drafts_url=editor_path("drafts", er.lang),
        feedback_url=editor_path("feedback", er.lang),
        overrides_url=editor_path("overrides", er.lang),
        coverage=CoverageQueries(er.editor.catalogue.session_factory).report(),
        gaps_url=page_path("gaps", er.lang),
        work=work,
        proposals_url=editor_path("proposals", er.lang),
        work_urls={
            (i.kind, i.entity_id): (
                entity_editor_path("edit", "panel", i.entity_id, er.lang)
                if i.kind == "panel"
                else permalinks(er.request).path(i.kind, i.entity_id, er.lang)
            )
            for i in (*work.unconfirmed, *work.undated, *work.unreachable_panels)
        },
    )
    return html(er.request, er.lang, ctx)
