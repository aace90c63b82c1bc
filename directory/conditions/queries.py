"""Read side of the catalogue: typed, immutable views for pages and indexing.

Nothing here writes. Views are frozen dataclasses so templates can do no lazy
loading or I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Executable, Integer, bindparam, func, or_, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import BindParameter

from directory.conditions.lay_terms import LayTermView, lay_terms_by_code
from directory.conditions.models import (
    Classification,
    ClassificationEdge,
    Condition,
    ConditionDefinition,
    ConditionName,
    ConditionRedirect,
    CrossReference,
    ImportRun,
    ProposedSummary,
    SourceRelease,
)
from directory.conditions.zero_results import ZeroResultView, zero_results
from directory.places.geo import GazetteerView, load_gazetteer


@dataclass(frozen=True)
class Text:
    """A piece of catalogue text and the language it is really in."""

    value: str
    lang: str
    origin: str = "orphanet"


@dataclass(frozen=True)
class NameView:
    text: str
    lang: str
    kind: str  # preferred | synonym
    origin: str  # orphanet | editorial
    proposed: bool = False  # an editorial translation no editor has approved yet


@dataclass(frozen=True)
class ConditionRef:
    orphacode: int
    level: str | None
    status: str
    names: dict[str, Text]  # lang -> preferred name actually available

    def title(self, lang: str) -> Text:
        return self.names.get(lang) or self.names.get("en") or Text(f"ORPHA:{self.orphacode}", "en")


@dataclass(frozen=True)
class ReleaseView:
    id: int
    source: str
    version: str
    release_date: dt.date | None
    language: str | None
    licence: str
    attribution: str
    file_name: str
    url: str | None
    imported_at: dt.datetime


@dataclass(frozen=True)
class CrossRefView:
    system: str
    code: str
    relation: str | None
    origin: str = "orphanet"  # orphanet | editorial


@dataclass(frozen=True)
class ConditionDetail:
    ref: ConditionRef
    disorder_type: str | None
    names: tuple[NameView, ...]
    definitions: dict[str, Text]
    parents: tuple[ConditionRef, ...]
    children: tuple[ConditionRef, ...]
    redirects_to: tuple[tuple[ConditionRef, str], ...]
    redirected_from: tuple[tuple[ConditionRef, str], ...]
    xrefs: tuple[CrossRefView, ...]
    releases: tuple[ReleaseView, ...]

    @property
    def orphacode(self) -> int:
        return self.ref.orphacode

    def synonyms(self, lang: str) -> tuple[NameView, ...]:
        title = self.ref.title(lang).value
        return tuple(n for n in self.names if n.lang == lang and n.text != title)


@dataclass(frozen=True)
class ConditionIndexRow:
    """Everything the search index needs about one condition."""

    orphacode: int
    level: str | None
    status: str
    disorder_type: str | None
    names: tuple[NameView, ...]
    definitions: dict[str, str]
    xrefs: tuple[CrossRefView, ...]
    parents: tuple[int, ...]
    children: tuple[int, ...]
    redirects_to: tuple[int, ...]


def _release_view(r: SourceRelease) -> ReleaseView:
    return ReleaseView(
        id=r.id,
        source=r.source,
        version=r.version,
        release_date=r.release_date,
        language=r.language,
        licence=r.licence,
        attribution=r.attribution,
        file_name=r.file_name,
        url=r.url,
        imported_at=r.imported_at,
    )


def preferred_names(names: list[ConditionName] | tuple[NameView, ...]) -> dict[str, Text]:
    """Per language, the preferred name: Orphanet's official one before ours."""
    result: dict[str, Text] = {}
    rank = {"orphanet": 0, "editorial": 1}
    best: dict[str, int] = {}
    for n in names:
        if n.kind != "preferred":
            continue
        r = rank.get(n.origin, 9)
        if n.lang not in best or r < best[n.lang]:
            best[n.lang] = r
            # "proposed" marks a translation no editor has approved yet
            result[n.lang] = Text(n.text, n.lang, "proposed" if n.proposed else n.origin)
    return result


@dataclass(frozen=True)
class _DetailQueries:
    """The statements of :meth:`CatalogueQueries.condition`, parameter ``code``."""

    names: Executable
    definitions: Executable
    edges: Executable
    redirects: Executable


@functools.cache
def _detail_queries() -> _DetailQueries:
    # Built once: building these statements per request cost more than running them.
    code: BindParameter[int] = bindparam("code", type_=Integer)
    return _DetailQueries(
        names=select(
            ConditionName.text,
            ConditionName.lang,
            ConditionName.kind,
            ConditionName.origin,
            ConditionName.release_id,
            ConditionName.proposed,
        )
        .where(ConditionName.orphacode == code)
        .order_by(ConditionName.lang, ConditionName.kind, ConditionName.text),
        definitions=select(
            ConditionDefinition.text, ConditionDefinition.lang, ConditionDefinition.origin
        ).where(ConditionDefinition.orphacode == code),
        edges=select(
            ClassificationEdge.parent_code,
            ClassificationEdge.child_code,
            ClassificationEdge.position,
        ).where(or_(ClassificationEdge.child_code == code, ClassificationEdge.parent_code == code)),
        redirects=select(
            ConditionRedirect.from_code, ConditionRedirect.to_code, ConditionRedirect.kind
        ).where(or_(ConditionRedirect.from_code == code, ConditionRedirect.to_code == code)),
    )


@functools.cache
def _condition_refs_query() -> Executable:
    # Built once (parameter ``codes``): building it costs more than running it.
    return (
        select(
            Condition.orphacode,
            Condition.level,
            Condition.status,
            ConditionName.text,
            ConditionName.lang,
            ConditionName.origin,
            ConditionName.proposed,
        )
        .outerjoin(
            ConditionName,
            (ConditionName.orphacode == Condition.orphacode) & (ConditionName.kind == "preferred"),
        )
        .where(Condition.orphacode.in_(bindparam("codes", expanding=True)))
    )


def condition_refs(session: Session, codes: Iterable[int]) -> dict[int, ConditionRef]:
    """Refs of the conditions ``codes`` that exist, with their preferred names, in one query."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = session.execute(_condition_refs_query(), {"codes": list(wanted)})
    conds: dict[int, tuple[str | None, str]] = {}
    names: dict[int, list[NameView]] = defaultdict(list)
    for code, level, status, text, lang, origin, proposed in rows:
        conds[code] = (level, status)
        if text is not None:
            names[code].append(NameView(text, lang, "preferred", origin, bool(proposed)))
    return {
        code: ConditionRef(code, level, status, preferred_names(tuple(names[code])))
        for code, (level, status) in conds.items()
    }


class CatalogueQueries:
    """Read-only access to the catalogue."""

    def proposed_summary(self, orphacode: int) -> dict[str, str]:
        """The editors' drafted plain-language summary per language (not yet approved)."""
        with self._sessions() as session:
            return dict(
                session.execute(
                    select(ProposedSummary.lang, ProposedSummary.text).where(
                        ProposedSummary.orphacode == orphacode
                    )
                ).all()
            )

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def _refs(self, session: Session, codes: set[int]) -> dict[int, ConditionRef]:
        if not codes:
            return {}
        return condition_refs(session, codes)

    def condition(self, orphacode: int) -> ConditionDetail | None:
        with self._sessions() as session:
            cond = session.get(Condition, orphacode)
            if cond is None:
                return None
            # Plain columns, not ORM objects, for the many small rows of a page.
            q, code = _detail_queries(), {"code": orphacode}
            name_rows = session.execute(q.names, code).all()
            definitions = {
                lang: Text(text, lang, origin)
                for text, lang, origin in session.execute(q.definitions, code)
            }
            # Parents and children in one round trip; a child's place is its first position.
            parent_codes: list[int] = []
            child_position: dict[int, int] = {}
            for parent, child, position in session.execute(q.edges, code):
                if child == orphacode and parent not in parent_codes:
                    parent_codes.append(parent)
                if parent == orphacode:
                    known = child_position.get(child)
                    if known is None or position < known:
                        child_position[child] = position
            child_codes = sorted(child_position, key=lambda c: (child_position[c], c))
            # Redirects from and to this code, also in one round trip.
            to_rows: list[tuple[int, str]] = []
            from_rows: list[tuple[int, str]] = []
            for from_code, to_code, kind in session.execute(q.redirects, code):
                if from_code == orphacode:
                    to_rows.append((to_code, kind))
                if to_code == orphacode:
                    from_rows.append((from_code, kind))
            refs = self._refs(
                session,
                {orphacode, *parent_codes, *child_codes}
                | {c for c, _ in to_rows}
                | {c for c, _ in from_rows},
            )
            xrefs = tuple(
                CrossRefView(system, code, relation)
                for system, code, relation in session.execute(
                    select(CrossReference.system, CrossReference.code, CrossReference.relation)
                    # The page shows Orphanet's mappings; the editorial ICD-10 table is
                    # for search only (its rows are broad group mappings).
                    .where(
                        CrossReference.orphacode == orphacode,
                        CrossReference.origin == "orphanet",
                    )
                    .order_by(CrossReference.system, CrossReference.code)
                )
            )
            release_ids = {n.release_id for n in name_rows} | {cond.release_id}
            releases = tuple(
                _release_view(r)
                for r in session.scalars(
                    select(SourceRelease)
                    .where(SourceRelease.id.in_(release_ids))
                    .order_by(SourceRelease.source, SourceRelease.release_date)
                )
            )
            return ConditionDetail(
                ref=refs[orphacode],
                disorder_type=cond.disorder_type,
                names=tuple(
                    NameView(n.text, n.lang, n.kind, n.origin, n.proposed) for n in name_rows
                ),
                definitions=definitions,
                parents=tuple(
                    sorted((refs[c] for c in parent_codes), key=lambda r: r.title("en").value)
                ),
                children=tuple(refs[c] for c in child_codes),
                redirects_to=tuple((refs[c], k) for c, k in to_rows),
                redirected_from=tuple((refs[c], k) for c, k in from_rows),
                xrefs=xrefs,
                releases=releases,
            )

    def successor(self, orphacode: int) -> int | None:
        """Where an inactive code points now, following chains of redirects."""
        with self._sessions() as session:
            seen = {orphacode}
            code = orphacode
            while True:
                row = session.execute(
                    select(ConditionRedirect.to_code)
                    .where(ConditionRedirect.from_code == code)
                    .order_by(ConditionRedirect.kind)  # moved_to before referred_to
                ).first()
                if row is None or row[0] in seen:
                    return code if code != orphacode else None
                code = row[0]
                seen.add(code)
                cond = session.get(Condition, code)
                if cond is not None and cond.status == "active":
                    return code

    def releases(self) -> tuple[ReleaseView, ...]:
        with self._sessions() as session:
            return tuple(
                _release_view(r)
                for r in session.scalars(
                    select(SourceRelease).order_by(SourceRelease.source, SourceRelease.release_date)
                )
            )

    def classifications(self) -> tuple[tuple[int, str, int], ...]:
        """(id, name, number of edges) for each classification."""
        with self._sessions() as session:
            rows = session.execute(
                select(Classification.id, Classification.name, func.count())
                .join(ClassificationEdge, ClassificationEdge.classification_id == Classification.id)
                .group_by(Classification.id, Classification.name)
            ).all()
            return tuple((r[0], r[1], r[2]) for r in rows)

    # -- search support (lay terms, gazetteer, zero-result log) ---------------------

    def lay_terms(self) -> dict[int, tuple[LayTermView, ...]]:
        """Lay terms per ORPHAcode (see :mod:`directory.conditions.lay_terms`)."""
        return lay_terms_by_code(self._sessions)

    def gazetteer(self) -> GazetteerView:
        """Postcodes and places with coordinates (see :mod:`directory.places.geo`)."""
        return load_gazetteer(self._sessions)

    def zero_results(self, limit: int = 50) -> tuple[ZeroResultView, ...]:
        """Most frequent searches without results (see :mod:`directory.conditions.zero_results`)."""
        return zero_results(self._sessions, limit)

    def count_conditions(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(Condition)) or 0

    def import_runs(self, limit: int = 50) -> tuple[ImportRun, ...]:
        with self._sessions() as session:
            runs = tuple(
                session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit))
            )
            session.expunge_all()
            return runs

    def conditions_for_index(self) -> Iterator[ConditionIndexRow]:
        """All conditions with names, definitions, codes and neighbours, in bulk."""
        with self._sessions() as session:
            names: dict[int, list[NameView]] = defaultdict(list)
            for n in session.scalars(
                select(ConditionName).order_by(ConditionName.orphacode, ConditionName.id)
            ):
                names[n.orphacode].append(NameView(n.text, n.lang, n.kind, n.origin, n.proposed))
            defs: dict[int, dict[str, str]] = defaultdict(dict)
            for d in session.scalars(select(ConditionDefinition)):
                defs[d.orphacode][d.lang] = d.text
            xrefs: dict[int, list[CrossRefView]] = defaultdict(list)
            for x in session.scalars(select(CrossReference)):
                xrefs[x.orphacode].append(CrossRefView(x.system, x.code, x.relation, x.origin))
            parents: dict[int, set[int]] = defaultdict(set)
            children: dict[int, set[int]] = defaultdict(set)
            for p, c in session.execute(
                select(ClassificationEdge.parent_code, ClassificationEdge.child_code)
            ):
                parents[c].add(p)
                children[p].add(c)
            redirects: dict[int, list[int]] = defaultdict(list)
            for f, t in session.execute(
                select(ConditionRedirect.from_code, ConditionRedirect.to_code)
            ):
                redirects[f].append(t)
            for cond in session.scalars(select(Condition).order_by(Condition.orphacode)):
                c = cond.orphacode
                yield ConditionIndexRow(
                    orphacode=c,
                    level=cond.level,
                    status=cond.status,
                    disorder_type=cond.disorder_type,
                    names=tuple(names[c]),
                    definitions=defs[c],
                    xrefs=tuple(xrefs[c]),
                    parents=tuple(sorted(parents[c])),
                    children=tuple(sorted(children[c])),
                    redirects_to=tuple(redirects[c]),
                )
