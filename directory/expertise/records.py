"""Typed, immutable input records for the expertise catalogue.

Importers (pure code) turn curated files and official lists into these records;
:class:`directory.expertise.services.ExpertiseService` resolves their references
(institution names, ORPHAcodes, slugs) against the catalogue and writes them.

References are kept as written in the source, together with ``where`` (line or
element) and ``field``, so that a reference the catalogue cannot resolve is
reported with file, location, field and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from directory.conditions.records import ReleaseInfo
from directory.vocabulary import (
    CentreBasis,
    Certainty,
    EczaLevel,
    InstitutionKind,
    InstitutionStatus,
    NetworkKind,
    PanelLevel,
    PatientResourceKind,
    Population,
    PublisherKind,
    SiteKind,
    SoncosRequirementKind,
    SubmissionKind,
    WorkingGroupKind,
)


@dataclass(frozen=True)
class Bilingual:
    """A text in Dutch and English (both present)."""

    nl: str
    en: str


@dataclass(frozen=True)
class BilingualList:
    nl: tuple[str, ...]
    en: tuple[str, ...]


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from: an entry of the source register (``source``, with an
    optional ``locator`` such as a section), or a free text (``ref``); ``read_on`` is
    when the editors read the fact there (docs/data-formats.md §1.4)."""

    ref: str | None = None
    read_on: dt.date | None = None
    note: str | None = None
    source: str | None = None
    locator: str | None = None

    @property
    def label(self) -> str:
        """The slug or free text, for messages and plain-text summaries."""
        if self.source:
            return self.source + (f" ({self.locator})" if self.locator else "")
        return self.ref or ""


@dataclass(frozen=True)
class Ref:
    """A reference to another entity (institution name or slug, code, ...) as written."""

    value: str
    where: str  # "line 12", "panels[3] (slug 'x')"
    field: str


@dataclass(frozen=True)
class CodeRef:
    """An ORPHAcode as written in a source, with the English name given for checking."""

    code: int
    where: str
    field: str
    name_en: str | None = None


# -- the source register -----------------------------------------------------------


@dataclass(frozen=True)
class SourceDocumentRecord:
    """One entry of the source register (``data/curated/sources.json``)."""

    slug: str
    publisher: str
    publisher_kind: PublisherKind
    title: str
    url: str | None
    page_date: str | None
    read_on: dt.date | None
    language: str | None
    note: Bilingual | None
    where: str


@dataclass(frozen=True)
class SourcesRelease:
    release: ReleaseInfo
    documents: tuple[SourceDocumentRecord, ...]
    source_name: str = ""


# -- institutions ---------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    what: str
    ref: str


@dataclass(frozen=True)
class SiteRecord:
    key: str  # "rivm:<ziekenhuisnummer>" or "curated:<slug>:<n>"
    name: str
    kind: SiteKind
    address: str | None
    postcode: str | None
    pc4: str | None
    city: str | None
    lat: float | None
    lon: float | None
    rivm_location: int | None
    source_ref: str
    certainty: Certainty | None
    from_curated: bool = False


@dataclass(frozen=True)
class AliasRecord:
    alias: str
    origin: str  # name | curated | rivm


@dataclass(frozen=True)
class InstitutionRecord:
    slug: str
    name: str
    name_en: str
    kind: InstitutionKind
    kind_certainty: Certainty | None
    origin: str  # curated | rivm
    website: str | None
    rivm_organisations: tuple[int, ...]
    aliases: tuple[AliasRecord, ...]
    sites: tuple[SiteRecord, ...]
    notes: Bilingual | None
    corrections: tuple[Correction, ...]
    sources: tuple[SourceRef, ...]
    where: str
    # lifecycle: closed and merged institutions are never offered as a place to go
    status: InstitutionStatus = "active"
    ended_on: dt.date | None = None
    successor: str | None = None  # slug of the institution that took over
    lifecycle: Bilingual | None = None


@dataclass(frozen=True)
class InstitutionsRelease:
    """Institutions built from RIVM locations, GeoNames PC4 coordinates and the overlay."""

    release: ReleaseInfo  # the curated overlay (the run's release)
    rivm: ReleaseInfo
    geonames: ReleaseInfo
    institutions: tuple[InstitutionRecord, ...]
    warnings: tuple[str, ...] = ()
    source_name: str = ""  # the file or URL as read, used in problem messages


# -- reference data ---------------------------------------------------------------


@dataclass(frozen=True)
class MemberRecord:
    """An institution's membership of an ERN or a network."""

    institution: Ref
    role: str
    certainty: Certainty | None
    note: Bilingual | None
    partner_of: Ref | None = None
    region: str | None = None
    region_certainty: Certainty | None = None
    sources: tuple[SourceRef, ...] = ()  # the member's own sources (else the ERN's)
    domains: tuple[Ref, ...] = ()  # EURACAN domains the membership is for


@dataclass(frozen=True)
class ErnRecord:
    slug: str
    code: str
    name: Bilingual
    website: str | None
    notes: Bilingual | None
    members: tuple[MemberRecord, ...]
    sources: tuple[SourceRef, ...]
    where: str
    # The Orphanet groups the ERN covers (its members' designations apply to them);
    # EURACAN's scope is its domains' codes instead.
    scope: tuple[CodeRef, ...] = ()
    scope_exclude: tuple[CodeRef, ...] = ()


@dataclass(frozen=True)
class EuracanDomainRecord:
    slug: str
    code: str | None
    position: int
    name: Bilingual
    lay_name: Bilingual | None
    orphacodes: tuple[CodeRef, ...]
    notes: Bilingual | None
    sources: tuple[SourceRef, ...]
    where: str
    exclude: tuple[CodeRef, ...] = ()


@dataclass(frozen=True)
class BodyAreaRecord:
    slug: str
    position: int
    name: Bilingual
    orphacodes: tuple[CodeRef, ...]
    notes: Bilingual | None
    sources: tuple[SourceRef, ...]
    where: str


@dataclass(frozen=True)
class RoleRecord:
    code: str
    name: Bilingual
    description: Bilingual | None
    model: str
    echelon: int | None
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class ReferenceRelease:
    """ERNs (with Dutch members), EURACAN domains, body areas and network roles."""

    release: ReleaseInfo
    erns: tuple[ErnRecord, ...]
    euracan_scope_ern: str | None  # slug of the ERN whose scope is the EURACAN domains
    domains: tuple[EuracanDomainRecord, ...]
    body_areas: tuple[BodyAreaRecord, ...]
    roles: tuple[RoleRecord, ...]
    source_name: str = ""  # the file or URL as read, used in problem messages


# -- networks -----------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkRecord:
    slug: str
    name: str
    kind: NetworkKind
    status: str | None
    aliases: tuple[str, ...]
    region: Bilingual | None
    description: Bilingual | None
    members: tuple[MemberRecord, ...]
    sources: tuple[SourceRef, ...]
    where: str


@dataclass(frozen=True)
class NetworksRelease:
    release: ReleaseInfo
    networks: tuple[NetworkRecord, ...]
    source_name: str = ""  # the file or URL as read, used in problem messages


# -- working groups ---------------------------------------------------------------


@dataclass(frozen=True)
class WorkingGroupRecord:
    slug: str
    name: Bilingual
    abbreviation: str | None
    kind: WorkingGroupKind
    parent: Ref | None
    euracan_domain: Ref | None
    domain_label: Bilingual | None
    scope: Bilingual | None
    scope_codes: tuple[CodeRef, ...]
    website: str | None
    centres: tuple[Ref, ...]
    partners: tuple[Ref, ...]
    initiatives: tuple[Ref, ...]  # panel slugs (checked when panels are imported)
    description: Bilingual | None
    notes: Bilingual | None
    sources: tuple[SourceRef, ...]
    where: str
    scope_exclude: tuple[CodeRef, ...] = ()


@dataclass(frozen=True)
class WorkingGroupsRelease:
    release: ReleaseInfo
    working_groups: tuple[WorkingGroupRecord, ...]
    common_tasks: BilingualList | None = None
    source_name: str = ""  # the file or URL as read, used in problem messages


# -- panels -------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelRecord:
    """An expert panel; text fields are Bilingual or None (see docs/importers.md)."""

    slug: str
    name: Bilingual
    short_name: str | None
    aliases: tuple[str, ...]
    level: PanelLevel
    region: Bilingual | None
    euracan_domain: Ref | None
    working_group: Ref | None
    coordinating_institution: Ref | None
    member_institutions: tuple[Ref, ...]
    scope: Bilingual | None
    scope_codes: tuple[CodeRef, ...]
    disciplines: BilingualList
    texts: tuple[tuple[str, Bilingual | None], ...]  # (column stem, text), e.g. ("purpose", ...)
    turnaround_days: tuple[int, int] | None
    submission_kind: SubmissionKind
    portal_name: str | None
    submission_url: str | None
    submission_email: str | None
    contact_email: str | None
    contact_phone: str | None
    website: str | None
    founded: str | None
    clinical_trials_in_advice: bool | None
    certainty: Certainty | None
    sources: tuple[SourceRef, ...]
    where: str
    scope_exclude: tuple[CodeRef, ...] = ()
    population: Population = "all"
    slug_en: str | None = None  # the slug of its English pages (directory.expertise.slugs)


@dataclass(frozen=True)
class PanelsRelease:
    release: ReleaseInfo
    panels: tuple[PanelRecord, ...]
    source_name: str = ""  # the file or URL as read, used in problem messages


# -- SONCOS --------------------------------------------------------------------------


@dataclass(frozen=True)
class SoncosRecord:
    slug: str
    institutions: tuple[Ref, ...]
    tumour_group: Bilingual
    orphacodes: tuple[CodeRef, ...]
    requirement_kind: SoncosRequirementKind
    report_version: str
    report_version_note: Bilingual | None
    chapter: str | None
    citation: Bilingual
    certainty: Certainty | None
    notes: Bilingual | None
    sources: tuple[SourceRef, ...]
    where: str
    exclude: tuple[CodeRef, ...] = ()


@dataclass(frozen=True)
class SoncosRelease:
    release: ReleaseInfo
    records: tuple[SoncosRecord, ...]
    source_name: str = ""  # the file or URL as read, used in problem messages


# -- ECZA ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EczaRow:
    """One row of the ECZA list: one centre and one ORPHAcode."""

    line: int
    centre_name: str
    institutions: tuple[Ref, ...]
    code: CodeRef
    level: EczaLevel
    ern: Ref | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    certainty: Certainty | None
    source_ref: str  # free text (the list's own "source" column), or ""
    sources: tuple[SourceRef, ...] = ()  # register slugs (the "sources" column)
    note: Bilingual | None = None
    exclude: tuple[CodeRef, ...] = ()  # codes (and what is below them) it does not reach

    @property
    def where(self) -> str:
        return f"line {self.line}"


@dataclass(frozen=True)
class EczaRelease:
    release: ReleaseInfo
    rows: tuple[EczaRow, ...]
    source_name: str = ""  # the file or URL as read, used in problem messages


# -- the conditions people look up most ---------------------------------------------------


@dataclass(frozen=True)
class PriorityConditionRecord:
    code: CodeRef
    topic: Bilingual


@dataclass(frozen=True)
class PriorityConditionsRelease:
    release: ReleaseInfo
    conditions: tuple[PriorityConditionRecord, ...]
    source_name: str = ""


# -- other named expertise centres -------------------------------------------------------


@dataclass(frozen=True)
class ExpertiseCentreRecord:
    """A centre a public source names for a condition, other than an ECZA recognition:
    a national centre where all patients go, a reference centre, an ENETS centre of
    excellence, an expertise centre the hospital or a national body names, or the
    centre for children with cancer (``population`` children)."""

    slug: str
    name: Bilingual
    institutions: tuple[Ref, ...]
    basis: CentreBasis
    population: Population
    orphacodes: tuple[CodeRef, ...]
    exclude: tuple[CodeRef, ...]
    certainty: Certainty | None
    note: Bilingual | None
    sources: tuple[SourceRef, ...]
    where: str


@dataclass(frozen=True)
class ExpertiseCentresRelease:
    release: ReleaseInfo
    centres: tuple[ExpertiseCentreRecord, ...]
    source_name: str = ""


# -- patient organisations and information pages -------------------------------------------


@dataclass(frozen=True)
class PatientResourceRecord:
    slug: str
    kind: PatientResourceKind
    name: str
    website: str
    description: Bilingual
    orphacodes: tuple[CodeRef, ...]
    exclude: tuple[CodeRef, ...]
    sources: tuple[SourceRef, ...]
    where: str


@dataclass(frozen=True)
class PatientResourcesRelease:
    release: ReleaseInfo
    resources: tuple[PatientResourceRecord, ...]
    source_name: str = ""


# -- search aliases: other names people use for an entity ------------------------------


@dataclass(frozen=True)
class SearchAliasRecord:
    kind: str  # institution | panel | working_group | network
    slug: str
    lang: str | None  # nl | en | None: both
    alias: str
    source: str
    line: int = 0


@dataclass(frozen=True)
class SearchAliasesRelease:
    release: ReleaseInfo
    entries: tuple[SearchAliasRecord, ...]
