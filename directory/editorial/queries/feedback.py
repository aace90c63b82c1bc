"""Feedback reports from the public pages, as the editors' feedback screen lists them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.editorial.models import FeedbackReport
from directory.editorial.queries.history import user_names
from directory.vocabulary import FeedbackStatus


@dataclass(frozen=True)
class FeedbackView:
    id: int
    created_at: dt.datetime
    lang: str
    page_url: str
    entity_kind: str | None
    entity_id: str | None
    message: str
    contact: str | None
    status: str
    handled_by: str | None
    handled_at: dt.datetime | None
    note: str | None
    version: int


def feedback(
    session: Session, status: FeedbackStatus | None, limit: int
) -> tuple[FeedbackView, ...]:
    """The newest reports first, of one status (or all)."""
    q = select(FeedbackReport).order_by(FeedbackReport.id.desc()).limit(limit)
    if status:
        q = q.where(FeedbackReport.status == status)
    rows = list(session.scalars(q))
    names = user_names(session, {r.handled_by for r in rows})
    return tuple(
        FeedbackView(
            id=r.id,
            created_at=r.created_at,
            lang=r.lang,
            page_url=r.page_url,
            entity_kind=r.entity_kind,
            entity_id=r.entity_id,
            message=r.message,
            contact=r.contact,
            status=r.status,
            handled_by=names.get(r.handled_by) if r.handled_by else None,
            handled_at=r.handled_at,
            note=r.note,
            version=r.version,
        )
        for r in rows
    )
