"""Read side of the expertise catalogue: frozen views for pages and search documents.

The harmonisation rule lives here. For a condition, :meth:`ExpertiseQueries.
for_condition` returns, per kind of expertise (in a fixed order), the
condition's own designations, those inherited from its ancestors in the
Orphanet classification (labelled inherited, with the group they come from),
and, ranked lower, those of its descendants. When no centre is recognised for
the condition itself, it also returns the next best route: the centres of its
groups, national panels, working groups and its EURACAN domain.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Executable,
    String,
    bindparam,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import BindParameter

from directory.catalogue_version import Kept, VersionClock
from directory.conditions.models import ClassificationEdge, SourceRelease
from directory.conditions.queries import ConditionRef, Text, condition_refs
from directory.expertise.models import (
    DESIGNATION_KINDS,
    SOURCED,
    BodyArea,
    Designation,
    DesignationCondition,
    DesignationExclusion,
    DesignationInstitution,
    Ern,
    EuracanDomain,
    Institution,
    InstitutionAlias,
    Network,
    NetworkMembership,
    NetworkRole,
    Panel,
    PanelInstitution,
    PatientResource,
    PatientResourceCondition,
    ScopeCondition,
    ScopeExclusion,
    Site,
    WorkingGroup,
)
from directory.expertise.provenance import Registry, SourceView, load_registry, source_views

# The order of the expertise section of a condition page, and why (docs/importers.md):
# panels first (a GP's first concrete step), then the official recognitions (ECZA),
# the professional norms (SONCOS), the field's own organisation (working groups and
# their partners), and the European networks last.
SECTION_ORDER = (
    "panel",
    "ecza",
    "soncos_reference_centre",
    "expertise_centre",
    "working_group_centre",
    "preferred_partner",
    "ern_member",
)
assert set(SECTION_ORDER) == set(DESIGNATION_KINDS)
# Kinds whose institutions are the condition's centres. ERN membership is a fact about an
# institution in a European network, never a condition's centre; working groups, their
# partners and panels are routes, not centres.
CENTRE_KINDS = ("ecza", "soncos_reference_centre", "expertise_centre")
RELATION_RANK = {"own": 0, "inherited": 1, "descendant": 2}
CERTAINTY_RANK = {"confirmed": 0, "reported": 1, None: 2, "public-knowledge": 2, "uncertain": 3}


# Statements of the condition page's lookups, built once: with expanding IN parameters
# they are the same for every request, and building them costs more than running them.


@functools.cache
def _linked_entities_query() -> Executable:
    """(kind, id, slug, name nl, name en, short) of ERNs, panels, working groups and
    networks by id; parameters ``<kind>_ids``."""
    columns: dict[str, tuple[Any, ...]] = {
        "ern": (Ern.id, Ern.slug, Ern.name_nl, Ern.name_en, Ern.code),
        "panel": (Panel.id, Panel.slug, Panel.name_nl, Panel.name_en, Panel.short_name),
        "working_group": (
            WorkingGroup.id,
            WorkingGroup.slug,
            WorkingGroup.name_nl,
            WorkingGroup.name_en,
            WorkingGroup.abbreviation,
        ),
        "network": (Network.id, Network.slug, Network.name, Network.name_en, null().cast(String)),
    }
    return union_all(
        *(
            select(literal(kind, String).label("kind"), *cols).where(
                cols[0].in_(bindparam(f"{kind}_ids", expanding=True))
            )
            for kind, cols in columns.items()
        )
    )


@functools.cache
def _designation_links_query() -> Executable:
    """(designation id, is institution, institution id or ORPHAcode, position) of the
    designations ``ids``; institutions in their order."""
    ids: BindParameter[Any] = bindparam("ids", expanding=True)
    return union_all(
        select(
            DesignationInstitution.designation_id,
            literal(True).label("is_institution"),
            DesignationInstitution.institution_id.label("other_id"),
            DesignationInstitution.position.label("position"),
        ).where(DesignationInstitution.designation_id.in_(ids)),
        select(
            DesignationCondition.designation_id,
            literal(False),
            DesignationCondition.orphacode,
            literal(0),
        ).where(DesignationCondition.designation_id.in_(ids)),
    ).order_by(literal_column("position"))


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
    kind: str
    status: str = "active"

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
    kind: str
    source: str
    label: Localised
    level: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    expired: bool
    certainty: str | None
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
    population: str = "all"  # all | children | adults
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
    relation: str  # own | inherited | descendant
    via: ConditionRef | None  # the group it is inherited from, or the descendant it is for
    distance: int  # steps in the classification (0 for own)


@dataclass(frozen=True)
class ExpertiseSection:
    kind: str
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

    def section(self, kind: str) -> ExpertiseSection:
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
    kind: str
    address: str | None
    postcode: str | None
    city: str | None
    lat: float | None
    lon: float | None
    source_ref: str
    certainty: str | None


@dataclass(frozen=True)
class MembershipView:
    network: EntityRef
    network_kind: str
    institution: InstitutionRef
    role: str
    role_name: Localised
    role_description: Localised
    partner_of: InstitutionRef | None
    region: str | None
    certainty: str | None
    note: Localised


@dataclass(frozen=True)
class Correction:
    what: str
    ref: str


@dataclass(frozen=True)
class PatientResourceView:
    """A patient organisation or information page linked from a condition page."""

    slug: str
    kind: str  # patient_organisation | information
    name: str
    website: str
    description: Localised
    sources: tuple[SourceView, ...]
    distance: int  # steps from the condition to the code it is for (0: the condition itself)


@dataclass(frozen=True)
class Lifecycle:
    """Why an institution is no longer a place to go, and where its patients went."""

    status: str  # closed | merged
    ended_on: dt.date | None
    successor: InstitutionRef | None
    text: Localised


@dataclass(frozen=True)
class InstitutionDetail:
    ref: InstitutionRef
    kind_certainty: str | None
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
    level: str
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
    submission_kind: str
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
    kind: str
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
    kind: str
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
    kind: str = "hospital"  # hospital | outpatient_clinic | childrens_hospital


@dataclass(frozen=True)
class InstitutionIndexRow:
    slug: str
    name: str
    name_en: str
    kind: str
    aliases: tuple[str, ...]
    sites: tuple[SitePoint, ...]
    networks: tuple[str, ...]  # slugs of every network it is in
    regional_networks: tuple[str, ...]  # slugs of its regional oncology networks
    expertise_kinds: tuple[str, ...]
    orphacodes: tuple[int, ...]  # codes of its designations


@dataclass(frozen=True)
class PanelIndexRow:
    slug: str
    name: Localised
    short_name: str | None
    aliases: tuple[str, ...]
    level: str
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
    kind: str
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
    kind: str
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
    designations: dict[str, int]  # per kind, current only
    designations_with_institution: dict[str, int]
    conditions_with_designation: int  # own designations only
    conditions_with_named_centre: int  # own designation naming an institution
    conditions_covered: int  # own, or inherited from an ancestor
    panels: int
    working_groups: int
    networks: int


# -- the queries --------------------------------------------------------------------------------


class ClassificationGraph:
    """The classification as parent/child maps (all classifications together)."""

    def __init__(self, session: Session) -> None:
        self.parents: dict[int, set[int]] = defaultdict(set)
        self.children: dict[int, set[int]] = defaultdict(set)
        for p, c in session.execute(
            select(ClassificationEdge.parent_code, ClassificationEdge.child_code)
        ):
            self.parents[c].add(p)
            self.children[p].add(c)

    @staticmethod
    def _walk(start: int, step: dict[int, set[int]]) -> dict[int, tuple[int, int]]:
        """code -> (distance, the neighbour of ``start`` on a shortest path) (BFS)."""
        found: dict[int, tuple[int, int]] = {}
        queue: deque[tuple[int, int, int]] = deque((n, 1, n) for n in step.get(start, ()))
        while queue:
            code, dist, first = queue.popleft()
            if code in found or code == start:
                continue
            found[code] = (dist, first)
            queue.extend((n, dist + 1, first) for n in step.get(code, ()))
        return found

    def ancestors(self, code: int) -> dict[int, int]:
        return {c: d for c, (d, _f) in self._walk(code, self.parents).items()}

    def excluded(self, code: int, exclusions: set[int] | frozenset[int]) -> bool:
        """Whether ``code`` is outside a scope that excludes ``exclusions`` (and below)."""
        if not exclusions:
            return False
        return code in exclusions or any(a in exclusions for a in self.ancestors(code))

    def descendants(self, code: int) -> dict[int, int]:
        return {c: d for c, (d, _f) in self._walk(code, self.children).items()}


def _main_sites(session: Session) -> dict[str, tuple[SitePoint, ...]]:
    """Every institution's current hospital sites (not outpatient clinics), by slug."""
    out: dict[str, list[SitePoint]] = defaultdict(list)
    rows = session.execute(
        select(Institution.slug, Site)
        .join(Site, Site.institution_id == Institution.id)
        .where(Site.retired_at.is_(None), Site.kind != "outpatient_clinic")
        .order_by(Site.kind, Site.id)
    ).all()
    for slug, s in rows:
        out[slug].append(SitePoint(s.name, s.city, s.lat, s.lon, s.kind))
    return {k: tuple(v) for k, v in out.items()}


def _umbrella_groups(session: Session) -> frozenset[str]:
    kinds = ("platform", "patient_platform")
    return frozenset(session.scalars(select(WorkingGroup.slug).where(WorkingGroup.kind.in_(kinds))))


class ExpertiseQueries:
    """Read-only access to the expertise catalogue."""

    def __init__(
        self, session_factory: sessionmaker[Session], version: VersionClock | None = None
    ) -> None:
        self._sessions = session_factory
        # Read once per catalogue version: every applied import and published edit
        # raises it (directory/catalogue_version.py).
        self._graph_kept = Kept(ClassificationGraph, version)
        self._registry_kept = Kept(load_registry, version)
        self._umbrellas_kept = Kept(_umbrella_groups, version)
        self._sites_kept = Kept(_main_sites, version)

    # -- building blocks ---------------------------------------------------------------------

    def _graph(self, session: Session) -> ClassificationGraph:
        """The classification graph, rebuilt only when the catalogue has changed."""
        return self._graph_kept.get_in(session)

    def _registry(self, session: Session) -> Registry:
        """The source register, re-read only when the catalogue has changed."""
        return self._registry_kept.get_in(session)

    def sources(self, raw: list[Any] | None) -> tuple[SourceView, ...]:
        """Stored sources of a fact (JSON) as views, for callers outside this module."""
        with self._sessions() as session:
            return source_views(raw, self._registry(session))

    @staticmethod
    def _exclusions(session: Session, ids: Iterable[int]) -> dict[int, frozenset[int]]:
        wanted = list(ids)
        out: dict[int, set[int]] = defaultdict(set)
        if wanted:
            for des_id, code in session.execute(
                select(DesignationExclusion.designation_id, DesignationExclusion.orphacode).where(
                    DesignationExclusion.designation_id.in_(wanted)
                )
            ):
                out[des_id].add(code)
        return {k: frozenset(v) for k, v in out.items()}

    @staticmethod
    def _condition_refs(session: Session, codes: Iterable[int]) -> dict[int, ConditionRef]:
        return condition_refs(session, codes)

    @staticmethod
    def _institution_refs(session: Session, ids: Iterable[int]) -> dict[int, InstitutionRef]:
        wanted = set(ids)
        if not wanted:
            return {}
        return {
            i.id: InstitutionRef(i.slug, i.name, i.name_en, i.kind, i.status)
            for i in session.scalars(select(Institution).where(Institution.id.in_(wanted)))
        }

    @staticmethod
    def _entity_refs(
        session: Session, model: type[Any], kind: str, ids: Iterable[int | None] | None = None
    ) -> dict[int, EntityRef]:
        """Refs of panels, working groups, networks or ERNs (all, or only ``ids``)."""
        columns: tuple[Any, ...]
        if model is Network:
            columns = (Network.id, Network.slug, Network.name, Network.name_en, None)
        elif model is Ern:
            columns = (Ern.id, Ern.slug, Ern.name_nl, Ern.name_en, Ern.code)
        elif model is Panel:
            columns = (Panel.id, Panel.slug, Panel.name_nl, Panel.name_en, Panel.short_name)
        else:
            columns = (model.id, model.slug, model.name_nl, model.name_en, model.abbreviation)
        query = select(*(c for c in columns if c is not None))
        if ids is not None:
            wanted = {i for i in ids if i is not None}
            if not wanted:
                return {}
            query = query.where(columns[0].in_(wanted))
        out: dict[int, EntityRef] = {}
        for row in session.execute(query):
            values: tuple[Any, ...] = tuple(row)
            id_, slug, nl, en = values[:4]
            short = values[4] if len(values) > 4 else None
            name = Localised(nl, en or nl) if model is Network else Localised(nl, en)
            out[id_] = EntityRef(kind, slug, name, short)
        return out

    @staticmethod
    def _linked_entity_refs(
        session: Session, designations: list[Designation]
    ) -> dict[str, dict[int, EntityRef]]:
        """Refs of the ERNs, panels, working groups and networks ``designations`` name,
        per kind, in one round trip (what four ``_entity_refs`` calls would return)."""
        wanted = {
            "ern": {d.ern_id for d in designations if d.ern_id},
            "panel": {d.panel_id for d in designations if d.panel_id},
            "working_group": {d.working_group_id for d in designations if d.working_group_id},
            "network": {d.network_id for d in designations if d.network_id},
        }
        out: dict[str, dict[int, EntityRef]] = {kind: {} for kind in wanted}
        if not any(wanted.values()):
            return out
        params = {f"{kind}_ids": list(ids) for kind, ids in wanted.items()}
        for kind, id_, slug, nl, en, short in session.execute(_linked_entities_query(), params):
            name = Localised(nl, en or nl) if kind == "network" else Localised(nl, en)
            out[kind][id_] = EntityRef(kind, slug, name, short)
        return out

    def _designation_views(
        self,
        session: Session,
        designations: list[Designation],
        today: dt.date,
        conditions: dict[int, ConditionRef] | None = None,
        also_codes: Iterable[int] = (),
    ) -> dict[int, DesignationView]:
        """Views of ``designations``; with ``conditions`` given, the refs of their codes
        and of ``also_codes`` are added to it (one lookup for the caller's refs too)."""
        if not designations:
            return {}
        ids = [d.id for d in designations]
        inst_links: dict[int, list[int]] = defaultdict(list)
        code_links: dict[int, list[int]] = defaultdict(list)
        # Institution and condition links in one round trip, as plain columns; institutions
        # keep their order (position), condition refs are sorted below.
        for des_id, is_institution, other_id, _position in session.execute(
            _designation_links_query(), {"ids": ids}
        ):
            (inst_links if is_institution else code_links)[des_id].append(other_id)
        institutions = self._institution_refs(
            session,
            {i for v in inst_links.values() for i in v}
            | {d.partner_of_id for d in designations if d.partner_of_id},
        )
        refs = self._condition_refs(
            session, {c for v in code_links.values() for c in v} | set(also_codes)
        )
        if conditions is not None:
            conditions.update(refs)
        conditions = refs
        linked = self._linked_entity_refs(session, designations)
        erns, panels = linked["ern"], linked["panel"]
        groups, networks = linked["working_group"], linked["network"]
        releases = {
            r.id: ReleaseRef(r.source, r.version, r.release_date, r.file_name, r.imported_at.date())
            for r in session.scalars(
                select(SourceRelease).where(
                    SourceRelease.id.in_({d.release_id for d in designations})
                )
            )
        }
        registry = self._registry(session)
        out: dict[int, DesignationView] = {}
        for d in designations:
            out[d.id] = DesignationView(
                id=d.id,
                kind=d.kind,
                source=d.source,
                label=Localised(d.label_nl, d.label_en),
                level=d.level,
                valid_from=d.valid_from,
                valid_until=d.valid_until,
                expired=d.valid_until is not None and d.valid_until < today,
                certainty=d.certainty,
                institutions=tuple(institutions[i] for i in inst_links[d.id] if i in institutions),
                conditions=tuple(
                    sorted(
                        (conditions[c] for c in code_links[d.id] if c in conditions),
                        key=lambda r: r.orphacode,
                    )
                ),
                ern=erns.get(d.ern_id) if d.ern_id else None,
                panel=panels.get(d.panel_id) if d.panel_id else None,
                working_group=groups.get(d.working_group_id) if d.working_group_id else None,
                network=networks.get(d.network_id) if d.network_id else None,
                partner_of=institutions.get(d.partner_of_id) if d.partner_of_id else None,
                source_version=d.source_version,
                source_section=d.source_section,
                source_ref=d.source_ref,
                citation=Localised(d.citation_nl, d.citation_en),
                note=Localised(d.note_nl, d.note_en),
                checked_on=d.checked_on,
                release=releases[d.release_id],
                retired_at=d.retired_at,
                population=d.population,
                sources=source_views(d.sources, registry),
            )
        return out

    @staticmethod
    def _scope_codes(session: Session, owner_kind: str) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for s in session.scalars(
            select(ScopeCondition).where(ScopeCondition.owner_kind == owner_kind)
        ):
            out[s.owner_id].append(s.orphacode)
        return out

    # -- harmonisation: a condition's expertise ---------------------------------------------------

    def for_condition(self, orphacode: int, today: dt.date | None = None) -> ConditionExpertise:
        """Own, inherited and descendants' designations, per kind in SECTION_ORDER.

        A designation reaches the condition through the classification unless the
        condition (or a group between) is among its exclusions. ERN memberships and the
        route for children are returned apart: they are never the condition's centres.
        """
        today = today or dt.date.today()
        with self._sessions() as session:
            graph = self._graph(session)
            ancestors = graph.ancestors(orphacode)
            descendants = graph.descendants(orphacode)
            related = {orphacode: 0, **ancestors, **descendants}
            links = session.execute(
                select(DesignationCondition.designation_id, DesignationCondition.orphacode)
                .join(Designation, Designation.id == DesignationCondition.designation_id)
                .where(
                    DesignationCondition.orphacode.in_(related), Designation.retired_at.is_(None)
                )
            ).all()
            exclusions = self._exclusions(session, {des_id for des_id, _c in links})
            best: dict[int, tuple[str, int, int]] = {}  # designation -> (relation, dist, code)
            for des_id, code in links:
                excluded = exclusions.get(des_id, frozenset())
                if code == orphacode:
                    candidate = ("own", 0, code)
                elif code in ancestors:
                    if graph.excluded(orphacode, excluded):
                        continue
                    candidate = ("inherited", ancestors[code], code)
                else:
                    if graph.excluded(code, excluded):
                        continue
                    candidate = ("descendant", descendants[code], code)
                current = best.get(des_id)
                if current is None or (RELATION_RANK[candidate[0]], candidate[1]) < (
                    RELATION_RANK[current[0]],
                    current[1],
                ):
                    best[des_id] = candidate
            rows = list(session.scalars(select(Designation).where(Designation.id.in_(best))))
            refs: dict[int, ConditionRef] = {}
            views = self._designation_views(
                session, rows, today, refs, (code for _r, _d, code in best.values())
            )
            applied = [
                AppliedDesignation(
                    designation=views[des_id],
                    relation=relation,
                    via=refs.get(code) if relation != "own" else None,
                    distance=dist,
                )
                for des_id, (relation, dist, code) in best.items()
                # a closed institution is never offered (the importer refuses new ones)
                if all(i.status == "active" for i in views[des_id].institutions)
            ]
            applied.sort(key=_rank)
            for_children = tuple(
                a
                for a in applied
                if a.designation.population == "children" and a.relation != "descendant"
            )
            networks = tuple(
                a
                for a in applied
                if a.designation.kind == "ern_member" and a.relation != "descendant"
            )
            listed = [
                a
                for a in applied
                if a.designation.population != "children" and a.designation.kind != "ern_member"
            ]
            sections = tuple(
                ExpertiseSection(kind, tuple(a for a in listed if a.designation.kind == kind))
                for kind in SECTION_ORDER
                if kind != "ern_member"
            )
            own_centres = [
                a for a in listed if a.relation == "own" and a.designation.kind in CENTRE_KINDS
            ]
            has_centre = any(
                a.designation.names_centre and a.designation.sourced for a in own_centres
            )
            unnamed = any(not a.designation.institutions for a in own_centres)
            domains = self._domains_for(session, {orphacode, *ancestors})
            next_best = None
            if not has_centre:
                next_best = self._next_best(listed, domains, networks)
            return ConditionExpertise(
                orphacode=orphacode,
                sections=sections,
                has_recognised_centre=has_centre,
                unnamed_recognitions=unnamed,
                domains=domains,
                next_best=next_best,
                for_children=for_children,
                networks=networks,
            )

    def _domains_for(self, session: Session, codes: set[int]) -> tuple[EntityRef, ...]:
        owner_ids = select(ScopeCondition.owner_id).where(
            ScopeCondition.owner_kind == "euracan_domain",
            ScopeCondition.orphacode.in_(codes),
        )
        return tuple(
            EntityRef("domain", d.slug, Localised(d.name_nl, d.name_en), d.code)
            for d in session.scalars(
                select(EuracanDomain)
                .where(EuracanDomain.id.in_(owner_ids), EuracanDomain.retired_at.is_(None))
                .order_by(EuracanDomain.position)
            )
        )

    @staticmethod
    def _next_best(
        applied: list[AppliedDesignation],
        domains: tuple[EntityRef, ...],
        networks: tuple[AppliedDesignation, ...],
    ) -> NextBestRoute:
        def centres(relation: str) -> tuple[AppliedDesignation, ...]:
            return tuple(
                a for a in applied if a.relation == relation and a.designation.names_centre
            )

        panels = tuple(
            a.designation.panel
            for a in applied
            if a.designation.kind == "panel"
            and a.relation in ("own", "inherited")
            and a.designation.panel is not None
            and a.designation.level == "national"
        )
        groups = tuple(
            a.designation.working_group
            for a in applied
            if a.designation.kind == "working_group_centre"
            and a.relation in ("own", "inherited")
            and a.designation.working_group is not None
        )
        euracan_members = tuple(
            i
            for a in networks
            if a.designation.ern is not None and a.designation.ern.slug == "euracan"
            for i in a.designation.institutions
        )
        return NextBestRoute(
            group_centres=centres("inherited"),
            related_centres=centres("descendant"),
            panels=tuple(dict.fromkeys(panels)),
            working_groups=tuple(dict.fromkeys(groups)),
            domains=domains,
            euracan_members=tuple(dict.fromkeys(euracan_members)),
        )

    # -- entity pages -----------------------------------------------------------------------------

    def institution(self, slug: str, today: dt.date | None = None) -> InstitutionDetail | None:
        today = today or dt.date.today()
        with self._sessions() as session:
            inst = session.scalars(select(Institution).where(Institution.slug == slug)).first()
            if inst is None:
                return None
            ref = InstitutionRef(inst.slug, inst.name, inst.name_en, inst.kind, inst.status)
            alias_rows = list(
                session.scalars(
                    select(InstitutionAlias)
                    .where(InstitutionAlias.institution_id == inst.id)
                    .order_by(InstitutionAlias.id)
                )
            )
            aliases = tuple(
                a.alias
                for a in alias_rows
                if a.alias not in (inst.name, inst.name_en) and a.origin != "former"
            )
            former_names = tuple(a.alias for a in alias_rows if a.origin == "former")
            lifecycle = None
            if inst.status != "active":
                heir = self._institution_refs(
                    session, [inst.successor_id] if inst.successor_id else []
                )
                lifecycle = Lifecycle(
                    status=inst.status,
                    ended_on=inst.ended_on,
                    successor=heir.get(inst.successor_id) if inst.successor_id else None,
                    text=_loc(inst, "lifecycle"),
                )
            sites = tuple(
                SiteView(
                    s.name,
                    s.kind,
                    s.address,
                    s.postcode,
                    s.city,
                    s.lat,
                    s.lon,
                    s.source_ref,
                    s.certainty,
                )
                for s in session.scalars(
                    select(Site)
                    .where(Site.institution_id == inst.id, Site.retired_at.is_(None))
                    .order_by(Site.kind, Site.name)
                )
            )
            des_ids = select(DesignationInstitution.designation_id).where(
                DesignationInstitution.institution_id == inst.id
            )
            rows = list(session.scalars(select(Designation).where(Designation.id.in_(des_ids))))
            views = self._designation_views(session, rows, today)
            current = sorted(
                (v for v in views.values() if v.retired_at is None), key=_designation_order
            )
            former = sorted(
                (v for v in views.values() if v.retired_at is not None), key=_designation_order
            )
            panel_refs = self._entity_refs(session, Panel, "panel")
            panel_rows = session.execute(
                select(PanelInstitution.panel_id, PanelInstitution.role)
                .join(Panel, Panel.id == PanelInstitution.panel_id)
                .where(PanelInstitution.institution_id == inst.id, Panel.retired_at.is_(None))
            ).all()
            return InstitutionDetail(
                ref=ref,
                kind_certainty=inst.kind_certainty,
                origin=inst.origin,
                website=inst.website,
                aliases=aliases,
                sites=sites,
                memberships=self._memberships(session, NetworkMembership.institution_id == inst.id),
                designations=tuple(current),
                former=tuple(former),
                panels=tuple(
                    sorted(
                        ((panel_refs[p], role) for p, role in panel_rows),
                        key=lambda x: (x[1] != "coordinating", x[0].slug),
                    )
                ),
                notes=_loc(inst, "notes"),
                corrections=tuple(
                    Correction(c.get("what", ""), c.get("ref", "")) for c in inst.corrections
                ),
                sources=source_views(inst.sources, self._registry(session)),
                checked_on=inst.checked_on,
                retired_at=inst.retired_at,
                lifecycle=lifecycle,
                former_names=former_names,
            )

    def _memberships(self, session: Session, condition: Any) -> tuple[MembershipView, ...]:
        rows = list(
            session.scalars(
                select(NetworkMembership).where(condition, NetworkMembership.retired_at.is_(None))
            )
        )
        if not rows:
            return ()
        networks = {n.id: n for n in session.scalars(select(Network))}
        roles = {r.code: r for r in session.scalars(select(NetworkRole))}
        institutions = self._institution_refs(
            session,
            {m.institution_id for m in rows} | {m.partner_of_id for m in rows if m.partner_of_id},
        )
        out = []
        for m in rows:
            n = networks[m.network_id]
            if n.retired_at is not None:
                continue
            role = roles.get(m.role)
            out.append(
                MembershipView(
                    network=EntityRef("network", n.slug, Localised(n.name, n.name_en or n.name)),
                    network_kind=n.kind,
                    institution=institutions[m.institution_id],
                    role=m.role,
                    role_name=Localised(role.name_nl, role.name_en)
                    if role
                    else Localised(m.role, m.role),
                    role_description=Localised(role.description_nl, role.description_en)
                    if role
                    else Localised(None, None),
                    partner_of=institutions.get(m.partner_of_id) if m.partner_of_id else None,
                    region=m.region,
                    certainty=m.certainty,
                    note=_loc(m, "note"),
                )
            )
        kind_rank = {"regional_oncology": 0, "head_and_neck": 1, "tumour_type": 2}
        out.sort(
            key=lambda v: (
                kind_rank.get(v.network_kind, 3),
                v.network.slug,
                v.role != "oncological_centre",
                v.institution.name,
            )
        )
        return tuple(out)

    def panel(self, slug: str) -> PanelDetail | None:
        with self._sessions() as session:
            p = session.scalars(select(Panel).where(Panel.slug == slug)).first()
            if p is None:
                return None
            links = session.execute(
                select(PanelInstitution.institution_id, PanelInstitution.role).where(
                    PanelInstitution.panel_id == p.id
                )
            ).all()
            refs = self._institution_refs(session, {i for i, _r in links})
            codes = sorted(
                session.scalars(
                    select(ScopeCondition.orphacode).where(
                        ScopeCondition.owner_kind == "panel", ScopeCondition.owner_id == p.id
                    )
                )
            )
            conditions = self._condition_refs(session, codes)
            domain = (
                session.get(EuracanDomain, p.euracan_domain_id) if p.euracan_domain_id else None
            )
            group = session.get(WorkingGroup, p.working_group_id) if p.working_group_id else None
            stems = (
                "purpose", "volume", "working_method", "meeting_rhythm", "turnaround",
                "who_may_submit", "what_to_include", "patient_consent", "feedback_route",
                "contact_route", "chair", "funding", "notes", "criteria", "tasks",
                "organisation", "requester_role", "privacy", "database", "evaluation",
                "communication", "international",
            )  # fmt: skip
            return PanelDetail(
                ref=EntityRef("panel", p.slug, Localised(p.name_nl, p.name_en), p.short_name),
                short_name=p.short_name,
                aliases=tuple(p.aliases or ()),
                level=p.level,
                region=_loc(p, "region"),
                domain=_domain_ref(domain),
                working_group=_group_ref(group) if group else None,
                coordinating=next((refs[i] for i, r in links if r == "coordinating"), None),
                members=tuple(
                    sorted((refs[i] for i, r in links if r == "member"), key=lambda x: x.name)
                ),
                scope=_loc(p, "scope"),
                scope_conditions=tuple(conditions[c] for c in codes if c in conditions),
                disciplines={
                    "nl": tuple(p.disciplines_nl or ()),
                    "en": tuple(p.disciplines_en or ()),
                },
                texts={stem: _loc(p, stem) for stem in stems},
                turnaround_days=(p.turnaround_days_min, p.turnaround_days_max)
                if p.turnaround_days_min is not None and p.turnaround_days_max is not None
                else None,
                submission_kind=p.submission_kind,
                portal_name=p.portal_name,
                submission_url=p.submission_url,
                submission_email=p.submission_email,
                contact_email=p.contact_email,
                contact_phone=p.contact_phone,
                website=p.website,
                founded=p.founded,
                clinical_trials_in_advice=p.clinical_trials_in_advice,
                certainty=p.certainty,
                sources=source_views(p.sources, self._registry(session)),
                checked_on=p.checked_on,
                retired_at=p.retired_at,
            )

    def working_group(self, slug: str, today: dt.date | None = None) -> WorkingGroupDetail | None:
        today = today or dt.date.today()
        with self._sessions() as session:
            g = session.scalars(select(WorkingGroup).where(WorkingGroup.slug == slug)).first()
            if g is None:
                return None
            parent = session.get(WorkingGroup, g.parent_id) if g.parent_id else None
            children = tuple(
                _group_ref(c)
                for c in session.scalars(
                    select(WorkingGroup)
                    .where(WorkingGroup.parent_id == g.id, WorkingGroup.retired_at.is_(None))
                    .order_by(WorkingGroup.name_nl)
                )
            )
            panels = tuple(
                EntityRef("panel", p.slug, Localised(p.name_nl, p.name_en), p.short_name)
                for p in session.scalars(
                    select(Panel)
                    .where(Panel.working_group_id == g.id, Panel.retired_at.is_(None))
                    .order_by(Panel.name_nl)
                )
            )
            codes = sorted(
                session.scalars(
                    select(ScopeCondition.orphacode).where(
                        ScopeCondition.owner_kind == "working_group",
                        ScopeCondition.owner_id == g.id,
                    )
                )
            )
            conditions = self._condition_refs(session, codes)
            rows = list(
                session.scalars(
                    select(Designation).where(
                        Designation.working_group_id == g.id,
                        Designation.retired_at.is_(None),
                        Designation.kind.in_(("working_group_centre", "preferred_partner")),
                    )
                )
            )
            views = self._designation_views(session, rows, today)
            centres: list[InstitutionRef] = []
            partners: list[tuple[InstitutionRef, InstitutionRef | None]] = []
            for v in views.values():
                if v.kind == "working_group_centre":
                    centres += v.institutions
                else:
                    partners += [(i, v.partner_of) for i in v.institutions]
            domain = (
                session.get(EuracanDomain, g.euracan_domain_id) if g.euracan_domain_id else None
            )
            return WorkingGroupDetail(
                ref=_group_ref(g),
                kind=g.kind,
                parent=_group_ref(parent) if parent else None,
                children=children,
                domain=_domain_ref(domain),
                domain_label=_loc(g, "domain_label"),
                scope=_loc(g, "scope"),
                scope_conditions=tuple(conditions[c] for c in codes if c in conditions),
                description=_loc(g, "description"),
                notes=_loc(g, "notes"),
                website=g.website,
                panels=panels,
                centres=tuple(centres),
                partners=tuple(sorted(partners, key=lambda p: p[0].name)),
                sources=source_views(g.sources, self._registry(session)),
                checked_on=g.checked_on,
                retired_at=g.retired_at,
            )

    def network(self, slug: str) -> NetworkDetail | None:
        with self._sessions() as session:
            n = session.scalars(select(Network).where(Network.slug == slug)).first()
            if n is None:
                return None
            return NetworkDetail(
                ref=EntityRef("network", n.slug, Localised(n.name, n.name_en or n.name)),
                kind=n.kind,
                status=n.status,
                aliases=tuple(n.aliases or ()),
                region=_loc(n, "region"),
                description=_loc(n, "description"),
                members=self._memberships(session, NetworkMembership.network_id == n.id),
                sources=source_views(n.sources, self._registry(session)),
                checked_on=n.checked_on,
                retired_at=n.retired_at,
            )

    # -- lists ------------------------------------------------------------------------------------

    def domains(self) -> tuple[EntityRef, ...]:
        with self._sessions() as session:
            return tuple(
                _domain_ref(d) or EntityRef("domain", d.slug, Localised(None, None))
                for d in session.scalars(
                    select(EuracanDomain)
                    .where(EuracanDomain.retired_at.is_(None))
                    .order_by(EuracanDomain.position)
                )
            )

    def body_areas(self) -> tuple[EntityRef, ...]:
        with self._sessions() as session:
            return tuple(
                EntityRef("body_area", a.slug, Localised(a.name_nl, a.name_en))
                for a in session.scalars(
                    select(BodyArea)
                    .where(BodyArea.retired_at.is_(None))
                    .order_by(BodyArea.position)
                )
            )

    def counts(self) -> ExpertiseCounts:
        """Figures for the closing note and the benchmark."""
        with self._sessions() as session:
            institutions = session.scalars(
                select(Institution.id).where(Institution.retired_at.is_(None))
            ).all()
            sites = list(session.scalars(select(Site).where(Site.retired_at.is_(None))))
            current = list(
                session.scalars(select(Designation).where(Designation.retired_at.is_(None)))
            )
            with_inst = set(session.scalars(select(DesignationInstitution.designation_id)))
            per_kind = dict.fromkeys(SECTION_ORDER, 0)
            per_kind_inst = dict.fromkeys(SECTION_ORDER, 0)
            for d in current:
                per_kind[d.kind] += 1
                per_kind_inst[d.kind] += d.id in with_inst
            current_ids = {d.id for d in current}
            own: set[int] = set()
            named: set[int] = set()
            for des_id, code in session.execute(
                select(DesignationCondition.designation_id, DesignationCondition.orphacode)
            ):
                if des_id in current_ids:
                    own.add(code)
                    if des_id in with_inst:
                        named.add(code)
            graph = ClassificationGraph(session)
            covered = set(own)
            for code in own:
                covered |= set(graph.descendants(code))
            return ExpertiseCounts(
                institutions=len(institutions),
                institutions_ended=len(
                    session.scalars(
                        select(Institution.id).where(
                            Institution.retired_at.is_(None), Institution.status != "active"
                        )
                    ).all()
                ),
                sites=len(sites),
                sites_with_coordinates=sum(1 for s in sites if s.lat is not None),
                designations=per_kind,
                designations_with_institution=per_kind_inst,
                conditions_with_designation=len(own),
                conditions_with_named_centre=len(named),
                conditions_covered=len(covered),
                panels=len(
                    session.scalars(select(Panel.id).where(Panel.retired_at.is_(None))).all()
                ),
                working_groups=len(
                    session.scalars(
                        select(WorkingGroup.id).where(WorkingGroup.retired_at.is_(None))
                    ).all()
                ),
                networks=len(
                    session.scalars(select(Network.id).where(Network.retired_at.is_(None))).all()
                ),
            )

    def patient_resources(self, orphacode: int) -> tuple[PatientResourceView, ...]:
        """Patient organisations and information pages for a condition, most specific first."""
        with self._sessions() as session:
            graph = self._graph(session)
            reach = {orphacode: 0, **graph.ancestors(orphacode)}
            links: dict[int, list[tuple[int, bool]]] = defaultdict(list)
            for res_id, code, excluded in session.execute(
                select(
                    PatientResourceCondition.resource_id,
                    PatientResourceCondition.orphacode,
                    PatientResourceCondition.excluded,
                )
            ):
                links[res_id].append((code, excluded))
            distance: dict[int, int] = {}
            for res_id, codes in links.items():
                if any(x and c in reach for c, x in codes):
                    continue
                found = [reach[c] for c, x in codes if not x and c in reach]
                if found:
                    distance[res_id] = min(found)
            if not distance:
                return ()
            registry = self._registry(session)
            rows = session.scalars(
                select(PatientResource).where(
                    PatientResource.id.in_(distance), PatientResource.retired_at.is_(None)
                )
            )
            views = [
                PatientResourceView(
                    slug=r.slug,
                    kind=r.kind,
                    name=r.name,
                    website=r.website,
                    description=Localised(r.description_nl, r.description_en),
                    sources=source_views(r.sources, registry),
                    distance=distance[r.id],
                )
                for r in rows
            ]
            return tuple(sorted(views, key=lambda v: (v.distance, v.kind != "information", v.name)))

    def main_sites(self, slugs: Iterable[str]) -> dict[str, tuple[SitePoint, ...]]:
        """The current hospital sites (not outpatient clinics) of institutions, by slug."""
        every = self._sites_kept.get(self._sessions)
        return {slug: every[slug] for slug in set(slugs) if slug in every}

    def umbrella_groups(self) -> frozenset[str]:
        """Working groups that cover every rare tumour (platforms): no route of their own."""
        return self._umbrellas_kept.get(self._sessions)

    # -- rows for the search index ----------------------------------------------------------

    def institutions_for_index(self) -> Iterator[InstitutionIndexRow]:
        with self._sessions() as session:
            aliases: dict[int, list[str]] = defaultdict(list)
            for a in session.scalars(select(InstitutionAlias).order_by(InstitutionAlias.id)):
                aliases[a.institution_id].append(a.alias)
            sites: dict[int, list[SitePoint]] = defaultdict(list)
            for s in session.scalars(
                select(Site).where(Site.retired_at.is_(None)).order_by(Site.kind, Site.id)
            ):
                sites[s.institution_id].append(SitePoint(s.name, s.city, s.lat, s.lon, s.kind))
            networks = {n.id: n for n in session.scalars(select(Network))}
            member_of: dict[int, list[Network]] = defaultdict(list)
            for m in session.scalars(
                select(NetworkMembership).where(NetworkMembership.retired_at.is_(None))
            ):
                n = networks[m.network_id]
                if n.retired_at is None and n not in member_of[m.institution_id]:
                    member_of[m.institution_id].append(n)
            kinds: dict[int, set[str]] = defaultdict(set)
            codes: dict[int, set[int]] = defaultdict(set)
            current = {
                d.id: d.kind
                for d in session.scalars(
                    select(Designation).where(Designation.retired_at.is_(None))
                )
            }
            des_codes: dict[int, list[int]] = defaultdict(list)
            for des_id, code in session.execute(
                select(DesignationCondition.designation_id, DesignationCondition.orphacode)
            ):
                des_codes[des_id].append(code)
            for di in session.scalars(select(DesignationInstitution)):
                if di.designation_id in current:
                    kinds[di.institution_id].add(current[di.designation_id])
                    codes[di.institution_id].update(des_codes[di.designation_id])
            for i in session.scalars(
                select(Institution)
                .where(Institution.retired_at.is_(None), Institution.status == "active")
                .order_by(Institution.slug)
            ):
                yield InstitutionIndexRow(
                    slug=i.slug,
                    name=i.name,
                    name_en=i.name_en,
                    kind=i.kind,
                    aliases=tuple(aliases[i.id]),
                    sites=tuple(sites[i.id]),
                    networks=tuple(n.slug for n in member_of[i.id]),
                    regional_networks=tuple(
                        n.slug
                        for n in member_of[i.id]
                        if n.kind == "regional_oncology"
                        and n.status in ("anchored_network", "region_with_collaboration")
                    ),
                    expertise_kinds=tuple(k for k in SECTION_ORDER if k in kinds[i.id]),
                    orphacodes=tuple(sorted(codes[i.id])),
                )

    def panels_for_index(self) -> Iterator[PanelIndexRow]:
        with self._sessions() as session:
            scope = self._scope_codes(session, "panel")
            domains = {d.id: d.slug for d in session.scalars(select(EuracanDomain))}
            groups = {g.id: g for g in session.scalars(select(WorkingGroup))}
            institutions = {i.id: i.slug for i in session.scalars(select(Institution))}
            links: dict[int, list[tuple[str, int]]] = defaultdict(list)
            for pi in session.scalars(select(PanelInstitution)):
                links[pi.panel_id].append((pi.role, pi.institution_id))
            main_sites: dict[int, list[SitePoint]] = defaultdict(list)
            for s in session.scalars(
                select(Site).where(Site.retired_at.is_(None), Site.kind != "outpatient_clinic")
            ):
                main_sites[s.institution_id].append(SitePoint(s.name, s.city, s.lat, s.lon))
            for p in session.scalars(
                select(Panel).where(Panel.retired_at.is_(None)).order_by(Panel.slug)
            ):
                group = groups.get(p.working_group_id) if p.working_group_id else None
                ordered = sorted(links[p.id], key=lambda x: (x[0] != "coordinating", x[1]))
                coordinating = [i for r, i in ordered if r == "coordinating"]
                yield PanelIndexRow(
                    slug=p.slug,
                    name=Localised(p.name_nl, p.name_en),
                    short_name=p.short_name,
                    aliases=tuple(p.aliases or ()),
                    level=p.level,
                    region=_loc(p, "region"),
                    scope=_loc(p, "scope"),
                    purpose=_loc(p, "purpose"),
                    domain=domains.get(p.euracan_domain_id) if p.euracan_domain_id else None,
                    working_group=group.slug if group else None,
                    working_group_abbreviation=group.abbreviation if group else None,
                    institutions=tuple(institutions[i] for _r, i in ordered),
                    orphacodes=tuple(sorted(scope[p.id])),
                    locations=tuple(s for i in coordinating for s in main_sites[i]),
                )

    def working_groups_for_index(self) -> Iterator[WorkingGroupIndexRow]:
        with self._sessions() as session:
            scope = self._scope_codes(session, "working_group")
            domains = {d.id: d.slug for d in session.scalars(select(EuracanDomain))}
            groups = {g.id: g for g in session.scalars(select(WorkingGroup))}
            institutions = {i.id: i.slug for i in session.scalars(select(Institution))}
            centres: dict[int, list[str]] = defaultdict(list)
            for d_group, inst in session.execute(
                select(Designation.working_group_id, DesignationInstitution.institution_id)
                .join(DesignationInstitution)
                .where(
                    Designation.retired_at.is_(None),
                    Designation.kind.in_(("working_group_centre", "preferred_partner")),
                )
            ):
                if d_group is not None:
                    centres[d_group].append(institutions[inst])
            for g in sorted(groups.values(), key=lambda x: x.slug):
                if g.retired_at is not None:
                    continue
                parent = groups.get(g.parent_id) if g.parent_id else None
                yield WorkingGroupIndexRow(
                    slug=g.slug,
                    name=Localised(g.name_nl, g.name_en),
                    abbreviation=g.abbreviation,
                    kind=g.kind,
                    parent=parent.slug if parent else None,
                    domain=domains.get(g.euracan_domain_id) if g.euracan_domain_id else None,
                    domain_label=_loc(g, "domain_label"),
                    scope=_loc(g, "scope"),
                    description=_loc(g, "description"),
                    institutions=tuple(dict.fromkeys(centres[g.id])),
                    orphacodes=tuple(sorted(scope[g.id])),
                )

    def networks_for_index(self) -> Iterator[NetworkIndexRow]:
        with self._sessions() as session:
            institutions = {i.id: i.slug for i in session.scalars(select(Institution))}
            members: dict[int, list[int]] = defaultdict(list)
            for m in session.scalars(
                select(NetworkMembership).where(NetworkMembership.retired_at.is_(None))
            ):
                if m.institution_id not in members[m.network_id]:
                    members[m.network_id].append(m.institution_id)
            main_sites: dict[int, list[SitePoint]] = defaultdict(list)
            for s in session.scalars(
                select(Site).where(Site.retired_at.is_(None), Site.kind != "outpatient_clinic")
            ):
                main_sites[s.institution_id].append(SitePoint(s.name, s.city, s.lat, s.lon))
            for n in session.scalars(
                select(Network).where(Network.retired_at.is_(None)).order_by(Network.slug)
            ):
                yield NetworkIndexRow(
                    slug=n.slug,
                    name=n.name,
                    kind=n.kind,
                    aliases=tuple(n.aliases or ()),
                    region=_loc(n, "region"),
                    description=_loc(n, "description"),
                    institutions=tuple(institutions[i] for i in members[n.id]),
                    locations=tuple(s for i in members[n.id] for s in main_sites[i][:1]),
                )

    def condition_facets_for_index(self) -> dict[int, ConditionExpertiseFacets]:
        """Per ORPHAcode: kinds of expertise and institutions (own + inherited), domains.

        ERN memberships and the route for children add no institution: an ERN member is
        not a condition's centre, and the children's centre is not the adults' centre.
        """
        with self._sessions() as session:
            graph = ClassificationGraph(session)
            rows = list(
                session.scalars(select(Designation).where(Designation.retired_at.is_(None)))
            )
            current = {d.id: d.kind for d in rows}
            no_place = {d.id for d in rows if d.kind == "ern_member" or d.population == "children"}
            institutions = {
                i.id: i.slug
                for i in session.scalars(select(Institution).where(Institution.status == "active"))
            }
            des_inst: dict[int, list[str]] = defaultdict(list)
            for di in session.scalars(select(DesignationInstitution)):
                if di.institution_id in institutions and di.designation_id not in no_place:
                    des_inst[di.designation_id].append(institutions[di.institution_id])
            own, inherited = designation_reach(session, graph, set(current))
            domain_slugs = {d.id: d.slug for d in session.scalars(select(EuracanDomain))}
            domain_of: dict[int, set[str]] = defaultdict(set)
            for sc in session.scalars(
                select(ScopeCondition).where(ScopeCondition.owner_kind == "euracan_domain")
            ):
                domain_of[sc.orphacode].add(domain_slugs[sc.owner_id])
            domain_out: dict[int, set[str]] = defaultdict(set)
            for se in session.scalars(
                select(ScopeExclusion).where(ScopeExclusion.owner_kind == "euracan_domain")
            ):
                slug = domain_slugs[se.owner_id]
                domain_out[se.orphacode].add(slug)
                for child in graph.descendants(se.orphacode):
                    domain_out[child].add(slug)
            domains: dict[int, set[str]] = defaultdict(set)
            for code, slugs in domain_of.items():
                domains[code] |= slugs - domain_out.get(code, set())
                for child in graph.descendants(code):
                    domains[child] |= slugs - domain_out.get(child, set())
            out: dict[int, ConditionExpertiseFacets] = {}
            for code in set(inherited) | set(domains):
                des = inherited.get(code, set())
                kinds = {current[d] for d in des}
                out[code] = ConditionExpertiseFacets(
                    kinds=tuple(k for k in SECTION_ORDER if k in kinds),
                    institutions=tuple(sorted({s for d in des for s in des_inst[d]})),
                    domains=tuple(sorted(domains.get(code, ()))),
                    own_kinds=tuple(
                        k for k in SECTION_ORDER if k in {current[d] for d in own.get(code, ())}
                    ),
                )
            return out


def designation_reach(
    session: Session, graph: ClassificationGraph, ids: set[int]
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """(own, reached): per ORPHAcode, the designations ``ids`` on that very code, and
    those on it or one of its groups, leaving out every code a designation excludes."""
    own: dict[int, set[int]] = defaultdict(set)
    for des_id, code in session.execute(
        select(DesignationCondition.designation_id, DesignationCondition.orphacode)
    ):
        if des_id in ids:
            own[code].add(des_id)
    excluded: dict[int, set[int]] = defaultdict(set)  # code -> designations excluding it
    for des_id, code in session.execute(
        select(DesignationExclusion.designation_id, DesignationExclusion.orphacode)
    ):
        if des_id in ids:
            excluded[code].add(des_id)
            for child in graph.descendants(code):
                excluded[child].add(des_id)
    reached: dict[int, set[int]] = defaultdict(set)
    for code, des in own.items():
        reached[code] |= des
        for child in graph.descendants(code):
            reached[child] |= des - excluded.get(child, set())
    return own, reached


def _rank(a: AppliedDesignation) -> tuple[Any, ...]:
    d = a.designation
    return (
        RELATION_RANK[a.relation],
        a.distance,
        d.expired,
        not d.institutions,
        CERTAINTY_RANK.get(d.certainty, 1),
        (d.label.nl or d.label.en or "").lower(),
        d.id,
    )


def _designation_order(d: DesignationView) -> tuple[Any, ...]:
    return (
        SECTION_ORDER.index(d.kind),
        d.expired,
        CERTAINTY_RANK.get(d.certainty, 1),
        (d.label.nl or "").lower(),
        d.id,
    )


def _domain_ref(d: EuracanDomain | None) -> EntityRef | None:
    if d is None:
        return None
    return EntityRef("domain", d.slug, Localised(d.name_nl, d.name_en), d.code)


def _group_ref(g: WorkingGroup) -> EntityRef:
    return EntityRef("working_group", g.slug, Localised(g.name_nl, g.name_en), g.abbreviation)
