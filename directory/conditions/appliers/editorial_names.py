"""Editorial names: the curated Dutch (and English) names of conditions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    ConditionName,
    NameApproval,
)
from directory.conditions.records import (
    EditorialNames,
)
from directory.conditions.rows import _check_codes, _sync_names
from directory.conditions.runs import CatalogueRuns, ChangeTally
from directory.reports import ImportReport, Problem


class EditorialNamesApplier(CatalogueRuns):
    """Editorial names: the curated Dutch (and English) names of conditions."""

    # -- editorial names ---------------------------------------------------------

    def apply_editorial_names(
        self,
        data: EditorialNames,
        *,
        dry_run: bool = False,
        allow_partial: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Editors' names for one language; codes must exist in the catalogue.

        ``rejected`` are rows the parser already left out (with allow_partial).
        """
        rejected_rows: list[Problem] = list(rejected)

        def apply(session: Session, tally: ChangeTally) -> int:
            known, problems = _check_codes(
                session,
                data.release.file_name,
                [(e.orphacode, f"ORPHA:{e.orphacode}") for e in data.entries],
                allow_partial=allow_partial,
            )
            rejected_rows.extend(problems)
            rel = self._release(session, data.release)
            # Corrections made in the editor area win over the file (overrides).
            entries, outcome = self._corrections.editorial_names(
                session, data.lang, data.entries, known
            )
            tally.note_overrides(outcome)
            existing: dict[int, list[ConditionName]] = defaultdict(list)
            for n in session.scalars(
                select(ConditionName).where(
                    ConditionName.lang == data.lang, ConditionName.origin == "editorial"
                )
            ):
                existing[n.orphacode].append(n)
            seen: set[int] = set()
            dates = self._release_dates(session)
            approved = set(
                session.execute(
                    select(NameApproval.orphacode, NameApproval.text).where(
                        NameApproval.lang == data.lang
                    )
                ).all()
            )
            originals = {e.orphacode: e.preferred for e in data.entries}
            for e in entries:
                if e.orphacode not in known:
                    continue
                seen.add(e.orphacode)
                had = bool(existing.get(e.orphacode))
                changed = _sync_names(
                    session,
                    e.orphacode,
                    data.lang,
                    "editorial",
                    e.preferred,
                    e.synonyms,
                    existing.get(e.orphacode, []),
                    rel.id,
                    dt.date.max,
                    dates,
                )
                # A proposal stays one until an editor approves it; a name the editors
                # corrected in the editor area (an override) was reviewed by two people.
                proposed = (
                    e.proposed
                    and (e.orphacode, e.preferred) not in approved
                    and originals.get(e.orphacode) == e.preferred
                )
                for n in existing.get(e.orphacode, []) or session.scalars(
                    select(ConditionName).where(
                        ConditionName.orphacode == e.orphacode,
                        ConditionName.lang == data.lang,
                        ConditionName.origin == "editorial",
                    )
                ):
                    if n.proposed != proposed:
                        n.proposed = proposed
                        changed = True
                if not had:
                    tally.added += 1
                elif changed:
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            # Codes no longer in the editors' list lose their editorial names.
            for code, rows in existing.items():
                if code not in seen:
                    for n in rows:
                        session.delete(n)
                    tally.retired += 1
            return rel.id

        report = self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
            rejected=(),
        )
        if rejected_rows and not dry_run:
            return self._mark_partial(report, tuple(rejected_rows))
        return report
