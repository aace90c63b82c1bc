"""The zero-result log: searches that found nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

from directory.clock import utcnow
from directory.conditions.models import (
    ZeroResultQuery,
)
from directory.conditions.runs import CatalogueRuns


class ZeroResultsLog(CatalogueRuns):
    """The zero-result log: searches that found nothing."""

    # -- zero-result log ------------------------------------------------------------------

    def record_zero_result(
        self, normalised: str, example: str, *, at: dt.datetime | None = None
    ) -> None:
        """Count one search that found nothing. Stores the query text and time only."""
        key = normalised[:200]
        if not key:
            return
        when = at or utcnow()
        for attempt in range(2):
            try:
                with self._sessions() as session, session.begin():
                    row = session.get(ZeroResultQuery, key)
                    if row is None:
                        session.add(
                            ZeroResultQuery(
                                normalised=key,
                                example=example[:200],
                                count=1,
                                first_seen=when,
                                last_seen=when,
                            )
                        )
                    else:
                        row.count += 1
                        row.example = example[:200]
                        row.last_seen = max(row.last_seen, when)
                return
            except IntegrityError:
                # Another request inserted the same query first: count on that row.
                if attempt:
                    raise
