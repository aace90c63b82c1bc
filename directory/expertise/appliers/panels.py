"""Expert panels, their institutions, scope and designations."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    EuracanDomain,
    Panel,
    PanelInstitution,
    WorkingGroup,
)
from directory.expertise.records import (
    PanelsRelease,
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


class PanelsApplier(Applier):
    """Writes the panels release."""

    # -- panels ------------------------------------------------------------------------

    def apply_panels(
        self,
        data: PanelsRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Expert panels with every field of seeds 000/001; each panel is also a designation."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            panels = {p.slug: p for p in session.scalars(select(Panel))}
            initiatives: dict[str, set[str]] = {
                g.slug: set(g.initiatives or ())
                for g in session.scalars(
                    select(WorkingGroup).where(WorkingGroup.retired_at.is_(None))
                )
            }
            kept: list[str] = []
            specs: list[DesignationSpec] = []
            overrides = self._corrections.rows(session, "panel")  # editors' corrections
            links = EditorLinks(session)
            for p in data.panels:
                mark = r.mark()
                domain = (
                    r.entity(p.euracan_domain, EuracanDomain, "EURACAN domain", "reference")
                    if p.euracan_domain
                    else None
                )
                group = (
                    r.entity(p.working_group, WorkingGroup, "working group", "working-groups")
                    if p.working_group
                    else None
                )
                coordinating = (
                    r.institution(p.coordinating_institution)
                    if p.coordinating_institution
                    else None
                )
                members = r.institutions(p.member_institutions)
                codes = r.codes(p.scope_codes)
                if r.failed_since(mark):
                    continue
                if p.working_group and p.slug not in initiatives.get(p.working_group.value, set()):
                    r.warnings.append(
                        f"{r.file}: {p.where}: working group {p.working_group.value!r} does not "
                        f"list panel {p.slug!r} among its initiatives"
                    )
                if overrides.retired(p.slug):
                    continue
                kept.append(p.slug)
                slug_of = links.slugs()
                source_links = {
                    "coordinating_institution": slug_of.get(coordinating) if coordinating else None,
                    "member_institutions": sorted(slug_of[i] for i in members if i != coordinating),
                    "scope_orphacodes": sorted(c for c, _s in codes),
                }
                linked = overrides.apply(p.slug, source_links)
                if linked != source_links:  # the editors changed the panel's links
                    coordinating = links.institution(linked["coordinating_institution"])
                    members = links.institutions(linked["member_institutions"])
                    codes = links.codes(linked["scope_orphacodes"], codes)
                values: dict[str, Any] = {
                    "name_nl": p.name.nl,
                    "name_en": p.name.en,
                    "short_name": p.short_name,
                    "aliases": list(p.aliases),
                    "level": p.level,
                    "region_nl": dutch(p.region),
                    "region_en": english(p.region),
                    "euracan_domain_id": domain,
                    "working_group_id": group,
                    "coordinating_institution_id": coordinating,
                    "scope_nl": dutch(p.scope),
                    "scope_en": english(p.scope),
                    "disciplines_nl": list(p.disciplines.nl),
                    "disciplines_en": list(p.disciplines.en),
                    "turnaround_days_min": p.turnaround_days[0] if p.turnaround_days else None,
                    "turnaround_days_max": p.turnaround_days[1] if p.turnaround_days else None,
                    "submission_kind": p.submission_kind,
                    "portal_name": p.portal_name,
                    "submission_url": p.submission_url,
                    "submission_email": p.submission_email,
                    "contact_email": p.contact_email,
                    "contact_phone": p.contact_phone,
                    "website": p.website,
                    "founded": p.founded,
                    "clinical_trials_in_advice": p.clinical_trials_in_advice,
                    "certainty": p.certainty,
                    "sources": sources_json(p.sources),
                }
                for stem, text in p.texts:
                    values[f"{stem}_nl"] = dutch(text)
                    values[f"{stem}_en"] = english(text)
                values = overrides.apply(p.slug, values)
                row, state = upsert_row(
                    session,
                    panels,
                    p.slug,
                    partial(Panel, slug=p.slug),
                    values,
                    rel,
                )
                session.flush()
                if sync_scope(session, "panel", row.id, (c for c, _s in codes)):
                    state = "added" if state == "added" else "changed"
                excluded = codes_only(r.codes(p.scope_exclude))
                if sync_scope_exclusions(session, "panel", row.id, excluded):
                    state = "added" if state == "added" else "changed"
                wanted_inst = dict.fromkeys(members, "member")
                if coordinating is not None:
                    wanted_inst[coordinating] = "coordinating"
                have_inst = {
                    pi.institution_id: pi
                    for pi in session.scalars(
                        select(PanelInstitution).where(PanelInstitution.panel_id == row.id)
                    )
                }
                if {k: v.role for k, v in have_inst.items()} != wanted_inst:
                    for pi in have_inst.values():
                        session.delete(pi)
                    session.flush()
                    for inst, role in wanted_inst.items():
                        session.add(
                            PanelInstitution(panel_id=row.id, institution_id=inst, role=role)
                        )
                    state = "added" if state == "added" else "changed"
                count_state(tally, state)
                ordered = ((coordinating,) if coordinating else ()) + tuple(
                    i for i in members if i != coordinating
                )
                specs.append(
                    DesignationSpec(
                        key=p.slug,
                        kind="panel",
                        values={
                            "label_nl": p.name.nl,
                            "label_en": p.name.en,
                            "level": p.level,
                            "panel_id": row.id,
                            "working_group_id": group,
                            "certainty": p.certainty,
                            "population": p.population,
                            "source_ref": refs_text(p.sources),
                            "sources": r.sources(p.sources, p.where),
                        },
                        institution_ids=ordered,
                        conditions=codes,
                        exclusions=excluded,
                    )
                )
            kept += overrides.created()
            tally.note_overrides(overrides.outcome())
            retire_missing(panels, kept, tally, now)
            english_slugs(
                session, r, "panel", kept, {p.slug: p.slug_en for p in data.panels if p.slug_en}
            )
            sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="panels",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )
