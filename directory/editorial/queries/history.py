"""An entity's history in the editor area: its drafts, its audit trail grouped into
published revisions, the editors' overrides still in force, and when it was last checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.accounts.models import EditorUser
from directory.editorial.entities import EntityAdapter, EntityState
from directory.editorial.fields import values_hash
from directory.editorial.models import AuditEntry, Draft, EntityRevision, Override
from directory.vocabulary import AuditAction, DraftAction, DraftStatus


@dataclass(frozen=True)
class ChangeView:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class DraftView:
    id: int
    entity_kind: str
    entity_id: str
    entity_title: str
    title_lang: str
    action: DraftAction
    status: DraftStatus
    reason: str
    author: str
    author_id: int
    created_at: dt.datetime
    reviewer: str | None
    reviewed_at: dt.datetime | None
    review_comment: str | None
    changes: tuple[ChangeView, ...]
    reverts_revision: int | None
    stale: bool  # the entity changed after the draft was made: approving will fail
    version: int


@dataclass(frozen=True)
class AuditView:
    id: int
    at: dt.datetime
    entity_kind: str
    entity_id: str
    action: AuditAction
    field: str
    old_value: Any
    new_value: Any
    reason: str
    author: str | None
    approver: str | None
    draft_id: int | None
    revision: int | None


@dataclass(frozen=True)
class RevisionView:
    """One published version of an entity: the audit rows of one approved draft."""

    revision: int
    at: dt.datetime
    author: str | None
    approver: str | None
    reason: str
    action: str
    changes: tuple[AuditView, ...]


@dataclass(frozen=True)
class OverrideView:
    id: int
    entity_kind: str
    entity_id: str
    field: str
    value: Any
    source_value: Any
    last_source_value: Any
    disagrees: bool  # the source changed since the override: an editor should decide
    reason: str
    created_by: str | None
    created_at: dt.datetime
    last_import_at: dt.datetime | None


@dataclass(frozen=True)
class LastChecked:
    """When an entity was last confirmed correct, and by whom (an editor or its source)."""

    on: dt.date
    by_editor: bool


@dataclass(frozen=True)
class HistoryView:
    state: EntityState
    revisions: tuple[RevisionView, ...]
    other: tuple[AuditView, ...]  # checks and override decisions
    overrides: tuple[OverrideView, ...]
    last_checked: LastChecked | None
    pending: tuple[DraftView, ...]


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    """The display names of the editors ``ids`` (``None`` and unknown ids left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        u.id: u.display_name
        for u in session.scalars(select(EditorUser).where(EditorUser.id.in_(wanted)))
    }


def draft_views(
    session: Session, adapters: Mapping[str, EntityAdapter], drafts: list[Draft]
) -> tuple[DraftView, ...]:
    ids: set[int | None] = {d.author_id for d in drafts}
    names = user_names(session, ids | {d.reviewer_id for d in drafts})
    states: dict[tuple[str, str], EntityState | None] = {}
    views = []
    for d in drafts:
        key = (d.entity_kind, d.entity_id)
        if key not in states:
            adapter = adapters.get(d.entity_kind)
            states[key] = adapter.load(session, d.entity_id) if adapter else None
        state = states[key]
        if state is not None:
            title, title_lang = state.title, state.title_lang
            stale = d.status == "pending" and (
                d.action == "create" or values_hash(state.values, state.retired) != d.base_hash
            )
        else:
            title, title_lang = d.entity_id, "en"
            stale = d.status == "pending" and d.action != "create"
        views.append(
            DraftView(
                id=d.id,
                entity_kind=d.entity_kind,
                entity_id=d.entity_id,
                entity_title=title,
                title_lang=title_lang,
                action=d.action,
                status=d.status,
                reason=d.reason,
                author=names.get(d.author_id, "?"),
                author_id=d.author_id,
                created_at=d.created_at,
                reviewer=names.get(d.reviewer_id) if d.reviewer_id else None,
                reviewed_at=d.reviewed_at,
                review_comment=d.review_comment,
                changes=tuple(
                    ChangeView(f, d.before.get(f), v) for f, v in sorted(d.payload.items())
                ),
                reverts_revision=d.reverts_revision,
                stale=stale,
                version=d.version,
            )
        )
    return tuple(views)


def audit_views(session: Session, rows: list[AuditEntry]) -> list[AuditView]:
    names = user_names(session, {a.author_id for a in rows} | {a.approver_id for a in rows})
    return [
        AuditView(
            id=a.id,
            at=a.at,
            entity_kind=a.entity_kind,
            entity_id=a.entity_id,
            action=a.action,
            field=a.field,
            old_value=a.old_value,
            new_value=a.new_value,
            reason=a.reason,
            author=names.get(a.author_id) if a.author_id else None,
            approver=names.get(a.approver_id) if a.approver_id else None,
            draft_id=a.draft_id,
            revision=a.revision,
        )
        for a in rows
    ]


def entity_audit(session: Session, kind: str, entity_id: str) -> list[AuditView]:
    """Every audit row of one entity, oldest first."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_kind == kind, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    return audit_views(session, list(rows))


def override_views(session: Session, rows: list[Override]) -> tuple[OverrideView, ...]:
    names = user_names(session, {o.created_by for o in rows})
    return tuple(
        OverrideView(
            id=o.id,
            entity_kind=o.entity_kind,
            entity_id=o.entity_id,
            field=o.field,
            value=o.value,
            source_value=o.source_value,
            last_source_value=o.last_source_value,
            disagrees=o.disagrees,
            reason=o.reason,
            created_by=names.get(o.created_by) if o.created_by else None,
            created_at=o.created_at,
            last_import_at=o.last_import_at,
        )
        for o in rows
    )


def history(
    session: Session, adapters: Mapping[str, EntityAdapter], kind: str, entity_id: str
) -> HistoryView | None:
    adapter = adapters.get(kind)
    if adapter is None:
        return None
    state = adapter.load(session, entity_id)
    if state is None:
        return None
    by_rev: dict[int, list[AuditView]] = {}
    other: list[AuditView] = []
    for a in entity_audit(session, kind, state.entity_id):
        if a.revision is None:
            other.append(a)
        else:
            by_rev.setdefault(a.revision, []).append(a)
    revisions = tuple(
        RevisionView(
            revision=rev,
            at=entries[0].at,
            author=entries[0].author,
            approver=entries[0].approver,
            reason=entries[0].reason,
            action=entries[0].action,
            changes=tuple(entries),
        )
        for rev, entries in sorted(by_rev.items(), reverse=True)
    )
    overrides = override_views(
        session,
        list(
            session.scalars(
                select(Override).where(
                    Override.entity_kind == kind,
                    Override.entity_id == state.entity_id,
                    Override.active.is_(True),
                )
            )
        ),
    )
    pending = draft_views(
        session,
        adapters,
        list(
            session.scalars(
                select(Draft)
                .where(
                    Draft.entity_kind == kind,
                    Draft.entity_id == state.entity_id,
                    Draft.status == "pending",
                )
                .order_by(Draft.id)
            )
        ),
    )
    return HistoryView(
        state=state,
        revisions=revisions,
        other=tuple(reversed(other)),
        overrides=overrides,
        last_checked=last_checked(session, kind, state.entity_id, state),
        pending=pending,
    )


def _to_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def last_checked(
    session: Session,
    kind: str,
    entity_id: str,
    state: EntityState | None = None,
    source_checked: dt.date | None = None,
) -> LastChecked | None:
    """The later of an editor's check and the date the entity's source was read."""
    row = session.get(EntityRevision, (kind, entity_id))
    editor = _to_date(row.checked_at) if row else None
    source = source_checked or (state.source_checked if state else None)
    if editor and (source is None or editor >= source):
        return LastChecked(editor, True)
    if source:
        return LastChecked(source, False)
    return None
