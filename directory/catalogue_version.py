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
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from directory.db import Base
from directory.models import utcnow

ROW = 1  # the table has this one row


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
        return 1
    return int(raised)


def current_version(sessions: sessionmaker[Session]) -> int:
    """The catalogue's version now (0 for a catalogue that has never changed)."""
    with sessions() as session:
        found = session.scalar(select(CatalogueVersion.version).where(CatalogueVersion.id == ROW))
        return int(found or 0)
