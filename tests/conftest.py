"""Shared fixtures: databases (SQLite and a real PostgreSQL 15), loaded catalogue, app."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from config.settings import PROJECT_ROOT, Settings
from directory.catalogue_version import current_version
from directory.conditions.queries import CatalogueQueries
from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.paths import Permalinks
from importers.registry import SOURCES, run_import
from search.documents import all_documents
from search.engines.embedded import EmbeddedEngine
from tests.support.databases import (
    create_pg_database,
    free_port,
    migrate,
    new_pg_database,
    pg_bindir,
    pg_copy,
)

DATA_DIR = PROJECT_ROOT / "data"
TEST_DATA = PROJECT_ROOT / "tests" / "data"

# Fixtures of the editor area, the seeded expertise catalogue and the security review's
# sites, for every folder of tests that needs them.
pytest_plugins = [
    "tests.support.editor_fixtures",
    "tests.support.expertise_fixtures",
    "tests.support.security_fixtures",
]


# -- PostgreSQL ----------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throw-away PostgreSQL cluster in a temporary directory; yields a base URL."""
    bindir = pg_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries (initdb) not found; CI must install them")
        pytest.skip("PostgreSQL server binaries not installed")
    workdir = Path(tempfile.mkdtemp(prefix="exw-pg-"))
    datadir, sockdir = workdir / "data", workdir / "sock"
    sockdir.mkdir()
    as_root = os.geteuid() == 0
    prefix: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(workdir, "postgres")
        shutil.chown(sockdir, "postgres")
    port = free_port()
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-A",
            "trust",
            "-U",
            "exw",
            "-E",
            "UTF8",
            "--no-locale",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-w",
            "-l",
            str(workdir / "log"),
            "-o",
            f"-k {sockdir} -p {port} -c listen_addresses='' -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://exw@/{{db}}?host={sockdir}&port={port}"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_full_template(pg_server: str) -> str:
    """A PostgreSQL database with every bundled source imported; copy it, never change it."""
    name = f"full_{uuid.uuid4().hex[:10]}"
    url = create_pg_database(pg_server, name)
    migrate(url)
    engine = make_engine(url)
    service = CatalogueService(make_session_factory(engine), EDITOR_CORRECTIONS)
    for source in SOURCES:
        run_import(service, source, data_dir=DATA_DIR)
    engine.dispose()
    return name


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite catalogue migrated to heads once per session; copy it, never change it."""
    path = tmp_path_factory.mktemp("migrated-template") / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_pg_template(pg_server: str) -> str:
    """An empty PostgreSQL catalogue migrated to heads once per session; copy it, never change."""
    url = new_pg_database(pg_server)
    migrate(url)
    name = make_url(url).database
    assert name is not None
    return name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated, empty catalogue database: SQLite and PostgreSQL.

    The Alembic upgrade runs once per session into a template, and each test gets a
    private copy of it: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
    PostgreSQL. Not a savepoint rolled back per test: the code under test (the web app,
    the CLI, the reindexer, servers in subprocesses) opens its own engines from a URL,
    so a transaction held by the fixture would not contain its writes, and some tests
    run DDL (downgrade and upgrade) that a rollback would not undo on SQLite. A copy is
    the same database a per-test migration made, at a fraction of the cost. The
    migration tests (``tests/unit/directory/test_migrations.py``) still migrate for
    real: the template is a real upgrade, and they downgrade and upgrade their copy.
    """
    if request.param == "sqlite":
        target = tmp_path / "catalogue.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), target)
        return f"sqlite:///{target}"
    pg_server: str = request.getfixturevalue("pg_server")
    return pg_copy(pg_server, request.getfixturevalue("migrated_pg_template"))


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def service(sessions: sessionmaker[Session]) -> CatalogueService:
    return CatalogueService(sessions, EDITOR_CORRECTIONS)


@pytest.fixture
def queries(sessions: sessionmaker[Session]) -> CatalogueQueries:
    return CatalogueQueries(sessions)


# -- the full bundled catalogue (built once per session, read-only) ---------------


@dataclasses.dataclass(frozen=True)
class LoadedCatalogue:
    settings: Settings
    queries: CatalogueQueries
    engine: EmbeddedEngine


@pytest.fixture(scope="session")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedCatalogue]:
    """All bundled sources imported into SQLite and indexed; treat as read-only.

    Shared by every test of the process, in whatever order they run: a test that
    imports into it (a refused import records a failed run) works on a copy
    (``tests.support.editor.copy_sqlite``). The session ends with an error when the
    import runs changed, naming the runs."""
    var = tmp_path_factory.mktemp("loaded")
    settings = Settings.from_env(
        {
            "EXW_DATABASE_URL": f"sqlite:///{var / 'catalogue.sqlite3'}",
            "EXW_SEARCH_INDEX_PATH": str(var / "index.sqlite3"),
            "EXW_VAR_DIR": str(var),
            "EXW_BASE_URL": "http://testserver",
        }
    )
    migrate(settings.database_url)
    sessions = make_session_factory(make_engine(settings.database_url))
    service = CatalogueService(sessions, EDITOR_CORRECTIONS)
    for source in SOURCES:
        run_import(service, source, data_dir=DATA_DIR)
    queries = CatalogueQueries(sessions)
    engine = EmbeddedEngine(settings.search_index_path, queries.gazetteer())
    # The version too: a server started on this catalogue finds its index current.
    engine.rebuild(all_documents(queries), catalogue_version=current_version(sessions))
    before = _import_runs(sessions)
    yield LoadedCatalogue(settings, queries, engine)
    added = sorted(set(_import_runs(sessions)) - set(before))
    assert not added, f"tests imported into the shared loaded catalogue: {added}"


def _import_runs(sessions: sessionmaker[Session]) -> list[tuple[int, str, str, str]]:
    from sqlalchemy import select

    from directory.conditions.models import ImportRun

    with sessions() as s:
        rows = s.execute(
            select(ImportRun.id, ImportRun.source, ImportRun.file_name, ImportRun.status)
        )
        return [tuple(r) for r in rows]


@pytest.fixture(scope="session")
def client(loaded: LoadedCatalogue) -> Iterator[TestClient]:
    from web.app import create_app

    app = create_app(loaded.settings, search=loaded.engine)
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture(scope="session")
def links(loaded: LoadedCatalogue) -> Permalinks:
    """Each language's slug of the loaded catalogue's entities: ``links.path(kind, id, lang)``."""
    from directory.expertise.slugs import PermalinkQueries

    engine = make_engine(loaded.settings.database_url)
    try:
        return PermalinkQueries(make_session_factory(engine)).current()
    finally:
        engine.dispose()
