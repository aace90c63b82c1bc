"""SQLAlchemy models of the editors' accounts: users, login sessions and login attempts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from directory.clock import utcnow
from directory.db import Base, in_values
from directory.vocabulary import ROLES, Role


class EditorUser(Base):
    """An editor account. Created by an admin; never deleted, only disabled."""

    __tablename__ = "editor_user"
    __table_args__ = (CheckConstraint(in_values("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(300))  # argon2id, PHC string
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic concurrency


class EditorSession(Base):
    """A server-side login session; the cookie holds a signed random id, we keep its hash."""

    __tablename__ = "editor_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the id
    user_id: Mapped[int] = mapped_column(ForeignKey("editor_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))  # synchronizer token for forms
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginAttempt(Base):
    """One login attempt, for the per-account and per-client rate limits.

    Kept only for the length of the rate-limit window (old rows are pruned).
    """

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_account_at", "account", "at"),
        Index("ix_login_attempt_client_at", "client", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(254))  # the e-mail address as typed, lowered
    client: Mapped[str] = mapped_column(String(64))  # client address
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
