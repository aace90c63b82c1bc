"""The public site as a person uses it, in Debian's chromium: search, switch language,
keyboard only, without JavaScript, printed. The page types listed here are checked by
axe-core at desktop and phone width in ``test_journeys_in_chromium.py``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Response, expect

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser

# page type -> (nl path, en path)
PAGE_TYPES: dict[str, tuple[str, str]] = {
    "home": ("/nl/", "/en/"),
    "results": ("/nl/zoeken?q=sarcoom", "/en/search?q=sarcoma"),
    "results-filtered": (
        "/nl/zoeken?q=tumor&kind=condition&page=2",
        "/en/search?q=tumor&kind=condition&page=2",
    ),
    "no-results": ("/nl/zoeken?q=qqqzzzxxx", "/en/search?q=qqqzzzxxx"),
    "bad-input": ("/nl/zoeken?q=tumor&page=abc", "/en/search?q=tumor&page=abc"),
    "condition": ("/nl/aandoening/55880", "/en/condition/55880"),
    "condition-group": ("/nl/aandoening/98057", "/en/condition/98057"),
    "about-recognitions": ("/nl/over-erkenningen", "/en/about-recognitions"),
    "accessibility": ("/nl/toegankelijkheid", "/en/accessibility"),
    "sources": ("/nl/bronnen", "/en/sources"),
    "domains": ("/nl/domein", "/en/domain"),
    "body-areas": ("/nl/lichaamsdeel", "/en/body-area"),
    "not-found": ("/nl/bestaat-niet", "/en/does-not-exist"),
}
# Entity pages of the expertise catalogue, found through the sitemap.
ENTITY_SEGMENTS = {
    "institution": ("instelling", "institution"),
    "panel": ("expertpanel", "expert-panel"),
    "working-group": ("werkgroep", "working-group"),
    "network": ("netwerk", "network"),
    "domain": ("domein", "domain"),
    "body-area": ("lichaamsdeel", "body-area"),
}


def _sitemap_paths(base: str) -> list[str]:
    xml = httpx.get(base + "/sitemap.xml", timeout=30).content
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [
        (loc.text or "").removeprefix(base) for loc in ET.fromstring(xml).findall("s:url/s:loc", ns)
    ]


def _entity_pages(base: str) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    paths = _sitemap_paths(base)
    for name, (seg_nl, seg_en) in ENTITY_SEGMENTS.items():
        nl = next((p for p in paths if p.startswith(f"/nl/{seg_nl}/")), None)
        if nl:
            found[name] = (nl, nl.replace(f"/nl/{seg_nl}/", f"/en/{seg_en}/", 1))
    return found


# axe-core's default rules (WCAG 2.0 and 2.1 A and AA, best practice) and WCAG 2.2 AA's
# target size (2.5.8), which axe-core leaves off by default.
AXE_OPTIONS = "{resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}"


def _axe(tab: Page, axe_source: str | None) -> list[dict[str, object]]:
    """axe-core's violations on the page; ``axe_source`` is injected first (None: the
    context injects it into every page already, see ``context.add_init_script``)."""
    if axe_source is not None:
        tab.add_script_tag(content=axe_source)
    violations: list[dict[str, object]] = tab.evaluate(
        "async () => (await axe.run(document, "
        + AXE_OPTIONS
        + """)).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return violations


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [("nl", "chondrosarcoom", "Chondrosarcoom"), ("en", "chondrosarcoma", "Chondrosarcoma")],
)
def test_search_flow(
    screenshot: Shot, page: Page, live_server: str, lang: str, query: str, expected: str
) -> None:
    page.goto(f"{live_server}/{lang}/")
    page.fill("#q", query)
    page.press("#q", "Enter")
    expect(page).to_have_url(re.compile(rf"/{lang}/(zoeken|search)\?q={query}"))
    expect(page.locator("h1")).to_contain_text(query)
    first = page.locator("li.result > a").first
    expect(first).to_contain_text(expected)
    expect(first.locator("mark")).to_have_count(1)
    screenshot(page, f"{lang}-flow-results")
    first.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/(aandoening|condition)/55880$"))
    expect(page.locator("h1")).to_have_text(expected)


@pytest.mark.parametrize(
    ("start", "switch_to", "twin"),
    [
        ("/nl/aandoening/55880", "English", "/en/condition/55880"),
        ("/en/condition/55880", "Nederlands", "/nl/aandoening/55880"),
        ("/nl/zoeken?q=sarcoom", "English", "/en/search?q=sarcoom"),
        ("/en/about-recognitions", "Nederlands", "/nl/over-erkenningen"),
        ("/nl/lichaamsdeel", "English", "/en/body-area"),
    ],
)
def test_language_switch_keeps_the_page(
    page: Page, live_server: str, start: str, switch_to: str, twin: str
) -> None:
    page.goto(live_server + start)
    page.get_by_role("navigation", name=re.compile("Taal|Language")).get_by_role(
        "link", name=switch_to
    ).click()
    assert page.url == live_server + twin
    if "q=" in twin:
        expect(page.locator("#q")).to_have_value("sarcoom")


def test_keyboard_only_search_with_suggestions(
    screenshot: Shot, page: Page, live_server: str
) -> None:
    page.goto(f"{live_server}/nl/")
    # The first Tab lands on the skip link; it moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q", "search box not reachable by Tab"
    # Focus is visible.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    search = page.locator("#q")
    expect(search).to_have_attribute("role", "combobox")
    page.keyboard.type("chondrosar", delay=30)
    expect(search).to_have_attribute("aria-expanded", "true")
    listbox = page.locator("#" + (search.get_attribute("aria-controls") or "missing"))
    expect(listbox).to_have_attribute("role", "listbox")
    expect(listbox.locator("[role=option]").first).to_be_visible()
    # Screen readers hear how many suggestions there are.
    expect(page.locator("form[data-suggest] [role=status]").first).to_contain_text("suggestie")
    page.keyboard.press("ArrowDown")
    active = search.get_attribute("aria-activedescendant")
    assert active
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    chosen = page.locator(f"#{active}").inner_text()
    screenshot(page, "nl-keyboard-suggestions")
    # Escape closes the list; Down opens it again; Enter opens the chosen suggestion.
    page.keyboard.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")
    expect(search).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/nl/aandoening/\d+$"))
    assert page.locator("h1").inner_text().split("\n")[0] in chosen


def test_enter_without_choosing_submits_the_form(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/en/")
    page.locator("#q").press_sequentially("ewing", delay=30)
    expect(page.locator("#q")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search\?q=ewing(&near=)?$"))


def test_everything_works_without_javascript(
    screenshot: Shot, nojs_page: Page, live_server: str
) -> None:
    tab = nojs_page
    tab.goto(f"{live_server}/en/")
    assert tab.locator("#q").get_attribute("role") is None  # the script did not run
    tab.fill("#q", "tumor")
    tab.press("#q", "Enter")
    expect(tab).to_have_url(re.compile(r"/en/search\?q=tumor(&near=)?$"))
    expect(tab.locator("li.result").first).to_be_visible()
    # Filters: open the disclosure, tick a box, submit.
    tab.locator("details.facets summary").click()
    box = tab.locator("details.facets input[type=checkbox]").first
    box.check()
    tab.get_by_role("button", name="Show results").click()
    expect(tab).to_have_url(re.compile(r"[?&](kind|f_\w+)="))
    expect(tab.locator("details.facets input[type=checkbox]:checked")).to_have_count(1)
    # Pages.
    tab.goto(f"{live_server}/en/search?q=tumor")
    tab.get_by_role("link", name="Next page").click()
    expect(tab).to_have_url(re.compile(r"page=2"))
    expect(tab.locator('[aria-current="page"]')).to_have_text("Page 2")
    # Browse without searching.
    tab.goto(f"{live_server}/nl/")
    tab.locator("#h-body ~ ul a").first.click()
    expect(tab).to_have_url(re.compile(r"/nl/lichaamsdeel/"))
    tab.locator("main a[href^='/nl/aandoening/']").first.click()
    expect(tab).to_have_url(re.compile(r"/nl/aandoening/\d+$"))
    screenshot(tab, "nl-nojs-condition")


def test_postcode_distance_form_without_javascript(nojs_page: Page, live_server: str) -> None:
    nojs_page.goto(f"{live_server}/nl/zoeken?q=sarcoom")
    nojs_page.fill("#near", "9713 GZ")
    nojs_page.press("#near", "Enter")
    expect(nojs_page).to_have_url(re.compile(r"near=9713"))
    expect(nojs_page.locator(".result-count")).to_contain_text("9713 GZ")


def test_mobile_layout_has_no_horizontal_scroll(
    screenshot: Shot, browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    tab = context.new_page()
    try:
        for path in ("/nl/", "/nl/zoeken?q=sarcoom", "/nl/aandoening/55880", "/nl/bronnen"):
            tab.goto(live_server + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        screenshot(tab, "nl-mobile-sources")
    finally:
        context.close()


def test_print_stylesheet_hides_navigation(screenshot: Shot, page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/nl/aandoening/55880")
    page.emulate_media(media="print")
    assert page.locator("header.site-header").is_hidden()
    assert page.locator("footer.site-footer").is_hidden()
    expect(page.locator("h1")).to_be_visible()
    page.pdf(path=str(screenshot(page, "nl-condition-print").with_suffix(".pdf")))
    # The panel page prints for the GP's file: the referral summary stays, whole.
    panels = [p for p in _sitemap_paths(live_server) if p.startswith("/nl/expertpanel/")]
    if not panels:
        pytest.skip("the catalogue has no panel pages")
    page.goto(live_server + panels[0])
    page.emulate_media(media="print")
    summary = page.locator(".referral-summary")
    expect(summary).to_be_visible()
    assert page.evaluate("(el) => el.scrollWidth <= el.clientWidth", summary.element_handle()), (
        "the referral summary is cut off in print"
    )
    assert page.locator("header.site-header").is_hidden()
    page.pdf(path=str(screenshot(page, "nl-panel-print").with_suffix(".pdf")))


def test_results_page_is_light(page: Page, live_server: str) -> None:
    sizes: list[int] = []
    foreign: list[str] = []

    def on_response(response: Response) -> None:
        if not response.url.startswith(live_server):
            foreign.append(response.url)
        body = response.body() if response.ok else b""
        sizes.append(len(body) + sum(len(k) + len(v) for k, v in response.headers.items()))

    page.on("response", on_response)
    page.goto(f"{live_server}/en/search?q=tumor")
    page.wait_for_load_state("networkidle")
    assert foreign == []
    assert sum(sizes) < 100_000, f"results page transfers {sum(sizes)} bytes"
