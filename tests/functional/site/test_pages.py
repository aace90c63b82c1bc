"""The expertise pages and the condition page's expertise section, in both languages."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from directory.paths import Permalinks, entity_path
from expertisewijzer import cli
from search.engine import SearchQuery
from search.serialize import results_json

PAGES = [
    ("institution", "nki-avl"),
    ("institution", "amsterdam-umc"),
    ("panel", "expertpanel-hpb-noordoost-nederland"),
    ("panel", "adviesgroep-kanker-in-de-zwangerschap"),
    ("working_group", "nwhht"),
    ("working_group", "gist-consortium"),
    ("network", "hoofd-hals-oncologie"),
    ("network", "oncozon"),
]


class Outline(HTMLParser):
    """Headings (level, text), the html lang, hreflang links and the text of the main element."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.alternates: dict[str, str] = {}
        self.lang = ""
        self._heading: int | None = None
        self._buf: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"] or ""] = a.get("href") or ""
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._buf = int(tag[1]), []

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._buf).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._buf.append(data)
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


@pytest.mark.parametrize(("kind", "slug"), PAGES)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_in_both_languages(
    client: TestClient, links: Permalinks, kind: str, slug: str, lang: str
) -> None:
    r = client.get(links.path(kind, slug, lang))
    assert r.status_code == 200
    assert r.headers["content-language"] == lang
    o = outline(r.text)
    assert o.lang == lang
    other = "en" if lang == "nl" else "nl"
    assert o.alternates[other].endswith(links.path(kind, slug, other))
    levels = [level for level, _t in o.headings]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no skipped level


def test_institution_page_shows_expertise_networks_and_sites(client: TestClient) -> None:
    r = client.get("/en/institution/nki-avl")
    o = outline(r.text)
    headings = [t for _l, t in o.headings]
    assert headings[0] == "Netherlands Cancer Institute – Antoni van Leeuwenhoek"
    assert "Recognised expertise centres (ECZA)" in headings
    assert "Networks and collaborations" in headings
    assert "Locations" in headings
    assert "Plesmanlaan 121" in r.text
    assert 'href="/en/network/hoofd-hals-oncologie"' in r.text
    assert 'href="/en/condition/59305"' in r.text  # CGOA recognition for GTN
    nl = client.get("/nl/instelling/nki-avl")
    assert "Erkende expertisecentra (ECZA)" in [t for _l, t in outline(nl.text).headings]
    assert '<dd lang="nl">Antoni van Leeuwenhoek</dd>' in r.text  # the official name


def test_panel_page_tells_a_gp_how_to_submit(client: TestClient) -> None:
    r = client.get("/nl/expertpanel/expertpanel-pc-noord-holland-flevoland")
    o = outline(r.text)
    headings = [t for _l, t in o.headings]
    assert headings[1:4] == ["Een patiënt aanmelden", "Wat er daarna gebeurt",
                             "Wie er in het panel zitten"]  # fmt: skip
    assert "EVOCS (Fysicon)" in r.text
    assert "Gemiddeld 3 werkdagen." in r.text
    summary = re.search(r'<pre class="referral-summary"[^>]*>(.*?)</pre>', r.text, re.S)
    assert summary is not None
    assert "Hoe aanmelden: Via een beveiligd webportaal (EVOCS (Fysicon))" in summary.group(1)
    en = client.get("/en/expert-panel/pancreatic-cancer-expert-panel-north-holland-flevoland")
    assert "How to submit a case" in [t for _l, t in outline(en.text).headings]
    assert "On average 3 working days." in en.text


def test_working_group_page_lists_its_centres_and_partners(client: TestClient) -> None:
    r = client.get("/en/working-group/nwhht")
    centres = re.findall(r'href="/en/institution/([a-z0-9-]+)"', r.text)
    assert {"umcg", "umcu", "erasmus-mc", "lumc", "nki-avl", "radboudumc", "mumc-plus",
            "amsterdam-umc", "mcl", "mst", "etz", "haaglanden-mc", "rijnstate",
            "nwz"} <= set(centres)  # fmt: skip
    assert 'href="/en/condition/150"' in r.text  # nasopharyngeal carcinoma, in its scope


def test_condition_page_lists_expertise_in_the_fixed_order(client: TestClient) -> None:
    for lang, headings in (
        ("en", ["Expert panels", "Recognised expertise centres (ECZA)",
                "SONCOS reference centres", "Other expertise centres named by a source",
                "National working groups", "Preferred partner hospitals"]),
        ("nl", ["Expertpanels", "Erkende expertisecentra (ECZA)", "SONCOS-referentiecentra",
                "Andere expertisecentra die een bron noemt", "Landelijke werkgroepen",
                "Preferred-partnerziekenhuizen"]),
    ):  # fmt: skip
        r = client.get(entity_path("condition", 319, lang))
        found = [t for level, t in outline(r.text).headings if level == 3]
        assert [h for h in found if h in headings] == headings


def test_no_recognised_centre_is_said_plainly_with_the_next_best_route(client: TestClient) -> None:
    r = client.get("/en/condition/319")
    text = outline(r.text).plain
    assert "No source we know of names a centre specifically for Skeletal Ewing sarcoma." in text
    assert "This is where you can turn instead:" in text
    assert 'href="/en/expert-panel/netherlands-committee-on-bone-tumours"' in r.text
    assert "EURACAN, the European network for rare cancers in adults" in text
    assert "Inherited: this applies to the group" in text
    nl = outline(client.get("/nl/aandoening/319").text).plain
    assert "Geen bron die wij kennen noemt een centrum speciaal voor" in nl
    assert "Hier kunt u wel terecht:" in nl


def test_a_condition_with_a_recognised_centre_has_no_such_notice(client: TestClient) -> None:
    r = client.get("/en/condition/59305")
    text = outline(r.text).plain
    assert "No source we know of names a centre specifically" not in text
    assert "Centrum voor Gynaecologische Oncologie Amsterdam (CGOA)" in text
    assert (
        '<span lang="nl">Centrum voor Gynaecologische Oncologie Amsterdam (CGOA)</span>' in r.text
    )


def test_unconfirmed_recognitions_are_marked(client: TestClient) -> None:
    # The IKNL report shows the Radboudumc/MUMC+ brain-tumour recognition only in a figure;
    # which codes it holds is the editors' reading, marked uncertain.
    r = client.get("/en/condition/360")  # glioblastoma
    assert r.text.count('class="badge badge-uncertain"') >= 1
    assert "not confirmed" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/en/institution/no-such-hospital",
        "/nl/instelling/UPPER",
        "/en/expert-panel/%3Cscript%3E",
        "/nl/werkgroep/x--y",
        "/en/network/" + "a" * 200,
    ],
)
def test_unknown_or_malformed_slugs_are_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "<script>" not in r.text


def test_search_json_returns_the_new_kinds(
    client: TestClient, loaded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = {
        "UMC St Radboud": ("institution", "radboudumc"),
        "NKI-AVL": ("institution", "nki-avl"),
        "Amsterdam UMC locatie AMC": ("institution", "amsterdam-umc"),
        "Commissie voor Beentumoren": ("panel", "commissie-voor-beentumoren"),
        "Landelijk mdo Thymustumoren": ("panel", "landelijk-mdo-thymustumoren"),
        "NWHHT": ("working_group", "nwhht"),
        "Dutch Sarcoma Group": ("working_group", "dsg"),
    }
    for query, (kind, slug) in expected.items():
        hits = results_json(
            loaded.engine.search(SearchQuery(text=query, lang="nl")), Permalinks(), "nl"
        )["hits"]
        assert (hits[0]["kind"], hits[0]["id"]) == (kind, slug), query
    s = loaded.settings
    monkeypatch.setenv("EXW_DATABASE_URL", s.database_url)
    monkeypatch.setenv("EXW_SEARCH_INDEX_PATH", str(s.search_index_path))
    assert cli.main(["search", "Radboudumc", "--json", "--lang", "en"]) == 0
    first = json.loads(capsys.readouterr().out)["hits"][0]
    assert (first["kind"], first["id"], first["url"]) == (
        "institution",
        "radboudumc",
        "/en/institution/radboudumc",
    )


def test_the_referral_text_leaves_out_what_is_not_known_and_names_its_date(
    client: TestClient,
) -> None:
    r = client.get("/nl/expertpanel/commissie-voor-beentumoren/tekst")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert text.startswith("Expertpanel: ")
    assert "Niet bekend" not in text
    assert "http://testserver/nl/expertpanel/commissie-voor-beentumoren" in text or (
        "/nl/expertpanel/commissie-voor-beentumoren" in text
    )
    assert "(stand van " in text
    assert client.get("/nl/expertpanel/no-such-panel/tekst").status_code == 404


def test_addresses_in_panel_texts_are_links(client: TestClient) -> None:
    html = client.get("/nl/expertpanel/adviesgroep-kanker-in-de-zwangerschap").text
    assert 'href="mailto:akz@nvog.nl"' in html


def test_linkify_escapes_everything_else() -> None:
    from web.linkify import linkify

    out = str(linkify('Mail <b>a@b.nl</b> or see https://x.nl/a?b=1&c=2. Done "x"'))
    assert '<a href="mailto:a@b.nl">a@b.nl</a>' in out
    assert 'href="https://x.nl/a?b=1&amp;c=2"' in out
    assert "&lt;b&gt;" in out
    assert "<a" not in str(linkify("javascript:alert(1)"))
