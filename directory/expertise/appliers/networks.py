"""Networks and their members."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    Network,
    NetworkMembership,
    NetworkRole,
)
from directory.expertise.records import (
    MemberRecord,
    NetworksRelease,
)
from directory.expertise.resolver import EditorLinks, Resolver, dutch, english, sources_json
from directory.expertise.rows import count_state, english_slugs, retire_missing, upsert_row
from directory.reports import ImportReport, Problem


class NetworksApplier(Applier):
    """Writes the networks release."""

    # -- networks ----------------------------------------------------------------------

    def apply_networks(
        self,
        data: NetworksRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Networks and their members with roles (roles come from the reference data)."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            roles = set(session.scalars(select(NetworkRole.code)))
            networks = {n.slug: n for n in session.scalars(select(Network))}
            memberships = {
                (m.network_id, m.institution_id, m.role): m
                for m in session.scalars(select(NetworkMembership))
            }
            kept: list[str] = []
            kept_members: list[tuple[int, int, str]] = []
            overrides = self._corrections.rows(session, "network")  # editors' corrections
            links = EditorLinks(session)
            for n in data.networks:
                mark = r.mark()
                resolved: list[tuple[MemberRecord, int, int | None]] = []
                for m in n.members:
                    inst = r.institution(m.institution)
                    partner = r.institution(m.partner_of) if m.partner_of else None
                    if m.role not in roles:
                        r.problem(
                            m.institution.where,
                            "role",
                            f"unknown role {m.role!r}; known roles: {', '.join(sorted(roles))}",
                        )
                    if inst is not None:
                        resolved.append((m, inst, partner))
                if r.failed_since(mark):
                    continue
                if overrides.retired(n.slug):
                    continue
                kept.append(n.slug)
                member_values: dict[tuple[int, str], dict[str, Any]] = {
                    (inst, m.role): {
                        "partner_of_id": partner,
                        "region": m.region,
                        "certainty": m.certainty,
                        "note_nl": dutch(m.note),
                        "note_en": english(m.note),
                    }
                    for m, inst, partner in resolved
                }
                slug_of = links.slugs()
                source_members = {
                    "members": sorted(f"{slug_of[i]} {role}" for i, role in member_values)
                }
                corrected = overrides.apply(n.slug, source_members)
                if corrected != source_members:  # the editors changed the memberships
                    edited: dict[tuple[int, str], dict[str, Any]] = {}
                    for line in corrected["members"] or ():
                        slug, _sp, role = str(line).partition(" ")
                        inst_id = links.institution(slug)
                        if inst_id is not None and role in roles:
                            edited[(inst_id, role)] = member_values.get(
                                (inst_id, role), {"certainty": "editor"}
                            )
                    member_values = edited
                row, state = upsert_row(
                    session,
                    networks,
                    n.slug,
                    partial(Network, slug=n.slug),
                    overrides.apply(
                        n.slug,
                        {
                            "name": n.name,
                            "kind": n.kind,
                            "status": n.status,
                            "aliases": list(n.aliases),
                            "region_nl": dutch(n.region),
                            "region_en": english(n.region),
                            "description_nl": dutch(n.description),
                            "description_en": english(n.description),
                            "sources": sources_json(n.sources),
                        },
                    ),
                    rel,
                )
                session.flush()
                for (inst, role), member in member_values.items():
                    key = (row.id, inst, role)
                    kept_members.append(key)
                    _mrow, mstate = upsert_row(
                        session,
                        memberships,
                        key,
                        partial(
                            NetworkMembership, network_id=key[0], institution_id=key[1], role=key[2]
                        ),
                        member,
                        rel,
                    )
                    count_state(tally, mstate)
                count_state(tally, state)
            created = overrides.created()  # made in the editor area: kept with their members
            kept += created
            created_ids = {networks[slug].id for slug in created if slug in networks}
            kept_members += [k for k, m in memberships.items() if k[0] in created_ids]
            tally.note_overrides(overrides.outcome())
            retire_missing(networks, kept, tally, now)
            retire_missing(memberships, kept_members, tally, now)
            english_slugs(session, r, "network", kept)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="networks",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )
