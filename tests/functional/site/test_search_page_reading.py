"""The results page and the API say how a query was read (issue 11), in nl and en."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page(client: TestClient, lang: str, q: str) -> str:
    path = "/nl/zoeken" if lang == "nl" else "/en/search"
    r = client.get(path, params={"q": q})
    assert r.status_code == 200
    return text_of(r.text)


def test_the_page_says_what_was_searched_for(client: TestClient) -> None:
    html = page(
        client, "nl", "ik heb net gehoord dat ik een sarcoom heb in mijn been, waar moet ik heen"
    )
    assert "Gezocht op: sarcoom, been" in html
    assert "“been” kan bot of been (ledemaat) betekenen. We hebben op allebei gezocht." in html
    en = page(client, "en", "I was just told I have a sarcoma in my leg, where should I go")
    assert "Searched for: sarcoma, leg" in en
    # Nothing to say when the query is read as typed.
    assert "Gezocht op" not in page(client, "nl", "chondrosarcoom")


def test_the_page_names_an_ignored_word(client: TestClient) -> None:
    html = page(client, "nl", "thymoom blorpje")
    assert "We hebben “blorpje” weggelaten: dat woord staat nergens in onze lijst." in html
    assert "We left out “blorpje”: no entry in our list contains it." in page(
        client, "en", "thymoma blorpje"
    )


def test_the_page_says_a_child_steers_the_answer(client: TestClient) -> None:
    assert "Uw vraag gaat over een kind." in page(
        client, "nl", "mijn zoon van 4 heeft een niertumor"
    )
    assert "Your question is about a pregnancy." in page(
        client, "en", "my wife is pregnant and has been diagnosed with cancer"
    )


@pytest.mark.parametrize(
    ("lang", "q", "title", "name"),
    [
        ("nl", "borstkanker", "Borstkanker is meestal geen zeldzame kanker", "borstkanker"),
        ("en", "breast cancer", "Breast cancer is usually not a rare cancer", "breast cancer"),
        ("nl", "C18.7", "Darmkanker is meestal geen zeldzame kanker", "darmkanker"),
        ("en", "lung cancer", "Lung cancer is usually not a rare cancer", "lung cancer"),
    ],
)
def test_a_common_cancer_gets_a_card(
    client: TestClient, lang: str, q: str, title: str, name: str
) -> None:
    path = "/nl/zoeken" if lang == "nl" else "/en/search"
    raw = client.get(path, params={"q": q}).text
    assert 'href="https://www.kanker.nl/kankersoorten"' in raw
    assert 'href="https://nfk.nl/"' in raw
    html = text_of(raw)
    assert title in html
    rare = "Zeldzame vormen van" if lang == "nl" else "Rare forms of"
    assert f"{rare} {name}" in html  # the rare forms it found are listed


def test_rare_cancers_get_no_card(client: TestClient) -> None:
    assert "geen zeldzame kanker" not in page(client, "nl", "slokdarmkanker")


def test_benign_conditions_are_labelled(client: TestClient) -> None:
    html = page(client, "en", "rare benign breast tumor")
    assert "Condition · benign · ORPHA:180253" in html
    assert "goedaardig" in page(client, "nl", "rare benign breast tumor")
    assert "· benign" not in page(client, "en", "chondrosarcoma")


def test_did_you_mean_is_in_the_language_of_the_page(client: TestClient) -> None:
    # "kanker" and "cancer" share a key; the suggestion uses the page's spelling.
    nl = client.get("/api/search", params={"q": "thymuskanker zwezerick", "lang": "nl"}).json()
    en = client.get("/api/search", params={"q": "tumour of the thymmus gland", "lang": "en"}).json()
    assert nl["corrected"] in (None, "thymuskanker zwezerik")
    assert en["corrected"] in (None, "tumour of the thymus gland")


def test_the_api_says_how_the_query_was_read(client: TestClient) -> None:
    data = client.get(
        "/api/search", params={"q": "mijn zoon van 4 heeft een niertumor blorpje"}
    ).json()
    assert data["reading"] == {
        "words": ["niertumor"],
        "ignored": ["blorpje"],
        "context": ["zoon", "4"],
        "audience": ["children"],
        "ambiguous": [],
        "common_cancer": None,
        "language": "nl",
        "symptoms": [],
        "common_benign": [],
    }
    assert data["hits"][0]["benign"] is False
    assert (
        client.get("/api/search", params={"q": "borstkanker"}).json()["reading"]["common_cancer"]
        == "breast"
    )


def test_spelling_suggestions_use_the_words_of_the_page_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from search.engine import SearchQuery
    from search.engines.embedded import EmbeddedEngine
    from tests.support.search import condition

    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    engine.rebuild(
        [
            condition(1, "Bladder cancer", "Blaaskanker", names_nl=("Kanker van de blaas",)),
            condition(2, "Glucagonoma"),  # no Dutch name
        ]
    )

    def corrected(q: str, lang: str) -> str | None:
        return engine.search(SearchQuery(text=q, lang=lang)).corrected

    # "kanker" and "cancer" are one key: the suggestion is written as the page's language does.
    assert corrected("kankre", "nl") == "kanker"
    assert corrected("kankre", "en") == "cancer"
    # A word only English names have is not suggested on the Dutch site.
    assert corrected("glucagonona", "en") == "glucagonoma"
    assert corrected("glucagonona", "nl") is None


def test_complaints_are_no_disease_and_the_page_says_to_see_a_gp(client: TestClient) -> None:
    # "vermoeid en blauwe plekken" found a choroid plexus tumour, "night sweats" a sweat
    # gland tumour: names that frighten and do not help.
    html = page(client, "nl", "vermoeid en blauwe plekken")
    assert "Dit zijn klachten, geen naam van een ziekte" in html
    assert "Ga dan naar uw huisarts." in html
    assert "Niets gevonden" not in html
    en = page(client, "en", "night sweats and weight loss")
    assert "These are symptoms, not the name of a disease" in en
    data = client.get("/api/search", params={"q": "nachtzweten", "lang": "nl"}).json()
    assert data["hits"] == []
    assert data["reading"]["symptoms"] == ["nachtzweten"]
    # A disease next to a complaint is searched.
    assert "klachten" not in page(client, "nl", "hoofdpijn hersentumor")


def test_a_young_adults_question_names_the_care_network_for_them(client: TestClient) -> None:
    html = page(client, "nl", "ik ben 25 en heb zaadbalkanker")
    assert "Uw vraag gaat over een jongvolwassene (18 tot en met 39 jaar)." in html
    assert "AYA" in html
    en = page(client, "en", "I am 30 and have sarcoma")
    assert "Your question is about a young adult (18 to 39)." in en


def test_a_common_benign_growth_is_said_to_be_no_rare_cancer(client: TestClient) -> None:
    # "vetbult" found liposarcoma first, "myoom baarmoeder" uterine leiomyosarcoma.
    html = page(client, "nl", "vetbult")
    assert "“vetbult”: een veelvoorkomend, goedaardig gezwel, geen zeldzame kanker." in html
    en = page(client, "en", "fibroid in my womb")
    assert "“fibroid”: a common, benign growth, not a rare cancer." in en
    data = client.get("/api/search", params={"q": "myoom baarmoeder", "lang": "nl"}).json()
    assert data["reading"]["common_benign"] == ["myoom"]
    assert "goedaardig gezwel" not in page(client, "nl", "liposarcoom")
