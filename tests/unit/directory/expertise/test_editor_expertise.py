"""Editing panels, working groups and institutions: through the expertise service, kept on
re-import of the curated files, with disagreements reported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.errors import InvalidInput
from directory.editorial.review import ReviewDates, ReviewQueries
from directory.editorial.services import EditorialService
from directory.expertise.entity_fields import PANEL_FIELDS
from directory.expertise.models import Designation, Institution, Network, Panel, WorkingGroup
from directory.expertise.services import ExpertiseService
from tests.support.editor import DATA, FAST_HASHER, PANEL, Site, World


def changed_panels_file(tmp: Path, slug: str, **values: object) -> Path:
    data = json.loads((DATA / "curated" / "panels.json").read_text(encoding="utf-8"))
    for p in data["panels"]:
        if p["slug"] == slug:
            p.update(values)
    path = tmp / "panels.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_panel_edit_is_kept_on_reimport_and_a_new_source_value_is_reported(world: World):
    world.publish(
        "panel",
        PANEL,
        "update",
        website="https://www.thymustumoren.example/mdo",
        turnaround_days_min="5",
        turnaround_days_max="10",
        name_en="National tumour board for thymic tumours",
    )
    row = world.panel()
    assert row.website == "https://www.thymustumoren.example/mdo"
    assert (row.turnaround_days_min, row.turnaround_days_max) == (5, 10)
    with world.sessions() as s:  # the panel's expertise fact keeps the new name
        labels = {
            d.label_en for d in s.scalars(select(Designation).where(Designation.panel_id == row.id))
        }
    assert labels == {"National tumour board for thymic tumours"}

    report = world.reimport("panels")  # the same file again
    assert report.status == "succeeded"
    row = world.panel()
    assert row.website == "https://www.thymustumoren.example/mdo"
    assert row.name_en == "National tumour board for thymic tumours"
    assert not [w for w in report.warnings if w.startswith("override kept:")]

    path = changed_panels_file(world.tmp, PANEL, website="https://www.avl.nl/thymus")
    report = world.reimport("panels", path)
    (warning,) = [w for w in report.warnings if w.startswith("override kept:")]
    assert f"panel {PANEL}, field website" in warning
    assert "https://www.avl.nl/thymus" in warning
    assert world.panel().website == "https://www.thymustumoren.example/mdo"


def test_new_panel_made_by_editors_survives_reimport(world: World) -> None:
    world.publish(
        "panel",
        None,
        "create",
        slug="landelijk-panel-peniskanker",
        name_nl="Landelijk panel peniskanker",
        name_en="National penile cancer panel",
        level="national",
        submission_kind="email",
        submission_email="panel@example.org",
    )
    assert world.panel("landelijk-panel-peniskanker").retired_at is None
    world.reimport("panels")
    row = world.panel("landelijk-panel-peniskanker")
    assert row.retired_at is None
    assert row.submission_email == "panel@example.org"


def test_retired_working_group_stays_retired_and_revert_brings_it_back(world: World) -> None:
    with world.sessions() as s:
        slug = s.scalars(select(WorkingGroup.slug).order_by(WorkingGroup.slug)).first()
    assert slug is not None
    world.publish("working_group", slug, "retire")
    world.reimport("working-groups")
    with world.sessions() as s:
        assert s.scalar(select(WorkingGroup).where(WorkingGroup.slug == slug)).retired_at
    assert world.editorial.entity_form("working_group", slug).state.retired
    # Bring it back: go back to the version before the editors' first change (0),
    # reviewed like any edit; the import then leaves it alone.
    draft = world.editorial.revert(world.editor.id, "working_group", slug, 0, "retired by mistake")
    assert world.editorial.entity_form("working_group", slug).state.retired  # not yet
    world.editorial.approve(draft, world.reviewer.id)
    world.reimport("working-groups")
    with world.sessions() as s:
        assert s.scalar(select(WorkingGroup).where(WorkingGroup.slug == slug)).retired_at is None
    with pytest.raises(InvalidInput):
        world.editorial.revert(world.editor.id, "working_group", slug, 2, "nothing after v2")


def test_validation_of_expertise_fields(world: World) -> None:
    form = world.editorial.entity_form("panel", PANEL)
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id,
            "panel",
            PANEL,
            "update",
            {
                "website": "www.no-scheme.nl",
                "submission_email": "not an address",
                "turnaround_days_min": "10",
                "turnaround_days_max": "2",
                "level": "international",
                "name_nl": "",
            },
            form.token,
            "x",
        )
    assert {e.field: e.code for e in exc.value.errors} == {
        "website": "not_url",
        "submission_email": "not_email",
        "level": "not_choice",
        "name_nl": "required",
    }
    with pytest.raises(InvalidInput) as order:
        world.editorial.save_draft(
            world.editor.id,
            "panel",
            PANEL,
            "update",
            {"turnaround_days_min": "10", "turnaround_days_max": "2"},
            form.token,
            "x",
        )
    assert order.value.by_field()["turnaround_days_max"].code == "min_max_order"
    with pytest.raises(InvalidInput) as taken:
        world.editorial.save_draft(
            world.editor.id,
            "panel",
            None,
            "create",
            {"slug": PANEL, "name_nl": "x", "name_en": "x", "level": "national",
             "submission_kind": "unknown"},
            None,
            "x",
        )  # fmt: skip
    assert taken.value.by_field()["slug"].code == "id_taken"
    with pytest.raises(InvalidInput) as bad_slug:
        world.editorial.save_draft(
            world.editor.id, "panel", None, "create", {"slug": "Not A Slug"}, None, "x"
        )
    assert bad_slug.value.by_field()["slug"].code == "not_slug"


def test_institution_name_correction_survives_reimport(world: World) -> None:
    with world.sessions() as s:
        inst = s.scalar(select(Institution).where(Institution.slug == "nki-avl"))
    assert inst is not None
    world.publish("institution", "nki-avl", "update", name_en="Netherlands Cancer Institute (AVL)")
    report = world.reimport("institutions")
    assert report.status == "succeeded"
    with world.sessions() as s:
        row = s.scalar(select(Institution).where(Institution.slug == "nki-avl"))
        assert row is not None
        assert row.name_en == "Netherlands Cancer Institute (AVL)"


def test_dashboard_lists_expiring_recognitions_and_reviews_due(world: World) -> None:
    import datetime as dt

    from directory.editorial.queries.editor_area import EditorialQueries

    # An ECZA list in which one recognition ends in three months and one ended already.
    today = dt.date.today()
    lines = (DATA / "curated" / "ecza_recognitions.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    columns = header.split(",")
    soon, gone = rows[0].split(","), rows[1].split(",")
    i_from, i_until = columns.index("recognised_from"), columns.index("recognised_until")
    soon[i_from], soon[i_until] = "2021-01-01", (today + dt.timedelta(days=90)).isoformat()
    gone[i_from], gone[i_until] = "2020-01-01", (today - dt.timedelta(days=10)).isoformat()
    path = world.tmp / "ecza.csv"
    path.write_text("\n".join([header, ",".join(soon), ",".join(gone), *rows[2:]]) + "\n",
                    encoding="utf-8")  # fmt: skip
    assert world.reimport("ecza", path).status in ("succeeded", "partial")

    queries = EditorialQueries(world.sessions, world.editorial.adapters)
    board = queries.dashboard(world.editor.id)
    ends = sorted((e.valid_until, e.expired) for e in board.expiring)
    assert ends == [(today - dt.timedelta(days=10), True), (today + dt.timedelta(days=90), False)]
    assert all(e.orphacodes for e in board.expiring)

    def due_panels(queries: ReviewQueries) -> dict[str, ReviewDates]:
        return {i.entity_id: i.dates for i in queries.due(limit=10_000).items if i.kind == "panel"}

    with world.sessions() as s:
        active = set(s.scalars(select(Panel.slug).where(Panel.retired_at.is_(None))))
    # An import is not a check by a person: until an editor checks a panel, it is due.
    due_now = due_panels(ReviewQueries(world.sessions))
    assert set(due_now) == active
    assert all(d.reviewed_on is None for d in due_now.values())
    assert {(i.kind, i.entity_id) for i in board.reviews.items} <= {
        (i.kind, i.entity_id) for i in ReviewQueries(world.sessions).due(limit=10_000).items
    }

    # A year and a month later every panel is due for a check, except one an editor
    # checked then.
    later = dt.datetime.combine(today + dt.timedelta(days=400), dt.time(12))
    then = EditorialService(
        world.sessions, world.catalogue, hasher=FAST_HASHER, clock=lambda: later
    )
    then.mark_checked(world.editor.id, "panel", PANEL)  # the editor checks the panel then
    stale = EditorialQueries(world.sessions, world.editorial.adapters, clock=lambda: later)
    due_later = due_panels(ReviewQueries(world.sessions, clock=lambda: later))
    assert set(due_later) == active - {PANEL}
    assert stale.dashboard(world.editor.id).reviews.total >= len(active) - 1
    checked = ReviewQueries(world.sessions, clock=lambda: later).of("panel", PANEL)
    assert checked is not None
    assert checked.reviewed_on == later.date()
    assert checked.due_on == later.date() + dt.timedelta(days=365)
    assert not checked.late
    last = stale.last_checked("panel", PANEL)
    assert last is not None
    assert last.by_editor
    assert last.on == later.date()


def test_editor_check_moves_last_checked_and_survives_reimport(world: World) -> None:
    import datetime as dt

    before = world.panel().checked_on
    later = dt.datetime.combine(dt.date.today() + dt.timedelta(days=30), dt.time(9))
    then = EditorialService(
        world.sessions,
        world.catalogue,
        hasher=FAST_HASHER,
        clock=lambda: later,
        owners={"expertise": ExpertiseService(world.sessions, EDITOR_CORRECTIONS, world.catalogue)},
    )
    then.mark_checked(world.editor.id, "panel", PANEL)
    assert world.panel().checked_on == later.date()  # what the public panel page shows
    assert before is None or before < later.date()
    world.reimport("panels")  # the file's older date does not win
    assert world.panel().checked_on == later.date()


def test_ecza_row_entered_by_hand(world: World) -> None:
    import datetime as dt

    from directory.editorial.queries.editor_area import EditorialQueries
    from directory.expertise.models import DesignationCondition, DesignationInstitution

    until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    raw = {
        "slug": "radboudumc-mumc-hersentumoren",
        "label_nl": "Radboudumc en MUMC+ – zeldzame hersentumoren",
        "institutions": "radboudumc\nmumc-plus",
        "orphacodes": "ORPHA:251636",
        "level": "cluster",
        "valid_from": "2026-01-01",
        "valid_until": "2025-01-01",  # before valid_from
        "source_ref": "VWS list of recognitions, 2026",
    }
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(world.editor.id, "ecza", None, "create", raw, None, "new")
    assert exc.value.by_field()["valid_until"].code == "dates_order"
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id,
            "ecza",
            None,
            "create",
            raw | {"valid_until": until, "institutions": "radboudumc\nno-such-hospital",
                   "orphacodes": "999999999"},
            None,
            "new",
        )  # fmt: skip
    assert {e.field: e.code for e in exc.value.errors} == {
        "orphacodes": "unknown_orphacode",
        "institutions": "unknown_slug",
    }
    with world.sessions() as s:
        from directory.expertise.models import Institution

        slugs = set(s.scalars(select(Institution.slug)))
    assert {"radboudumc", "mumc-plus"} <= slugs

    world.publish("ecza", None, "create", **(raw | {"valid_until": until}))
    state = world.editorial.entity_form("ecza", "radboudumc-mumc-hersentumoren").state
    assert state.values["institutions"] == ["radboudumc", "mumc-plus"]
    assert state.values["orphacodes"] == [251636]
    with world.sessions() as s:
        d = s.scalar(select(Designation).where(Designation.key == "radboudumc-mumc-hersentumoren"))
        assert d is not None
        assert (d.kind, d.source, d.valid_until.isoformat()) == ("ecza", "editor-ecza", until)
        assert [i.institution_id for i in s.scalars(select(DesignationInstitution).where(
            DesignationInstitution.designation_id == d.id))]  # fmt: skip
        assert (
            s.scalar(
                select(DesignationCondition.orphacode).where(
                    DesignationCondition.designation_id == d.id
                )
            )
            == 251636
        )
    # The official list's import leaves it alone; the dashboard warns it ends soon.
    world.reimport("ecza")
    queries = EditorialQueries(world.sessions, world.editorial.adapters)
    labels = [e.label for e in queries.dashboard(world.editor.id).expiring]
    assert "Radboudumc en MUMC+ – zeldzame hersentumoren" in labels
    world.publish("ecza", "radboudumc-mumc-hersentumoren", "retire")
    labels = [e.label for e in queries.dashboard(world.editor.id).expiring]
    assert "Radboudumc en MUMC+ – zeldzame hersentumoren" not in labels


def test_institution_aliases_edited_and_kept_on_reimport(world: World) -> None:
    from directory.expertise.models import InstitutionAlias

    state = world.editorial.entity_form("institution", "nki-avl").state
    current = list(state.values["aliases"])  # type: ignore[arg-type]
    assert current, "the curated file gives NKI-AVL other names"
    new = "Antoni van Leeuwenhoek Kankerinstituut"
    kept = [a for a in current if a != current[-1]] + [new]  # drop one, add one
    world.publish("institution", "nki-avl", "update", aliases="\n".join(kept))

    def aliases() -> dict[str, str]:
        with world.sessions() as s:
            inst = s.scalar(select(Institution).where(Institution.slug == "nki-avl"))
            assert inst is not None
            rows = s.scalars(
                select(InstitutionAlias).where(InstitutionAlias.institution_id == inst.id)
            )
            return {a.alias: a.origin for a in rows}

    assert set(aliases()) == set(kept)
    assert aliases()[new] == "editor"
    world.reimport("institutions")  # would bring the dropped name back
    assert set(aliases()) == set(kept)
    # A name can point at one institution only.
    form = world.editorial.entity_form("institution", "lumc")
    with pytest.raises(InvalidInput) as exc:
        world.editorial.save_draft(
            world.editor.id, "institution", "lumc", "update", {"aliases": new}, form.token, "x"
        )
    error = exc.value.by_field()["aliases"]
    assert (error.code, error.params["value"]) == ("alias_taken", "nki-avl")


def test_every_declared_panel_field_on_the_page_can_be_edited_and_is_shown(site: Site) -> None:
    """Each field of the panel's declaration that the public page shows in a section is
    in the editor's form; an approved edit of it appears on the page, in both languages,
    and in the referral summary when the declaration puts it there."""
    service = site.state.service
    raw: dict[str, str] = {}
    for f in PANEL_FIELDS:
        if f.section is None:
            continue
        if f.bilingual:
            raw[f"{f.name}_nl"] = f"Nederlandse tekst voor {f.name}."
            raw[f"{f.name}_en"] = f"English text for {f.name}."
        else:
            raw[f.name] = f"Value {f.name}"
    token = service.entity_form("panel", PANEL).token
    draft = service.save_draft(
        site.team.editor.id, "panel", PANEL, "update", raw, token, "checked with the panel"
    )
    service.approve(draft, site.team.reviewer.id)

    dutch = site.client.get(f"/nl/expertpanel/{PANEL}")
    assert dutch.status_code == 200
    english_url = re.search(r'href="(/en/expert-panel/[^"?#]+)"', dutch.text)
    assert english_url is not None
    english = site.client.get(english_url.group(1))
    assert english.status_code == 200
    summary = dutch.text[dutch.text.index('id="referral-text"') :]
    for f in PANEL_FIELDS:
        if f.section is None:
            continue
        if f.bilingual:
            assert f"Nederlandse tekst voor {f.name}." in dutch.text, f.name
            assert f"English text for {f.name}." in english.text, f.name
            in_summary = f"Nederlandse tekst voor {f.name}." in summary
            assert in_summary == bool(f.summary_label), f.name
        else:
            assert f"Value {f.name}" in dutch.text, f.name


def test_fields_shown_on_network_and_group_pages_are_editable_and_kept_on_reimport(
    world: World,
) -> None:
    """A network's other names and region, and a working group's domain label, are on
    their public pages; editors can correct them, and a re-import keeps the correction."""
    world.publish(
        "network",
        "oncomid",
        "update",
        aliases="Netwerk Midden-Nederland\nOncoMid",
        region_nl="Utrecht en Gelderland",
        region_en="Utrecht and Gelderland",
    )
    world.publish("working_group", "dan", "update", domain_label_nl="Neuro-oncologie (DAN)")
    for _ in range(2):  # as published, and after the networks and groups are imported again
        with world.sessions() as s:
            network = s.scalar(select(Network).where(Network.slug == "oncomid"))
            group = s.scalar(select(WorkingGroup).where(WorkingGroup.slug == "dan"))
            assert network is not None
            assert group is not None
            assert network.aliases == ["Netwerk Midden-Nederland", "OncoMid"]
            assert (network.region_nl, network.region_en) == (
                "Utrecht en Gelderland",
                "Utrecht and Gelderland",
            )
            assert group.domain_label_nl == "Neuro-oncologie (DAN)"
        assert world.reimport("networks").status == "succeeded"
        assert world.reimport("working-groups").status == "succeeded"
