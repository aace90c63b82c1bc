"""Institutions: RIVM + GeoNames + the curated overlay, on valid and on broken input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from directory.conditions.models import ImportRun
from directory.errors import InputRejected
from directory.expertise.models import Institution, InstitutionAlias, Site
from directory.expertise.services import ExpertiseService
from directory.text import fold_name
from importers.institutions import (
    GEONAMES_FILE,
    RIVM_FILE,
    normalise_postcode,
    parse_geonames,
    parse_institutions,
    parse_rivm,
)
from tests.support.expertise import bundled, source

OVERLAY = "curated/institutions.json"


@pytest.fixture(scope="module")
def release():
    return parse_institutions(bundled(OVERLAY), bundled(RIVM_FILE), bundled(GEONAMES_FILE))


def by_slug(release, slug):
    return next(i for i in release.institutions if i.slug == slug)


def overlay_with(change) -> bytes:
    data = json.loads(bundled(OVERLAY).data)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


def parse_overlay(data: bytes):
    return parse_institutions(source("institutions.json", data), bundled(RIVM_FILE),
                              bundled(GEONAMES_FILE))  # fmt: skip


# -- the bundled data ---------------------------------------------------------------------


def test_merged_hospitals_are_one_institution_with_all_their_sites(release) -> None:
    amsterdam = by_slug(release, "amsterdam-umc")
    rivm, _problems = parse_rivm(bundled(RIVM_FILE))
    rivm_orgs = {rivm[s.rivm_location].organisation for s in amsterdam.sites if s.rivm_location}
    assert rivm_orgs == {100101, 107901}  # the AMC and VUmc organisations of 2016
    aliases = {a.alias for a in amsterdam.aliases}
    assert {"AMC", "VUmc", "Amsterdam UMC locatie AMC"} <= aliases
    assert amsterdam.kind == "umc"


def test_a_hospital_opened_after_2016_comes_from_the_overlay_with_coordinates(release) -> None:
    pmc = by_slug(release, "prinses-maxima-centrum")
    assert [s.postcode for s in pmc.sites] == ["3584 CS"]
    site = pmc.sites[0]
    assert site.from_curated
    assert site.rivm_location is None
    # Utrecht Science Park: GeoNames PC4 3584 lies in Utrecht.
    assert site.lat is not None
    assert 52.0 < site.lat < 52.2
    assert site.lon is not None
    assert 5.0 < site.lon < 5.3
    assert "Heidelberglaan" in site.source_ref  # the curated site says where it comes from


def test_a_hospital_without_a_known_address_is_placed_at_its_town(release) -> None:
    # Audit H-5: the Ommelander hospital moved to Scheemda in 2018; no source gives its
    # street address, so its site has the town's coordinates and says so.
    ozg = by_slug(release, "ommelander-ziekenhuis-groep")
    scheemda = [s for s in ozg.sites if s.city == "Scheemda"]
    assert len(scheemda) == 1
    site = scheemda[0]
    assert site.postcode is None
    assert site.pc4 is None
    assert site.address is None
    assert site.lat is not None
    assert 53.1 < site.lat < 53.25
    assert site.lon is not None
    assert 6.9 < site.lon < 7.1
    assert "GeoNames place Scheemda" in site.source_ref
    assert not any(s.city in ("Delfzijl", "Winschoten") for s in ozg.sites)


def test_a_radiotherapy_institutes_site_is_a_treatment_centre_not_a_hospital(release) -> None:
    # HollandPTC and Maastro are radiotherapy institutes: their page said "Ziekenhuis".
    for slug in ("hollandptc", "maastro"):
        assert {s.kind for s in by_slug(release, slug).sites} == {"treatment_centre"}
    assert {s.kind for s in by_slug(release, "het-oogziekenhuis-rotterdam").sites} == {"hospital"}


def test_a_site_without_a_postcode_needs_a_known_place() -> None:
    def change(data):
        data["institutions"][0]["extra_sites"] = [
            {"name": "X", "place": "Nergenshuizen", "source": "test"}
        ]

    with pytest.raises(InputRejected) as exc:
        parse_overlay(overlay_with(change))
    found = {(p.field, p.reason) for p in exc.value.problems}
    assert ("place", "'Nergenshuizen' is not a place in GeoNames: give a postcode") in found


def test_closed_sites_are_dropped_and_every_site_is_claimed_once(release) -> None:
    keys = [s.key for i in release.institutions for s in i.sites]
    assert len(keys) == len(set(keys))
    assert "rivm:102705" not in keys  # MC Slotervaart, closed 2018
    rivm, _problems = parse_rivm(bundled(RIVM_FILE))
    data = json.loads(bundled(OVERLAY).data)
    closed = {c["ziekenhuisnummer"] for c in data["rivm_sites_closed"]}
    # a closed or merged institution claims its locations but offers none
    ended = {
        s.location
        for rec in data["institutions"]
        if rec.get("status", "active") != "active"
        for s in rivm.values()
        if (
            s.organisation in rec["rivm_organisatienummers"]
            and s.location not in set(rec.get("rivm_sites_exclude", ()))
        )
        or s.location in set(rec.get("rivm_sites_include", ()))
    }
    expected = set(rivm) - closed - ended
    assert {int(k.split(":")[1]) for k in keys if k.startswith("rivm:")} == expected
    # MC Zuiderzee in Lelystad, taken over by St Jansdal, under its current name
    lelystad = [
        s for s in by_slug(release, "ziekenhuis-st-jansdal").sites if s.key == "rivm:102701"
    ]
    assert [s.name for s in lelystad] == ["St Jansdal Lelystad"]


def test_every_institution_has_a_site_and_known_kinds(release) -> None:
    assert all(i.sites for i in release.institutions if i.status == "active")
    assert not any(i.sites for i in release.institutions if i.status != "active")
    umcs = {i.slug for i in release.institutions if i.kind == "umc"}
    assert umcs == {"amsterdam-umc", "erasmus-mc", "lumc", "mumc-plus", "radboudumc", "umcg",
                    "umcu"}  # fmt: skip


def test_aliases_identify_one_institution(release) -> None:
    owner: dict[str, str] = {}
    for inst in release.institutions:
        for a in inst.aliases:
            key = fold_name(a.alias)
            assert owner.setdefault(key, inst.slug) == inst.slug, a.alias


def test_rivm_quirks_are_normalised() -> None:
    assert normalise_postcode("\t1363 BJ") == "1363 BJ"
    assert normalise_postcode("5801CE") == "5801 CE"
    assert normalise_postcode("5801 ce") == "5801 CE"
    assert normalise_postcode("58011 CE") is None
    rivm, problems = parse_rivm(bundled(RIVM_FILE))
    assert problems == []
    assert any(s.postcode == "1363 BJ" for s in rivm.values())
    assert {s.kind for s in rivm.values()} == {"hospital", "outpatient_clinic",
                                                "childrens_hospital"}  # fmt: skip


def test_geonames_mean_of_a_postcode_with_several_places() -> None:
    coords, problems = parse_geonames(
        source("NL.txt", "NL\t9489\tAssen\tDrenthe\t01\tA\t0106\t\t\t53.0\t6.5\t\n"
                         "NL\t9489\tZeijerveen\tDrenthe\t01\tA\t0106\t\t\t53.2\t6.7\t\n")
    )  # fmt: skip
    assert problems == []
    assert coords["9489"] == (53.1, 6.6)


# -- bad input ------------------------------------------------------------------------------


def test_bad_rivm_row_names_line_and_column() -> None:
    text = bundled(RIVM_FILE).data.decode()
    lines = text.splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[7], "ABCD 12")
    _sites, problems = parse_rivm(source("ziekenhuizen.csv", "\n".join(lines) + "\n"))
    assert [(p.location, p.field) for p in problems] == [("line 6", "postcode")]
    assert "'ABCD 12' is not a Dutch postcode" in problems[0].reason


def test_alias_of_two_institutions_is_rejected() -> None:
    def change(data):
        data["institutions"][1]["aliases"].append("AMC")

    with pytest.raises(InputRejected) as exc:
        parse_overlay(overlay_with(change))
    messages = [str(p) for p in exc.value.problems]
    assert len(messages) == 1
    assert "alias 'AMC' is also an alias of 'amsterdam-umc'" in messages[0]
    assert "institutions[2]" in messages[0]


def test_site_claimed_twice_and_unknown_organisation_are_rejected() -> None:
    def change(data):
        data["institutions"][1]["rivm_sites_include"] = [100102]  # Emma Kinderziekenhuis AMC
        data["institutions"][2]["rivm_organisatienummers"].append(999901)

    with pytest.raises(InputRejected) as exc:
        parse_overlay(overlay_with(change))
    reasons = " | ".join(p.reason for p in exc.value.problems)
    assert "already claimed by 'amsterdam-umc'" in reasons
    assert "999901 is not an organisation in the RIVM file" in reasons


def test_unknown_and_missing_fields_and_bad_values_are_all_reported() -> None:
    def change(data):
        inst = data["institutions"][0]
        inst["nmae"] = inst.pop("name")
        inst["kind"] = "hospital"
        inst["website"] = "www.example.org"
        inst["extra_sites"] = [{"name": "X", "address": "Straat 1", "postcode": "12345",
                                "place": "Y", "source": "test"}]  # fmt: skip

    with pytest.raises(InputRejected) as exc:
        parse_overlay(overlay_with(change))
    found = {(p.field, p.reason.split(" (")[0]) for p in exc.value.problems}
    assert ("name", "required field is missing") in found
    assert ("nmae", "unknown field") in found
    assert (
        "kind",
        "'hospital' is not one of: umc, categorical_cancer_centre, "
        "childrens_cancer_centre, top_clinical, general, radiotherapy, other",
    ) in found
    assert ("website", "'www.example.org' is not an http(s) URL") in found
    assert ("postcode", "'12345' is not a Dutch postcode") in found
    assert all(p.location.startswith("document, institutions[1]") or
               p.location.startswith("institutions[1]") for p in exc.value.problems)  # fmt: skip


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(InputRejected) as exc:
        parse_overlay(b'{"institutions": [\n  {"slug": "x",}\n]}')
    (problem,) = exc.value.problems
    assert problem.location == "line 2, column 16"  # the "}" after the comma


# -- writing: idempotence, retiring, provenance ------------------------------------------------


def test_reimport_changes_nothing_and_a_new_release_retires(
    expertise: ExpertiseService, seeded_sessions, release
) -> None:
    # The seeded catalogue already holds the bundled release.
    again = expertise.apply_institutions(release)
    assert again.status == "succeeded"
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)
    assert again.counts.unchanged == len(release.institutions) + sum(
        len(i.sites) for i in release.institutions
    )

    def change(data):
        data["institutions"] = [i for i in data["institutions"] if i["slug"] != "cwz"]
        data["institutions"][0]["name_en"] = "Amsterdam University Medical Centres"

    newer = parse_overlay(overlay_with(change))
    report = expertise.apply_institutions(newer)
    cwz_sites = len(by_slug(release, "cwz").sites)
    # CWZ's RIVM organisation is now unclaimed and comes back as an RIVM-only institution.
    assert report.counts.changed >= 1
    with seeded_sessions() as s:
        cwz = s.scalars(select(Institution).where(Institution.slug == "cwz")).one()
        assert cwz.retired_at is not None  # kept, with its history
        auto = s.scalars(
            select(Institution).where(Institution.origin == "rivm",
                                      Institution.rivm_organisations.is_not(None))
        ).all()  # fmt: skip
        replacement = [i for i in auto if 100901 in i.rivm_organisations]
        assert len(replacement) == 1
        assert replacement[0].retired_at is None
        assert len([x for x in replacement[0].sites if x.retired_at is None]) == cwz_sites
        # the alias "CWZ" now belongs to nobody active, "Canisius-Wilhelmina Ziekenhuis" moved
        amc = s.scalars(select(Institution).where(Institution.slug == "amsterdam-umc")).one()
        assert amc.name_en == "Amsterdam University Medical Centres"
        run = s.get(ImportRun, report.run_id)
        assert run is not None
        assert run.changed == report.counts.changed


def test_sites_carry_coordinates_and_provenance(seeded_sessions) -> None:
    with seeded_sessions() as s:
        sites = s.scalars(select(Site)).all()
        assert len(sites) > 250
        with_coords = [x for x in sites if x.lat is not None]
        assert len(with_coords) == len(sites) - 1  # PC4 6679 is missing from GeoNames
        missing = next(x for x in sites if x.lat is None)
        assert missing.pc4 == "6679"
        assert "not in GeoNames" in missing.source_ref
        umcg = s.scalars(select(Site).join(Institution).where(Institution.slug == "umcg")).first()
        assert umcg is not None
        assert "RIVM ziekenhuizen2016_dec.csv" in umcg.source_ref
        assert s.scalars(select(InstitutionAlias).where(InstitutionAlias.key == "nki avl")).one()
