"""How much of an import's report is kept: the first problems and warnings, and a count.

A file with a million bad rows made a million problems: held in memory, rendered
into a 147 MB page and stored as one 175 MB row that every visit to the imports
page then read (security review D5); one of 1.45 GB could not be stored at all,
so the failed run was not recorded. Every report keeps the first
:data:`MAX_PROBLEMS` problems and :data:`MAX_WARNINGS` warnings, and says how many
more there were.
"""

from __future__ import annotations

from collections.abc import Sequence

from directory.reports import Problem

MAX_PROBLEMS = 1000
MAX_WARNINGS = 1000


MORE = "(more)"  # the location of the problem that counts the ones left out
MORE_LINES = "... and "  # how the line that counts the warnings left out begins


def capped_problems(problems: Sequence[Problem], limit: int = MAX_PROBLEMS) -> tuple[Problem, ...]:
    """The first ``limit`` problems, and one more that counts the rest (capped once only)."""
    if len(problems) <= limit or (len(problems) == limit + 1 and problems[-1].location == MORE):
        return tuple(problems)
    more = len(problems) - limit
    last = problems[limit]
    return (*problems[:limit], Problem(last.file, MORE, f"and {more} more problems"))


def capped_lines(lines: Sequence[str], limit: int = MAX_WARNINGS) -> tuple[str, ...]:
    """The first ``limit`` lines (warnings), and one more that counts the rest (once only)."""
    if len(lines) <= limit or (len(lines) == limit + 1 and lines[-1].startswith(MORE_LINES)):
        return tuple(lines)
    return (*lines[:limit], f"{MORE_LINES}{len(lines) - limit} more warnings")
