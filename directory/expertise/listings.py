"""Lists for professionals: every expert panel, working group, network and hospital,
with the fields their index pages filter on (read side, frozen views)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from directory.expertise.models import (
    Designation,
    DesignationInstitution,
    EuracanDomain,
    Institution,
    Network,
    NetworkMembership,
    Panel,
    PanelInstitution,
    Site,
    WorkingGroup,
)
from directory.expertise.views import EntityRef, InstitutionRef, Localised, SitePoint
from directory.places.models import GazetteerPlace, GazetteerPostcode
from directory.text import fold
from directory.vocabulary import CENTRE_KINDS

# The twelve provinces as GeoNames names them (its English exonyms), with the slug the
# region filter puts in the URL and the Dutch and English names the pages show.
PROVINCES: dict[str, tuple[str, Localised]] = {
    "Groningen": ("groningen", Localised("Groningen", "Groningen")),
    "Friesland": ("friesland", Localised("Friesland", "Friesland")),
    "Drenthe": ("drenthe", Localised("Drenthe", "Drenthe")),
    "Overijssel": ("overijssel", Localised("Overijssel", "Overijssel")),
    "Flevoland": ("flevoland", Localised("Flevoland", "Flevoland")),
    "Guelders": ("gelderland", Localised("Gelderland", "Gelderland")),
    "Utrecht": ("utrecht", Localised("Utrecht", "Utrecht")),
    "North Holland": ("noord-holland", Localised("Noord-Holland", "North Holland")),
    "South Holland": ("zuid-holland", Localised("Zuid-Holland", "South Holland")),
    "Zeeland": ("zeeland", Localised("Zeeland", "Zeeland")),
    "North Brabant": ("noord-brabant", Localised("Noord-Brabant", "North Brabant")),
    "Limburg": ("limburg", Localised("Limburg", "Limburg")),
}


@dataclass(frozen=True)
class Province:
    slug: str
    name: Localised


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
    provinces: tuple[Province, ...] = ()  # where its hospitals are (see ``_provinces``)


@dataclass(frozen=True)
class GroupListing:
    ref: EntityRef
    kind: str
    domain: EntityRef | None
    website: str | None
    provinces: tuple[Province, ...] = ()  # where its centres and partners are


@dataclass(frozen=True)
class NetworkListing:
    ref: EntityRef
    kind: str
    status: str | None
    region: Localised
    members: int
    provinces: tuple[Province, ...] = ()  # where its member hospitals are


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


def _designated_hospitals(
    session: Session, owner: InstrumentedAttribute[int | None]
) -> dict[int, set[int]]:
    """The institutions named in the current designations of each panel or working
    group (``owner``: the designation's column that points at it)."""
    hospitals: dict[int, set[int]] = defaultdict(set)
    for owner_id, institution_id in session.execute(
        select(owner, DesignationInstitution.institution_id)
        .join(Designation, Designation.id == DesignationInstitution.designation_id)
        .where(Designation.retired_at.is_(None), owner.is_not(None))
    ):
        if owner_id is not None:
            hospitals[owner_id].add(institution_id)
    return hospitals


def _institution_provinces(session: Session) -> dict[int, frozenset[str]]:
    """The provinces (GeoNames names) of each active hospital's sites, outpatient clinics
    left out. A site's four-digit postcode names its place in the gazetteer (a site without
    one: its town); as one name can be a place in several provinces, the place nearest the
    site counts."""
    rows = session.execute(
        select(Site.institution_id, Site.pc4, Site.city, Site.lat, Site.lon)
        .join(Institution, Institution.id == Site.institution_id)
        .where(
            Site.retired_at.is_(None),
            Site.kind != "outpatient_clinic",
            Institution.retired_at.is_(None),
            Institution.status == "active",
        )
    ).all()
    postcodes = {
        p.postcode: p
        for p in session.scalars(
            select(GazetteerPostcode).where(
                GazetteerPostcode.postcode.in_({r.pc4 for r in rows if r.pc4})
            )
        )
    }

    def place_of(pc4: str | None, city: str | None) -> str | None:
        pc = postcodes.get(pc4 or "")
        return pc.place if pc is not None else city

    keys = {fold(name) for r in rows if (name := place_of(r.pc4, r.city))}
    places: dict[str, list[GazetteerPlace]] = defaultdict(list)
    for pl in session.scalars(select(GazetteerPlace).where(GazetteerPlace.key.in_(keys))):
        places[pl.key].append(pl)
    out: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        name = place_of(r.pc4, r.city)
        candidates = places.get(fold(name)) if name else None
        if not candidates:
            continue
        pc = postcodes.get(r.pc4 or "")
        lat, lon = (
            (r.lat, r.lon)
            if r.lat is not None and r.lon is not None
            else ((pc.lat, pc.lon) if pc is not None else (candidates[0].lat, candidates[0].lon))
        )
        nearest = min(candidates, key=lambda c: (c.lat - lat) ** 2 + (c.lon - lon) ** 2)
        out[r.institution_id].add(nearest.province)
    return {i: frozenset(p) for i, p in out.items()}


def _provinces(
    institution_ids: Iterable[int], by_institution: dict[int, frozenset[str]]
) -> tuple[Province, ...]:
    """The provinces of these hospitals, in the order of ``PROVINCES`` (north to south)."""
    names = set().union(*(by_institution.get(i, frozenset()) for i in institution_ids))
    return tuple(Province(slug, name) for g, (slug, name) in PROVINCES.items() if g in names)


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
            provinces = _institution_provinces(session)
            hospitals = _designated_hospitals(session, Designation.panel_id)
            for panel_id, institution_id in session.execute(
                select(PanelInstitution.panel_id, PanelInstitution.institution_id)
            ):
                hospitals[panel_id].add(institution_id)
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
                        provinces=_provinces(
                            hospitals[p.id] | {p.coordinating_institution_id or -1}, provinces
                        ),
                    )
                )
            return tuple(out)

    def working_groups(self) -> tuple[GroupListing, ...]:
        with self._sessions() as session:
            domains = self._domains(session)
            provinces = _institution_provinces(session)
            hospitals = _designated_hospitals(session, Designation.working_group_id)
            return tuple(
                GroupListing(
                    ref=EntityRef(
                        "working_group", g.slug, Localised(g.name_nl, g.name_en), g.abbreviation
                    ),
                    kind=g.kind,
                    domain=_domain(domains, g.euracan_domain_id),
                    website=g.website,
                    provinces=_provinces(hospitals[g.id], provinces),
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
            provinces = _institution_provinces(session)
            hospitals: dict[int, set[int]] = defaultdict(set)
            for network_id, institution_id in session.execute(
                select(NetworkMembership.network_id, NetworkMembership.institution_id).where(
                    NetworkMembership.retired_at.is_(None)
                )
            ):
                hospitals[network_id].add(institution_id)
            return tuple(
                NetworkListing(
                    ref=EntityRef("network", n.slug, Localised(n.name, n.name_en or n.name)),
                    kind=n.kind,
                    status=n.status,
                    region=Localised(n.region_nl, n.region_en),
                    members=members.get(n.id, 0),
                    provinces=_provinces(hospitals[n.id], provinces),
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
