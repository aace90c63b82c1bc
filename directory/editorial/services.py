"""Over 600 lines: not split yet (issue 12): accounts and login still sit beside drafts.

The editorial service: the only writer of the editor area's tables.

Accounts and sessions, login rate limits, drafts and their review (four eyes), the
audit trail, overrides, feedback reports and link-check results all change here.

An edit is a :class:`~directory.editorial.models.Draft` until a reviewer who is not
its author approves it. Approval applies the draft through the entity's adapter
(which writes through the owning catalogue service), writes one audit row per
changed field and the overrides for imported fields, all in ONE transaction; then
it calls ``on_published`` (the web layer rebuilds the search index there, which
swaps in atomically).

Every method checks the acting user's role itself, so the CLI and the web views
cannot forget to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from directory.accounts.models import ROLES, EditorSession, EditorUser, LoginAttempt
from directory.accounts.sessions import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    REVIEW_ROLES,
    LoginResult,
    RateLimitPolicy,
    SessionInfo,
    SessionPolicy,
    UserView,
    hash_token,
    user_view,
)
from directory.catalogue_version import bump_version
from directory.clock import utcnow
from directory.conditions.models import ConditionName, NameApproval, ProposedSummary
from directory.conditions.services import CatalogueService
from directory.editorial.adapters.registry import default_adapters
from directory.editorial.entities import (
    EDITOR_RELEASE,
    ApplyContext,
    EntityAdapter,
    EntityState,
    check_orphacodes,
)
from directory.editorial.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    PermissionDenied,
    RateLimited,
)
from directory.editorial.fields import (
    FieldError,
    FieldValue,
    is_email,
    parse_form,
    same_value,
    values_hash,
)
from directory.editorial.models import (
    AuditEntry,
    ConditionSummary,
    Draft,
    EntityRevision,
    FeedbackReport,
    LinkCheck,
    Override,
)
from directory.editorial.overrides import CREATED, RETIRED
from directory.editorial.overrides import apply_overrides as apply_overrides  # the import hook
from directory.errors import NotFound
from directory.expertise.slugs import load_permalinks
from directory.paths import LANGS, SEGMENTS, is_site_page

log = logging.getLogger(__name__)

MAX_REASON = 1000
MAX_FEEDBACK = 3000
# Kinds with a public page of their own, for linking feedback to an entity.
PUBLIC_ENTITY_KINDS = (
    "condition",
    "institution",
    "panel",
    "working_group",
    "network",
    "domain",
    "body_area",
)


# -- views returned to callers ------------------------------------------------------------


@dataclass(frozen=True)
class EntityForm:
    """An entity's current state and the token a form carries to detect concurrent edits."""

    state: EntityState
    token: str
    pending_drafts: int


@dataclass(frozen=True)
class ApprovalResult:
    draft_id: int
    entity_kind: str
    entity_id: str
    revision: int
    changed: tuple[str, ...]
    reindex_error: str | None = None


@dataclass(frozen=True)
class LinkResult:
    """The outcome of checking one outbound link of one entity."""

    entity_kind: str
    entity_id: str
    field: str
    url: str
    ok: bool
    status_code: int | None
    error: str | None
    checked_at: dt.datetime


def entity_of_path(path: str) -> tuple[str, str] | None:
    """The (kind, id) whose public page ``path`` is, e.g. ``/nl/aandoening/178``."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    if len(parts) < 3 or parts[0] not in LANGS:
        return None
    for kind in PUBLIC_ENTITY_KINDS:
        if SEGMENTS.get(kind, {}).get(parts[0]) == parts[1]:
            return kind, parts[2][:100]
    return None


class EditorialService:
    """Writes the editor area's tables. Construct with a session factory and the
    catalogue service (the owner of the catalogue tables the adapters write)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        catalogue: CatalogueService,
        *,
        adapters: Mapping[str, EntityAdapter] | None = None,
        owners: Mapping[str, Any] | None = None,
        hasher: PasswordHasher | None = None,
        sessions: SessionPolicy | None = None,
        rate_limit: RateLimitPolicy | None = None,
        on_published: Callable[[], object] | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = session_factory
        self.catalogue = catalogue
        self.adapters: Mapping[str, EntityAdapter] = adapters or default_adapters()
        if owners is None:
            from directory.expertise.services import ExpertiseService

            owners = {"expertise": ExpertiseService(session_factory, catalogue)}
        self._owners = dict(owners)
        self._hasher = hasher or PasswordHasher()  # argon2id with the library's defaults
        self.session_policy = sessions or SessionPolicy()
        self.rate_limit = rate_limit or RateLimitPolicy()
        self.on_published = on_published
        self._clock = clock
        self._dummy_hash: str | None = None

    # -- helpers ------------------------------------------------------------------------

    def adapter(self, kind: str) -> EntityAdapter:
        try:
            return self.adapters[kind]
        except KeyError:
            raise NotFound(f"no editable entity kind {kind!r}") from None

    @staticmethod
    def _user(session: Session, user_id: int) -> EditorUser:
        user = session.get(EditorUser, user_id)
        if user is None or not user.active:
            raise PermissionDenied("inactive_user")
        return user

    def _require(self, session: Session, user_id: int, roles: tuple[str, ...]) -> EditorUser:
        user = self._user(session, user_id)
        if user.role not in roles:
            raise PermissionDenied(f"needs_{roles[0]}")
        return user

    @staticmethod
    def _audit(
        session: Session,
        *,
        kind: str,
        entity_id: str,
        action: str,
        field: str,
        old: Any,
        new: Any,
        reason: str,
        author_id: int | None,
        approver_id: int | None = None,
        draft_id: int | None = None,
        revision: int | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        session.add(
            AuditEntry(
                at=at or utcnow(),
                entity_kind=kind,
                entity_id=entity_id,
                action=action,
                field=field,
                old_value=old,
                new_value=new,
                reason=reason,
                author_id=author_id,
                approver_id=approver_id,
                draft_id=draft_id,
                revision=revision,
            )
        )

    # -- proposals: drafted translations and summaries --------------------------------------

    def approve_names(self, user_id: int, lang: str, codes: Iterable[int]) -> int:
        """An editor approves the proposed preferred names (in ``lang``) of ``codes``.

        The proposals were drafted by the editors as a team and imported; the editor who
        approves them is the person who checks them. Returns how many were approved.
        """
        wanted = sorted(set(codes))
        with self._sessions.begin() as session:
            self._require(session, user_id, ROLES)
            rows = list(
                session.scalars(
                    select(ConditionName).where(
                        ConditionName.orphacode.in_(wanted),
                        ConditionName.lang == lang,
                        ConditionName.origin == "editorial",
                        ConditionName.proposed.is_(True),
                    )
                )
            )
            now = utcnow()
            approved = 0
            for n in rows:
                n.proposed = False
                if n.kind != "preferred":
                    continue
                if session.get(NameApproval, (n.orphacode, lang, n.text)) is None:
                    session.add(
                        NameApproval(
                            orphacode=n.orphacode,
                            lang=lang,
                            text=n.text,
                            approved_by=user_id,
                            approved_at=now,
                        )
                    )
                self._audit(
                    session,
                    kind="condition",
                    entity_id=str(n.orphacode),
                    action="approve",
                    field=f"name_{lang}",
                    old=None,
                    new=n.text,
                    reason="proposed translation checked",
                    author_id=user_id,
                    approver_id=user_id,
                    at=now,
                )
                approved += 1
            if approved:
                bump_version(session)
        if approved:
            self._notify_published()  # names are searched: the index follows at once
        return approved

    def approve_summaries(self, user_id: int, codes: Iterable[int]) -> int:
        """An editor approves the drafted summaries of ``codes``: they become the
        conditions' summaries (unless an editor wrote one already, which is kept)."""
        wanted = sorted(set(codes))
        with self._sessions.begin() as session:
            self._require(session, user_id, ROLES)
            now = utcnow()
            approved = 0
            for draft in session.scalars(
                select(ProposedSummary).where(ProposedSummary.orphacode.in_(wanted))
            ):
                if session.get(ConditionSummary, (draft.orphacode, draft.lang)) is not None:
                    continue
                session.add(
                    ConditionSummary(
                        orphacode=draft.orphacode,
                        lang=draft.lang,
                        text=draft.text,
                        origin="curated",
                        updated_at=now,
                        updated_by=user_id,
                    )
                )
                self._audit(
                    session,
                    kind="condition",
                    entity_id=str(draft.orphacode),
                    action="approve",
                    field=f"summary_{draft.lang}",
                    old=None,
                    new=draft.text,
                    reason="drafted summary checked",
                    author_id=user_id,
                    approver_id=user_id,
                    at=now,
                )
                approved += 1
            if approved:
                bump_version(session)
        if approved:
            self._notify_published()
        return approved

    def _notify_published(self) -> None:
        """Ask the web layer to rebuild the search index; a failure is logged, not raised."""
        if self.on_published is None:
            return
        try:
            self.on_published()
        except Exception:  # the approval is committed; the index catches up on its check
            log.exception("search index rebuild after approving proposals failed")

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

    # -- entity state and the concurrency token ---------------------------------------------

    @staticmethod
    def _revision_row(session: Session, kind: str, entity_id: str) -> EntityRevision | None:
        return session.get(EntityRevision, (kind, entity_id))

    def _token(self, session: Session, state: EntityState) -> str:
        rev = self._revision_row(session, state.kind, state.entity_id)
        revision, seq = (rev.revision, rev.draft_seq) if rev else (0, 0)
        return f"{revision}.{seq}.{values_hash(state.values, state.retired)[:16]}"

    def entity_form(self, kind: str, entity_id: str) -> EntityForm:
        """An entity's current values and its form token."""
        adapter = self.adapter(kind)
        with self._sessions() as session:
            state = adapter.load(session, entity_id)
            if state is None:
                raise NotFound(f"no {kind} {entity_id!r}")
            pending = session.scalar(
                select(func.count())
                .select_from(Draft)
                .where(
                    Draft.entity_kind == kind,
                    Draft.entity_id == state.entity_id,
                    Draft.status == "pending",
                )
            )
            return EntityForm(state, self._token(session, state), int(pending or 0))

    def _claim_draft_slot(
        self, session: Session, kind: str, entity_id: str, token: str | None
    ) -> int:
        """Check the form's token and reserve the next draft number; returns the revision.

        The UPDATE matches only while nobody else saved a draft or published a change
        since the form was opened, so of two concurrent saves the second is told.
        """
        try:
            revision_s, seq_s, _ = (token or "").split(".")
            revision, seq = int(revision_s), int(seq_s)
        except ValueError:
            raise Conflict("stale_form") from None
        claimed = session.execute(
            update(EntityRevision)
            .where(
                EntityRevision.entity_kind == kind,
                EntityRevision.entity_id == entity_id,
                EntityRevision.revision == revision,
                EntityRevision.draft_seq == seq,
            )
            .values(draft_seq=EntityRevision.draft_seq + 1)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
            return revision
        if (revision, seq) == (0, 0) and self._revision_row(session, kind, entity_id) is None:
            try:
                with session.begin_nested():
                    session.add(
                        EntityRevision(
                            entity_kind=kind, entity_id=entity_id, revision=0, draft_seq=1
                        )
                    )
                return 0
            except IntegrityError:
                pass
        raise Conflict("changed_since")

    # -- drafts -------------------------------------------------------------------------------

    def save_draft(
        self,
        author_id: int,
        kind: str,
        entity_id: str | None,
        action: str,
        raw: Mapping[str, str],
        token: str | None,
        reason: str,
    ) -> int:
        """Validate an edit and store it as a pending draft; returns the draft id.

        ``action`` is ``update``, ``create`` or ``retire``. Raises :class:`InvalidInput`
        (with every field error and what was typed) or :class:`Conflict` (with the
        entity's current state) when someone else changed the entity since the
        form was opened.
        """
        adapter = self.adapter(kind)
        creating = action == "create"
        if action not in ("update", "create", "retire"):
            raise InvalidInput([FieldError("action", "not_choice")])
        if creating and not adapter.can_create:
            raise PermissionDenied("cannot_create")
        if action == "retire" and not adapter.can_retire:
            raise PermissionDenied("cannot_retire")
        specs = [s for s in adapter.fields if creating or not s.create_only]
        if action == "retire":
            values: dict[str, FieldValue] = {}
            typed: dict[str, str] = {}
            errors: list[FieldError] = []
        else:
            values, typed, errors = parse_form(specs, raw, creating=creating)
        reason = " ".join(reason.split()) if reason else ""
        typed["reason"] = reason
        if not reason:
            errors.append(FieldError("reason", "required"))
        elif len(reason) > MAX_REASON:
            errors.append(FieldError("reason", "too_long", {"max": MAX_REASON}))
        now = self._clock()
        with self._sessions() as session, session.begin():
            self._user(session, author_id)
            if creating:
                id_spec = next((s for s in adapter.fields if s.create_only), None)
                new_id = values.get(id_spec.name) if id_spec else None
                entity_id = str(new_id) if new_id else ""
                state = None
                if entity_id and adapter.load(session, entity_id) is not None and id_spec:
                    errors.append(FieldError(id_spec.name, "id_taken"))
                before_values: Mapping[str, FieldValue] = {}
                base_hash = ""
            else:
                state = adapter.load(session, entity_id or "")
                if state is None:
                    raise NotFound(f"no {kind} {entity_id!r}")
                entity_id = state.entity_id
                before_values = state.values
                base_hash = values_hash(state.values, state.retired)
                if action == "retire" and state.retired:
                    errors.append(FieldError("__all__", "already_retired"))
            if action != "retire":
                values = adapter.normalize(values)
                if not errors:
                    merged = {**before_values, **values}
                    errors += check_orphacodes(session, specs, merged)
                    errors += adapter.validate(session, entity_id, merged, action)
            if action == "retire":
                changes: dict[str, FieldValue] = {RETIRED: True}
            else:
                changes = {
                    f: v
                    for f, v in values.items()
                    if creating or not same_value(v, before_values.get(f))
                }
                if not changes and not errors:
                    errors.append(FieldError("__all__", "no_changes"))
            if errors:
                raise InvalidInput(errors, typed)
            if creating:
                revision = self._claim_create(session, kind, entity_id)
            else:
                try:
                    revision = self._claim_draft_slot(session, kind, entity_id, token)
                except Conflict as exc:
                    exc.current = state
                    raise
                # The values the form showed must still be the values now (imports too).
                if token and state is not None and not token.endswith(base_hash[:16]):
                    raise Conflict("changed_since", state)
            draft = Draft(
                entity_kind=kind,
                entity_id=entity_id,
                action=action,
                payload=changes,
                before={f: before_values.get(f) for f in changes if f != RETIRED}
                | ({RETIRED: bool(state and state.retired)} if action == "retire" else {}),
                base_hash=base_hash,
                base_revision=revision,
                reason=reason,
                status="pending",
                author_id=author_id,
                created_at=now,
            )
            session.add(draft)
            session.flush()
            return draft.id

    def _claim_create(self, session: Session, kind: str, entity_id: str) -> int:
        """Only one pending create per new id: the second editor is told."""
        taken = session.scalar(
            select(Draft.id).where(
                Draft.entity_kind == kind,
                Draft.entity_id == entity_id,
                Draft.status == "pending",
                Draft.action == "create",
            )
        )
        if taken is not None:
            raise Conflict("create_pending")
        row = self._revision_row(session, kind, entity_id)
        if row is None:
            try:
                with session.begin_nested():
                    session.add(
                        EntityRevision(
                            entity_kind=kind, entity_id=entity_id, revision=0, draft_seq=1
                        )
                    )
            except IntegrityError:
                raise Conflict("create_pending") from None
            return 0
        row.draft_seq += 1
        return row.revision

    def withdraw(self, draft_id: int, user_id: int) -> None:
        """The author takes back a pending draft."""
        with self._sessions() as session, session.begin():
            self._user(session, user_id)
            draft = session.get(Draft, draft_id)
            if draft is None:
                raise NotFound(f"no draft {draft_id}")
            if draft.author_id != user_id:
                raise PermissionDenied("not_author")
            claimed = session.execute(
                update(Draft)
                .where(Draft.id == draft_id, Draft.status == "pending")
                .values(status="withdrawn", reviewed_at=self._clock(), version=Draft.version + 1)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
                raise Conflict("not_pending")

    def reject(self, draft_id: int, reviewer_id: int, comment: str) -> None:
        """A reviewer (not the author) turns a draft down, saying why."""
        comment = " ".join(comment.split())
        if not comment:
            raise InvalidInput([FieldError("comment", "required")], {"comment": comment})
        if len(comment) > MAX_REASON:
            raise InvalidInput([FieldError("comment", "too_long", {"max": MAX_REASON})])
        with self._sessions() as session, session.begin():
            self._require(session, reviewer_id, REVIEW_ROLES)
            draft = session.get(Draft, draft_id)
            if draft is None:
                raise NotFound(f"no draft {draft_id}")
            if draft.author_id == reviewer_id:
                raise PermissionDenied("own_draft")
            claimed = session.execute(
                update(Draft)
                .where(Draft.id == draft_id, Draft.status == "pending")
                .values(
                    status="rejected",
                    reviewer_id=reviewer_id,
                    reviewed_at=self._clock(),
                    review_comment=comment,
                    version=Draft.version + 1,
                )
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
                raise Conflict("not_pending")

    def approve(self, draft_id: int, reviewer_id: int, comment: str = "") -> ApprovalResult:
        """Publish a draft: four eyes, one transaction, then the search index is rebuilt.

        Raises :class:`PermissionDenied` for the draft's own author or a non-reviewer,
        :class:`Conflict` when the draft is no longer pending or the entity changed
        after the draft was made (the draft must then be redone).
        """
        comment = " ".join(comment.split())[:MAX_REASON]
        now = self._clock()
        with self._sessions() as session, session.begin():
            self._require(session, reviewer_id, REVIEW_ROLES)
            draft = session.get(Draft, draft_id)
            if draft is None:
                raise NotFound(f"no draft {draft_id}")
            if draft.author_id == reviewer_id:
                raise PermissionDenied("own_draft")
            # Claim the draft first: of two reviewers approving at once, one gets it.
            claimed = session.execute(
                update(Draft)
                .where(Draft.id == draft_id, Draft.status == "pending")
                .values(
                    status="approved",
                    reviewer_id=reviewer_id,
                    reviewed_at=now,
                    review_comment=comment or None,
                    version=Draft.version + 1,
                )
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
                raise Conflict("not_pending")
            session.refresh(draft)
            adapter = self.adapter(draft.entity_kind)
            state = adapter.load(session, draft.entity_id)
            if draft.action == "create":
                if state is not None:
                    raise Conflict("id_taken", state)
                current: Mapping[str, FieldValue] = {}
            else:
                if state is None:
                    raise Conflict("entity_gone")
                if values_hash(state.values, state.retired) != draft.base_hash:
                    raise Conflict("changed_since", state)
                current = state.values
            revision = self._bump_revision(session, draft, reviewer_id, now, state)
            payload: dict[str, FieldValue] = dict(draft.payload)
            retire = payload.pop(RETIRED, None)  # True: retire; False: bring back (a revert)
            new_values = {**current, **payload}
            if retire is not True:
                specs = [s for s in adapter.fields if s.name in payload]
                errors = check_orphacodes(session, specs, new_values)
                errors += adapter.validate(session, draft.entity_id, new_values, draft.action)
                if errors:
                    raise InvalidInput(errors)
            ctx = self._context(reviewer_id, draft.author_id)
            changes: dict[str, FieldValue] = dict(payload)
            if retire is not None:
                changes[RETIRED] = bool(retire)
            adapter.apply(
                session,
                draft.entity_id,
                "retire" if retire is True else draft.action,
                changes,
                new_values,
                ctx,
            )
            changed = list(changes)
            was_retired = state.retired if state else False
            for name in changed:
                self._audit(
                    session,
                    kind=draft.entity_kind,
                    entity_id=draft.entity_id,
                    action=draft.action,
                    field=name,
                    old=was_retired if name == RETIRED else current.get(name),
                    new=changes[name],
                    reason=draft.reason,
                    author_id=draft.author_id,
                    approver_id=reviewer_id,
                    draft_id=draft.id,
                    revision=revision,
                    at=now,
                )
            self._write_overrides(session, adapter, draft, changed, current, state, now)
            bump_version(session)  # the search indexes are owed this version (commits with it)
            result = ApprovalResult(
                draft.id, draft.entity_kind, draft.entity_id, revision, tuple(changed)
            )
        return self._published(result)

    def _context(self, user_id: int, author_id: int) -> ApplyContext:
        return ApplyContext(
            catalogue=self.catalogue,
            release=EDITOR_RELEASE,
            user_id=user_id,
            author_id=author_id,
            owners=self._owners,
        )

    def _bump_revision(
        self,
        session: Session,
        draft: Draft,
        reviewer_id: int,
        now: dt.datetime,
        state: EntityState | None,
    ) -> int:
        bumped = session.execute(
            update(EntityRevision)
            .where(
                EntityRevision.entity_kind == draft.entity_kind,
                EntityRevision.entity_id == draft.entity_id,
                EntityRevision.revision == draft.base_revision,
            )
            .values(revision=EntityRevision.revision + 1, checked_at=now, checked_by=reviewer_id)
        )
        if bumped.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
            raise Conflict("changed_since", state)
        return draft.base_revision + 1

    def _write_overrides(
        self,
        session: Session,
        adapter: EntityAdapter,
        draft: Draft,
        changed: list[str],
        current: Mapping[str, FieldValue],
        state: EntityState | None,
        now: dt.datetime,
    ) -> None:
        """Remember edits of imported facts, so that a re-import keeps them."""
        imported = {s.name for s in adapter.fields if s.imported and not s.create_only}
        if getattr(adapter, "imported_retire", False):
            imported |= {RETIRED, CREATED}
        existing = {
            o.field: o
            for o in session.scalars(
                select(Override).where(
                    Override.entity_kind == draft.entity_kind,
                    Override.entity_id == draft.entity_id,
                )
            )
        }
        wanted: dict[str, tuple[Any, Any]] = {}  # field -> (new value, value before)
        for name in changed:
            if name == RETIRED:
                wanted[name] = (bool(draft.payload[name]), state.retired if state else False)
            else:
                wanted[name] = (draft.payload.get(name), current.get(name))
        if draft.action == "create":
            wanted[CREATED] = (True, None)  # the source does not have it: keep it
        for name, (new, old) in wanted.items():
            o = existing.get(name)
            if draft.action == "drop_override":
                if o is not None:
                    o.active = False
                continue
            if name not in imported:
                continue
            if o is None:
                session.add(
                    Override(
                        entity_kind=draft.entity_kind,
                        entity_id=draft.entity_id,
                        field=name,
                        value=new,
                        source_value=old,
                        last_source_value=old,
                        disagrees=False,
                        reason=draft.reason,
                        draft_id=draft.id,
                        created_by=draft.author_id,
                        created_at=now,
                        active=True,
                    )
                )
            else:
                if not o.active:
                    o.source_value = old
                o.value, o.reason, o.draft_id, o.active = new, draft.reason, draft.id, True
                o.created_by, o.created_at = draft.author_id, now
                o.disagrees = False  # the editors just decided

    def _published(self, result: ApprovalResult) -> ApprovalResult:
        """Rebuild the search index after a commit; a failure is reported, not raised."""
        if self.on_published is None:
            return result
        try:
            self.on_published()
        except Exception as exc:  # the edit is published; report the index error, not a 500
            log.exception("search index rebuild after publishing failed")
            return ApprovalResult(
                result.draft_id,
                result.entity_kind,
                result.entity_id,
                result.revision,
                result.changed,
                reindex_error=str(exc) or type(exc).__name__,
            )
        return result

    def revert(self, author_id: int, kind: str, entity_id: str, revision: int, reason: str) -> int:
        """Make a draft that brings an entity back to how it was at ``revision``.

        Only the fields changed through the editor after that revision are reset to
        their values then; the draft is reviewed like any other edit.
        """
        adapter = self.adapter(kind)
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput([FieldError("reason", "required")])
        if len(reason) > MAX_REASON:
            raise InvalidInput([FieldError("reason", "too_long", {"max": MAX_REASON})])
        with self._sessions() as session, session.begin():
            self._user(session, author_id)
            state = adapter.load(session, entity_id)
            if state is None:
                raise NotFound(f"no {kind} {entity_id!r}")
            later = list(
                session.scalars(
                    select(AuditEntry)
                    .where(
                        AuditEntry.entity_kind == kind,
                        AuditEntry.entity_id == state.entity_id,
                        AuditEntry.revision > revision,
                    )
                    .order_by(AuditEntry.revision, AuditEntry.id)
                )
            )
            if revision < 0 or not later:
                raise InvalidInput([FieldError("revision", "nothing_to_revert")])
            target: dict[str, Any] = {}
            for entry in later:
                target.setdefault(entry.field, entry.old_value)
            payload: dict[str, FieldValue] = {}
            for name, value in target.items():
                if name == RETIRED:
                    if bool(value) != state.retired:
                        payload[RETIRED] = bool(value)
                elif not same_value(value, state.values.get(name)):
                    payload[name] = value
            if not payload:
                raise InvalidInput([FieldError("revision", "nothing_to_revert")])
            rev = self._revision_row(session, kind, state.entity_id)
            base_revision = rev.revision if rev else 0
            if rev is not None:
                rev.draft_seq += 1
            draft = Draft(
                entity_kind=kind,
                entity_id=state.entity_id,
                action="revert",
                payload=payload,
                before={
                    f: (state.retired if f == RETIRED else state.values.get(f)) for f in payload
                },
                base_hash=values_hash(state.values, state.retired),
                base_revision=base_revision,
                reason=reason,
                status="pending",
                author_id=author_id,
                created_at=self._clock(),
                reverts_revision=revision,
            )
            session.add(draft)
            session.flush()
            return draft.id

    def mark_checked(self, user_id: int, kind: str, entity_id: str) -> None:
        """Record that an editor confirmed an entity is still correct ("last checked")."""
        adapter = self.adapter(kind)
        now = self._clock()
        with self._sessions() as session, session.begin():
            self._user(session, user_id)
            state = adapter.load(session, entity_id)
            if state is None:
                raise NotFound(f"no {kind} {entity_id!r}")
            row = self._revision_row(session, kind, state.entity_id)
            if row is None:
                row = EntityRevision(entity_kind=kind, entity_id=state.entity_id)
                row.revision, row.draft_seq = 0, 0
                session.add(row)
            old = row.checked_at.isoformat() if row.checked_at else None
            row.checked_at, row.checked_by = now, user_id
            checked = getattr(adapter, "checked", None)  # owners that keep their own date
            if checked is not None:
                checked(session, state.entity_id, now.date(), self._context(user_id, user_id))
            self._audit(
                session,
                kind=kind,
                entity_id=state.entity_id,
                action="check",
                field="checked",
                old=old,
                new=now.isoformat(),
                reason="checked and found correct",
                author_id=user_id,
                at=now,
            )
            # Public pages say when a person last checked their facts: a new catalogue
            # version makes every node drop the pages it kept (web/page_cache.py).
            bump_version(session)
        self._notify_published()

    # -- overrides ---------------------------------------------------------------------------

    def acknowledge_override(self, override_id: int, user_id: int) -> None:
        """Keep an override after the source changed: stop reporting this source value."""
        with self._sessions() as session, session.begin():
            self._user(session, user_id)
            o = session.get(Override, override_id)
            if o is None or not o.active:
                raise NotFound(f"no active override {override_id}")
            old = o.source_value
            o.source_value, o.disagrees = o.last_source_value, False
            self._audit(
                session,
                kind=o.entity_kind,
                entity_id=o.entity_id,
                action="keep_override",
                field=o.field,
                old=old,
                new=o.last_source_value,
                reason="override kept after the source changed",
                author_id=user_id,
                at=self._clock(),
            )

    def propose_drop_override(self, override_id: int, author_id: int, reason: str) -> int:
        """A draft that gives a field back to its source (the source's last value)."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput([FieldError("reason", "required")])
        with self._sessions() as session, session.begin():
            self._user(session, author_id)
            o = session.get(Override, override_id)
            if o is None or not o.active:
                raise NotFound(f"no active override {override_id}")
            adapter = self.adapter(o.entity_kind)
            state = adapter.load(session, o.entity_id)
            if state is None:
                raise NotFound(f"no {o.entity_kind} {o.entity_id!r}")
            value = o.last_source_value
            current = state.retired if o.field == RETIRED else state.values.get(o.field)
            rev = self._revision_row(session, o.entity_kind, o.entity_id)
            if rev is not None:
                rev.draft_seq += 1
            draft = Draft(
                entity_kind=o.entity_kind,
                entity_id=o.entity_id,
                action="drop_override",
                payload={o.field: value},
                before={o.field: current},
                base_hash=values_hash(state.values, state.retired),
                base_revision=rev.revision if rev else 0,
                reason=reason[:MAX_REASON],
                status="pending",
                author_id=author_id,
                created_at=self._clock(),
            )
            session.add(draft)
            session.flush()
            return draft.id

    # -- feedback --------------------------------------------------------------------------

    def submit_feedback(self, lang: str, page_url: str, message: str, contact: str | None) -> int:
        """Store a public "report an error" message. No account, no address, no cookies."""
        message = message.replace("\r\n", "\n").strip()
        contact = (contact or "").strip() or None
        page_url = page_url.strip()
        errors = []
        if len(message) < 5:
            errors.append(FieldError("message", "too_short", {"min": 5}))
        elif len(message) > MAX_FEEDBACK:
            errors.append(FieldError("message", "too_long", {"max": MAX_FEEDBACK}))
        if contact is not None and len(contact) > 254:
            errors.append(FieldError("contact", "too_long", {"max": 254}))
        if not is_site_page(page_url):
            errors.append(FieldError("page", "not_page"))
        if lang not in LANGS:
            lang = "nl"
        if errors:
            raise InvalidInput(
                errors, {"message": message, "contact": contact or "", "page": page_url}
            )
        entity = entity_of_path(page_url)
        with self._sessions() as session, session.begin():
            if entity is not None:  # an English page's address has the English slug
                entity = (entity[0], load_permalinks(session).entity_id(*entity))
            report = FeedbackReport(
                created_at=self._clock(),
                lang=lang,
                page_url=page_url,
                entity_kind=entity[0] if entity else None,
                entity_id=entity[1] if entity else None,
                message=message,
                contact=contact,
                status="new",
            )
            session.add(report)
            session.flush()
            return report.id

    def handle_feedback(
        self, report_id: int, user_id: int, status: str, note: str, expected_version: int
    ) -> None:
        if status not in ("new", "handled", "dismissed"):
            raise InvalidInput([FieldError("status", "not_choice")])
        note = note.strip()
        if len(note) > MAX_REASON:
            raise InvalidInput([FieldError("note", "too_long", {"max": MAX_REASON})])
        with self._sessions() as session, session.begin():
            self._user(session, user_id)
            claimed = session.execute(
                update(FeedbackReport)
                .where(FeedbackReport.id == report_id, FeedbackReport.version == expected_version)
                .values(
                    status=status,
                    note=note or None,
                    handled_by=user_id,
                    handled_at=self._clock(),
                    version=FeedbackReport.version + 1,
                )
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
                if session.get(FeedbackReport, report_id) is None:
                    raise NotFound(f"no feedback report {report_id}")
                raise Conflict("feedback_changed")

    # -- link checks -------------------------------------------------------------------------

    def record_link_results(self, results: Iterable[LinkResult]) -> int:
        """Replace the stored link-check results with this run's."""
        rows = list(results)
        with self._sessions() as session, session.begin():
            session.execute(delete(LinkCheck))
            seen: set[tuple[str, str, str, str]] = set()
            for r in rows:
                key = (r.entity_kind, r.entity_id, r.field, r.url)
                if key in seen:
                    continue
                seen.add(key)
                session.add(
                    LinkCheck(
                        entity_kind=r.entity_kind,
                        entity_id=r.entity_id,
                        field=r.field,
                        url=r.url[:500],
                        checked_at=r.checked_at,
                        ok=r.ok,
                        status_code=r.status_code,
                        error=(r.error or None) and (r.error or "")[:500],
                    )
                )
        return len(seen)
