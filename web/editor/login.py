"""Editor screens: log in, log out, and the editor's own account."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from directory.editorial.errors import InvalidCredentials, InvalidInput, RateLimited
from directory.editorial.fields import FieldError
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
from web.editor.contexts import AccountPage, LoginPage
from web.editor.paths import editor_path, is_editor_path, twins
from web.editor.render import chrome, html, page, refusal, simple_field, translator
from web.editor.request import EditorRequest
from web.editor.signing import DEVICE_MAX_AGE
from web.forms import FormRefused, read_form


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
    response = html(request, lang, ctx, status=status)
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
    page_response = html(er.request, er.lang, ctx, status)
    if retry_after:
        page_response.headers["retry-after"] = str(retry_after)
    return page_response
