"""The site with the editor area on SQLite and on PostgreSQL, for the security review's tests.

The review (``shared/docs/SECURITY-REVIEW-2026-12.md``) found its High and Medium
defects against both databases; their tests run on both. PostgreSQL gets ONE
template database per session with every bundled source imported, and each test
a copy of it (``CREATE DATABASE ... TEMPLATE``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from directory.db import make_engine, make_session_factory
from directory.services import CatalogueService
from importers.registry import SOURCES, run_import
from tests.conftest import DATA_DIR, migrate
from tests.editor.editor_support import Site, make_site


@pytest.fixture(scope="session")
def pg_full_template(pg_server: str) -> str:
    """A PostgreSQL database with every bundled source imported; copy it, never change it."""
    name = f"full_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = pg_server.format(db=name)
    migrate(url)
    engine = make_engine(url)
    service = CatalogueService(make_session_factory(engine))
    for source in SOURCES:
        run_import(service, source, data_dir=DATA_DIR)
    engine.dispose()
    return name


def pg_copy(pg_server: str, template: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return pg_server.format(db=name)


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
