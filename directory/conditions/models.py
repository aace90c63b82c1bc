"""SQLAlchemy models of the catalogue's Orphanet spine and its bookkeeping.

Everything is keyed on the ORPHAcode, never on Orphanet's internal ids or labels.
Each fact points at the source release it came from (provenance).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.clock import utcnow
from directory.db import Base

STATUSES = ("active", "obsolete", "deprecated")
NAME_KINDS = ("preferred", "synonym")


class SourceRelease(Base):
    """One release (file) of one source, with its licence and attribution."""

    __tablename__ = "source_release"
    __table_args__ = (UniqueConstraint("source", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(200))
    release_date: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(8))
    licence: Mapped[str] = mapped_column(String(200))
    attribution: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Condition(Base):
    """A rare disease concept identified by its ORPHAcode."""

    __tablename__ = "condition"
    __table_args__ = (
        CheckConstraint("level IS NULL OR level IN ('group','disorder','subtype')", name="level"),
        CheckConstraint("status IN ('active','obsolete','deprecated')", name="status"),
    )

    orphacode: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    level: Mapped[str | None] = mapped_column(String(16))
    disorder_type: Mapped[str | None] = mapped_column(String(100))
    disorder_type_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="active")
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    names: Mapped[list[ConditionName]] = relationship(
        back_populates="condition", cascade="all, delete-orphan", order_by="ConditionName.id"
    )


class ConditionName(Base):
    """A preferred name or synonym in one language, official (Orphanet) or editorial."""

    __tablename__ = "condition_name"
    __table_args__ = (
        UniqueConstraint("orphacode", "lang", "kind", "origin", "text"),
        CheckConstraint("kind IN ('preferred','synonym')", name="kind"),
        CheckConstraint("origin IN ('orphanet','editorial')", name="origin"),
        Index("ix_condition_name_code_lang", "orphacode", "lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    orphacode: Mapped[int] = mapped_column(ForeignKey("condition.orphacode", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(500))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    # An editorial translation that no editor has approved yet (shown, marked as such).
    proposed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    condition: Mapped[Condition] = relationship(back_populates="names")


class ProposedSummary(Base):
    """A plain-language (B1) summary the editors drafted from Orphanet's definition, shown
    marked as not yet checked until an editor approves it (it then becomes a
    ``condition_summary``, which always wins)."""

    __tablename__ = "proposed_summary"

    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    based_on: Mapped[str] = mapped_column(Text)  # which Orphanet text it restates
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class NameApproval(Base):
    """An editor approved this editorial name: it is no longer a proposal, also after a
    re-import of the names file."""

    __tablename__ = "name_approval"

    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(String(500), primary_key=True)
    approved_by: Mapped[int | None] = mapped_column(Integer)  # editor_user id
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ConditionDefinition(Base):
    __tablename__ = "condition_definition"

    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    origin: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class Classification(Base):
    """One Orphanet classification (e.g. 202, rare neoplastic diseases)."""

    __tablename__ = "classification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    orphanumber: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class ClassificationEdge(Base):
    """Parent -> child within one classification; a code may have several parents."""

    __tablename__ = "classification_edge"

    classification_id: Mapped[int] = mapped_column(
        ForeignKey("classification.id", ondelete="CASCADE"), primary_key=True
    )
    parent_code: Mapped[int] = mapped_column(ForeignKey("condition.orphacode"), primary_key=True)
    child_code: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class ConditionRedirect(Base):
    """An inactive code pointing to its successor ("moved to" / "referred to")."""

    __tablename__ = "condition_redirect"
    __table_args__ = (CheckConstraint("kind IN ('moved_to','referred_to')", name="kind"),)

    from_code: Mapped[int] = mapped_column(ForeignKey("condition.orphacode"), primary_key=True)
    to_code: Mapped[int] = mapped_column(ForeignKey("condition.orphacode"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class CrossReference(Base):
    """A mapping of an ORPHAcode to another terminology (ICD-10, ICD-11, OMIM, ...).

    ``relation`` is Orphanet's DisorderMappingRelation as published ("E (Exact
    mapping...)", "NTBT (...)", "BTNT (...)"), or for editorial rows ``exact``,
    ``broader`` or ``narrower``; :func:`directory.conditions.records.mapping_relation` reads both.
    Orphanet's rows and the editors' (``origin``) are kept apart: an Orphanet
    import never touches editorial rows.
    """

    __tablename__ = "cross_reference"
    __table_args__ = (CheckConstraint("origin IN ('orphanet','editorial')", name="origin"),)

    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode", ondelete="CASCADE"), primary_key=True
    )
    system: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    origin: Mapped[str] = mapped_column(
        String(16), primary_key=True, default="orphanet", server_default="orphanet"
    )
    relation: Mapped[str | None] = mapped_column(String(200))
    validation: Mapped[str | None] = mapped_column(String(100))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class ImportRun(Base):
    """One run of one importer: what it read, what it changed, what went wrong."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))  # succeeded | failed | partial | dry_run
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    release_id: Mapped[int | None] = mapped_column(ForeignKey("source_release.id"))


# -- search support: lay terms, gazetteer, zero-result log --------------------------------

LAY_TERM_ORIGINS = ("curated", "editor")


class LayTerm(Base):
    """A word or phrase that patients type for a condition, in one language.

    Catalogue content that editors curate: folded into the condition's search document.
    """

    __tablename__ = "lay_term"
    __table_args__ = (
        UniqueConstraint("orphacode", "lang", "term"),
        CheckConstraint("origin IN ('curated','editor')", name="origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(8))
    term: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16), default="curated")
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class ZeroResultQuery(Base):
    """A search that found nothing, counted per normalised query for the editors.

    Holds the query text and times only: no IP address or any other personal data.
    """

    __tablename__ = "zero_result_query"

    normalised: Mapped[str] = mapped_column(String(200), primary_key=True)
    example: Mapped[str] = mapped_column(String(200))  # the latest text as typed
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime)
