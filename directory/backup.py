"""Backup, restore and table checksums of the whole catalogue, editorial tables included.

* SQLite: Python's online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot while the site keeps serving; restore copies the file back the same way.
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --no-owner --single-transaction`` (the PostgreSQL client programs, found on ``PATH`` or
  under ``/usr/lib/postgresql/*/bin``).

:func:`table_checksums` gives one SHA-256 per table over its rows in primary-key order,
in a form that does not depend on the driver, so a restore can be checked against the
database it came from (``expertisewijzer backup --verify`` and the tests do so).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.engine import Engine, make_url

from directory.db import Base, make_engine

# The engine's own bookkeeping, not catalogue content.
SKIPPED_TABLES = ("alembic_version",)


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    dialect: str
    size: int
    tables: int


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection URI (``postgresql+psycopg`` -> ``postgresql``)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(f"{name} not found: install the PostgreSQL client programs")


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def backup(url: str, target: Path) -> BackupInfo:
    """Write a consistent copy of the catalogue at ``url`` to ``target`` (not overwritten)."""
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    dialect = make_url(url).get_backend_name()
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if dialect == "sqlite":
            source = sqlite3.connect(_sqlite_path(url))
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        elif dialect == "postgresql":
            result = subprocess.run(  # noqa: S603 (argument list; the URL is our own setting)
                [_pg_tool("pg_dump"), "--format=custom", "--file", str(partial), _libpq_url(url)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        else:
            raise BackupError(f"no backup method for {dialect} databases")
        partial.replace(target)  # a backup file is complete or absent
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(target, dialect, target.stat().st_size, len(_tables()))


def restore(source: Path, url: str, *, replace: bool = False) -> None:
    """Restore a backup into the database at ``url``.

    Refuses to overwrite a catalogue that has tables unless ``replace`` is set.
    """
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    dialect = make_url(url).get_backend_name()
    engine = make_engine(url)
    try:
        if _has_tables(engine) and not replace:
            raise BackupError("the target database is not empty; pass --replace to overwrite it")
    finally:
        engine.dispose()
    if dialect == "sqlite":
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a SQLite backup ({exc})") from exc
        target = sqlite3.connect(_sqlite_path(url))
        try:
            backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
    elif dialect == "postgresql":
        result = subprocess.run(  # noqa: S603 (argument list; the URL is our own setting)
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq_url(url),
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
    else:
        raise BackupError(f"no restore method for {dialect} databases")


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as con:
        if engine.dialect.name == "sqlite":
            found = con.execute(text("SELECT count(*) FROM sqlite_master WHERE type='table'"))
        else:
            found = con.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'")
            )
        return bool(found.scalar())


def _tables() -> list[Table]:
    # Every table, whatever was imported before (side effect only).
    import directory.accounts.models
    import directory.accounts.report_limits
    import directory.catalogue_version
    import directory.conditions.models
    import directory.editorial.models
    import directory.editorial.pending_uploads
    import directory.expertise.models
    import directory.expertise.redirects
    import directory.places.models  # noqa: F401

    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _plain(value: Any) -> Any:
    """A driver-independent form of a column value."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value


def _rows_digest(rows: Iterable[Any]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps([_plain(v) for v in row], sort_keys=True, default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def table_checksums(url: str) -> dict[str, str]:
    """Table name -> SHA-256 over its rows in primary-key order."""
    engine = make_engine(url)
    try:
        out: dict[str, str] = {}
        with engine.connect() as con:
            for table in _tables():
                order = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = _rows_digest(con.execute(select(table).order_by(*order)))
        return out
    finally:
        engine.dispose()
