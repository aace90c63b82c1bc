"""Over 600 lines: the expertise tables are one schema with foreign keys between them all.

SQLAlchemy models of the harmonised expertise catalogue.

Institutions (with aliases and sites), networks with roles, ERNs, EURACAN
domains, body areas, expert panels and working groups, and ONE table of
expertise facts: :class:`Designation`. A designation links institution(s) to
ORPHAcodes with a kind (ECZA, SONCOS reference centre, panel, working-group
centre, ERN member, preferred partner), a level, a validity period, a certainty
and its provenance (source release, source reference, date checked).

Rows that disappear from a newer release are retired (``retired_at`` set), not
deleted, so their history stays readable. Bilingual text is stored as paired
``*_nl`` / ``*_en`` columns.
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
    Float,
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
from directory.expertise.entity_fields import PANEL_FIELDS
from directory.vocabulary import (
    DESIGNATION_KINDS,
    INSTITUTION_KINDS,
    INSTITUTION_STATUSES,
    PANEL_LEVELS,
    PATIENT_RESOURCE_KINDS,
    POPULATIONS,
    PUBLISHER_KINDS,
    Certainty,
    DesignationKind,
    InstitutionKind,
    InstitutionStatus,
    NetworkKind,
    PanelLevel,
    PatientResourceKind,
    Population,
    PublisherKind,
    SiteKind,
    SubmissionKind,
    WorkingGroupKind,
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SourceDocument(Base):
    """A public page, report or list that states facts, cited by id from the facts.

    Facts carry ``{"source": <slug>, "locator": ...}``; pages show who states the fact
    (``publisher``), the page's title and date, when the editors read it, and a link.
    """

    __tablename__ = "source_document"
    __table_args__ = (
        CheckConstraint(_in("publisher_kind", PUBLISHER_KINDS), name="publisher_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    publisher: Mapped[str] = mapped_column(String(300))
    publisher_kind: Mapped[PublisherKind] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    page_date: Mapped[str | None] = mapped_column(String(10))  # YYYY, YYYY-MM or YYYY-MM-DD
    read_on: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(8))
    note_nl: Mapped[str | None] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Institution(Base):
    """A hospital or centre under its current official name.

    ``status`` is its lifecycle: closed and merged institutions stay for history but are
    never offered as a place to go; ``successor`` is where their patients went.
    """

    __tablename__ = "institution"
    __table_args__ = (
        CheckConstraint(_in("kind", INSTITUTION_KINDS), name="kind"),
        CheckConstraint(_in("status", INSTITUTION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))  # official (Dutch) name
    name_en: Mapped[str] = mapped_column(String(300))
    kind: Mapped[InstitutionKind] = mapped_column(String(32))
    kind_certainty: Mapped[Certainty | None] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(16))  # curated | rivm
    website: Mapped[str | None] = mapped_column(String(500))
    rivm_organisations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    notes_nl: Mapped[str | None] = mapped_column(Text)
    notes_en: Mapped[str | None] = mapped_column(Text)
    corrections: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{what, ref}]
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{ref, checked, note}]
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[InstitutionStatus] = mapped_column(
        String(16), default="active", server_default="active"
    )
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    lifecycle_nl: Mapped[str | None] = mapped_column(Text)
    lifecycle_en: Mapped[str | None] = mapped_column(Text)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    aliases: Mapped[list[InstitutionAlias]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="InstitutionAlias.id"
    )
    sites: Mapped[list[Site]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="Site.id"
    )


class InstitutionAlias(Base):
    """A name a source uses for an institution; ``key`` is the folded form, unique."""

    __tablename__ = "institution_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)
    origin: Mapped[str] = mapped_column(String(16))  # curated | rivm | name

    institution: Mapped[Institution] = relationship(back_populates="aliases")


class Site(Base):
    """One location of an institution, with its PC4 coordinates (GeoNames)."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)  # rivm:<nr> | curated:<slug>:<n>
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[SiteKind] = mapped_column(
        String(32)
    )  # hospital | outpatient_clinic | childrens_hospital
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    pc4: Mapped[str | None] = mapped_column(String(4))
    city: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    rivm_location: Mapped[int | None] = mapped_column(Integer)
    source_ref: Mapped[str] = mapped_column(Text)
    certainty: Mapped[Certainty | None] = mapped_column(String(32))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    institution: Mapped[Institution] = relationship(back_populates="sites")


class NetworkRole(Base):
    """A role an institution can have in a network (member, expert centre, partner, ...)."""

    __tablename__ = "network_role"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_nl: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(32))  # shared_care | head_and_neck | network
    echelon: Mapped[int | None] = mapped_column(Integer)  # shared-care echelon 1..3
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class Network(Base):
    """A regional oncology network, tumour-type network or other collaboration."""

    __tablename__ = "network"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # the slug of its English pages; made once, never changed by a rename (expertise.slugs)
    slug_en: Mapped[str | None] = mapped_column(String(100), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[NetworkKind] = mapped_column(
        String(32)
    )  # regional_oncology | head_and_neck | tumour_type ...
    status: Mapped[str | None] = mapped_column(String(32))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    region_nl: Mapped[str | None] = mapped_column(String(300))
    region_en: Mapped[str | None] = mapped_column(String(300))
    description_nl: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class NetworkMembership(Base):
    """An institution's role in a network; ``partner_of`` for preferred partners."""

    __tablename__ = "network_membership"
    __table_args__ = (UniqueConstraint("network_id", "institution_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    role: Mapped[str] = mapped_column(ForeignKey("network_role.code"))
    partner_of_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    region: Mapped[str | None] = mapped_column(String(100))  # e.g. head-and-neck region
    certainty: Mapped[Certainty | None] = mapped_column(String(32))
    note_nl: Mapped[str | None] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Ern(Base):
    """A European Reference Network."""

    __tablename__ = "ern"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str] = mapped_column(String(64))  # the short name, e.g. EURACAN
    name_en: Mapped[str] = mapped_column(String(300))
    name_nl: Mapped[str | None] = mapped_column(String(300))
    notes_nl: Mapped[str | None] = mapped_column(Text)
    notes_en: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class EuracanDomain(Base):
    """One of EURACAN's ten domains, with the ORPHAcodes at its top."""

    __tablename__ = "euracan_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str | None] = mapped_column(String(8))  # G1 .. G10
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_nl: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    lay_name_nl: Mapped[str | None] = mapped_column(String(300))
    lay_name_en: Mapped[str | None] = mapped_column(String(300))
    notes_nl: Mapped[str | None] = mapped_column(Text)
    notes_en: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class BodyArea(Base):
    """A body area in lay words (for browsing), with the ORPHAcodes it covers."""

    __tablename__ = "body_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # the slug of its English pages; made once, never changed by a rename (expertise.slugs)
    slug_en: Mapped[str | None] = mapped_column(String(100), unique=True, index=True)
    name_nl: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    notes_nl: Mapped[str | None] = mapped_column(Text)
    notes_en: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class WorkingGroup(Base):
    """A national (multidisciplinary) working group, sub-group or initiative."""

    __tablename__ = "working_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # the slug of its English pages; made once, never changed by a rename (expertise.slugs)
    slug_en: Mapped[str | None] = mapped_column(String(100), unique=True, index=True)
    name_nl: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    abbreviation: Mapped[str | None] = mapped_column(String(50))
    kind: Mapped[WorkingGroupKind] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("working_group.id"))
    euracan_domain_id: Mapped[int | None] = mapped_column(ForeignKey("euracan_domain.id"))
    domain_label_nl: Mapped[str | None] = mapped_column(String(300))
    domain_label_en: Mapped[str | None] = mapped_column(String(300))
    scope_nl: Mapped[str | None] = mapped_column(Text)
    scope_en: Mapped[str | None] = mapped_column(Text)
    description_nl: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    notes_nl: Mapped[str | None] = mapped_column(Text)
    notes_en: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    initiatives: Mapped[list[Any]] = mapped_column(JSON, default=list)  # panel slugs
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Panel(Base):
    """An expert panel or national tumour board.

    Every row of the table in seed 000 and every condition of the DRCP
    framework (seed 001, section 1.5) has a column here. The prose columns
    (``<name>_nl`` and ``<name>_en``, type Text) are made from the declaration in
    :mod:`directory.expertise.entity_fields`, below the class.
    """

    __tablename__ = "panel"
    __table_args__ = (CheckConstraint(_in("level", PANEL_LEVELS), name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # the slug of its English pages; made once, never changed by a rename (expertise.slugs)
    slug_en: Mapped[str | None] = mapped_column(String(100), unique=True, index=True)
    name_nl: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    level: Mapped[PanelLevel] = mapped_column(String(16))  # national | regional
    region_nl: Mapped[str | None] = mapped_column(String(300))
    region_en: Mapped[str | None] = mapped_column(String(300))
    euracan_domain_id: Mapped[int | None] = mapped_column(ForeignKey("euracan_domain.id"))
    working_group_id: Mapped[int | None] = mapped_column(ForeignKey("working_group.id"))
    coordinating_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    # 000 "Samenstelling"; 001 1.5.3
    disciplines_nl: Mapped[list[Any]] = mapped_column(JSON, default=list)
    disciplines_en: Mapped[list[Any]] = mapped_column(JSON, default=list)
    turnaround_days_min: Mapped[int | None] = mapped_column(Integer)
    turnaround_days_max: Mapped[int | None] = mapped_column(Integer)
    # 000 "Webportaal"; 001 1.5.8 how to submit
    submission_kind: Mapped[SubmissionKind] = mapped_column(
        String(16)
    )  # portal|platform|email|...|unknown
    portal_name: Mapped[str | None] = mapped_column(String(200))
    submission_url: Mapped[str | None] = mapped_column(String(500))
    submission_email: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(500))
    founded: Mapped[str | None] = mapped_column(String(50))
    clinical_trials_in_advice: Mapped[bool | None] = mapped_column(Boolean)
    certainty: Mapped[Certainty | None] = mapped_column(String(32))
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


# The panel's prose columns, one Dutch and one English per declared prose field
# (SQLAlchemy adds a mapped_column set on a declarative class to its table and mapper).
for _field in PANEL_FIELDS:
    if _field.prose:
        for _column in _field.columns:
            setattr(Panel, _column, mapped_column(Text))


class Designation(Base):
    """One expertise fact: institution(s) x ORPHAcode(s), with kind, validity, provenance."""

    __tablename__ = "designation"
    __table_args__ = (
        UniqueConstraint("source", "key"),
        CheckConstraint(_in("kind", DESIGNATION_KINDS), name="kind"),
        CheckConstraint(_in("population", POPULATIONS), name="population"),
        CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_from <= valid_until",
            name="validity",
        ),
        Index("ix_designation_kind", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DesignationKind] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64))  # importer source name
    key: Mapped[str] = mapped_column(String(300))  # natural key within the source
    label_nl: Mapped[str | None] = mapped_column(String(500))  # centre name, tumour group, ...
    label_en: Mapped[str | None] = mapped_column(String(500))
    # ECZA: cluster | disease | subtype; panel: national | regional;
    # SONCOS: reference_centre_requirements | treatment_in_reference_centre;
    # expertise centre: one of CENTRE_BASES
    level: Mapped[str | None] = mapped_column(String(40))
    population: Mapped[Population] = mapped_column(String(16), default="all", server_default="all")
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    certainty: Mapped[Certainty | None] = mapped_column(String(32))
    ern_id: Mapped[int | None] = mapped_column(ForeignKey("ern.id"))
    panel_id: Mapped[int | None] = mapped_column(ForeignKey("panel.id"))
    working_group_id: Mapped[int | None] = mapped_column(ForeignKey("working_group.id"))
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id"))
    partner_of_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    source_version: Mapped[str | None] = mapped_column(String(200))  # e.g. SONCOS report version
    source_section: Mapped[str | None] = mapped_column(String(300))  # e.g. chapter
    source_ref: Mapped[str] = mapped_column(Text)  # where the fact is stated, as text
    # [{"source": <source_document slug>, "locator": ...} | {"ref": <free text>}, ...]
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    citation_nl: Mapped[str | None] = mapped_column(Text)
    citation_en: Mapped[str | None] = mapped_column(Text)
    note_nl: Mapped[str | None] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    first_release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    institutions: Mapped[list[DesignationInstitution]] = relationship(
        cascade="all, delete-orphan", order_by="DesignationInstitution.position"
    )
    conditions: Mapped[list[DesignationCondition]] = relationship(
        cascade="all, delete-orphan", order_by="DesignationCondition.orphacode"
    )
    exclusions: Mapped[list[DesignationExclusion]] = relationship(
        cascade="all, delete-orphan", order_by="DesignationExclusion.orphacode"
    )


class DesignationInstitution(Base):
    __tablename__ = "designation_institution"

    designation_id: Mapped[int] = mapped_column(
        ForeignKey("designation.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class DesignationCondition(Base):
    """An ORPHAcode a designation is for; ``source_code`` when the source used an old code."""

    __tablename__ = "designation_condition"

    designation_id: Mapped[int] = mapped_column(
        ForeignKey("designation.id", ondelete="CASCADE"), primary_key=True
    )
    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode"), primary_key=True, index=True
    )
    source_code: Mapped[int | None] = mapped_column(Integer)


class DesignationExclusion(Base):
    """An ORPHAcode a designation does NOT reach, with everything below it.

    A scope is a set of codes with explicit exclusions: a SONCOS norm for bone sarcoma
    written on "rare bone tumour" must not reach a solitary bone cyst.
    """

    __tablename__ = "designation_exclusion"

    designation_id: Mapped[int] = mapped_column(
        ForeignKey("designation.id", ondelete="CASCADE"), primary_key=True
    )
    orphacode: Mapped[int] = mapped_column(ForeignKey("condition.orphacode"), primary_key=True)


class PanelInstitution(Base):
    __tablename__ = "panel_institution"

    panel_id: Mapped[int] = mapped_column(
        ForeignKey("panel.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # coordinating | member


class ScopeCondition(Base):
    """ORPHAcodes in the scope of a panel, working group, EURACAN domain or body area."""

    __tablename__ = "scope_condition"
    __table_args__ = (
        CheckConstraint(
            "owner_kind IN ('panel','working_group','euracan_domain','body_area')",
            name="owner_kind",
        ),
        Index("ix_scope_condition_owner", "owner_kind", "owner_id"),
    )

    owner_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode"), primary_key=True, index=True
    )


class ScopeExclusion(Base):
    """An ORPHAcode (and everything below it) outside the scope of a panel, working group,
    EURACAN domain or body area although one of its groups is inside."""

    __tablename__ = "scope_exclusion"
    __table_args__ = (
        CheckConstraint(
            "owner_kind IN ('panel','working_group','euracan_domain','body_area')",
            name="owner_kind",
        ),
    )

    owner_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    orphacode: Mapped[int] = mapped_column(ForeignKey("condition.orphacode"), primary_key=True)


class PriorityCondition(Base):
    """A condition people look up most, which the directory must answer well: the
    editors' worklist for sourced centres, and a line of the coverage report."""

    __tablename__ = "priority_condition"

    orphacode: Mapped[int] = mapped_column(
        ForeignKey("condition.orphacode"), primary_key=True, autoincrement=False
    )
    position: Mapped[int] = mapped_column(Integer)
    topic_nl: Mapped[str] = mapped_column(String(200))
    topic_en: Mapped[str] = mapped_column(String(200))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class PatientResource(Base):
    """A patient organisation, or a plain-language information page about a cancer type,
    with the conditions it is for (a condition page links the ones that reach it)."""

    __tablename__ = "patient_resource"
    __table_args__ = (CheckConstraint(_in("kind", PATIENT_RESOURCE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[PatientResourceKind] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    website: Mapped[str] = mapped_column(String(500))
    description_nl: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class PatientResourceCondition(Base):
    """An ORPHAcode a resource is for (with everything below it), or, ``excluded``, not for."""

    __tablename__ = "patient_resource_condition"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("patient_resource.id", ondelete="CASCADE"), primary_key=True
    )
    orphacode: Mapped[int] = mapped_column(ForeignKey("condition.orphacode"), primary_key=True)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)


class SearchAlias(Base):
    """Another name people use for an institution, panel, working group or network.

    Old names from before a merger ("Dijkzigt"), names people in the region still use,
    and Dutch descriptions of groups with English names; each with its source.
    Catalogue content for search only: folded into the entity's search document.
    """

    __tablename__ = "search_alias"
    __table_args__ = (
        UniqueConstraint("kind", "entity", "alias"),
        CheckConstraint("kind IN ('institution','panel','working_group','network')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(100))  # the entity's slug
    lang: Mapped[str | None] = mapped_column(String(8))  # nl | en | None: both
    alias: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
