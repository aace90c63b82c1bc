"""Other named expertise centres."""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.records import (
    ExpertiseCentresRelease,
)
from directory.expertise.resolver import DesignationSpec, Resolver, dutch, english, refs_text
from directory.expertise.rows import sync_designations
from directory.reports import ImportReport, Problem


class ExpertiseCentresApplier(Applier):
    """Writes the expertise centres release."""

    # -- other named expertise centres ---------------------------------------------------

    def apply_expertise_centres(
        self,
        data: ExpertiseCentresRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Centres a public source names (national, reference, ENETS, children's), as
        designations of kind ``expertise_centre``."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            specs: list[DesignationSpec] = []
            for c in data.centres:
                scope = r.scope(c.institutions, c.orphacodes, c.exclude, c.sources, c.where)
                if scope is None:
                    continue
                specs.append(
                    DesignationSpec(
                        key=c.slug,
                        kind="expertise_centre",
                        values={
                            "label_nl": c.name.nl,
                            "label_en": c.name.en,
                            "level": c.basis,
                            "population": c.population,
                            "certainty": c.certainty,
                            "note_nl": dutch(c.note),
                            "note_en": english(c.note),
                            "source_ref": refs_text(c.sources),
                            "sources": scope.sources,
                        },
                        institution_ids=scope.institutions,
                        conditions=scope.codes,
                        exclusions=scope.excluded,
                    )
                )
            sync_designations(session, data.release.source, specs, rel, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="expertise centres",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )
