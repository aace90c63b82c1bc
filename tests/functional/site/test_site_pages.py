"""Every page type of the public site, through HTTP, in Dutch and in English."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

# (page, nl path, en path, a heading that must be on it in nl, and in en)
FIXED = [
    (
        "home",
        "/nl/",
        "/en/",
        "Vind expertise voor zeldzame kanker",
        "Find expertise for rare cancer",
    ),
    (
        "about",
        "/nl/over-erkenningen",
        "/en/about-recognitions",
        "Wat de erkenningen betekenen",
        "What the recognitions mean",
    ),
    (
        "accessibility",
        "/nl/toegankelijkheid",
        "/en/accessibility",
        "Toegankelijkheidsverklaring",
        "Accessibility statement",
    ),
    ("sources", "/nl/bronnen", "/en/sources", "Bronnen en licenties", "Sources and licences"),
    (
        "domains",
        "/nl/domein",
        "/en/domain",
        "Zeldzame kanker per EURACAN-domein",
        "Rare cancers by EURACAN domain",
    ),
    (
        "body areas",
        "/nl/lichaamsdeel",
        "/en/body-area",
        "Zeldzame kanker per deel van het lichaam",
        "Rare cancers by part of the body",
    ),
    (
        "condition",
        "/nl/aandoening/55880",
        "/en/condition/55880",
        "Chondrosarcoom",
        "Chondrosarcoma",
    ),
    (
        "search",
        "/nl/zoeken?q=sarcoom",
        "/en/search?q=sarcoom",
        "Zoekresultaten voor",
        "Search results for",
    ),
]


class Outline(HTMLParser):
    """Collects what the accessibility and SEO checks below need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self.meta: dict[str, str] = {}
        self.inputs: list[dict[str, str | None]] = []
        self.labels_for: set[str] = set()
        self.html_lang: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "link":
            self.links.append(a)
        if tag == "meta" and (a.get("name") or a.get("property")):
            self.meta[a.get("name") or a.get("property") or ""] = a.get("content") or ""
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append(a)
        if tag == "label" and a.get("for"):
            self.labels_for.add(a["for"] or "")
        if tag == "title" and not self.title:  # the page's, not an SVG map's
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


@pytest.mark.parametrize(("name", "nl", "en", "h_nl", "h_en"), FIXED, ids=[f[0] for f in FIXED])
def test_page_in_both_languages_with_lasting_links(
    client: TestClient, name: str, nl: str, en: str, h_nl: str, h_en: str
) -> None:
    for lang, path, heading, other_lang, other in (
        ("nl", nl, h_nl, "en", en),
        ("en", en, h_en, "nl", nl),
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-language"] == lang
        page = outline(r.text)
        assert page.html_lang == lang
        assert heading in r.text
        assert page.title.strip().endswith("· Expertisewijzer")
        assert len(page.title) > 18
        assert page.meta.get("description"), f"{path}: no description"
        assert page.meta.get("og:title")
        assert page.meta.get("og:url")
        # Canonical and hreflang alternates are absolute; the language switch keeps the page.
        canonical = [lk["href"] for lk in page.links if lk.get("rel") == "canonical"]
        alternates = {lk["hreflang"]: lk["href"] for lk in page.links if lk.get("hreflang")}
        base = "http://testserver"
        assert canonical == [base + path.split("?")[0]] or "?" in path
        assert alternates == {lang: base + path, other_lang: base + other}
        assert f'href="{other}" hreflang="{other_lang}" lang="{other_lang}"' in r.text.replace(
            "&amp;", "&"
        )
        # Accessible structure: one h1 first, no skipped heading levels, unique ids, labels.
        assert page.headings[0] == 1, path
        assert page.headings.count(1) == 1, path
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"
        assert len(page.ids) == len(set(page.ids)), f"{path}: duplicate ids"
        for field in page.inputs:
            assert field.get("id") in page.labels_for or field.get("aria-label"), (path, field)
        assert 'class="skip-link" href="#main"' in r.text
        assert 'id="main"' in r.text


def test_search_and_error_pages_are_not_indexed(client: TestClient) -> None:
    assert 'name="robots" content="noindex"' in client.get("/nl/zoeken?q=sarcoom").text
    assert 'name="robots" content="noindex"' in client.get("/en/nope").text
    assert 'name="robots"' not in client.get("/nl/aandoening/55880").text


def test_home_offers_browsing_by_body_area_and_domain(client: TestClient) -> None:
    nl = client.get("/nl/").text
    en = client.get("/en/").text
    # Body areas in lay words, and the ten EURACAN domains.
    areas_nl = re.findall(r'href="/nl/lichaamsdeel/([^"]+)"', nl)
    areas_en = re.findall(r'href="/en/body-area/([^"]+)"', en)
    assert len(areas_nl) >= 10
    # The same areas, in English at their English slugs ("bot" is "bone").
    assert len(areas_en) == len(areas_nl)
    assert areas_en[areas_nl.index("bot")] == "bone"
    assert "Bot" in nl
    assert "Bone" in en
    assert len(re.findall(r'href="/nl/domein/[^"]+"', nl)) == 10
    assert len(re.findall(r'href="/en/domain/[^"]+"', en)) == 10


def test_body_area_page_lists_its_conditions(client: TestClient) -> None:
    home = client.get("/en/").text
    bone = re.search(r'<a href="(/en/body-area/[^"]+)">Bone</a>', home)
    assert bone, "no 'Bone' body area on the home page"
    r = client.get(bone.group(1))
    assert r.status_code == 200
    assert "<h1>Bone</h1>" in r.text
    # Rare bone tumor (68411) heads the list; its members are linked by ORPHAcode.
    assert 'href="/en/condition/68411"' in r.text
    members = re.findall(r'href="/en/condition/(\d+)"', r.text)
    assert len(set(members)) > 5
    # The twin page in Dutch is the same area.
    twin = re.search(r'<link rel="alternate" hreflang="nl" href="http://testserver([^"]+)"', r.text)
    assert twin
    assert twin.group(1) == "/nl/lichaamsdeel/bot"
    nl = client.get(twin.group(1))
    assert nl.status_code == 200
    assert "<h1>Bot</h1>" in nl.text


def test_domain_page_shows_professional_and_lay_name(client: TestClient) -> None:
    r = client.get("/en/domain")
    links = re.findall(r'href="(/en/domain/[^"]+)"', r.text)
    assert len(links) == 10
    page = client.get(links[0])
    assert page.status_code == 200
    h1 = re.search(r"<h1>(.*?)</h1>", page.text)
    lead = re.search(r'<p class="lead">(.*?)</p>', page.text)
    assert h1
    assert lead
    assert h1.group(1) != lead.group(1)
    assert 'href="/en/condition/' in page.text
    # The other nine domains are offered, not this one.
    others = re.findall(r'href="(/en/domain/[^"]+)"', page.text.split('id="h-siblings"')[1])
    assert len(others) == 9
    assert links[0] not in others


@pytest.mark.parametrize(
    "path",
    [
        "/nl/domein/bestaat-niet",
        "/en/body-area/nowhere",
        "/en/domain/%3Cb%3Ex%3C%2Fb%3E",
        "/nl/over-erkenningen/x",
    ],
)
def test_unknown_slugs_give_404_that_offers_search(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert 'role="search"' in r.text
    assert 'name="q"' in r.text
    assert "<b>x</b>" not in r.text


def test_about_recognitions_explains_each_recognition(client: TestClient) -> None:
    nl = client.get("/nl/over-erkenningen").text
    en = client.get("/en/about-recognitions").text
    for anchor in ("ecza", "soncos", "panel", "working-group", "ern", "network"):
        assert f'id="{anchor}"' in nl
        assert f'id="{anchor}"' in en
        assert f'href="#{anchor}"' in nl
    assert "ECZA" in nl
    assert "SONCOS" in nl
    assert "EURACAN" in nl
    assert "Minister" in en
    assert "five years" in en
    assert "vijf jaar" in nl


def test_sources_page_links_open_data_and_licences(client: TestClient) -> None:
    for path in ("/nl/bronnen", "/en/sources"):
        text = client.get(path).text
        assert 'id="open-data"' in text
        assert 'href="/open-data/expertisewijzer-conditions.csv"' in text
        assert 'href="/open-data/expertisewijzer-catalogue.json"' in text
        assert "GeoNames" in text  # every imported source's attribution is listed
        assert "https://creativecommons.org/licenses/by/4.0/" in text


def test_robots_and_sitemap(client: TestClient) -> None:
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /nl/zoeken" in robots.text
    assert "Disallow: /en/search" in robots.text
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text

    import xml.etree.ElementTree as ET

    r = client.get("/sitemap.xml")
    assert r.status_code == 200
    assert "xml" in r.headers["content-type"]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(r.content)
    urls = root.findall("s:url", ns)
    locs = [u.findtext("s:loc", namespaces=ns) for u in urls]
    assert len(locs) == len(set(locs))
    assert "http://testserver/nl/" in locs
    assert "http://testserver/en/" in locs
    assert "http://testserver/nl/aandoening/55880" in locs
    assert "http://testserver/en/condition/55880" in locs
    assert "http://testserver/en/about-recognitions" in locs
    assert not any("/zoeken" in (loc or "") or "/search" in (loc or "") for loc in locs)
    # Deprecated codes redirect, so they are not listed.
    assert "http://testserver/en/condition/3444" not in locs
    # Every URL names its twin in the other language.
    for u in urls[:50]:
        langs = {x.get("hreflang") for x in u.findall("x:link", ns)}
        assert langs == {"nl", "en"}
    # Every listed page answers 200 (a sample, to keep the test fast).
    for loc in locs[:: max(1, len(locs) // 25)]:
        assert client.get((loc or "").removeprefix("http://testserver")).status_code == 200, loc


def test_static_assets_are_small_and_self_hosted(client: TestClient) -> None:
    home = client.get("/nl/").text
    for src in re.findall(r'(?:src|href)="([^"#]+)"', home):
        assert not src.startswith(("http://", "https://", "//")) or src.startswith(
            "http://testserver"
        ), f"loads {src} from another site"
    css = client.get("/static/site.css")
    js = client.get("/static/js/suggest.js")
    svg = client.get("/static/map/nl.svg")
    assert css.status_code == js.status_code == svg.status_code == 200
    assert len(css.content) < 12_000
    assert len(js.content) < 10_000
    assert len(svg.content) < 12_000
    assert "@media print" in css.text
    script = re.search(r"<script[^>]+suggest\.js[^>]*>", home)
    assert script
    assert "defer" in script.group(0)


def test_pages_are_sent_compressed(client: TestClient) -> None:
    r = client.get("/nl/zoeken", params={"q": "sarcoom"}, headers={"accept-encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"
    assert r.num_bytes_downloaded < len(r.content) / 2
    assert "vary" in r.headers
    assert "accept-encoding" in r.headers["vary"].lower()
    # Security headers survive compression.
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
