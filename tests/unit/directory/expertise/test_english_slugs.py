"""English slugs: made once, unique per kind, stable under renames; old ones redirect."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue_version import current_version
from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from directory.expertise.models import BodyArea, Network, Panel, WorkingGroup
from directory.expertise.redirects import RedirectQueries
from directory.expertise.services import ExpertiseService
from directory.expertise.slugs import ENGLISH_SLUG_MODELS, english_slug, load_permalinks
from directory.paths import Permalinks
from importers.panels import parse_panels
from importers.registry import run_import
from tests.support.expertise import DATA_DIR, bundled, source

BONE = "commissie-voor-beentumoren"
HPB = "expertpanel-hpb-noordoost-nederland"


# -- making one ---------------------------------------------------------------------------


def test_an_english_slug_is_made_from_the_english_name() -> None:
    assert english_slug("Netherlands Committee on Bone Tumours", BONE, taken=()) == (
        "netherlands-committee-on-bone-tumours"
    )
    assert english_slug("Dutch Hepatocellular & Cholangiocarcinoma Group", "x", taken=()) == (
        "dutch-hepatocellular-and-cholangiocarcinoma-group"
    )
    # No English name, an abbreviation, or a name that gives the slug: the slug itself.
    assert english_slug(None, "oncozon", taken=()) == "oncozon"
    assert english_slug("Dutch Sarcoma Group", "dsg", neutral=("DSG",), taken=()) == "dsg"
    assert english_slug("Dutch Adrenal Network", "dan", neutral=("D.A.N.",), taken=()) == "dan"
    assert english_slug("GIST consortium", "gist-consortium", taken=()) == "gist-consortium"


def test_a_long_name_is_cut_at_a_word_and_not_after_a_small_word() -> None:
    made = english_slug(
        "Expert panel for tumours of the liver, bile ducts and pancreas (HPB), North-East",
        "hpb",
        taken=(),
    )
    assert len(made) <= 60
    assert made == "expert-panel-for-tumours-of-the-liver-bile-ducts"


def test_a_taken_english_slug_gets_a_number() -> None:
    taken = {"bone", "bone-2", "bot"}
    assert english_slug("Bone", "bot", taken=taken) == "bone-3"
    # Its own Dutch slug does not count as taken.
    assert english_slug("Eye", "eye-nl", taken={"eye-nl"}) == "eye"


def test_permalinks_know_each_language_s_slug() -> None:
    links = Permalinks.of([("panel", BONE, "bone-committee"), ("network", "oncozon", "oncozon")])
    assert links.path("panel", BONE, "en") == "/en/expert-panel/bone-committee"
    assert links.path("panel", BONE, "nl") == f"/nl/expertpanel/{BONE}"
    assert links.paths("network", "oncozon") == {
        "nl": "/nl/netwerk/oncozon",
        "en": "/en/network/oncozon",
    }
    assert links.entity_id("panel", "bone-committee") == BONE
    assert links.entity_id("panel", BONE) == BONE
    assert links.entity_id("working_group", "bone-committee") == "bone-committee"  # per kind
    assert links.path("condition", 178, "en") == "/en/condition/178"


# -- given by imports ----------------------------------------------------------------------


def _import_all(catalogue: CatalogueService) -> None:
    for name in ("networks", "working-groups", "panels"):
        (report,) = run_import(catalogue, name, data_dir=DATA_DIR)
        assert report.status == "succeeded", name


def _english(sessions: sessionmaker[Session], model: Any) -> dict[str, str | None]:
    with sessions() as s:
        return {str(slug): en for slug, en in s.execute(select(model.slug, model.slug_en))}


def test_imports_give_every_row_a_unique_english_slug(
    catalogue: CatalogueService, seeded_sessions: sessionmaker[Session]
) -> None:
    _import_all(catalogue)
    panels = _english(seeded_sessions, Panel)
    assert panels[BONE] == "netherlands-committee-on-bone-tumours"
    assert panels[HPB] == "hpb-expert-panel-north-east-netherlands"  # named by panels.json
    groups = _english(seeded_sessions, WorkingGroup)
    assert groups["dsg"] == "dsg"
    assert groups["werkgroep-testistumoren"] == "testicular-tumour-working-group"
    areas = _english(seeded_sessions, BodyArea)
    assert areas["bot"] == "bone"
    assert _english(seeded_sessions, Network)["oncozon"] == "oncozon"  # one name
    for model in ENGLISH_SLUG_MODELS.values():
        rows = _english(seeded_sessions, model)
        assert None not in rows.values()
        # Unique per kind: no English slug is another entity's Dutch or English slug.
        english = [en for en in rows.values() if en]
        assert len(set(english)) == len(english)
        for slug, en in rows.items():
            assert en == slug or en not in rows


def _panels_with(change: Any) -> Any:
    data = json.loads(bundled("curated/panels.json").data)
    change({p["slug"]: p for p in data["panels"]})
    return parse_panels(source("panels.json", json.dumps(data, ensure_ascii=False)))


def test_a_new_english_name_keeps_the_english_slug(
    catalogue: CatalogueService,
    expertise: ExpertiseService,
    seeded_sessions: sessionmaker[Session],
) -> None:
    _import_all(catalogue)

    def rename(panels: dict[str, Any]) -> None:
        panels[BONE]["name"]["en"] = "Dutch Bone Tumour Committee"

    report = expertise.apply_panels(_panels_with(rename))
    assert report.counts.changed >= 1  # the panel (and its designation)
    with seeded_sessions() as s:
        row = s.scalars(select(Panel).where(Panel.slug == BONE)).one()
        assert row.name_en == "Dutch Bone Tumour Committee"
        assert row.slug_en == "netherlands-committee-on-bone-tumours"


def test_a_new_slug_en_in_the_file_makes_the_old_one_redirect(
    catalogue: CatalogueService,
    expertise: ExpertiseService,
    seeded_sessions: sessionmaker[Session],
) -> None:
    _import_all(catalogue)

    def rename(panels: dict[str, Any]) -> None:
        panels[BONE]["slug_en"] = "bone-tumour-committee"

    expertise.apply_panels(_panels_with(rename))
    assert _english(seeded_sessions, Panel)[BONE] == "bone-tumour-committee"
    redirects = RedirectQueries(seeded_sessions)
    assert redirects.target("panel", "netherlands-committee-on-bone-tumours") == (
        "bone-tumour-committee"
    )
    with seeded_sessions() as s:
        links = load_permalinks(s)
    assert links.entity_id("panel", "bone-tumour-committee") == BONE


def test_an_english_slug_already_in_use_is_refused(
    catalogue: CatalogueService,
    expertise: ExpertiseService,
    seeded_sessions: sessionmaker[Session],
) -> None:
    _import_all(catalogue)

    def taken(panels: dict[str, Any]) -> None:
        panels[HPB]["slug_en"] = BONE  # another panel's Dutch slug

    with pytest.raises(InputRejected) as caught:
        expertise.apply_panels(_panels_with(taken))
    assert [(p.location, p.field) for p in caught.value.problems] == [(HPB, "slug_en")]
    assert _english(seeded_sessions, Panel)[HPB] == "hpb-expert-panel-north-east-netherlands"

    def clash(panels: dict[str, Any]) -> None:
        # A new panel whose Dutch slug is another panel's English slug.
        panels[HPB]["slug"] = "netherlands-committee-on-bone-tumours"
        del panels[HPB]["slug_en"]

    with pytest.raises(InputRejected) as caught:
        expertise.apply_panels(_panels_with(clash))
    fields = {(p.location, p.field) for p in caught.value.problems}
    assert ("netherlands-committee-on-bone-tumours", "slug") in fields


def test_db_upgrade_gives_older_rows_their_english_slug(
    catalogue: CatalogueService,
    expertise: ExpertiseService,
    seeded_sessions: sessionmaker[Session],
) -> None:
    _import_all(catalogue)
    before = {kind: _english(seeded_sessions, m) for kind, m in ENGLISH_SLUG_MODELS.items()}
    with seeded_sessions.begin() as s:  # as a catalogue from before migration 0400
        for model in ENGLISH_SLUG_MODELS.values():
            s.execute(update(model).values(slug_en=None))
    version = current_version(seeded_sessions)
    given = expertise.fill_english_slugs()
    assert given == sum(len(rows) for rows in before.values())
    assert current_version(seeded_sessions) == version + 1  # pages and index follow
    after = {kind: _english(seeded_sessions, m) for kind, m in ENGLISH_SLUG_MODELS.items()}
    # The same slugs, except the one panels.json names (made from the name instead).
    assert after["working_group"] == before["working_group"]
    assert after["body_area"] == before["body_area"]
    assert after["panel"][BONE] == before["panel"][BONE]
    assert expertise.fill_english_slugs() == 0
