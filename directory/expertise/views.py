"""Frozen views of the expertise catalogue: a condition's expertise, entity pages, and the
rows the search index is built from. Templates get these, never rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from directory.conditions.queries import ConditionRef, Text
from directory.expertise.provenance import SourceView
from directory.vocabulary import (
    CENTRE_KINDS,
    SOURCED,
    Certainty,
    DesignationKind,
    InstitutionKind,
    InstitutionStatus,
    NetworkKind,
    PanelLevel,
    PatientResourceKind,
    Population,
    Relation,
    SiteKind,
    SubmissionKind,
    WorkingGroupKind,
)

# -- small views --------------------------------------------------------------------------


@dataclass(frozen=True)
class Localised:
    """A Dutch/English pair from the catalogue; ``get`` falls back to the other language."""

    nl: str | None
    en: str | None

    def get(self, lang: str) -> Text | None:
        first, other = (self.nl, self.en) if lang == "nl" else (self.en, self.nl)
        if first:
            return Text(first, lang, "curated")
        if other:
            return Text(other, "en" if lang == "nl" else "nl", "curated")
        return None

    def __bool__(self) -> bool:
        return bool(self.nl or self.en)


def _loc(row: Any, stem: str) -> Localised:
    return Localised(getattr(row, f"{stem}_nl"), getattr(row, f"{stem}_en"))


@dataclass(frozen=True)
class InstitutionRef:
    slug: str
    name: str
    name_en: str
    kind: InstitutionKind
    status: InstitutionStatus = "active"

    def title(self, lang: str) -> Text:
        if lang == "en" and self.name_en:
            return Text(self.name_en, "en" if self.name_en != self.name else "nl", "curated")
        return Text(self.name, "nl", "curated")


@dataclass(frozen=True)
class EntityRef:
    """A panel, working group, network, ERN or domain: slug and names."""

    kind: str  # panel | working_group | network | ern | domain
    slug: str
    name: Localised
    short: str | None = None  # abbreviation or code

    def title(self, lang: str) -> Text:
        return self.name.get(lang) or Text(self.short or self.slug, "en", "curated")


@dataclass(frozen=True)
class ReleaseRef:
    source: str
    version: str
    release_date: dt.date | None
    file_name: str
    imported_on: dt.date | None = None


@dataclass(frozen=True)
class DesignationView:
    """One expertise fact, fully resolved for display."""

    id: int
    kind: DesignationKind
    source: str
    label: Localised
    level: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    expired: bool
    certainty: Certainty | None
    institutions: tuple[InstitutionRef, ...]
    conditions: tuple[ConditionRef, ...]
    ern: EntityRef | None
    panel: EntityRef | None
    working_group: EntityRef | None
    network: EntityRef | None
    partner_of: InstitutionRef | None
    source_version: str | None
    source_section: str | None
    source_ref: str
    citation: Localised
    note: Localised
    checked_on: dt.date | None
    release: ReleaseRef
    retired_at: dt.datetime | None
    population: Population = "all"  # all | children | adults
    sources: tuple[SourceView, ...] = ()

    @property
    def confirmed(self) -> bool:
        return self.certainty != "uncertain"

    @property
    def sourced(self) -> bool:
        """A named public source states it (not the editors' knowledge or an inference)."""
        return self.certainty in SOURCED

    @property
    def names_centre(self) -> bool:
        """It names institutions as centres for its conditions (for everyone or adults)."""
        return (
            self.kind in CENTRE_KINDS
            and bool(self.institutions)
            and self.population != "children"
            and not self.expired
        )


@dataclass(frozen=True)
class AppliedDesignation:
    """A designation as it applies to one condition."""

    designation: DesignationView
    relation: Relation  # own | inherited | descendant
    via: ConditionRef | None  # the group it is inherited from, or the descendant it is for
    distance: int  # steps in the classification (0 for own)


@dataclass(frozen=True)
class ExpertiseSection:
    kind: DesignationKind
    items: tuple[AppliedDesignation, ...]


@dataclass(frozen=True)
class NextBestRoute:
    """Where to turn when no centre is recognised for the condition itself."""

    group_centres: tuple[AppliedDesignation, ...]  # recognised centres of its groups
    related_centres: tuple[AppliedDesignation, ...]  # recognised centres of its subtypes
    panels: tuple[EntityRef, ...]  # national panels whose scope covers it
    working_groups: tuple[EntityRef, ...]
    domains: tuple[EntityRef, ...]  # EURACAN domains
    euracan_members: tuple[InstitutionRef, ...]


@dataclass(frozen=True)
class ConditionExpertise:
    orphacode: int
    sections: tuple[ExpertiseSection, ...]  # one per kind, in SECTION_ORDER, maybe empty
    has_recognised_centre: bool  # a sourced named centre for this very condition
    unnamed_recognitions: bool  # a source says centres exist but does not name them
    domains: tuple[EntityRef, ...]
    next_best: NextBestRoute | None
    # The route for children (the Prinses Máxima Centrum treats every child with cancer),
    # shown as such and never as the condition's centre for adults.
    for_children: tuple[AppliedDesignation, ...] = ()
    # ERN memberships of Dutch institutions for the domains this condition is in: facts
    # about the institutions, never the condition's centres.
    networks: tuple[AppliedDesignation, ...] = ()

    def section(self, kind: DesignationKind) -> ExpertiseSection:
        for s in self.sections:
            if s.kind == kind:
                return s
        return ExpertiseSection(kind, ())

    @property
    def empty(self) -> bool:
        return not any(s.items for s in self.sections)


# -- entity details ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteView:
    name: str
    kind: SiteKind
    address: str | None
    postcode: str | None
    city: str | None
    lat: float | None
    lon: float | None
    source_ref: str
    certainty: Certainty | None


@dataclass(frozen=True)
class MembershipView:
    network: EntityRef
    network_kind: NetworkKind
    institution: InstitutionRef
    role: str
    role_name: Localised
    role_description: Localised
    partner_of: InstitutionRef | None
    region: str | None
    certainty: Certainty | None
    note: Localised


@dataclass(frozen=True)
class Correction:
    what: str
    ref: str


@dataclass(frozen=True)
class PatientResourceView:
    """A patient organisation or information page linked from a condition page."""

    slug: str
    kind: PatientResourceKind
    name: str
    website: str
    description: Localised
    sources: tuple[SourceView, ...]
    distance: int  # steps from the condition to the code it is for (0: the condition itself)


@dataclass(frozen=True)
class Lifecycle:
    """Why an institution is no longer a place to go, and where its patients went."""

    status: InstitutionStatus  # closed | merged
    ended_on: dt.date | None
    successor: InstitutionRef | None
    text: Localised


@dataclass(frozen=True)
class InstitutionDetail:
    ref: InstitutionRef
    kind_certainty: Certainty | None
    origin: str
    website: str | None
    aliases: tuple[str, ...]
    sites: tuple[SiteView, ...]
    memberships: tuple[MembershipView, ...]
    designations: tuple[DesignationView, ...]  # current
    former: tuple[DesignationView, ...]  # retired: kept as history
    panels: tuple[tuple[EntityRef, str], ...]  # (panel, coordinating | member)
    notes: Localised
    corrections: tuple[Correction, ...]
    sources: tuple[SourceView, ...]
    checked_on: dt.date | None
    retired_at: dt.datetime | None
    lifecycle: Lifecycle | None = None  # set when closed or merged
    former_names: tuple[str, ...] = ()  # names of institutions it took over


@dataclass(frozen=True)
class PanelDetail:
    ref: EntityRef
    short_name: str | None
    aliases: tuple[str, ...]
    level: PanelLevel
    region: Localised
    domain: EntityRef | None
    working_group: EntityRef | None
    coordinating: InstitutionRef | None
    members: tuple[InstitutionRef, ...]
    scope: Localised
    scope_conditions: tuple[ConditionRef, ...]
    disciplines: dict[str, tuple[str, ...]]
    texts: dict[str, Localised]  # purpose, volume, working_method, ... (column stems)
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
    certainty: str | None
    sources: tuple[SourceView, ...]
    checked_on: dt.date | None
    retired_at: dt.datetime | None


@dataclass(frozen=True)
class WorkingGroupDetail:
    ref: EntityRef
    kind: WorkingGroupKind
    parent: EntityRef | None
    children: tuple[EntityRef, ...]
    domain: EntityRef | None
    domain_label: Localised
    scope: Localised
    scope_conditions: tuple[ConditionRef, ...]
    description: Localised
    notes: Localised
    website: str | None
    panels: tuple[EntityRef, ...]
    centres: tuple[InstitutionRef, ...]
    partners: tuple[tuple[InstitutionRef, InstitutionRef | None], ...]  # (partner, its centre)
    sources: tuple[SourceView, ...]
    checked_on: dt.date | None
    retired_at: dt.datetime | None


@dataclass(frozen=True)
class NetworkDetail:
    ref: EntityRef
    kind: NetworkKind
    status: str | None
    aliases: tuple[str, ...]
    region: Localised
    description: Localised
    members: tuple[MembershipView, ...]
    sources: tuple[SourceView, ...]
    checked_on: dt.date | None
    retired_at: dt.datetime | None


# -- rows for the search index -------------------------------------------------------------------


@dataclass(frozen=True)
class SitePoint:
    name: str
    city: str | None
    lat: float | None
    lon: float | None
    kind: SiteKind = "hospital"


@dataclass(frozen=True)
class InstitutionIndexRow:
    slug: str
    name: str
    name_en: str
    kind: InstitutionKind
    aliases: tuple[str, ...]
    sites: tuple[SitePoint, ...]
    networks: tuple[str, ...]  # slugs of every network it is in
    regional_networks: tuple[str, ...]  # slugs of its regional oncology networks
    expertise_kinds: tuple[str, ...]
    orphacodes: tuple[int, ...]  # codes of its designations
    # A closed hospital with no successor is found by its name, to say that it closed;
    # one with a successor is a former name of that successor.
    status: InstitutionStatus = "active"
    erns: tuple[ErnName, ...] = ()  # the European Reference Networks it is a member of


@dataclass(frozen=True)
class ErnName:
    """A European Reference Network, as a search finds it: "ERN GENTURIS", its names."""

    code: str
    name_nl: str
    name_en: str


@dataclass(frozen=True)
class PanelIndexRow:
    slug: str
    name: Localised
    short_name: str | None
    aliases: tuple[str, ...]
    level: PanelLevel
    region: Localised
    scope: Localised
    purpose: Localised
    domain: str | None
    working_group: str | None
    working_group_abbreviation: str | None
    institutions: tuple[str, ...]
    orphacodes: tuple[int, ...]
    locations: tuple[SitePoint, ...]  # the coordinating institution's main sites


@dataclass(frozen=True)
class WorkingGroupIndexRow:
    slug: str
    name: Localised
    abbreviation: str | None
    kind: WorkingGroupKind
    parent: str | None
    domain: str | None
    domain_label: Localised
    scope: Localised
    description: Localised
    institutions: tuple[str, ...]
    orphacodes: tuple[int, ...]


@dataclass(frozen=True)
class NetworkIndexRow:
    slug: str
    name: str
    kind: NetworkKind
    aliases: tuple[str, ...]
    region: Localised
    description: Localised
    institutions: tuple[str, ...]
    locations: tuple[SitePoint, ...]


@dataclass(frozen=True)
class ConditionExpertiseFacets:
    """What a condition's search document needs to know of its expertise (own + inherited)."""

    kinds: tuple[str, ...]
    institutions: tuple[str, ...]
    domains: tuple[str, ...]
    own_kinds: tuple[str, ...]


@dataclass(frozen=True)
class ExpertiseCounts:
    institutions: int
    institutions_ended: int  # closed or merged: kept for history, never offered
    sites: int
    sites_with_coordinates: int
    designations: dict[DesignationKind, int]  # per kind, current only
    designations_with_institution: dict[DesignationKind, int]
    conditions_with_designation: int  # own designations only
    conditions_with_named_centre: int  # own designation naming an institution
    conditions_covered: int  # own, or inherited from an ancestor
    panels: int
    working_groups: int
    networks: int
