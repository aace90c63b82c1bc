"""How much of a source one import may retire before a person must confirm it.

Imports are full replacements: rows a source no longer lists are retired. So a
truncated or empty export retires everything: a header-only ECZA list took the
active recognitions from 48 to 0, and ``{"panels": []}`` retired all 22 panels,
with one reviewer and no second look (security review D2). Now:

* a file that lists nothing usable is refused outright, confirmed or not;
* a run that would retire more than ``max_share`` of the rows the source had is
  refused unless someone confirmed it (``--allow-retire`` on the command line, a
  tick in the editor area after seeing the dry run). Dry runs are never refused
  for it: they show the numbers the confirmation is about.

The catalogue service checks the guard inside the import's transaction, after the
rows are written and before the commit, so a refused run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.errors import InputRejected
from directory.reports import ChangeCounts, Problem


def retired_share(counts: ChangeCounts) -> float:
    """The share of the source's rows before the run that the run retires."""
    before = counts.retired + counts.changed + counts.unchanged
    return counts.retired / before if before else 0.0


def needs_confirmation(counts: ChangeCounts, max_share: float) -> bool:
    return counts.retired > 0 and retired_share(counts) > max_share


@dataclass(frozen=True)
class RetirementGuard:
    max_share: float  # 0.1: more than a tenth of the rows retired needs a confirmation
    confirmed: bool = False

    def check(self, counts: ChangeCounts, *, file: str, dry_run: bool) -> None:
        """Raise :class:`InputRejected` for an empty list, or unconfirmed mass retirement."""
        if counts.added + counts.changed + counts.unchanged == 0:
            reason = (
                "the file lists nothing to import; an empty list would retire every row of "
                "the source, so it is refused"
            )
            raise InputRejected([Problem(file, "file", reason)], f"{file}: empty list")
        if dry_run or self.confirmed or not needs_confirmation(counts, self.max_share):
            return
        before = counts.retired + counts.changed + counts.unchanged
        reason = (
            f"the file would retire {counts.retired} of the {before} rows the source has "
            f"({retired_share(counts):.0%}), more than the {self.max_share:.0%} allowed "
            "without a confirmation (EXW_IMPORT_MAX_RETIRE_SHARE). Check that the file is "
            "complete; to apply it anyway, confirm the retirements (in the editor area) or "
            "use --allow-retire (on the command line)"
        )
        raise InputRejected([Problem(file, "file", reason)], f"{file}: too many retirements")
