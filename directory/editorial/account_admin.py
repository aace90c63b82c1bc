"""Accounts as the editor area manages them: adding users, roles, passwords, and logging in,
sessions and logging out (the tables are in :mod:`directory.accounts.models`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from directory.accounts.models import EditorSession, EditorUser, LoginAttempt
from directory.accounts.sessions import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    LoginResult,
    SessionInfo,
    UserView,
    hash_token,
    user_view,
)
from directory.editorial.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    RateLimited,
)
from directory.editorial.fields import (
    FieldError,
    is_email,
)
from directory.editorial.service_base import EditorialBase
from directory.errors import NotFound
from directory.vocabulary import ROLES


class AccountAdmin(EditorialBase):
    """Users, passwords, login, sessions; every change audited."""

    # -- accounts -----------------------------------------------------------------------

    def _check_password(self, password: str, field: str = "password") -> list[FieldError]:
        if len(password) < MIN_PASSWORD:
            return [FieldError(field, "password_too_short", {"min": MIN_PASSWORD})]
        if len(password) > MAX_PASSWORD:
            return [FieldError(field, "too_long", {"max": MAX_PASSWORD})]
        return []

    def _admin_or_cli(self, session: Session, actor_id: int | None) -> None:
        # actor None: the command line, run by whoever operates the server.
        if actor_id is not None:
            self._require(session, actor_id, ("admin",))

    def add_user(
        self,
        email: str,
        display_name: str,
        role: str,
        password: str,
        *,
        actor_id: int | None = None,
    ) -> UserView:
        """Create an account (admins only; ``actor_id=None`` is the command line)."""
        email = email.strip().lower()
        display_name = " ".join(display_name.split())
        errors: list[FieldError] = []
        if not is_email(email):
            errors.append(FieldError("email", "not_email"))
        if not display_name:
            errors.append(FieldError("display_name", "required"))
        elif len(display_name) > 200:
            errors.append(FieldError("display_name", "too_long", {"max": 200}))
        if role not in ROLES:
            errors.append(FieldError("role", "not_choice"))
        errors += self._check_password(password)
        typed = {"email": email, "display_name": display_name, "role": role}
        with self._sessions() as session, session.begin():
            self._admin_or_cli(session, actor_id)
            if not errors and session.scalar(
                select(EditorUser.id).where(EditorUser.email == email)
            ):
                errors.append(FieldError("email", "email_taken"))
            if errors:
                raise InvalidInput(errors, typed)
            user = EditorUser(
                email=email,
                display_name=display_name,
                role=role,
                password_hash=self._hasher.hash(password),
                active=True,
                created_at=self._clock(),
                updated_at=self._clock(),
            )
            session.add(user)
            try:
                session.flush()
            except IntegrityError:
                raise InvalidInput([FieldError("email", "email_taken")], typed) from None
            self._audit(
                session,
                kind="user",
                entity_id=str(user.id),
                action="create",
                field="account",
                old=None,
                new={"email": email, "display_name": display_name, "role": role},
                reason="account created",
                author_id=actor_id,
                at=self._clock(),
            )
            return user_view(user)

    def _change_user(
        self,
        user_id: int,
        actor_id: int | None,
        expected_version: int | None,
        change: Callable[[Session, EditorUser], tuple[str, Any, Any]],
        reason: str,
        *,
        own_account_allowed: bool = False,
    ) -> UserView:
        with self._sessions() as session, session.begin():
            if own_account_allowed and actor_id is not None and actor_id == user_id:
                self._user(session, actor_id)
            else:
                self._admin_or_cli(session, actor_id)
            user = session.get(EditorUser, user_id)
            if user is None:
                raise NotFound(f"no user {user_id}")
            if expected_version is not None:
                # Claim the row: a concurrent change makes this match nothing.
                claimed = session.execute(
                    update(EditorUser)
                    .where(EditorUser.id == user_id, EditorUser.version == expected_version)
                    .values(version=EditorUser.version + 1)
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
                    raise Conflict("user_changed")
                session.refresh(user)
            else:
                user.version += 1
            field, old, new = change(session, user)
            user.updated_at = self._clock()
            self._audit(
                session,
                kind="user",
                entity_id=str(user.id),
                action="account",
                field=field,
                old=old,
                new=new,
                reason=reason,
                author_id=actor_id,
                at=self._clock(),
            )
            return user_view(user)

    @staticmethod
    def _keep_an_admin(session: Session, user: EditorUser) -> None:
        others = session.scalar(
            select(func.count())
            .select_from(EditorUser)
            .where(
                EditorUser.role == "admin", EditorUser.active.is_(True), EditorUser.id != user.id
            )
        )
        if user.role == "admin" and user.active and not others:
            raise InvalidInput([FieldError("role", "last_admin")])

    def set_role(
        self,
        user_id: int,
        role: str,
        *,
        actor_id: int | None = None,
        expected_version: int | None = None,
    ) -> UserView:
        if role not in ROLES:
            raise InvalidInput([FieldError("role", "not_choice")], {"role": role})

        def change(session: Session, user: EditorUser) -> tuple[str, Any, Any]:
            if role != "admin":
                self._keep_an_admin(session, user)
            old, user.role = user.role, role
            return "role", old, role

        return self._change_user(user_id, actor_id, expected_version, change, "role changed")

    def set_active(
        self,
        user_id: int,
        active: bool,
        *,
        actor_id: int | None = None,
        expected_version: int | None = None,
    ) -> UserView:
        """Enable or disable an account; disabling ends its sessions at once."""

        def change(session: Session, user: EditorUser) -> tuple[str, Any, Any]:
            if not active:
                self._keep_an_admin(session, user)
                session.execute(
                    update(EditorSession)
                    .where(EditorSession.user_id == user.id, EditorSession.ended_at.is_(None))
                    .values(ended_at=self._clock())
                )
            old, user.active = user.active, active
            return "active", old, active

        reason = "account enabled" if active else "account disabled"
        return self._change_user(user_id, actor_id, expected_version, change, reason)

    def set_password(self, user_id: int, password: str, *, actor_id: int | None = None) -> UserView:
        """Set a new password (admins, the CLI, or the user themself); ends other sessions."""
        errors = self._check_password(password)
        if errors:
            raise InvalidInput(errors)

        def change(session: Session, user: EditorUser) -> tuple[str, Any, Any]:
            user.password_hash = self._hasher.hash(password)
            session.execute(
                update(EditorSession)
                .where(EditorSession.user_id == user.id, EditorSession.ended_at.is_(None))
                .values(ended_at=self._clock())
            )
            return "password", None, None  # never audit hashes

        return self._change_user(
            user_id, actor_id, None, change, "password set", own_account_allowed=True
        )

    def change_own_password(
        self, user_id: int, current: str, new: str, client: str = "unknown"
    ) -> UserView:
        """A user's own password change: the current password must be right.

        Wrong current passwords count like failed logins (the same limits, under a key
        of their own): someone at an unattended, logged-in browser cannot try the
        account's password endlessly (security review D11). Raises
        :class:`RateLimited` before looking at the password once over the limit.
        """
        key = f"account-page:{user_id}"
        client = client[:64] or "unknown"
        now = self._clock()
        with self._sessions() as session, session.begin():
            user = self._user(session, user_id)
            stored = user.password_hash
            self._limited(session, key, client, now)
            session.add(LoginAttempt(account=key, client=client, at=now, succeeded=False))
        if not self._verify(stored, current[:MAX_PASSWORD]):
            raise InvalidInput([FieldError("current_password", "wrong_password")])
        with self._sessions() as session, session.begin():
            session.execute(delete(LoginAttempt).where(LoginAttempt.account == key))
        return self.set_password(user_id, new, actor_id=user_id)

    def user_by_email(self, email: str) -> UserView | None:
        with self._sessions() as session:
            user = session.scalar(
                select(EditorUser).where(EditorUser.email == email.strip().lower())
            )
            return user_view(user) if user else None

    # -- login, sessions, logout ----------------------------------------------------------

    def _limited(self, session: Session, account: str, client: str, now: dt.datetime) -> None:
        since = now - self.rate_limit.window
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < since))

        def failures(*where: Any) -> tuple[int, dt.datetime | None]:
            row = session.execute(
                select(func.count(), func.min(LoginAttempt.at)).where(
                    LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since, *where
                )
            ).one()
            return int(row[0]), row[1]

        for scope, where, limit in (
            ("account", LoginAttempt.account == account, self.rate_limit.per_account),
            ("client", LoginAttempt.client == client, self.rate_limit.per_client),
        ):
            count, oldest = failures(where)
            if count >= limit:
                retry = (
                    (oldest + self.rate_limit.window - now) if oldest else self.rate_limit.window
                )
                raise RateLimited(scope, max(1, int(retry.total_seconds()) + 1))

    def _verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            # Spend the same effort for unknown accounts, so timing does not tell.
            if self._dummy_hash is None:
                self._dummy_hash = self._hasher.hash(secrets.token_hex(16))
            password_hash = self._dummy_hash
            with contextlib.suppress(VerificationError, InvalidHashError):
                self._hasher.verify(password_hash, password)
            return False
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def login(
        self, email: str, password: str, client: str, device: str | None = None
    ) -> LoginResult:
        """Check the password and open a session, within the login rate limits.

        ``device`` identifies a browser that logged in to this account before (the
        web layer keeps it in a signed cookie). Its attempts are counted under the
        device instead of the account, so that someone who knows the e-mail address
        and fails five times from elsewhere does not lock its owner out (security
        review D10); the per-client limit applies to everyone.

        Raises :class:`RateLimited` (before looking at the password) or
        :class:`InvalidCredentials` (unknown account, wrong password, disabled account).
        """
        account = email.strip().lower()[:254]
        counted = f"device:{device[:64]}" if device else account
        client = client[:64] or "unknown"
        now = self._clock()
        with self._sessions() as session, session.begin():
            self._limited(session, counted, client, now)
            # Record the attempt first, as failed, so it counts even if we crash below.
            attempt = LoginAttempt(account=counted, client=client, at=now, succeeded=False)
            session.add(attempt)
        with self._sessions() as session:
            user = session.scalar(select(EditorUser).where(EditorUser.email == account))
            stored = user.password_hash if user is not None else None
        ok = self._verify(stored, password[:MAX_PASSWORD]) and user is not None and user.active
        if not ok or user is None:
            raise InvalidCredentials
        token = secrets.token_urlsafe(32)
        with self._sessions() as session, session.begin():
            session.execute(
                delete(LoginAttempt).where(
                    LoginAttempt.account.in_({account, counted}),
                    LoginAttempt.succeeded.is_(False),
                )
            )
            session.add(LoginAttempt(account=account, client=client, at=now, succeeded=True))
            row = session.get(EditorUser, user.id)
            if row is None or not row.active:
                raise InvalidCredentials
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
            sess = EditorSession(
                token_hash=hash_token(token),
                user_id=row.id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                last_seen_at=now,
                expires_at=now + self.session_policy.lifetime,
            )
            session.add(sess)
            session.flush()
            info = SessionInfo(sess.id, user_view(row), sess.csrf_token, sess.expires_at)
        return LoginResult(token, info)

    def session(self, token: str | None) -> SessionInfo | None:
        """The live session for a cookie's token, or None (expired, idle, ended, disabled)."""
        if not token or len(token) > 200:
            return None
        now = self._clock()
        with self._sessions() as session, session.begin():
            sess = session.scalar(
                select(EditorSession).where(EditorSession.token_hash == hash_token(token))
            )
            if sess is None or sess.ended_at is not None or sess.expires_at <= now:
                return None
            if sess.last_seen_at + self.session_policy.idle <= now:
                sess.ended_at = now
                return None
            user = session.get(EditorUser, sess.user_id)
            if user is None or not user.active:
                return None
            if now - sess.last_seen_at > dt.timedelta(seconds=30):
                sess.last_seen_at = now
            return SessionInfo(sess.id, user_view(user), sess.csrf_token, sess.expires_at)

    def logout(self, token: str | None) -> None:
        """End the session on the server; the cookie alone is then worthless."""
        if not token:
            return
        with self._sessions() as session, session.begin():
            session.execute(
                update(EditorSession)
                .where(
                    EditorSession.token_hash == hash_token(token),
                    EditorSession.ended_at.is_(None),
                )
                .values(ended_at=self._clock())
            )
