"""Typed, immutable records for the catalogue content that search builds on.

Lay terms (the words patients type for a condition) and the gazetteer (Dutch
four-digit postcodes and place names with coordinates). Importers produce these
records from their source files; :class:`directory.conditions.services.CatalogueService`
writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.conditions.records import Lang, ReleaseInfo


@dataclass(frozen=True)
class LayTermRecord:
    orphacode: int
    lang: Lang
    term: str
    line: int = 0  # where it came from, for problem messages


@dataclass(frozen=True)
class LayTermsRelease:
    """One release of the lay-term list (all languages in one file)."""

    release: ReleaseInfo
    entries: tuple[LayTermRecord, ...]
    origin: str = "curated"


@dataclass(frozen=True)
class PostcodeRecord:
    postcode: str  # four digits, "9712"
    lat: float
    lon: float
    place: str  # the main place name of the postcode


@dataclass(frozen=True)
class PlaceRecord:
    name: str
    key: str  # lower case, no accents or punctuation: the lookup key
    province: str
    lat: float
    lon: float
    postcodes: int  # how many postcodes the place covers (a size measure)


@dataclass(frozen=True)
class GazetteerRelease:
    """One release of the postcode and place list."""

    release: ReleaseInfo
    postcodes: tuple[PostcodeRecord, ...]
    places: tuple[PlaceRecord, ...]


@dataclass(frozen=True)
class CodeMappingRecord:
    """One row of an editorial code table: an ICD-10 code mapped to an ORPHAcode."""

    system: str  # "ICD-10"
    code: str  # normalised: "C49", "C45.0"
    orphacode: int
    name_en: str  # the check column: the ORPHAcode's English name
    relation: str  # exact | broader | narrower: how the code relates to the ORPHA concept
    line: int = 0


@dataclass(frozen=True)
class CodeMappingsRelease:
    release: ReleaseInfo
    entries: tuple[CodeMappingRecord, ...]
    origin: str = "editorial"
