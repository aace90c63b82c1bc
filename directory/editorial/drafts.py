"""Drafts and their four-eyes review: save, withdraw, reject, approve (applied through the
entity's adapter in one transaction, with audit rows and overrides), revert, mark checked."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from directory.accounts.sessions import (
    REVIEW_ROLES,
)
from directory.catalogue_version import bump_version
from directory.editorial.entities import (
    EDITOR_RELEASE,
    ApplyContext,
    EntityAdapter,
    EntityState,
    check_orphacodes,
)
from directory.editorial.errors import (
    Conflict,
    InvalidInput,
    PermissionDenied,
)
from directory.editorial.fields import (
    FieldError,
    FieldValue,
    parse_form,
    same_value,
    values_hash,
)
from directory.editorial.models import (
    AuditEntry,
    Draft,
    EntityRevision,
    Override,
)
from directory.editorial.overrides import CREATED, RETIRED
from directory.editorial.service_base import MAX_REASON, ApprovalResult, EditorialBase, EntityForm
from directory.errors import NotFound

# The logger keeps the name it had when this was one module.
log = logging.getLogger("directory.editorial.services")


class Drafts(EditorialBase):
    """Edits from draft to approval."""

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
