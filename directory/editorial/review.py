"""When a person last reviewed a page's facts, and when the next review is due.

Every public page of the catalogue (condition, hospital, panel, working group, network)
says when an editor last checked its facts and when they will be checked again; the
editors' dashboard lists the reviews that are due, soonest first. Both read the same
dates from here, so the page and the worklist never disagree.

A review is due one interval after the last check: by an editor (the audit's "checked"
action, ``EntityRevision.checked_at``) or, when no editor has checked it yet, after the
date its source was read (``checked_on`` of the row, or the import of the condition's
Orphanet release). The intervals follow how fast each kind of fact changes: panels,
working groups and networks change their contacts and members every year or so;
hospitals merge or move less often; a condition's names follow Orphanet's yearly
release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.clock import utcnow
from directory.conditions.models import Condition, SourceRelease
from directory.conditions.queries import condition_refs
from directory.editorial.models import EntityRevision
from directory.expertise.models import Institution, Network, Panel, PriorityCondition, WorkingGroup
from directory.numbers import ascii_int

REVIEW_EVERY: dict[str, dt.timedelta] = {
    "condition": dt.timedelta(days=365),
    "institution": dt.timedelta(days=730),
    "panel": dt.timedelta(days=365),
    "working_group": dt.timedelta(days=365),
    "network": dt.timedelta(days=365),
}
REVIEW_KINDS = tuple(REVIEW_EVERY)
SOON = dt.timedelta(days=60)  # the dashboard also lists reviews due within two months
REVIEW_ROWS = 50


@dataclass(frozen=True)
class ReviewDates:
    """A page's review dates. ``reviewed_on`` is None until an editor checks it."""

    reviewed_on: dt.date | None  # by an editor
    source_read_on: dt.date | None  # when its source was read (or, ``imported``, imported)
    due_on: dt.date
    late: bool  # due before the day the dates were read
    imported: bool = False  # ``source_read_on`` is an import date, not a person's reading


def review_dates(
    kind: str, reviewed: dt.date | None, source_read: dt.date | None, today: dt.date
) -> ReviewDates:
    """Due one interval after the latest check; today when nothing was ever checked."""
    known = [d for d in (reviewed, source_read) if d is not None]
    due = max(known) + REVIEW_EVERY[kind] if known else today
    return ReviewDates(reviewed, source_read, due, due < today, imported=kind == "condition")


@dataclass(frozen=True)
class ReviewItem:
    kind: str
    entity_id: str
    title: str  # Dutch where there is one (the editors work in Dutch)
    dates: ReviewDates


@dataclass(frozen=True)
class ReviewsDue:
    items: tuple[ReviewItem, ...]  # due before ``until``, soonest first, capped
    total: int  # how many are due before ``until``
    overdue: int  # how many of them are already late
    until: dt.date
    by_kind: dict[str, int]  # how many are due before ``until``, per kind


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


_ROW_MODELS: dict[str, Any] = {
    "institution": Institution,
    "panel": Panel,
    "working_group": WorkingGroup,
    "network": Network,
}


def _rows(session: Session, kind: str, ids: Iterable[str] | None) -> list[tuple[str, str, Any]]:
    """(entity id, title, source date) of the live rows of one kind (all, or ``ids``)."""
    if kind == "condition":
        q = (
            select(Condition.orphacode, SourceRelease.imported_at)
            .join(SourceRelease, SourceRelease.id == Condition.release_id)
            .where(Condition.status == "active")
        )
        if ids is not None:
            codes = [code for i in ids if (code := ascii_int(i)) is not None]
            q = q.where(Condition.orphacode.in_(codes))
        return [(str(code), f"ORPHA:{code}", at) for code, at in session.execute(q)]
    model = _ROW_MODELS[kind]
    title = model.name_nl if kind in ("panel", "working_group") else model.name
    rows_q = select(model.slug, title, model.checked_on).where(model.retired_at.is_(None))
    if kind == "institution" and ids is None:
        rows_q = rows_q.where(model.status == "active")  # closed ones need no checks
    if ids is not None:
        rows_q = rows_q.where(model.slug.in_(list(ids)))
    return [(slug, name, on) for slug, name, on in session.execute(rows_q)]


def _editor_checks(session: Session, kind: str, ids: Iterable[str] | None) -> dict[str, Any]:
    q = select(EntityRevision.entity_id, EntityRevision.checked_at).where(
        EntityRevision.entity_kind == kind, EntityRevision.checked_at.is_not(None)
    )
    if ids is not None:
        q = q.where(EntityRevision.entity_id.in_(list(ids)))
    return dict(session.execute(q).all())


class ReviewQueries:
    """Review dates for public pages and the editors' worklist (read-only)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    def of(self, kind: str, entity_id: str | int) -> ReviewDates | None:
        """One page's review dates; None for an unknown or retired entity."""
        key = str(entity_id)
        today = self._clock().date()
        with self._sessions() as session:
            rows = _rows(session, kind, [key])
            if not rows:
                return None
            checked = _editor_checks(session, kind, [key])
        _, _, source = rows[0]
        return review_dates(kind, _day(checked.get(key)), _day(source), today)

    def due(self, limit: int = REVIEW_ROWS, soon: dt.timedelta = SOON) -> ReviewsDue:
        """Reviews due within ``soon``, soonest first; among conditions due the same day,
        the ones people look up most come first."""
        today = self._clock().date()
        until = today + soon
        items: list[tuple[tuple[Any, ...], ReviewItem]] = []
        with self._sessions() as session:
            positions = select(PriorityCondition.orphacode, PriorityCondition.position)
            priority = dict(session.execute(positions).all())
            for kind in REVIEW_KINDS:
                checked = _editor_checks(session, kind, None)
                for entity_id, title, source in _rows(session, kind, None):
                    dates = review_dates(kind, _day(checked.get(entity_id)), _day(source), today)
                    if dates.due_on > until:
                        continue
                    rank = priority.get(int(entity_id), 10**6) if kind == "condition" else 0
                    key = (dates.due_on, rank, kind, entity_id)
                    items.append((key, ReviewItem(kind, entity_id, title, dates)))
            items.sort(key=lambda pair: pair[0])
            shown = [item for _, item in items[:limit]]
            codes = [int(i.entity_id) for i in shown if i.kind == "condition"]
            refs = condition_refs(session, codes)
        return ReviewsDue(
            items=tuple(
                replace(i, title=refs[int(i.entity_id)].title("nl").value)
                if i.kind == "condition" and int(i.entity_id) in refs
                else i
                for i in shown
            ),
            total=len(items),
            overdue=sum(1 for _, item in items if item.dates.late),
            until=until,
            by_kind={k: n for k in REVIEW_KINDS if (n := sum(1 for _, i in items if i.kind == k))},
        )
