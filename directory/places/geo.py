"""Read side of the gazetteer: Dutch postcodes and place names with coordinates.

The search engines get a :class:`GazetteerView` at construction, so that
"sarcoom 9712" or "sarcoom bij Groningen" can be read as a location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.places.models import GazetteerPlace, GazetteerPostcode
from directory.text import fold


@dataclass(frozen=True)
class Coordinates:
    lat: float
    lon: float


@dataclass(frozen=True)
class PlaceView:
    name: str
    province: str
    point: Coordinates
    postcodes: int


@dataclass(frozen=True)
class PostcodeView:
    postcode: str
    place: str
    point: Coordinates


@dataclass(frozen=True)
class GazetteerView:
    """All postcodes and places, in memory (a few thousand rows)."""

    postcodes: dict[str, PostcodeView] = field(default_factory=dict)
    places: dict[str, PlaceView] = field(default_factory=dict)  # key -> the largest place

    def postcode(self, pc4: str) -> PostcodeView | None:
        return self.postcodes.get(pc4)

    def place(self, name: str) -> PlaceView | None:
        return self.places.get(fold(name))

    @cached_property
    def longest_place_words(self) -> int:
        return max((len(k.split()) for k in self.places), default=0)

    def __bool__(self) -> bool:
        return bool(self.postcodes or self.places)


def load_gazetteer(sessions: sessionmaker[Session]) -> GazetteerView:
    """Read the gazetteer; where a name is used in several provinces, the largest wins."""
    with sessions() as session:
        postcodes = {
            p.postcode: PostcodeView(p.postcode, p.place, Coordinates(p.lat, p.lon))
            for p in session.scalars(select(GazetteerPostcode))
        }
        places: dict[str, PlaceView] = {}
        for pl in session.scalars(
            select(GazetteerPlace).order_by(
                GazetteerPlace.key, GazetteerPlace.postcodes.desc(), GazetteerPlace.province
            )
        ):
            if pl.key not in places:
                places[pl.key] = PlaceView(
                    pl.name, pl.province, Coordinates(pl.lat, pl.lon), pl.postcodes
                )
    return GazetteerView(postcodes=postcodes, places=places)
