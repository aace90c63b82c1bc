"""The source register: the documents facts cite."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.clock import utcnow
from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    Designation,
    Ern,
    EuracanDomain,
    Institution,
    Network,
    Panel,
    SourceDocument,
    WorkingGroup,
)
from directory.expertise.records import (
    SourcesRelease,
)
from directory.expertise.resolver import Resolver, dutch, english
from directory.expertise.rows import count_state, retire_missing, upsert_row
from directory.reports import ImportReport


def _cited_sources(session: Session) -> set[str]:
    """Slugs of the source register cited by any current fact."""
    cited: set[str] = set()
    for model in (Institution, Network, WorkingGroup, Panel, Designation, Ern, EuracanDomain):
        for raw in session.scalars(select(model.sources).where(model.retired_at.is_(None))):
            cited.update(
                s["source"]
                for s in raw or ()
                if isinstance(s, dict) and isinstance(s.get("source"), str)
            )
    return cited


class SourcesApplier(Applier):
    """Writes the source register."""

    # -- the source register ---------------------------------------------------------

    def apply_sources(self, data: SourcesRelease, *, dry_run: bool = False) -> ImportReport:
        """The source register. An entry that facts still cite cannot be retired."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            now = utcnow()
            rel = self._release_id(session, data.release)
            existing = {d.slug: d for d in session.scalars(select(SourceDocument))}
            for doc in data.documents:
                _row, state = upsert_row(
                    session,
                    existing,
                    doc.slug,
                    partial(SourceDocument, slug=doc.slug),
                    {
                        "publisher": doc.publisher,
                        "publisher_kind": doc.publisher_kind,
                        "title": doc.title,
                        "url": doc.url,
                        "page_date": doc.page_date,
                        "read_on": doc.read_on,
                        "language": doc.language,
                        "note_nl": dutch(doc.note),
                        "note_en": english(doc.note),
                    },
                    rel,
                )
                count_state(tally, state)
            kept = {d.slug for d in data.documents}
            gone = {
                slug for slug, row in existing.items() if slug not in kept and not row.retired_at
            }
            if gone:
                for slug in sorted(_cited_sources(session) & gone):
                    r.problem(
                        "document",
                        "sources",
                        f"source {slug!r} is still cited by the catalogue; it cannot be removed",
                    )
            retire_missing(existing, kept, tally, now)
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="source register",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
        )
