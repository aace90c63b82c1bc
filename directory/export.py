"""Read side of the open-data download: the catalogue as flat rows with their provenance.

Each row says where each of its facts came from: the source release (name, version,
date, licence) of the English name, of the Dutch name and of the classification facts.
Nothing here writes; rows are frozen dataclasses that the web layer turns into CSV/JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.models import (
    ClassificationEdge,
    Condition,
    ConditionName,
    ConditionRedirect,
    SourceRelease,
)
from directory.queries import ReleaseView, _release_view


@dataclass(frozen=True)
class NameFact:
    text: str
    origin: str  # orphanet | editorial
    release_id: int


@dataclass(frozen=True)
class ConditionExportRow:
    orphacode: int
    status: str
    level: str | None
    disorder_type: str | None
    name_en: NameFact | None
    name_nl: NameFact | None
    synonyms_en: tuple[str, ...]
    synonyms_nl: tuple[str, ...]
    parents: tuple[int, ...]
    successor: int | None  # for inactive codes: where Orphanet points now
    release_id: int  # the release that last set the code's status and level


@dataclass(frozen=True)
class CatalogueExport:
    releases: tuple[ReleaseView, ...]
    conditions: tuple[ConditionExportRow, ...]

    def release(self, release_id: int) -> ReleaseView | None:
        for r in self.releases:
            if r.id == release_id:
                return r
        return None


_ORIGIN_RANK = {"orphanet": 0, "editorial": 1}


def _preferred(names: list[ConditionName]) -> NameFact | None:
    best = min(
        (n for n in names if n.kind == "preferred"),
        key=lambda n: (_ORIGIN_RANK.get(n.origin, 9), n.id),
        default=None,
    )
    return NameFact(best.text, best.origin, best.release_id) if best else None


def _rows(session: Session) -> Iterator[ConditionExportRow]:
    names: dict[tuple[int, str], list[ConditionName]] = defaultdict(list)
    for n in session.scalars(select(ConditionName).order_by(ConditionName.id)):
        names[(n.orphacode, n.lang)].append(n)
    parents: dict[int, set[int]] = defaultdict(set)
    for parent, child in session.execute(
        select(ClassificationEdge.parent_code, ClassificationEdge.child_code)
    ):
        parents[child].add(parent)
    successors: dict[int, int] = {}
    for f, t, _k in session.execute(
        select(
            ConditionRedirect.from_code, ConditionRedirect.to_code, ConditionRedirect.kind
        ).order_by(ConditionRedirect.kind.desc())  # moved_to wins over referred_to
    ):
        successors[f] = t
    for c in session.scalars(select(Condition).order_by(Condition.orphacode)):
        en, nl = names[(c.orphacode, "en")], names[(c.orphacode, "nl")]
        pref_en, pref_nl = _preferred(en), _preferred(nl)
        yield ConditionExportRow(
            orphacode=c.orphacode,
            status=c.status,
            level=c.level,
            disorder_type=c.disorder_type,
            name_en=pref_en,
            name_nl=pref_nl,
            synonyms_en=tuple(
                dict.fromkeys(n.text for n in en if pref_en is None or n.text != pref_en.text)
            ),
            synonyms_nl=tuple(
                dict.fromkeys(n.text for n in nl if pref_nl is None or n.text != pref_nl.text)
            ),
            parents=tuple(sorted(parents[c.orphacode])),
            successor=successors.get(c.orphacode) if c.status != "active" else None,
            release_id=c.release_id,
        )


def catalogue_export(sessions: sessionmaker[Session]) -> CatalogueExport:
    """The whole condition catalogue with per-fact provenance, read in one transaction."""
    with sessions() as session:
        releases = tuple(
            _release_view(r)
            for r in session.scalars(select(SourceRelease).order_by(SourceRelease.id))
        )
        return CatalogueExport(releases, tuple(_rows(session)))


def active_orphacodes(sessions: sessionmaker[Session]) -> tuple[int, ...]:
    """Codes that have a page of their own (inactive codes redirect to their successor)."""
    with sessions() as session:
        return tuple(
            session.scalars(
                select(Condition.orphacode)
                .where(Condition.status == "active")
                .order_by(Condition.orphacode)
            )
        )
