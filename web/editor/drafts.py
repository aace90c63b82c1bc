"""Editor screens: the list of drafts, and one draft to review (approve, reject, withdraw)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response

from directory.editorial.errors import Conflict, InvalidInput, PermissionDenied
from directory.errors import NotFound
from directory.numbers import ascii_int
from directory.vocabulary import DRAFT_STATUSES, DraftStatus, is_one_of
from web.editor import texts
from web.editor.auth import ANY_ROLE, editor_view
from web.editor.contexts import DraftListPage, DraftPage, NavLink
from web.editor.navigation import not_found_page, redirect_to
from web.editor.paths import editor_path, entity_editor_path, twins
from web.editor.render import chrome, html, page, translator
from web.editor.request import EditorRequest
from web.editor.rows import change_rows, draft_row

DRAFT_FILTERS = DRAFT_STATUSES


@editor_view(ANY_ROLE)
def drafts(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    given = er.request.query_params.get("status", "pending")
    status: DraftStatus = given if is_one_of(given, DRAFT_FILTERS) else "pending"
    views = er.editor.queries.drafts(status)
    base = editor_path("drafts", er.lang)
    ctx = DraftListPage(
        page=page(er.request, er.lang, _("Drafts"), twins("drafts")),
        chrome=chrome(er, "drafts"),
        rows=tuple(draft_row(er, _, d) for d in views),
        status=status,
        statuses=tuple(
            NavLink(
                texts.label(_, texts.STATUSES, s),
                base + "?" + urlencode({"status": s}),
                current=s == status,
            )
            for s in DRAFT_FILTERS
        ),
    )
    return html(er.request, er.lang, ctx)


def _draft_id(er: EditorRequest) -> int:
    draft_id = ascii_int(str(er.request.path_params.get("draft_id", "")))
    if draft_id is None:
        raise NotFound("no such draft")
    return draft_id


@editor_view(ANY_ROLE)
def draft(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    try:
        draft_id = _draft_id(er)
    except NotFound:
        return not_found_page(er)
    service = er.editor.service
    error: str | None = None
    comment_error: str | None = None
    status = 200
    if er.form is not None:
        action = er.field("action")
        comment = er.field("comment")
        try:
            if action == "approve":
                result = service.approve(draft_id, er.user_id, comment)
                done = "reindex_failed" if result.reindex_error else "published"
                return redirect_to(editor_path("drafts", er.lang, draft_id), done)
            if action == "reject":
                service.reject(draft_id, er.user_id, comment)
                return redirect_to(editor_path("drafts", er.lang, draft_id), "rejected")
            if action == "withdraw":
                service.withdraw(draft_id, er.user_id)
                return redirect_to(editor_path("drafts", er.lang, draft_id), "withdrawn")
            error, status = _("Choose what to do with the draft."), 400
        except PermissionDenied as exc:
            error, status = texts.label(_, texts.PERMISSIONS, exc.code), 403
        except Conflict as exc:
            error, status = texts.label(_, texts.CONFLICTS, exc.code), 409
        except InvalidInput as exc:
            found = exc.by_field()
            if "comment" in found:
                comment_error = texts.error_text(_, found["comment"])
            else:
                error = "; ".join(
                    f"{texts.field_label(_, e.field)}: {texts.error_text(_, e)}" for e in exc.errors
                )
            status = 400
        except NotFound:
            return not_found_page(er)
    view = er.editor.queries.draft(draft_id)
    if view is None:
        return not_found_page(er)
    row = draft_row(er, _, view)
    user = er.session.user
    ctx = DraftPage(
        page=page(
            er.request,
            er.lang,
            _("Draft %(number)s") % {"number": view.id},
            twins("drafts", view.id),
        ),
        chrome=chrome(er, "drafts"),
        row=row,
        reason=view.reason,
        changes=change_rows(
            er, _, view.entity_kind, {c.field: (c.before, c.after) for c in view.changes}
        ),
        reviewer=view.reviewer,
        reviewed_at=view.reviewed_at,
        review_comment=view.review_comment,
        status=view.status,
        action_url=editor_path("drafts", er.lang, view.id),
        history_url=(
            entity_editor_path("history", view.entity_kind, view.entity_id, er.lang)
            if view.action != "create" or view.status == "approved"
            else None
        ),
        can_review=view.status == "pending" and user.can_review and view.author_id != user.id,
        can_withdraw=view.status == "pending" and view.author_id == user.id,
        error=error,
        comment=er.field("comment") if er.form is not None else "",
        comment_error=comment_error,
    )
    return html(er.request, er.lang, ctx, status)
