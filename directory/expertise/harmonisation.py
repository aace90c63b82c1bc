"""The harmonisation rule: which expertise a condition gets, and in what order.

For a condition, :meth:`Harmonisation.for_condition` returns, per kind of expertise (in a
fixed order), the condition's own designations, those inherited from its ancestors in the
Orphanet classification (labelled inherited, with the group they come from), and, ranked
lower, those of its descendants. When no centre is recognised for the condition itself, it
also returns the next best route: the centres of its groups, national panels, working
groups and its EURACAN domain."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from directory.conditions.graph import ClassificationGraph
from directory.conditions.queries import ConditionRef
from directory.expertise.kinds import CERTAINTY_RANK, RELATION_RANK, SECTION_ORDER
from directory.expertise.models import (
    Designation,
    DesignationCondition,
    DesignationExclusion,
    EuracanDomain,
    ScopeCondition,
)
from directory.expertise.query_base import QueryBase
from directory.expertise.views import (
    AppliedDesignation,
    ConditionExpertise,
    DesignationView,
    EntityRef,
    ExpertiseSection,
    Localised,
    NextBestRoute,
)
from directory.vocabulary import CENTRE_KINDS, Relation


def designation_reach(
    session: Session, graph: ClassificationGraph, ids: set[int]
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """(own, reached): per ORPHAcode, the designations ``ids`` on that very code, and
    those on it or one of its groups, leaving out every code a designation excludes."""
    own: dict[int, set[int]] = defaultdict(set)
    for des_id, code in session.execute(
        select(DesignationCondition.designation_id, DesignationCondition.orphacode)
    ):
        if des_id in ids:
            own[code].add(des_id)
    excluded: dict[int, set[int]] = defaultdict(set)  # code -> designations excluding it
    for des_id, code in session.execute(
        select(DesignationExclusion.designation_id, DesignationExclusion.orphacode)
    ):
        if des_id in ids:
            excluded[code].add(des_id)
            for child in graph.descendants(code):
                excluded[child].add(des_id)
    reached: dict[int, set[int]] = defaultdict(set)
    for code, des in own.items():
        reached[code] |= des
        for child in graph.descendants(code):
            reached[child] |= des - excluded.get(child, set())
    return own, reached


def _rank(a: AppliedDesignation) -> tuple[Any, ...]:
    d = a.designation
    return (
        RELATION_RANK[a.relation],
        a.distance,
        d.expired,
        not d.institutions,
        CERTAINTY_RANK.get(d.certainty, 1),
        (d.label.nl or d.label.en or "").lower(),
        d.id,
    )


def designation_order(d: DesignationView) -> tuple[Any, ...]:
    return (
        SECTION_ORDER.index(d.kind),
        d.expired,
        CERTAINTY_RANK.get(d.certainty, 1),
        (d.label.nl or "").lower(),
        d.id,
    )


class Harmonisation(QueryBase):
    """A condition's harmonised expertise (the rule above)."""

    # -- harmonisation: a condition's expertise ---------------------------------------------------

    def for_condition(self, orphacode: int, today: dt.date | None = None) -> ConditionExpertise:
        """Own, inherited and descendants' designations, per kind in SECTION_ORDER.

        A designation reaches the condition through the classification unless the
        condition (or a group between) is among its exclusions. ERN memberships and the
        route for children are returned apart: they are never the condition's centres.
        """
        today = today or dt.date.today()
        with self._sessions() as session:
            graph = self._graph(session)
            ancestors = graph.ancestors(orphacode)
            descendants = graph.descendants(orphacode)
            related = {orphacode: 0, **ancestors, **descendants}
            links = session.execute(
                select(DesignationCondition.designation_id, DesignationCondition.orphacode)
                .join(Designation, Designation.id == DesignationCondition.designation_id)
                .where(
                    DesignationCondition.orphacode.in_(related), Designation.retired_at.is_(None)
                )
            ).all()
            exclusions = self._exclusions(session, {des_id for des_id, _c in links})
            best: dict[int, tuple[Relation, int, int]] = {}  # designation -> (relation, dist, code)
            for des_id, code in links:
                excluded = exclusions.get(des_id, frozenset())
                if code == orphacode:
                    candidate: tuple[Relation, int, int] = ("own", 0, code)
                elif code in ancestors:
                    if graph.excluded(orphacode, excluded):
                        continue
                    candidate = ("inherited", ancestors[code], code)
                else:
                    if graph.excluded(code, excluded):
                        continue
                    candidate = ("descendant", descendants[code], code)
                current = best.get(des_id)
                if current is None or (RELATION_RANK[candidate[0]], candidate[1]) < (
                    RELATION_RANK[current[0]],
                    current[1],
                ):
                    best[des_id] = candidate
            rows = list(session.scalars(select(Designation).where(Designation.id.in_(best))))
            refs: dict[int, ConditionRef] = {}
            views = self._designation_views(
                session, rows, today, refs, (code for _r, _d, code in best.values())
            )
            applied = [
                AppliedDesignation(
                    designation=views[des_id],
                    relation=relation,
                    via=refs.get(code) if relation != "own" else None,
                    distance=dist,
                )
                for des_id, (relation, dist, code) in best.items()
                # a closed institution is never offered (the importer refuses new ones)
                if all(i.status == "active" for i in views[des_id].institutions)
            ]
            applied.sort(key=_rank)
            for_children = tuple(
                a
                for a in applied
                if a.designation.population == "children" and a.relation != "descendant"
            )
            networks = tuple(
                a
                for a in applied
                if a.designation.kind == "ern_member" and a.relation != "descendant"
            )
            listed = [
                a
                for a in applied
                if a.designation.population != "children" and a.designation.kind != "ern_member"
            ]
            sections = tuple(
                ExpertiseSection(kind, tuple(a for a in listed if a.designation.kind == kind))
                for kind in SECTION_ORDER
                if kind != "ern_member"
            )
            own_centres = [
                a for a in listed if a.relation == "own" and a.designation.kind in CENTRE_KINDS
            ]
            has_centre = any(
                a.designation.names_centre and a.designation.sourced for a in own_centres
            )
            unnamed = any(not a.designation.institutions for a in own_centres)
            domains = self._domains_for(session, {orphacode, *ancestors})
            next_best = None
            if not has_centre:
                next_best = self._next_best(listed, domains, networks)
            return ConditionExpertise(
                orphacode=orphacode,
                sections=sections,
                has_recognised_centre=has_centre,
                unnamed_recognitions=unnamed,
                domains=domains,
                next_best=next_best,
                for_children=for_children,
                networks=networks,
            )

    def _domains_for(self, session: Session, codes: set[int]) -> tuple[EntityRef, ...]:
        owner_ids = select(ScopeCondition.owner_id).where(
            ScopeCondition.owner_kind == "euracan_domain",
            ScopeCondition.orphacode.in_(codes),
        )
        return tuple(
            EntityRef("domain", d.slug, Localised(d.name_nl, d.name_en), d.code)
            for d in session.scalars(
                select(EuracanDomain)
                .where(EuracanDomain.id.in_(owner_ids), EuracanDomain.retired_at.is_(None))
                .order_by(EuracanDomain.position)
            )
        )

    @staticmethod
    def _next_best(
        applied: list[AppliedDesignation],
        domains: tuple[EntityRef, ...],
        networks: tuple[AppliedDesignation, ...],
    ) -> NextBestRoute:
        def centres(relation: str) -> tuple[AppliedDesignation, ...]:
            return tuple(
                a for a in applied if a.relation == relation and a.designation.names_centre
            )

        panels = tuple(
            a.designation.panel
            for a in applied
            if a.designation.kind == "panel"
            and a.relation in ("own", "inherited")
            and a.designation.panel is not None
            and a.designation.level == "national"
        )
        groups = tuple(
            a.designation.working_group
            for a in applied
            if a.designation.kind == "working_group_centre"
            and a.relation in ("own", "inherited")
            and a.designation.working_group is not None
        )
        euracan_members = tuple(
            i
            for a in networks
            if a.designation.ern is not None and a.designation.ern.slug == "euracan"
            for i in a.designation.institutions
        )
        return NextBestRoute(
            group_centres=centres("inherited"),
            related_centres=centres("descendant"),
            panels=tuple(dict.fromkeys(panels)),
            working_groups=tuple(dict.fromkeys(groups)),
            domains=domains,
            euracan_members=tuple(dict.fromkeys(euracan_members)),
        )
