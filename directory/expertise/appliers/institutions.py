"""Institutions, their aliases and sites (RIVM + GeoNames + curated overlay)."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    Institution,
    InstitutionAlias,
    Site,
)
from directory.expertise.records import (
    InstitutionsRelease,
)
from directory.expertise.resolver import Resolver, dutch, english, site_point, sources_json
from directory.expertise.rows import count_state, retire_missing, upsert_row
from directory.reports import ImportReport
from directory.text import fold_name


class InstitutionsApplier(Applier):
    """Writes the institutions release."""

    # -- institutions ------------------------------------------------------------------

    def apply_institutions(
        self, data: InstitutionsRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """Institutions, their aliases and sites (RIVM + GeoNames + curated overlay).

        The importer has already checked the overlay against RIVM (every site
        claimed once, aliases unique); institutions missing from a new release
        are retired with their sites.
        """

        def body(session: Session, tally: ChangeTally, _r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            rivm_rel = self._release_id(session, data.rivm)
            self._release_id(session, data.geonames)
            existing = {
                i.slug: i
                for i in session.scalars(
                    select(Institution).options(
                        selectinload(Institution.aliases), selectinload(Institution.sites)
                    )
                )
            }
            states: dict[str, str] = {}
            overrides = self._corrections.rows(session, "institution")  # editors' corrections
            retired_by_editors = [r.slug for r in data.institutions if overrides.retired(r.slug)]
            for rec in data.institutions:
                values: dict[str, Any] = {
                    "name": rec.name,
                    "name_en": rec.name_en,
                    "kind": rec.kind,
                    "kind_certainty": rec.kind_certainty,
                    "origin": rec.origin,
                    "website": rec.website,
                    "rivm_organisations": list(rec.rivm_organisations),
                    "notes_nl": dutch(rec.notes),
                    "notes_en": english(rec.notes),
                    "corrections": [{"what": c.what, "ref": c.ref} for c in rec.corrections],
                    "sources": sources_json(rec.sources),
                    "status": rec.status,
                    "ended_on": rec.ended_on,
                    "lifecycle_nl": dutch(rec.lifecycle),
                    "lifecycle_en": english(rec.lifecycle),
                }
                values = overrides.apply(rec.slug, values)
                _row, states[rec.slug] = upsert_row(
                    session,
                    existing,
                    rec.slug,
                    partial(Institution, slug=rec.slug, updated_at=now),
                    values,
                    rel,
                )
            session.flush()
            for rec in data.institutions:  # successors, now that every row has an id
                heir = existing.get(rec.successor) if rec.successor else None
                successor_id = heir.id if heir is not None else None
                inst_row = existing[rec.slug]
                if inst_row.successor_id != successor_id:
                    inst_row.successor_id = successor_id
                    if states[rec.slug] == "unchanged":
                        states[rec.slug] = "changed"

            # Aliases: one row per folded key, moved to whichever institution claims it now.
            aliases = {a.key: a for a in session.scalars(select(InstitutionAlias))}
            wanted_keys: set[str] = set()
            for rec in data.institutions:
                inst = existing[rec.slug]
                for a in overrides.aliases(rec.slug, rec.aliases):
                    key = fold_name(a.alias)
                    if not key or key in wanted_keys:
                        continue
                    wanted_keys.add(key)
                    row = aliases.get(key)
                    if row is None:
                        session.add(
                            InstitutionAlias(
                                institution_id=inst.id, alias=a.alias, key=key, origin=a.origin
                            )
                        )
                    elif (row.institution_id, row.alias, row.origin) != (
                        inst.id,
                        a.alias,
                        a.origin,
                    ):
                        row.institution_id, row.alias, row.origin = inst.id, a.alias, a.origin
                    else:
                        continue
                    if states[rec.slug] == "unchanged":
                        states[rec.slug] = "changed"
            current = {existing[r.slug].id: r.slug for r in data.institutions}
            for key, row in aliases.items():
                if key not in wanted_keys and row.institution_id in current:
                    session.delete(row)
                    slug = current[row.institution_id]
                    if states[slug] == "unchanged":
                        states[slug] = "changed"

            # Sites; editors' corrections (kind "site", keyed by the site key) win.
            sites = {s.key: s for s in session.scalars(select(Site))}
            site_overrides = self._corrections.rows(session, "site")
            slug_ids = {slug: row.id for slug, row in existing.items()}
            wanted_sites: list[str] = list(site_overrides.created())
            for rec in data.institutions:
                inst = existing[rec.slug]
                for s in rec.sites:
                    if site_overrides.retired(s.key):
                        continue
                    wanted_sites.append(s.key)
                    corrected = site_overrides.apply(
                        s.key,
                        {
                            "institution": rec.slug,
                            "name": s.name,
                            "kind": s.kind,
                            "address": s.address,
                            "postcode": s.postcode,
                            "city": s.city,
                        },
                    )
                    inst_id = slug_ids.get(str(corrected.pop("institution")), inst.id)
                    point = (s.pc4, s.lat, s.lon)
                    if corrected["postcode"] != s.postcode:
                        point = site_point(session, corrected["postcode"]) or point
                    values = {
                        **corrected,
                        "institution_id": inst_id,
                        "pc4": point[0],
                        "lat": point[1],
                        "lon": point[2],
                        "rivm_location": s.rivm_location,
                        "source_ref": s.source_ref,
                        "certainty": s.certainty,
                    }
                    _site, state = upsert_row(
                        session,
                        sites,
                        s.key,
                        partial(Site, key=s.key),
                        values,
                        rel if s.from_curated else rivm_rel,
                    )
                    count_state(tally, state)
            tally.note_overrides(site_overrides.outcome())
            retire_missing(sites, wanted_sites, tally, now)

            for slug, state in states.items():
                if state == "changed":
                    existing[slug].updated_at = now
                count_state(tally, state)
            tally.note_overrides(overrides.outcome())
            retire_missing(existing, [*states, *overrides.created()], tally, now)
            for slug in retired_by_editors:  # retired in the editor area: stays retired
                if existing[slug].retired_at is None:
                    existing[slug].retired_at = now
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="institutions",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
            extra_warnings=data.warnings,
        )
