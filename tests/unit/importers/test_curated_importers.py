"""Reference data, networks, working groups, panels and SONCOS: valid data, bad rows, releases."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from directory.expertise.models import (
    Designation,
    Institution,
    Network,
    NetworkMembership,
    Panel,
    PanelInstitution,
    ScopeCondition,
    WorkingGroup,
)
from directory.expertise.services import ExpertiseService
from importers.panels import parse_panels
from importers.reference import parse_networks, parse_reference
from importers.registry import run_import
from importers.soncos import parse_soncos
from importers.working_groups import parse_working_groups
from tests.support.expertise import DATA_DIR, bundled, source


def edited(relative: str, change: Callable[[Any], None]) -> bytes:
    data = json.loads(bundled(relative).data)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


def problems_of(parse: Callable[..., Any], name: str, data: bytes) -> list[tuple[str, str | None]]:
    with pytest.raises(InputRejected) as exc:
        parse(source(name, data))
    return [(p.location, p.field) for p in exc.value.problems]


# -- reference data -------------------------------------------------------------------------


def test_reference_holds_24_erns_10_domains_and_the_roles() -> None:
    ref = parse_reference(bundled("curated/reference.json"))
    assert len(ref.erns) == 24
    assert [d.slug for d in ref.domains][:2] == ["sarcoma", "female-genital"]
    assert len(ref.domains) == 10
    roles = {r.code: r for r in ref.roles}
    assert {"member", "oncological_centre", "preferred_partner", "expert_centre",
            "partner_hospital"} <= set(roles)  # fmt: skip
    assert roles["expert_centre"].model == "shared_care"
    assert roles["expert_centre"].echelon == 1
    assert ref.euracan_scope_ern == "euracan"


def test_reference_bad_rows() -> None:
    def change(data: Any) -> None:
        data["erns"][1]["code"] = data["erns"][0]["code"]
        data["euracan_domains"][0]["number"] = "X1"
        data["euracan_domains"][1]["orphacodes"] = [{"code": "68411"}]
        data["body_areas"][0]["name"] = {"nl": "Hoofd"}
        data["shared_care_roles"][0]["echelon"] = 7

    found = problems_of(parse_reference, "reference.json", edited("curated/reference.json", change))
    fields = {f for _w, f in found}
    assert {"code", "number", "orphacodes", "name", "echelon"} <= fields
    assert any(w.startswith("euracan_domains[2]") for w, f in found if f == "orphacodes")


def test_ern_members_become_designations_and_reimport_changes_nothing(
    expertise: ExpertiseService, seeded_sessions
) -> None:
    ref = parse_reference(bundled("curated/reference.json"))
    again = expertise.apply_reference(ref)
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)
    wanted = sum(len(e.members) for e in ref.erns)
    # A EURACAN member reaches the codes of the domains it is a member for, and no others.
    data = json.loads(bundled("curated/reference.json").data)
    euracan = next(e for e in data["erns"] if e["slug"] == "euracan")
    euracan["nl_members"] = [
        {"institution": "lumc", "certainty": "confirmed", "domains": ["sarcoma"]},
        {"institution": "umcg", "certainty": "confirmed"},
    ]
    expertise.apply_reference(parse_reference(source("reference.json", json.dumps(data))))
    with seeded_sessions() as s:
        members = s.scalars(select(Designation).where(Designation.kind == "ern_member")).all()
        codes = {
            d.key: {c.orphacode for c in d.conditions}
            for d in members
            if d.key.startswith("euracan:") and d.retired_at is None
        }
        assert codes == {"euracan:lumc": {68411, 71209}, "euracan:umcg": set()}
        assert (
            len([d for d in members if d.retired_at is None])
            == wanted - len(ref.erns[[e.slug for e in ref.erns].index("euracan")].members) + 2
        )


# -- networks ---------------------------------------------------------------------------------


def test_networks_with_roles_and_preferred_partners(
    catalogue: CatalogueService, seeded_sessions
) -> None:
    (report,) = run_import(catalogue, "networks", data_dir=DATA_DIR)
    assert report.status == "succeeded"
    with seeded_sessions() as s:
        hn = s.scalars(select(Network).where(Network.slug == "hoofd-hals-oncologie")).one()
        members = s.scalars(select(NetworkMembership).where(NetworkMembership.network_id == hn.id))
        roles: dict[str, int] = {}
        partners = 0
        for m in members:
            roles[m.role] = roles.get(m.role, 0) + 1
            partners += m.partner_of_id is not None
        assert roles == {"oncological_centre": 8, "preferred_partner": 6}
        assert partners == 6
    (again,) = run_import(catalogue, "networks", data_dir=DATA_DIR)
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)


def test_the_aya_care_network_and_its_named_members_import(
    catalogue: CatalogueService, seeded_sessions
) -> None:
    """Young adults with cancer (18 to 39) have a national care network, not a tumour type."""
    (report,) = run_import(catalogue, "networks", data_dir=DATA_DIR)
    assert report.status == "succeeded"
    with seeded_sessions() as s:
        aya = s.scalars(select(Network).where(Network.slug == "aya-zorgnetwerk")).one()
        assert aya.kind == "shared_care"
        assert aya.status is None
        assert {"AYA", "AYA Zorgnetwerk", "jongvolwassenen met kanker",
                "young adults with cancer"} <= set(aya.aliases)  # fmt: skip
        rows = s.execute(
            select(Institution.slug, NetworkMembership.role, NetworkMembership.certainty)
            .join(Institution, Institution.id == NetworkMembership.institution_id)
            .where(NetworkMembership.network_id == aya.id)
        ).all()
        certainty = {slug: c for slug, _role, c in rows}
        assert {role for _slug, role, _c in rows} == {"member"}
        # the knowledge centres a page names (no page named the LUMC) and the general
        # hospitals a page names as part of the network
        assert {"nki-avl", "radboudumc", "umcu", "erasmus-mc", "umcg", "amsterdam-umc",
                "mumc-plus"} <= set(certainty)  # fmt: skip
        assert {"maxima-mc", "bravis", "diakonessenhuis", "flevoziekenhuis", "groene-hart",
                "streekziekenhuis-koningin-beatrix"} <= set(certainty)  # fmt: skip
        assert "lumc" not in certainty
        # their own page (or the network's) confirms; a news item or a partner reports
        assert certainty["nki-avl"] == certainty["radboudumc"] == "confirmed"
        assert certainty["maxima-mc"] == certainty["bravis"] == "confirmed"
        assert certainty["umcg"] == certainty["groene-hart"] == "reported"
        assert all(s.scalars(
            select(NetworkMembership.note_nl).where(NetworkMembership.network_id == aya.id)
        ))  # fmt: skip


def test_network_member_with_unknown_institution_or_role(expertise: ExpertiseService) -> None:
    def change(data: Any) -> None:
        data["networks"][0]["members"][0]["institution"] = "Martini Ziekenhuiss"
        data["networks"][1]["members"][0]["role"] = "boss"

    release = parse_networks(source("networks.json", edited("curated/networks.json", change)))
    with pytest.raises(InputRejected) as exc:
        expertise.apply_networks(release)
    reasons = [p.reason for p in exc.value.problems]
    assert any("unknown institution 'Martini Ziekenhuiss'" in r and "'Martini Ziekenhuis'" in r
               for r in reasons)  # fmt: skip
    assert any(r.startswith("unknown role 'boss'") for r in reasons)


def test_preferred_partner_needs_its_centre() -> None:
    def change(data: Any) -> None:
        hn = next(n for n in data["networks"] if n["slug"] == "hoofd-hals-oncologie")
        partner = next(m for m in hn["members"] if m["role"] == "preferred_partner")
        del partner["partner_of"]

    found = problems_of(parse_networks, "networks.json", edited("curated/networks.json", change))
    assert [f for _w, f in found] == ["partner_of"]


# -- working groups ---------------------------------------------------------------------------


def test_all_working_groups_of_seed_002_are_there() -> None:
    groups = parse_working_groups(bundled("curated/working_groups.json")).working_groups
    abbreviations = {g.abbreviation for g in groups}
    for name in ("NWHHT", "DSG", "WOG", "DBNETS", "DUCG", "DPCG", "DHCG", "DCCG", "DPOG",
                 "D.A.N.", "DTCG", "NVALT", "DMSG", "LWNO", "NABON", "NVU", "DUOS"):  # fmt: skip
        assert name in abbreviations, name
    gist = next(g for g in groups if g.slug == "gist-consortium")
    assert gist.parent is not None
    assert gist.parent.value == "dsg"


def test_working_group_bad_rows() -> None:
    def change(data: Any) -> None:
        data["working_groups"][0]["parent"] = data["working_groups"][1]["slug"]
        data["working_groups"][1]["parent"] = data["working_groups"][0]["slug"]
        data["working_groups"][2]["kind"] = "club"
        data["working_groups"][3]["slug"] = "Not A Slug"
        data["working_groups"][4]["parent"] = "no-such-group"

    data = edited("curated/working_groups.json", change)
    with pytest.raises(InputRejected) as exc:
        parse_working_groups(source("working_groups.json", data))
    reasons = [(p.field, p.reason) for p in exc.value.problems]
    assert sum("is a cycle" in r for f, r in reasons if f == "parent") == 2
    assert ("parent", "unknown working group 'no-such-group'") in reasons
    assert any(f == "kind" and r.startswith("'club' is not one of") for f, r in reasons)
    assert any(f == "slug" and "'Not A Slug' is not a slug" in r for f, r in reasons)


def test_working_groups_make_centre_and_partner_designations(
    catalogue: CatalogueService, expertise: ExpertiseService, seeded_sessions
) -> None:
    run_import(catalogue, "networks", data_dir=DATA_DIR)
    release = parse_working_groups(bundled("curated/working_groups.json"))
    report = expertise.apply_working_groups(release)
    assert report.status == "succeeded"
    with seeded_sessions() as s:
        nwhht = s.scalars(select(Designation).where(Designation.key == "nwhht")).one()
        assert nwhht.kind == "working_group_centre"
        assert len(nwhht.institutions) == 8
        partners = s.scalars(
            select(Designation).where(Designation.kind == "preferred_partner")
        ).all()
        assert len(partners) == 6
        assert all(p.partner_of_id is not None for p in partners)  # found via the network
        gist = s.scalars(select(WorkingGroup).where(WorkingGroup.slug == "gist-consortium")).one()
        dsg = s.scalars(select(WorkingGroup).where(WorkingGroup.slug == "dsg")).one()
        assert gist.parent_id == dsg.id
    again = expertise.apply_working_groups(release)
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)


# -- panels ----------------------------------------------------------------------------


def test_panels_from_the_seeds_with_every_field_of_seed_000() -> None:
    panels = {p.slug: p for p in parse_panels(bundled("curated/panels.json")).panels}
    for slug in ("commissie-voor-beentumoren", "werkgroep-trofoblasttumoren",
                 "landelijk-mdo-thymustumoren", "thymomenpanel-pathologie",
                 "adviesgroep-kanker-in-de-zwangerschap", "landelijk-panel-dhcg",
                 "expertpanel-hpb-noordoost-nederland", "expertpanel-pc-noord-holland-flevoland",
                 "expertpanel-crlm-noord-holland"):  # fmt: skip
        assert slug in panels
    hpb = panels["expertpanel-hpb-noordoost-nederland"]
    texts = dict(hpb.texts)
    stems = ("volume", "purpose", "who_may_submit", "working_method", "turnaround",
             "feedback_route", "what_to_include", "patient_consent", "contact_route")  # fmt: skip
    for stem in stems:
        assert texts[stem] is not None, stem
    assert hpb.turnaround_days == (3, 5)
    assert hpb.portal_name == "IHE-XDS"
    assert len(hpb.disciplines.nl) == len(hpb.disciplines.en) == 8
    assert hpb.level == "regional"


def test_panel_bad_rows() -> None:
    def change(data: Any) -> None:
        p = data["panels"][0]
        p["turnaround_working_days"] = {"min": 5, "max": 3}
        p["submission_route"] = {"kind": "email", "portal_name": None, "url": None, "email": None}
        p["level"] = "european"
        p["purpose"] = "only one language"
        data["panels"][1]["clinical_trials_in_advice"] = "yes"
        data["framework"]["conditions"][0]["fields"] = ["scope", "secret_field"]

    found = problems_of(parse_panels, "panels.json", edited("curated/panels.json", change))
    fields = {f for _w, f in found}
    assert {"min", "email", "level", "purpose", "clinical_trials_in_advice", "fields"} <= fields


def test_panels_link_institutions_working_groups_and_scope(
    catalogue: CatalogueService, seeded_sessions
) -> None:
    for name in ("networks", "working-groups", "panels"):
        (report,) = run_import(catalogue, name, data_dir=DATA_DIR)
        assert report.status == "succeeded", name
    with seeded_sessions() as s:
        thymus = s.scalars(select(Panel).where(Panel.slug == "landelijk-mdo-thymustumoren")).one()
        links = s.scalars(
            select(PanelInstitution).where(PanelInstitution.panel_id == thymus.id)
        ).all()
        assert len(links) == 3  # AVL, Erasmus MC, MUMC+
        assert thymus.working_group_id is not None
        scope = s.scalars(
            select(ScopeCondition.orphacode).where(
                ScopeCondition.owner_kind == "panel", ScopeCondition.owner_id == thymus.id
            )
        ).all()
        assert 100100 in scope  # Thymic tumor
        d = s.scalars(select(Designation).where(Designation.panel_id == thymus.id)).one()
        assert d.kind == "panel"
        assert len(d.institutions) == 3
    (again,) = run_import(catalogue, "panels", data_dir=DATA_DIR)
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)


def test_panel_with_unknown_working_group_is_left_out_when_partial(
    catalogue: CatalogueService, expertise: ExpertiseService, seeded_sessions
) -> None:
    run_import(catalogue, "working-groups", data_dir=DATA_DIR)

    def change(data: Any) -> None:
        data["panels"][0]["working_group"] = "no-such-group"

    release = parse_panels(source("panels.json", edited("curated/panels.json", change)))
    with pytest.raises(InputRejected):
        expertise.apply_panels(release)
    report = expertise.apply_panels(release, allow_partial=True)
    assert report.status == "partial"
    assert [p.field for p in report.problems] == ["working_group"]
    assert report.counts.added > 0
    with seeded_sessions() as s:
        slugs = set(s.scalars(select(Panel.slug)))
        assert release.panels[0].slug not in slugs
        assert release.panels[1].slug in slugs


# -- SONCOS ----------------------------------------------------------------------------


def test_soncos_records_and_bad_rows(expertise: ExpertiseService, seeded_sessions) -> None:
    release = parse_soncos(bundled("curated/soncos.json"))
    report = expertise.apply_soncos(release)
    assert report.counts.added == len(release.records) == 7
    with seeded_sessions() as s:
        hn = s.scalars(select(Designation).where(Designation.key == "hoofd-halstumoren")).one()
        assert hn.kind == "soncos_reference_centre"
        assert hn.source_version is not None
        assert hn.source_version.startswith("SONCOS normeringsrapport")
        assert hn.citation_nl
        assert hn.level == "reference_centre_requirements"

    def change(data: Any) -> None:
        rec = data["soncos_reference_centres"][0]
        rec["requirement_kind"] = "must"
        rec["orphacodes"] = []
        rec["citation"] = None

    found = problems_of(parse_soncos, "soncos.json", edited("curated/soncos.json", change))
    assert {f for _w, f in found} == {"requirement_kind", "orphacodes", "citation"}


def test_soncos_unknown_code_is_rejected(expertise: ExpertiseService) -> None:
    def change(data: Any) -> None:
        data["soncos_reference_centres"][2]["orphacodes"] = [{"code": 987654321}]

    release = parse_soncos(source("soncos.json", edited("curated/soncos.json", change)))
    with pytest.raises(InputRejected) as exc:
        expertise.apply_soncos(release)
    (problem,) = exc.value.problems
    assert problem.location.startswith("soncos_reference_centres[3]")
    assert problem.reason == "unknown ORPHAcode 987654321 (not in the catalogue)"
