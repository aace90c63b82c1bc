"""Read side for browsing: EURACAN domains and body areas, with the conditions they cover.

A domain or body area names a few ORPHAcodes at its top (its scope); browsing shows those
codes and, one level down, their children in the Orphanet classification. Retired rows
are not shown. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.expertise_models import (
    BodyArea,
    EuracanDomain,
    Institution,
    Network,
    Panel,
    ScopeCondition,
    WorkingGroup,
)
from directory.models import ClassificationEdge, Condition, ConditionName
from directory.queries import ConditionRef, preferred_names

BROWSE_KINDS = ("euracan_domain", "body_area")


@dataclass(frozen=True)
class BrowseEntry:
    """A domain or body area, as listed on the home page and the index pages."""

    kind: str  # euracan_domain | body_area
    slug: str
    code: str | None  # G1..G10 for domains
    name_nl: str
    name_en: str
    lay_name_nl: str | None
    lay_name_en: str | None
    notes_nl: str | None
    notes_en: str | None

    def name(self, lang: str) -> str:
        return self.name_nl if lang == "nl" else self.name_en

    def lay_name(self, lang: str) -> str | None:
        return self.lay_name_nl if lang == "nl" else self.lay_name_en

    def notes(self, lang: str) -> str | None:
        return self.notes_nl if lang == "nl" else self.notes_en


@dataclass(frozen=True)
class ScopeNode:
    ref: ConditionRef
    children: tuple[ConditionRef, ...]


@dataclass(frozen=True)
class BrowseDetail:
    entry: BrowseEntry
    scope: tuple[ScopeNode, ...]


def _entry(kind: str, row: EuracanDomain | BodyArea) -> BrowseEntry:
    if isinstance(row, EuracanDomain):
        return BrowseEntry(
            kind,
            row.slug,
            row.code,
            row.name_nl,
            row.name_en,
            row.lay_name_nl,
            row.lay_name_en,
            row.notes_nl,
            row.notes_en,
        )
    return BrowseEntry(
        kind, row.slug, None, row.name_nl, row.name_en, None, None, row.notes_nl, row.notes_en
    )


def _rows(session: Session, kind: str, slug: str | None = None) -> list[EuracanDomain | BodyArea]:
    """Live (not retired) domains or body areas, in their curated order."""
    rows: list[EuracanDomain | BodyArea] = []
    if kind == "euracan_domain":
        q = select(EuracanDomain).where(EuracanDomain.retired_at.is_(None))
        if slug is not None:
            q = q.where(EuracanDomain.slug == slug)
        rows += session.scalars(q.order_by(EuracanDomain.position, EuracanDomain.slug))
    elif kind == "body_area":
        qa = select(BodyArea).where(BodyArea.retired_at.is_(None))
        if slug is not None:
            qa = qa.where(BodyArea.slug == slug)
        rows += session.scalars(qa.order_by(BodyArea.position, BodyArea.slug))
    else:
        raise ValueError(f"unknown browse kind {kind!r}")
    return rows


class BrowseQueries:
    """Read-only access to the domains and body areas."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def entries(self, kind: str) -> tuple[BrowseEntry, ...]:
        with self._sessions() as session:
            return tuple(_entry(kind, r) for r in _rows(session, kind))

    def detail(self, kind: str, slug: str) -> BrowseDetail | None:
        with self._sessions() as session:
            found = _rows(session, kind, slug)
            if not found:
                return None
            row = found[0]
            scope = list(
                session.scalars(
                    select(ScopeCondition.orphacode)
                    .where(ScopeCondition.owner_kind == kind, ScopeCondition.owner_id == row.id)
                    .order_by(ScopeCondition.orphacode)
                )
            )
            children: dict[int, list[int]] = defaultdict(list)
            if scope:
                for parent, child, _pos in session.execute(
                    select(
                        ClassificationEdge.parent_code,
                        ClassificationEdge.child_code,
                        func.min(ClassificationEdge.position),
                    )
                    .where(ClassificationEdge.parent_code.in_(scope))
                    .group_by(ClassificationEdge.parent_code, ClassificationEdge.child_code)
                    .order_by(func.min(ClassificationEdge.position), ClassificationEdge.child_code)
                ):
                    children[parent].append(child)
            refs = _refs(session, set(scope) | {c for cs in children.values() for c in cs})
            nodes = tuple(
                ScopeNode(
                    refs[code],
                    tuple(
                        refs[c] for c in children[code] if c in refs and refs[c].status == "active"
                    ),
                )
                for code in scope
                if code in refs
            )
            return BrowseDetail(_entry(kind, row), nodes)


def _refs(session: Session, codes: set[int]) -> dict[int, ConditionRef]:
    if not codes:
        return {}
    names: dict[int, list[ConditionName]] = defaultdict(list)
    for n in session.scalars(
        select(ConditionName).where(
            ConditionName.orphacode.in_(codes), ConditionName.kind == "preferred"
        )
    ):
        names[n.orphacode].append(n)
    return {
        c.orphacode: ConditionRef(
            c.orphacode, c.level, c.status, preferred_names(names[c.orphacode])
        )
        for c in session.scalars(select(Condition).where(Condition.orphacode.in_(codes)))
    }


@dataclass(frozen=True)
class EntityNames:
    """Display names of entities by slug, per kind, for labelling search facets."""

    names: dict[str, dict[str, tuple[str, str]]]  # kind -> slug -> (name_nl, name_en)

    def name(self, kind: str, slug: str, lang: str) -> str | None:
        pair = self.names.get(kind, {}).get(slug)
        if pair is None:
            return None
        return pair[0] if lang == "nl" else pair[1]


def entity_names(sessions: sessionmaker[Session]) -> EntityNames:
    """Names of live institutions, EURACAN domains, working groups, panels and networks."""
    with sessions() as session:
        names: dict[str, dict[str, tuple[str, str]]] = {
            "institution": {
                i.slug: (i.name, i.name_en or i.name)
                for i in session.scalars(
                    select(Institution).where(Institution.retired_at.is_(None))
                )
            },
            "euracan_domain": {
                d.slug: (d.name_nl, d.name_en)
                for d in session.scalars(
                    select(EuracanDomain).where(EuracanDomain.retired_at.is_(None))
                )
            },
            "working_group": {
                w.slug: (w.name_nl, w.name_en)
                for w in session.scalars(
                    select(WorkingGroup).where(WorkingGroup.retired_at.is_(None))
                )
            },
            "panel": {
                p.slug: (p.name_nl, p.name_en)
                for p in session.scalars(select(Panel).where(Panel.retired_at.is_(None)))
            },
            "network": {
                n.slug: (n.name, n.name_en or n.name)
                for n in session.scalars(select(Network).where(Network.retired_at.is_(None)))
            },
        }
    return EntityNames(names)
