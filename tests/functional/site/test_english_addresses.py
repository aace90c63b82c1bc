"""English pages at English slugs: 301s both ways, alternates, sitemap, search, links."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from directory.paths import SEGMENTS, Permalinks

BONE = "commissie-voor-beentumoren"
BONE_EN = "netherlands-committee-on-bone-tumours"
ENGLISH_SLUG_KINDS = ("panel", "working_group", "network", "body_area")


# one entity of each kind whose English slug differs from its Dutch one
CASES = [
    ("panel", BONE, BONE_EN),
    ("working_group", "werkgroep-testistumoren", "testicular-tumour-working-group"),
    ("body_area", "bot", "bone"),
]


@pytest.mark.parametrize(("kind", "nl", "en"), CASES)
def test_the_other_language_s_slug_answers_301_with_the_query(
    client: TestClient, kind: str, nl: str, en: str
) -> None:
    query = "?near=3584&x=a%20b"
    seg = SEGMENTS[kind]
    r = client.get(f"/en/{seg['en']}/{nl}{query}")
    assert r.status_code == 301
    assert r.headers["location"] == f"/en/{seg['en']}/{en}{query}"
    r = client.get(f"/nl/{seg['nl']}/{en}{query}")
    assert r.status_code == 301
    assert r.headers["location"] == f"/nl/{seg['nl']}/{nl}{query}"
    for lang, slug in (("nl", nl), ("en", en)):
        assert client.get(f"/{lang}/{seg[lang]}/{slug}").status_code == 200


def test_the_referral_text_follows_too(client: TestClient) -> None:
    r = client.get(f"/en/expert-panel/{BONE}/tekst?x=1")
    assert r.status_code == 301
    assert r.headers["location"] == f"/en/expert-panel/{BONE_EN}/tekst?x=1"
    text = client.get(f"/en/expert-panel/{BONE_EN}/tekst").text
    assert f"http://testserver/en/expert-panel/{BONE_EN} " in text  # the permalink it cites


def test_abbreviations_and_one_language_names_keep_one_slug(
    client: TestClient, links: Permalinks
) -> None:
    assert links.slug("working_group", "dsg", "en") == "dsg"
    assert links.slug("network", "oncozon", "en") == "oncozon"
    assert client.get("/en/working-group/dsg").status_code == 200
    assert client.get("/en/network/oncozon").status_code == 200


@pytest.mark.parametrize(("kind", "nl", "en"), CASES)
def test_canonical_hreflang_and_language_switch_use_each_language_s_slug(
    client: TestClient, kind: str, nl: str, en: str
) -> None:
    seg = SEGMENTS[kind]
    nl_path, en_path = f"/nl/{seg['nl']}/{nl}", f"/en/{seg['en']}/{en}"
    for path in (nl_path, en_path):
        html = client.get(path, params={"near": "3584"}).text
        assert f'<link rel="canonical" href="http://testserver{path}">' in html
        assert f'<link rel="alternate" hreflang="nl" href="http://testserver{nl_path}">' in html
        assert f'<link rel="alternate" hreflang="en" href="http://testserver{en_path}">' in html
    # The language switch keeps every parameter.
    html = client.get(nl_path, params={"near": "3584", "x": "1"}).text
    assert f'<a href="{en_path}?near=3584&amp;x=1" hreflang="en"' in html
    html = client.get(en_path, params={"near": "3584"}).text
    assert f'<a href="{nl_path}?near=3584" hreflang="nl"' in html


def test_the_sitemap_lists_english_pages_at_english_slugs(
    client: TestClient, links: Permalinks
) -> None:
    xml = client.get("/sitemap.xml").text
    for kind, nl, en in CASES:
        seg = SEGMENTS[kind]
        assert f"<loc>http://testserver/en/{seg['en']}/{en}</loc>" in xml
        assert f"<loc>http://testserver/nl/{seg['nl']}/{nl}</loc>" in xml
        assert f"/en/{seg['en']}/{nl}<" not in xml
        assert f'/en/{seg["en"]}/{nl}"' not in xml
    # Every English slug of the catalogue is in it.
    for kind, by_id in links.english.items():
        for slug_en in by_id.values():
            assert f"/en/{SEGMENTS[kind]['en']}/{slug_en}<" in xml


def test_search_results_and_the_api_use_english_slugs(client: TestClient) -> None:
    params = {"q": "committee on bone tumours", "kind": "panel"}
    data = client.get("/api/search", params={**params, "lang": "en"}).json()
    assert [h["url"] for h in data["hits"]] == [f"/en/expert-panel/{BONE_EN}"]
    nl = client.get("/api/search", params={**params, "lang": "nl"}).json()
    assert [h["url"] for h in nl["hits"]] == [f"/nl/expertpanel/{BONE}"]
    html = client.get("/en/search", params={"q": "committee on bone tumours"}).text
    assert f'href="/en/expert-panel/{BONE_EN}"' in html
    assert f'href="/en/expert-panel/{BONE}"' not in html


ENTITY_LINK = re.compile(r'href="(/en/([a-z-]+)/([a-z0-9-]+))(?:[?#][^"]*)?"')


def test_no_english_page_links_to_a_dutch_slug(client: TestClient, links: Permalinks) -> None:
    kind_of = {SEGMENTS[k]["en"]: k for k in ENGLISH_SLUG_KINDS}
    start = [
        "/en/",
        "/en/for-professionals",
        "/en/expert-panels",
        "/en/working-groups",
        "/en/networks",
        "/en/body-area",
        "/en/condition/178",  # chordoma: panels and groups on its route card
        "/en/search?q=sarcoma",
        f"/en/expert-panel/{BONE_EN}",
        "/en/working-group/dsg",
    ]
    seen: set[str] = set()
    found = 0
    for page in start:
        r = client.get(page)
        assert r.status_code == 200, page
        for path, segment, slug in ENTITY_LINK.findall(r.text):
            kind = kind_of.get(segment)
            if kind is None:
                continue
            found += 1
            slug = unquote(slug)
            entity = links.entity_id(kind, slug)
            assert slug == links.slug(kind, entity, "en"), f"{page} links to {path}"
            if path not in seen:  # every such link answers at once, no redirect
                seen.add(path)
                assert client.get(path).status_code == 200, path
    assert found > 20
    assert any(slug != entity for by in links.english.values() for entity, slug in by.items())


def test_the_busy_page_asks_the_database_nothing(loaded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The 503 page answers when the database cannot (here: it has no tables at all)."""
    import dataclasses

    from web.app import create_app

    empty = dataclasses.replace(
        loaded.settings, database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    )
    client = TestClient(create_app(empty, search=loaded.engine), raise_server_exceptions=False)
    r = client.get("/en/")
    assert r.status_code == 503
    assert "The site is very busy" in r.text
