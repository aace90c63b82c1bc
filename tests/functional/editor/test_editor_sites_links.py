"""Editing institutions' sites, the links of panels and working groups, and networks:
four eyes, coordinates from the gazetteer, kept on re-import of the curated files."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from config.settings import PROJECT_ROOT
from directory.conditions.models import Condition
from directory.editorial.errors import InvalidInput, PermissionDenied
from directory.editorial.models import AuditEntry
from directory.expertise.models import (
    Institution,
    NetworkRole,
    Panel,
    ScopeCondition,
    Site,
    WorkingGroup,
)
from directory.expertise.queries import ExpertiseQueries
from directory.places.models import GazetteerPostcode
from tests.support.editor import DATA, World, login
from tests.support.editor import Site as EditorSite
from web.editor.texts import error_text
from web.i18n import load_translations


def _site(world: World, key: str) -> Site:
    with world.sessions() as s:
        row = s.scalar(select(Site).where(Site.key == key))
        assert row is not None
        return row


def _first_site(world: World, slug: str) -> Site:
    with world.sessions() as s:
        row = s.scalar(
            select(Site)
            .join(Institution, Institution.id == Site.institution_id)
            # imported sites only: their keys are "rivm:<nr>" or "curated:<slug>:<n>"
            .where(Institution.slug == slug, Site.retired_at.is_(None), Site.key.contains(":"))
            .order_by(Site.key)
        )
        assert row is not None
        return row


def _postcodes(world: World) -> tuple[GazetteerPostcode, str]:
    """A postcode in the gazetteer (not the site's own) and a PC4 that is not in it."""
    with world.sessions() as s:
        known = {p.postcode: p for p in s.scalars(select(GazetteerPostcode))}
    missing = next(str(n) for n in range(1000, 10000) if str(n) not in known)
    return known[sorted(known)[len(known) // 2]], missing


def _errors(exc: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


def test_site_edit_takes_coordinates_from_the_postcode_and_survives_reimport(world: World):
    site = _first_site(world, "nki-avl")
    target, missing = _postcodes(world)
    token = world.editorial.entity_form("site", site.key).token

    with pytest.raises(InvalidInput) as exc:  # a postcode the gazetteer does not know
        world.editorial.save_draft(
            world.editor.id,
            "site",
            site.key,
            "update",
            {"postcode": f"{missing} AB"},
            token,
            "moved",
        )
    assert _errors(exc) == {"postcode": "unknown_postcode"}
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id, "site", site.key, "update", {"postcode": "12345"}, token, "moved"
        )
    assert _errors(exc) == {"postcode": "not_postcode"}

    draft = world.editorial.save_draft(
        world.editor.id,
        "site",
        site.key,
        "update",
        {"postcode": f"{target.postcode}xy", "address": "Nieuwe Laan 1", "city": target.place},
        token,
        "the outpatient clinic moved",
    )
    with pytest.raises(PermissionDenied):  # four eyes
        world.editorial.approve(draft, world.editor.id)
    world.editorial.approve(draft, world.reviewer.id)
    row = _site(world, site.key)
    assert row.postcode == f"{target.postcode} XY"
    assert (row.pc4, row.lat, row.lon) == (target.postcode, target.lat, target.lon)
    assert (row.lat, row.lon) != (site.lat, site.lon)
    with world.sessions() as s:
        fields = set(
            s.scalars(
                select(AuditEntry.field).where(
                    AuditEntry.entity_kind == "site", AuditEntry.entity_id == site.key
                )
            )
        )
    assert fields == {"postcode", "address", "city"}

    report = world.reimport("institutions")  # the source still has the old address
    assert report.status == "succeeded"
    row = _site(world, site.key)
    assert (row.address, row.postcode, row.pc4) == (
        "Nieuwe Laan 1",
        f"{target.postcode} XY",
        target.postcode,
    )
    assert (row.lat, row.lon) == (target.lat, target.lon)


def test_site_created_and_retired_in_the_editor_area_stay_so_on_reimport(world: World):
    target, _missing = _postcodes(world)
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id,
            "site",
            None,
            "create",
            {
                "key": "avl-nieuwe-locatie",
                "institution": "no-such-hospital",
                "name": "AVL nieuwe locatie",
                "kind": "outpatient_clinic",
                "postcode": target.postcode,
            },
            None,
            "new location",
        )
    assert _errors(exc) == {"institution": "unknown_slug"}
    world.publish(
        "site",
        None,
        "create",
        key="avl-nieuwe-locatie",
        institution="nki-avl",
        name="AVL nieuwe locatie",
        kind="outpatient_clinic",
        address="Laan 2",
        postcode=target.postcode,
        city=target.place,
    )
    old = _first_site(world, "nki-avl")
    world.publish("site", old.key, "retire")
    assert _site(world, old.key).retired_at is not None

    world.reimport("institutions")
    new = _site(world, "avl-nieuwe-locatie")
    assert new.retired_at is None
    assert (new.lat, new.lon) == (target.lat, target.lon)
    assert _site(world, old.key).retired_at is not None  # the source still lists it


def changed_file(tmp: Path, name: str, section: str, slug: str, **values: object) -> Path:
    data = json.loads((DATA / "curated" / name).read_text(encoding="utf-8"))
    for item in data[section]:
        if item["slug"] == slug:
            item.update(values)
    path = tmp / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("lang", "edit", "new", "label"),
    [
        ("nl", "/nl/redactie/bewerken/site/", "/nl/redactie/nieuw/site", "Straat en huisnummer"),
        ("en", "/en/editor/edit/site/", "/en/editor/new/site", "Street and number"),
    ],
)
def test_site_forms_in_both_languages(
    site: EditorSite, lang: str, edit: str, new: str, label: str
) -> None:
    with site.sessions() as s:
        key = s.scalar(select(Site.key).where(Site.retired_at.is_(None)).order_by(Site.key))
    assert key is not None
    login(site.client, lang, "eddie@example.org")
    page = site.client.get(edit + quote(key, safe=""))
    assert page.status_code == 200
    assert label in page.text
    assert 'name="postcode"' in page.text
    assert 'name="institution"' in page.text
    created = site.client.get(new)
    assert created.status_code == 200
    assert 'name="key"' in created.text


# -- links of panels and working groups -------------------------------------------------------

THYMUS = "landelijk-mdo-thymustumoren"
CHORDOMA = 178


def _codes(world: World) -> tuple[int, int]:
    """A code that is not in the catalogue and one that Orphanet made obsolete."""
    with world.sessions() as s:
        statuses = dict(s.execute(select(Condition.orphacode, Condition.status)).all())
    assert statuses[CHORDOMA] == "active"
    unknown = next(c for c in range(1, 10**6) if c not in statuses)
    inactive = min(c for c, status in statuses.items() if status != "active")
    return unknown, inactive


def _panel_slugs(world: World, code: int) -> set[str]:
    expertise = ExpertiseQueries(world.sessions)
    section = expertise.for_condition(code).section("panel")
    return {a.designation.panel.slug for a in section.items if a.designation.panel}


def test_links_are_validated_and_say_which_code_or_institution(world: World) -> None:
    unknown, inactive = _codes(world)
    token = world.editorial.entity_form("panel", THYMUS).token
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id,
            "panel",
            THYMUS,
            "update",
            {
                "scope_orphacodes": f"99867, {unknown}",
                "member_institutions": "nki-avl\nno-such-hospital",
                "coordinating_institution": "nor-this-one",
            },
            token,
            "wider scope",
        )
    by_field = {e.field: e for e in exc.value.errors}
    assert by_field["scope_orphacodes"].code == "unknown_orphacode"
    assert by_field["scope_orphacodes"].params == {"value": unknown}
    assert by_field["member_institutions"].params == {"value": "no-such-hospital"}
    assert by_field["coordinating_institution"].params == {"value": "nor-this-one"}
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id,
            "panel",
            THYMUS,
            "update",
            {"scope_orphacodes": f"99867 {inactive}"},
            token,
            "wider scope",
        )
    (error,) = exc.value.errors
    assert (error.field, error.code, error.params) == (
        "scope_orphacodes",
        "inactive_orphacode",
        {"value": inactive},
    )


def test_panel_made_in_the_editor_area_shows_under_its_conditions(world: World) -> None:
    slug = "landelijk-panel-chordoom"
    assert slug not in _panel_slugs(world, CHORDOMA)
    world.publish(
        "panel",
        None,
        "create",
        slug=slug,
        name_nl="Landelijk panel chordoom",
        name_en="National chordoma panel",
        level="national",
        submission_kind="email",
        coordinating_institution="lumc",
        member_institutions="umcg\nradboudumc",
        scope_orphacodes=str(CHORDOMA),
    )
    assert slug in _panel_slugs(world, CHORDOMA)
    facets = ExpertiseQueries(world.sessions).condition_facets_for_index()[CHORDOMA]
    assert "panel" in facets.own_kinds
    assert {"lumc", "umcg", "radboudumc"} <= set(facets.institutions)
    state = world.editorial.entity_form("panel", slug).state
    assert state.values["coordinating_institution"] == "lumc"
    assert state.values["member_institutions"] == ["radboudumc", "umcg"]

    world.reimport("panels")  # the file does not have it: it stays, with its links
    assert slug in _panel_slugs(world, CHORDOMA)
    world.publish("panel", slug, "retire")
    assert slug not in _panel_slugs(world, CHORDOMA)


def test_added_scope_code_survives_reimport_and_disagreement_is_reported(world: World) -> None:
    assert THYMUS not in _panel_slugs(world, CHORDOMA)
    before = world.editorial.entity_form("panel", THYMUS).state.values["scope_orphacodes"]
    assert isinstance(before, list)
    world.publish(
        "panel",
        THYMUS,
        "update",
        scope_orphacodes=" ".join(str(c) for c in [*before, CHORDOMA]),
        member_institutions="nki-avl\numcg",
    )
    assert THYMUS in _panel_slugs(world, CHORDOMA)

    report = world.reimport("panels")  # the same file: the editors' links stay
    assert report.status == "succeeded"
    assert THYMUS in _panel_slugs(world, CHORDOMA)
    values = world.editorial.entity_form("panel", THYMUS).state.values
    assert values["member_institutions"] == ["nki-avl", "umcg"]
    assert not [w for w in report.warnings if w.startswith("override kept:")]

    data = json.loads((DATA / "curated" / "panels.json").read_text(encoding="utf-8"))
    (panel,) = [p for p in data["panels"] if p["slug"] == THYMUS]
    dropped = panel["scope_orphacodes"].pop()
    path = changed_file(
        world.tmp, "panels.json", "panels", THYMUS, scope_orphacodes=panel["scope_orphacodes"]
    )
    report = world.reimport("panels", path)
    (warning,) = [w for w in report.warnings if "field scope_orphacodes" in w]
    assert f"panel {THYMUS}" in warning
    assert THYMUS in _panel_slugs(world, CHORDOMA)  # the editors' list still wins
    scope = world.editorial.entity_form("panel", THYMUS).state.values["scope_orphacodes"]
    assert isinstance(scope, list)
    assert dropped["code"] in scope


def test_working_group_centres_and_scope_edited_and_kept(world: World) -> None:
    data = json.loads((DATA / "curated" / "working_groups.json").read_text(encoding="utf-8"))
    group = data["working_groups"][0]
    code = group["scope_orphacodes"][0]["code"]
    state = world.editorial.entity_form("working_group", group["slug"]).state
    assert state.values["centre_institutions"] == sorted(group["centre_institutions"])
    world.publish(
        "working_group",
        group["slug"],
        "update",
        centre_institutions="umcg\nlumc",
        scope_orphacodes=f"{code} {CHORDOMA}",
    )
    world.reimport("working-groups")
    expertise = ExpertiseQueries(world.sessions)
    (centre,) = [
        a.designation
        for a in expertise.for_condition(CHORDOMA).section("working_group_centre").items
        if a.designation.working_group and a.designation.working_group.slug == group["slug"]
    ]
    assert sorted(i.slug for i in centre.institutions) == ["lumc", "umcg"]


@pytest.mark.parametrize(
    ("path", "group"),
    [
        (
            "/nl/redactie/bewerken/expertpanel/landelijk-mdo-thymustumoren",
            "Ziekenhuizen, centra en",
        ),
        ("/en/editor/edit/expert-panel/landelijk-mdo-thymustumoren", "Institutions and conditions"),
    ],
)
def test_panel_form_shows_its_links(site: EditorSite, path: str, group: str) -> None:
    login(site.client, path[1:3], "eddie@example.org")
    page = site.client.get(path)
    assert page.status_code == 200
    assert group in page.text
    for name in ("coordinating_institution", "member_institutions", "scope_orphacodes"):
        assert f'name="{name}"' in page.text
    assert "nki-avl" in page.text  # a member, shown in the form


# -- networks --------------------------------------------------------------------------------

NETWORK = "groningen-drenthe"


def _members(world: World, slug: str) -> set[tuple[str, str]]:
    detail = ExpertiseQueries(world.sessions).network(slug)
    assert detail is not None
    return {(m.institution.slug, m.role) for m in detail.members}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("radboud", "radboudumc (Radboudumc)"),  # half a name
        ("Leids Universitair Medisch Centrum", "lumc (Leids Universitair Medisch Centrum)"),
        ("umc groningen", "umcg (Universitair Medisch Centrum Groningen)"),
        ("lumc-leiden", "lumc (Leids Universitair Medisch Centrum)"),  # a slug made up
    ],
)
def test_a_name_instead_of_a_slug_gets_the_slug_to_use(world: World, typed: str, meant: str):
    target, _missing = _postcodes(world)
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id,
            "site",
            None,
            "create",
            {
                "key": "nieuwe-locatie",
                "institution": typed,
                "name": "Nieuwe locatie",
                "kind": "outpatient_clinic",
                "postcode": target.postcode,
            },
            None,
            "new location",
        )
    error = exc.value.by_field()["institution"]
    assert error.code == "unknown_institution"
    assert error.params == {"value": typed, "suggestions": meant}
    dutch = load_translations(PROJECT_ROOT / "locales", "nl").gettext
    assert error_text(dutch, error).endswith(f"Bedoelt u: {meant}?")


def test_network_names_and_memberships_edited_and_kept_on_reimport(world: World) -> None:
    before = _members(world, NETWORK)
    dropped = sorted(before)[-1]
    with world.sessions() as s:
        roles = sorted(s.scalars(select(NetworkRole.code)))
    added = ("lumc", roles[0])
    assert added not in before
    lines = sorted(f"{i} {r}" for i, r in (before - {dropped}) | {added})
    token = world.editorial.entity_form("network", NETWORK).token

    bad_lines = {
        "umcg": "not_member_line",
        "no-such-hospital member": "unknown_slug",
        "umcg no-such-role": "unknown_role",
    }
    for line, code in bad_lines.items():
        with pytest.raises(InvalidInput) as exc:
            world.editorial.save_draft(
                world.editor.id, "network", NETWORK, "update", {"members": line}, token, "x"
            )
        assert _errors(exc) == {"members": code}

    world.publish(
        "network",
        NETWORK,
        "update",
        name_en="Groningen-Drenthe network",
        description_en="Hospitals in Groningen and Drenthe that work together.",
        members="\n".join(lines),
    )
    detail = ExpertiseQueries(world.sessions).network(NETWORK)
    assert detail is not None
    assert detail.ref.name.en == "Groningen-Drenthe network"
    assert _members(world, NETWORK) == (before - {dropped}) | {added}

    report = world.reimport("networks")
    assert report.status == "succeeded"
    assert _members(world, NETWORK) == (before - {dropped}) | {added}
    detail = ExpertiseQueries(world.sessions).network(NETWORK)
    assert detail is not None
    assert detail.description.en == "Hospitals in Groningen and Drenthe that work together."


def test_network_created_and_network_retired_stay_so_on_reimport(world: World) -> None:
    with world.sessions() as s:
        role = sorted(s.scalars(select(NetworkRole.code)))[0]
    world.publish(
        "network",
        None,
        "create",
        slug="netwerk-zeldzame-tumoren-noord",
        name="Netwerk zeldzame tumoren Noord",
        kind="tumour_type",
        members=f"umcg {role}\nmartini {role}",
    )
    world.publish("network", NETWORK, "retire")
    world.reimport("networks")
    assert _members(world, "netwerk-zeldzame-tumoren-noord") == {
        ("umcg", role),
        ("martini", role),
    }
    detail = ExpertiseQueries(world.sessions).network(NETWORK)
    assert detail is not None
    assert detail.retired_at is not None


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/nl/redactie/bewerken/netwerk/groningen-drenthe", "Leden:"),
        ("/en/editor/edit/network/groningen-drenthe", "Members:"),
    ],
)
def test_network_form_in_both_languages(site: EditorSite, path: str, label: str) -> None:
    login(site.client, path[1:3], "eddie@example.org")
    page = site.client.get(path)
    assert page.status_code == 200
    assert label in page.text
    assert 'name="members"' in page.text
    assert "umcg member" in page.text


def test_retiring_a_working_group_keeps_its_panels_on_condition_pages(world: World) -> None:
    with world.sessions() as s:
        found = s.execute(
            select(Panel.slug, WorkingGroup.slug, ScopeCondition.orphacode)
            .join(WorkingGroup, WorkingGroup.id == Panel.working_group_id)
            .join(
                ScopeCondition,
                (ScopeCondition.owner_kind == "panel") & (ScopeCondition.owner_id == Panel.id),
            )
            .where(Panel.retired_at.is_(None))
            .order_by(Panel.slug, ScopeCondition.orphacode)
        ).first()
    assert found is not None
    panel, group, code = found
    assert panel in _panel_slugs(world, code)
    world.publish("working_group", group, "retire")
    assert panel in _panel_slugs(world, code)
    centres = ExpertiseQueries(world.sessions).for_condition(code).section("working_group_centre")
    assert all(
        a.designation.working_group is None or a.designation.working_group.slug != group
        for a in centres.items
    )


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/nl/redactie/nieuw/netwerk", "members"),
        ("/en/editor/new/network", "members"),
        ("/nl/redactie/bewerken/werkgroep/nwhht", "centre_institutions"),
        ("/en/editor/edit/working-group/nwhht", "centre_institutions"),
    ],
)
def test_new_network_and_working_group_forms_open(site: EditorSite, path: str, field: str) -> None:
    login(site.client, path[1:3], "eddie@example.org")
    page = site.client.get(path)
    assert page.status_code == 200
    assert f'name="{field}"' in page.text
