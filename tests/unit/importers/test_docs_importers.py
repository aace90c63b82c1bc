"""docs/importers.md stays in step with the importers."""

from __future__ import annotations

import re

from config.settings import PROJECT_ROOT
from directory.vocabulary import INSTITUTION_KINDS
from importers import ecza, panels, soncos, working_groups
from importers.reference import NETWORK_KINDS, NETWORK_STATUSES
from importers.registry import SOURCES

DOC = (PROJECT_ROOT / "docs" / "importers.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## `{re.escape(title)}`\n(.*?)(?=^## )", DOC, re.S | re.M)
    assert match is not None, f"no section for {title}"
    return match.group(1)


def test_every_source_is_in_the_overview_in_registry_order() -> None:
    overview = DOC.split("The order is the dependency order", 1)[0]
    listed = re.findall(r"^\| `([a-z-]+)` \|", overview, re.M)
    assert listed == list(SOURCES)


def test_every_expertise_source_has_its_own_section() -> None:
    for name in ("institutions", "reference", "networks", "working-groups", "panels", "soncos",
                 "ecza"):  # fmt: skip
        assert name in SOURCES
        assert section(name)


def test_the_ecza_columns_are_documented_exactly() -> None:
    documented = re.findall(r"^\| `([a-z_]+)` \| (yes|no)", section("ecza"), re.M)
    # the documented order: the list's own order, with the optional columns in their place
    assert [c for c, _r in documented] == [
        "centre_name", "institutions", "orphacode", "orpha_name_en", "level", "ern",
        "recognised_from", "recognised_until", "certainty", "sources", "source", "note_nl",
        "note_en", "exclude_orphacodes",
    ]  # fmt: skip
    assert {c for c, _r in documented} == set(ecza.REQUIRED + ecza.OPTIONAL)
    required = {c for c, r in documented if r == "yes"}
    assert required == set(ecza.REQUIRED)
    for level in ecza.LEVELS:
        assert f"`{level}`" in section("ecza")


def test_every_panel_field_and_enum_is_documented() -> None:
    text = section("panels")
    described_in_prose = ("slug", "name", "short_name", "aliases", "region", "euracan_domain",
                          "working_group", "level", "founded", "certainty", "sources")  # fmt: skip
    for field in panels.REQUIRED + panels.OPTIONAL:
        assert f"`{field}`" in text or field in described_in_prose, field
    for kind in panels.SUBMISSION_KINDS:
        assert f"`{kind}`" in text


def test_enums_of_the_other_sources_are_documented() -> None:
    for kind in INSTITUTION_KINDS:
        assert f"`{kind}`" in section("institutions")
    for kind in working_groups.KINDS:
        assert f"`{kind}`" in section("working-groups")
    for kind in NETWORK_KINDS + NETWORK_STATUSES:
        assert f"`{kind}`" in section("networks")
    for kind in soncos.REQUIREMENT_KINDS:
        assert f"`{kind}`" in section("soncos")
