"""Institutions: RIVM hospital locations + GeoNames PC4 coordinates + the curated overlay.

Three inputs, one release (see docs/importers.md and docs/data-formats.md §2):

* ``rivm/ziekenhuizen2016_dec.csv``: RIVM hospital locations, December 2016,
  one row per location, grouped by organisation;
* ``geonames/NL.txt``: GeoNames four-digit postcodes with coordinates
  (tab-separated, no header); a postcode with several places gets the mean;
* ``curated/institutions.json``: the overlay that merges, splits, renames and
  adds institutions (Amsterdam UMC, Prinses Máxima Centrum, ...) and lists
  every alias the sources use, each correction saying where it came from.

RIVM organisations that no curated institution claims become institutions of
their own (kind ``general``, or ``umc`` for an academic hospital). All RIVM
quirks (a TAB inside a postcode, a postcode without its space, misspelt
location types, double spaces in names) are handled here.

Over 600 lines: one source of three files, released together; the overlay's parser
(:func:`parse_institutions`) is one pass over the claims that RIVM's rows and the
curated file make on each institution, and splitting it would pass that state around.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from directory.conditions.records import ReleaseInfo
from directory.errors import InputRejected
from directory.expertise.records import (
    AliasRecord,
    Correction,
    InstitutionRecord,
    InstitutionsRelease,
    SiteRecord,
    SourceRef,
)
from directory.reports import Problem
from directory.text import fold, fold_name
from directory.vocabulary import INSTITUTION_KINDS, INSTITUTION_STATUSES, SiteKind
from importers.base import SourceFile, read_csv
from importers.curated import JsonFile, records
from importers.geonames import parse_geonames as parse_gazetteer

SOURCE = "institutions"
RIVM_FILE = "rivm/ziekenhuizen2016_dec.csv"
GEONAMES_FILE = "geonames/NL.txt"
RIVM_COLUMNS = (
    "organisatienummer",
    "ziekenhuisnummer",
    "naam_organisatie",
    "naam_ziekenhuis",
    "soort_ziekenhuis",
    "type",
    "adres",
    "postcode",
    "plaats",
    "pc4",
)
RIVM_ATTRIBUTION = (
    "Bron: RIVM, Volksgezondheidenzorg.info (ziekenhuizen2016_dec.xlsx, December 2016), "
    "converted via github.com/nl-hugo/mapNL."
)
RIVM_LICENCE = "RIVM open data, attribution requested (licence to be verified)"
GEONAMES_ATTRIBUTION = "Postal code data © GeoNames (www.geonames.org), CC BY 4.0."
SITE_KINDS: dict[str, SiteKind] = {
    "academisch ziekenhuis": "hospital",
    "algemeen ziekenhuis": "hospital",
    "buitenpolikliniek": "outpatient_clinic",
    "buitenpoliklniek": "outpatient_clinic",  # sic, one row in the 2016 file
    "kinderziekenhuis": "childrens_hospital",
}
POSTCODE_RE = re.compile(r"(\d{4})([A-Z]{2})")


@dataclass(frozen=True)
class RivmSite:
    line: int
    organisation: int
    location: int
    organisation_name: str
    name: str
    kind: SiteKind
    academic: bool
    address: str
    postcode: str | None
    pc4: str | None
    city: str


def _clean(text: str) -> str:
    return " ".join(text.split())


def normalise_postcode(raw: str) -> str | None:
    """``"\\t1363 BJ"``, ``"5801CE"`` and ``"5801 ce"`` become ``"1363 BJ"``, ``"5801 CE"``."""
    match = POSTCODE_RE.fullmatch("".join(raw.split()).upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def slugify(text: str) -> str:
    return "-".join(fold_name(text).split()) or "institution"


# -- the raw sources ---------------------------------------------------------------------


def parse_rivm(source: SourceFile) -> tuple[dict[int, RivmSite], list[Problem]]:
    """RIVM locations by ``ziekenhuisnummer``; problems name the line and column."""
    sites: dict[int, RivmSite] = {}
    problems: list[Problem] = []
    for row in read_csv(source, RIVM_COLUMNS):
        where = f"line {row.line}"
        if row.error is not None:
            problems.append(Problem(source.name, where, row.error))
            continue
        v = row.values
        numbers: dict[str, int] = {}
        for col in ("organisatienummer", "ziekenhuisnummer", "type"):
            if not v[col].isdigit():
                problems.append(Problem(source.name, where, f"{v[col]!r} is not a number", col))
            else:
                numbers[col] = int(v[col])
        kind_label = v["soort_ziekenhuis"].strip().lower()
        kind = SITE_KINDS.get(kind_label)
        if kind is None:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"unknown kind of location {v['soort_ziekenhuis']!r}",
                    "soort_ziekenhuis",
                )
            )
        postcode = normalise_postcode(v["postcode"])
        if postcode is None:
            problems.append(
                Problem(
                    source.name, where, f"{v['postcode']!r} is not a Dutch postcode", "postcode"
                )
            )
        if len(numbers) < 3 or kind is None or postcode is None:
            continue
        location = numbers["ziekenhuisnummer"]
        if location in sites:
            problems.append(
                Problem(
                    source.name,
                    where,
                    f"ziekenhuisnummer {location} is listed twice "
                    f"(also line {sites[location].line})",
                    "ziekenhuisnummer",
                )
            )
            continue
        sites[location] = RivmSite(
            line=row.line,
            organisation=numbers["organisatienummer"],
            location=location,
            organisation_name=_clean(v["naam_organisatie"]),
            name=_clean(v["naam_ziekenhuis"]),
            kind=kind,
            academic=kind_label == "academisch ziekenhuis",
            address=_clean(v["adres"]),
            postcode=postcode,
            pc4=postcode[:4],
            city=_clean(v["plaats"]),
        )
    return sites, problems


def parse_geonames(source: SourceFile) -> tuple[dict[str, tuple[float, float]], list[Problem]]:
    """PC4 -> (lat, lon); a postcode listed for several places gets their mean."""
    problems: list[Problem] = []
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    try:
        text = source.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputRejected(
            [Problem(source.name, "file", f"not valid UTF-8 ({exc.reason})")]
        ) from exc
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cols = line.split("\t")
        where = f"line {n}"
        if len(cols) < 11:
            problems.append(
                Problem(source.name, where, f"has {len(cols)} columns, expected 12 (tab-separated)")
            )
            continue
        pc4 = cols[1].strip()
        try:
            lat, lon = float(cols[9]), float(cols[10])
        except ValueError:
            problems.append(Problem(source.name, where, "latitude/longitude are not numbers"))
            continue
        if not (re.fullmatch(r"\d{4}", pc4) and 50 < lat < 54 and 3 < lon < 8):
            problems.append(
                Problem(source.name, where, f"not a Dutch PC4 with coordinates: {pc4!r}")
            )
            continue
        points[pc4].append((lat, lon))
    coords = {
        pc4: (
            round(sum(p[0] for p in pts) / len(pts), 6),
            round(sum(p[1] for p in pts) / len(pts), 6),
        )
        for pc4, pts in points.items()
    }
    return coords, problems


def _place_points(geonames: SourceFile) -> dict[str, tuple[float, float]]:
    """Place key -> the place's coordinates (the mean of its postcodes), from GeoNames."""
    try:
        gazetteer, _rejected = parse_gazetteer(geonames, allow_partial=True)
    except InputRejected:
        return {}  # the PC4 parser above has reported what is wrong with the file
    best: dict[str, tuple[int, tuple[float, float]]] = {}
    for p in gazetteer.places:  # a name in two provinces: the larger place
        if p.key not in best or p.postcodes > best[p.key][0]:
            best[p.key] = (p.postcodes, (p.lat, p.lon))
    return {key: point for key, (_n, point) in best.items()}


def _release(
    source: SourceFile, name: str, date: dt.date | None, licence: str, attr: str
) -> ReleaseInfo:
    return ReleaseInfo(
        source=name,
        version=f"{date.isoformat() if date else 'undated'} ({source.sha256[:12]})",
        release_date=date,
        language="nl",
        licence=licence,
        attribution=attr,
        file_name=source.name.rsplit("/", 1)[-1],
        sha256=source.sha256,
        url=source.url,
    )


# -- the overlay ------------------------------------------------------------------------------


@dataclass
class _Claim:
    slug: str
    where: str


def parse_institutions(
    overlay: SourceFile, rivm: SourceFile, geonames: SourceFile
) -> InstitutionsRelease:
    """All institutions with aliases and sites, or InputRejected listing every problem."""
    rivm_sites, problems = parse_rivm(rivm)
    coords, geo_problems = parse_geonames(geonames)
    problems += geo_problems
    file = JsonFile(overlay)
    root = file.root(["institutions"], ["rivm_sites_closed"])
    warnings: list[str] = []
    organisations: dict[int, list[RivmSite]] = defaultdict(list)
    for site in rivm_sites.values():
        organisations[site.organisation].append(site)

    closed: set[int] = set()
    for n, item in enumerate(root.objects("rivm_sites_closed"), start=1):
        el = root.child(
            item,
            f"rivm_sites_closed[{n}]",
            ["ziekenhuisnummer", "name", "what"],
            ["certainty", "sources"],
        )
        if el is None:
            continue
        number = el.integer("ziekenhuisnummer")
        el.text("name")
        el.text("what")
        el.certainty(required=False)
        el.sources(required=False)
        if number is not None:
            if number not in rivm_sites:
                el.problem("ziekenhuisnummer", f"{number} is not a location in the RIVM file")
            closed.add(number)

    claims: dict[int, _Claim] = {}
    alias_owner: dict[str, tuple[str, str]] = {}  # key -> (slug, alias as written)
    curated: list[tuple[InstitutionRecord, list[int]]] = []
    places: dict[str, tuple[float, float]] | None = None  # read when a site needs them
    for el in records(
        file,
        root.objects("institutions"),
        "institutions",
        [
            "slug", "name", "name_en", "kind", "kind_certainty", "network", "network_certainty",
            "network_note", "aliases", "rivm_organisatienummers", "website", "corrections",
            "sources",
        ],
        ["rivm_sites_exclude", "rivm_sites_include", "extra_sites", "notes", "status",
         "ended_on", "successor", "lifecycle", "rivm_site_names"],
    ):  # fmt: skip
        slug = el.slug()
        status = el.enum("status", INSTITUTION_STATUSES, required=False) or "active"
        ended_on = el.date("ended_on")
        successor = el.text("successor", required=False, max_len=100)
        lifecycle = el.bilingual("lifecycle", required=False)
        if status != "active" and (ended_on is None or lifecycle is None):
            el.problem("status", f"a {status} institution needs ended_on and lifecycle")
        if status == "active" and (ended_on or successor):
            el.problem("status", "only a closed or merged institution has ended_on or successor")
        if successor == slug:
            el.problem("successor", "an institution cannot succeed itself")
        site_names: dict[int, str] = {}
        raw_names = el.data.get("rivm_site_names")
        if raw_names is not None:
            if not isinstance(raw_names, dict) or not all(
                k.isascii() and k.isdigit() and isinstance(v, str) and v.strip()
                for k, v in raw_names.items()
            ):
                el.problem("rivm_site_names", 'must be {"<ziekenhuisnummer>": "current name"}')
            else:
                site_names = {int(k): v.strip() for k, v in raw_names.items()}
        name = el.text("name", max_len=300) or ""
        name_en = el.text("name_en", required=False, max_len=300) or name
        kind = el.enum("kind", INSTITUTION_KINDS) or "general"
        kind_certainty = el.certainty("kind_certainty")
        el.text("network", required=False)  # the network's own file holds the membership
        el.certainty("network_certainty", required=False)
        el.bilingual("network_note", required=False)
        aliases = el.strings("aliases")
        orgs = el.integers("rivm_organisatienummers")
        exclude = set(el.integers("rivm_sites_exclude"))
        include = el.integers("rivm_sites_include")
        website = el.url("website")
        notes = el.bilingual("notes", required=False)
        corrections: list[Correction] = []
        for n, item in enumerate(el.objects("corrections"), start=1):
            c = el.child(item, f"corrections[{n}]", ["what", "ref"])
            if c is not None and (what := c.text("what")) and (ref := c.text("ref")):
                corrections.append(Correction(what, ref))
        sources = el.sources()

        site_numbers: list[int] = []
        for org in orgs:
            if org not in organisations:
                el.problem(
                    "rivm_organisatienummers", f"{org} is not an organisation in the RIVM file"
                )
                continue
            site_numbers += [s.location for s in organisations[org] if s.location not in exclude]
        for number in exclude:
            if number not in rivm_sites or rivm_sites[number].organisation not in orgs:
                el.problem(
                    "rivm_sites_exclude",
                    f"{number} is not a location of the listed RIVM organisations",
                )
        for number in include:
            if number not in rivm_sites:
                el.problem("rivm_sites_include", f"{number} is not a location in the RIVM file")
            else:
                site_numbers.append(number)
        sites: list[SiteRecord] = []
        for number in site_numbers:
            if number in closed:
                continue
            previous = claims.get(number)
            if previous is not None:
                el.problem(
                    "rivm_organisatienummers",
                    f"RIVM location {number} ({rivm_sites[number].name}) is already claimed by "
                    f"{previous.slug!r}",
                )
                continue
            claims[number] = _Claim(slug, el.where)
            if status != "active":
                continue  # a closed institution's locations are claimed, never offered
            record = _rivm_site(rivm_sites[number], coords, rivm.name, warnings)
            if number in site_names:
                record = replace(record, name=site_names.pop(number))
            sites.append(record)
        for number in site_names:
            el.problem("rivm_site_names", f"{number} is not one of this institution's locations")
        for n, item in enumerate(el.objects("extra_sites"), start=1):
            s = el.child(item, f"extra_sites[{n}]", ["name", "place", "source"],
                         ["address", "postcode", "certainty"])  # fmt: skip
            if s is None:
                continue
            if status != "active":
                s.problem(None, f"a {status} institution has no current sites")
                continue
            place = s.text("place")
            raw_pc = s.text("postcode", required=False, max_len=20)
            lat: float | None
            lon: float | None
            if raw_pc is None:
                # No source gives the address (the new hospital in Scheemda, audit H-5):
                # the site is placed at its town, and says so.
                if places is None:
                    places = _place_points(geonames)
                point = places.get(fold(place or ""))
                if point is None:
                    s.problem("place", f"{place!r} is not a place in GeoNames: give a postcode")
                    continue
                postcode, (lat, lon) = None, point
                located = f"coordinates: GeoNames place {place} (no address in the sources)"
            else:
                postcode = normalise_postcode(raw_pc)
                if postcode is None:
                    s.problem("postcode", f"{raw_pc!r} is not a Dutch postcode (1234 AB)")
                    continue
                lat, lon = coords.get(postcode[:4], (None, None))
                if lat is None:
                    warnings.append(
                        f"{overlay.name}: {s.where}: PC4 {postcode[:4]} not in GeoNames"
                    )
                located = f"coordinates: GeoNames PC4 {postcode[:4]}"
            sites.append(
                SiteRecord(
                    key=f"curated:{slug}:{n}",
                    name=s.text("name") or name,
                    # A radiotherapy institute's site is no hospital (HollandPTC, Maastro).
                    kind="treatment_centre" if kind == "radiotherapy" else "hospital",
                    address=s.text("address", required=False),
                    postcode=postcode,
                    pc4=postcode[:4] if postcode else None,
                    city=place,
                    lat=lat,
                    lon=lon,
                    rivm_location=None,
                    source_ref=f"{s.text('source')}; {located}",
                    certainty=s.certainty(required=False),
                    from_curated=True,
                )
            )
        if not sites and el.ok and status == "active":
            el.problem(None, "the institution has no site (no RIVM location, no extra_sites)")

        alias_list = [AliasRecord(name, "name")] + [AliasRecord(a, "curated") for a in aliases]
        for a in alias_list:
            key = fold_name(a.alias)
            owner = alias_owner.get(key)
            if owner is not None and owner[0] != slug:
                el.problem(
                    "aliases",
                    f"alias {a.alias!r} is also an alias of {owner[0]!r} ({owner[1]!r}); "
                    "aliases must identify one institution",
                )
            alias_owner.setdefault(key, (slug, a.alias))
        curated.append(
            (
                InstitutionRecord(
                    slug=slug,
                    name=name,
                    name_en=name_en,
                    kind=kind,
                    kind_certainty=kind_certainty,
                    origin="curated",
                    website=website,
                    rivm_organisations=orgs,
                    aliases=tuple(alias_list),
                    sites=tuple(sites),
                    notes=notes,
                    corrections=tuple(corrections),
                    sources=sources,
                    where=el.where,
                    status=status,
                    ended_on=ended_on,
                    successor=successor,
                    lifecycle=lifecycle,
                ),
                list(orgs),
            )
        )

    problems += file.problems
    if problems:
        raise InputRejected(problems, f"{len(problems)} problem(s) in the institution sources")

    result: list[InstitutionRecord] = []
    slugs = {rec.slug for rec, _orgs in curated}
    # RIVM organisation names become aliases of the institution that took over all
    # of the organisation's locations (not of a group that was split up).
    claimed_by_org: dict[int, set[str]] = defaultdict(set)
    for number, claim in claims.items():
        claimed_by_org[rivm_sites[number].organisation].add(claim.slug)
    for rec, org_numbers in curated:
        extra = []
        for org in org_numbers:
            if claimed_by_org[org] == {rec.slug}:
                org_name = organisations[org][0].organisation_name
                key = fold_name(org_name)
                if key not in alias_owner:
                    alias_owner[key] = (rec.slug, org_name)
                    extra.append(AliasRecord(org_name, "rivm"))
        result.append(_with_aliases(rec, extra))

    excluded_by: dict[int, str] = {}
    for rec, _orgs in curated:
        for org in rec.rivm_organisations:
            for loc in organisations.get(org, ()):
                if loc.location not in claims and loc.location not in closed:
                    excluded_by[loc.location] = rec.slug
    for org, org_sites in sorted(organisations.items()):
        unclaimed = [x for x in org_sites if x.location not in claims and x.location not in closed]
        if not unclaimed:
            continue
        for loc in unclaimed:
            if loc.location in excluded_by:
                warnings.append(
                    f"{rivm.name}: line {loc.line}: location {loc.location} ({loc.name}) is "
                    f"excluded by {excluded_by[loc.location]!r} but claimed by no institution "
                    "and not listed in rivm_sites_closed; it becomes an institution of its own"
                )
        org_name = unclaimed[0].organisation_name
        slug = base = slugify(org_name)
        n = 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        alias_list = []
        for text, origin in [(org_name, "name")] + [(s.name, "rivm") for s in unclaimed]:
            key = fold_name(text)
            owner = alias_owner.get(key)
            if owner is None:
                alias_owner[key] = (slug, text)
                alias_list.append(AliasRecord(text, origin))
            elif owner[0] != slug:
                warnings.append(
                    f"{rivm.name}: organisation {org}: name {text!r} is already an alias of "
                    f"{owner[0]!r}; not used for {slug!r}"
                )
        result.append(
            InstitutionRecord(
                slug=slug,
                name=org_name,
                name_en=org_name,
                kind="umc" if any(s.academic for s in unclaimed) else "general",
                kind_certainty="public-knowledge",
                origin="rivm",
                website=None,
                rivm_organisations=(org,),
                aliases=tuple(alias_list),
                sites=tuple(_rivm_site(s, coords, rivm.name, warnings) for s in unclaimed),
                notes=None,
                corrections=(),
                sources=(SourceRef(f"RIVM ziekenhuizen2016_dec.csv, organisatienummer {org}"),),
                where=f"{rivm.name}: organisatienummer {org}",
            )
        )

    result = _hand_over_names(result, file, warnings)
    overlay_release = file.release(SOURCE)
    return InstitutionsRelease(
        release=overlay_release,
        rivm=_release(rivm, "rivm-hospitals", dt.date(2016, 12, 1), RIVM_LICENCE, RIVM_ATTRIBUTION),
        geonames=_release(geonames, "geonames-postcodes", None, "CC-BY-4.0", GEONAMES_ATTRIBUTION),
        institutions=tuple(result),
        warnings=tuple(warnings),
        source_name=overlay.name,
    )


def _hand_over_names(
    institutions: list[InstitutionRecord], file: JsonFile, warnings: list[str]
) -> list[InstitutionRecord]:
    """A closed or merged institution's names become aliases of its successor (origin
    ``former``), so that a search for an old name finds where its patients went."""
    by_slug = {rec.slug: n for n, rec in enumerate(institutions)}
    out = list(institutions)
    for rec in institutions:
        if rec.status == "active" or rec.successor is None:
            continue
        target = by_slug.get(rec.successor)
        if target is None:
            raise InputRejected(
                [
                    Problem(
                        file.name, rec.where, f"unknown institution {rec.successor!r}", "successor"
                    )
                ],
                f"{file.name}: unknown successor",
            )
        heir = out[target]
        if heir.status != "active":
            warnings.append(f"{rec.where}: successor {heir.slug!r} is not active itself")
        taken = {fold_name(a.alias) for a in heir.aliases}
        former = tuple(
            AliasRecord(a.alias, "former") for a in rec.aliases if fold_name(a.alias) not in taken
        )
        out[target] = replace(heir, aliases=heir.aliases + former)
        out[by_slug[rec.slug]] = replace(rec, aliases=())
    return out


def _with_aliases(rec: InstitutionRecord, extra: list[AliasRecord]) -> InstitutionRecord:
    if not extra:
        return rec
    return replace(rec, aliases=rec.aliases + tuple(extra))


def _rivm_site(
    site: RivmSite, coords: dict[str, tuple[float, float]], file: str, warnings: list[str]
) -> SiteRecord:
    lat, lon = coords.get(site.pc4 or "", (None, None))
    if lat is None:
        warnings.append(
            f"{file}: line {site.line}: PC4 {site.pc4} ({site.name}) is not in GeoNames; "
            "the site has no coordinates"
        )
        geo = "no coordinates (PC4 not in GeoNames)"
    else:
        geo = f"coordinates: GeoNames PC4 {site.pc4}"
    return SiteRecord(
        key=f"rivm:{site.location}",
        name=site.name,
        kind=site.kind,
        address=site.address,
        postcode=site.postcode,
        pc4=site.pc4,
        city=site.city,
        lat=lat,
        lon=lon,
        rivm_location=site.location,
        source_ref=f"RIVM ziekenhuizen2016_dec.csv, ziekenhuisnummer {site.location}; {geo}",
        certainty="public-knowledge",
    )
