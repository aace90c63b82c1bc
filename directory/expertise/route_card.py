"""The answer first: where to go for a condition, in one to three named places.

:func:`route_card` reads a condition's harmonised expertise
(:class:`~directory.expertise.views.ConditionExpertise`) and picks the places a
patient can be sent to: institutions that a *sourced* designation names as a centre
(an ECZA recognition, a SONCOS reference centre or another expertise centre a public
source names), for the condition itself first and then for its groups, the strongest
basis and the surest source first, the nearest first when the visitor's location is
known. When no source names a centre, the card gives the route that exists instead:
national panels, working groups, the centre for children. ERN memberships are never
places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from directory.conditions.queries import ConditionRef
from directory.expertise.views import (
    AppliedDesignation,
    ConditionExpertise,
    EntityRef,
    InstitutionRef,
)
from directory.vocabulary import SOURCED

MAX_PLACES = 3
# The stronger the basis, the earlier a place: a recognition by the ministry, then a
# national centre or reference centre, then other named expertise centres.
BASIS_RANK = {
    "ecza": 0,
    "national_centre": 1,
    "reference_centre": 2,
    "enets_centre_of_excellence": 3,
    "expertise_centre": 4,
    "soncos_reference_centre": 5,
}
CERTAINTY_RANK: dict[str, int] = {"confirmed": 0, "reported": 1}
assert set(CERTAINTY_RANK) == set(SOURCED)


@dataclass(frozen=True)
class RoutePlace:
    """One named place: the institution, where, why it counts, how sure, who says so."""

    institution: InstitutionRef
    city: str | None
    distance_km: float | None
    basis: str  # a key of BASIS_RANK
    own: bool  # for this very condition (else for a group it belongs to)
    via: ConditionRef | None  # the group, when not own
    certainty: str | None
    said_by: tuple[str, ...]  # the publishers of its sources


@dataclass(frozen=True)
class RouteCard:
    places: tuple[RoutePlace, ...]  # at most MAX_PLACES
    more: int  # further named institutions, not on the card
    panels: tuple[EntityRef, ...]  # national panels that advise on the condition
    working_groups: tuple[EntityRef, ...]
    children: tuple[InstitutionRef, ...]  # the centre for children, when there is one
    unnamed_recognitions: bool  # a source says centres exist without naming them

    @property
    def has_places(self) -> bool:
        return bool(self.places)


def _basis(a: AppliedDesignation) -> str:
    d = a.designation
    if d.kind == "expertise_centre" and d.level in BASIS_RANK:
        return d.level
    return d.kind


Distance = Callable[[InstitutionRef], float | None]
City = Callable[[InstitutionRef], str | None]


def route_card(
    expertise: ConditionExpertise,
    *,
    city: City = lambda _i: None,
    distance: Distance | None = None,
    umbrella: frozenset[str] = frozenset(),
) -> RouteCard:
    """The card for one condition; ``distance`` (km from the visitor) orders by nearness;
    ``umbrella`` are working groups that cover every rare tumour (not a route of their own)."""
    best: dict[str, tuple[tuple[object, ...], AppliedDesignation, InstitutionRef]] = {}
    for section in expertise.sections:
        for a in section.items:
            d = a.designation
            if a.relation == "descendant" or not (d.names_centre and d.sourced):
                continue
            for inst in d.institutions:
                if inst.status != "active":
                    continue
                rank = (
                    a.relation != "own",
                    a.distance,
                    BASIS_RANK.get(_basis(a), 9),
                    CERTAINTY_RANK.get(d.certainty or "", 9),
                )
                if inst.slug not in best or rank < best[inst.slug][0]:
                    best[inst.slug] = (rank, a, inst)
    distances = {
        slug: (distance(inst) if distance is not None else None)
        for slug, (_r, _a, inst) in best.items()
    }

    def order(slug: str) -> tuple[object, ...]:
        rank = best[slug][0]
        km = distances[slug]
        # With a location: the nearest among the places of the same closeness to the
        # condition (own before group); without: the strongest basis first.
        if distance is not None:
            return (rank[0], rank[1], km if km is not None else float("inf"), rank[2:], slug)
        return (*rank, best[slug][2].name, slug)

    chosen = sorted(best, key=order)
    places = tuple(
        RoutePlace(
            institution=inst,
            city=city(inst),
            distance_km=distances[slug],
            basis=_basis(a),
            own=a.relation == "own",
            via=a.via,
            certainty=a.designation.certainty,
            said_by=tuple(
                dict.fromkeys(
                    s.document.publisher for s in a.designation.sources if s.document is not None
                )
            ),
        )
        for slug in chosen[:MAX_PLACES]
        for _rank, a, inst in (best[slug],)
    )
    panels: list[EntityRef] = []
    groups: list[EntityRef] = []
    for section in expertise.sections:
        for a in section.items:
            d = a.designation
            if a.relation == "descendant" or d.population == "children":
                continue
            if d.kind == "panel" and d.panel is not None and d.level == "national":
                panels.append(d.panel)
            elif (
                d.kind == "working_group_centre"
                and d.working_group is not None
                and d.working_group.slug not in umbrella
            ):
                groups.append(d.working_group)
    children = tuple(
        dict.fromkeys(i for a in expertise.for_children for i in a.designation.institutions)
    )
    return RouteCard(
        places=places,
        more=max(0, len(chosen) - MAX_PLACES),
        panels=tuple(dict.fromkeys(panels)),
        working_groups=tuple(dict.fromkeys(groups)),
        children=children,
        unnamed_recognitions=expertise.unnamed_recognitions,
    )
