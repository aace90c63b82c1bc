"""Lay terms: the words patients type for a condition."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    LayTerm,
)
from directory.conditions.rows import _check_codes
from directory.conditions.runs import CatalogueRuns, ChangeTally
from directory.conditions.search_records import (
    LayTermsRelease,
)
from directory.reports import ImportReport, Problem


class LayTermsApplier(CatalogueRuns):
    """Lay terms: the words patients type for a condition."""

    def apply_lay_terms(
        self,
        data: LayTermsRelease,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Replace the lay terms of ``data.origin`` with this release's, in one transaction.

        Every ORPHAcode must exist in the catalogue; with ``allow_partial`` rows with an
        unknown code are left out and listed in the run report.
        """
        rejected_rows: list[Problem] = list(rejected)

        def apply(session: Session, tally: ChangeTally) -> int:
            known, problems = _check_codes(
                session,
                data.release.file_name,
                [(e.orphacode, f"line {e.line}") for e in data.entries],
                allow_partial=allow_partial,
            )
            rejected_rows.extend(problems)
            rel = self._release(session, data.release)
            # Lay terms that editors changed in the editor area win over the file (overrides).
            entries, outcome = self._corrections.lay_terms(session, data.entries)
            tally.note_overrides(outcome)
            have = {
                (t.orphacode, t.lang, t.term): t
                for t in session.scalars(select(LayTerm).where(LayTerm.origin == data.origin))
            }
            want = {(e.orphacode, e.lang, e.term) for e in entries if e.orphacode in known}
            for key in sorted(set(have) - want):
                session.delete(have[key])
                tally.retired += 1
            for key in sorted(want):
                if key in have:
                    tally.unchanged += 1
                    continue
                code, lang, term = key
                session.add(
                    LayTerm(
                        orphacode=code, lang=lang, term=term, origin=data.origin, release_id=rel.id
                    )
                )
                tally.added += 1
            return rel.id

        report = self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
        )
        if rejected_rows and not dry_run:
            return self._mark_partial(report, tuple(rejected_rows))
        return report
