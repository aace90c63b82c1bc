"""Read side of the search aliases: other names of institutions, panels, groups, networks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.expertise.models import SearchAlias


@dataclass(frozen=True)
class AliasView:
    alias: str
    lang: str | None  # nl | en | None: both
    source: str


def aliases_by_entity(sessions: sessionmaker[Session]) -> dict[str, tuple[AliasView, ...]]:
    """Every search alias, per document id (``"institution:umcg"``), in a stable order."""
    grouped: dict[str, list[AliasView]] = defaultdict(list)
    with sessions() as session:
        for a in session.scalars(
            select(SearchAlias).order_by(SearchAlias.kind, SearchAlias.entity, SearchAlias.id)
        ):
            grouped[f"{a.kind}:{a.entity}"].append(AliasView(a.alias, a.lang, a.source))
    return {key: tuple(views) for key, views in grouped.items()}
