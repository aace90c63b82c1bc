"""Editor screen: an entity's history of revisions and overrides."""

from __future__ import annotations

from starlette.responses import Response

from directory.editorial.errors import InvalidInput
from directory.errors import NotFound
from directory.numbers import ascii_int
from web.editor import texts
from web.editor.auth import ANY_ROLE, editor_view
from web.editor.contexts import HistoryPage, RevisionRow
from web.editor.navigation import kind_and_id, not_found_page, public_url, redirect_to
from web.editor.paths import editor_path, entity_editor_path, entity_twins
from web.editor.render import chrome, html, page, translator
from web.editor.request import EditorRequest
from web.editor.rows import change_rows, draft_row, override_row


@editor_view(ANY_ROLE)
def history(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    try:
        kind, entity_id = kind_and_id(er)
    except NotFound:
        return not_found_page(er)
    q = er.editor.queries
    error: str | None = None
    status = 200
    if er.form is not None:
        action = er.field("action")
        try:
            if action == "check":
                er.editor.service.mark_checked(er.user_id, kind, entity_id)
                return redirect_to(
                    entity_editor_path("history", kind, entity_id, er.lang), "checked"
                )
            if action == "revert":
                found = ascii_int(er.field("revision"))
                revision = -1 if found is None else found
                draft_id = er.editor.service.revert(
                    er.user_id, kind, entity_id, revision, er.field("reason")
                )
                return redirect_to(editor_path("drafts", er.lang, draft_id), "saved")
            error, status = _("Choose what to do."), 400
        except InvalidInput as exc:
            error = "; ".join(texts.error_text(_, e) for e in exc.errors)
            status = 400
        except NotFound:
            return not_found_page(er)
    view = q.history(kind, entity_id)
    if view is None:
        return not_found_page(er)
    state = view.state
    newest = view.revisions[0].revision if view.revisions else 0
    revisions = tuple(
        RevisionRow(
            revision=r.revision,
            at=r.at,
            author=r.author,
            approver=r.approver,
            reason=r.reason,
            action_label=texts.label(_, texts.ACTIONS, r.action),
            changes=change_rows(
                er, _, kind, {c.field: (c.old_value, c.new_value) for c in r.changes}
            ),
            can_revert=r.revision < newest,
        )
        for r in view.revisions
    )
    ctx = HistoryPage(
        page=page(
            er.request,
            er.lang,
            _("History: %(title)s") % {"title": state.title},
            entity_twins("history", kind, state.entity_id),
        ),
        chrome=chrome(er, "catalogue"),
        kind_label=texts.label(_, texts.KINDS, kind),
        title=state.title,
        title_lang=state.title_lang,
        revisions=revisions,
        other=view.other,
        other_labels=tuple(texts.label(_, texts.ACTIONS, a.action) for a in view.other),
        overrides=tuple(override_row(er, _, o) for o in view.overrides),
        pending=tuple(draft_row(er, _, d) for d in view.pending),
        last_checked=view.last_checked,
        edit_url=entity_editor_path("edit", kind, state.entity_id, er.lang),
        revert_url=entity_editor_path("history", kind, state.entity_id, er.lang),
        check_url=entity_editor_path("history", kind, state.entity_id, er.lang),
        public_url=public_url(er, kind, state.entity_id),
        error=error,
        reason=er.field("reason"),
        can_revert_to_start=bool(view.revisions),
    )
    return html(er.request, er.lang, ctx, status)
