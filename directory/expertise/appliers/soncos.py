"""SONCOS designations."""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.records import (
    SoncosRelease,
)
from directory.expertise.resolver import DesignationSpec, Resolver, dutch, english, refs_text
from directory.expertise.rows import sync_designations
from directory.reports import ImportReport, Problem


class SoncosApplier(Applier):
    """Writes the SONCOS release."""

    # -- SONCOS ------------------------------------------------------------------------

    def apply_soncos(
        self,
        data: SoncosRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """SONCOS reference-centre requirements per tumour group, as designations."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            specs: list[DesignationSpec] = []
            for s in data.records:
                scope = r.scope(s.institutions, s.orphacodes, s.exclude, s.sources, s.where)
                if scope is None:
                    continue
                specs.append(
                    DesignationSpec(
                        key=s.slug,
                        kind="soncos_reference_centre",
                        values={
                            "label_nl": s.tumour_group.nl,
                            "label_en": s.tumour_group.en,
                            "level": s.requirement_kind,
                            "certainty": s.certainty,
                            "source_version": s.report_version,
                            "source_section": s.chapter,
                            "citation_nl": s.citation.nl,
                            "citation_en": s.citation.en,
                            "note_nl": dutch(s.notes),
                            "note_en": english(s.notes),
                            "source_ref": refs_text(s.sources),
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
            what="SONCOS records",
            dry_run=dry_run,
            allow_partial=allow_partial,
            rejected=rejected,
        )
