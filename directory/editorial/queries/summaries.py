"""Plain-language summaries of conditions, as the public pages and the search index read
them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.editorial.models import ConditionSummary


def summaries(session: Session, orphacode: int) -> dict[str, str]:
    """A condition's plain-language summaries per language."""
    return {
        s.lang: s.text
        for s in session.scalars(
            select(ConditionSummary).where(ConditionSummary.orphacode == orphacode)
        )
    }


def all_summaries(sessions: sessionmaker[Session]) -> dict[int, dict[str, str]]:
    """Every published plain-language summary, per ORPHAcode and language.

    Summaries are only written when a reviewer approves them, so all of them are
    published; the search index folds them into the condition documents.
    """
    result: dict[int, dict[str, str]] = {}
    with sessions() as session:
        for s in session.scalars(select(ConditionSummary)):
            result.setdefault(s.orphacode, {})[s.lang] = s.text
    return result
