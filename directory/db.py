"""Database plumbing: declarative base with a constraint naming convention, engines, and
the Alembic configuration of the migrations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout.

    Bound parameters are left out of error messages (``hide_parameters``): they are
    search texts, report messages and e-mail addresses, and error messages end up
    in logs and tracebacks (security review D15).
    """
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(project_root: Path, database_url: str | None = None) -> Config:
    """The Alembic configuration of the migrations in ``project_root / "migrations"``.

    The one builder for the CLI, the doctor, the readiness check, the tests and the
    bench. Without ``database_url`` it can only read the scripts (the head revisions);
    with it, commands can run against that database. A ``%`` in the URL is doubled
    because Alembic interpolates its options.
    """
    from alembic.config import Config  # here: the web app loads Alembic only when asked

    cfg = Config()
    cfg.set_main_option("script_location", str(project_root / "migrations"))
    if database_url is not None:
        cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def in_values(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a check constraint that ``column`` holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
