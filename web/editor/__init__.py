"""The editor area (/nl/redactie/..., /en/editor/...) and the public "report an error" form.

:func:`editor_routes` lists the routes; :func:`install` builds the editor state
(editorial service, queries, cookie signer, rate limiters, search reindex) and
attaches it to the application as ``app.state.editor``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.routing import Route

from directory.paths import page_path
from directory.queries import CatalogueQueries
from expertisewijzer.settings import Settings
from search.engine import SearchEngine
from web.editor import admin, imports, report, views
from web.editor.paths import PAGES, root
from web.editor.state import EditorState, build_editor_state
from web.i18n import LANGS

BOTH = ["GET", "POST"]


def editor_routes() -> list[Route]:
    routes: list[Route] = []
    for lang in LANGS:
        base = root(lang)

        def at(page: str, suffix: str = "", _base: str = base, _lang: str = lang) -> str:
            return f"{_base}/{PAGES[page][_lang]}{suffix}"

        routes += [
            Route(base, views.dashboard),
            Route(base + "/", views.dashboard),
            Route(at("login"), views.login, methods=BOTH),
            Route(at("logout"), views.logout, methods=["POST"]),
            Route(at("account"), views.account, methods=BOTH),
            Route(at("drafts"), views.drafts),
            Route(at("drafts", "/{draft_id}"), views.draft, methods=BOTH),
            Route(at("catalogue"), views.catalogue),
            Route(at("edit", "/{kind}/{entity_id}"), views.edit, methods=BOTH),
            Route(at("new", "/{kind}"), views.new, methods=BOTH),
            Route(at("history", "/{kind}/{entity_id}"), views.history, methods=BOTH),
            Route(at("overrides"), views.overrides, methods=BOTH),
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
