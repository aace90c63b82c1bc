"""The JSON search API on the bundled catalogue: shape, parameters, hostile input."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from expertisewijzer import cli


def api(client: TestClient, query: str) -> tuple[int, dict[str, object]]:
    response = client.get("/api/search?" + query)
    assert response.headers["content-type"].startswith("application/json")
    return response.status_code, response.json()


def hits(data: dict[str, object]) -> list[dict[str, object]]:
    found = data["hits"]
    assert isinstance(found, list)
    return found


def test_hits_have_the_stable_shape(client: TestClient) -> None:
    status, data = api(client, "q=chondrosarcoom&lang=nl")
    assert status == 200
    first = hits(data)[0]
    assert {"kind", "id", "title", "url", "orphacode", "matched", "why", "groups"} <= set(first)
    assert first["kind"] == "condition"
    assert first["orphacode"] == 55880
    assert first["url"] == "/nl/aandoening/55880"
    assert first["title"] == "Chondrosarcoom"
    assert "distance_km" not in first  # no location given
    assert isinstance(data["facets"], dict)
    assert data["total"] >= len(hits(data))


def test_english_titles_and_urls(client: TestClient) -> None:
    first = hits(api(client, "q=chondrosarcoom&lang=en")[1])[0]
    assert first["title"] == "Chondrosarcoma"
    assert first["url"] == "/en/condition/55880"


def test_a_disease_names_its_groups_and_why_it_matched(client: TestClient) -> None:
    first = hits(api(client, "q=chondrosarkom")[1])[0]
    assert first["id"] == "55880"
    groups = first["groups"]
    assert isinstance(groups, list)
    assert groups
    assert all(str(g["url"]).startswith("/nl/aandoening/") for g in groups)
    botkanker = hits(api(client, "q=botkanker")[1])[0]
    assert "synonym" in botkanker["why"] or "lay_term" in botkanker["why"]


def test_near_gives_every_hit_a_distance_field(client: TestClient) -> None:
    status, data = api(client, "q=ziekenhuis&near=9712%20AB&kind=institution")
    assert status == 200
    assert data["location"] == {
        "label": "9712 AB",
        "source": "postcode",
        "place": "Groningen",
        "lat": pytest.approx(53.2216),
        "lon": pytest.approx(6.5631),
    }
    found = hits(data)
    assert found
    assert all("distance_km" in h for h in found)
    assert found[0]["id"] in ("umcg", "martini")


def test_sort_by_distance(client: TestClient) -> None:
    data = api(client, "q=umc&near=Nijmegen&sort=distance&kind=institution&limit=20")[1]
    distances = [h["distance_km"] for h in hits(data)]
    assert distances == sorted(distances)  # type: ignore[type-var]  # all numbers here
    assert "radboudumc" in [h["id"] for h in hits(data)][:3]
    assert float(distances[0]) < 5  # type: ignore[arg-type]  # a number


def test_postcode_in_the_words(client: TestClient) -> None:
    data = api(client, "q=sarcoom%209712")[1]
    assert data["location"]["source"] == "postcode"  # type: ignore[index]
    assert hits(data)[0]["id"] == "3394"


@pytest.mark.parametrize(
    ("query", "param", "says"),
    [
        ("q=x&near=99999", "near", "not a Dutch postcode"),
        ("q=x&near=0712", "near", "not a Dutch postcode"),
        ("q=x&near=6679", "near", "not in our list of postcodes"),  # new, not in GeoNames
        ("q=x&near=Atlantis", "near", "place we know"),
        ("q=x&near=91,200", "near", "latitude"),
        ("q=x&limit=-1", "limit", "between 0 and 100"),
        ("q=x&limit=1000", "limit", "between 0 and 100"),
        ("q=x&limit=ten", "limit", "whole number"),
        ("q=x&offset=-5", "offset", "between 0 and 10000"),
        ("q=x&kind=hospital", "kind", "unknown kind"),
        ("q=x&lang=fr", "lang", "lang must be one of"),
        ("q=x&sort=random", "sort", "sort must be one of"),
        ("q=x&network=%22%20OR%201", "network", "not a valid identifier"),
    ],
)
def test_bad_parameters_are_a_clear_400(
    client: TestClient, query: str, param: str, says: str
) -> None:
    status, data = api(client, query)
    assert status == 400
    errors = data["errors"]
    assert isinstance(errors, list)
    assert [e["param"] for e in errors] == [param]
    assert says in str(data["error"])


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 10_000,
        "q=%00%01%1f%7f",
        "q=%ff%fe%fd",  # invalid UTF-8
        "q=%E2%80",  # a truncated UTF-8 sequence
        "q=%22sarcoom%22%20OR%20NOT%20(bot*)",
        "q=%27%3B%20DROP%20TABLE%20docs%3B%20--",
        "q=<script>alert(1)</script>",
        "q=NEAR(a%20b)%20AND%20-c",
        "q=&near=9712",
        "q=",
        "",
        "q=sarcoom&limit=0",
        "q=sarcoom&offset=10000",
        "q=sarcoom&kind=condition,panel&euracan_domain=sarcoma,digestive",
        "q=sarcoom&q=bot",
        "lang=en&lang=nl&q=x",
    ],
)
def test_hostile_input_never_causes_a_server_error(client: TestClient, query: str) -> None:
    response = client.get("/api/search?" + query)
    assert response.status_code in (200, 400)
    json.loads(response.text)


def test_filters_narrow_the_results(client: TestClient) -> None:
    everything = api(client, "q=sarcoom&limit=100")[1]
    sarcoma = api(client, "q=sarcoom&limit=100&euracan_domain=sarcoma")[1]
    panels = api(client, "q=beentumoren&kind=panel")[1]
    assert 0 < int(sarcoma["total"]) < int(everything["total"])  # type: ignore[call-overload]
    assert {h["id"] for h in hits(sarcoma)} <= {h["id"] for h in hits(everything)}
    assert {h["kind"] for h in hits(panels)} == {"panel"}


def test_cli_json_gives_the_same_hits_in_the_same_order(
    client: TestClient, loaded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]  # loaded: conftest fixture
    monkeypatch.setenv("EXW_DATABASE_URL", loaded.settings.database_url)
    monkeypatch.setenv("EXW_SEARCH_INDEX_PATH", str(loaded.settings.search_index_path))
    for q in ("botkanker", "sarcoom 9712", "umc groningen"):
        assert cli.main(["search", q, "--json", "--lang", "en"]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert set(printed) == {"hits"}
        api_hits = hits(api(client, f"q={q}&lang=en&limit=10")[1])
        assert [(h["kind"], h["id"], h["url"]) for h in printed["hits"]] == [
            (h["kind"], h["id"], h["url"]) for h in api_hits
        ]


class _ResultLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_results = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "li" and "result" in classes.split():
            self.in_results += 1
        if tag == "a" and self.in_results:
            href = dict(attrs).get("href") or ""
            if re.match(r"^/(nl|en)/[a-z-]+/[^/?]+$", href):
                self.links.append(href)
                self.in_results -= 1


@pytest.mark.parametrize(("lang", "q"), [("nl", "sarcoom"), ("en", "thymus"), ("nl", "umc")])
def test_html_results_page_shows_the_same_hits_in_the_same_order(
    client: TestClient, lang: str, q: str
) -> None:
    page = client.get(f"/{lang}/{'zoeken' if lang == 'nl' else 'search'}?q={q}")
    assert page.status_code == 200
    parser = _ResultLinks()
    parser.feed(page.text)
    api_hits = hits(api(client, f"q={q}&lang={lang}&limit={len(parser.links)}")[1])
    # The page groups hits by kind, in the order the kinds first appear.
    kinds: list[str] = []
    for h in api_hits:
        if h["kind"] not in kinds:
            kinds.append(str(h["kind"]))
    grouped = [h["url"] for k in kinds for h in api_hits if h["kind"] == k]
    assert parser.links == grouped
