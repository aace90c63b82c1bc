"""Who is asking: signed session cookies, CSRF tokens, roles, rate limits.

The session cookie holds a random session id signed with ``EXW_SECRET_KEY``
(itsdangerous); the server keeps only a hash of the id, with an absolute and an
idle expiry, so logging out or disabling an account ends the session at once.
The cookie is HttpOnly, SameSite=Lax, and Secure when the request came over
HTTPS. Every state-changing form carries the session's synchronizer token; a
POST without the right one is refused before the view runs. The login form,
used before there is a session, carries a token tied to a signed cookie.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from directory.accounts.sessions import SessionInfo
from web.editor.paths import editor_path
from web.editor.request import EditorRequest, Handler
from web.forms import FormRefused, read_form
from web.i18n import LANGS

if TYPE_CHECKING:
    from web.editor.state import EditorState

log = logging.getLogger(__name__)

SESSION_COOKIE = "exw_session"
LOGIN_COOKIE = "exw_login"
DEVICE_COOKIE = "exw_device"  # "this browser logged in to this account before"
CSRF_FIELD = "csrf_token"
ANY_ROLE = ("editor", "reviewer", "admin")
REVIEWERS = ("reviewer", "admin")
ADMINS = ("admin",)


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(
        name, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )


def client_address(request: Request) -> str:
    """The client's address as the server sees it (uvicorn applies trusted proxy headers)."""
    return request.client.host if request.client else "unknown"


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest((a or "").encode(), (b or "").encode())


def lang_of(request: Request) -> str:
    first = request.url.path.split("/")[1]
    return first if first in LANGS else "nl"


def editor_state(request: Request) -> EditorState:
    state: EditorState = request.app.state.editor
    return state


def current_session(request: Request) -> SessionInfo | None:
    state = editor_state(request)
    token = state.signer.session_token(request.cookies.get(SESSION_COOKIE))
    return state.service.session(token) if token else None


def _refuse(request: Request, lang: str, code: str, status: int) -> Response:
    from web.editor.render import refusal  # render imports this module's types

    return refusal(request, lang, code, status)


def _not_let_in(
    request: Request, lang: str, session: SessionInfo | None, roles: tuple[str, ...]
) -> Response | None:
    """The answer for a request without a session or the role, or None to go on."""
    if session is None:
        if request.method == "GET":
            login = editor_path("login", lang) + "?" + urlencode({"next": request.url.path})
            return RedirectResponse(login, status_code=303)
        return _refuse(request, lang, "login_needed", 403)
    if session.user.role not in roles:
        return _refuse(request, lang, f"needs_{roles[0]}", 403)
    return None


def _no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response


def editor_view(
    roles: tuple[str, ...] = ANY_ROLE, *, upload: bool = False
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a synchronous editor view: login, role and CSRF checks, then run it in a thread.

    The session and the role are checked before the body is read, so a request
    without them costs no more than its headers (the body's size is limited as it
    arrives, :mod:`web.body_limit`). Then the form is read (asynchronously) and its
    CSRF token checked; the view itself, which talks to the database, runs in
    Starlette's thread pool.
    """

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            lang = lang_of(request)
            session = await run_in_threadpool(current_session, request)
            refused = await run_in_threadpool(_not_let_in, request, lang, session, roles)
            if refused is not None or session is None:
                return _no_store(refused or _refuse(request, lang, "login_needed", 403))
            form = None
            if request.method == "POST":
                try:
                    form = await read_form(request, files=1 if upload else 0)
                except FormRefused:
                    return _no_store(_refuse(request, lang, "bad_form", 400))
                submitted = form.get(CSRF_FIELD)
                if not session.csrf_ok(submitted if isinstance(submitted, str) else None):
                    await form.close()
                    return _no_store(_refuse(request, lang, "csrf", 403))
            try:
                er = EditorRequest(request, lang, session, form, editor_state(request))
                response = await run_in_threadpool(handler, er)
            finally:
                if form is not None:
                    await form.close()
            return _no_store(response)

        endpoint.__name__ = handler.__name__
        return endpoint

    return wrap
