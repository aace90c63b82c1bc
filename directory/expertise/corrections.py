"""What the expertise appliers need from the editor area: the editors' corrections.

Editors correct imported panels, working groups, institutions, networks and sites in
the editor area (overrides); when the source is imported again, the corrections must
win over the file. The expertise domain sits below the editorial one and does not import
it: it declares here what its appliers need, and whoever builds an
:class:`~directory.expertise.services.ExpertiseService` passes in an object that provides
it (``directory.editorial.corrections.EDITOR_CORRECTIONS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from directory.conditions.corrections import ConditionCorrections
from directory.expertise.records import AliasRecord
from directory.override_outcomes import OverrideOutcome


class RowCorrections(Protocol):
    """The editors' corrections of one kind of row (keyed by slug, or a site's key), for
    one import run: ask, then report what keeping them did."""

    def retired(self, slug: str) -> bool:
        """Whether editors retired the row (it stays retired)."""
        ...

    def apply(self, slug: str, values: dict[str, Any]) -> dict[str, Any]:
        """The row's column values with the editors' values put in."""
        ...

    def aliases(self, slug: str, records: Sequence[AliasRecord]) -> list[AliasRecord]:
        """An institution's aliases: the editors' list when they changed it."""
        ...

    def created(self) -> list[str]:
        """The rows editors made in the editor area: a re-import must not retire them."""
        ...

    def outcome(self) -> OverrideOutcome:
        """What keeping the corrections did, for the import report."""
        ...


class ExpertiseCorrections(ConditionCorrections, Protocol):
    """The corrections an expertise service needs: its rows', and the condition ones for
    the catalogue service it records its runs through."""

    def rows(self, session: Session, kind: str) -> RowCorrections:
        """The corrections of rows of ``kind`` (``panel``, ``site`` ...), read in ``session``."""
        ...
