"""Reference data: ERNs, EURACAN domains, body areas and network roles."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    BodyArea,
    Ern,
    EuracanDomain,
    NetworkRole,
)
from directory.expertise.records import (
    ReferenceRelease,
)
from directory.expertise.resolver import (
    DesignationSpec,
    Resolver,
    dutch,
    english,
    refs_text,
    sources_json,
)
from directory.expertise.rows import (
    codes_only,
    count_state,
    english_slugs,
    retire_missing,
    sync_designations,
    sync_scope,
    sync_scope_exclusions,
    upsert_row,
)
from directory.reports import ImportReport, Problem


class ReferenceApplier(Applier):
    """Writes the reference release."""

    # -- reference data: ERNs, EURACAN domains, body areas, roles ----------------------

    def apply_reference(
        self,
        data: ReferenceRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """ERNs with their Dutch members (ERN-member designations), domains, areas, roles."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)

            roles = {x.code: x for x in session.scalars(select(NetworkRole))}
            for role in data.roles:
                _role, state = upsert_row(
                    session,
                    roles,
                    role.code,
                    partial(NetworkRole, code=role.code),
                    {
                        "name_nl": role.name.nl,
                        "name_en": role.name.en,
                        "description_nl": dutch(role.description),
                        "description_en": english(role.description),
                        "model": role.model,
                        "echelon": role.echelon,
                        "sources": sources_json(role.sources),
                    },
                    rel,
                )
                count_state(tally, state)

            domains = {d.slug: d for d in session.scalars(select(EuracanDomain))}
            domain_codes: dict[str, tuple[tuple[int, int | None], ...]] = {}
            domain_exclusions: dict[str, tuple[int, ...]] = {}
            for d in data.domains:
                mark = r.mark()
                codes = r.codes(d.orphacodes)
                if r.failed_since(mark):
                    continue
                domain_codes[d.slug] = codes
                domain_row, state = upsert_row(
                    session,
                    domains,
                    d.slug,
                    partial(EuracanDomain, slug=d.slug),
                    {
                        "code": d.code,
                        "position": d.position,
                        "name_nl": d.name.nl,
                        "name_en": d.name.en,
                        "lay_name_nl": dutch(d.lay_name),
                        "lay_name_en": english(d.lay_name),
                        "notes_nl": dutch(d.notes),
                        "notes_en": english(d.notes),
                        "sources": sources_json(d.sources),
                    },
                    rel,
                )
                session.flush()
                if sync_scope(session, "euracan_domain", domain_row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                excluded = codes_only(r.codes(d.exclude))
                domain_exclusions[d.slug] = excluded
                if sync_scope_exclusions(session, "euracan_domain", domain_row.id, excluded):
                    state = "added" if state == "added" else "changed"
                count_state(tally, state)
            retire_missing(domains, domain_codes, tally, now)

            areas = {a.slug: a for a in session.scalars(select(BodyArea))}
            kept_areas = []
            for a in data.body_areas:
                mark = r.mark()
                codes = r.codes(a.orphacodes)
                if r.failed_since(mark):
                    continue
                kept_areas.append(a.slug)
                area_row, state = upsert_row(
                    session,
                    areas,
                    a.slug,
                    partial(BodyArea, slug=a.slug),
                    {
                        "position": a.position,
                        "name_nl": a.name.nl,
                        "name_en": a.name.en,
                        "notes_nl": dutch(a.notes),
                        "notes_en": english(a.notes),
                        "sources": sources_json(a.sources),
                    },
                    rel,
                )
                session.flush()
                if sync_scope(session, "body_area", area_row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                count_state(tally, state)
            retire_missing(areas, kept_areas, tally, now)

            erns = {e.slug: e for e in session.scalars(select(Ern))}
            for e in data.erns:
                _ern, state = upsert_row(
                    session,
                    erns,
                    e.slug,
                    partial(Ern, slug=e.slug),
                    {
                        "code": e.code,
                        "name_nl": e.name.nl,
                        "name_en": e.name.en,
                        "website": e.website,
                        "notes_nl": dutch(e.notes),
                        "notes_en": english(e.notes),
                        "sources": sources_json(e.sources),
                    },
                    rel,
                )
                count_state(tally, state)
            retire_missing(erns, [e.slug for e in data.erns], tally, now)
            session.flush()

            specs: list[DesignationSpec] = []
            for e in data.erns:
                scope: tuple[tuple[int, int | None], ...] = ()
                exclusions: tuple[int, ...] = ()
                if e.slug != data.euracan_scope_ern:
                    # the Orphanet groups the curated file maps the ERN's scope to
                    mark = r.mark()
                    scope = r.codes(e.scope)
                    exclusions = codes_only(r.codes(e.scope_exclude))
                    if r.failed_since(mark):
                        continue
                for m in e.members:
                    mark = r.mark()
                    inst = r.institution(m.institution)
                    member_scope, member_exclusions = scope, exclusions
                    if e.slug == data.euracan_scope_ern:
                        # A EURACAN member reaches the conditions of the domains it is a
                        # member for, and no others (a membership is not a centre).
                        for ref in m.domains:
                            if ref.value not in domain_codes:
                                r.problem(
                                    ref.where, ref.field, f"unknown EURACAN domain {ref.value!r}"
                                )
                        wanted = [x.value for x in m.domains if x.value in domain_codes]
                        member_scope = tuple(sorted({c for d in wanted for c in domain_codes[d]}))
                        member_exclusions = tuple(
                            sorted({c for d in wanted for c in domain_exclusions.get(d, ())})
                        )
                    sources = m.sources or e.sources
                    stored = r.sources(sources, f"{e.where}, member {m.institution.value!r}")
                    if inst is None or r.failed_since(mark):
                        continue
                    specs.append(
                        DesignationSpec(
                            key=f"{e.slug}:{m.institution.value}",
                            kind="ern_member",
                            values={
                                "label_nl": e.code,
                                "label_en": e.code,
                                "ern_id": erns[e.slug].id,
                                "certainty": m.certainty,
                                "note_nl": dutch(m.note),
                                "note_en": english(m.note),
                                "source_ref": refs_text(sources),
                                "sources": stored,
                            },
                            institution_ids=(inst,),
                            conditions=member_scope,
                            exclusions=member_exclusions,
                        )
                    )
            english_slugs(session, r, "body_area", kept_areas)
            sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="reference data",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )
