"""Issue 10's model: the source register, institution lifecycles, exclusions, the route for
children, and ERN memberships that are never a condition's centre. Synthetic data on
the seeded catalogue, so each test fails when its mechanism breaks, whatever the
bundled data says."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from config.settings import PROJECT_ROOT
from directory.errors import InputRejected
from directory.expertise.coverage import CoverageQueries
from directory.expertise.models import Institution, InstitutionAlias, Site
from directory.expertise.provenance import page_title, source_views
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.services import ExpertiseService
from importers.ecza import parse_ecza, parse_source_list
from importers.expertise_centres import parse_expertise_centres
from importers.institutions import GEONAMES_FILE, RIVM_FILE, parse_institutions
from importers.soncos import parse_soncos
from importers.sources import parse_sources
from tests.support.expertise import bundled, source

REGISTER = {
    "sources": [
        {
            "slug": "lumc-oogtumoren",
            "publisher": "LUMC",
            "publisher_kind": "hospital",
            "title": "Oogoncologie Centrum Leiden",
            "url": "https://www.lumc.nl/oogoncologie",
            "page_date": "2024-03",
            "read_on": "2026-12-02",
        },
        {
            "slug": "platform-test",
            "publisher": "Patiëntenplatform Test",
            "publisher_kind": "patient_platform",
            "title": "Waar behandeld",
            "url": "https://example.org/waar",
            "page_date": None,
            "read_on": "2026-12-01",
        },
    ]
}
ECZA_HEADER = (
    "centre_name,institutions,orphacode,level,ern,recognised_from,recognised_until,"
    "certainty,sources"
)


def register(expertise: ExpertiseService, extra: list[dict[str, object]] | None = None) -> None:
    data = json.loads(json.dumps(REGISTER))
    data["sources"] += extra or []
    bundled_register = json.loads(bundled("curated/sources.json").data)
    data["sources"] += bundled_register["sources"]
    report = expertise.apply_sources(parse_sources(source("sources.json", json.dumps(data))))
    assert report.status == "succeeded"


def ecza(expertise: ExpertiseService, *rows: str):
    data = ("\n".join([ECZA_HEADER, *rows]) + "\n").encode()
    release, rejected, _ = parse_ecza(source("ecza.csv", data))
    assert rejected == ()
    return expertise.apply_ecza(release)


def centres(expertise: ExpertiseService, *records: dict[str, object]):
    data = json.dumps({"centres": list(records)})
    return expertise.apply_expertise_centres(parse_expertise_centres(source("c.json", data)))


# -- the source register -------------------------------------------------------------------


def test_register_entries_are_checked_field_by_field() -> None:
    bad = {
        "sources": [
            {
                "slug": "Bad Slug",
                "publisher": "X",
                "publisher_kind": "blog",
                "title": "T",
                "url": "ftp://x",
                "page_date": "April 2023",
                "read_on": "yesterday",
            }
        ]
    }
    with pytest.raises(InputRejected) as exc:
        parse_sources(source("sources.json", json.dumps(bad)))
    fields = {p.field for p in exc.value.problems}
    assert {"slug", "publisher_kind", "url", "page_date", "read_on"} <= fields


def test_a_fact_citing_an_unknown_source_is_refused_with_its_record(
    expertise: ExpertiseService,
) -> None:
    register(expertise)
    with pytest.raises(InputRejected) as exc:
        ecza(expertise, "LUMC oog,lumc,39044,disease,,,,confirmed,lumc-oogtumorren#p. 2")
    (problem,) = exc.value.problems
    assert problem.location == "line 2"
    assert "unknown source 'lumc-oogtumorren'" in problem.reason
    assert "lumc-oogtumoren" in problem.reason  # the closest slug is offered


def test_a_cited_source_cannot_leave_the_register(expertise: ExpertiseService) -> None:
    register(expertise)
    ecza(expertise, "LUMC oog,lumc,39044,disease,,,,confirmed,lumc-oogtumoren")
    data = json.loads(bundled("curated/sources.json").data)  # without the LUMC entry
    with pytest.raises(InputRejected) as exc:
        expertise.apply_sources(parse_sources(source("sources.json", json.dumps(data))))
    assert any("lumc-oogtumoren" in p.reason for p in exc.value.problems)


def test_source_lists_in_csv_cells() -> None:
    refs, why = parse_source_list("lumc-oogtumoren#§2 | platform-test")
    assert why is None
    assert [(r.source, r.locator) for r in refs] == [
        ("lumc-oogtumoren", "§2"),
        ("platform-test", None),
    ]
    assert parse_source_list("not a slug")[1] is not None


def test_sources_resolve_to_publisher_title_date_and_link(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries
) -> None:
    register(expertise)
    ecza(expertise, "LUMC oog,lumc,39044,disease,,,,confirmed,lumc-oogtumoren#§3.1")
    (item,) = expertise_queries.for_condition(39044).section("ecza").items
    (view,) = item.designation.sources
    assert view.document is not None
    assert (view.document.publisher, view.document.publisher_kind) == ("LUMC", "hospital")
    assert view.url == "https://www.lumc.nl/oogoncologie"
    assert view.locator == "§3.1"  # for editors; pages never show it
    assert item.designation.sourced
    assert item.designation.names_centre
    assert source_views([{"ref": "https://example.org/x"}], {})[0].url == "https://example.org/x"


# -- institution lifecycle ------------------------------------------------------------------


def _closing(data: dict[str, object]) -> None:
    institutions = data["institutions"]
    assert isinstance(institutions, list)
    institutions.append(
        {
            "slug": "havenziekenhuis",
            "name": "Havenziekenhuis",
            "name_en": None,
            "kind": "general",
            "kind_certainty": "confirmed",
            "network": None,
            "network_certainty": None,
            "network_note": None,
            "aliases": ["Havenziekenhuis Rotterdam", "Havenpoli"],
            "rivm_organisatienummers": [102501],
            "website": None,
            "corrections": [],
            "sources": [{"ref": "test"}],
            "status": "merged",
            "ended_on": "2017-01-01",
            "successor": "erasmus-mc",
            "lifecycle": {"nl": "Opgegaan in het Erasmus MC.", "en": "Merged into Erasmus MC."},
        }
    )


def _overlay(change) -> bytes:
    data = json.loads(bundled("curated/institutions.json").data)
    data["institutions"] = [i for i in data["institutions"] if i["slug"] != "havenziekenhuis"]
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


def test_a_closed_hospital_has_no_sites_and_its_names_lead_to_its_successor() -> None:
    release = parse_institutions(
        source("institutions.json", _overlay(_closing)), bundled(RIVM_FILE), bundled(GEONAMES_FILE)
    )
    haven = next(i for i in release.institutions if i.slug == "havenziekenhuis")
    erasmus = next(i for i in release.institutions if i.slug == "erasmus-mc")
    assert haven.status == "merged"
    assert haven.sites == ()
    assert haven.aliases == ()
    former = {a.alias for a in erasmus.aliases if a.origin == "former"}
    assert {"Havenziekenhuis", "Havenziekenhuis Rotterdam", "Havenpoli"} <= former
    # its RIVM organisation is claimed, so it is not imported as a live hospital
    assert not any(
        102501 in i.rivm_organisations for i in release.institutions if i.origin == "rivm"
    )


def test_a_closed_hospital_needs_a_date_and_an_explanation() -> None:
    def change(data: dict[str, object]) -> None:
        _closing(data)
        haven = data["institutions"][-1]  # type: ignore[index]
        del haven["ended_on"], haven["lifecycle"]

    with pytest.raises(InputRejected) as exc:
        parse_institutions(
            source("institutions.json", _overlay(change)),
            bundled(RIVM_FILE),
            bundled(GEONAMES_FILE),
        )
    assert any(p.field == "status" for p in exc.value.problems)


def test_closed_hospitals_are_never_offered_and_cannot_be_named(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries, seeded_sessions
) -> None:
    release = parse_institutions(
        source("institutions.json", _overlay(_closing)), bundled(RIVM_FILE), bundled(GEONAMES_FILE)
    )
    assert expertise.apply_institutions(release).status == "succeeded"
    with seeded_sessions() as s:
        haven = s.scalars(select(Institution).where(Institution.slug == "havenziekenhuis")).one()
        erasmus = s.scalars(select(Institution).where(Institution.slug == "erasmus-mc")).one()
        assert haven.successor_id == erasmus.id
        assert not s.scalars(select(Site).where(Site.institution_id == haven.id)).all()
        owner = s.scalars(
            select(InstitutionAlias.institution_id).where(
                InstitutionAlias.alias == "Havenziekenhuis"
            )
        ).one()
        assert owner == erasmus.id
    rows = {r.slug: r for r in expertise_queries.institutions_for_index()}
    assert "havenziekenhuis" not in rows  # a former name of its successor
    # Closed without a successor: indexed as itself, to be found and to say so.
    assert rows["mc-emmeloord"].status == "closed"
    assert rows["mc-emmeloord"].sites == ()
    assert rows["erasmus-mc"].status == "active"
    detail = expertise_queries.institution("erasmus-mc")
    assert detail is not None
    assert "Havenziekenhuis" in detail.former_names
    closed = expertise_queries.institution("havenziekenhuis")
    assert closed is not None
    assert closed.lifecycle is not None
    assert closed.lifecycle.successor is not None
    assert closed.lifecycle.successor.slug == "erasmus-mc"
    with pytest.raises(InputRejected) as exc:
        ecza(expertise, "Haven,havenziekenhuis,39044,disease,,,,uncertain,redactie-expertisewijzer")
    assert "closed" in exc.value.problems[0].reason


# -- scopes with exclusions ------------------------------------------------------------------


def test_an_excluded_group_and_everything_below_it_is_out_of_reach(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries
) -> None:
    soncos = json.loads(bundled("curated/soncos.json").data)
    record = next(r for r in soncos["soncos_reference_centres"] if r["slug"] == "bottumoren")
    record["orphacodes"] = [{"code": 68411}]  # Rare bone tumor, which holds benign lesions too
    record["exclude_orphacodes"] = [{"code": 223727}]  # ... minus bone sarcoma, for the test
    expertise.apply_soncos(parse_soncos(source("soncos.json", json.dumps(soncos))))

    def slugs(code: int) -> set[str]:
        found = expertise_queries.for_condition(code).section("soncos_reference_centre").items
        return {a.designation.label.en or "" for a in found}

    label = record["tumour_group"]["en"]
    assert label not in slugs(319)  # Ewing sarcoma is below the excluded bone sarcoma
    assert label not in slugs(223727)
    assert label in slugs(68411)
    facets = expertise_queries.condition_facets_for_index()
    assert "soncos_reference_centre" not in facets.get(319).kinds or any(
        label != r["tumour_group"]["en"] for r in soncos["soncos_reference_centres"]
    )


# -- children, and ERN memberships -----------------------------------------------------------


def test_the_childrens_route_is_shown_apart_and_never_as_the_adults_centre(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries, seeded_sessions
) -> None:
    register(expertise)
    report = centres(
        expertise,
        {
            "slug": "kinderen-test",
            "name": {"nl": "Centrum voor kinderen", "en": "Centre for children"},
            "institutions": ["prinses-maxima-centrum"],
            "basis": "childrens_centre",
            "population": "children",
            "orphacodes": [{"code": 98057}],
            "exclude_orphacodes": [{"code": 68411}],
            "certainty": "confirmed",
            "sources": [{"source": "platform-test"}],
        },
    )
    assert report.status == "succeeded"
    neuro = expertise_queries.for_condition(635)  # neuroblastoma
    assert [a.designation.label.en for a in neuro.for_children] == ["Centre for children"]
    assert all(a.designation.population != "children" for s in neuro.sections for a in s.items)
    assert not neuro.has_recognised_centre
    assert expertise_queries.for_condition(319).for_children == ()  # excluded: bone tumours
    facets = expertise_queries.condition_facets_for_index()[635]
    assert "prinses-maxima-centrum" not in facets.institutions
    coverage = CoverageQueries(seeded_sessions).report()
    assert coverage.children_route > 0


def test_an_ern_membership_is_never_a_condition_centre(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries, seeded_sessions
) -> None:
    from importers.reference import parse_reference

    data = json.loads(bundled("curated/reference.json").data)
    euracan = next(e for e in data["erns"] if e["slug"] == "euracan")
    euracan["nl_members"] = [
        {"institution": "lumc", "certainty": "confirmed", "domains": ["thorax"]}
    ]
    expertise.apply_reference(parse_reference(source("reference.json", json.dumps(data))))
    meso = expertise_queries.for_condition(50251)
    assert [i.slug for a in meso.networks for i in a.designation.institutions] == ["lumc"]
    assert not meso.has_recognised_centre
    assert all(a.designation.kind != "ern_member" for s in meso.sections for a in s.items)
    assert "lumc" not in expertise_queries.condition_facets_for_index()[50251].institutions
    before = CoverageQueries(seeded_sessions).report().counts
    assert before["own"] + before["group"] == 0  # no centre: only the ERN member is known


# -- coverage -----------------------------------------------------------------------------------


def test_coverage_classes_follow_the_sources(expertise: ExpertiseService, seeded_sessions) -> None:
    register(expertise)
    queries = CoverageQueries(seeded_sessions)
    start = queries.report()
    assert start.total == sum(start.counts.values()) > 1000
    ecza(expertise, "Botsarcoom,lumc;umcg,223727,cluster,,,,confirmed,lumc-oogtumoren")
    ecza(
        expertise,
        "Botsarcoom,lumc;umcg,223727,cluster,,,,confirmed,lumc-oogtumoren",
        "Twijfel,radboudumc,55880,disease,,,,uncertain,redactie-expertisewijzer",
    )
    after = queries.report()
    classes = queries.classes()
    assert classes[223727] == "own"
    assert classes[319] == "group"  # Ewing sarcoma, through its group
    # an unconfirmed centre of its own is no named centre; its sourced group's centre is
    assert classes[55880] == "group"
    assert after.counts["own"] == start.counts["own"] + 1
    assert after.counts["none"] <= start.counts["none"]


def test_patient_resources_are_checked_and_imported(expertise: ExpertiseService) -> None:
    from importers.patient_resources import parse_patient_resources

    register(expertise)
    bad = {
        "resources": [
            {
                "slug": "x",
                "kind": "club",
                "name": "X",
                "website": "javascript:alert(1)",
                "description": {"nl": "a", "en": "b"},
                "orphacodes": [],
                "sources": [{"source": "platform-test"}],
            }
        ]
    }
    with pytest.raises(InputRejected) as exc:
        parse_patient_resources(source("r.json", json.dumps(bad)))
    assert {"kind", "website", "orphacodes"} <= {p.field for p in exc.value.problems}
    good = json.loads(json.dumps(bad))
    good["resources"][0].update(
        kind="patient_organisation", website="https://example.org/", orphacodes=[{"code": 3394}]
    )
    report = expertise.apply_patient_resources(
        parse_patient_resources(source("r.json", json.dumps(good)))
    )
    assert (report.status, report.counts.added) == ("succeeded", 1)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            "(page title not shown) Skipr: Oogziekenhuis Rotterdam",
            ("Skipr: Oogziekenhuis Rotterdam", False),
        ),
        ("(paginatitel niet getoond) Stichting Olijf", ("Stichting Olijf", False)),
        ("Maagkanker (erfelijk)", ("Maagkanker (erfelijk)", True)),
    ],
)
def test_a_title_the_page_does_not_show_is_marked_in_any_language(
    raw: str, shown: tuple[str, bool]
) -> None:
    # The register wrote the marker in English or Dutch, and pages showed it as it was
    # ("(paginatitel niet getoond)" on an English page).
    assert page_title(raw) == shown


def test_every_register_title_marker_is_one_we_read() -> None:
    # A new spelling of the marker would be shown as if it were the page's title.
    register = PROJECT_ROOT / "data" / "curated" / "sources.json"
    titles = [s["title"] for s in json.loads(register.read_text(encoding="utf-8"))["sources"]]
    marked = [t for t in titles if t.startswith("(") and ("shown" in t or "getoond" in t)]
    assert len(marked) > 50
    assert [t for t in marked if page_title(t)[1]] == []
