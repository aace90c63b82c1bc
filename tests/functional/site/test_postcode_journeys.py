"""Postcode-first journeys (issue 13, point 2): the place the visitor gives is offered from
the home page, kept in every link, named with distances on results, condition, panel and
network pages, drawn on a small self-hosted map, and useful on its own."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from directory.paths import entity_path
from web.location import with_near


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_with_near_adds_the_place_to_any_url() -> None:
    assert with_near("/nl/aandoening/178", "") == "/nl/aandoening/178"
    assert with_near("/nl/aandoening/178", "9712 AB") == "/nl/aandoening/178?near=9712+AB"
    assert with_near("/nl/zoeken?q=x", "Den Haag") == "/nl/zoeken?q=x&near=Den+Haag"
    assert with_near("/nl/", '"><script>') == "/nl/?near=%22%3E%3Cscript%3E"


def test_home_page_asks_for_the_postcode_from_the_start(client: TestClient) -> None:
    for path, label in (("/nl/", "Uw postcode of woonplaats"), ("/en/", "Your postcode or town")):
        form = client.get(path).text.split('<form class="search-form"', 1)[1].split("</form>")[0]
        assert 'name="q"' in form
        assert 'name="near"' in form
        assert label in form


def test_a_place_without_a_disease_lists_the_nearest_hospitals(client: TestClient) -> None:
    r = client.get("/nl/zoeken", params={"near": "9712"})
    assert r.status_code == 200
    main = _main(r.text)
    assert "maar geen ziekte" in main
    nearby = main.split('id="h-nearby"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', nearby)
    assert len(items) == 5
    # Groningen's university hospital is nearest to 9712 (Groningen); distances rise.
    assert items[0][0].startswith(entity_path("institution", "umcg", "nl"))
    assert "near=9712" in items[0][0]
    kms = [
        float(re.search(r"\(([\d,]+) km\)", label).group(1).replace(",", "."))
        for _u, label in items
    ]  # type: ignore[union-attr]
    assert kms == sorted(kms)
    # An unknown place without a disease still explains what to type.
    unknown = client.get("/nl/zoeken", params={"near": "Atlantis"})
    assert unknown.status_code == 200
    assert "h-nearby" not in unknown.text


def test_results_name_the_nearest_hospital_and_keep_the_place(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "chondrosarcoma", "near": "9712"})
    assert r.status_code == 200
    first = r.text.split('<li class="result">', 1)[1].split("</li>", 1)[0]
    assert "/en/condition/55880?near=9712" in first
    nearest = re.search(
        r'Nearest hospital with expertise: <a href="([^"]+)"[^>]*>([^<]+)</a>, ([\d.]+) km', first
    )
    assert nearest, first
    assert nearest.group(1) == "/en/institution/umcg?near=9712"
    assert nearest.group(2).endswith(", Groningen")
    assert float(nearest.group(3)) < 5
    # The condition page names the same hospital first, at the same distance.
    page = client.get("/en/condition/55880", params={"near": "9712"}).text
    card = page.split('class="route-card"', 1)[1].split("</ol>", 1)[0]
    assert "/en/institution/umcg?near=9712" in card.split('class="place"')[1]
    assert f"{nearest.group(3)} km from 9712 (Groningen)" in card


def test_results_can_be_sorted_by_distance(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "sarcoma", "near": "Maastricht"})
    nav = r.text.split('<nav class="sort"', 1)[1].split("</nav>", 1)[0]
    assert 'aria-current="true">Best match first' in nav
    link = re.search(r'<a href="([^"]+)">Nearest first</a>', nav)
    assert link
    by_distance = client.get(link.group(1).replace("&amp;", "&"))
    assert by_distance.status_code == 200
    kms = [
        float(k.replace(",", ""))
        for k in re.findall(
            r"Nearest hospital with expertise: <a [^>]+>[^<]+</a>, ([\d.,]+) km", by_distance.text
        )
    ]
    assert len(kms) >= 5
    assert kms == sorted(kms)
    # The filter form and the page links keep the order.
    assert '<input type="hidden" name="sort" value="distance">' in by_distance.text
    # Without a place there is nothing to sort by distance: no choice offered.
    assert '<nav class="sort"' not in client.get("/en/search", params={"q": "sarcoma"}).text


def test_an_unknown_order_is_a_clear_error(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "sarcoma", "sort": "price"})
    assert r.status_code == 400
    assert "We do not know that order of results." in r.text


def test_condition_page_draws_its_hospitals_and_the_visitor_on_a_map(client: TestClient) -> None:
    page = client.get("/nl/aandoening/55880", params={"near": "Zwolle"}).text
    card = page.split('class="route-card"', 1)[1].split("</section>", 1)[0]
    figure = card.split('<details class="card-map">', 1)[1].split("</details>", 1)[0]
    assert '<g class="map-point">' in figure
    assert '<g class="map-origin">' in figure
    assert "U: Zwolle" in figure
    # The map numbers the hospitals in the card's order.
    card_order = re.findall(r'<p class="place-name"><a href="/nl/instelling/([^?"]+)', card)
    map_order = re.findall(r'<li value="\d+"><a href="/nl/instelling/([^?"]+)', figure)
    assert map_order == card_order
    # Without a place: the map, but no visitor on it.
    plain = client.get("/nl/aandoening/55880").text
    assert '<details class="card-map">' in plain
    assert '<g class="map-origin">' not in plain


def test_panel_and_network_pages_show_distances_and_a_map(client: TestClient) -> None:
    panel = client.get(
        entity_path("panel", "expertpanel-pc-noord-holland-flevoland", "nl"),
        params={"near": "1012"},
    ).text
    section = panel.split('id="h-hospitals"', 1)[1].split("</section>", 1)[0]
    assert '<figure class="site-map"' in section
    assert re.search(
        r"amsterdam-umc\?near=1012\">Amsterdam UMC</a>, Amsterdam "
        r"<span class=\"distance\">· [\d,]+ km",
        section,
    )
    assert 'id="near-panel" name="near" value="1012"' in section

    network = client.get(entity_path("network", "embraze", "en"), params={"near": "3011"}).text
    listed = re.findall(
        r'<li value="\d+"><a href="[^"]+">[^<]+</a>, [^<]+ <span class="distance">· ([\d.]+) km',
        network,
    )
    assert len(listed) >= 3
    assert [float(k) for k in listed] == sorted(float(k) for k in listed)
    assert '<g class="map-origin">' in network


def test_the_place_is_kept_in_links_and_the_header_search(client: TestClient) -> None:
    page = client.get("/nl/aandoening/55880", params={"near": "9712"}).text
    main = _main(page)
    entity_links = re.findall(
        r'href="(/nl/(?:instelling|expertpanel|werkgroep|aandoening)/[^"]+)"', main
    )
    assert entity_links
    assert all("near=9712" in u for u in entity_links), entity_links
    header = page.split('<form class="search-form compact"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="near" value="9712">' in header
    # The language switch keeps it too; the canonical link does not.
    assert re.search(r'href="/en/condition/55880\?near=9712"', page)
    assert '<link rel="canonical" href="http://testserver/nl/aandoening/55880">' in page
    # Without a place, links stay clean.
    clean = _main(client.get("/nl/aandoening/55880").text)
    assert "near=" not in clean.split("<form", 1)[0]
