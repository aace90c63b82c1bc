"""Coverage: for how many rare cancers does the directory name a sourced centre?

Every active condition of the Orphanet classification falls in one class:

* ``own``: a sourced designation on the condition itself names a centre (an ECZA
  recognition, a SONCOS reference centre or another expertise centre a public source
  names, for everyone or for adults, not expired);
* ``group``: such a centre is named for one of its groups (and the group's scope does
  not exclude it);
* ``route``: no named centre, but a route: a panel, a working group, a SONCOS norm or a
  recognition whose centres the source does not name, an unconfirmed centre, or the
  route for children (the children's centre is a place for children, not the adults');
* ``none``: nothing at all.

Not counted as a centre or a route: ERN memberships (a fact about an institution, not
about the condition) and the two umbrella platforms that cover every rare tumour (DRCP,
PZK).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.conditions.graph import ClassificationGraph
from directory.conditions.models import ClassificationEdge, Condition
from directory.conditions.queries import ConditionRef, condition_refs
from directory.expertise.harmonisation import designation_reach
from directory.expertise.models import (
    Designation,
    DesignationInstitution,
    EuracanDomain,
    Institution,
    PriorityCondition,
    ScopeCondition,
    ScopeExclusion,
    WorkingGroup,
)
from directory.expertise.views import EntityRef, Localised
from directory.vocabulary import CENTRE_KINDS, COVERAGES, SOURCED, Coverage, WorkingGroupKind

CLASSES = COVERAGES
# Working groups that cover every rare tumour: a platform is not a route to expertise.
UMBRELLA_GROUP_KINDS: tuple[WorkingGroupKind, ...] = ("platform", "patient_platform")


@dataclass(frozen=True)
class ConditionCoverage:
    condition: ConditionRef
    coverage: Coverage
    centres: tuple[str, ...]  # slugs of the named institutions (own or through a group)
    topic: Localised | None = None  # for conditions of the priority list


@dataclass(frozen=True)
class DomainCoverage:
    """One EURACAN domain: how many of its conditions are in each class."""

    domain: EntityRef
    counts: dict[str, int]
    without_centre: tuple[ConditionRef, ...]  # route or none, by name

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class CoverageReport:
    on: dt.date
    counts: dict[str, int]  # the active conditions of the classification per class
    priority: tuple[ConditionCoverage, ...]  # the conditions people look up most
    priority_counts: dict[str, int]
    nothing: tuple[ConditionRef, ...]  # class "none"
    domains: tuple[DomainCoverage, ...]
    children_route: int  # conditions the route for children reaches

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class CoverageQueries:
    """Read-only: the coverage report of the current catalogue."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def classes(self, today: dt.date | None = None) -> dict[int, Coverage]:
        """The class of every active condition of the classification."""
        today = today or dt.date.today()
        with self._sessions() as session:
            graph = ClassificationGraph(session)
            return self._classify(session, graph, self._population(session), today)[0]

    def report(self, today: dt.date | None = None) -> CoverageReport:
        today = today or dt.date.today()
        with self._sessions() as session:
            graph = ClassificationGraph(session)
            population = self._population(session)
            classes, centres, children = self._classify(session, graph, population, today)
            refs = condition_refs(session, population)
            counts = Counter(classes.values())
            priority_rows = list(
                session.scalars(select(PriorityCondition).order_by(PriorityCondition.position))
            )
            extra = condition_refs(session, [p.orphacode for p in priority_rows])
            priority = tuple(
                ConditionCoverage(
                    condition=extra[p.orphacode],
                    coverage=classes.get(p.orphacode, "none"),
                    centres=centres.get(p.orphacode, ()),
                    topic=Localised(p.topic_nl, p.topic_en),
                )
                for p in priority_rows
                if p.orphacode in extra
            )
            nothing = tuple(
                sorted(
                    (refs[c] for c, k in classes.items() if k == "none"),
                    key=lambda r: r.title("en").value.lower(),
                )
            )
            return CoverageReport(
                on=today,
                counts={k: counts.get(k, 0) for k in CLASSES},
                priority=priority,
                priority_counts={k: sum(1 for p in priority if p.coverage == k) for k in CLASSES},
                nothing=nothing,
                domains=self._domains(session, graph, classes, refs),
                children_route=len(children & set(population)),
            )

    @staticmethod
    def _population(session: Session) -> list[int]:
        """Active conditions that are in the classification (as parent or child)."""
        codes: set[int] = set()
        for parent, child in session.execute(
            select(ClassificationEdge.parent_code, ClassificationEdge.child_code)
        ):
            codes.update((parent, child))
        active = set(
            session.scalars(
                select(Condition.orphacode).where(
                    Condition.status == "active", Condition.orphacode.in_(codes)
                )
            )
        )
        return sorted(active)

    @staticmethod
    def _classify(
        session: Session, graph: ClassificationGraph, population: list[int], today: dt.date
    ) -> tuple[dict[int, Coverage], dict[int, tuple[str, ...]], set[int]]:
        """Class and named centres per condition, and the codes the children's route reaches."""
        umbrella = set(
            session.scalars(
                select(WorkingGroup.id).where(WorkingGroup.kind.in_(UMBRELLA_GROUP_KINDS))
            )
        )
        active_institutions = dict(
            session.execute(
                select(Institution.id, Institution.slug).where(Institution.status == "active")
            ).all()
        )
        named: dict[int, list[str]] = defaultdict(list)
        for des_id, inst_id in session.execute(
            select(DesignationInstitution.designation_id, DesignationInstitution.institution_id)
        ):
            if inst_id in active_institutions:
                named[des_id].append(active_institutions[inst_id])
        centre_ids: set[int] = set()
        route_ids: set[int] = set()
        children_ids: set[int] = set()
        for d in session.scalars(select(Designation).where(Designation.retired_at.is_(None))):
            expired = d.valid_until is not None and d.valid_until < today
            if d.population == "children":
                children_ids.add(d.id)
            elif d.kind == "ern_member" or d.working_group_id in umbrella:
                continue
            elif (
                d.kind in CENTRE_KINDS
                and named.get(d.id)
                and d.certainty in SOURCED
                and not expired
            ):
                centre_ids.add(d.id)
            else:
                route_ids.add(d.id)
        own, reached = designation_reach(session, graph, centre_ids | route_ids | children_ids)
        classes: dict[int, Coverage] = {}
        centres: dict[int, tuple[str, ...]] = {}
        for code in population:
            mine = own.get(code, set())
            via = reached.get(code, set())
            if mine & centre_ids:
                classes[code] = "own"
            elif via & centre_ids:
                classes[code] = "group"
            elif via & (route_ids | children_ids):
                classes[code] = "route"
            else:
                classes[code] = "none"
            found = {s for d in via & centre_ids for s in named[d]}
            if found:
                centres[code] = tuple(sorted(found))
        children = {c for c, ds in reached.items() if ds & children_ids}
        return classes, centres, children

    @staticmethod
    def _domains(
        session: Session,
        graph: ClassificationGraph,
        classes: dict[int, Coverage],
        refs: dict[int, ConditionRef],
    ) -> tuple[DomainCoverage, ...]:
        out = []
        for d in session.scalars(
            select(EuracanDomain)
            .where(EuracanDomain.retired_at.is_(None))
            .order_by(EuracanDomain.position)
        ):
            tops = set(
                session.scalars(
                    select(ScopeCondition.orphacode).where(
                        ScopeCondition.owner_kind == "euracan_domain",
                        ScopeCondition.owner_id == d.id,
                    )
                )
            )
            excluded = frozenset(
                session.scalars(
                    select(ScopeExclusion.orphacode).where(
                        ScopeExclusion.owner_kind == "euracan_domain",
                        ScopeExclusion.owner_id == d.id,
                    )
                )
            )
            members = {
                c
                for top in tops
                for c in (top, *graph.descendants(top))
                if c in classes and not graph.excluded(c, excluded)
            }
            counts = Counter(classes[c] for c in members)
            without = sorted(
                (refs[c] for c in members if classes[c] in ("route", "none")),
                key=lambda r: r.title("en").value.lower(),
            )
            out.append(
                DomainCoverage(
                    domain=EntityRef("domain", d.slug, Localised(d.name_nl, d.name_en), d.code),
                    counts={k: counts.get(k, 0) for k in CLASSES},
                    without_centre=tuple(without),
                )
            )
        return tuple(out)
