"""The rare cancers people look up most name their centres, each with its source, or say
plainly that none is named and give the route that exists (issue 10, point 2); closed
hospitals lead to their successor (point 3). On the bundled catalogue."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from directory.paths import entity_path

# condition -> institutions the bundled sources name for it (own, or for its group)
NAMED = {
    3394: {"nki-avl", "amsterdam-umc", "erasmus-mc", "lumc", "mumc-plus", "radboudumc", "umcg"},
    44890: {"nki-avl"},  # GIST
    223727: {"amsterdam-umc", "lumc", "radboudumc", "umcg"},  # bone sarcoma
    668: {"amsterdam-umc", "lumc", "radboudumc", "umcg"},  # osteosarcoma, via bone sarcoma
    39044: {"lumc", "het-oogziekenhuis-rotterdam"},  # uveal melanoma
    790: {"amsterdam-umc"},  # retinoblastoma
    100092: {"umcu", "nki-avl", "amsterdam-umc"},  # GEP-NEN
    1501: {"lumc", "erasmus-mc", "umcg", "radboudumc", "maxima-mc"},  # adrenocortical
    79140: {"nki-avl"},  # Merkel cell carcinoma
    254685: {"radboudumc"},  # gestational trophoblastic disease
    150: {"nki-avl"},  # nasopharyngeal carcinoma
    631251: {"nki-avl", "lumc"},  # cancer of unknown primary
}
# condition -> the route a page gives when no source names a centre
ROUTE_ONLY = {
    178: "commissie-voor-beentumoren",  # chordoma
    50251: "nederlands-mesotheliomen-panel",  # pleural mesothelioma
}


def _expertise(html: str) -> str:
    start = html.find('<section aria-labelledby="h-expertise"')
    return html[start : html.find("</main>")]


@pytest.mark.parametrize(("code", "expected"), sorted(NAMED.items()))
def test_the_condition_page_names_its_centres_with_who_says_so(
    client: TestClient, code: int, expected: set[str]
) -> None:
    for lang in ("nl", "en"):
        html = _expertise(client.get(entity_path("condition", code, lang)).text)
        segment = "instelling" if lang == "nl" else "institution"
        named = set(re.findall(rf'href="/{lang}/{segment}/([a-z0-9-]+)"', html))
        assert expected <= named, (code, lang, expected - named)
        said_by = "Wie zegt dit:" if lang == "nl" else "Who says so:"
        assert said_by in html
        assert 'rel="external noopener"' in html  # the source is linked


@pytest.mark.parametrize(("code", "slug"), sorted(ROUTE_ONLY.items()))
def test_without_a_named_centre_the_page_says_so_and_gives_the_route(
    client: TestClient, code: int, slug: str
) -> None:
    html = _expertise(client.get(entity_path("condition", code, "en")).text)
    assert "No source we know of names a centre specifically for" in html
    assert f'href="/en/expert-panel/{slug}"' in html


def test_children_see_the_childrens_centre_apart_from_the_adults_centres(
    client: TestClient,
) -> None:
    html = _expertise(client.get(entity_path("condition", 635, "en")).text)  # neuroblastoma
    children = html[html.find('id="h-exp-children"') :]
    assert 'href="/en/institution/prinses-maxima-centrum"' in children
    adults = html[: html.find('id="h-exp-children"')]
    assert "prinses-maxima-centrum" not in adults


@pytest.mark.parametrize(
    ("old_name", "successor"),
    [
        ("MC Zuiderzee Lelystad", "ziekenhuis-st-jansdal"),
        ("Havenziekenhuis", "erasmus-mc"),
    ],
)
def test_an_old_hospital_name_finds_the_hospital_that_took_over(
    client: TestClient, old_name: str, successor: str
) -> None:
    hits = client.get("/api/search", params={"q": old_name, "lang": "nl"}).json()["hits"]
    assert hits[0]["kind"] == "institution"
    assert hits[0]["id"] == successor
    assert all(h["id"] not in ("mc-groep", "havenziekenhuis") for h in hits)


def test_a_closed_hospitals_permalink_leads_to_its_successor(client: TestClient) -> None:
    r = client.get(entity_path("institution", "havenziekenhuis", "nl"))
    assert r.status_code == 301
    assert r.headers["location"] == entity_path("institution", "erasmus-mc", "nl")
    page = client.get(entity_path("institution", "erasmus-mc", "en")).text
    assert "Took over" in page
    assert "Havenziekenhuis" in page


def test_cancer_in_pregnancy_finds_the_advisory_board_first(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "kanker in de zwangerschap"}).json()["hits"]
    assert hits[0]["id"] == "adviesgroep-kanker-in-de-zwangerschap"
