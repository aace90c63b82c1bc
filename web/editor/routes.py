"""The editor area's routes (/nl/redactie/..., /en/editor/...) and the public "report an
error" form.

:func:`editor_routes` lists the routes; :func:`body_limits` says how large a request
body each of them accepts; :func:`install` builds the editor state (editorial
service, queries, cookie signer, rate limiters, search reindex) and attaches it to
the application as ``app.state.editor``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from config.settings import Settings
from directory.conditions.queries import CatalogueQueries
from directory.paths import page_path
from search.engine import SearchEngine
from web.editor import (
    admin,
    catalogue,
    dashboard,
    drafts,
    edit,
    history,
    imports,
    login,
    overrides,
    proposals,
    report,
)
from web.editor.auth import lang_of
from web.editor.paths import PAGES, editor_path, is_editor_path, root
from web.editor.state import EditorState, build_editor_state
from web.i18n import LANGS

BOTH = ["GET", "POST"]
# Largest request bodies, in bytes. The login and report forms hold a few short
# fields; other editor forms up to a long panel description; elsewhere nothing is
# posted at all. An upload may be EXW_UPLOAD_MAX_MB plus the form around the file.
SMALL_FORM_BYTES = 64 * 1024
EDITOR_FORM_BYTES = 2 * 1024 * 1024
UPLOAD_FORM_EXTRA_BYTES = 1024 * 1024
ELSEWHERE_BYTES = 64 * 1024


def editor_routes() -> list[Route]:
    routes: list[Route] = []
    for lang in LANGS:
        base = root(lang)

        def at(page: str, suffix: str = "", _base: str = base, _lang: str = lang) -> str:
            return f"{_base}/{PAGES[page][_lang]}{suffix}"

        routes += [
            Route(base, dashboard.dashboard),
            Route(base + "/", dashboard.dashboard),
            Route(at("login"), login.login, methods=BOTH),
            Route(at("logout"), login.logout, methods=["POST"]),
            Route(at("account"), login.account, methods=BOTH),
            Route(at("drafts"), drafts.drafts),
            Route(at("drafts", "/{draft_id}"), drafts.draft, methods=BOTH),
            Route(at("catalogue"), catalogue.catalogue),
            Route(at("edit", "/{kind}/{entity_id}"), edit.edit, methods=BOTH),
            Route(at("new", "/{kind}"), edit.new, methods=BOTH),
            Route(at("history", "/{kind}/{entity_id}"), history.history, methods=BOTH),
            Route(at("overrides"), overrides.overrides, methods=BOTH),
            Route(at("proposals"), proposals.proposals, methods=BOTH),
            Route(at("upload"), imports.upload, methods=BOTH),
            Route(at("imports"), imports.imports),
            Route(at("imports", "/{run_id}"), imports.import_run),
            Route(at("feedback"), admin.feedback, methods=BOTH),
            Route(at("users"), admin.users, methods=BOTH),
            Route(at("users", "/{user_id}"), admin.user, methods=BOTH),
            Route(page_path("report", lang), report.report_error, methods=BOTH),
        ]
    return routes


def install(
    app: Starlette,
    settings: Settings,
    sessions: sessionmaker[Session],
    search: SearchEngine,
    queries: CatalogueQueries,
) -> EditorState:
    state = build_editor_state(settings, sessions, search, queries)
    app.state.editor = state
    return state


def body_limits(upload_max_bytes: int) -> Callable[[str], int]:
    """The largest request body each path accepts (:mod:`web.body_limit`)."""
    uploads = {editor_path("upload", lang) for lang in LANGS}
    small = {editor_path("login", lang) for lang in LANGS}
    small |= {page_path("report", lang) for lang in LANGS}

    def limit_for(path: str) -> int:
        if path in uploads:
            return upload_max_bytes + UPLOAD_FORM_EXTRA_BYTES
        if path in small:
            return SMALL_FORM_BYTES
        if is_editor_path(path):
            return EDITOR_FORM_BYTES
        return ELSEWHERE_BYTES

    return limit_for


async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
    """The 413 answer to a body past its limit: the editor area's refusal page."""
    from web.editor.render import refusal

    request = Request(scope, receive)
    response = refusal(request, lang_of(request), "too_large", 413)
    await response(scope, receive, send)
