"""What an import reports: its problems (where and why), its change counts, and the run.

Every writer of the catalogue (conditions, places, expertise) and the errors they raise
speak this vocabulary, so it sits below the domain packages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, line/element, field) and why."""

    file: str
    location: str
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ChangeCounts:
    added: int = 0
    changed: int = 0
    retired: int = 0
    unchanged: int = 0

    def __add__(self, other: ChangeCounts) -> ChangeCounts:
        return ChangeCounts(
            self.added + other.added,
            self.changed + other.changed,
            self.retired + other.retired,
            self.unchanged + other.unchanged,
        )


@dataclass(frozen=True)
class ImportReport:
    """What one import run did; returned by the service and stored as an ImportRun."""

    run_id: int
    source: str
    file_name: str
    status: str
    counts: ChangeCounts
    warnings: tuple[str, ...] = ()
    # The warnings that say a source now disagrees with an editors' override.
    override_warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    changes: tuple[str, ...] = ()  # dry runs: the rows that would change, one line each
