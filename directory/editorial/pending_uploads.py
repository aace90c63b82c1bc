"""Uploaded source files waiting for a second person to apply them, kept in the database.

An upload waits (for at most a day) until ANOTHER reviewer applies it: like a
draft, its uploader never can (security review D2). It used to wait in a folder
under ``var/uploads/`` of the server that took it, so with several server nodes
a reviewer whose request reached another node found nothing to apply. Here it is
a row every node reads.

The rows are bounded: a file is at most ``EXW_UPLOAD_MAX_MB`` (the upload form
refuses more), at most :data:`MAX_WAITING` files wait at once, and together at
most :data:`WAITING_BUDGET_FILES` times the largest file. Expired ones are removed
whenever a file is stored. The list of waiting uploads never reads the files
themselves. :class:`PendingUploads` is the only writer of ``pending_upload``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from directory.clock import utcnow
from directory.db import Base

KEEP = dt.timedelta(days=1)
MAX_WAITING = 20
WAITING_BUDGET_FILES = 4  # all waiting files together: at most this many of the largest
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class PendingUpload(Base):
    """One uploaded file and who uploaded it; deleted once applied or a day old."""

    __tablename__ = "pending_upload"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    file_name: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int] = mapped_column(ForeignKey("editor_user.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


@dataclass(frozen=True)
class WaitingUpload:
    """An upload without its file: what lists and checks need."""

    token: str
    source: str
    lang: str
    name: str  # the file's (cleaned) name
    user_id: int
    user_name: str
    uploaded_at: dt.datetime
    size: int


class TooManyWaiting(Exception):
    """No room for another waiting upload: apply (or let expire) the ones waiting."""

    def __init__(self, waiting: int, waiting_bytes: int) -> None:
        super().__init__(f"{waiting} uploads ({waiting_bytes:,} bytes) are waiting")
        self.waiting = waiting
        self.waiting_bytes = waiting_bytes


def safe_name(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:100]
    return cleaned or "upload"


def _view(row: PendingUpload) -> WaitingUpload:
    return WaitingUpload(
        token=row.token,
        source=row.source,
        lang=row.lang,
        name=row.file_name,
        user_id=row.user_id,
        user_name=row.user_name,
        uploaded_at=row.uploaded_at,
        size=row.size,
    )


class PendingUploads:
    """Store, list, read and remove waiting uploads (``max_bytes``: the largest file)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        max_bytes: int,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self.max_bytes = max_bytes
        self.budget_bytes = WAITING_BUDGET_FILES * max_bytes
        self._clock = clock

    def store(
        self, data: bytes, *, source: str, lang: str, name: str, user_id: int, user_name: str
    ) -> WaitingUpload:
        """Keep ``data`` for a second reviewer; raises :class:`TooManyWaiting` when full."""
        if len(data) > self.max_bytes:
            raise ValueError(f"an upload of {len(data):,} bytes is over {self.max_bytes:,}")
        now = self._clock()
        row = PendingUpload(
            token=secrets.token_urlsafe(24),
            source=source[:64],
            lang=lang[:8],
            file_name=safe_name(name),
            user_id=user_id,
            user_name=user_name[:200],
            uploaded_at=now,
            size=len(data),
            data=data,
        )
        with self._sessions() as session, session.begin():
            session.execute(delete(PendingUpload).where(PendingUpload.uploaded_at < now - KEEP))
            count, total = session.execute(
                select(func.count(), func.coalesce(func.sum(PendingUpload.size), 0))
            ).one()
            if count >= MAX_WAITING or total + len(data) > self.budget_bytes:
                raise TooManyWaiting(int(count), int(total))
            session.add(row)
        return _view(row)

    def get(self, token: str) -> WaitingUpload | None:
        """The waiting upload with this token, or None (unknown, expired or malformed)."""
        if not TOKEN_RE.match(token):
            return None
        with self._sessions() as session:
            row = session.get(PendingUpload, token)
            if row is None or row.uploaded_at < self._clock() - KEEP:
                return None
            return _view(row)

    def data(self, token: str) -> bytes | None:
        if not TOKEN_RE.match(token):
            return None
        with self._sessions() as session:
            found = session.scalar(select(PendingUpload.data).where(PendingUpload.token == token))
            return bytes(found) if found is not None else None

    def waiting(self) -> tuple[WaitingUpload, ...]:
        """Uploads waiting to be applied, newest first (their files are not read)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(PendingUpload)
                .where(PendingUpload.uploaded_at >= self._clock() - KEEP)
                .order_by(PendingUpload.uploaded_at.desc())
            )
            return tuple(_view(row) for row in rows)

    def discard(self, token: str) -> None:
        with self._sessions() as session, session.begin():
            session.execute(delete(PendingUpload).where(PendingUpload.token == token))
