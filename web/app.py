"""The Starlette application: wiring of settings, catalogue, search and pages."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from anyio import to_thread
from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from config.settings import Settings
from directory.catalogue_version import VersionAnnouncements, current_version
from directory.conditions.queries import CatalogueQueries
from directory.db import make_engine, make_session_factory
from directory.editorial.review import ReviewQueries
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.slugs import PermalinkQueries
from directory.paths import SEGMENTS, page_path
from search.engine import SearchEngine
from search.factory import make_search_engine
from search.reindex import Reindexer
from web import api
from web.body_limit import BodyLimitMiddleware
from web.catalogue_watch import CatalogueWatch
from web.editor.paths import is_editor_path
from web.editor.routes import body_limits, editor_routes, too_large
from web.editor.routes import install as install_editor
from web.i18n import LANGS, load_translations, make_environments
from web.middleware import PublicGZipMiddleware, SecurityHeadersMiddleware
from web.page_cache import PageCacheMiddleware, PageCachePolicy
from web.path_guard import PathGuardMiddleware
from web.readiness import ReadinessCheck, readiness
from web.slash_redirect import relative_slash_redirects
from web.state import AppState
from web.views import (
    browse,
    condition,
    errors,
    gaps,
    home,
    hospitals,
    info,
    listings,
    networks,
    panels,
    professionals,
    root,
    search,
    site,
    sources,
    working_groups,
)

REPORT_PATHS = frozenset(page_path("report", lang) for lang in LANGS)


def is_public_page(path: str) -> bool:
    """A page of the public site (``/nl/...``, ``/en/...``) that may be cached: not the
    editor area, not the report form (it says ``no-store`` itself too)."""
    return (
        path[1:3] in LANGS
        and path[3:4] == "/"
        and not is_editor_path(path)
        and path not in REPORT_PATHS
    )


def build_routes() -> list[Route | Mount]:
    routes: list[Route | Mount] = [
        Route("/", root.root),
        Route("/healthz", root.health),
        Route("/readyz", readiness),
        Route("/api/search", api.api_search),
        Route("/robots.txt", site.robots),
        Route("/sitemap.xml", site.sitemap),
        Route(site.OPEN_DATA_CSV, site.open_data_csv),
        Route(site.OPEN_DATA_JSON, site.open_data_json),
        Route(site.OPEN_DATA_EXPERTISE_CSV, site.open_data_expertise_csv),
    ]
    routes += editor_routes()  # the editor area and the public "report an error" form
    for lang in LANGS:
        seg = {page: by_lang[lang] for page, by_lang in SEGMENTS.items()}
        routes += [
            Route(f"/{lang}", root.lang_root),
            Route(f"/{lang}/", home.home, name=f"home_{lang}"),
            Route(f"/{lang}/{seg['search']}", search.search_page),
            Route(f"/{lang}/{seg['about']}", info.about_recognitions),
            Route(f"/{lang}/{seg['gaps']}", gaps.gaps),
            Route(f"/{lang}/{seg['professionals']}", professionals.professionals),
            Route(f"/{lang}/{seg['panels']}", listings.panels),
            Route(f"/{lang}/{seg['working_groups']}", listings.working_groups),
            Route(f"/{lang}/{seg['networks']}", listings.networks),
            Route(f"/{lang}/{seg['institutions']}", listings.institutions),
            Route(f"/{lang}/{seg['accessibility']}", info.accessibility),
            Route(f"/{lang}/{seg['domain']}", browse.domain_index),
            Route(f"/{lang}/{seg['domain']}/{{slug}}", browse.domain_page),
            Route(f"/{lang}/{seg['body_area']}", browse.body_area_index),
            Route(f"/{lang}/{seg['body_area']}/{{slug}}", browse.body_area_page),
            Route(f"/{lang}/{seg['condition']}/{{code}}", condition.condition_page),
            Route(f"/{lang}/{seg['institution']}/{{slug}}", hospitals.institution_page),
            Route(f"/{lang}/{seg['panel']}/{{slug}}", panels.panel_page),
            Route(f"/{lang}/{seg['panel']}/{{slug}}/tekst", panels.panel_text),
            Route(f"/{lang}/{seg['working_group']}/{{slug}}", working_groups.working_group_page),
            Route(f"/{lang}/{seg['network']}/{{slug}}", networks.network_page),
            Route(f"/{lang}/{seg['sources']}", sources.sources_page),
        ]
    return routes


async def _keep_index_current(reindex: Reindexer, every: float) -> None:
    """Check every ``every`` seconds that the index is as new as the catalogue."""
    while True:
        await asyncio.sleep(every)
        await to_thread.run_sync(reindex.check)


def _lifespan(
    threads: int, index_check: float | None
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """``index_check``: seconds between index checks, the first at start-up (None: none)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Views are synchronous and run in anyio's thread pool. Most of their work is
        # CPU-bound Python (search, rendering) that holds the GIL, so many threads only
        # share one core in slices and every answer comes late. A few threads answer
        # the requests nearly in turn: the same throughput with a much shorter tail.
        to_thread.current_default_thread_limiter().total_tokens = threads
        await to_thread.run_sync(app.state.exw.search.warm)
        # The app and the warmed search index are some 270,000 long-lived objects. A
        # full garbage collection walks them all (about 90 ms, every request waiting);
        # frozen, they are left out of every collection. They live as long as the app.
        gc.collect()
        gc.freeze()
        watch: CatalogueWatch = app.state.exw.watch
        await to_thread.run_sync(watch.start)
        checker = None
        if index_check is not None:
            # A rebuild lost to a crash is made up for here (search/reindex.py): the first
            # check before serving (a rebuild it asks for runs in the background).
            reindex = app.state.editor.reindex
            await to_thread.run_sync(reindex.check)
            checker = asyncio.create_task(_keep_index_current(reindex, index_check))
        try:
            yield
        finally:
            if checker is not None:
                checker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await checker
            await to_thread.run_sync(watch.stop)

    return lifespan


def create_app(
    settings: Settings, search: SearchEngine | None = None, *, index_check: bool | None = None
) -> Starlette:
    """The site. ``index_check``: keep the search index at the catalogue's version (at
    start-up and every ``EXW_INDEX_CHECK_SECONDS``, unless that is 0); by default only
    for an engine the app makes itself, since a caller that passes one keeps it."""
    root: Path = settings.project_root
    if index_check is None:
        index_check = search is None
    db_engine = make_engine(settings.database_url)
    sessions = make_session_factory(db_engine)
    search = search or make_search_engine(settings)
    watch = CatalogueWatch(
        lambda: current_version(sessions),
        search.catalogue_version,
        poll_seconds=settings.catalogue_poll_seconds,
        announcements=(
            VersionAnnouncements(settings.database_url)
            if VersionAnnouncements.supported(settings.database_url)
            else None
        ),
    )
    state = AppState(
        settings=settings,
        db_engine=db_engine,
        queries=CatalogueQueries(sessions),
        expertise=ExpertiseQueries(sessions, watch.catalogue_version),
        search=search,
        envs=make_environments(root / "templates", root / "locales"),
        translations={lang: load_translations(root / "locales", lang) for lang in LANGS},
        reviews=ReviewQueries(sessions),
        watch=watch,
        permalinks=PermalinkQueries(sessions, watch.catalogue_version),
    )
    app = Starlette(
        debug=settings.debug,
        routes=[
            *build_routes(),
            Mount("/static", StaticFiles(directory=str(root / "static")), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            Middleware(PathGuardMiddleware),
            Middleware(
                BodyLimitMiddleware,
                limit_for=body_limits(int(settings.upload_max_mb * 1024 * 1024)),
                too_large=too_large,
            ),
            # Public pages are kept per catalogue version (web/page_cache.py), in front of
            # the compression: a kept page is compressed once, not at every request.
            Middleware(
                PageCacheMiddleware,
                policy=PageCachePolicy(
                    entries=settings.page_cache_entries,
                    max_bytes=int(settings.page_cache_mb * 1024 * 1024),
                    shared_max_age=settings.page_cache_seconds,
                ),
                # and per day: pages say "late" from a date on, referral texts give the day
                versions=lambda: (watch.versions, dt.date.today()),
                cacheable=is_public_page,
            ),
            # Pages are mostly text: compressed they cost a quarter of the bytes. Level 5
            # compresses within 2 % of level 9 for two thirds of the CPU (results page).
            # Not the editor area: its pages hold a CSRF token (BREACH).
            Middleware(
                PublicGZipMiddleware,
                uncompressed=is_editor_path,
                minimum_size=1000,
                compresslevel=5,
            ),
        ],
        exception_handlers={
            404: errors.not_found,
            500: errors.server_error,
            OperationalError: errors.database_unavailable,
        },
        lifespan=_lifespan(
            settings.threads,
            settings.index_check_seconds if index_check and settings.index_check_seconds else None,
        ),
    )
    relative_slash_redirects(app.router)
    app.state.exw = state
    editor = install_editor(app, settings, sessions, state.search, state.queries)
    # The editor state is read at each check: tests put another reindexer in its place.
    app.state.readiness = ReadinessCheck(
        db_engine, state.search, lambda: app.state.editor.reindex, settings.project_root
    )
    # A publish on this node (the reindexer is asked first) and each finished rebuild
    # are read at once; one elsewhere when it is announced or at the next look.
    editor.reindex.add_listener(watch.refresh)
    if index_check and settings.index_check_seconds:
        watch.on_change = editor.reindex.check
    return app
