"""Lists for professionals: every expert panel, working group, network and hospital,
with the fields their index pages filter on (read side, frozen views)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.expertise_models import (
    Designation,
    DesignationInstitution,
    EuracanDomain,
    Institution,
    Network,
    NetworkMembership,
    Panel,
    Site,
    WorkingGroup,
)
from directory.expertise_queries import EntityRef, InstitutionRef, Localised, SitePoint

# Designation kinds that make a hospital a named centre in the hospital list.
CENTRE_KINDS = ("ecza", "soncos_reference_centre", "expertise_centre")


@dataclass(frozen=True)
class PanelListing:
    ref: EntityRef
    level: str  # national | regional
    region: Localised
    domain: EntityRef | None
    submission_kind: str
    portal_name: str | None
    turnaround_days: tuple[int, int] | None
    coordinating: InstitutionRef | None
    reachable: bool  # a submission address, e-mail, phone or website is known


@dataclass(frozen=True)
class GroupListing:
    ref: EntityRef
    kind: str
    domain: EntityRef | None
    website: str | None


@dataclass(frozen=True)
class NetworkListing:
    ref: EntityRef
    kind: str
    status: str | None
    region: Localised
    members: int


@dataclass(frozen=True)
class InstitutionListing:
    ref: InstitutionRef
    cities: tuple[str, ...]
    sites: tuple[SitePoint, ...]  # hospital sites, for distances
    networks: tuple[EntityRef, ...]  # regional oncology networks
    centre_facts: int  # sourced designations naming it as a centre


def _domain(domains: dict[int, EuracanDomain], domain_id: int | None) -> EntityRef | None:
    d = domains.get(domain_id) if domain_id is not None else None
    if d is None:
        return None
    return EntityRef("domain", d.slug, Localised(d.name_nl, d.name_en), d.code)


class ListingQueries:
    """Read-only: the index pages of panels, working groups, networks and hospitals."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    @staticmethod
    def _domains(session: Session) -> dict[int, EuracanDomain]:
        return {d.id: d for d in session.scalars(select(EuracanDomain))}

    def panels(self) -> tuple[PanelListing, ...]:
        with self._sessions() as session:
            domains = self._domains(session)
            institutions = {i.id: i for i in session.scalars(select(Institution))}
            out = []
            for p in session.scalars(
                select(Panel).where(Panel.retired_at.is_(None)).order_by(Panel.name_nl)
            ):
                coord = institutions.get(p.coordinating_institution_id or -1)
                days = None
                if p.turnaround_days_min is not None and p.turnaround_days_max is not None:
                    days = (p.turnaround_days_min, p.turnaround_days_max)
                out.append(
                    PanelListing(
                        ref=EntityRef(
                            "panel", p.slug, Localised(p.name_nl, p.name_en), p.short_name
                        ),
                        level=p.level,
                        region=Localised(p.region_nl, p.region_en),
                        domain=_domain(domains, p.euracan_domain_id),
                        submission_kind=p.submission_kind,
                        portal_name=p.portal_name,
                        turnaround_days=days,
                        coordinating=InstitutionRef(
                            coord.slug, coord.name, coord.name_en, coord.kind, coord.status
                        )
                        if coord is not None
                        else None,
                        reachable=any(
                            (p.submission_url, p.submission_email, p.contact_email, p.contact_phone)
                        ),
                    )
                )
            return tuple(out)

    def working_groups(self) -> tuple[GroupListing, ...]:
        with self._sessions() as session:
            domains = self._domains(session)
            return tuple(
                GroupListing(
                    ref=EntityRef(
                        "working_group", g.slug, Localised(g.name_nl, g.name_en), g.abbreviation
                    ),
                    kind=g.kind,
                    domain=_domain(domains, g.euracan_domain_id),
                    website=g.website,
                )
                for g in session.scalars(
                    select(WorkingGroup)
                    .where(WorkingGroup.retired_at.is_(None))
                    .order_by(WorkingGroup.name_nl)
                )
            )

    def networks(self) -> tuple[NetworkListing, ...]:
        with self._sessions() as session:
            members = dict(
                session.execute(
                    select(
                        NetworkMembership.network_id,
                        func.count(func.distinct(NetworkMembership.institution_id)),
                    )
                    .where(NetworkMembership.retired_at.is_(None))
                    .group_by(NetworkMembership.network_id)
                ).all()
            )
            return tuple(
                NetworkListing(
                    ref=EntityRef("network", n.slug, Localised(n.name, n.name_en or n.name)),
                    kind=n.kind,
                    status=n.status,
                    region=Localised(n.region_nl, n.region_en),
                    members=members.get(n.id, 0),
                )
                for n in session.scalars(
                    select(Network).where(Network.retired_at.is_(None)).order_by(Network.name)
                )
            )

    def institutions(self) -> tuple[InstitutionListing, ...]:
        """Active hospitals only: a closed one is never offered."""
        with self._sessions() as session:
            sites: dict[int, list[SitePoint]] = defaultdict(list)
            for s in session.scalars(
                select(Site).where(Site.retired_at.is_(None)).order_by(Site.kind, Site.id)
            ):
                sites[s.institution_id].append(SitePoint(s.name, s.city, s.lat, s.lon, s.kind))
            networks = {
                n.id: n
                for n in session.scalars(
                    select(Network).where(
                        Network.retired_at.is_(None), Network.kind == "regional_oncology"
                    )
                )
            }
            member_of: dict[int, list[EntityRef]] = defaultdict(list)
            for m in session.scalars(
                select(NetworkMembership).where(NetworkMembership.retired_at.is_(None))
            ):
                n = networks.get(m.network_id)
                if n is not None:
                    ref = EntityRef("network", n.slug, Localised(n.name, n.name_en or n.name))
                    if ref not in member_of[m.institution_id]:
                        member_of[m.institution_id].append(ref)
            centre = dict(
                session.execute(
                    select(DesignationInstitution.institution_id, func.count())
                    .join(Designation, Designation.id == DesignationInstitution.designation_id)
                    .where(
                        Designation.retired_at.is_(None),
                        Designation.kind.in_(CENTRE_KINDS),
                        Designation.certainty.in_(("confirmed", "reported")),
                        Designation.population != "children",
                    )
                    .group_by(DesignationInstitution.institution_id)
                ).all()
            )
            out = []
            for i in session.scalars(
                select(Institution)
                .where(Institution.retired_at.is_(None), Institution.status == "active")
                .order_by(Institution.name)
            ):
                points = tuple(p for p in sites[i.id] if p.kind != "outpatient_clinic")
                out.append(
                    InstitutionListing(
                        ref=InstitutionRef(i.slug, i.name, i.name_en, i.kind, i.status),
                        cities=tuple(dict.fromkeys(p.city for p in points if p.city)),
                        sites=points,
                        networks=tuple(member_of[i.id]),
                        centre_facts=centre.get(i.id, 0),
                    )
                )
            return tuple(out)
