"""Overrides after a re-import: keep one, or propose to drop it."""

from __future__ import annotations

from directory.editorial.errors import (
    InvalidInput,
)
from directory.editorial.fields import (
    FieldError,
    values_hash,
)
from directory.editorial.models import (
    Draft,
    Override,
)
from directory.editorial.overrides import RETIRED
from directory.editorial.service_base import MAX_REASON, EditorialBase
from directory.errors import NotFound


class OverrideReview(EditorialBase):
    """Editors' answers to a source that now disagrees."""

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
