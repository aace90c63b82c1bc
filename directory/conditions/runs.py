"""Import runs: one transaction per release, recorded as an ImportRun with its counts,
warnings and problems; dry runs roll back; source releases are recorded once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.caps import capped_lines, capped_problems
from directory.catalogue_version import bump_version
from directory.changes import ChangeRecorder
from directory.clock import utcnow
from directory.conditions.corrections import ConditionCorrections
from directory.conditions.models import (
    ImportRun,
    SourceRelease,
)
from directory.conditions.records import (
    ReleaseInfo,
)
from directory.override_outcomes import Disagreement, OverrideOutcome
from directory.reports import ChangeCounts, ImportReport, Problem
from directory.retirement import RetirementGuard


@dataclass
class ChangeTally:
    """Mutable counter used while applying one release."""

    added: int = 0
    changed: int = 0
    retired: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # row by row, dry runs only
    disagreements: list[Disagreement] = field(default_factory=list)  # also in warnings

    def freeze(self) -> ChangeCounts:
        return ChangeCounts(self.added, self.changed, self.retired, self.unchanged)

    def note_overrides(self, outcome: OverrideOutcome) -> None:
        """What the editors' overrides did: lines in the warnings, disagreements kept apart."""
        self.warnings.extend(outcome.warnings())
        self.disagreements.extend(outcome.disagreements)

    def override_warnings(self, warnings: tuple[str, ...]) -> tuple[str, ...]:
        """The lines of ``warnings`` (as capped for the report) that are disagreements."""
        lines = {str(d) for d in self.disagreements}
        return tuple(w for w in warnings if w in lines)


ApplyFn = Callable[[Session, ChangeTally], int | None]


class _DryRun(Exception):
    """Raised inside a transaction to roll a dry run back."""


def _problem_json(p: Problem) -> dict[str, str | None]:
    return {"file": p.file, "location": p.location, "field": p.field, "reason": p.reason}


class CatalogueRuns:
    """The skeleton every catalogue applier shares: runs, releases, partial runs.

    ``corrections`` are the editors' corrections of imported facts, which the appliers of
    editorial names and lay terms put into a release before writing it. They are
    required: a service without them would lose the editors' work on the next import.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        corrections: ConditionCorrections,
        *,
        guard: RetirementGuard | None = None,
    ) -> None:
        self._sessions = session_factory
        self._corrections = corrections
        self._guard = guard

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """The session factory, for services that write other parts of the catalogue."""
        return self._sessions

    # -- runs ----------------------------------------------------------------

    def run(
        self,
        source: str,
        file_name: str,
        sha256: str | None,
        apply: ApplyFn,
        *,
        dry_run: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Apply ``apply`` in one transaction and record the run.

        ``apply`` returns the id of the source release it wrote (or None).
        ``rejected`` are problems already found by the importer for rows it
        left out (``--allow-partial``); they are kept in the run report.
        """
        started = utcnow()
        tally = ChangeTally()
        status = "dry_run" if dry_run else ("partial" if rejected else "succeeded")
        try:
            with self._sessions() as session, session.begin():
                # A dry run also lists the rows it would change (for the editors' preview).
                recorder = ChangeRecorder(session) if dry_run else None
                release_id = apply(session, tally)
                if self._guard is not None:  # raising here rolls the whole run back
                    self._guard.check(tally.freeze(), file=file_name, dry_run=dry_run)
                if not dry_run:
                    bump_version(session)  # the search indexes are owed this version
                if recorder is not None:
                    session.flush()
                    tally.changes = recorder.close()
                run = ImportRun(
                    source=source,
                    file_name=file_name,
                    sha256=sha256,
                    started_at=started,
                    finished_at=utcnow(),
                    status=status,
                    dry_run=dry_run,
                    added=tally.added,
                    changed=tally.changed,
                    retired=tally.retired,
                    unchanged=tally.unchanged,
                    warnings=list(capped_lines(tally.warnings)),
                    problems=[_problem_json(p) for p in capped_problems(rejected)],
                    release_id=release_id,
                )
                session.add(run)
                session.flush()
                run_id = run.id
                if dry_run:
                    raise _DryRun
        except _DryRun:
            run_id = self._record_run(
                source, file_name, sha256, started, "dry_run", tally, rejected
            )
        warnings = capped_lines(tally.warnings)
        return ImportReport(
            run_id=run_id,
            source=source,
            file_name=file_name,
            status=status,
            counts=tally.freeze(),
            warnings=warnings,
            override_warnings=tally.override_warnings(warnings),
            problems=capped_problems(rejected),
            changes=tuple(tally.changes),
        )

    def _record_run(
        self,
        source: str,
        file_name: str,
        sha256: str | None,
        started: dt.datetime,
        status: str,
        tally: ChangeTally,
        problems: tuple[Problem, ...],
    ) -> int:
        with self._sessions() as session, session.begin():
            run = ImportRun(
                source=source,
                file_name=file_name,
                sha256=sha256,
                started_at=started,
                finished_at=utcnow(),
                status=status,
                dry_run=status == "dry_run",
                added=tally.added,
                changed=tally.changed,
                retired=tally.retired,
                unchanged=tally.unchanged,
                warnings=list(capped_lines(tally.warnings)),
                problems=[_problem_json(p) for p in capped_problems(problems)],
            )
            session.add(run)
            session.flush()
            return run.id

    def record_failed_run(
        self,
        source: str,
        file_name: str,
        sha256: str | None,
        problems: tuple[Problem, ...],
        *,
        started: dt.datetime | None = None,
    ) -> int:
        """Record a run that failed before or while writing (nothing was written)."""
        return self._record_run(
            source, file_name, sha256, started or utcnow(), "failed", ChangeTally(), problems
        )

    # -- releases --------------------------------------------------------------

    @staticmethod
    def _release(session: Session, info: ReleaseInfo) -> SourceRelease:
        existing = session.scalars(
            select(SourceRelease).where(
                SourceRelease.source == info.source, SourceRelease.sha256 == info.sha256
            )
        ).first()
        if existing is not None:
            return existing
        rel = SourceRelease(
            source=info.source,
            version=info.version,
            release_date=info.release_date,
            language=info.language,
            licence=info.licence,
            attribution=info.attribution,
            url=info.url,
            file_name=info.file_name,
            sha256=info.sha256,
        )
        session.add(rel)
        session.flush()
        return rel

    def release(self, session: Session, info: ReleaseInfo) -> SourceRelease:
        """The source release for ``info`` in this session, created when new.

        For other writers of the catalogue (e.g. the expertise service) that
        record their releases in the same table.
        """
        return self._release(session, info)

    @staticmethod
    def _release_dates(session: Session) -> dict[int, dt.date]:
        return {
            r.id: (r.release_date or dt.date.min) for r in session.scalars(select(SourceRelease))
        }

    def mark_partial(self, report: ImportReport, rejected: tuple[Problem, ...]) -> ImportReport:
        """Record ``rejected`` rows in a finished run and mark it partial."""
        return self._mark_partial(report, rejected)

    def _mark_partial(self, report: ImportReport, rejected: tuple[Problem, ...]) -> ImportReport:
        rejected = capped_problems(rejected)
        with self._sessions() as session, session.begin():
            run = session.get(ImportRun, report.run_id)
            if run is not None:
                run.problems = [_problem_json(p) for p in rejected]
                if run.status == "succeeded":
                    run.status = "partial"
        return ImportReport(
            run_id=report.run_id,
            source=report.source,
            file_name=report.file_name,
            status="partial" if report.status == "succeeded" else report.status,
            counts=report.counts,
            warnings=report.warnings,
            override_warnings=report.override_warnings,
            problems=rejected,
        )
