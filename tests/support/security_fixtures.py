"""The site with the editor area on SQLite and on PostgreSQL, for the security review's tests.

The review (``shared/docs/SECURITY-REVIEW-2026-12.md``) found its High and Medium
defects against both databases; their tests run on both. PostgreSQL gets ONE
template database per session with every bundled source imported, and each test
a copy of it (``CREATE DATABASE ... TEMPLATE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import pg_copy
from tests.support.editor import Site, make_site


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    """Which database the site below runs on."""
    return str(request.param)


def site_on(database: str, request: pytest.FixtureRequest, tmp_path: Path, **kw) -> Site:
    loaded = request.getfixturevalue("loaded")
    if database == "postgres":
        url = pg_copy(
            request.getfixturevalue("pg_server"), request.getfixturevalue("pg_full_template")
        )
        return make_site(loaded, tmp_path, database_url=url, **kw)
    return make_site(loaded, tmp_path, **kw)


@pytest.fixture
def any_site(database: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """The site on a private copy of the full catalogue, on SQLite and on PostgreSQL."""
    s = site_on(database, request, tmp_path)
    with s.client:
        yield s
    close_site(s)


def close_site(s: Site) -> None:
    """Close the database connections (PostgreSQL's would outlive the test)."""
    s.app.state.exw.db_engine.dispose()
    s.sessions.kw["bind"].dispose()
