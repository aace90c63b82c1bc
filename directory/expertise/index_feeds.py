"""The rows the search index is built from: institutions, panels, working groups, networks
and each condition's expertise facets, with the main sites of institutions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import (
    or_,
    select,
)

from directory.conditions.graph import ClassificationGraph
from directory.expertise.harmonisation import designation_reach
from directory.expertise.kinds import SECTION_ORDER
from directory.expertise.models import (
    Designation,
    DesignationCondition,
    DesignationInstitution,
    Ern,
    EuracanDomain,
    Institution,
    InstitutionAlias,
    Network,
    NetworkMembership,
    Panel,
    PanelInstitution,
    ScopeCondition,
    ScopeExclusion,
    Site,
    WorkingGroup,
)
from directory.expertise.query_base import QueryBase
from directory.expertise.views import (
    ConditionExpertiseFacets,
    ErnName,
    InstitutionIndexRow,
    Localised,
    NetworkIndexRow,
    PanelIndexRow,
    SitePoint,
    WorkingGroupIndexRow,
    _loc,
)


class IndexFeeds(QueryBase):
    """Feeds for the search index."""

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
            designations = list(
                session.scalars(select(Designation).where(Designation.retired_at.is_(None)))
            )
            current = {d.id: d.kind for d in designations}
            erns = {e.id: e for e in session.scalars(select(Ern).where(Ern.retired_at.is_(None)))}
            ern_of = {
                d.id: erns[d.ern_id]
                for d in designations
                if d.kind == "ern_member" and d.ern_id in erns
            }
            in_ern: dict[int, list[Ern]] = defaultdict(list)
            des_codes: dict[int, list[int]] = defaultdict(list)
            for des_id, code in session.execute(
                select(DesignationCondition.designation_id, DesignationCondition.orphacode)
            ):
                des_codes[des_id].append(code)
            for di in session.scalars(select(DesignationInstitution)):
                if di.designation_id in current:
                    kinds[di.institution_id].add(current[di.designation_id])
                    codes[di.institution_id].update(des_codes[di.designation_id])
                ern = ern_of.get(di.designation_id)
                if ern is not None and ern not in in_ern[di.institution_id]:
                    in_ern[di.institution_id].append(ern)
            for i in session.scalars(
                select(Institution)
                .where(
                    Institution.retired_at.is_(None),
                    or_(
                        Institution.status == "active",
                        Institution.successor_id.is_(None),
                    ),
                )
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
                    erns=tuple(
                        ErnName(e.code, e.name_nl or e.name_en, e.name_en)
                        for e in sorted(in_ern[i.id], key=lambda e: e.code)
                    ),
                    status=i.status,
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
