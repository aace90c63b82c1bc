"""What the condition appliers need from the editor area: the editors' corrections.

Editors correct imported facts in the editor area (an override); when the source is
imported again, the correction must win over the file. The conditions domain sits below
the editorial one and does not import it: it declares here what its appliers need, and
whoever builds a :class:`~directory.conditions.services.CatalogueService` passes in an
object that provides it (``directory.editorial.corrections.EDITOR_CORRECTIONS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from directory.conditions.records import EditorialName
from directory.conditions.search_records import LayTermRecord
from directory.override_outcomes import OverrideOutcome


class ConditionCorrections(Protocol):
    """The editors' corrections of a condition's editorial names and lay terms.

    Each method puts the editors' values into a release's records before they are
    written, in the applier's session, and says what that did for the import report.
    """

    def editorial_names(
        self, session: Session, lang: str, entries: Sequence[EditorialName], known: set[int]
    ) -> tuple[list[EditorialName], OverrideOutcome]:
        """The editorial names of ``lang`` with the editors' corrections; ``known``: the
        codes in the catalogue (a name the editors added is kept only for those)."""
        ...

    def lay_terms(
        self, session: Session, entries: Sequence[LayTermRecord]
    ) -> tuple[list[LayTermRecord], OverrideOutcome]:
        """The lay terms, without the source's terms for what editors corrected."""
        ...
