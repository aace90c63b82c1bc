"""Working groups, their scope and designations."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    EuracanDomain,
    NetworkMembership,
    WorkingGroup,
)
from directory.expertise.records import (
    WorkingGroupsRelease,
)
from directory.expertise.resolver import (
    DesignationSpec,
    EditorLinks,
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


class WorkingGroupsApplier(Applier):
    """Writes the working groups release."""

    # -- working groups ----------------------------------------------------------------

    def apply_working_groups(
        self,
        data: WorkingGroupsRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Working groups with their scope; their centres and preferred partners as designations."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            groups = {g.slug: g for g in session.scalars(select(WorkingGroup))}
            in_file = {g.slug for g in data.working_groups}
            partner_of = {
                inst: (m.partner_of_id, m.network_id)
                for inst, m in (
                    (m.institution_id, m)
                    for m in session.scalars(
                        select(NetworkMembership).where(
                            NetworkMembership.role == "preferred_partner",
                            NetworkMembership.retired_at.is_(None),
                        )
                    )
                )
            }
            kept: list[str] = []
            specs: list[DesignationSpec] = []
            parents: dict[str, str | None] = {}
            states: dict[str, str] = {}
            overrides = self._corrections.rows(session, "working_group")  # editors' corrections
            links = EditorLinks(session)
            for g in data.working_groups:
                mark = r.mark()
                domain = (
                    r.entity(g.euracan_domain, EuracanDomain, "EURACAN domain", "reference")
                    if g.euracan_domain
                    else None
                )
                if g.parent and g.parent.value not in in_file:
                    r.entity(g.parent, WorkingGroup, "working group", "working-groups")
                codes = r.codes(g.scope_codes)
                centres = r.institutions(g.centres)
                partners = [(ref, r.institution(ref)) for ref in g.partners]
                if r.failed_since(mark):
                    continue
                if overrides.retired(g.slug):
                    continue
                kept.append(g.slug)
                slug_of = links.slugs()
                source_links = {
                    "centre_institutions": sorted(slug_of[i] for i in centres),
                    "scope_orphacodes": sorted(c for c, _s in codes),
                }
                linked = overrides.apply(g.slug, source_links)
                if linked != source_links:  # the editors changed the group's links
                    centres = links.institutions(linked["centre_institutions"])
                    codes = links.codes(linked["scope_orphacodes"], codes)
                parents[g.slug] = g.parent.value if g.parent else None
                row, state = upsert_row(
                    session,
                    groups,
                    g.slug,
                    partial(WorkingGroup, slug=g.slug),
                    overrides.apply(
                        g.slug,
                        {
                            "name_nl": g.name.nl,
                            "name_en": g.name.en,
                            "abbreviation": g.abbreviation,
                            "kind": g.kind,
                            "euracan_domain_id": domain,
                            "domain_label_nl": dutch(g.domain_label),
                            "domain_label_en": english(g.domain_label),
                            "scope_nl": dutch(g.scope),
                            "scope_en": english(g.scope),
                            "description_nl": dutch(g.description),
                            "description_en": english(g.description),
                            "notes_nl": dutch(g.notes),
                            "notes_en": english(g.notes),
                            "website": g.website,
                            "initiatives": [i.value for i in g.initiatives],
                            "sources": sources_json(g.sources),
                        },
                    ),
                    rel,
                )
                session.flush()
                if sync_scope(session, "working_group", row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                excluded = codes_only(r.codes(g.scope_exclude))
                if sync_scope_exclusions(session, "working_group", row.id, excluded):
                    state = "added" if state == "added" else "changed"
                states[g.slug] = state
                common = {
                    "working_group_id": row.id,
                    "source_ref": refs_text(g.sources),
                    "sources": r.sources(g.sources, g.where),
                    "certainty": "confirmed",
                }
                specs.append(
                    DesignationSpec(
                        key=g.slug,
                        kind="working_group_centre",
                        values={"label_nl": g.name.nl, "label_en": g.name.en, **common},
                        institution_ids=centres,
                        conditions=codes,
                        exclusions=excluded,
                    )
                )
                for ref, inst in partners:
                    if inst is None:
                        continue
                    centre, network = partner_of.get(inst, (None, None))
                    specs.append(
                        DesignationSpec(
                            key=f"{g.slug}:{ref.value}",
                            kind="preferred_partner",
                            values={
                                "label_nl": g.name.nl,
                                "label_en": g.name.en,
                                "partner_of_id": centre,
                                "network_id": network,
                                **common,
                            },
                            institution_ids=(inst,),
                            conditions=codes,
                            exclusions=excluded,
                        )
                    )
            for slug, parent in parents.items():
                parent_id = groups[parent].id if parent else None
                row = groups[slug]
                if row.parent_id != parent_id:
                    row.parent_id = parent_id
                    if states[slug] == "unchanged":
                        states[slug] = "changed"
                        row.release_id = rel
            for state in states.values():
                count_state(tally, state)
            kept += overrides.created()
            tally.note_overrides(overrides.outcome())
            retire_missing(groups, kept, tally, now)
            english_slugs(session, r, "working_group", kept)
            sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="working groups",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )
