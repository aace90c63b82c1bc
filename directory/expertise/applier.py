"""The skeleton of every expertise applier: resolve, write in one transaction, report.

Strict by default (any problem rejects the release and nothing is written);
``allow_partial`` leaves the rows with problems out and lists them in the run report."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.records import ReleaseInfo
from directory.conditions.runs import ChangeTally
from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from directory.expertise.corrections import ExpertiseCorrections
from directory.expertise.resolver import Resolver, problem_order
from directory.reports import ImportReport, Problem


class Applier:
    """Shared by the per-source appliers: the session factory, the editors' corrections,
    the catalogue service that records import runs, and the run wrapper.

    ``corrections`` are required: a service without them would lose the editors' work on
    the next import. The catalogue service built here when none is given gets them too.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        corrections: ExpertiseCorrections,
        catalogue: CatalogueService | None = None,
    ) -> None:
        self._sessions = session_factory
        self._corrections = corrections
        self._catalogue = catalogue or CatalogueService(session_factory, corrections)

    # -- the run wrapper ---------------------------------------------------------------

    def _run(
        self,
        release: ReleaseInfo,
        body: Callable[[Session, ChangeTally, Resolver], int],
        *,
        what: str,
        dry_run: bool,
        allow_partial: bool,
        rejected: tuple[Problem, ...],
        source_name: str = "",
        extra_warnings: tuple[str, ...] = (),
    ) -> ImportReport:
        """Resolve and write in one transaction; problems reject all (or, partial, some).

        ``rejected`` are rows the parser found invalid: in a strict run they are
        reported together with the problems found here, and nothing is written.
        """
        rejected_rows: list[Problem] = list(rejected)

        def apply(session: Session, tally: ChangeTally) -> int:
            resolver = Resolver(session, source_name or release.file_name)
            tally.warnings.extend(extra_warnings)
            release_id = body(session, tally, resolver)
            tally.warnings.extend(resolver.warnings)
            if (resolver.problems or rejected) and not allow_partial:
                everything = [*rejected, *resolver.problems]
                raise InputRejected(
                    sorted(everything, key=problem_order),
                    f"{source_name or release.file_name}: {len(everything)} problem(s) in the "
                    f"{what}; nothing was changed",
                )
            rejected_rows.extend(resolver.problems)
            return release_id

        report = self._catalogue.run(
            release.source, release.file_name, release.sha256, apply, dry_run=dry_run
        )
        if rejected_rows:
            if dry_run:
                return dataclasses.replace(report, problems=tuple(rejected_rows))
            return self._catalogue.mark_partial(report, tuple(rejected_rows))
        return report

    def _release_id(self, session: Session, info: ReleaseInfo) -> int:
        return self._catalogue.release(session, info).id
