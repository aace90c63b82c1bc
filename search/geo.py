"""Locations: Dutch postcodes and place names as coordinates, and distances.

The gazetteer (:class:`directory.places.geo.GazetteerView`) is read from the catalogue
and handed to the engines at construction. A location can come from the
``near`` parameter (:func:`parse_near`) or from the query text itself
("sarcoom 9712", "sarcoom bij Groningen": :func:`find_in_query`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from directory.places.geo import GazetteerView
from directory.text import fold
from search.engine import GeoPoint, Location
from search.lexicon import (
    BODY_SITES,
    LIMB_WORDS,
    LOCATION_FILLER,
    LOCATION_WORDS,
    POSSESSIVES,
    QUESTION_WORDS_EN,
    QUESTION_WORDS_NL,
    STOPWORDS,
)

EARTH_RADIUS_KM = 6371.0088
_PC = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")
_PC_IN_TEXT = re.compile(r"(?<![0-9])([1-9][0-9]{3})\s?([A-Za-z]{2})?(?![0-9A-Za-z])")
_LATLON = re.compile(r"^\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*[,; ]\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*$")
MAX_NEAR_CHARS = 100


class NearError(ValueError):
    """A ``near`` value we cannot use; the message says why, in plain words."""


def haversine_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest_km(origin: GeoPoint, points: Sequence[GeoPoint]) -> float | None:
    """Distance to the nearest of ``points`` (None when there are none)."""
    if not points:
        return None
    return min(haversine_km(origin, p) for p in points)


def postcode_location(gazetteer: GazetteerView, pc4: str, shown: str) -> Location | None:
    found = gazetteer.postcode(pc4)
    if found is None:
        return None
    return Location(GeoPoint(found.point.lat, found.point.lon), shown, "postcode", found.place)


def place_location(gazetteer: GazetteerView, name: str) -> Location | None:
    found = gazetteer.place(name)
    if found is None:
        return None
    return Location(GeoPoint(found.point.lat, found.point.lon), found.name, "place", found.name)


def parse_near(raw: str, gazetteer: GazetteerView) -> Location:
    """Read a ``near`` value: a postcode (``9712`` or ``9712 AB``), a place, or ``lat,lon``.

    Raises :class:`NearError` saying what is wrong.
    """
    text = " ".join(raw.split())
    if not text:
        raise NearError("near is empty: give a Dutch postcode, a place name or 'lat,lon'")
    if len(text) > MAX_NEAR_CHARS:
        raise NearError(f"near is too long (over {MAX_NEAR_CHARS} characters)")
    m = _LATLON.match(text)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise NearError(
                f"near {text!r}: latitude must be between -90 and 90 and longitude "
                "between -180 and 180"
            )
        return Location(GeoPoint(lat, lon), f"{lat:.4f},{lon:.4f}", "coordinates", "")
    m = _PC.match(text)
    if m:
        pc4 = m.group(1)
        found = postcode_location(gazetteer, pc4, text.upper())
        if found is None:
            raise NearError(f"near {text!r}: postcode {pc4} is not in our list of postcodes")
        return found
    if text.isdigit() or re.fullmatch(r"[0-9]{4}\s*[A-Za-z0-9]*", text):
        raise NearError(
            f"near {text!r} is not a Dutch postcode: use four digits (1000 to 9999), "
            "optionally followed by two letters, e.g. 9712 or 9712 AB"
        )
    found_place = place_location(gazetteer, text)
    if found_place is None:
        raise NearError(
            f"near {text!r}: not a postcode (e.g. 9712 AB), a place we know, "
            "or coordinates 'lat,lon'"
        )
    return found_place


@dataclass(frozen=True)
class LocatedQuery:
    """The query words with the location taken out."""

    words: tuple[str, ...]  # folded words that remain
    location: Location | None
    place_words: tuple[str, ...] = ()  # a bare place name also kept as search words


def find_in_query(text: str, words: Sequence[str], gazetteer: GazetteerView) -> LocatedQuery:
    """Find a postcode or a place in a query.

    ``text`` is the cleaned query (for postcodes such as "9712 AB"); ``words``
    are its folded words. A four-digit number that is a known postcode is a
    location ("sarcoom 9712"); so is a place after a location word ("bij
    Groningen", "near Utrecht"). A bare place name at the end of a longer query
    ("sarcoom groningen") is a location too, but its words stay in the query,
    because they may also be part of a name ("UMC Groningen").
    """
    if not gazetteer:
        return LocatedQuery(tuple(words), None)
    ws = list(words)
    for m in _PC_IN_TEXT.finditer(text):
        pc4, letters = m.group(1), m.group(2)
        if len(ws) <= 1 and not letters:
            break  # a bare number alone is an ORPHAcode first; the caller decides
        found = postcode_location(gazetteer, pc4, m.group(0).upper())
        if found is None:
            continue
        drop = {pc4}
        if letters:
            drop |= {letters.lower(), f"{pc4}{letters.lower()}"}
        rest = [w for w in ws if w not in drop]
        return LocatedQuery(tuple(_drop_location_words(rest)), found)
    longest = min(gazetteer.longest_place_words, 4)
    for i in range(len(ws)):
        if ws[i] not in LOCATION_WORDS:
            continue
        j = i + 1
        while j < len(ws) and ws[j] in LOCATION_FILLER:
            j += 1
        for n in range(min(longest, len(ws) - j), 0, -1):
            name = " ".join(ws[j : j + n])
            if _not_a_place(ws[j : j + n]) or (j > i + 1 and _part_of_the_body(ws[j : j + n])):
                continue
            found_place = place_location(gazetteer, name)
            if found_place is not None:
                rest = ws[:i] + ws[j + n :]
                return LocatedQuery(tuple(_drop_location_words(rest)), found_place)
    if len(ws) >= 2:
        for n in range(min(longest, len(ws) - 1), 0, -1):
            name = " ".join(ws[-n:])
            if (
                fold(name) != name
                or _not_a_place(ws[-n:])
                or _part_of_the_body(ws[-n:])
                or ws[-n - 1] in POSSESSIVES
            ):
                continue
            found_place = place_location(gazetteer, name)
            if found_place is not None:
                return LocatedQuery(tuple(ws), found_place, tuple(ws[-n:]))
    return LocatedQuery(tuple(ws), None)


def _not_a_place(words: Sequence[str]) -> bool:
    """Function words are no places, even where a village has the name ("bij een kind":
    the village Een in Drenthe)."""
    return all(w in STOPWORDS or w in QUESTION_WORDS_NL or w in QUESTION_WORDS_EN for w in words)


def _part_of_the_body(words: Sequence[str]) -> bool:
    """A part of the body that is also a village ("lies", "spier"): a place only right after
    a location word ("bij Spier"); "knobbel in de lies" and "sarcoom spier" are no places."""
    return len(words) == 1 and (words[0] in BODY_SITES or words[0] in LIMB_WORDS)


def _drop_location_words(words: list[str]) -> list[str]:
    """Remove a dangling location word left at the end ("ziekenhuis in de buurt van")."""
    out = list(words)
    while out and (out[-1] in LOCATION_WORDS or out[-1] in LOCATION_FILLER):
        out.pop()
    return out
