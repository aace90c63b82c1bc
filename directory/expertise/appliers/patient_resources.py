"""Patient organisations and information pages."""

from __future__ import annotations

from functools import partial

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    PatientResource,
    PatientResourceCondition,
)
from directory.expertise.records import (
    PatientResourcesRelease,
)
from directory.expertise.resolver import Resolver
from directory.expertise.rows import codes_only, count_state, retire_missing, upsert_row
from directory.reports import ImportReport


class PatientResourcesApplier(Applier):
    """Writes the patient resources release."""

    # -- patient organisations and information pages ---------------------------------------

    def apply_patient_resources(
        self, data: PatientResourcesRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """Resources with the codes they are for (and not for); missing ones are retired."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            existing = {x.slug: x for x in session.scalars(select(PatientResource))}
            kept: list[str] = []
            for res in data.resources:
                mark = r.mark()
                codes = codes_only(r.codes(res.orphacodes))
                excluded = codes_only(r.codes(res.exclude))
                stored = r.sources(res.sources, res.where)
                if r.failed_since(mark):
                    continue
                kept.append(res.slug)
                row, state = upsert_row(
                    session,
                    existing,
                    res.slug,
                    partial(PatientResource, slug=res.slug),
                    {
                        "kind": res.kind,
                        "name": res.name,
                        "website": res.website,
                        "description_nl": res.description.nl,
                        "description_en": res.description.en,
                        "sources": stored,
                    },
                    rel,
                )
                session.flush()
                want = {(c, False) for c in codes} | {(c, True) for c in excluded}
                have = {
                    (x.orphacode, x.excluded)
                    for x in session.scalars(
                        select(PatientResourceCondition).where(
                            PatientResourceCondition.resource_id == row.id
                        )
                    )
                }
                if want != have:
                    session.execute(
                        delete(PatientResourceCondition).where(
                            PatientResourceCondition.resource_id == row.id
                        )
                    )
                    session.add_all(
                        PatientResourceCondition(resource_id=row.id, orphacode=c, excluded=x)
                        for c, x in sorted(want)
                    )
                    state = "added" if state == "added" else "changed"
                count_state(tally, state)
            retire_missing(existing, kept, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="patient resources",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
        )
