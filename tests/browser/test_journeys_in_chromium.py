"""Issue 13 in a real browser: every page type at desktop and phone width (its language
in the page, no sideways scrolling, no axe-core violations, a screenshot of each; the
site test's page types among them, so axe runs once per page and width), the route card
above the fold on a phone, and the referral text's copy button with and without
JavaScript."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from test_site_in_chromium import ENTITY_SEGMENTS, PAGE_TYPES, _axe, _entity_pages

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# The page types issue 13 adds, besides those of the site test.
NEW_PAGE_TYPES: dict[str, tuple[str, str]] = {
    "condition-route-card": ("/nl/aandoening/3394", "/en/condition/3394"),
    "condition-near": ("/nl/aandoening/3394?near=9712", "/en/condition/3394?near=9712"),
    "condition-children": ("/nl/aandoening/635", "/en/condition/635"),
    "gaps": ("/nl/waar-expertise-ontbreekt", "/en/missing-expertise"),
    "professionals": ("/nl/voor-verwijzers", "/en/for-professionals"),
    "panels": ("/nl/expertpanels?level=national", "/en/expert-panels?level=national"),
    "working-groups": ("/nl/werkgroepen", "/en/working-groups"),
    "networks": ("/nl/netwerken", "/en/networks"),
    "hospitals": ("/nl/ziekenhuizen?near=3584", "/en/hospitals?near=3584"),
}
WIDTHS = {"desktop": (1100, 900), "phone": (390, 800)}


@pytest.fixture(params=sorted(WIDTHS))
def sized_tab(
    request: pytest.FixtureRequest, browser: Browser, axe_source: str
) -> Iterator[tuple[str, Page]]:
    width, height = WIDTHS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        bypass_csp=True,  # to inject axe-core; the site's CSP forbids inline scripts
        is_mobile=request.param == "phone",
    )
    # axe-core in every page the tab opens (injected by the browser at each load: sending
    # its half a megabyte to every page took a third of the check's time).
    context.add_init_script(axe_source)
    context.set_default_timeout(15_000)
    yield request.param, context.new_page()
    context.close()


def _all_page_types(base: str) -> dict[str, tuple[str, str]]:
    found = {**PAGE_TYPES, **NEW_PAGE_TYPES}
    found.update(_entity_pages(base))
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_type_fits_a_phone_and_passes_axe(
    screenshot: Shot,
    sized_tab: tuple[str, Page],
    live_server: str,
    lang: str,
) -> None:
    width, tab = sized_tab
    problems: list[str] = []
    pages = _all_page_types(live_server)
    assert set(ENTITY_SEGMENTS) <= set(pages)
    for kind, (nl, en) in sorted(pages.items()):
        path = nl if lang == "nl" else en
        response = tab.goto(live_server + path)
        assert response is not None
        assert response.status < 500, path
        if tab.evaluate("document.documentElement.lang") != lang:
            problems.append(f"{path} does not say its language is {lang}")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path} scrolls sideways by {overflow}px at {width} width")
        violations = _axe(tab, None)
        if violations:
            problems.append(f"{path} ({width}): {violations}")
        screenshot(tab, f"{lang}-{width}-{kind}")
    assert problems == []


def _priority_codes() -> list[str]:
    with (ROOT / "data" / "curated" / "priority_conditions.csv").open(encoding="utf-8") as f:
        return [row["orphacode"] for row in csv.DictReader(f)]


def test_the_route_card_is_above_the_fold_on_a_phone(
    screenshot: Shot, browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    tab = context.new_page()
    below: list[str] = []
    try:
        for code in _priority_codes():
            tab.goto(f"{live_server}/nl/aandoening/{code}")
            box = tab.locator("section.route-card").bounding_box()
            heading = tab.locator("#h-route").bounding_box()
            if (
                box is None
                or heading is None
                or heading["y"] + heading["height"] > 800
                or box["y"] + 200 > 800
            ):
                below.append(code)
        tab.goto(f"{live_server}/nl/aandoening/3394")
        screenshot(tab, "nl-phone-route-card")
    finally:
        context.close()
    assert below == [], f"the route card starts below the fold for ORPHA:{', '.join(below)}"


def test_the_copy_button_copies_the_referral_text(
    browser: Browser, live_server: str, screenshot: Shot
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    tab = context.new_page()
    try:
        tab.goto(f"{live_server}/nl/expertpanel/commissie-voor-beentumoren")
        button = tab.locator("button[data-copy]")
        expect(button).to_be_visible()
        button.click()
        expect(tab.locator(".copy-status")).to_have_text("Gekopieerd.")
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Expertpanel: ")
        assert "/nl/expertpanel/commissie-voor-beentumoren" in copied
        assert "Niet bekend" not in copied
        screenshot(tab, "nl-phone-panel-copied")
    finally:
        context.close()


def test_without_javascript_the_referral_text_opens_on_its_own(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(f"{live_server}/en/expert-panel/netherlands-committee-on-bone-tumours")
        expect(tab.locator("button[data-copy]")).to_be_hidden()
        tab.locator("a.copy-fallback").click()
        expect(tab).to_have_url(
            f"{live_server}/en/expert-panel/netherlands-committee-on-bone-tumours/tekst"
        )
        body = tab.locator("body").inner_text()
        assert body.startswith("Expert panel: ")
        assert "Source: Expertisewijzer" in body
    finally:
        context.close()
