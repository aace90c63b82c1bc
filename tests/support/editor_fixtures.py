"""Fixtures for the editor area: a small real catalogue, accounts, a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.services import CatalogueService
from directory.editorial.queries.editor_area import EditorialQueries
from directory.editorial.services import EditorialService
from tests.support.editor import (
    FAST_HASHER,
    PASSWORD,
    Clock,
    Published,
    Site,
    Team,
    World,
    copy_sqlite,
    make_site,
    make_world,
    nomenclature,
)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def small_catalogue(service: CatalogueService) -> CatalogueService:
    """Three real conditions, loaded through the catalogue service."""
    service.apply_nomenclature(nomenclature())
    return service


@pytest.fixture
def published() -> Published:
    return Published()


@pytest.fixture
def editorial(
    sessions: sessionmaker[Session],
    small_catalogue: CatalogueService,
    clock: Clock,
    published: Published,
) -> EditorialService:
    return EditorialService(
        sessions, small_catalogue, hasher=FAST_HASHER, clock=clock, on_published=published
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


@pytest.fixture
def site(loaded, tmp_path: Path) -> Iterator[Site]:
    """The app on a private copy of the full catalogue; the search index is shared."""
    s = make_site(loaded, tmp_path)
    with s.client:
        yield s


@pytest.fixture
def site_with_own_index(loaded, tmp_path: Path) -> Iterator[Site]:
    """Like ``site``, with a private index that approvals really rebuild."""
    from search.engines.embedded import EmbeddedEngine

    index = tmp_path / "index.sqlite3"
    copy_sqlite(loaded.engine.path, index)
    s = make_site(loaded, tmp_path, search=EmbeddedEngine(index))
    with s.client:
        yield s
    s.state.reindex.wait(120)


@pytest.fixture
def world(loaded, tmp_path: Path) -> Iterator[World]:
    """Editors and the expertise service on a private copy of the full catalogue."""
    yield from make_world(loaded, tmp_path)
