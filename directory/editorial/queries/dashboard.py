"""The editors' dashboard: what waits for them (drafts, feedback, overrides the source
now disagrees with, recognitions about to expire, reviews due, broken links) and the
worklists of facts to confirm or complete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.models import ConditionName, ProposedSummary
from directory.conditions.zero_results import ZeroResultView, zero_results
from directory.editorial.models import ConditionSummary, Draft, FeedbackReport, LinkCheck, Override
from directory.editorial.queries.links import links
from directory.editorial.review import ReviewQueries, ReviewsDue
from directory.editorial.service_base import LinkResult
from directory.expertise.models import Designation, DesignationCondition, Panel

EXPIRY_WINDOW = dt.timedelta(days=183)  # "within six months"


@dataclass(frozen=True)
class ExpiringRecognition:
    designation_id: int
    label: str
    orphacodes: tuple[int, ...]
    valid_until: dt.date
    expired: bool


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    pending_drafts: int
    my_pending: int
    new_feedback: int
    disagreeing_overrides: int
    expiring: tuple[ExpiringRecognition, ...]
    reviews: ReviewsDue  # pages whose facts are due for a check by an editor
    broken_links: tuple[LinkResult, ...]
    links_checked_at: dt.datetime | None


def _expiring(session: Session, today: dt.date) -> tuple[ExpiringRecognition, ...]:
    rows = list(
        session.scalars(
            select(Designation)
            .where(
                Designation.kind == "ecza",
                Designation.retired_at.is_(None),
                Designation.valid_until.is_not(None),
                Designation.valid_until <= today + EXPIRY_WINDOW,
            )
            .order_by(Designation.valid_until, Designation.id)
        )
    )
    codes: dict[int, list[int]] = {}
    if rows:
        for did, code in session.execute(
            select(DesignationCondition.designation_id, DesignationCondition.orphacode).where(
                DesignationCondition.designation_id.in_([r.id for r in rows])
            )
        ):
            codes.setdefault(did, []).append(code)
    return tuple(
        ExpiringRecognition(
            designation_id=r.id,
            label=r.label_nl or r.label_en or r.key,
            orphacodes=tuple(sorted(codes.get(r.id, []))),
            valid_until=r.valid_until,
            expired=r.valid_until < today,
        )
        for r in rows
        if r.valid_until is not None
    )


def dashboard(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime], user_id: int
) -> Dashboard:
    today = clock().date()
    with sessions() as session:

        def count(q: Any) -> int:
            return int(session.scalar(q) or 0)

        pending = count(select(func.count()).select_from(Draft).where(Draft.status == "pending"))
        mine = count(
            select(func.count())
            .select_from(Draft)
            .where(Draft.status == "pending", Draft.author_id == user_id)
        )
        new_feedback = count(
            select(func.count()).select_from(FeedbackReport).where(FeedbackReport.status == "new")
        )
        disagreeing = count(
            select(func.count())
            .select_from(Override)
            .where(Override.active.is_(True), Override.disagrees.is_(True))
        )
        checked_at = session.scalar(select(func.max(LinkCheck.checked_at)))
        return Dashboard(
            today=today,
            pending_drafts=pending,
            my_pending=mine,
            new_feedback=new_feedback,
            disagreeing_overrides=disagreeing,
            expiring=_expiring(session, today),
            reviews=ReviewQueries(sessions, clock).due(),
            broken_links=links(session, broken_only=True),
            links_checked_at=checked_at,
        )


# -- the worklists ------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    """One thing to look at: what it is (kind and id, for the edit link) and why."""

    kind: str  # where to look: panel (its edit form) | condition (its page)
    entity_id: str
    title: str
    detail: str  # e.g. the certainty, or which field is missing


@dataclass(frozen=True)
class Worklists:
    unconfirmed: tuple[WorkItem, ...]  # facts not confirmed by a source
    unconfirmed_total: int
    undated: tuple[WorkItem, ...]  # recognitions without start or end date
    undated_total: int
    unreachable_panels: tuple[WorkItem, ...]  # no way to submit or to get in touch
    proposed_names: int
    proposed_summaries: int
    zero_results: tuple[ZeroResultView, ...]


WORKLIST_ROWS = 25


def worklists(sessions: sessionmaker[Session]) -> Worklists:
    """What the editors should look at next (each list capped; totals given)."""
    with sessions() as session:
        unconfirmed: list[WorkItem] = []
        undated: list[WorkItem] = []
        first_code: dict[int, int] = {}
        for des_id, code in session.execute(
            select(
                DesignationCondition.designation_id, func.min(DesignationCondition.orphacode)
            ).group_by(DesignationCondition.designation_id)
        ):
            first_code[des_id] = code
        for d in session.scalars(
            select(Designation)
            .where(Designation.retired_at.is_(None))
            .order_by(Designation.kind, Designation.label_nl)
        ):
            # a panel is edited as a panel; another fact is seen on its condition's page
            if d.kind == "panel":
                owner = ("panel", d.key)
            elif d.id in first_code:
                owner = ("condition", str(first_code[d.id]))
            else:
                continue
            title = d.label_nl or d.label_en or d.key
            if d.certainty in ("public-knowledge", "uncertain"):
                unconfirmed.append(WorkItem(owner[0], owner[1], title, d.certainty))
            if d.kind == "ecza" and d.valid_from is None and d.valid_until is None:
                undated.append(WorkItem(owner[0], owner[1], title, "ecza"))
        panels = [
            WorkItem("panel", p.slug, p.name_nl, p.submission_kind)
            for p in session.scalars(
                select(Panel).where(Panel.retired_at.is_(None)).order_by(Panel.name_nl)
            )
            if p.submission_kind == "unknown"
            or not any((p.submission_url, p.submission_email, p.contact_email, p.contact_phone))
        ]
        names = (
            session.scalar(
                select(func.count()).where(
                    ConditionName.origin == "editorial",
                    ConditionName.kind == "preferred",
                    ConditionName.proposed.is_(True),
                )
            )
            or 0
        )
        approved = select(ConditionSummary.orphacode)
        summaries = (
            session.scalar(
                select(func.count(func.distinct(ProposedSummary.orphacode))).where(
                    ProposedSummary.orphacode.not_in(approved)
                )
            )
            or 0
        )
    return Worklists(
        unconfirmed=tuple(unconfirmed[:WORKLIST_ROWS]),
        unconfirmed_total=len(unconfirmed),
        undated=tuple(undated[:WORKLIST_ROWS]),
        undated_total=len(undated),
        unreachable_panels=tuple(panels),
        proposed_names=names,
        proposed_summaries=summaries,
        zero_results=zero_results(sessions, 10),
    )
