"""Editors as callers see them, their login sessions, and the session and login-rate policies."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from directory.accounts.models import EditorUser

REVIEW_ROLES = ("reviewer", "admin")
MIN_PASSWORD = 12
MAX_PASSWORD = 1000


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    display_name: str
    role: str
    active: bool
    version: int
    created_at: dt.datetime

    @property
    def can_review(self) -> bool:
        return self.role in REVIEW_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def user_view(u: EditorUser) -> UserView:
    return UserView(u.id, u.email, u.display_name, u.role, u.active, u.version, u.created_at)


@dataclass(frozen=True)
class SessionInfo:
    """A live login session."""

    id: int
    user: UserView
    csrf_token: str
    expires_at: dt.datetime

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(
            self.csrf_token.encode(), (submitted or "").encode()
        )


@dataclass(frozen=True)
class LoginResult:
    token: str  # the raw session id for the cookie; only its hash is stored
    session: SessionInfo


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: dt.timedelta = dt.timedelta(hours=8)  # absolute
    idle: dt.timedelta = dt.timedelta(minutes=60)


@dataclass(frozen=True)
class RateLimitPolicy:
    window: dt.timedelta = dt.timedelta(minutes=15)
    per_account: int = 5  # failed attempts for one account within the window
    per_client: int = 20  # failed attempts from one client within the window


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
