"""Editor screen: the overrides editors keep against imported values."""

from __future__ import annotations

from starlette.responses import Response

from directory.editorial.errors import InvalidInput
from directory.errors import NotFound
from directory.numbers import ascii_int
from web.editor import texts
from web.editor.auth import ANY_ROLE, editor_view
from web.editor.contexts import OverridesPage
from web.editor.navigation import redirect_to
from web.editor.paths import editor_path, twins
from web.editor.render import chrome, html, page, translator
from web.editor.request import EditorRequest
from web.editor.rows import override_row


@editor_view(ANY_ROLE)
def overrides(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    error: str | None = None
    status = 200
    if er.form is not None:
        found = ascii_int(er.field("override"))
        override_id = 0 if found is None else found
        try:
            if er.field("action") == "keep":
                er.editor.service.acknowledge_override(override_id, er.user_id)
                return redirect_to(editor_path("overrides", er.lang), "kept")
            if er.field("action") == "drop":
                draft_id = er.editor.service.propose_drop_override(
                    override_id, er.user_id, er.field("reason")
                )
                return redirect_to(editor_path("drafts", er.lang, draft_id), "saved")
            error, status = _("Choose what to do."), 400
        except InvalidInput as exc:
            error, status = "; ".join(texts.error_text(_, e) for e in exc.errors), 400
        except NotFound:
            error, status = _("This correction no longer exists."), 404
    rows = er.editor.queries.overrides()
    ctx = OverridesPage(
        page=page(er.request, er.lang, _("Corrections of imported facts"), twins("overrides")),
        chrome=chrome(er, "overrides"),
        rows=tuple(
            override_row(er, _, o) for o in sorted(rows, key=lambda o: (not o.disagrees, o.id))
        ),
        action_url=editor_path("overrides", er.lang),
        error=error,
    )
    return html(er.request, er.lang, ctx, status)
