"""Fixtures for the expertise catalogue: seeded databases on SQLite and PostgreSQL.

Importing Orphanet for every test would be slow, so each backend gets ONE
template database per session (migrated, with the bundled Orphanet files, the
institutions and the reference data imported), and every test gets a fresh
copy of it: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from config.settings import PROJECT_ROOT
from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.services import ExpertiseService
from importers.registry import run_import
from tests.support.databases import create_pg_database, migrate, pg_copy

DATA_DIR = PROJECT_ROOT / "data"

SEEDED_SOURCES = ("orphanet", "sources", "institutions", "reference")


def seed(url: str) -> None:
    migrate(url)
    engine = make_engine(url)
    service = CatalogueService(make_session_factory(engine), EDITOR_CORRECTIONS)
    for source in SEEDED_SOURCES:
        run_import(service, source, data_dir=DATA_DIR)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("expertise-template") / "template.sqlite3"
    seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    name = f"tmpl_{uuid.uuid4().hex[:10]}"
    seed(create_pg_database(pg_server, name))
    return name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh catalogue with Orphanet, institutions and reference data: SQLite and PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "catalogue.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    pg_server: str = request.getfixturevalue("pg_server")
    return pg_copy(pg_server, request.getfixturevalue("pg_template"))


@pytest.fixture
def seeded_sessions(seeded_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(seeded_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def catalogue(seeded_sessions: sessionmaker[Session]) -> CatalogueService:
    return CatalogueService(seeded_sessions, EDITOR_CORRECTIONS)


@pytest.fixture
def expertise(seeded_sessions: sessionmaker[Session]) -> ExpertiseService:
    return ExpertiseService(seeded_sessions, EDITOR_CORRECTIONS)


@pytest.fixture
def expertise_queries(seeded_sessions: sessionmaker[Session]) -> ExpertiseQueries:
    return ExpertiseQueries(seeded_sessions)
