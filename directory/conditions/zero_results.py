"""Read side of the zero-result log: what people searched for and did not find."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.models import ZeroResultQuery


@dataclass(frozen=True)
class ZeroResultView:
    normalised: str
    example: str
    count: int
    first_seen: dt.datetime
    last_seen: dt.datetime


def zero_results(sessions: sessionmaker[Session], limit: int = 50) -> tuple[ZeroResultView, ...]:
    """The most frequent searches without results, most frequent first."""
    with sessions() as session:
        rows = session.scalars(
            select(ZeroResultQuery)
            .order_by(
                ZeroResultQuery.count.desc(),
                ZeroResultQuery.last_seen.desc(),
                ZeroResultQuery.normalised,
            )
            .limit(max(0, limit))
        )
        return tuple(
            ZeroResultView(r.normalised, r.example, r.count, r.first_seen, r.last_seen)
            for r in rows
        )
