"""Edits approved in the editor area, applied inside the editorial service's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.records import ReleaseInfo
from directory.expertise.applier import Applier
from directory.expertise.models import (
    Designation,
    DesignationCondition,
    DesignationInstitution,
    Institution,
    InstitutionAlias,
    Network,
    NetworkMembership,
    NetworkRole,
    Panel,
    PanelInstitution,
    ScopeCondition,
    Site,
    WorkingGroup,
)
from directory.expertise.resolver import site_point
from directory.expertise.rows import sync_scope
from directory.text import fold_name
from directory.vocabulary import DesignationKind

# What the editor area may change through edit_row / retire_row, and the values a
# row made there starts with (the form gives the rest).
EDITABLE_MODELS: dict[str, Any] = {
    "panel": Panel,
    "working_group": WorkingGroup,
    "institution": Institution,
    "network": Network,
}
EDITOR_CREATE_DEFAULTS: dict[str, dict[str, Any]] = {
    "panel": {"submission_kind": "unknown", "aliases": [], "sources": []},
    "working_group": {"sources": [], "initiatives": []},
    "institution": {"origin": "editor", "rivm_organisations": [], "corrections": [], "sources": []},
    "network": {"aliases": [], "sources": []},
}


class EditorWrites(Applier):
    """Rows, designations, links, members and sites as editors change them."""

    # -- edits approved in the editor area (inside the editorial service's transaction) --

    def edit_row(
        self,
        session: Session,
        kind: str,
        slug: str,
        values: dict[str, Any],
        release: ReleaseInfo,
        *,
        create: bool = False,
    ) -> None:
        """Set columns of one panel, working group or institution (editor area).

        With ``create`` a new row is made. A panel's designation keeps its label.
        Re-imports keep these values through the editors' overrides.
        """
        model = EDITABLE_MODELS[kind]
        now = utcnow()
        rel = self._release_id(session, release)
        row = session.scalar(select(model).where(model.slug == slug))
        if row is None:
            if not create:
                raise LookupError(f"no {kind} {slug!r}")
            row = model(slug=slug, release_id=rel, **EDITOR_CREATE_DEFAULTS.get(kind, {}))
            session.add(row)
        aliases = values.pop("aliases", None) if kind == "institution" else None
        for attr, value in values.items():
            setattr(row, attr, value)
        row.release_id = rel
        if hasattr(row, "updated_at"):
            row.updated_at = now
        session.flush()
        if aliases is not None:
            self._set_aliases(session, row, [str(a) for a in aliases])
        if kind == "panel":
            for d in session.scalars(select(Designation).where(Designation.panel_id == row.id)):
                d.label_nl, d.label_en, d.updated_at = row.name_nl, row.name_en, now

    @staticmethod
    def _set_aliases(session: Session, inst: Institution, aliases: list[str]) -> None:
        """Make ``aliases`` the institution's aliases; new ones have origin ``editor``."""
        wanted = {fold_name(a): a for a in aliases if fold_name(a)}
        have = {
            a.key: a
            for a in session.scalars(
                select(InstitutionAlias).where(InstitutionAlias.institution_id == inst.id)
            )
        }
        for key, row in have.items():
            if key not in wanted:
                session.delete(row)
            elif row.alias != wanted[key]:
                row.alias = wanted[key]
        session.flush()
        for key, alias in wanted.items():
            if key not in have:
                session.add(
                    InstitutionAlias(institution_id=inst.id, alias=alias, key=key, origin="editor")
                )

    def retire_row(self, session: Session, kind: str, slug: str, *, retired: bool = True) -> None:
        """Retire (or bring back) one panel, working group or institution, with its facts."""
        model = EDITABLE_MODELS[kind]
        row = session.scalar(select(model).where(model.slug == slug))
        if row is None:
            raise LookupError(f"no {kind} {slug!r}")
        now = utcnow()
        row.retired_at = now if retired else None
        # The row's own facts: a working group's centres and partners, not its panels
        # (whose designations name the group too).
        owned = {
            "panel": Designation.panel_id == row.id,
            "working_group": (Designation.working_group_id == row.id)
            & Designation.kind.in_(("working_group_centre", "preferred_partner")),
        }
        if kind in owned:
            for d in session.scalars(select(Designation).where(owned[kind])):
                d.retired_at, d.updated_at = (now if retired else None), now

    def edit_designation(
        self,
        session: Session,
        source: str,
        key: str,
        kind: DesignationKind,
        values: dict[str, Any],
        release: ReleaseInfo,
        *,
        institutions: Sequence[str] | None = None,
        orphacodes: Sequence[int] | None = None,
        create: bool = False,
    ) -> None:
        """Write one designation entered in the editor area (e.g. an ECZA row by hand).

        ``institutions`` are slugs in order, ``orphacodes`` existing codes; None leaves
        them as they are. Such designations have a source of their own, so imports of
        the official lists never touch them.
        """
        rel = self._release_id(session, release)
        now = utcnow()
        d = session.scalar(
            select(Designation).where(Designation.source == source, Designation.key == key)
        )
        if d is None:
            if not create:
                raise LookupError(f"no designation {source}/{key}")
            d = Designation(source=source, key=key, kind=kind, first_release_id=rel, created_at=now)
            session.add(d)
        for attr, value in values.items():
            setattr(d, attr, value)
        d.kind, d.release_id, d.updated_at, d.checked_on = kind, rel, now, now.date()
        session.flush()
        if institutions is not None:
            rows = session.execute(
                select(Institution.slug, Institution.id).where(
                    Institution.slug.in_(list(institutions))
                )
            )
            ids: dict[str, int] = {row.slug: row.id for row in rows}
            missing = [slug for slug in institutions if slug not in ids]
            if missing:
                raise LookupError(f"no institution {missing[0]!r}")
            d.institutions.clear()
            session.flush()
            d.institutions.extend(
                DesignationInstitution(institution_id=ids[slug], position=n)
                for n, slug in enumerate(institutions)
            )
        if orphacodes is not None:
            d.conditions.clear()
            session.flush()
            d.conditions.extend(DesignationCondition(orphacode=code) for code in orphacodes)

    def retire_designation(
        self, session: Session, source: str, key: str, *, retired: bool = True
    ) -> None:
        d = session.scalar(
            select(Designation).where(Designation.source == source, Designation.key == key)
        )
        if d is None:
            raise LookupError(f"no designation {source}/{key}")
        now = utcnow()
        d.retired_at, d.updated_at = (now if retired else None), now

    def set_links(
        self,
        session: Session,
        kind: str,
        slug: str,
        links: dict[str, Any],
        release: ReleaseInfo,
    ) -> None:
        """Set a panel's or working group's institutions and ORPHAcodes (editor area).

        ``links`` holds any of ``coordinating_institution`` (a slug or None),
        ``member_institutions`` (panel), ``centre_institutions`` (working group),
        all slugs, and ``scope_orphacodes`` (existing codes). The scope and the
        institution rows change, and so does the expertise fact (designation of kind
        ``panel`` / ``working_group_centre``) that puts the panel or group on the
        condition pages; a panel or group made in the editor area gets one with the
        source ``editor-panels`` / ``editor-working-groups``.
        """
        model = EDITABLE_MODELS[kind]
        row = session.scalar(select(model).where(model.slug == slug))
        if row is None:
            raise LookupError(f"no {kind} {slug!r}")
        wanted = [str(links.get("coordinating_institution") or "")] + [
            str(s)
            for s in [*links.get("member_institutions", ()), *links.get("centre_institutions", ())]
        ]
        wanted = [s for s in wanted if s]
        ids: dict[str, int] = {
            r.slug: r.id
            for r in session.execute(
                select(Institution.slug, Institution.id).where(Institution.slug.in_(wanted))
            )
        }
        missing = [s for s in wanted if s not in ids]
        if missing:
            raise LookupError(f"no institution {missing[0]!r}")
        if "scope_orphacodes" in links:
            sync_scope(session, kind, row.id, [int(c) for c in links["scope_orphacodes"]])
        codes = sorted(
            session.scalars(
                select(ScopeCondition.orphacode).where(
                    ScopeCondition.owner_kind == kind, ScopeCondition.owner_id == row.id
                )
            )
        )
        now = utcnow()
        if kind == "panel":
            have = {
                pi.institution_id: pi
                for pi in session.scalars(
                    select(PanelInstitution).where(PanelInstitution.panel_id == row.id)
                )
            }
            coordinating = (
                ids.get(str(links["coordinating_institution"] or ""))
                if "coordinating_institution" in links
                else row.coordinating_institution_id
            )
            members = (
                [ids[str(s)] for s in links["member_institutions"]]
                if "member_institutions" in links
                else [i for i, pi in have.items() if pi.role == "member"]
            )
            wanted_roles = dict.fromkeys(members, "member")
            if coordinating is not None:
                wanted_roles[coordinating] = "coordinating"
            if {k: v.role for k, v in have.items()} != wanted_roles:
                for pi in have.values():
                    session.delete(pi)
                session.flush()
                for inst, role in wanted_roles.items():
                    session.add(PanelInstitution(panel_id=row.id, institution_id=inst, role=role))
            row.coordinating_institution_id = coordinating
            ordered = ([coordinating] if coordinating else []) + [
                i for i in members if i != coordinating
            ]
            facts = list(session.scalars(select(Designation).where(Designation.panel_id == row.id)))
            own_kind, own_source = "panel", "editor-panels"
        else:
            facts = list(
                session.scalars(
                    select(Designation).where(
                        Designation.working_group_id == row.id,
                        Designation.kind.in_(("working_group_centre", "preferred_partner")),
                    )
                )
            )
            centre = next((d for d in facts if d.kind == "working_group_centre"), None)
            ordered = (
                [ids[str(s)] for s in links["centre_institutions"]]
                if "centre_institutions" in links
                else [i.institution_id for i in centre.institutions]
                if centre is not None
                else []
            )
            own_kind, own_source = "working_group_centre", "editor-working-groups"
        own = next((d for d in facts if d.kind == own_kind), None)
        if own is None:
            rel = self._release_id(session, release)
            own = Designation(
                source=own_source,
                key=slug,
                kind=own_kind,
                label_nl=row.name_nl,
                label_en=row.name_en,
                level=getattr(row, "level", None),
                panel_id=row.id if kind == "panel" else None,
                working_group_id=row.id if kind == "working_group" else None,
                source_ref="Expertisewijzer editors",
                release_id=rel,
                first_release_id=rel,
                created_at=now,
                retired_at=row.retired_at,
            )
            session.add(own)
            facts.append(own)
        session.flush()
        if [i.institution_id for i in own.institutions] != ordered:
            own.institutions.clear()
            session.flush()
            own.institutions.extend(
                DesignationInstitution(institution_id=i, position=n) for n, i in enumerate(ordered)
            )
        for d in facts:  # a preferred partner covers the group's scope too
            if sorted(c.orphacode for c in d.conditions) != codes:
                source_codes = {c.orphacode: c.source_code for c in d.conditions}
                d.conditions.clear()
                session.flush()
                d.conditions.extend(
                    DesignationCondition(orphacode=c, source_code=source_codes.get(c))
                    for c in codes
                )
            d.updated_at, d.checked_on = now, now.date()

    def set_network_members(
        self, session: Session, slug: str, members: Sequence[tuple[str, str]], release: ReleaseInfo
    ) -> None:
        """Make ``members`` ((institution slug, role) pairs) a network's current memberships.

        Memberships no longer listed are retired; facts the source gave about a
        membership that stays (region, partner, note) are kept.
        """
        network = session.scalar(select(Network).where(Network.slug == slug))
        if network is None:
            raise LookupError(f"no network {slug!r}")
        rel = self._release_id(session, release)
        ids: dict[str, int] = {
            r.slug: r.id
            for r in session.execute(
                select(Institution.slug, Institution.id).where(
                    Institution.slug.in_([m[0] for m in members])
                )
            )
        }
        roles = set(session.scalars(select(NetworkRole.code)))
        wanted: set[tuple[int, str]] = set()
        for inst_slug, role in members:
            if inst_slug not in ids:
                raise LookupError(f"no institution {inst_slug!r}")
            if role not in roles:
                raise LookupError(f"no network role {role!r}")
            wanted.add((ids[inst_slug], role))
        now = utcnow()
        have = {
            (m.institution_id, m.role): m
            for m in session.scalars(
                select(NetworkMembership).where(NetworkMembership.network_id == network.id)
            )
        }
        for key, m in have.items():
            if key in wanted and m.retired_at is not None:
                m.retired_at, m.release_id = None, rel
            elif key not in wanted and m.retired_at is None:
                m.retired_at = now
        for inst_id, role in sorted(wanted - set(have)):
            session.add(
                NetworkMembership(
                    network_id=network.id,
                    institution_id=inst_id,
                    role=role,
                    certainty="editor",
                    release_id=rel,
                )
            )
        session.flush()

    def edit_site(
        self,
        session: Session,
        key: str,
        values: dict[str, Any],
        release: ReleaseInfo,
        *,
        create: bool = False,
    ) -> None:
        """Set a site's institution (slug), name, kind, address, postcode and place.

        The coordinates follow the postcode (the gazetteer's PC4 centre); a postcode
        the gazetteer lacks is refused (the editor area checks this first).
        """
        rel = self._release_id(session, release)
        values = dict(values)
        slug = values.pop("institution", None)
        inst_id = None
        if slug is not None:
            inst_id = session.scalar(select(Institution.id).where(Institution.slug == slug))
            if inst_id is None:
                raise LookupError(f"no institution {slug!r}")
        point = site_point(session, values.get("postcode"))
        if values.get("postcode") and point is None:
            raise LookupError(f"postcode {values['postcode']!r} is not in the gazetteer")
        row = session.scalar(select(Site).where(Site.key == key))
        if row is None:
            if not create:
                raise LookupError(f"no site {key!r}")
            row = Site(key=key, source_ref="Expertisewijzer editors", certainty="editor")
        if inst_id is not None:
            row.institution_id = inst_id
        if "postcode" in values:
            row.pc4, row.lat, row.lon = point or (None, None, None)
        for attr, value in values.items():
            setattr(row, attr, value)
        row.release_id = rel
        session.add(row)
        session.flush()

    def retire_site(self, session: Session, key: str, *, retired: bool = True) -> None:
        row = session.scalar(select(Site).where(Site.key == key))
        if row is None:
            raise LookupError(f"no site {key!r}")
        row.retired_at = utcnow() if retired else None
