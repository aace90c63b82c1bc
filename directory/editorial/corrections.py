"""The editors' corrections, as the catalogue's appliers ask for them on a re-import.

The appliers of ``conditions`` and ``expertise`` sit below this domain: they declare what
they need (:class:`~directory.conditions.corrections.ConditionCorrections`,
:class:`~directory.expertise.corrections.ExpertiseCorrections`) and receive it when their
service is built. :data:`EDITOR_CORRECTIONS` provides it from the overrides editors made
(:mod:`directory.editorial.overrides`); whoever builds a ``CatalogueService`` or an
``ExpertiseService`` (the CLI, the web app, the importers, benches and tests) passes it in.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from directory.conditions.records import EditorialName
from directory.conditions.search_records import LayTermRecord
from directory.editorial.overrides import (
    RowOverrides,
    override_editorial_names,
    override_lay_terms,
)
from directory.expertise.corrections import ExpertiseCorrections
from directory.override_outcomes import OverrideOutcome


class EditorCorrections:
    """The overrides stored in the editor area, put into a source's records."""

    def editorial_names(
        self, session: Session, lang: str, entries: Sequence[EditorialName], known: set[int]
    ) -> tuple[list[EditorialName], OverrideOutcome]:
        return override_editorial_names(session, lang, entries, known)

    def lay_terms(
        self, session: Session, entries: Sequence[LayTermRecord]
    ) -> tuple[list[LayTermRecord], OverrideOutcome]:
        return override_lay_terms(session, entries)

    def rows(self, session: Session, kind: str) -> RowOverrides:
        return RowOverrides(session, kind)


# The one the services are built with: typed as what they need, so mypy checks it fits.
EDITOR_CORRECTIONS: ExpertiseCorrections = EditorCorrections()
