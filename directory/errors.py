"""Errors shared by the catalogue and everything that feeds it."""

from __future__ import annotations

from collections.abc import Iterable

from directory.records import Problem


class InputRejected(Exception):
    """Input could not be accepted; nothing was written.

    Carries every problem found (not just the first), each saying where and why.
    """

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        self.problems = tuple(problems)
        self.summary = summary or f"{len(self.problems)} problem(s) in the input"
        super().__init__(self.summary)

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  - {p}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  ... and {len(self.problems) - 200} more")
        return "\n".join(lines)


class NotFound(LookupError):
    """The requested catalogue entity does not exist."""
