"""Provenance that people can read (issue 10, point 4), the public coverage page and
the ERN rule (point 3), on the bundled catalogue, in both languages."""

from __future__ import annotations

import csv
import re

import pytest
from starlette.testclient import TestClient

from config.settings import PROJECT_ROOT
from directory.paths import Permalinks, entity_path, page_path

ROOT = PROJECT_ROOT
# What a public page must never show: seed file names and hashes, section numbers, field
# names, and the editors' working phrases.
FORBIDDEN = (
    re.compile(r"seed 00\d"),
    re.compile(r"\b00\d_[0-9a-f]{16}\b"),
    re.compile(r"§\s?\d"),
    re.compile(r"general knowledge", re.I),
    re.compile(r"not fetched", re.I),
    re.compile(r"\b(source_ref|scope_orphacodes|rivm_organisatienummers|ecza_recognitions)\b"),
    re.compile(r"docs/DOMAIN\.md"),
)


def _priority_codes() -> list[int]:
    path = ROOT / "data" / "curated" / "priority_conditions.csv"
    with path.open(encoding="utf-8") as f:
        return [int(r["orphacode"]) for r in csv.DictReader(f)]


def _main(html: str) -> str:
    """The page's main element (the footer and hidden script texts are not the page's facts)."""
    start, end = html.find("<main"), html.find("</main>")
    return html[start:end]


def _pages() -> list[tuple[str, str | int]]:
    import json

    data = ROOT / "data" / "curated"
    out: list[tuple[str, str | int]] = [("condition", c) for c in _priority_codes()]
    for file, key, kind in (
        ("institutions.json", "institutions", "institution"),
        ("panels.json", "panels", "panel"),
        ("working_groups.json", "working_groups", "working_group"),
        ("networks.json", "networks", "network"),
    ):
        for record in json.loads((data / file).read_text("utf-8"))[key]:
            if record.get("status", "active") == "active":
                out.append((kind, record["slug"]))
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_public_pages_say_who_states_a_fact_without_internal_references(
    client: TestClient, links: Permalinks, lang: str
) -> None:
    bad: list[str] = []
    for kind, entity in _pages():
        r = client.get(links.path(kind, entity, lang))
        assert r.status_code == 200, (kind, entity)
        main = _main(r.text)
        bad += [f"{kind}/{entity}: {p.pattern}" for p in FORBIDDEN if p.search(main)]
    assert not bad, bad[:20]


def test_a_source_line_names_the_publisher_the_page_and_when_it_was_read(
    client: TestClient, links: Permalinks
) -> None:
    r = client.get(entity_path("panel", "commissie-voor-beentumoren", "nl"))
    main = _main(r.text)
    assert "IKNL" in main
    assert 'rel="external noopener"' in main
    assert "Gelezen door onze redactie op" in main
    en = _main(client.get(links.path("panel", "commissie-voor-beentumoren", "en")).text)
    assert "Read by our editors on" in en
    assert "Checked by an editor" not in en  # an import is not a check by a person


def test_the_public_coverage_page_shows_every_euracan_domain(client: TestClient) -> None:
    for lang, heading in (
        ("nl", "Waar Nederland geen genoemde expertise heeft"),
        ("en", "Where the Netherlands has no named expertise"),
    ):
        r = client.get(page_path("gaps", lang))
        assert r.status_code == 200
        assert heading in r.text
        assert r.text.count(f'href="/{lang}/{"domein" if lang == "nl" else "domain"}/') >= 10
    footer_link = page_path("gaps", "nl")
    assert f'href="{footer_link}"' in client.get("/nl/").text


@pytest.mark.parametrize("code", [50251, 39044, 3394, 1501])
def test_ern_members_are_never_listed_as_the_conditions_centre(
    client: TestClient, code: int
) -> None:
    """An ERN membership only appears in its own block, phrased as a membership."""
    html = _main(client.get(entity_path("condition", code, "en")).text)
    sections = re.findall(r'<section aria-labelledby="h-exp-([a-z_]+)".*?</section>', html, re.S)
    assert "ern_member" not in sections
    for block in re.findall(r'<section aria-labelledby="h-exp-networks".*?</section>', html, re.S):
        assert "is a member of" in block
