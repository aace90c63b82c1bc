"""Plain-language summaries the editors drafted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    ProposedSummary,
)
from directory.conditions.records import (
    ProposedSummaries,
)
from directory.conditions.rows import _check_codes
from directory.conditions.runs import CatalogueRuns, ChangeTally
from directory.reports import ImportReport


class ProposedSummariesApplier(CatalogueRuns):
    """Plain-language summaries the editors drafted."""

    # -- lay terms (search support) ------------------------------------------------

    def apply_proposed_summaries(
        self, data: ProposedSummaries, *, dry_run: bool = False
    ) -> ImportReport:
        """Replace the drafted summaries; every ORPHAcode must exist in the catalogue."""

        def apply(session: Session, tally: ChangeTally) -> int:
            known, _problems = _check_codes(
                session,
                data.release.file_name,
                [(e.orphacode, f"line {e.line}") for e in data.entries],
                allow_partial=False,
            )
            rel = self._release(session, data.release)
            have = {(s.orphacode, s.lang): s for s in session.scalars(select(ProposedSummary))}
            want: dict[tuple[int, str], tuple[str, str]] = {}
            for e in data.entries:
                if e.orphacode in known:
                    want[(e.orphacode, "nl")] = (e.summary_nl, e.based_on)
                    want[(e.orphacode, "en")] = (e.summary_en, e.based_on)
            for key in sorted(set(have) - set(want)):
                session.delete(have[key])
                tally.retired += 1
            for (code, lang), (text, based_on) in sorted(want.items()):
                row = have.get((code, lang))
                if row is None:
                    session.add(
                        ProposedSummary(
                            orphacode=code,
                            lang=lang,
                            text=text,
                            based_on=based_on,
                            release_id=rel.id,
                        )
                    )
                    tally.added += 1
                elif (row.text, row.based_on) != (text, based_on):
                    row.text, row.based_on, row.release_id = text, based_on, rel.id
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            return rel.id

        return self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
            rejected=(),
        )
