"""Names and lay terms as editors change them (inside the editorial service's transaction)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.models import (
    ConditionName,
    LayTerm,
)
from directory.conditions.records import (
    ReleaseInfo,
)
from directory.conditions.rows import _sync_names
from directory.conditions.runs import CatalogueRuns


class ConditionEditorWrites(CatalogueRuns):
    """Edits approved in the editor area."""

    # -- edits approved in the editor area (inside the editorial service's transaction) --

    def set_editorial_names(
        self,
        session: Session,
        orphacode: int,
        lang: str,
        preferred: str | None,
        synonyms: tuple[str, ...],
        release: ReleaseInfo,
    ) -> None:
        """Set a condition's editorial names in ``lang``; ``preferred=None`` removes them."""
        rel = self._release(session, release)
        rows = list(
            session.scalars(
                select(ConditionName).where(
                    ConditionName.orphacode == orphacode,
                    ConditionName.lang == lang,
                    ConditionName.origin == "editorial",
                )
            )
        )
        if preferred is None:
            for n in rows:
                session.delete(n)
            return
        _sync_names(
            session,
            orphacode,
            lang,
            "editorial",
            preferred,
            synonyms,
            rows,
            rel.id,
            dt.date.max,
            {},
        )

    def set_lay_terms(
        self,
        session: Session,
        orphacode: int,
        lang: str,
        terms: tuple[str, ...],
        release: ReleaseInfo,
    ) -> None:
        """Make ``terms`` a condition's lay terms in ``lang``, stored with origin ``editor``."""
        rel = self._release(session, release)
        for t in session.scalars(
            select(LayTerm).where(LayTerm.orphacode == orphacode, LayTerm.lang == lang)
        ):
            session.delete(t)
        session.flush()  # the same term may come back below: delete before inserting
        for term in terms:
            session.add(
                LayTerm(
                    orphacode=orphacode, lang=lang, term=term, origin="editor", release_id=rel.id
                )
            )
