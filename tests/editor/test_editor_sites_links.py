"""Editing institutions' sites, the links of panels and working groups, and networks:
four eyes, coordinates from the gazetteer, kept on re-import of the curated files."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from editor_support import DATA, World, login
from editor_support import Site as EditorSite
from sqlalchemy import select

from directory.editorial_models import AuditEntry
from directory.editorial_service import InvalidInput, PermissionDenied
from directory.expertise_models import Institution, Site
from directory.models import GazetteerPostcode


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
