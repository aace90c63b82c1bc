"""What keeping the editors' overrides did during an import, as the import report says it.

When a source is re-imported, the editors' corrections of imported facts are kept
(:mod:`directory.editorial.overrides`); where the source now says something new, the
run's report lists a :class:`Disagreement` for an editor to decide. These records are
shared core: the run skeleton of every domain reports them, and the editor area finds
them again in a stored run's warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# How the line of a Disagreement starts in an import run's stored warnings: runs keep
# their warnings as text, so this is how a stored run's disagreements are found again.
_DISAGREEMENT = "override kept:"


@dataclass(frozen=True)
class Disagreement:
    """A source value that differs from an editor's override of the same field."""

    entity_kind: str
    entity_id: str
    field: str
    source_value: Any
    override_value: Any
    previous_source_value: Any  # what the source said when the override was made

    def __str__(self) -> str:
        return (
            f"{_DISAGREEMENT} {self.entity_kind} {self.entity_id}, field {self.field}: "
            f"the source now says {_show(self.source_value)} (before: "
            f"{_show(self.previous_source_value)}); the editors' value is "
            f"{_show(self.override_value)}. An editor should decide."
        )


@dataclass(frozen=True)
class OverrideOutcome:
    """What :func:`apply_overrides` did, for the import report."""

    disagreements: tuple[Disagreement, ...]
    kept: int  # overrides applied where the source still says what it said before

    def warnings(self) -> list[str]:
        lines = [str(d) for d in self.disagreements]
        if self.kept:
            lines.append(
                f"{self.kept} editors' override(s) kept where the source still says what "
                "it said when they were made"
            )
        return lines


def disagreement_lines(warnings: Iterable[str]) -> tuple[str, ...]:
    """The lines of ``warnings`` written by :class:`Disagreement` (a stored run's text)."""
    return tuple(w for w in warnings if w.startswith(_DISAGREEMENT))


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(nothing)"
    if isinstance(value, list):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    return repr(value)
