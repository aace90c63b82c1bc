"""Read side for browsing: EURACAN domains and body areas, with the conditions they cover.

A domain or body area names a few ORPHAcodes at its top (its scope); browsing shows those
codes and, one level down, their children in the Orphanet classification. Retired rows
are not shown. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.benign import benign_codes
from directory.conditions.models import ClassificationEdge, Condition, ConditionName
from directory.conditions.queries import ConditionRef, Text, preferred_names
from directory.expertise.models import (
    BodyArea,
    EuracanDomain,
    Institution,
    Network,
    Panel,
    ScopeCondition,
    WorkingGroup,
)

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
    id: int = 0  # row id, for reading its scope

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
    benign: frozenset[int] = frozenset()  # ORPHAcodes on the page that are benign


def _rows(session: Session, kind: str, slug: str | None = None) -> list[BrowseEntry]:
    """Live (not retired) domains or body areas, in their curated order, and their ids."""
    if kind == "euracan_domain":
        d = EuracanDomain
        q = select(
            d.id,
            d.slug,
            d.code,
            d.name_nl,
            d.name_en,
            d.lay_name_nl,
            d.lay_name_en,
            d.notes_nl,
            d.notes_en,
        ).where(d.retired_at.is_(None))
        if slug is not None:
            q = q.where(d.slug == slug)
        rows = session.execute(q.order_by(d.position, d.slug)).all()
    elif kind == "body_area":
        a = BodyArea
        qa = select(
            a.id, a.slug, null(), a.name_nl, a.name_en, null(), null(), a.notes_nl, a.notes_en
        ).where(a.retired_at.is_(None))
        if slug is not None:
            qa = qa.where(a.slug == slug)
        rows = session.execute(qa.order_by(a.position, a.slug)).all()
    else:
        raise ValueError(f"unknown browse kind {kind!r}")
    return [BrowseEntry(kind, *r[1:], id=r[0]) for r in rows]


class BrowseQueries:
    """Read-only access to the domains and body areas."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def entries(self, kind: str) -> tuple[BrowseEntry, ...]:
        with self._sessions() as session:
            return tuple(_rows(session, kind))

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
            shown = set(refs)
            return BrowseDetail(row, nodes, frozenset(benign_codes(session) & shown))


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


ENTITY_NAME_KINDS = ("institution", "euracan_domain", "working_group", "panel", "network")


@dataclass(frozen=True)
class EntityNames:
    """Display names of entities by slug, per kind, for labelling search facets."""

    names: dict[str, dict[str, tuple[str, str]]]  # kind -> slug -> (name_nl, name_en)

    def name(self, kind: str, slug: str, lang: str) -> str | None:
        pair = self.names.get(kind, {}).get(slug)
        if pair is None:
            return None
        return pair[0] if lang == "nl" else pair[1]

    def title(self, kind: str, slug: str, lang: str) -> Text | None:
        """The name in ``lang``, with the language it is really in (an entity without
        an English name shows its Dutch one)."""
        pair = self.names.get(kind, {}).get(slug)
        if pair is None:
            return None
        if lang == "nl" or pair[1] == pair[0]:
            return Text(pair[0], "nl", "curated")
        return Text(pair[1], "en", "curated")


def entity_names(
    sessions: sessionmaker[Session],
    kinds: Iterable[str] = ENTITY_NAME_KINDS,
    slugs: Mapping[str, Collection[str]] | None = None,
) -> EntityNames:
    """Names of live institutions, EURACAN domains, working groups, panels and networks
    (of all of them, or only of ``slugs`` per kind)."""
    columns: dict[str, tuple[Any, Any, Any, Any]] = {
        "institution": (Institution.slug, Institution.name, Institution.name_en, Institution),
        "euracan_domain": (
            EuracanDomain.slug,
            EuracanDomain.name_nl,
            EuracanDomain.name_en,
            EuracanDomain,
        ),
        "working_group": (
            WorkingGroup.slug,
            WorkingGroup.name_nl,
            WorkingGroup.name_en,
            WorkingGroup,
        ),
        "panel": (Panel.slug, Panel.name_nl, Panel.name_en, Panel),
        "network": (Network.slug, Network.name, Network.name_en, Network),
    }
    names: dict[str, dict[str, tuple[str, str]]] = {}
    with sessions() as session:
        for kind in kinds:
            if kind not in columns:
                continue
            slug, nl, en, model = columns[kind]
            query = select(slug, nl, en).where(model.retired_at.is_(None))
            if slugs is not None:
                query = query.where(slug.in_(sorted(slugs.get(kind, ()))))
            rows = session.execute(query)
            names[kind] = {s: (n, e or n) for s, n, e in rows}
    return EntityNames(names)
