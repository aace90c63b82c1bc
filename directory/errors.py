"""Errors shared by the catalogue and everything that feeds it."""

from __future__ import annotations

from collections.abc import Iterable

from directory.caps import capped_problems
from directory.reports import Problem


class InputRejected(Exception):
    """Input could not be accepted; nothing was written.

    Carries the problems found (not just the first), each saying where and why: at
    most :data:`~directory.caps.MAX_PROBLEMS` of them, and one that counts the rest.
    """

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        found = list(problems)
        self.problems = capped_problems(found)
        self.summary = summary or f"{len(found)} problem(s) in the input"
        super().__init__(self.summary)

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  - {p}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  ... and {len(self.problems) - 200} more")
        return "\n".join(lines)


class NotFound(LookupError):
    """The requested catalogue entity does not exist."""
