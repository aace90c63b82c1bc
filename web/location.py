"""Where the visitor is: a Dutch postcode or town they typed (``near`` in the URL)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urlencode

from search.engine import GeoPoint, Location, SearchEngine
from search.geo import MAX_NEAR_CHARS, NearError, nearest_km


def clean_near(raw: str | None) -> str:
    """The ``near`` parameter as typed: spaces collapsed, at most MAX_NEAR_CHARS."""
    return " ".join((raw or "").split())[:MAX_NEAR_CHARS]


def with_near(url: str, near: str) -> str:
    """``url`` with the visitor's place added, so the next page can show distances too."""
    if not near:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'near': near})}"


def locate(engine: SearchEngine, text: str) -> Location | None:
    """The location the visitor typed, or None when the engine cannot read it."""
    finder = getattr(engine, "locate", None)
    if not text or not callable(finder):
        return None
    try:
        found = finder(text)
    except NearError:
        return None
    return found if isinstance(found, Location) else None


def location_label(location: Location) -> str:
    """The place as understood, for a page: "9712 (Groningen)", or "Zwolle"."""
    if location.place and location.place.casefold() != location.label.casefold():
        return f"{location.label} ({location.place})"
    return location.label


class _Located(Protocol):
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


def sites_km(origin: GeoPoint, sites: Iterable[_Located]) -> float | None:
    """Distance from ``origin`` to the nearest of ``sites`` with coordinates (None: none)."""
    return nearest_km(
        origin, [GeoPoint(s.lat, s.lon) for s in sites if s.lat is not None and s.lon is not None]
    )


def visitor_location(engine: SearchEngine, raw: str | None) -> tuple[str, Location | None]:
    """The ``near`` parameter as typed (cleaned) and the location it names, if understood."""
    near = clean_near(raw)
    return near, (locate(engine, near) if near else None)
