"""A condition's route card with each place's town and distance (no view: the
condition page and the search results use it)."""

from __future__ import annotations

from directory.expertise.queries import ExpertiseQueries
from directory.expertise.route_card import RouteCard, RoutePlace, route_card
from directory.expertise.views import ConditionExpertise, InstitutionRef
from search.engine import GeoPoint
from web.location import sites_km


def located_route_card(
    queries: ExpertiseQueries, expertise: ConditionExpertise, origin: GeoPoint | None
) -> RouteCard:
    """The route card of a condition, with each place's town and, when ``origin`` is
    known, its distance from there (then the nearest come first)."""
    named = {
        i.slug for s in expertise.sections for a in s.items for i in a.designation.institutions
    }
    sites = queries.main_sites(named)

    def city(inst: InstitutionRef) -> str | None:
        return next((p.city for p in sites.get(inst.slug, ()) if p.city), None)

    def distance(inst: InstitutionRef) -> float | None:
        assert origin is not None
        return sites_km(origin, sites.get(inst.slug, ()))

    return route_card(
        expertise,
        city=city,
        distance=distance if origin is not None else None,
        umbrella=queries.umbrella_groups(),
    )


def nearest_place(queries: ExpertiseQueries, orphacode: int, origin: GeoPoint) -> RoutePlace | None:
    """The nearest hospital on a condition's route card (for a search result)."""
    card = located_route_card(queries, queries.for_condition(orphacode), origin)
    placed = [p for p in card.places if p.distance_km is not None]
    return min(placed, key=lambda p: p.distance_km or 0.0) if placed else None
