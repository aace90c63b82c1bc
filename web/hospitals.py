"""Hospitals placed for the visitor: each with its town, its distance from the postcode or
town the visitor gave (``near``), nearest first, and the small map that shows them.

Panel, network and condition pages use it, so a hospital's town, distance and map point
are worked out the same way everywhere: from its current hospital sites (not outpatient
clinics), the nearest site counting.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from babel.numbers import format_decimal

from directory.expertise.queries import ExpertiseQueries
from directory.expertise.views import InstitutionRef
from directory.paths import entity_path
from search.engine import Location
from web.location import location_label, sites_km, with_near
from web.map import Site, SiteMap, site_map


@dataclass(frozen=True)
class PlacedHospital:
    institution: InstitutionRef
    city: str | None
    distance_km: float | None  # None: no place given, or the hospital has no known site


@dataclass(frozen=True)
class PlacedHospitals:
    hospitals: tuple[PlacedHospital, ...]  # nearest first when a place was understood
    site_map: SiteMap
    near: str = ""  # the place as typed
    near_label: str | None = None  # as understood, "9712 (Groningen)"; None: not understood


def km_text(km: float, lang: str) -> str:
    """A distance for a page: "12,5 km" (Dutch) or "12.5 km" (English)."""
    return f"{format_decimal(round(km, 1), format='#,##0.#', locale=lang)} km"


def place_hospitals(
    queries: ExpertiseQueries,
    refs: Iterable[InstitutionRef],
    lang: str,
    near: str = "",
    location: Location | None = None,
    *,
    nearest_first: bool = True,
) -> PlacedHospitals:
    """``refs`` (duplicates dropped) with towns and, when ``location`` is known, distances,
    nearest first unless ``nearest_first`` is False; the map numbers them in that order."""
    unique = list({r.slug: r for r in refs}.values())
    sites = queries.main_sites(r.slug for r in unique)
    placed = [
        PlacedHospital(
            ref,
            next((s.city for s in sites.get(ref.slug, ()) if s.city), None),
            sites_km(location.point, sites.get(ref.slug, ())) if location else None,
        )
        for ref in unique
    ]
    if location is not None and nearest_first:
        placed.sort(key=lambda h: (h.distance_km is None, h.distance_km or 0.0))
    points = []
    for h in placed:
        first = next(iter(sites.get(h.institution.slug, ())), None)
        title = h.institution.title(lang)
        points.append(
            Site(
                name=title.value,
                name_lang=title.lang if title.lang != lang else "",
                lat=first.lat if first and first.lat is not None else math.nan,
                lon=first.lon if first and first.lon is not None else math.nan,
                place=h.city or "",
                distance=km_text(h.distance_km, lang) if h.distance_km is not None else "",
                url=with_near(entity_path("institution", h.institution.slug, lang), near),
            )
        )
    label = location_label(location) if location else None
    origin = (
        Site(name=label or near, lat=location.point.lat, lon=location.point.lon)
        if location
        else None
    )
    return PlacedHospitals(tuple(placed), site_map(points, origin), near, label)
