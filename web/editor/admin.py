"""Editor views for accounts (administrators only) and the visitors' reports queue."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response

from directory.editorial.errors import Conflict, InvalidInput
from directory.editorial.fields import FieldError
from directory.errors import NotFound
from directory.numbers import ascii_int
from directory.paths import is_site_page
from directory.vocabulary import FEEDBACK_STATUSES, ROLES, FeedbackStatus, is_one_of
from web.editor import texts
from web.editor.auth import ADMINS, ANY_ROLE, editor_view
from web.editor.contexts import (
    Choice,
    FeedbackQueuePage,
    FeedbackRow,
    NavLink,
    UserPage,
    UserRow,
    UsersPage,
)
from web.editor.paths import editor_path, entity_editor_path, twins
from web.editor.render import chrome, error_summary, html, page, simple_field, translator
from web.editor.request import EditorRequest
from web.permalinks import permalinks


@editor_view(ADMINS)
def users(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    typed: dict[str, str] = {}
    errors: dict[str, FieldError] = {}
    status = 200
    if er.form is not None:
        typed = {k: er.field(k) for k in ("email", "display_name", "role")}
        try:
            er.editor.service.add_user(
                typed["email"],
                typed["display_name"],
                typed["role"],
                er.field("password"),
                actor_id=er.user_id,
            )
        except InvalidInput as exc:
            errors, status = exc.by_field(), 400
        else:
            return RedirectResponse(
                editor_path("users", er.lang) + "?" + urlencode({"done": "user_saved"}),
                status_code=303,
            )
    roles = tuple(Choice(r, texts.label(_, texts.ROLES, r)) for r in ROLES)
    fields = (
        simple_field(
            _,
            "email",
            "email",
            typed.get("email", ""),
            errors.get("email"),
            required=True,
            max_length=254,
        ),
        simple_field(
            _,
            "display_name",
            "text",
            typed.get("display_name", ""),
            errors.get("display_name"),
            required=True,
            max_length=200,
        ),
        simple_field(
            _,
            "role",
            "choice",
            typed.get("role", "editor"),
            errors.get("role"),
            required=True,
            choices=roles,
        ),
        simple_field(
            _,
            "password",
            "password",
            "",
            errors.get("password"),
            required=True,
            hint=_("At least 12 characters. Give it to the person in a safe way."),
        ),
    )
    ctx = UsersPage(
        page=page(er.request, er.lang, _("Accounts"), twins("users")),
        chrome=chrome(er, "users"),
        rows=tuple(
            UserRow(
                u,
                texts.label(_, texts.ROLES, u.role),
                editor_path("users", er.lang, u.id),
                u.id == er.user_id,
            )
            for u in er.editor.queries.users()
        ),
        new_fields=fields,
        action_url=editor_path("users", er.lang),
        errors=error_summary(fields),
    )
    return html(er.request, er.lang, ctx, status)


@editor_view(ADMINS)
def user(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    user_id = ascii_int(str(er.request.path_params.get("user_id", "")))
    if user_id is None:
        return _missing(er)
    service = er.editor.service
    error: str | None = None
    password_error: FieldError | None = None
    status = 200
    if er.form is not None:
        version = ascii_int(er.field("version"))
        version = -1 if version is None else version
        action = er.field("action")
        try:
            if action == "role":
                service.set_role(
                    user_id, er.field("role"), actor_id=er.user_id, expected_version=version
                )
            elif action in ("disable", "enable"):
                service.set_active(
                    user_id, action == "enable", actor_id=er.user_id, expected_version=version
                )
            elif action == "password":
                service.set_password(user_id, er.field("password"), actor_id=er.user_id)
            else:
                raise InvalidInput([FieldError("action", "not_choice")])
        except InvalidInput as exc:
            found = exc.by_field()
            password_error = found.get("password")
            if password_error is None:
                error = "; ".join(texts.error_text(_, e) for e in exc.errors)
            status = 400
        except Conflict as exc:
            error, status = texts.label(_, texts.CONFLICTS, exc.code), 409
        except NotFound:
            return _missing(er)
        else:
            return RedirectResponse(
                editor_path("users", er.lang, user_id) + "?" + urlencode({"done": "user_saved"}),
                status_code=303,
            )
    view = er.editor.queries.user(user_id)
    if view is None:
        return _missing(er)
    roles = tuple(Choice(r, texts.label(_, texts.ROLES, r)) for r in ROLES)
    ctx = UserPage(
        page=page(
            er.request,
            er.lang,
            _("Account: %(name)s") % {"name": view.display_name},
            twins("users", user_id),
        ),
        chrome=chrome(er, "users"),
        row=UserRow(
            view,
            texts.label(_, texts.ROLES, view.role),
            editor_path("users", er.lang, user_id),
            view.id == er.user_id,
        ),
        roles=roles,
        action_url=editor_path("users", er.lang, user_id),
        password=simple_field(_, "password", "password", "", password_error, required=True),
        error=error,
    )
    return html(er.request, er.lang, ctx, status)


def _missing(er: EditorRequest) -> Response:
    from web.views.errors import not_found

    return not_found(er.request, NotFound())


FEEDBACK_FILTERS = FEEDBACK_STATUSES


@editor_view(ANY_ROLE)
def feedback(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    given = er.request.query_params.get("status", "new")
    status_filter: FeedbackStatus = given if is_one_of(given, FEEDBACK_FILTERS) else "new"
    error: str | None = None
    code = 200
    if er.form is not None:
        report_id, version = ascii_int(er.field("report")), ascii_int(er.field("version"))
        try:
            er.editor.service.handle_feedback(
                0 if report_id is None else report_id,
                er.user_id,
                er.field("status"),
                er.field("note"),
                -1 if version is None else version,
            )
        except InvalidInput as exc:
            error, code = "; ".join(texts.error_text(_, e) for e in exc.errors), 400
        except Conflict as exc:
            error, code = texts.label(_, texts.CONFLICTS, exc.code), 409
        except NotFound:
            error, code = _("This report no longer exists."), 404
        else:
            return RedirectResponse(
                editor_path("feedback", er.lang)
                + "?"
                + urlencode({"status": status_filter, "done": "handled"}),
                status_code=303,
            )
    base = editor_path("feedback", er.lang)
    queries = er.editor.queries
    reports = queries.feedback(status_filter)
    names = queries.names_of(
        ((r.entity_kind, r.entity_id) for r in reports if r.entity_kind and r.entity_id),
        er.lang,
    )
    links = permalinks(er.request)
    rows = []
    for r in reports:
        name = names.get((r.entity_kind, r.entity_id)) if r.entity_kind and r.entity_id else None
        public_url = edit_url = None
        if name is not None and r.entity_kind and r.entity_id:
            public_url = links.path(r.entity_kind, r.entity_id, er.lang)
            if r.entity_kind in queries.adapters:
                edit_url = entity_editor_path("edit", r.entity_kind, r.entity_id, er.lang)
        rows.append(
            FeedbackRow(
                r,
                texts.label(_, texts.STATUSES, r.status),
                texts.label(_, texts.KINDS, r.entity_kind) if r.entity_kind else None,
                name,
                public_url,
                edit_url,
                r.page_url if is_site_page(r.page_url) else None,
            )
        )
    ctx = FeedbackQueuePage(
        page=page(er.request, er.lang, _("Reports from visitors"), twins("feedback")),
        chrome=chrome(er, "feedback"),
        rows=tuple(rows),
        status=status_filter,
        statuses=tuple(
            NavLink(
                texts.label(_, texts.STATUSES, s),
                base + "?" + urlencode({"status": s}),
                current=s == status_filter,
            )
            for s in FEEDBACK_FILTERS
        ),
        choices=tuple(Choice(s, texts.label(_, texts.STATUSES, s)) for s in FEEDBACK_STATUSES),
        action_url=base + "?" + urlencode({"status": status_filter}),
        error=error,
    )
    return html(er.request, er.lang, ctx, code)
