"""What every expertise query shares: sessions, the kept classification graph and source
register, and the building blocks that turn rows into views."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
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
from directory.conditions.graph import ClassificationGraph
from directory.conditions.models import SourceRelease
from directory.conditions.queries import ConditionRef, condition_refs
from directory.expertise.models import (
    Designation,
    DesignationCondition,
    DesignationExclusion,
    DesignationInstitution,
    Ern,
    EuracanDomain,
    Institution,
    Network,
    Panel,
    ScopeCondition,
    Site,
    WorkingGroup,
)
from directory.expertise.provenance import Registry, SourceView, load_registry, source_views
from directory.expertise.views import (
    DesignationView,
    EntityRef,
    InstitutionRef,
    Localised,
    ReleaseRef,
    SitePoint,
)

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


def domain_ref(d: EuracanDomain | None) -> EntityRef | None:
    if d is None:
        return None
    return EntityRef("domain", d.slug, Localised(d.name_nl, d.name_en), d.code)


def group_ref(g: WorkingGroup) -> EntityRef:
    return EntityRef("working_group", g.slug, Localised(g.name_nl, g.name_en), g.abbreviation)


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


class QueryBase:
    """Sessions, the kept graph and registry, and the lookups shared by every query."""

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
