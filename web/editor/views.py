"""Editor views: login, overview, drafts and review, catalogue, edit forms, history.

Views are thin: they parse the form, call the editorial service or queries, and
build a typed page context. Authentication, roles and the CSRF check happen in
:func:`web.editor.auth.editor_view` before a view runs.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from directory.editorial.entities import EntityState
from directory.editorial.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    PermissionDenied,
    RateLimited,
)
from directory.editorial.fields import FieldError, FieldSpec, FieldValue
from directory.editorial.queries import DraftView, OverrideView, worklists
from directory.errors import NotFound
from directory.expertise.coverage import CoverageQueries
from directory.numbers import ascii_int
from directory.paths import SEGMENTS, page_path
from web.editor import texts
from web.editor.auth import (
    ANY_ROLE,
    CSRF_FIELD,
    DEVICE_COOKIE,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    client_address,
    current_session,
    editor_state,
    editor_view,
    lang_of,
    same_token,
    set_cookie,
)
from web.editor.contexts import (
    AccountPage,
    CataloguePage,
    CatalogueRow,
    ChangeRow,
    ConflictView,
    DashboardPage,
    DraftListPage,
    DraftPage,
    DraftRow,
    EditPage,
    ExpiringView,
    FieldGroup,
    FieldView,
    HistoryPage,
    LinkRow,
    LoginPage,
    NavLink,
    OverrideRow,
    OverridesPage,
    ReviewRow,
    RevisionRow,
)
from web.editor.paths import (
    editor_path,
    entity_editor_path,
    entity_twins,
    is_editor_path,
    kind_of_segment,
    kind_segment,
    twins,
)
from web.editor.render import (
    Translate,
    chrome,
    error_summary,
    field_views,
    html,
    page,
    refusal,
    shown,
    simple_field,
    translator,
)
from web.editor.request import EditorRequest
from web.editor.signing import DEVICE_MAX_AGE
from web.forms import FormRefused, read_form
from web.i18n import LANGS
from web.permalinks import permalinks

# -- login and logout ------------------------------------------------------------------


def _safe_next(target: str, lang: str) -> str:
    """Only paths inside the editor area: never an open redirect."""
    if target.startswith("/") and not target.startswith("//") and is_editor_path(target):
        return target
    return editor_path("dashboard", lang)


def _login_page(
    request: Request,
    lang: str,
    nonce: str,
    *,
    email: str = "",
    next_path: str = "",
    error: str | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    _ = translator(request, lang)
    notice = _("You are logged out.") if request.query_params.get("done") == "logged_out" else None
    ctx = LoginPage(
        page=page(request, lang, _("Log in to the editor area"), twins("login")),
        csrf_token=nonce,
        email=email,
        next=next_path,
        error=error,
        notice=notice,
    )
    response = html(request, lang, "editor/login.html", ctx, status=status)
    state = editor_state(request)
    set_cookie(response, request, LOGIN_COOKIE, state.signer.sign_login(nonce), 3600)
    response.headers["cache-control"] = "no-store"
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _login_post(request: Request, form: FormData) -> Response:
    lang = lang_of(request)
    _ = translator(request, lang)
    state = editor_state(request)

    def get(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    cookie_nonce = state.signer.login_nonce(request.cookies.get(LOGIN_COOKIE))
    if not same_token(cookie_nonce, get(CSRF_FIELD)):
        from web.editor.render import refusal

        return refusal(request, lang, "csrf", 403)
    email, next_path = get("email")[:254], get("next")[:500]
    nonce = secrets.token_urlsafe(24)
    device = state.signer.device(request.cookies.get(DEVICE_COOKIE), email)
    try:
        result = state.service.login(email, get("password"), client_address(request), device)
    except RateLimited as exc:
        minutes = max(1, (exc.retry_after + 59) // 60)
        message = _(
            "Too many failed attempts. For your safety, logging in is paused. "
            "Try again in %(minutes)s minutes."
        ) % {"minutes": minutes}
        return _login_page(
            request,
            lang,
            nonce,
            email=email,
            next_path=next_path,
            error=message,
            status=429,
            headers={"retry-after": str(exc.retry_after)},
        )
    except InvalidCredentials:
        return _login_page(
            request,
            lang,
            nonce,
            email=email,
            next_path=next_path,
            error=_("The e-mail address or the password is not right."),
            status=400,
        )
    response = RedirectResponse(_safe_next(next_path, lang), status_code=303)
    set_cookie(
        response,
        request,
        SESSION_COOKIE,
        state.signer.sign_session(result.token),
        state.signer.session_max_age,
    )
    clear_cookie(response, request, LOGIN_COOKIE)
    # This browser is now known for this account: failures elsewhere cannot lock it out.
    mark = state.signer.sign_device(email, device or secrets.token_urlsafe(16))
    set_cookie(response, request, DEVICE_COOKIE, mark, DEVICE_MAX_AGE)
    return response


async def login(request: Request) -> Response:
    lang = lang_of(request)
    if request.method == "POST":
        try:
            form = await read_form(request)
        except FormRefused:
            return refusal(request, lang, "bad_form", 400)
        try:
            return await run_in_threadpool(_login_post, request, form)
        finally:
            await form.close()
    session = await run_in_threadpool(current_session, request)
    if session is not None:
        return RedirectResponse(editor_path("dashboard", lang), status_code=303)
    return _login_page(
        request,
        lang,
        secrets.token_urlsafe(24),
        next_path=request.query_params.get("next", "")[:500],
    )


@editor_view(ANY_ROLE)
def logout(er: EditorRequest) -> Response:
    state = er.editor
    state.service.logout(state.signer.session_token(er.request.cookies.get(SESSION_COOKIE)))
    response = RedirectResponse(editor_path("login", er.lang) + "?done=logged_out", status_code=303)
    clear_cookie(response, er.request, SESSION_COOKIE)
    return response


@editor_view(ANY_ROLE)
def account(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    error: FieldError | None = None
    current_error: FieldError | None = None
    retry_after: int | None = None
    if er.form is not None:
        try:
            er.editor.service.change_own_password(
                er.user_id,
                er.field("current_password"),
                er.field("new_password"),
                client_address(er.request),
            )
        except RateLimited as exc:
            retry_after = exc.retry_after
            minutes = max(1, (exc.retry_after + 59) // 60)
            current_error = FieldError("current_password", "too_many_tries", {"minutes": minutes})
        except InvalidInput as exc:
            errors = exc.by_field()
            current_error = errors.get("current_password")
            error = errors.get("password")
        else:
            # Changing the password ended every session, this one too: log in again.
            response = RedirectResponse(editor_path("login", er.lang), status_code=303)
            clear_cookie(response, er.request, SESSION_COOKIE)
            return response
    ctx = AccountPage(
        page=page(er.request, er.lang, _("Your account"), twins("account")),
        chrome=chrome(er, "account"),
        current=simple_field(_, "current_password", "password", error=current_error, required=True),
        password=simple_field(_, "new_password", "password", error=error, required=True),
        action_url=editor_path("account", er.lang),
    )
    status = 429 if retry_after else 400 if (error or current_error) else 200
    page_response = html(er.request, er.lang, "editor/account.html", ctx, status)
    if retry_after:
        page_response.headers["retry-after"] = str(retry_after)
    return page_response


# -- overview --------------------------------------------------------------------------


def _entity_title(er: EditorRequest, kind: str, entity_id: str) -> tuple[str, str]:
    state = er.editor.queries.entity(kind, entity_id)
    return (state.title, state.title_lang) if state else (entity_id, "en")


@editor_view(ANY_ROLE)
def dashboard(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    work = worklists(er.editor.catalogue.session_factory)
    q = er.editor.queries
    data = q.dashboard(er.user_id)
    links = []
    for link in data.broken_links:
        title, _ = _entity_title(er, link.entity_kind, link.entity_id)
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
    return html(er.request, er.lang, "editor/dashboard.html", ctx)


# -- drafts ------------------------------------------------------------------------------


def _spec(er: EditorRequest, kind: str, name: str) -> FieldSpec | None:
    adapter = er.editor.queries.adapters.get(kind)
    if adapter is None:
        return None
    return next((s for s in adapter.fields if s.name == name), None)


def _change_rows(
    er: EditorRequest, _: Translate, kind: str, changes: Mapping[str, tuple[object, object]]
) -> tuple[ChangeRow, ...]:
    rows = []
    for name, (before, after) in changes.items():
        spec = _spec(er, kind, name)
        lang = spec.lang if spec else None
        rows.append(
            ChangeRow(
                texts.label(_, texts.FIELD_LABELS, name),
                shown(before, lang),
                shown(after, lang),
            )
        )
    return tuple(rows)


def _draft_row(er: EditorRequest, _: Translate, d: DraftView) -> DraftRow:
    return DraftRow(
        id=d.id,
        url=editor_path("drafts", er.lang, d.id),
        kind_label=texts.label(_, texts.KINDS, d.entity_kind),
        title=d.entity_title,
        title_lang=d.title_lang,
        action_label=texts.label(_, texts.ACTIONS, d.action),
        status_label=texts.label(_, texts.STATUSES, d.status),
        author=d.author,
        created_at=d.created_at,
        stale=d.stale,
        mine=d.author_id == er.user_id,
    )


DRAFT_FILTERS = ("pending", "approved", "rejected", "withdrawn")


@editor_view(ANY_ROLE)
def drafts(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    status = er.request.query_params.get("status", "pending")
    if status not in DRAFT_FILTERS:
        status = "pending"
    views = er.editor.queries.drafts(status)
    base = editor_path("drafts", er.lang)
    ctx = DraftListPage(
        page=page(er.request, er.lang, _("Drafts"), twins("drafts")),
        chrome=chrome(er, "drafts"),
        rows=tuple(_draft_row(er, _, d) for d in views),
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
    return html(er.request, er.lang, "editor/drafts.html", ctx)


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
        return _not_found(er)
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
                return _redirect(editor_path("drafts", er.lang, draft_id), done)
            if action == "reject":
                service.reject(draft_id, er.user_id, comment)
                return _redirect(editor_path("drafts", er.lang, draft_id), "rejected")
            if action == "withdraw":
                service.withdraw(draft_id, er.user_id)
                return _redirect(editor_path("drafts", er.lang, draft_id), "withdrawn")
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
                    f"{texts.label(_, texts.FIELD_LABELS, e.field)}: {texts.error_text(_, e)}"
                    for e in exc.errors
                )
            status = 400
        except NotFound:
            return _not_found(er)
    view = er.editor.queries.draft(draft_id)
    if view is None:
        return _not_found(er)
    row = _draft_row(er, _, view)
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
        changes=_change_rows(
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
    return html(er.request, er.lang, "editor/draft.html", ctx, status)


def _redirect(url: str, done: str) -> Response:
    return RedirectResponse(url + "?" + urlencode({"done": done}), status_code=303)


def _not_found(er: EditorRequest) -> Response:
    from web.views import not_found

    return not_found(er.request, NotFound())


# -- the catalogue -------------------------------------------------------------------------


@editor_view(ANY_ROLE)
def catalogue(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    q = er.editor.queries
    kinds = list(q.adapters)
    kind = er.request.query_params.get("kind", kinds[0])
    if kind not in q.adapters:
        kind = kinds[0]
    # No control characters: PostgreSQL cannot compare text holding a NUL.
    text = re.sub(r"[\x00-\x1f\x7f]", " ", er.request.query_params.get("q", "")[:200])
    items = q.find(kind, text)
    base = editor_path("catalogue", er.lang)
    adapter = q.adapters[kind]
    ctx = CataloguePage(
        page=page(er.request, er.lang, _("Catalogue"), twins("catalogue")),
        chrome=chrome(er, "catalogue"),
        kinds=tuple(
            NavLink(
                texts.label(_, texts.KINDS, k),
                base + "?" + urlencode({"kind": k}),
                current=k == kind,
            )
            for k in kinds
        ),
        kind=kind,
        kind_label=texts.label(_, texts.KINDS, kind),
        query=text,
        rows=tuple(
            CatalogueRow(
                title=i.title,
                title_lang=i.title_lang,
                entity_id=i.entity_id,
                edit_url=entity_editor_path("edit", kind, i.entity_id, er.lang),
                history_url=entity_editor_path("history", kind, i.entity_id, er.lang),
                public_url=_public_url(er, kind, i.entity_id),
            )
            for i in items
        ),
        new_url=editor_path("new", er.lang, kind_segment(kind, er.lang))
        if adapter.can_create
        else None,
    )
    return html(er.request, er.lang, "editor/catalogue.html", ctx)


# -- editing ----------------------------------------------------------------------------------

ENTITY_PATH_ERROR = "bad entity"


def _kind_and_id(er: EditorRequest) -> tuple[str, str]:
    kind = kind_of_segment(str(er.request.path_params.get("kind", "")))
    entity_id = str(er.request.path_params.get("entity_id", ""))[:100]
    if kind is None or kind not in er.editor.queries.adapters:
        raise NotFound(ENTITY_PATH_ERROR)
    return kind, entity_id


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


def _public_url(er: EditorRequest, kind: str, entity_id: str) -> str | None:
    return permalinks(er.request).path(kind, entity_id, er.lang) if kind in SEGMENTS else None


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
        rows = _change_rows(
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
        public_url=None if state is None else _public_url(er, kind, state.entity_id),
        retire_url=paths[er.lang] if (adapter.can_retire and state and not state.retired) else None,
        pending=pending,
        last_checked=last,
        check_url=None
        if state is None
        else entity_editor_path("history", kind, state.entity_id, er.lang),
    )
    return html(er.request, er.lang, "editor/edit.html", ctx, status)


@editor_view(ANY_ROLE)
def edit(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    service = er.editor.service
    try:
        kind, entity_id = _kind_and_id(er)
        form = service.entity_form(kind, entity_id)
    except NotFound:
        return _not_found(er)
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
    return _redirect(editor_path("drafts", er.lang, draft_id), "saved")


@editor_view(ANY_ROLE)
def new(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    kind = kind_of_segment(str(er.request.path_params.get("kind", "")))
    adapters = er.editor.queries.adapters
    if kind is None or kind not in adapters or not adapters[kind].can_create:
        return _not_found(er)
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
    return _redirect(editor_path("drafts", er.lang, draft_id), "saved")


# -- history, revert, checked --------------------------------------------------------------


def _override_row(er: EditorRequest, _: Translate, o: OverrideView) -> OverrideRow:
    spec = _spec(er, o.entity_kind, o.field)
    lang = spec.lang if spec else None
    title, _title_lang = _entity_title(er, o.entity_kind, o.entity_id)
    return OverrideRow(
        id=o.id,
        kind_label=texts.label(_, texts.KINDS, o.entity_kind),
        title=title,
        entity_url=entity_editor_path("history", o.entity_kind, o.entity_id, er.lang),
        field_label=texts.label(_, texts.FIELD_LABELS, o.field),
        value=shown(o.value, lang),
        source_value=shown(o.source_value, lang),
        last_source_value=shown(o.last_source_value, lang),
        disagrees=o.disagrees,
        reason=o.reason,
        created_by=o.created_by,
        created_at=o.created_at,
        last_import_at=o.last_import_at,
    )


@editor_view(ANY_ROLE)
def history(er: EditorRequest) -> Response:
    _ = translator(er.request, er.lang)
    try:
        kind, entity_id = _kind_and_id(er)
    except NotFound:
        return _not_found(er)
    q = er.editor.queries
    error: str | None = None
    status = 200
    if er.form is not None:
        action = er.field("action")
        try:
            if action == "check":
                er.editor.service.mark_checked(er.user_id, kind, entity_id)
                return _redirect(entity_editor_path("history", kind, entity_id, er.lang), "checked")
            if action == "revert":
                found = ascii_int(er.field("revision"))
                revision = -1 if found is None else found
                draft_id = er.editor.service.revert(
                    er.user_id, kind, entity_id, revision, er.field("reason")
                )
                return _redirect(editor_path("drafts", er.lang, draft_id), "saved")
            error, status = _("Choose what to do."), 400
        except InvalidInput as exc:
            error = "; ".join(texts.error_text(_, e) for e in exc.errors)
            status = 400
        except NotFound:
            return _not_found(er)
    view = q.history(kind, entity_id)
    if view is None:
        return _not_found(er)
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
            changes=_change_rows(
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
        overrides=tuple(_override_row(er, _, o) for o in view.overrides),
        pending=tuple(_draft_row(er, _, d) for d in view.pending),
        last_checked=view.last_checked,
        edit_url=entity_editor_path("edit", kind, state.entity_id, er.lang),
        revert_url=entity_editor_path("history", kind, state.entity_id, er.lang),
        check_url=entity_editor_path("history", kind, state.entity_id, er.lang),
        public_url=_public_url(er, kind, state.entity_id),
        error=error,
        reason=er.field("reason"),
        can_revert_to_start=bool(view.revisions),
    )
    return html(er.request, er.lang, "editor/history.html", ctx, status)


# -- overrides ------------------------------------------------------------------------------


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
                return _redirect(editor_path("overrides", er.lang), "kept")
            if er.field("action") == "drop":
                draft_id = er.editor.service.propose_drop_override(
                    override_id, er.user_id, er.field("reason")
                )
                return _redirect(editor_path("drafts", er.lang, draft_id), "saved")
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
            _override_row(er, _, o) for o in sorted(rows, key=lambda o: (not o.disagrees, o.id))
        ),
        action_url=editor_path("overrides", er.lang),
        error=error,
    )
    return html(er.request, er.lang, "editor/overrides.html", ctx, status)
