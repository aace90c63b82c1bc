"""The search results page: grouping, highlighting, facets, pages, distance, bad input."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient


def _hits(html: str) -> list[str]:
    return re.findall(r'<li class="result">\s*<a href="([^"]+)"', html)


def test_results_are_grouped_by_kind_with_headings(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "sarcoma"})
    assert r.status_code == 200
    groups = re.findall(r'<section class="result-group" aria-labelledby="g-(\w+)">', r.text)
    assert groups
    assert groups[0] == "condition"
    assert len(groups) == len(set(groups))  # each kind once
    assert '<h2 id="g-condition">Conditions' in r.text
    nl = client.get("/nl/zoeken", params={"q": "sarcoom"})
    assert '<h2 id="g-condition">Aandoeningen' in nl.text


def test_matching_words_are_marked_after_escaping(client: TestClient) -> None:
    r = client.get("/nl/zoeken", params={"q": "chondrosarcoom"})
    assert "<mark>Chondrosarcoom</mark>" in r.text
    r = client.get("/en/search", params={"q": "ewing"})
    assert re.search(r"<mark>Ewing</mark>", r.text)


def test_pagination_links_pages_and_marks_the_current_one(client: TestClient) -> None:
    first = client.get("/en/search", params={"q": "tumor"})
    count = re.search(r"([\d,]+) results", first.text)
    assert count
    assert int(count.group(1).replace(",", "")) > 20
    assert len(_hits(first.text)) == 20
    assert 'aria-label="Result pages"' in first.text
    assert 'aria-current="page">Page 1<' in first.text
    next_url = re.search(r'<a href="([^"]+)" rel="next">', first.text)
    assert next_url
    assert "page=2" in next_url.group(1)
    second = client.get(next_url.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert 'aria-current="page">Page 2<' in second.text
    assert 'rel="prev"' in second.text
    assert not set(_hits(first.text)) & set(_hits(second.text))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_page_beyond_the_last_shows_the_last_page(client: TestClient, lang: str) -> None:
    path = "/en/search" if lang == "en" else "/nl/zoeken"
    first = client.get(path, params={"q": "tumor"})
    last_number = max(int(n) for n in re.findall(r'[?&](?:amp;)?page=(\d+)"', first.text))
    assert last_number > 1
    last = client.get(path, params={"q": "tumor", "page": str(last_number)})
    for beyond in (last_number + 1, 49):
        r = client.get(path, params={"q": "tumor", "page": str(beyond)})
        assert r.status_code == 200
        assert re.search(rf'aria-current="page">[^<]*\b{last_number}<', r.text)
        assert 'rel="next"' not in r.text
        assert 'rel="prev"' in r.text
        assert _hits(r.text)
        assert _hits(r.text) == _hits(last.text)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "tumor", "page": "abc"}, "The page number must be a whole number"),
        ({"q": "tumor", "page": "0"}, "The page number must be a whole number"),
        ({"q": "tumor", "page": "-3"}, "The page number must be a whole number"),
        ({"q": "tumor", "page": "1e9"}, "The page number must be a whole number"),
        ({"q": "tumor", "kind": "spaceship"}, "We do not know the type of result"),
        ({"q": "tumor", "f_Bad Name": "x"}, "One of the filters is not valid"),
    ],
)
def test_malformed_parameters_get_a_clear_message(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    r = client.get("/en/search", params=params)
    assert r.status_code == 400
    assert message in r.text
    assert 'role="alert"' in r.text
    # The visitor can search again straight away, keeping the words.
    assert 'value="tumor"' in r.text
    nl = client.get("/nl/zoeken", params=params)
    assert nl.status_code == 400
    assert "We konden uw zoekopdracht niet gebruiken" in nl.text


def test_kind_filter_and_facet_form_work_without_script(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "tumor", "kind": "condition"})
    assert r.status_code == 200
    assert set(re.findall(r'aria-labelledby="g-(\w+)"', r.text)) == {"condition"}
    facets = client.get("/en/search", params={"q": "tumor"}).text
    form = facets.split('<details class="facets"')[1].split("</details>")[0]
    assert 'method="get"' in form
    assert '<input type="hidden" name="q" value="tumor">' in form
    boxes = re.findall(r'<input type="checkbox" id="([^"]+)" name="([^"]+)" value="([^"]+)"', form)
    assert boxes
    for box_id, _name, _value in boxes:
        assert f'<label for="{box_id}">' in form
    # Ticking a box and submitting the form narrows the results.
    _id, name, value = boxes[0]
    narrowed = client.get("/en/search", params={"q": "tumor", name: value})
    assert narrowed.status_code == 200
    assert re.search(rf'name="{name}" value="{re.escape(value)}" checked', narrowed.text)
    assert "Remove all filters" in narrowed.text


def test_nothing_found_helps_the_visitor_on(client: TestClient) -> None:
    r = client.get("/nl/zoeken", params={"q": "qqqzzzxxx"})
    assert r.status_code == 200
    assert "Niets gevonden voor “qqqzzzxxx”." in r.text
    assert "Controleer de spelling" in r.text
    assert 'href="/nl/lichaamsdeel"' in r.text
    assert 'href="/nl/domein"' in r.text
    en = client.get("/en/search", params={"q": "qqqzzzxxx"})
    assert "Nothing found for “qqqzzzxxx”." in en.text
    assert 'href="/en/body-area"' in en.text


def test_did_you_mean_links_the_corrected_query(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "ewnig sarcoma"})
    m = re.search(r'class="did-you-mean">Did you mean: <a href="([^"]+)">([^<]+)</a>', r.text)
    assert m, "no 'did you mean' for a swapped-letter typo"
    assert m.group(2) == "ewing sarcoma"
    assert "q=ewing+sarcoma" in m.group(1)
    corrected = client.get(m.group(1).replace("&amp;", "&"))
    assert corrected.status_code == 200
    assert "Did you mean" not in corrected.text
    nl = client.get("/nl/zoeken", params={"q": "ewnig sarcoom"})
    assert "Bedoelde u:" in nl.text


def test_empty_query_explains_what_to_type(client: TestClient) -> None:
    r = client.get("/en/search")
    assert r.status_code == 200
    assert "Type the name of a disease" in r.text
    assert "<title>Search · Expertisewijzer</title>" in r.text


def test_unknown_place_for_distance_says_so_and_still_searches(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "sarcoma", "near": "Atlantis"})
    assert r.status_code == 200
    assert "We do not know the place “Atlantis”" in r.text
    assert _hits(r.text)
    assert 'value="Atlantis"' in r.text


def test_known_postcode_is_used_for_distances(client: TestClient) -> None:
    from search.geo import NearError

    try:
        client.app.state.exw.search.locate("3584 CX")
    except NearError as exc:
        pytest.fail(
            f"{exc}: the search engine has no gazetteer of postcodes, yet the bundled "
            "data/geonames/NL.txt (source 'geonames') is part of the repository and lists 3584"
        )
    r = client.get("/en/search", params={"q": "sarcoma", "near": "3584 CX"})
    assert r.status_code == 200
    assert "We do not know the place" not in r.text
    assert "Distances in a straight line from 3584 CX" in r.text
    # Pages of results keep the place.
    assert "near=3584+CX" in r.text or "near=3584%20CX" in r.text or "near=3584" in r.text


def test_facets_speak_plain_language_not_codes(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "tumor"})
    form = r.text.split('<details class="facets"')[1].split("</details>")[0]
    legends = re.findall(r"<legend>(.*?)</legend>", form)
    assert legends[0] == "Type of result"
    assert "Type of expertise" in legends
    assert "Recognised expertise centre (ECZA)" in form
    # Hospitals are named, not shown by their slug; the value sent is still the slug.
    labels = re.findall(r'value="([^"]+)">\s*<label for="[^"]+">([^<]+?) <span', form)
    by_value = dict(labels)
    assert by_value.get("nki-avl") == "Antoni van Leeuwenhoek" or (
        "nki-avl" in by_value and by_value["nki-avl"] != "nki-avl"
    )
    assert "working_group_centre" not in {label for _v, label in labels}
    nl = client.get("/nl/zoeken", params={"q": "tumor"}).text
    assert "Erkend expertisecentrum (ECZA)" in nl
