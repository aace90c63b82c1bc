"""Read side of the entity pages: institutions, panels, working groups, networks, domains,
body areas, patient resources and the catalogue's counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from directory.conditions.graph import ClassificationGraph
from directory.expertise.entity_fields import PANEL_TEXTS
from directory.expertise.harmonisation import designation_order
from directory.expertise.kinds import SECTION_ORDER
from directory.expertise.models import (
    BodyArea,
    Designation,
    DesignationCondition,
    DesignationInstitution,
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
    Site,
    WorkingGroup,
)
from directory.expertise.provenance import source_views
from directory.expertise.query_base import QueryBase, domain_ref, group_ref
from directory.expertise.views import (
    Correction,
    EntityRef,
    ExpertiseCounts,
    InstitutionDetail,
    InstitutionRef,
    Lifecycle,
    Localised,
    MembershipView,
    NetworkDetail,
    PanelDetail,
    PatientResourceView,
    SiteView,
    WorkingGroupDetail,
    _loc,
)


class EntityPages(QueryBase):
    """The details of one entity, as its page shows them."""

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
                (v for v in views.values() if v.retired_at is None), key=designation_order
            )
            former = sorted(
                (v for v in views.values() if v.retired_at is not None), key=designation_order
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
            return PanelDetail(
                ref=EntityRef("panel", p.slug, Localised(p.name_nl, p.name_en), p.short_name),
                short_name=p.short_name,
                aliases=tuple(p.aliases or ()),
                level=p.level,
                region=_loc(p, "region"),
                domain=domain_ref(domain),
                working_group=group_ref(group) if group else None,
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
                texts={f.name: _loc(p, f.name) for f in PANEL_TEXTS},
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
                group_ref(c)
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
                ref=group_ref(g),
                kind=g.kind,
                parent=group_ref(parent) if parent else None,
                children=children,
                domain=domain_ref(domain),
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
                domain_ref(d) or EntityRef("domain", d.slug, Localised(None, None))
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
