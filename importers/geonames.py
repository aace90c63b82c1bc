"""GeoNames postal codes for the Netherlands (``NL.txt``): postcodes and places.

The file has no header; it is tab separated with 12 columns (country, postcode,
place, province, province code, municipality, municipality code, admin3 name,
admin3 code, latitude, longitude, accuracy). A four-digit postcode (PC4) has
one row per place it covers: we average their coordinates. Places get the
average of their postcodes; municipalities whose name is not also a place name
(e.g. "Gemeente Den Haag" for 's-Gravenhage) become places too. Some recent
postcodes are missing from GeoNames; a lookup of such a postcode simply finds
nothing.

Attribution: "Postal code data © GeoNames (www.geonames.org), CC BY 4.0".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from directory.conditions.records import ReleaseInfo
from directory.conditions.search_records import GazetteerRelease, PlaceRecord, PostcodeRecord
from directory.errors import InputRejected
from directory.reports import Problem
from directory.text import fold
from importers.base import SourceFile

SOURCE = "geonames"
ATTRIBUTION = "Postal code data © GeoNames (www.geonames.org), CC BY 4.0."
LICENCE = "CC-BY-4.0"
COLUMNS = 12
_PC4 = re.compile(r"^[1-9][0-9]{3}$")
# A generous box around the Netherlands (including the Wadden islands and Limburg).
LAT_RANGE = (50.5, 53.8)
LON_RANGE = (3.0, 7.5)
# Names people use that GeoNames does not list as a place or municipality.
EXTRA_NAMES = {
    "Den Bosch": "'s-Hertogenbosch",
    "The Hague": "'s-Gravenhage",
    "Den Haag": "'s-Gravenhage",
}
_MUNICIPALITY_NOISE = re.compile(r"^(Gemeente|Municipality of)\s+|\s+Municipality$|\.$")


@dataclass
class _Acc:
    lat: float = 0.0
    lon: float = 0.0
    n: int = 0

    def add(self, lat: float, lon: float) -> None:
        self.lat += lat
        self.lon += lon
        self.n += 1

    def mean(self) -> tuple[float, float]:
        return round(self.lat / self.n, 5), round(self.lon / self.n, 5)


def _municipality(raw: str) -> str:
    name = raw.strip()
    while True:
        cleaned = _MUNICIPALITY_NOISE.sub("", name).strip()
        if cleaned == name:
            return name
        name = cleaned


def parse_geonames(
    source: SourceFile, *, allow_partial: bool = False
) -> tuple[GazetteerRelease, tuple[Problem, ...]]:
    """Return postcodes and places, and the rows rejected (only with allow_partial)."""
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = source.data[: exc.start].count(b"\n") + 1
        raise InputRejected(
            [Problem(source.name, f"line {bad_line}", f"not valid UTF-8 ({exc.reason})")],
            f"{source.name}: wrong encoding",
        ) from exc
    problems: list[Problem] = []
    pc_acc: dict[str, _Acc] = defaultdict(_Acc)
    pc_place: dict[str, str] = {}
    place_acc: dict[tuple[str, str], _Acc] = defaultdict(_Acc)
    place_pcs: dict[tuple[str, str], set[str]] = defaultdict(set)
    muni_pcs: dict[tuple[str, str], dict[str, tuple[float, float]]] = defaultdict(dict)
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {line_no}"
        cols = line.split("\t")
        if len(cols) != COLUMNS:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"has {len(cols)} tab-separated fields, expected {COLUMNS} "
                    "(GeoNames postal-code format)",
                )
            )
            continue
        country, postcode, place, province = (c.strip() for c in cols[:4])
        if country != "NL":
            problems.append(
                Problem(source.name, where, f"country {country!r} is not NL", "country code")
            )
            continue
        if not _PC4.match(postcode):
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"{postcode!r} is not a Dutch four-digit postcode",
                    "postal code",
                )
            )
            continue
        if not place:
            problems.append(Problem(source.name, where, "the place name is empty", "place name"))
            continue
        coords: list[float] = []
        for value, name, (low, high) in (
            (cols[9], "latitude", LAT_RANGE),
            (cols[10], "longitude", LON_RANGE),
        ):
            try:
                number_value = float(value)
            except ValueError:
                problems.append(Problem(source.name, where, f"{value!r} is not a number", name))
                break
            if not low <= number_value <= high:
                problems.append(
                    Problem(
                        source.name,
                        where,
                        f"{number_value} is outside the Netherlands ({low} to {high})",
                        name,
                    )
                )
                break
            coords.append(number_value)
        if len(coords) != 2:
            continue
        lat, lon = coords
        pc_acc[postcode].add(lat, lon)
        pc_place.setdefault(postcode, place)
        place_acc[(place, province)].add(lat, lon)
        place_pcs[(place, province)].add(postcode)
        muni = _municipality(cols[5])
        if muni:
            muni_pcs[(muni, province)][postcode] = (lat, lon)
    if problems and not allow_partial:
        raise InputRejected(problems, f"{source.name}: {len(problems)} invalid row(s)")
    if not pc_acc:
        raise InputRejected(
            [*problems, Problem(source.name, "file", "no postcodes found")],
            f"{source.name}: empty",
        )

    postcodes = tuple(
        PostcodeRecord(pc, *acc.mean(), place=pc_place[pc]) for pc, acc in sorted(pc_acc.items())
    )
    places: dict[tuple[str, str], PlaceRecord] = {}
    for (name, province), acc in place_acc.items():
        lat, lon = acc.mean()
        rec = PlaceRecord(name, fold(name), province, lat, lon, len(place_pcs[(name, province)]))
        places[(rec.key, province)] = rec
    for (muni, province), pcs in muni_pcs.items():
        mkey = fold(muni)
        if (mkey, province) in places or not mkey:
            continue
        lat = round(sum(p[0] for p in pcs.values()) / len(pcs), 5)
        lon = round(sum(p[1] for p in pcs.values()) / len(pcs), 5)
        places[(mkey, province)] = PlaceRecord(muni, mkey, province, lat, lon, len(pcs))
    by_key: dict[str, PlaceRecord] = {}
    for rec in places.values():
        best = by_key.get(rec.key)
        if best is None or rec.postcodes > best.postcodes:
            by_key[rec.key] = rec
    for alias, target in EXTRA_NAMES.items():
        found = by_key.get(fold(target))
        akey = fold(alias)
        if found is not None and (akey, found.province) not in places:
            places[(akey, found.province)] = PlaceRecord(
                alias, akey, found.province, found.lat, found.lon, found.postcodes
            )
    info = ReleaseInfo(
        source=SOURCE,
        version=source.sha256[:12],
        release_date=None,
        language=None,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )
    release = GazetteerRelease(
        release=info,
        postcodes=postcodes,
        places=tuple(sorted(places.values(), key=lambda p: (p.key, p.province))),
    )
    return release, tuple(problems)
