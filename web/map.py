"""The self-hosted map of the Netherlands: one projection shared by the outline and the points.

``scripts/make_map.py`` draws ``static/map/nl.svg`` (an outline derived from the GeoNames
postcode coordinates) in the coordinate system defined here; pages draw their sites on top
of it with :func:`site_map`, so outline and points always line up. Nothing is loaded from
another site: no tiles, no map service.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Bounding box of the drawing, in degrees (WGS84). The Netherlands lies within it with a
# margin, including the Wadden islands and South Limburg.
LON_MIN, LON_MAX = 3.15, 7.35
LAT_MIN, LAT_MAX = 50.65, 53.65
# Equirectangular projection scaled at the country's mean latitude: good to a few per cent
# over an area this small, and trivial to compute in both the script and the pages.
_KX = math.cos(math.radians((LAT_MIN + LAT_MAX) / 2))
SCALE = 100.0  # SVG units per degree of latitude
WIDTH = round((LON_MAX - LON_MIN) * _KX * SCALE, 1)
HEIGHT = round((LAT_MAX - LAT_MIN) * SCALE, 1)
OUTLINE_URL = "/static/map/nl.svg"
ATTRIBUTION = "GeoNames (www.geonames.org), CC BY 4.0"


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG (x, y) of a WGS84 coordinate; y grows downwards."""
    return (
        round((lon - LON_MIN) * _KX * SCALE, 1),
        round((LAT_MAX - lat) * SCALE, 1),
    )


def inside(lat: float, lon: float) -> bool:
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


@dataclass(frozen=True)
class Site:
    """A place to show: a hospital location, a centre, a panel's seat."""

    name: str
    lat: float
    lon: float
    place: str = ""  # town, shown in the list
    url: str | None = None  # link to the site's page, if it has one
    name_lang: str = ""  # language of ``name`` when it is not the page language
    distance: str = ""  # from the visitor, formatted for the page: "12,5 km"


@dataclass(frozen=True)
class MapPoint:
    site: Site
    number: int  # 1-based; the same number labels the point and the list item
    x: float
    y: float


@dataclass(frozen=True)
class SiteMap:
    """What the map macro draws: projected points, plus the sites it could not place."""

    points: tuple[MapPoint, ...]
    unplaced: tuple[Site, ...]
    origin: MapPoint | None = None  # the visitor's postcode or town (number 0), when known
    width: float = WIDTH
    height: float = HEIGHT
    outline_url: str = OUTLINE_URL
    attribution: str = ATTRIBUTION

    @property
    def empty(self) -> bool:
        return not self.points and not self.unplaced


def site_map(sites: Iterable[Site], origin: Site | None = None) -> SiteMap:
    """Number and project ``sites`` (in their given order); sites outside the map stay listed.
    ``origin``: where the visitor is, drawn apart (and left out when off the map)."""
    here = None
    if origin is not None and inside(origin.lat, origin.lon):
        here = MapPoint(origin, 0, *project(origin.lat, origin.lon))
    points: list[MapPoint] = []
    unplaced: list[Site] = []
    for s in sites:
        if math.isfinite(s.lat) and math.isfinite(s.lon) and inside(s.lat, s.lon):
            x, y = project(s.lat, s.lon)
            points.append(MapPoint(s, len(points) + 1, x, y))
        else:
            unplaced.append(s)
    return SiteMap(tuple(points), tuple(unplaced), here)
