"""Functional tests of the site through HTTP, in Dutch and English."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient


def test_root_negotiates_language(client: TestClient) -> None:
    r = client.get("/", headers={"accept-language": "en-GB,en;q=0.9,nl;q=0.8"})
    assert r.status_code == 307
    assert r.headers["location"] == "/en/"
    r = client.get("/", headers={"accept-language": "nl-NL,nl;q=0.9"})
    assert r.headers["location"] == "/nl/"
    r = client.get("/", headers={"accept-language": "de-DE, fr;q=0.5"})
    assert r.headers["location"] == "/nl/"
    r = client.get("/", headers={"accept-language": "nl;q=0.2, en;q=0.8"})
    assert r.headers["location"] == "/en/"
    assert "accept-language" in r.headers["vary"].lower()


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("nl", "Vind expertise voor zeldzame kanker"), ("en", "Find expertise for rare cancer")],
)
def test_home_in_both_languages(client: TestClient, lang: str, heading: str) -> None:
    r = client.get(f"/{lang}/")
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text
    assert heading in r.text
    assert 'hreflang="nl"' in r.text
    assert 'hreflang="en"' in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")


def test_search_page_finds_condition_by_dutch_name(client: TestClient) -> None:
    r = client.get("/nl/zoeken", params={"q": "chondrosarcoom"})
    assert r.status_code == 200
    assert 'href="/nl/aandoening/55880"' in r.text
    assert "Chondrosarcoom" in r.text


def test_search_page_in_english_by_code_forms(client: TestClient) -> None:
    for q in ("ORPHA:178", "orpha 178", "178"):
        r = client.get("/en/search", params={"q": q})
        first = re.search(r'<li class="result">\s*<a href="([^"]+)"', r.text)
        assert first is not None, q
        assert first.group(1) == "/en/condition/178", q


def test_language_switch_keeps_the_page(client: TestClient) -> None:
    r = client.get("/nl/aandoening/55880")
    assert 'href="/en/condition/55880" hreflang="en"' in r.text
    r = client.get("/en/search", params={"q": "ewing sarcoma"})
    assert 'href="/nl/zoeken?q=ewing+sarcoma"' in r.text


def test_condition_page_contents_dutch(client: TestClient) -> None:
    r = client.get("/nl/aandoening/55880")
    assert r.status_code == 200
    text = r.text
    assert "<h1>Chondrosarcoom</h1>" in text
    assert "ORPHA:55880" in text
    assert "Ziekte" in text  # level: disorder
    assert 'href="https://www.orpha.net/nl/disease/detail/55880"' in text
    assert 'href="/nl/aandoening/223727"' in text  # parent: bone sarcoma
    assert "CC-BY-4.0" in text
    assert "INSERM" in text
    # The definition only exists in English: marked as such.
    assert re.search(r'<p lang="en">Chondrosarcoma is a malignant', text)


def test_condition_without_dutch_name_says_english(client: TestClient) -> None:
    # Muir-Torre syndrome: no longer in Orphanet's classification, so no Dutch name
    r = client.get("/nl/aandoening/587")
    assert '<h1 lang="en">Muir-Torre syndrome</h1>' in r.text
    assert "Er is nog geen Nederlandse naam" in r.text


def test_a_proposed_dutch_name_is_shown_and_marked(client: TestClient) -> None:
    r = client.get("/nl/aandoening/166113")  # Bazex syndrome: a proposed translation
    assert '<h1 lang="en">' not in r.text
    assert "die nog geen redacteur heeft nagekeken" in r.text
    approved = client.get("/nl/aandoening/55880").text  # chondrosarcoom: approved
    assert "die nog geen redacteur heeft nagekeken" not in approved


def test_every_condition_of_the_classification_has_a_dutch_name(loaded) -> None:
    from sqlalchemy import select

    from directory.conditions.models import ClassificationEdge, Condition, ConditionName
    from directory.db import make_engine, make_session_factory

    engine = make_engine(loaded.settings.database_url)
    with make_session_factory(engine)() as s:
        classified = set(s.scalars(select(ClassificationEdge.child_code))) | set(
            s.scalars(select(ClassificationEdge.parent_code))
        )
        active = set(s.scalars(select(Condition.orphacode).where(Condition.status == "active")))
        dutch = set(s.scalars(select(ConditionName.orphacode).where(ConditionName.lang == "nl")))
    engine.dispose()
    assert (classified & active) - dutch == set()


def test_condition_children_and_english_page(client: TestClient) -> None:
    r = client.get("/en/condition/98057")
    assert r.status_code == 200
    assert "<h1>Rare tumor</h1>" in r.text
    assert r.text.count('href="/en/condition/') >= 22


def test_deprecated_code_redirects_permanently(client: TestClient) -> None:
    r = client.get("/en/condition/3444")
    assert r.status_code == 301
    assert r.headers["location"] == "/en/condition/636"


def test_code_spellings_redirect_to_canonical(client: TestClient) -> None:
    r = client.get("/nl/aandoening/ORPHA178")
    assert r.status_code == 301
    assert r.headers["location"] == "/nl/aandoening/178"


@pytest.mark.parametrize(
    "path",
    [
        "/nl/aandoening/999999999",
        "/nl/aandoening/abc",
        "/en/condition/%3Cscript%3E",
        "/nl/bestaat-niet",
    ],
)
def test_unknown_pages_are_404_with_search(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert 'role="search"' in r.text
    assert "<script>" not in r.text


def test_sources_page_has_attribution(client: TestClient) -> None:
    for path in ("/nl/bronnen", "/en/sources"):
        r = client.get(path)
        assert r.status_code == 200
        assert "CC BY 4.0" in r.text
        assert "en_product3_202.xml" in r.text
        assert "Orphanet: an online rare disease and orphan drug data base" in r.text


HOSTILE = [
    '"; DROP TABLE docs; --',
    'NEAR(a b) AND "x',
    "a" * 10_000,
    "\x00\x01\x1f control",
    "<script>alert(1)</script>",
    "title:foo OR * ^ -bar",
    '""""',
    "ORPHA:",
    "٣٤٥ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_error(client: TestClient, q: str) -> None:
    r = client.get("/nl/zoeken", params={"q": q})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    api = client.get("/api/search", params={"q": q})
    assert api.status_code == 200
    assert isinstance(api.json()["hits"], list)


def test_invalid_utf8_in_url(client: TestClient) -> None:
    r = client.get("/nl/zoeken?q=%ff%fe%80")
    assert r.status_code == 200


def test_api_shape_and_bad_parameters(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "ewing", "lang": "en", "limit": 3})
    data = r.json()
    assert len(data["hits"]) <= 3
    hit = data["hits"][0]
    assert {"kind", "id", "title", "url", "orphacode"} <= set(hit)
    assert hit["url"].startswith("/en/")
    for params in (
        {"limit": "-1"},
        {"limit": "100000"},
        {"limit": "x"},
        {"lang": "de"},
        {"kind": "spaceship"},
    ):
        bad = client.get("/api/search", params={"q": "a", **params})
        assert bad.status_code == 400
        assert bad.json()["error"]


def test_view_threads_follow_the_setting(loaded) -> None:
    import dataclasses

    from anyio import to_thread

    from web.app import create_app

    settings = dataclasses.replace(loaded.settings, threads=3)
    app = create_app(settings, search=loaded.engine)
    seen = []

    async def probe(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        seen.append(to_thread.current_default_thread_limiter().total_tokens)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app.mount("/probe", probe)
    with TestClient(app) as c:
        assert c.get("/probe").status_code == 204
    assert seen == [3]


def test_long_lived_objects_are_frozen_out_of_garbage_collection(loaded) -> None:
    import gc

    from web.app import create_app

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    app = create_app(loaded.settings, search=loaded.engine)
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200
        # The warmed index is among them: a full collection no longer walks it.
        assert gc.get_freeze_count() > 100_000


def test_a_drafted_summary_is_shown_marked_until_an_editor_approves_one(
    client: TestClient,
) -> None:
    text = client.get("/nl/aandoening/44890").text  # GIST: drafted in summaries_b1.csv
    assert 'id="h-summary"' in text
    assert "maag-darmkanaal" in text
    assert "nog geen redacteur heeft het nagekeken" in text
