"""How many "report an error" messages a client may send: counted in the database.

The report form needs no account, so it is limited per client address and overall.
The counts used to live in each server process's memory, so every worker had its
own: with two workers one address sent ten reports where five are allowed
(security review D9). Here they are rows that every process of every node sees.

Reporters stay anonymous: a row holds a keyed hash of the address (HMAC with the
site's secret), never the address, and is deleted once it is older than the
longest window. :class:`ReportLimiter` is the only writer of ``report_attempt``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import DateTime, Index, String, delete, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from directory.clock import utcnow
from directory.db import Base


class ReportAttempt(Base):
    """One accepted report, for the rate limits; kept only as long as a window."""

    __tablename__ = "report_attempt"
    __table_args__ = (Index("ix_report_attempt_client_at", "client_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 of the address
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


@dataclass(frozen=True)
class ReportLimitPolicy:
    per_client: int = 5
    client_window: dt.timedelta = dt.timedelta(minutes=10)
    overall: int = 300
    overall_window: dt.timedelta = dt.timedelta(hours=1)


class ReportLimiter:
    """``allow(address)`` counts a report and says whether it is within the limits."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        secret: str,
        policy: ReportLimitPolicy | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._key = hashlib.sha256(b"exw-report-limit:" + secret.encode()).digest()
        self.policy = policy or ReportLimitPolicy()
        self._clock = clock

    def client_key(self, address: str) -> str:
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()

    def allow(self, address: str) -> bool:
        """Record a report from ``address`` if it is within both limits; else False."""
        p = self.policy
        now = self._clock()
        key = self.client_key(address)
        with self._sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                # Count and insert as one step across processes (SQLite's DELETE below
                # takes its write lock, which does the same there).
                session.execute(text("SELECT pg_advisory_xact_lock(7235519)"))
            oldest = now - max(p.client_window, p.overall_window)
            session.execute(delete(ReportAttempt).where(ReportAttempt.at < oldest))
            count = select(func.count()).select_from(ReportAttempt)
            recent = ReportAttempt.at > now - p.client_window
            mine = session.scalar(count.where(ReportAttempt.client_key == key, recent))
            everyone = session.scalar(count.where(ReportAttempt.at > now - p.overall_window))
            if (mine or 0) >= p.per_client or (everyone or 0) >= p.overall:
                return False
            session.add(ReportAttempt(client_key=key, at=now))
        return True
