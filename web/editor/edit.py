"""Editor screens: the edit form of an entity and the form for a new one."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from directory.editorial.entities import EntityState
from directory.editorial.errors import Conflict, InvalidInput, PermissionDenied
from directory.editorial.fields import FieldError, FieldSpec, FieldValue
from directory.errors import NotFound
from web.editor import texts
from web.editor.auth import ANY_ROLE, editor_view
from web.editor.contexts import ChangeRow, ConflictView, EditPage, FieldGroup, FieldView
from web.editor.navigation import kind_and_id, not_found_page, public_url, redirect_to
from web.editor.paths import (
    editor_path,
    entity_editor_path,
    entity_twins,
    kind_of_segment,
    kind_segment,
)
from web.editor.render import (
    Translate,
    chrome,
    error_summary,
    field_views,
    html,
    page,
    simple_field,
    translator,
)
from web.editor.request import EditorRequest
from web.editor.rows import change_rows
from web.i18n import LANGS


def _groups(
    _: Translate, fields: tuple[FieldView, ...], specs: tuple[FieldSpec, ...]
) -> tuple[FieldGroup, ...]:
    order: list[str] = []
    by_group: dict[str, list[FieldView]] = {}
    group_of = {s.name: s.group for s in specs}
    for f in fields:
        g = group_of.get(f.name, "")
        if g not in by_group:
            order.append(g)
            by_group[g] = []
        by_group[g].append(f)
    return tuple(FieldGroup(texts.label(_, texts.GROUPS, g), tuple(by_group[g])) for g in order)


def _conflict_view(
    er: EditorRequest,
    _: Translate,
    code: str,
    kind: str,
    current: EntityState | None,
    typed: Mapping[str, str],
) -> ConflictView:
    rows: tuple[ChangeRow, ...] = ()
    if current is not None:
        rows = change_rows(
            er,
            _,
            kind,
            {
                name: (typed.get(name, ""), value)
                for name, value in current.values.items()
                if name in typed
            },
        )
    return ConflictView(texts.label(_, texts.CONFLICTS, code), rows)


def _edit_page(
    er: EditorRequest,
    _: Translate,
    kind: str,
    state: EntityState | None,
    token: str,
    *,
    creating: bool,
    pending: int = 0,
    typed: Mapping[str, str] | None = None,
    errors: Mapping[str, FieldError] | None = None,
    form_error: str | None = None,
    conflict: ConflictView | None = None,
    status: int = 200,
) -> Response:
    adapter = er.editor.queries.adapters[kind]
    specs = tuple(s for s in adapter.fields if creating or not s.create_only)
    values: Mapping[str, FieldValue] = state.values if state else {}
    fields = field_views(_, specs, values, typed, errors)
    reason = simple_field(
        _,
        "reason",
        "text",
        (typed or {}).get("reason", ""),
        (errors or {}).get("reason"),
        required=True,
        max_length=1000,
        hint=_("Say why, and where you found it (a source, a phone call, a website)."),
    )
    kind_label = texts.label(_, texts.KINDS, kind)
    if creating:
        title, title_lang = _("New: %(kind)s") % {"kind": kind_label.lower()}, er.lang
        paths = {lg: editor_path("new", lg, kind_segment(kind, lg)) for lg in LANGS}
    else:
        assert state is not None
        title, title_lang = state.title, state.title_lang
        paths = entity_twins("edit", kind, state.entity_id)
    last = (
        er.editor.queries.last_checked(kind, state.entity_id, state.source_checked)
        if state
        else None
    )
    ctx = EditPage(
        page=page(er.request, er.lang, _("Edit: %(title)s") % {"title": title}, paths),
        chrome=chrome(er, "catalogue"),
        kind=kind,
        kind_label=kind_label,
        title=title,
        title_lang=title_lang,
        creating=creating,
        groups=_groups(_, fields, specs),
        token=token,
        reason=reason,
        action_url=paths[er.lang],
        errors=error_summary((*fields, reason)),
        form_error=form_error,
        conflict=conflict,
        history_url=None
        if creating or state is None
        else entity_editor_path("history", kind, state.entity_id, er.lang),
        public_url=None if state is None else public_url(er, kind, state.entity_id),
        retire_url=paths[er.lang] if (adapter.can_retire and state and not state.retired) else None,
        pending=pending,
        last_checked=last,
        check_url=None
        if state is None
        else entity_editor_path("history", kind, state.entity_id, er.lang),
    )
    return html(er.request, er.lang, ctx, status)


@editor_view(ANY_ROLE)
def edit(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    service = er.editor.service
    try:
        kind, entity_id = kind_and_id(er)
        form = service.entity_form(kind, entity_id)
    except NotFound:
        return not_found_page(er)
    if er.form is None:
        return _edit_page(
            er, _, kind, form.state, form.token, creating=False, pending=form.pending_drafts
        )
    action = "retire" if er.field("action") == "retire" else "update"
    raw = er.fields()
    token = er.field("token")
    try:
        draft_id = service.save_draft(
            er.user_id, kind, form.state.entity_id, action, raw, token, er.field("reason")
        )
    except InvalidInput as exc:
        errors = exc.by_field()
        general = errors.get("__all__")
        return _edit_page(
            er,
            _,
            kind,
            form.state,
            token,
            creating=False,
            pending=form.pending_drafts,
            typed=raw,
            errors=errors,
            form_error=texts.error_text(_, general) if general else None,
            status=400,
        )
    except Conflict as exc:
        # Keep everything typed; show the values now; offer the new token.
        return _edit_page(
            er,
            _,
            kind,
            form.state,
            form.token,
            creating=False,
            pending=form.pending_drafts,
            typed=raw,
            conflict=_conflict_view(er, _, exc.code, kind, exc.current or form.state, raw),
            status=409,
        )
    except PermissionDenied as exc:
        return _edit_page(
            er,
            _,
            kind,
            form.state,
            token,
            creating=False,
            typed=raw,
            form_error=texts.label(_, texts.PERMISSIONS, exc.code),
            status=403,
        )
    return redirect_to(editor_path("drafts", er.lang, draft_id), "saved")


@editor_view(ANY_ROLE)
def new(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    kind = kind_of_segment(str(er.request.path_params.get("kind", "")))
    adapters = er.editor.queries.adapters
    if kind is None or kind not in adapters or not adapters[kind].can_create:
        return not_found_page(er)
    if er.form is None:
        return _edit_page(er, _, kind, None, "", creating=True)
    raw = er.fields()
    try:
        draft_id = er.editor.service.save_draft(
            er.user_id, kind, None, "create", raw, None, er.field("reason")
        )
    except InvalidInput as exc:
        errors = exc.by_field()
        general = errors.get("__all__")
        return _edit_page(
            er,
            _,
            kind,
            None,
            "",
            creating=True,
            typed=raw,
            errors=errors,
            form_error=texts.error_text(_, general) if general else None,
            status=400,
        )
    except Conflict as exc:
        return _edit_page(
            er,
            _,
            kind,
            None,
            "",
            creating=True,
            typed=raw,
            form_error=texts.label(_, texts.CONFLICTS, exc.code),
            status=409,
        )
    return redirect_to(editor_path("drafts", er.lang, draft_id), "saved")
