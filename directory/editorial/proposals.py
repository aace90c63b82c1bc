"""Proposals: editors approve drafted translations and plain-language summaries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from directory.catalogue_version import bump_version
from directory.clock import utcnow
from directory.conditions.models import ConditionName, NameApproval, ProposedSummary
from directory.editorial.models import (
    ConditionSummary,
)
from directory.editorial.service_base import EditorialBase
from directory.vocabulary import ROLES


class Proposals(EditorialBase):
    """Approving proposed names and summaries."""

    # -- proposals: drafted translations and summaries --------------------------------------

    def approve_names(self, user_id: int, lang: str, codes: Iterable[int]) -> int:
        """An editor approves the proposed preferred names (in ``lang``) of ``codes``.

        The proposals were drafted by the editors as a team and imported; the editor who
        approves them is the person who checks them. Returns how many were approved.
        """
        wanted = sorted(set(codes))
        with self._sessions.begin() as session:
            self._require(session, user_id, ROLES)
            rows = list(
                session.scalars(
                    select(ConditionName).where(
                        ConditionName.orphacode.in_(wanted),
                        ConditionName.lang == lang,
                        ConditionName.origin == "editorial",
                        ConditionName.proposed.is_(True),
                    )
                )
            )
            now = utcnow()
            approved = 0
            for n in rows:
                n.proposed = False
                if n.kind != "preferred":
                    continue
                if session.get(NameApproval, (n.orphacode, lang, n.text)) is None:
                    session.add(
                        NameApproval(
                            orphacode=n.orphacode,
                            lang=lang,
                            text=n.text,
                            approved_by=user_id,
                            approved_at=now,
                        )
                    )
                self._audit(
                    session,
                    kind="condition",
                    entity_id=str(n.orphacode),
                    action="approve",
                    field=f"name_{lang}",
                    old=None,
                    new=n.text,
                    reason="proposed translation checked",
                    author_id=user_id,
                    approver_id=user_id,
                    at=now,
                )
                approved += 1
            if approved:
                bump_version(session)
        if approved:
            self._notify_published()  # names are searched: the index follows at once
        return approved

    def approve_summaries(self, user_id: int, codes: Iterable[int]) -> int:
        """An editor approves the drafted summaries of ``codes``: they become the
        conditions' summaries (unless an editor wrote one already, which is kept)."""
        wanted = sorted(set(codes))
        with self._sessions.begin() as session:
            self._require(session, user_id, ROLES)
            now = utcnow()
            approved = 0
            for draft in session.scalars(
                select(ProposedSummary).where(ProposedSummary.orphacode.in_(wanted))
            ):
                if session.get(ConditionSummary, (draft.orphacode, draft.lang)) is not None:
                    continue
                session.add(
                    ConditionSummary(
                        orphacode=draft.orphacode,
                        lang=draft.lang,
                        text=draft.text,
                        origin="curated",
                        updated_at=now,
                        updated_by=user_id,
                    )
                )
                self._audit(
                    session,
                    kind="condition",
                    entity_id=str(draft.orphacode),
                    action="approve",
                    field=f"summary_{draft.lang}",
                    old=None,
                    new=draft.text,
                    reason="drafted summary checked",
                    author_id=user_id,
                    approver_id=user_id,
                    at=now,
                )
                approved += 1
            if approved:
                bump_version(session)
        if approved:
            self._notify_published()
        return approved
