"""Read side of the open-data download: the catalogue as flat rows with their provenance.

Each row says where each of its facts came from: the source release (name, version,
date, licence) of the English name, of the Dutch name and of the classification facts.
Nothing here writes; rows are frozen dataclasses that the web layer turns into CSV/JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.models import (
    ClassificationEdge,
    Condition,
    ConditionName,
    ConditionRedirect,
    SourceRelease,
)
from directory.conditions.queries import ReleaseView, _release_view
from directory.expertise.models import (
    Designation,
    DesignationCondition,
    DesignationInstitution,
    Institution,
    Network,
    Panel,
    WorkingGroup,
)
from directory.expertise.provenance import load_registry, sources_text


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
    expertise: tuple[ExpertiseExportRow, ...] = ()

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
        conditions = tuple(_rows(session))
    return CatalogueExport(releases, conditions, expertise_export(sessions))


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


def count_active(sessions: sessionmaker[Session]) -> int:
    """How many codes are in use."""
    with sessions() as session:
        return (
            session.scalar(
                select(func.count()).select_from(Condition).where(Condition.status == "active")
            )
            or 0
        )


def entity_slugs(sessions: sessionmaker[Session]) -> tuple[tuple[str, str], ...]:
    """(kind, slug) of every live institution, panel, working group and network: the
    entity pages for the sitemap."""
    out: list[tuple[str, str]] = []
    with sessions() as session:
        for kind, model in (
            ("institution", Institution),
            ("panel", Panel),
            ("working_group", WorkingGroup),
            ("network", Network),
        ):
            slugs = session.scalars(
                select(model.slug).where(model.retired_at.is_(None)).order_by(model.slug)
            )
            out += [(kind, s) for s in slugs]
    return tuple(out)


@dataclass(frozen=True)
class ExpertiseExportRow:
    """One expertise fact for one institution and one ORPHAcode, with where it is stated."""

    designation_id: int
    kind: str  # ecza | soncos_reference_centre | panel | working_group_centre | ...
    level: str | None
    label_nl: str | None
    label_en: str | None
    institution_slug: str
    institution_name: str
    orphacode: int | None
    source_code: int | None  # the code the source used, when it was an older one
    valid_from: dt.date | None
    valid_until: dt.date | None
    certainty: str | None
    source_ref: str
    source_version: str | None
    source_section: str | None
    checked_on: dt.date | None
    release_id: int


def expertise_export(sessions: sessionmaker[Session]) -> tuple[ExpertiseExportRow, ...]:
    """Every live designation, one row per (institution, ORPHAcode)."""
    with sessions() as session:
        registry = load_registry(session)
        institutions = {i.id: (i.slug, i.name) for i in session.scalars(select(Institution))}
        links: dict[int, list[int]] = defaultdict(list)
        for di in session.scalars(
            select(DesignationInstitution).order_by(
                DesignationInstitution.designation_id, DesignationInstitution.position
            )
        ):
            links[di.designation_id].append(di.institution_id)
        codes: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
        for dc in session.scalars(
            select(DesignationCondition).order_by(
                DesignationCondition.designation_id, DesignationCondition.orphacode
            )
        ):
            codes[dc.designation_id].append((dc.orphacode, dc.source_code))
        rows: list[ExpertiseExportRow] = []
        for d in session.scalars(
            select(Designation).where(Designation.retired_at.is_(None)).order_by(Designation.id)
        ):
            pairs: list[tuple[int | None, int | None]] = [*codes[d.id]] or [(None, None)]
            for inst_id in links[d.id]:
                slug, name = institutions[inst_id]
                for code, source_code in pairs:
                    rows.append(
                        ExpertiseExportRow(
                            designation_id=d.id,
                            kind=d.kind,
                            level=d.level,
                            label_nl=d.label_nl,
                            label_en=d.label_en,
                            institution_slug=slug,
                            institution_name=name,
                            orphacode=code,
                            source_code=source_code,
                            valid_from=d.valid_from,
                            valid_until=d.valid_until,
                            certainty=d.certainty,
                            # who states it, the page's title and date, and its link
                            source_ref=sources_text(d.sources, registry) or d.source_ref,
                            source_version=d.source_version,
                            source_section=d.source_section,
                            checked_on=d.checked_on,
                            release_id=d.release_id,
                        )
                    )
        return tuple(rows)
