"""Harmonisation: own, inherited (with the group) and descendants' designations per condition.

The classification used: 250908 > 98057 Rare tumor > 68411 Rare bone tumor >
223727 Bone sarcoma > 319 Skeletal Ewing sarcoma (and 55880, 668, ... next to it).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from directory.conditions.services import CatalogueService
from directory.expertise.kinds import SECTION_ORDER
from directory.expertise.models import Designation
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.services import ExpertiseService
from importers.ecza import parse_ecza
from importers.reference import parse_reference
from importers.registry import run_import
from tests.support.expertise import DATA_DIR, source

HEADER = (
    "centre_name,institutions,orphacode,level,ern,recognised_from,recognised_until,certainty,source"
)
TODAY = dt.date(2026, 11, 26)


def ecza(expertise: ExpertiseService, *rows: str) -> None:
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    release, rejected, _ = parse_ecza(source("ecza.csv", data))
    assert rejected == ()
    expertise.apply_ecza(release)


def labels(items) -> list[str]:
    return [a.designation.label.nl for a in items]


def test_own_then_inherited_nearest_group_first_then_descendants(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries
) -> None:
    ecza(
        expertise,
        "Bone group centre,lumc,68411,cluster,,,,confirmed,s",
        "Bone sarcoma centre,radboudumc,223727,cluster,,,,confirmed,s",
        "Ewing centre,umcg,319,disease,,,,confirmed,s",
        "Sibling centre,umcu,55880,disease,,,,confirmed,s",
    )
    ewing = expertise_queries.for_condition(319, TODAY).section("ecza").items
    assert labels(ewing) == ["Ewing centre", "Bone sarcoma centre", "Bone group centre"]
    assert [a.relation for a in ewing] == ["own", "inherited", "inherited"]
    assert [a.via.orphacode if a.via else None for a in ewing] == [None, 223727, 68411]
    assert [a.distance for a in ewing] == [0, 1, 2]

    group = expertise_queries.for_condition(223727, TODAY).section("ecza").items
    assert labels(group)[:2] == ["Bone sarcoma centre", "Bone group centre"]
    below = [a for a in group if a.relation == "descendant"]
    assert {a.designation.label.nl for a in below} == {"Ewing centre", "Sibling centre"}
    assert all(a.distance == 1 for a in below)
    assert group.index(below[0]) > 1  # ranked lower than own and inherited


def test_the_sections_always_come_in_the_fixed_order(
    expertise_queries: ExpertiseQueries,
) -> None:
    result = expertise_queries.for_condition(319, TODAY)
    # ERN memberships are not a section: they come apart (result.networks)
    assert tuple(s.kind for s in result.sections) == SECTION_ORDER[:-1]
    assert SECTION_ORDER == (
        "panel",
        "ecza",
        "soncos_reference_centre",
        "expertise_centre",
        "working_group_centre",
        "preferred_partner",
        "ern_member",
    )


def test_recognised_centre_needs_a_named_confirmed_current_recognition_of_its_own(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries
) -> None:
    ecza(expertise, "Group centre,lumc,223727,cluster,,,,confirmed,s")
    assert not expertise_queries.for_condition(319, TODAY).has_recognised_centre  # inherited only
    ecza(expertise, "Maybe,umcg,319,disease,,,,uncertain,s")
    assert not expertise_queries.for_condition(319, TODAY).has_recognised_centre  # unconfirmed
    ecza(expertise, "Old,umcg,319,disease,,2015-01-01,2020-01-01,confirmed,s")
    result = expertise_queries.for_condition(319, TODAY)
    assert not result.has_recognised_centre  # expired
    (old,) = result.section("ecza").items[:1]
    assert old.designation.expired
    ecza(
        expertise,
        "Old,umcg,319,disease,,2015-01-01,2020-01-01,confirmed,s",
        "Current,umcg,319,disease,,2022-01-01,2027-01-01,confirmed,s",
    )
    result = expertise_queries.for_condition(319, TODAY)
    assert result.has_recognised_centre
    assert result.next_best is None
    assert labels(result.section("ecza").items)[:2] == ["Current", "Old"]  # expired after


def test_unnamed_recognitions_are_reported_as_such(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries
) -> None:
    ecza(expertise, "(centrum niet genoemd in bron),,319,disease,,,,confirmed,s")
    result = expertise_queries.for_condition(319, TODAY)
    assert result.unnamed_recognitions
    assert not result.has_recognised_centre


def test_next_best_route_gives_group_centres_national_panels_and_euracan(
    catalogue: CatalogueService,
    expertise: ExpertiseService,
    expertise_queries: ExpertiseQueries,
) -> None:
    for name in ("networks", "working-groups", "panels"):
        run_import(catalogue, name, data_dir=DATA_DIR)
    reference = json.loads((DATA_DIR / "curated" / "reference.json").read_text("utf-8"))
    euracan = next(e for e in reference["erns"] if e["slug"] == "euracan")
    euracan["nl_members"] = [
        {"institution": "lumc", "certainty": "confirmed", "domains": ["sarcoma"]},
        {"institution": "umcg", "certainty": "confirmed", "domains": ["thorax"]},
    ]
    expertise.apply_reference(parse_reference(source("reference.json", json.dumps(reference))))
    ecza(expertise, "Bone sarcoma centre,lumc,223727,cluster,,,,confirmed,s")
    result = expertise_queries.for_condition(319, TODAY)
    route = result.next_best
    assert route is not None
    assert [a.designation.label.nl for a in route.group_centres] == ["Bone sarcoma centre"]
    assert "commissie-voor-beentumoren" in [p.slug for p in route.panels]
    assert "dsg" in [g.slug for g in route.working_groups]
    assert [d.slug for d in route.domains] == ["sarcoma"]
    # only the member for this domain, and as a network membership, never a centre
    assert [i.slug for i in route.euracan_members] == ["lumc"]
    assert [a.designation.kind for a in result.networks] == ["ern_member"]
    assert all(s.kind != "ern_member" for s in result.sections)


def test_retired_designations_are_not_shown_but_kept(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries, seeded_sessions
) -> None:
    ecza(expertise, "Ewing centre,umcg,319,disease,,,,confirmed,s")
    ecza(expertise, "Other centre,umcu,55880,disease,,,,confirmed,s")  # a new release without it
    assert expertise_queries.for_condition(319, TODAY).section("ecza").items == ()
    with seeded_sessions() as s:
        retired = s.scalar(
            select(func.count()).select_from(Designation).where(Designation.retired_at.is_not(None))
        )
        assert retired == 1
    detail = expertise_queries.institution("umcg", TODAY)
    assert detail is not None
    assert [d.label.nl for d in detail.former] == ["Ewing centre"]


def test_condition_facets_for_search_include_inherited_expertise(
    expertise: ExpertiseService, expertise_queries: ExpertiseQueries
) -> None:
    ecza(expertise, "Bone group centre,lumc,68411,cluster,,,,confirmed,s")
    facets = expertise_queries.condition_facets_for_index()
    ewing = facets[319]
    assert "ecza" in ewing.kinds
    assert "lumc" in ewing.institutions
    assert "ecza" not in ewing.own_kinds
    assert "sarcoma" in ewing.domains
    assert "ecza" in facets[68411].own_kinds
