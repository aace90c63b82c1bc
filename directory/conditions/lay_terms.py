"""Read side of the lay terms: per condition, the words patients type for it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.models import LayTerm


@dataclass(frozen=True)
class LayTermView:
    term: str
    lang: str
    origin: str


def lay_terms_by_code(sessions: sessionmaker[Session]) -> dict[int, tuple[LayTermView, ...]]:
    """All lay terms, grouped by ORPHAcode, in a stable order."""
    grouped: dict[int, list[LayTermView]] = defaultdict(list)
    with sessions() as session:
        for t in session.scalars(
            select(LayTerm).order_by(LayTerm.orphacode, LayTerm.lang, LayTerm.term)
        ):
            grouped[t.orphacode].append(LayTermView(t.term, t.lang, t.origin))
    return {code: tuple(terms) for code, terms in grouped.items()}
