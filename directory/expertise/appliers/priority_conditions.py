"""The conditions people look up most."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.runs import ChangeTally
from directory.expertise.applier import Applier
from directory.expertise.models import (
    PriorityCondition,
)
from directory.expertise.records import (
    Bilingual,
    PriorityConditionsRelease,
)
from directory.expertise.resolver import Resolver
from directory.reports import ImportReport


class PriorityConditionsApplier(Applier):
    """Writes the priority conditions release."""

    # -- the conditions people look up most -----------------------------------------------

    def apply_priority_conditions(
        self, data: PriorityConditionsRelease, *, dry_run: bool = False
    ) -> ImportReport:
        """The list replaces the previous one; every code must be in the catalogue."""

        def body(session: Session, tally: ChangeTally, r: Resolver) -> int:
            rel = self._release_id(session, data.release)
            existing = {p.orphacode: p for p in session.scalars(select(PriorityCondition))}
            wanted: dict[int, tuple[int, Bilingual]] = {}
            for n, item in enumerate(data.conditions, start=1):
                found = r.code(item.code)
                if found is not None:
                    wanted[found[0]] = (n, item.topic)
            for code, (position, topic) in wanted.items():
                row = existing.get(code)
                values = {"position": position, "topic_nl": topic.nl, "topic_en": topic.en}
                if row is None:
                    session.add(PriorityCondition(orphacode=code, release_id=rel, **values))
                    tally.added += 1
                elif any(getattr(row, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(row, k, v)
                    row.release_id = rel
                    tally.changed += 1
                else:
                    tally.unchanged += 1
            for code, row in existing.items():
                if code not in wanted:
                    session.delete(row)
                    tally.retired += 1
            return rel

        return self._run(
            data.release,
            body,
            source_name=data.source_name,
            what="list of conditions",
            dry_run=dry_run,
            allow_partial=False,
            rejected=(),
        )
