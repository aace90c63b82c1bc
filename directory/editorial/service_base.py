"""What every part of the editorial service shares: sessions, the owning services and
adapters, the acting user's role checks, the audit trail, and the views it returns."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from directory.accounts.models import EditorUser
from directory.accounts.sessions import (
    RateLimitPolicy,
    SessionPolicy,
)
from directory.clock import utcnow
from directory.conditions.services import CatalogueService
from directory.editorial.adapters.registry import default_adapters
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.entities import (
    EntityAdapter,
    EntityState,
)
from directory.editorial.errors import (
    PermissionDenied,
)
from directory.editorial.fields import (
    values_hash,
)
from directory.editorial.models import (
    AuditEntry,
    EntityRevision,
)
from directory.errors import NotFound
from directory.paths import LANGS, SEGMENTS
from directory.vocabulary import PAGE_KINDS, AuditAction

MAX_REASON = 1000
MAX_FEEDBACK = 3000
# Kinds with a public page of their own, for linking feedback to an entity.
PUBLIC_ENTITY_KINDS = PAGE_KINDS


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


# The logger keeps the name it had when this was one module.
log = logging.getLogger("directory.editorial.services")


class EditorialBase:
    """Construction, role checks, the audit trail and the publish notice."""

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

            owners = {"expertise": ExpertiseService(session_factory, EDITOR_CORRECTIONS, catalogue)}
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
        action: AuditAction,
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

    def _notify_published(self) -> None:
        """Ask the web layer to rebuild the search index; a failure is logged, not raised."""
        if self.on_published is None:
            return
        try:
            self.on_published()
        except Exception:  # the approval is committed; the index catches up on its check
            log.exception("search index rebuild after approving proposals failed")

    # -- entity state and the concurrency token ---------------------------------------------

    @staticmethod
    def _revision_row(session: Session, kind: str, entity_id: str) -> EntityRevision | None:
        return session.get(EntityRevision, (kind, entity_id))

    def _token(self, session: Session, state: EntityState) -> str:
        rev = self._revision_row(session, state.kind, state.entity_id)
        revision, seq = (rev.revision, rev.draft_seq) if rev else (0, 0)
        return f"{revision}.{seq}.{values_hash(state.values, state.retired)[:16]}"
