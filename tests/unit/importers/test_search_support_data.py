"""Lay terms and the GeoNames gazetteer: parsing, validation and the catalogue service.

Service tests run on SQLite and PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from config.settings import PROJECT_ROOT
from directory.conditions.lay_terms import lay_terms_by_code
from directory.conditions.models import ImportRun, LayTerm
from directory.conditions.records import NomenclatureEntry, NomenclatureRelease, ReleaseInfo
from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from directory.places.geo import load_gazetteer
from directory.text import fold
from importers.base import SourceFile
from importers.geonames import parse_geonames
from importers.lay_terms import parse_lay_terms
from importers.registry import RunOptions, run_import
from search.engine import GeoPoint
from search.geo import haversine_km

DATA_DIR = PROJECT_ROOT / "data"


def src(name: str, text: str) -> SourceFile:
    return SourceFile(name=name, data=text.encode("utf-8"))


def geo_row(pc: str, place: str, lat: str, lon: str, province: str = "Groningen") -> str:
    muni = f"{place} Municipality"
    return f"NL\t{pc}\t{place}\t{province}\t04\t{muni}\t0014\t\t\t{lat}\t{lon}\t"


# -- GeoNames -----------------------------------------------------------------------------------


def test_postcodes_with_several_rows_are_averaged() -> None:
    text = "\n".join(
        [
            geo_row("9489", "Assen", "53.00", "6.50", "Drenthe"),
            geo_row("9489", "Zeijerveen", "53.02", "6.54", "Drenthe"),
            geo_row("9712", "Groningen", "53.2216", "6.5631"),
        ]
    )
    gazetteer, rejected = parse_geonames(src("NL.txt", text))
    assert rejected == ()
    by_pc = {p.postcode: p for p in gazetteer.postcodes}
    assert by_pc["9489"].lat == pytest.approx(53.01)
    assert by_pc["9489"].lon == pytest.approx(6.52)
    assert by_pc["9489"].place == "Assen"  # the first place named for it
    assert {p.key for p in gazetteer.places} >= {"assen", "zeijerveen", "groningen"}


def test_municipality_names_and_common_names_become_places() -> None:
    hague = "'s-Gravenhage\tSouth Holland\t11\tGemeente Den Haag\t0518\t\t"
    text = f"NL\t2511\t{hague}\t52.08\t4.31\t\nNL\t2512\t{hague}\t52.07\t4.30\t"
    gazetteer, _ = parse_geonames(src("NL.txt", text))
    keys = {p.key: p for p in gazetteer.places}
    assert "s gravenhage" in keys
    assert keys["den haag"].lat == pytest.approx(52.075)
    assert "the hague" in keys  # an English name people type


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ("NL\t9712\tGroningen", None, "has 3 tab-separated fields, expected 12"),
        (geo_row("971", "Groningen", "53.2", "6.5"), "postal code", "not a Dutch four-digit"),
        (geo_row("0712", "Groningen", "53.2", "6.5"), "postal code", "not a Dutch four-digit"),
        (geo_row("9712", "", "53.2", "6.5"), "place name", "the place name is empty"),
        (geo_row("9712", "Groningen", "north", "6.5"), "latitude", "'north' is not a number"),
        (geo_row("9712", "Groningen", "48.85", "2.35"), "latitude", "outside the Netherlands"),
        (geo_row("9712", "Groningen", "53.2", "16.5"), "longitude", "outside the Netherlands"),
        ("BE\t1000\tBrussel" + "\t" * 9, "country code", "is not NL"),
    ],
)
def test_bad_rows_are_rejected_with_line_field_and_reason(
    line: str, field: str | None, reason: str
) -> None:
    text = geo_row("9711", "Groningen", "53.2", "6.56") + "\n" + line
    with pytest.raises(InputRejected) as exc:
        parse_geonames(src("NL.txt", text))
    (problem,) = exc.value.problems
    assert problem.file == "NL.txt"
    assert problem.location == "line 2"
    assert problem.field == field
    assert reason in problem.reason


def test_allow_partial_keeps_the_good_rows() -> None:
    text = geo_row("9711", "Groningen", "53.2", "6.56") + "\n" + geo_row("97", "X", "1", "1")
    gazetteer, rejected = parse_geonames(src("NL.txt", text), allow_partial=True)
    assert [p.postcode for p in gazetteer.postcodes] == ["9711"]
    assert [p.location for p in rejected] == ["line 2"]


def test_invalid_utf8_names_the_line() -> None:
    data = (geo_row("9711", "Groningen", "53.2", "6.56") + "\n").encode() + b"NL\t9712\t\xff"
    with pytest.raises(InputRejected, match="wrong encoding") as exc:
        parse_geonames(SourceFile("NL.txt", data))
    assert exc.value.problems[0].location == "line 2"


def test_the_bundled_file_and_its_known_gaps() -> None:
    source = SourceFile("NL.txt", (DATA_DIR / "geonames" / "NL.txt").read_bytes())
    gazetteer, rejected = parse_geonames(source)
    assert rejected == ()
    postcodes = {p.postcode: p for p in gazetteer.postcodes}
    assert len(postcodes) == 4086  # distinct PC4s (PROVENANCE.md)
    assert "6679" not in postcodes  # Oosterhout (Nijmegen-Waalsprong): missing upstream
    groningen = GeoPoint(postcodes["9712"].lat, postcodes["9712"].lon)
    amsterdam = GeoPoint(postcodes["1012"].lat, postcodes["1012"].lon)
    assert haversine_km(groningen, amsterdam) == pytest.approx(147, abs=5)


def test_gazetteer_import_is_idempotent_and_readable(
    service: CatalogueService, sessions: sessionmaker[Session]
) -> None:
    first = run_import(service, "geonames", data_dir=DATA_DIR)[0]
    assert first.status == "succeeded"
    assert first.counts.added > 4086  # postcodes and places
    again = run_import(service, "geonames", data_dir=DATA_DIR)[0]
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)
    view = load_gazetteer(sessions)
    assert view.postcode("9712") is not None
    assert view.postcode("9712").place == "Groningen"  # type: ignore[union-attr]  # checked above
    # "Hoorn" is a town in North Holland and a village on Terschelling: the town wins.
    hoorn = view.place("Hoorn")
    assert hoorn is not None
    assert hoorn.province == "North Holland"
    den_bosch, hertogenbosch = view.place("Den Bosch"), view.place("'s-Hertogenbosch")
    assert den_bosch is not None
    assert hertogenbosch is not None
    assert den_bosch.point == hertogenbosch.point
    assert fold("'s-Hertogenbosch") == "s hertogenbosch"


def test_a_smaller_gazetteer_retires_what_is_gone(service: CatalogueService) -> None:
    text = "\n".join(
        [
            geo_row("9711", "Groningen", "53.2", "6.56"),
            geo_row("9712", "Groningen", "53.22", "6.56"),
        ]
    )
    service.apply_gazetteer(parse_geonames(src("a.txt", text))[0])
    smaller = service.apply_gazetteer(parse_geonames(src("b.txt", text.splitlines()[0]))[0])
    assert smaller.counts.retired == 1  # postcode 9712
    assert smaller.counts.changed == 1  # Groningen's place centre moved


# -- lay terms ----------------------------------------------------------------------------------


LAY_HEADER = "orphacode,lang,term,note\n"


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("abc,nl,botkanker,", "orphacode", "is not an ORPHAcode"),
        ("178,fr,chordome,", "lang", "not a language we use"),
        ("178,nl,   ,", "term", "the term is empty"),
        ("178,nl," + "x" * 201 + ",", "term", "over 200 characters"),
        ("178,nl,chordoom", None, "has 3 fields, the header has 4"),
    ],
)
def test_bad_lay_term_rows(row: str, field: str | None, reason: str) -> None:
    with pytest.raises(InputRejected) as exc:
        parse_lay_terms(src("lay.csv", LAY_HEADER + "178,nl,chordoom,\n" + row + "\n"))
    (problem,) = exc.value.problems
    assert (problem.location, problem.field) == ("line 3", field)
    assert reason in problem.reason


def test_duplicate_lay_terms_name_the_first_line() -> None:
    with pytest.raises(InputRejected) as exc:
        parse_lay_terms(src("lay.csv", LAY_HEADER + "178,nl,Chordoom,\n178,nl,chordoom,\n"))
    assert "also line 2" in exc.value.problems[0].reason


def _load_orphanet(service: CatalogueService) -> None:
    """Three conditions, enough for lay terms to point at (the full import is slow)."""
    release = ReleaseInfo(
        "orphanet", "test", dt.date(2025, 6, 24), "en", "CC-BY-4.0", "Orphanet", "t.xml", "0" * 64
    )
    entries = tuple(
        NomenclatureEntry(code, name, (), "Disease", 21394, "disorder", "active", None)
        for code, name in ((178, "Chordoma"), (668, "Osteosarcoma"), (55880, "Chondrosarcoma"))
    )
    service.apply_nomenclature(NomenclatureRelease(release, "en", entries))


def test_lay_terms_import_replace_and_retire(
    service: CatalogueService, sessions: sessionmaker[Session]
) -> None:
    _load_orphanet(service)
    first = service.apply_lay_terms(
        parse_lay_terms(src("lay.csv", LAY_HEADER + "178,nl,chordoom,\n178,en,chordoma,\n"))[0]
    )
    assert first.counts.added == 2
    same = service.apply_lay_terms(
        parse_lay_terms(src("lay.csv", LAY_HEADER + "178,nl,chordoom,\n178,en,chordoma,\n"))[0]
    )
    assert (same.counts.added, same.counts.retired, same.counts.unchanged) == (0, 0, 2)
    changed = service.apply_lay_terms(
        parse_lay_terms(src("lay2.csv", LAY_HEADER + "178,nl,chordoom,\n668,nl,botkanker,\n"))[0]
    )
    assert (changed.counts.added, changed.counts.retired) == (1, 1)
    terms = lay_terms_by_code(sessions)
    assert [t.term for t in terms[178]] == ["chordoom"]
    assert [(t.term, t.lang, t.origin) for t in terms[668]] == [("botkanker", "nl", "curated")]


def test_unknown_orphacode_rejects_the_whole_file(
    service: CatalogueService, sessions: sessionmaker[Session]
) -> None:
    _load_orphanet(service)
    data = parse_lay_terms(src("lay.csv", LAY_HEADER + "178,nl,chordoom,\n999999,nl,onzin,\n"))[0]
    with pytest.raises(InputRejected) as exc:
        service.apply_lay_terms(data)
    assert exc.value.problems[0].location == "line 3"
    assert exc.value.problems[0].field == "orphacode"
    with sessions() as s:
        assert s.scalars(select(LayTerm)).all() == []  # nothing written
    partial = service.apply_lay_terms(data, allow_partial=True)
    assert partial.status == "partial"
    assert partial.counts.added == 1
    with sessions() as s:
        run = s.get(ImportRun, partial.run_id)
        assert run is not None
        assert run.problems[0]["location"] == "line 3"


def test_the_bundled_lay_terms_import(service: CatalogueService) -> None:
    run_import(service, "orphanet", data_dir=DATA_DIR)
    (report,) = run_import(service, "lay-terms", data_dir=DATA_DIR, options=RunOptions())
    assert report.status == "succeeded"
    rows = (DATA_DIR / "curated" / "lay_terms.csv").read_text("utf-8").strip().splitlines()
    assert report.counts.added == len(rows) - 1


def test_lay_term_and_gazetteer_tables_hold_no_personal_data(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as s:
        columns = {c["name"] for c in inspect(s.get_bind()).get_columns("zero_result_query")}
    assert columns == {"normalised", "example", "count", "first_seen", "last_seen"}
