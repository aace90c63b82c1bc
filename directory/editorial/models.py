"""SQLAlchemy models of the editor area: accounts, drafts, audit trail, overrides, feedback.

Other catalogue entities are referred to generically by ``(entity_kind, entity_id)``
strings ("condition", "178"; "panel", "landelijk-mdo-thymustumoren"), so these tables
do not depend on any one catalogue table. :mod:`directory.editorial.services` is the
only code that writes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from directory.clock import utcnow
from directory.db import Base, in_values
from directory.vocabulary import (
    DRAFT_ACTIONS,
    DRAFT_STATUSES,
    FEEDBACK_STATUSES,
    AuditAction,
    DraftAction,
    DraftStatus,
    FeedbackStatus,
)

SUMMARY_ORIGINS = ("editor", "curated")


class EntityRevision(Base):
    """Per entity: how often an approved edit changed it, and when it was last checked.

    ``revision`` grows with every approved edit; ``draft_seq`` with every saved draft.
    Both make concurrent saves and approvals detectable.
    """

    __tablename__ = "entity_revision"

    entity_kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    draft_seq: Mapped[int] = mapped_column(Integer, default=0)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("editor_user.id"))


class Draft(Base):
    """A proposed change to one entity. Applied only when a reviewer (not the author) approves."""

    __tablename__ = "draft"
    __table_args__ = (
        CheckConstraint(in_values("action", DRAFT_ACTIONS), name="action"),
        CheckConstraint(in_values("status", DRAFT_STATUSES), name="status"),
        Index("ix_draft_status", "status"),
        Index("ix_draft_entity", "entity_kind", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[DraftAction] = mapped_column(String(16))
    # field -> new value (JSON-compatible); only the fields that change
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # field -> value when the draft was made, to show the change and detect conflicts
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    base_hash: Mapped[str] = mapped_column(String(64))  # hash of the entity's values then
    base_revision: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[DraftStatus] = mapped_column(String(16), default="pending")
    author_id: Mapped[int] = mapped_column(ForeignKey("editor_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("editor_user.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)
    reverts_revision: Mapped[int | None] = mapped_column(Integer)  # for action "revert"
    version: Mapped[int] = mapped_column(Integer, default=1)


class AuditEntry(Base):
    """One changed field (or one account change): who, what, when, old and new value, why."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity_kind", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    entity_kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[AuditAction] = mapped_column(String(32))  # create|update|retire|revert|role|...
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("editor_user.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("editor_user.id"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id"))
    revision: Mapped[int | None] = mapped_column(Integer)  # the entity revision it created


class Override(Base):
    """An editor's correction of an imported fact; importers keep it on re-import."""

    __tablename__ = "editorial_override"
    __table_args__ = (UniqueConstraint("entity_kind", "entity_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    source_value: Mapped[Any] = mapped_column(JSON, nullable=True)  # what the source said then
    last_source_value: Mapped[Any] = mapped_column(JSON, nullable=True)  # at the last import
    last_import_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the source changed since the override and differs from it: an editor should decide
    disagrees: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("editor_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FeedbackReport(Base):
    """A "report an error" message from the public site.

    Holds the page, the entity, the message and only the contact details the reporter
    chose to leave: no address, no browser data.
    """

    __tablename__ = "feedback_report"
    __table_args__ = (CheckConstraint(in_values("status", FEEDBACK_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    lang: Mapped[str] = mapped_column(String(8))
    page_url: Mapped[str] = mapped_column(String(500))
    entity_kind: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[FeedbackStatus] = mapped_column(String(16), default="new")
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("editor_user.id"))
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)


class LinkCheck(Base):
    """The latest result of checking one outbound link of one entity."""

    __tablename__ = "link_check"
    __table_args__ = (UniqueConstraint("entity_kind", "entity_id", "field", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(500))
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))


class ConditionSummary(Base):
    """A plain-language (B1) summary of a condition in one language, written by editors."""

    __tablename__ = "condition_summary"
    __table_args__ = (CheckConstraint(in_values("origin", SUMMARY_ORIGINS), name="origin"),)

    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="editor")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("editor_user.id"))
