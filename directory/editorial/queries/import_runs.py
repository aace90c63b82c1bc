"""Import runs as the editor area shows them: counts, warnings and (capped) problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from directory.caps import MAX_PROBLEMS, MORE, capped_lines
from directory.conditions.models import ImportRun
from directory.override_outcomes import disagreement_lines


@dataclass(frozen=True)
class ProblemView:
    file: str
    location: str
    field: str | None
    reason: str


@dataclass(frozen=True)
class ImportRunView:
    id: int
    source: str
    file_name: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    dry_run: bool
    added: int
    changed: int
    retired: int
    unchanged: int
    warnings: tuple[str, ...]
    problems: tuple[ProblemView, ...]
    override_warnings: tuple[str, ...] = ()  # the warnings where a source disagrees with editors


def run_view(r: ImportRun, *, with_problems: bool = True) -> ImportRunView:
    # At most MAX_PROBLEMS problems and warnings, also for runs stored before they
    # were capped on writing (security review D5: a 147 MB run page).
    problems = (r.problems or []) if with_problems else []
    warnings = capped_lines([str(w) for w in r.warnings or []])
    return ImportRunView(
        id=r.id,
        source=r.source,
        file_name=r.file_name,
        started_at=r.started_at,
        finished_at=r.finished_at,
        status=r.status,
        dry_run=r.dry_run,
        added=r.added,
        changed=r.changed,
        retired=r.retired,
        unchanged=r.unchanged,
        warnings=warnings,
        problems=problem_views(problems),
        override_warnings=disagreement_lines(warnings),
    )


def import_runs(session: Session, limit: int) -> tuple[ImportRunView, ...]:
    """The newest runs first; the list shows counts, so problems are not read."""
    return tuple(
        run_view(r, with_problems=False)
        for r in session.scalars(
            select(ImportRun)
            .options(defer(ImportRun.problems))
            .order_by(ImportRun.id.desc())
            .limit(limit)
        )
    )


def problem_views(stored: list[Any]) -> tuple[ProblemView, ...]:
    """A run's stored problems, capped (runs stored before the cap may hold a million)."""
    views = [
        ProblemView(
            str(p.get("file", "")),
            str(p.get("location", "")),
            p.get("field"),
            str(p.get("reason", "")),
        )
        for p in stored[: MAX_PROBLEMS + 1]
        if isinstance(p, dict)
    ]
    if len(stored) > MAX_PROBLEMS and not (
        len(stored) == MAX_PROBLEMS + 1 and views[-1].location == MORE
    ):
        more = len(stored) - MAX_PROBLEMS
        views = [*views[:MAX_PROBLEMS], ProblemView("", MORE, None, f"and {more} more problems")]
    return tuple(views)
