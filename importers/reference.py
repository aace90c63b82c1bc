"""Reference data and networks (``reference.json``, ``networks.json``).

``reference.json``: the 24 ERNs with their known Dutch members, the 10 EURACAN
domains with the Orphanet groups they cover, lay body areas, and the
shared-care roles of seed 004 (expert centre, partner hospital, referring
hospital). The network roles that are not shared-care roles (member,
head-and-neck oncological centre, preferred partner) are defined here too, so
that every membership has a described role.

``networks.json``: regional oncology networks, hospital collaborations, the
head-and-neck network (eight oncological centres and their preferred
partners, seed 002 figure 2.1) and tumour-type collaborations, each member
with a role.
"""

from __future__ import annotations

import re

from directory.expertise.records import (
    Bilingual,
    BodyAreaRecord,
    ErnRecord,
    EuracanDomainRecord,
    MemberRecord,
    NetworkRecord,
    NetworksRelease,
    ReferenceRelease,
    RoleRecord,
    SourceRef,
)
from directory.vocabulary import CERTAINTIES, NETWORK_KINDS
from importers.base import SourceFile
from importers.curated import JsonFile, records

SOURCE_REFERENCE = "reference"
SOURCE_NETWORKS = "networks"
EURACAN_SLUG = "euracan"  # the ERN whose scope is the union of the EURACAN domains
NETWORK_STATUSES = ("anchored_network", "region_with_collaboration", "hospital_collaboration")
ROLE_SLUG_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
HN_REGIONS_SOURCE = SourceRef(
    "seed 002 (IKNL, 'Zeldzame kanker: organisatie van expertise', 2023) §2.4.1, figure 2.1"
)

# Roles that are not in the shared-care model; described once, here.
BUILT_IN_ROLES = (
    RoleRecord(
        code="member",
        name=Bilingual("Lid", "Member"),
        description=Bilingual(
            "Het ziekenhuis doet mee in dit netwerk of samenwerkingsverband.",
            "The hospital takes part in this network or collaboration.",
        ),
        model="network",
        echelon=None,
        sources=(SourceRef("seed 003 ('Oncologienetwerken in beeld'), seed 002 figure 5.1"),),
    ),
    RoleRecord(
        code="oncological_centre",
        name=Bilingual("Hoofd-halsoncologisch centrum", "Head-and-neck oncological centre"),
        description=Bilingual(
            "Een van de acht centra waar de zorg voor hoofd-halskanker is samengebracht "
            "(NWHHT). Alle patiënten met hoofd-halskanker worden naar zo'n centrum of een "
            "preferred partner verwezen.",
            "One of the eight centres where head-and-neck cancer care is concentrated "
            "(NWHHT). All patients with head-and-neck cancer are referred to such a centre "
            "or a preferred partner.",
        ),
        model="head_and_neck",
        echelon=None,
        sources=(HN_REGIONS_SOURCE,),
    ),
    RoleRecord(
        code="preferred_partner",
        name=Bilingual("Preferred partner", "Preferred partner"),
        description=Bilingual(
            "Een ziekenhuis of radiotherapeutisch instituut dat nauw samenwerkt met een "
            "hoofd-halsoncologisch centrum. In overleg met dat centrum kan (een deel van) de "
            "behandeling hier plaatsvinden.",
            "A hospital or radiotherapy institute that works closely with a head-and-neck "
            "oncological centre. In consultation with that centre, (part of) the treatment "
            "can take place here.",
        ),
        model="head_and_neck",
        echelon=None,
        sources=(HN_REGIONS_SOURCE,),
    ),
)


# -- reference.json --------------------------------------------------------------------


def parse_reference(source: SourceFile, *, allow_partial: bool = False) -> ReferenceRelease:
    """ERNs, EURACAN domains, body areas and roles; InputRejected on any problem.

    Problems in the file itself always reject it; ``allow_partial`` only lets
    the service leave out records whose references (institutions, ORPHAcodes)
    it cannot resolve.
    """
    file = JsonFile(source)
    root = file.root(
        ["erns", "euracan_domains", "body_areas", "shared_care_roles"],
        ["shared_care_definition"],
    )
    erns: list[ErnRecord] = []
    for el in records(
        file,
        root.objects("erns"),
        "erns",
        ["slug", "code", "name", "website", "nl_members", "sources"],
        ["notes", "scope_orphacodes", "scope_exclude_orphacodes"],
    ):
        slug = el.slug()
        members: list[MemberRecord] = []
        for n, item in enumerate(el.objects("nl_members"), start=1):
            m = el.child(
                item,
                f"nl_members[{n}]",
                ["institution", "certainty"],
                ["note", "sources", "domains"],
            )
            if m is None:
                continue
            inst = m.ref("institution")
            if inst is not None:
                members.append(
                    MemberRecord(
                        institution=inst,
                        role="member",
                        certainty=m.certainty(),
                        note=m.bilingual("note", required=False),
                        sources=m.sources(required=False),
                        domains=m.refs("domains"),
                    )
                )
        erns.append(
            ErnRecord(
                slug=slug,
                code=el.text("code", max_len=64) or slug,
                name=el.bilingual("name") or Bilingual(slug, slug),
                website=el.url("website"),
                notes=el.bilingual("notes", required=False),
                members=tuple(members),
                sources=el.sources(),
                where=el.where,
                scope=el.codes("scope_orphacodes"),
                scope_exclude=el.codes("scope_exclude_orphacodes"),
            )
        )
    codes_seen: dict[str, str] = {}
    for e in erns:
        key = e.code.lower()
        if key in codes_seen:
            file.problem(
                e.where, "code", f"ERN code {e.code!r} is also used by {codes_seen[key]!r}"
            )
        codes_seen[key] = e.slug

    domains: list[EuracanDomainRecord] = []
    for n, el in enumerate(
        records(
            file,
            root.objects("euracan_domains"),
            "euracan_domains",
            ["slug", "number", "name", "lay_name", "orphacodes", "sources"],
            ["notes", "exclude_orphacodes"],
        ),
        start=1,
    ):
        number = el.text("number", required=False, max_len=8)
        if number is not None and not re.fullmatch(r"G\d{1,2}", number):
            el.problem("number", f"{number!r} is not a EURACAN domain number (G1..G10)")
        domains.append(
            EuracanDomainRecord(
                slug=el.slug(),
                code=number,
                position=n,
                name=el.bilingual("name") or Bilingual("", ""),
                lay_name=el.bilingual("lay_name", required=False),
                orphacodes=el.codes("orphacodes"),
                notes=el.bilingual("notes", required=False),
                sources=el.sources(),
                where=el.where,
                exclude=el.codes("exclude_orphacodes"),
            )
        )

    areas: list[BodyAreaRecord] = []
    for n, el in enumerate(
        records(
            file,
            root.objects("body_areas"),
            "body_areas",
            ["slug", "name", "orphacodes", "sources"],
            ["notes"],
        ),
        start=1,
    ):
        areas.append(
            BodyAreaRecord(
                slug=el.slug(),
                position=n,
                name=el.bilingual("name") or Bilingual("", ""),
                orphacodes=el.codes("orphacodes"),
                notes=el.bilingual("notes", required=False),
                sources=el.sources(),
                where=el.where,
            )
        )

    roles: list[RoleRecord] = list(BUILT_IN_ROLES)
    for el in records(
        file,
        root.objects("shared_care_roles"),
        "shared_care_roles",
        ["slug", "echelon", "name", "description", "sources"],
    ):
        roles.append(
            RoleRecord(
                code=el.slug(pattern=ROLE_SLUG_RE),
                name=el.bilingual("name") or Bilingual("", ""),
                description=el.bilingual("description"),
                model="shared_care",
                echelon=el.integer("echelon", low=1, high=3),
                sources=el.sources(),
            )
        )
    if isinstance(root.data.get("shared_care_definition"), dict):
        definition = root.child(
            root.data["shared_care_definition"], "shared_care_definition", ["definition"],
            ["pillars", "sources"],
        )  # fmt: skip
        if definition is not None:
            definition.bilingual("definition")
            definition.bilingual("pillars", required=False)
            definition.sources(required=False)

    file.raise_if_problems("reference data")
    return ReferenceRelease(
        release=file.release(SOURCE_REFERENCE),
        erns=tuple(erns),
        euracan_scope_ern=EURACAN_SLUG if any(e.slug == EURACAN_SLUG for e in erns) else None,
        domains=tuple(domains),
        body_areas=tuple(areas),
        roles=tuple(roles),
        source_name=source.name,
    )


# -- networks.json -----------------------------------------------------------------------


def parse_networks(source: SourceFile, *, allow_partial: bool = False) -> NetworksRelease:
    """Networks with members and roles; InputRejected on any problem (see parse_reference)."""
    file = JsonFile(source)
    root = file.root(["networks"])
    networks: list[NetworkRecord] = []
    for el in records(
        file,
        root.objects("networks"),
        "networks",
        ["slug", "name", "kind", "aliases", "region", "description", "members", "sources"],
        ["status"],
    ):
        kind = el.enum("kind", NETWORK_KINDS) or "regional_oncology"
        status = el.enum("status", NETWORK_STATUSES, required=False)
        if kind == "regional_oncology" and status is None and "status" not in el.data:
            el.problem("status", "a regional oncology network needs a status")
        members: list[MemberRecord] = []
        seen: set[tuple[str, str]] = set()
        for n, item in enumerate(el.objects("members"), start=1):
            m = el.child(
                item,
                f"members[{n}]",
                ["institution", "role", "certainty"],
                ["note", "partner_of", "hn_region", "hn_region_certainty"],
            )
            if m is None:
                continue
            inst = m.ref("institution")
            role = m.text("role", max_len=32) or ""
            if role and not ROLE_SLUG_RE.match(role):
                m.problem("role", f"{role!r} is not a role name")
            partner_of = m.ref("partner_of")
            if role == "preferred_partner" and partner_of is None:
                m.problem("partner_of", "a preferred partner must name its centre (partner_of)")
            if partner_of is not None and role != "preferred_partner":
                m.problem("partner_of", "only a preferred partner has partner_of")
            if inst is None:
                continue
            if (inst.value, role) in seen:
                m.problem("institution", f"{inst.value!r} is listed twice with role {role!r}")
            seen.add((inst.value, role))
            members.append(
                MemberRecord(
                    institution=inst,
                    role=role,
                    certainty=m.certainty(),
                    note=m.bilingual("note", required=False),
                    partner_of=partner_of,
                    region=m.text("hn_region", required=False, max_len=100),
                    region_certainty=m.enum("hn_region_certainty", CERTAINTIES, required=False),
                )
            )
        networks.append(
            NetworkRecord(
                slug=el.slug(),
                name=el.text("name", max_len=300) or "",
                kind=kind,
                status=status,
                aliases=el.strings("aliases"),
                region=el.bilingual("region", required=False),
                description=el.bilingual("description"),
                members=tuple(members),
                sources=el.sources(),
                where=el.where,
            )
        )
    file.raise_if_problems("networks")
    return NetworksRelease(
        release=file.release(SOURCE_NETWORKS), networks=tuple(networks), source_name=source.name
    )
