"""Fixtures for the editor area: a small real catalogue, accounts, a controllable clock."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from editor_support import (
    FAST_HASHER,
    PASSWORD,
    Clock,
    Published,
    Team,
    copy_sqlite,
    nomenclature,
)
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.db import make_engine, make_session_factory
from directory.editorial_queries import EditorialQueries
from directory.editorial_service import EditorialService
from directory.services import CatalogueService
from expertisewijzer.settings import Settings
from web.editor.state import EditorState, Reindexer


class CountingReindexer(Reindexer):
    """Counts rebuild requests instead of rebuilding the shared, read-only index."""

    calls = 0

    def request(self) -> None:
        self.calls += 1


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def catalogue(service: CatalogueService) -> CatalogueService:
    """Three real conditions, loaded through the catalogue service."""
    service.apply_nomenclature(nomenclature())
    return service


@pytest.fixture
def published() -> Published:
    return Published()


@pytest.fixture
def editorial(
    sessions: sessionmaker[Session],
    catalogue: CatalogueService,
    clock: Clock,
    published: Published,
) -> EditorialService:
    return EditorialService(
        sessions, catalogue, hasher=FAST_HASHER, clock=clock, on_published=published
    )


@pytest.fixture
def equeries(sessions: sessionmaker[Session], editorial: EditorialService, clock: Clock):
    return EditorialQueries(sessions, editorial.adapters, clock=clock)


@pytest.fixture
def team(editorial: EditorialService) -> Team:
    return Team(
        editor=editorial.add_user("eddie@example.org", "Eddie Editor", "editor", PASSWORD),
        reviewer=editorial.add_user("rita@example.org", "Rita Reviewer", "reviewer", PASSWORD),
        admin=editorial.add_user("ada@example.org", "Ada Admin", "admin", PASSWORD),
        other_editor=editorial.add_user("otto@example.org", "Otto Editor", "editor", PASSWORD),
    )


# -- the web site with the editor area, on a private copy of the full catalogue ----------


@dataclass
class Site:
    client: TestClient
    app: Starlette
    state: EditorState
    team: Team
    sessions: sessionmaker[Session]
    published: Published
    settings: Settings


def _site(loaded, tmp_path: Path, *, base_url: str = "http://testserver", search=None) -> Site:
    from web.app import create_app

    db = tmp_path / "catalogue.sqlite3"
    copy_sqlite(Path(loaded.settings.database_url.removeprefix("sqlite:///")), db)
    settings = Settings.from_env(
        {
            "EXW_DATABASE_URL": f"sqlite:///{db}",
            "EXW_SEARCH_INDEX_PATH": str(search.path if search else loaded.engine.path),
            "EXW_VAR_DIR": str(tmp_path),
            "EXW_BASE_URL": base_url,
            "EXW_SECRET_KEY": "test-secret-" + "x" * 40,
        }
    )
    app = create_app(settings, search=search or loaded.engine)
    state: EditorState = app.state.editor
    sessions = make_session_factory(make_engine(settings.database_url))
    published = Published()
    # A cheap (still argon2id) hasher; approvals count instead of rebuilding the shared,
    # read-only index (the publishing test below uses its own index and the real rebuild).
    service = EditorialService(
        sessions,
        state.catalogue,
        hasher=FAST_HASHER,
        on_published=state.reindex if search is not None else published,
        owners=state.owners,
        sessions=state.service.session_policy,
    )
    reindex = state.reindex
    if search is None:
        reindex = CountingReindexer(loaded.engine, loaded.queries)
    state = dataclasses.replace(state, service=service, reindex=reindex)
    app.state.editor = state
    team = Team(
        editor=service.add_user("eddie@example.org", "Eddie Editor", "editor", PASSWORD),
        reviewer=service.add_user("rita@example.org", "Rita Reviewer", "reviewer", PASSWORD),
        admin=service.add_user("ada@example.org", "Ada Admin", "admin", PASSWORD),
        other_editor=service.add_user("otto@example.org", "Otto Editor", "editor", PASSWORD),
    )
    client = TestClient(app, base_url=base_url, follow_redirects=False)
    return Site(client, app, state, team, sessions, published, settings)


@pytest.fixture
def site(loaded, tmp_path: Path) -> Iterator[Site]:
    """The app on a private copy of the full catalogue; the search index is shared."""
    s = _site(loaded, tmp_path)
    with s.client:
        yield s


@pytest.fixture
def site_with_own_index(loaded, tmp_path: Path) -> Iterator[Site]:
    """Like ``site``, with a private index that approvals really rebuild."""
    from search.engines.embedded import EmbeddedEngine

    index = tmp_path / "index.sqlite3"
    copy_sqlite(loaded.engine.path, index)
    s = _site(loaded, tmp_path, search=EmbeddedEngine(index))
    with s.client:
        yield s
    s.state.reindex.wait(120)
