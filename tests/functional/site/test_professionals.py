"""The directory for professionals (issue 13, point 3): index pages of panels, working
groups, networks and hospitals, filterable without JavaScript, linked from the home page;
and the language switch that keeps every parameter (point 7)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from directory.paths import page_path

LISTS = ("panels", "working_groups", "networks", "institutions")


def _names(html: str) -> list[str]:
    return re.findall(r'<p class="listing-name"><a href="/[a-z]{2}/[a-z-]+/([a-z0-9-]+)[?"]', html)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_home_page_leads_professionals_to_every_list(client: TestClient, lang: str) -> None:
    home = client.get(f"/{lang}/").text
    assert f'href="{page_path("professionals", lang)}"' in home
    landing = client.get(page_path("professionals", lang)).text
    for name in LISTS:
        assert f'href="{page_path(name, lang)}"' in landing
        r = client.get(page_path(name, lang))
        assert r.status_code == 200
        assert len(_names(r.text)) > 5 or name == "networks"


def test_panels_filter_by_level_and_submission_route(client: TestClient) -> None:
    everything = _names(client.get(page_path("panels", "en")).text)
    regional = _names(client.get(page_path("panels", "en"), params={"level": "regional"}).text)
    # (English pages link panels at their English slugs)
    assert "hpb-expert-panel-north-east-netherlands" in regional
    assert "netherlands-committee-on-bone-tumours" not in regional
    assert set(regional) < set(everything)
    portal = _names(client.get(page_path("panels", "en"), params={"submit": "portal"}).text)
    assert "pancreatic-cancer-expert-panel-north-holland-flevoland" in portal
    nothing = client.get(page_path("panels", "en"), params={"level": "<script>"}).text
    assert "Nothing matches these choices." in nothing
    assert "<script>" not in nothing.split("<main", 1)[1]


def test_hospitals_sort_by_distance_and_never_list_a_closed_one(client: TestClient) -> None:
    html = client.get(page_path("institutions", "nl"), params={"near": "9712"}).text
    names = _names(html)
    assert names[0] == "umcg"
    assert "km van 9712 (Groningen)" in html
    assert "havenziekenhuis" not in names
    assert "mc-groep" not in names
    centres = _names(client.get(page_path("institutions", "en"), params={"expertise": "yes"}).text)
    assert {"lumc", "nki-avl", "radboudumc"} <= set(centres)


def test_the_language_switch_keeps_the_postcode_and_the_filters(client: TestClient) -> None:
    html = client.get(page_path("institutions", "nl"), params={"near": "9712", "kind": "umc"}).text
    switch = re.search(r'<nav aria-label="[^"]+" class="lang-switch">(.*?)</nav>', html, re.S)
    assert switch is not None
    assert 'href="/en/hospitals?near=9712&amp;kind=umc"' in switch.group(1)
    hreflang = re.findall(r'<link rel="alternate" hreflang="en" href="([^"]+)"', html)
    assert all("?" not in h for h in hreflang)  # the canonical alternates keep none
    condition = client.get("/en/condition/3394?near=6229").text
    assert 'href="/nl/aandoening/3394?near=6229"' in condition


def test_panel_titles_spell_out_their_abbreviations(client: TestClient) -> None:
    html = client.get("/nl/expertpanel/expertpanel-pc-noord-holland-flevoland").text
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1 is not None
    assert "alvleesklierkanker" in h1.group(1)
    hits = client.get("/api/search", params={"q": "expertpanel PC Noord-Holland"}).json()["hits"]
    assert hits[0]["id"] == "expertpanel-pc-noord-holland-flevoland"  # the old name still finds it


@pytest.mark.parametrize(
    ("slug", "spelled_out", "old_name"),
    [
        ("ro-west", "Regionaal Oncologienetwerk West", "RO West"),
        ("mst-zgt", "Medisch Spectrum Twente – Ziekenhuisgroep Twente", "MST ZGT"),
        ("artz", "Alliantie Regionale TopZorg", "ARTZ"),
        ("oncozon", "Oncologisch Netwerk Zuidoost-Nederland", "OncoZON"),
        ("embraze", "Erasmus MC, Brabant, Zeeland", "EMBRAZE"),
        ("hoofd-hals-oncologie", "Nederlandse Werkgroep Hoofd-Hals Tumoren", "NWHHT-centra"),
    ],
)
def test_network_titles_spell_out_their_abbreviations(
    client: TestClient, slug: str, spelled_out: str, old_name: str
) -> None:
    for lang in ("nl", "en"):
        html = client.get(f"/{lang}/{'netwerk' if lang == 'nl' else 'network'}/{slug}").text
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        assert h1 is not None
        assert spelled_out in h1.group(1)
    listed = client.get(page_path("networks", "nl")).text
    assert spelled_out in listed
    hits = client.get("/api/search", params={"q": old_name}).json()["hits"]
    assert slug in [h["id"] for h in hits[:3]]  # the abbreviation still finds it


def _options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select id="f-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select is not None, f"no {name} filter"
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+?) \(', select.group(1)))


def test_panels_filter_by_the_province_of_their_hospitals(client: TestClient) -> None:
    url = page_path("panels", "en")
    everything = client.get(url).text
    assert _options(everything, "region")["noord-holland"] == "North Holland"
    groningen = _names(client.get(url, params={"region": "groningen"}).text)
    # UMCG coordinates the HPB panel and is a member of the bone tumour committee
    assert {"hpb-expert-panel-north-east-netherlands", "netherlands-committee-on-bone-tumours"} <= (
        set(groningen)
    )
    assert "pancreatic-cancer-expert-panel-north-holland-flevoland" not in groningen
    assert set(groningen) < set(_names(everything))
    # the region filter combines with the others
    both = _names(client.get(url, params={"region": "groningen", "level": "regional"}).text)
    assert both == ["hpb-expert-panel-north-east-netherlands"]
    dutch = client.get(page_path("panels", "nl")).text
    assert _options(dutch, "region")["noord-holland"] == "Noord-Holland"
    unknown = client.get(url, params={"region": "atlantis"}).text
    assert "Nothing matches these choices." in unknown


def test_working_groups_and_networks_filter_by_region(client: TestClient) -> None:
    groups = _names(
        client.get(page_path("working_groups", "nl"), params={"region": "gelderland"}).text
    )
    assert "dsg" in groups
    assert "wog" not in groups  # its one centre is in Noord-Holland
    drenthe = _names(client.get(page_path("networks", "nl"), params={"region": "drenthe"}).text)
    assert {"groningen-drenthe", "isala-gelre", "twente-salland"} <= set(drenthe)
    assert "ro-west" not in drenthe
    assert "oncologisch-netwerk-friesland" not in drenthe
    regional = _names(
        client.get(
            page_path("networks", "nl"), params={"region": "zuid-holland", "kind": "tumour_type"}
        ).text
    )
    assert regional == []


def test_the_region_filter_keeps_the_postcode_and_the_language_switch_keeps_both(
    client: TestClient,
) -> None:
    html = client.get(
        page_path("networks", "nl"), params={"region": "drenthe", "near": "9712"}
    ).text
    form = re.search(r'<form method="get" action="[^"]*" class="filters".*?</form>', html, re.S)
    assert form is not None
    assert '<input type="hidden" name="near" value="9712">' in form.group(0)
    assert '<option value="drenthe" selected>' in form.group(0)
    switch = re.search(r'<nav aria-label="[^"]+" class="lang-switch">(.*?)</nav>', html, re.S)
    assert switch is not None
    assert f'href="{page_path("networks", "en")}?region=drenthe&amp;near=9712"' in switch.group(1)
