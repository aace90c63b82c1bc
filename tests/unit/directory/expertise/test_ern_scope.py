"""ERN memberships reach the conditions each ERN covers (issue 3), as facts about the
institutions in a network: never a condition's centre, never a search facet's place (issue 10)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from directory.errors import InputRejected
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.services import ExpertiseService
from importers.reference import parse_reference
from tests.support.expertise import bundled, source


def _ern_members(queries: ExpertiseQueries, code: int) -> dict[str, set[str]]:
    """ERN slug -> Dutch members shown for the condition (own or via its groups)."""
    found: dict[str, set[str]] = {}
    for a in queries.for_condition(code).networks:
        if a.relation in ("own", "inherited") and a.designation.ern is not None:
            found.setdefault(a.designation.ern.slug, set()).update(
                i.slug for i in a.designation.institutions
            )
    return found


def _scope(slug: str) -> dict[int, str]:
    data = json.loads(bundled("curated/reference.json").data)
    (ern,) = [e for e in data["erns"] if e["slug"] == slug]
    return {c["code"]: c["name_en"] for c in ern.get("scope_orphacodes", [])}


def test_every_ern_with_dutch_members_has_a_scope_in_the_curated_file() -> None:
    data = json.loads(bundled("curated/reference.json").data)
    ref = parse_reference(bundled("curated/reference.json"))
    for e in data["erns"]:
        if e["nl_members"] and e["slug"] != ref.euracan_scope_ern and e.get("scope_orphacodes"):
            # The mapping says where it comes from.
            assert any("mapping" in s.get("locator", "") for s in e["sources"]), e["slug"]


@pytest.mark.parametrize(
    ("ern", "member", "code"),
    [
        ("paedcan", "prinses-maxima-centrum", 635),  # neuroblastoma
        ("paedcan", "prinses-maxima-centrum", 616),  # medulloblastoma
        ("genturis", "radboudumc", 140162),  # inherited cancer-predisposing syndrome
    ],
)
def test_ern_members_show_under_the_conditions_the_ern_covers(
    expertise_queries: ExpertiseQueries, ern: str, member: str, code: int
) -> None:
    expertise = expertise_queries.for_condition(code)
    assert member in _ern_members(expertise_queries, code).get(ern, set())
    # a membership is not a centre: not in the sections, not counted, not a place to go
    assert all(s.kind != "ern_member" for s in expertise.sections)
    assert not expertise.has_recognised_centre or any(
        a.designation.names_centre for s in expertise.sections for a in s.items
    )
    facets = expertise_queries.condition_facets_for_index()[code]
    assert "ern_member" in facets.kinds
    assert member not in facets.institutions


def test_scope_codes_are_real_orphanet_groups_and_children_inherit(
    expertise_queries: ExpertiseQueries,
) -> None:
    genturis = _scope("genturis")
    assert genturis == {140162: "Inherited cancer-predisposing syndrome"}
    # A syndrome below the group (Li-Fraumeni syndrome, ORPHA:524) inherits the member.
    assert "radboudumc" in _ern_members(expertise_queries, 524).get("genturis", set())
    # ... and the children's cancer centre is not offered for it.
    assert "paedcan" not in _ern_members(expertise_queries, 524)


def test_unknown_scope_code_is_a_problem_naming_the_ern(expertise: ExpertiseService) -> None:
    data = json.loads(bundled("curated/reference.json").data)
    position = next(n for n, e in enumerate(data["erns"], start=1) if e["slug"] == "genturis")
    data["erns"][position - 1]["scope_orphacodes"] = [{"code": 987654321}]
    release = parse_reference(source("reference.json", json.dumps(data).encode()))
    with pytest.raises(InputRejected) as exc:
        expertise.apply_reference(release)
    (problem,) = exc.value.problems
    assert problem.location.startswith(f"erns[{position}]")
    assert problem.field == "scope_orphacodes"
    assert "987654321" in problem.reason


def _unused(_: Any) -> None: ...
