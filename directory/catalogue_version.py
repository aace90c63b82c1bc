"""The catalogue's version: one counter that every published change raises.

A search index is built from the catalogue as it was at one moment; when that
moment is not recorded, a rebuild that dies (a crash, ``kill -9``) leaves the
published change out of search until someone notices (security review D6). So
every change that reaches the public catalogue (an import that is applied, an
approved draft) raises this counter in the same transaction as the change
itself, the index records the version it was built from, and every server
rebuilds its index when it is older than the catalogue (``web/editor/state.py``).
A version owed to the index survives any crash because it is the catalogue's own
commit.

On PostgreSQL the new version is also announced (``NOTIFY``, sent by the server
only when the transaction commits), so that every server node can learn of it at
once instead of at its next look (:class:`VersionAnnouncements`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, Integer, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool

from directory.clock import utcnow
from directory.db import Base, make_engine

ROW = 1  # the table has this one row
CHANNEL = "exw_catalogue_version"  # PostgreSQL's LISTEN/NOTIFY channel
LISTENER_NAME = "exw-catalogue-watch"  # the listening connections' application_name


class CatalogueVersion(Base):
    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


def bump_version(session: Session) -> int:
    """Raise the version in the caller's transaction (commits with the change); the new one."""
    raised = session.execute(
        update(CatalogueVersion)
        .where(CatalogueVersion.id == ROW)
        .values(version=CatalogueVersion.version + 1, changed_at=utcnow())
        .returning(CatalogueVersion.version)
    ).scalar()
    if raised is None:  # a database made without the migration's first row
        session.execute(insert(CatalogueVersion).values(id=ROW, version=1, changed_at=utcnow()))
        raised = 1
    if session.get_bind().dialect.name == "postgresql":
        # Delivered to every listener when (and only if) this transaction commits.
        session.execute(select(func.pg_notify(CHANNEL, str(raised))))
    return int(raised)


VersionClock = Callable[[], int]
"""The catalogue's version, for readers that keep what they read until it changes. By
default they read it in their own session (:func:`version_in`); a server gives them its
catalogue watch's (``web/catalogue_watch.py``), which it reads once per look instead of
once per request: a lookup-table read per request was a quarter of a search's time."""


def version_in(session: Session) -> int:
    """The catalogue's version in ``session`` (0 for a catalogue that has never changed)."""
    found = session.scalar(select(CatalogueVersion.version).where(CatalogueVersion.id == ROW))
    return int(found or 0)


T = TypeVar("T")


class Kept(Generic[T]):
    """A lookup read from the catalogue as a whole (the classification graph, the source
    register, the English slugs), kept until the catalogue's version changes. With a
    :data:`VersionClock` a request that finds it current opens no session at all."""

    def __init__(self, read: Callable[[Session], T], version: VersionClock | None) -> None:
        self._read = read
        self._version = version
        self._kept: tuple[int, T] | None = None

    def get(self, sessions: sessionmaker[Session]) -> T:
        kept = self._kept
        if kept is not None and self._version is not None and kept[0] == self._version():
            return kept[1]
        with sessions() as session:
            return self.get_in(session)

    def get_in(self, session: Session) -> T:
        kept = self._kept
        version = self._version() if self._version is not None else version_in(session)
        if kept is None or kept[0] != version:
            kept = (version, self._read(session))
            self._kept = kept
        return kept[1]


def current_version(sessions: sessionmaker[Session]) -> int:
    """The catalogue's version now (0 for a catalogue that has never changed)."""
    with sessions() as session:
        return version_in(session)


class VersionAnnouncements:
    """New catalogue versions as PostgreSQL announces them, on a connection of its own.

    ``wait(timeout)`` returns True when a version was announced within ``timeout``
    seconds, and also right after (re)connecting, since announcements made while
    nobody listened are lost: the caller then reads the version itself. It raises
    when the connection is lost (the database restarted, a network failure); the
    next call connects again. Only for PostgreSQL (:meth:`supported`).
    """

    def __init__(self, database_url: str) -> None:
        # Not from a pool: this connection waits for notifications for as long as the
        # server runs, and is closed (not returned) when it fails.
        self._engine = make_engine(database_url, poolclass=NullPool)
        self._con: Any = None  # the DBAPI connection (psycopg), while it works

    @staticmethod
    def supported(database_url: str) -> bool:
        return database_url.startswith("postgresql")

    def wait(self, timeout: float) -> bool:
        if self._con is None:
            raw = self._engine.raw_connection()
            try:
                con: Any = raw.driver_connection
                con.autocommit = True  # a notification arrives between transactions
                con.execute(f"SET application_name = '{LISTENER_NAME}'")  # for pg_stat_activity
                con.execute(f"LISTEN {CHANNEL}")
            except BaseException:
                raw.close()
                raise
            self._raw, self._con = raw, con
            return True
        try:
            for _note in self._con.notifies(timeout=timeout, stop_after=1):
                return True
        except BaseException:
            self.close()
            raise
        return False

    def close(self) -> None:
        if self._con is not None:
            self._con = None
            with contextlib.suppress(Exception):  # a failed connection may fail to close
                self._raw.close()

    def dispose(self) -> None:
        self.close()
        self._engine.dispose()
