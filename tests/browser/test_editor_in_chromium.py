"""The editor area (issue 6): edit, review and publish in Debian's chromium.

Uses this directory's ``browser`` fixture. The server is its own ``expertisewijzer
serve`` process on a private copy of the loaded catalogue and search index, so
publishing (which rebuilds the index) changes nothing that other tests read.
Also runs axe-core on the editor pages.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_site_in_chromium import AXE_OPTIONS

from config.settings import PROJECT_ROOT
from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.services import EditorialService

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
TERM = "schedelbasischordoom"


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database consistently (the backup API)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def editor_server(loaded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("editor-server")
    db, index = var / "catalogue.sqlite3", var / "index.sqlite3"
    copy_sqlite(Path(loaded.settings.database_url.removeprefix("sqlite:///")), db)
    copy_sqlite(loaded.engine.path, index)
    engine = make_engine(f"sqlite:///{db}")
    sessions = make_session_factory(engine)
    accounts = EditorialService(sessions, CatalogueService(sessions, EDITOR_CORRECTIONS))
    accounts.add_user("eddie@example.org", "Eddie Editor", "editor", PASSWORD)
    accounts.add_user("rita@example.org", "Rita Reviewer", "reviewer", PASSWORD)
    engine.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "EXW_DATABASE_URL": f"sqlite:///{db}",
        "EXW_SEARCH_ENGINE": "embedded",
        "EXW_SEARCH_INDEX_PATH": str(index),
        "EXW_VAR_DIR": str(var),
        "EXW_BASE_URL": base,
        "EXW_SECRET_KEY": "browser-test-" + "k" * 40,
        "EXW_DEBUG": "0",
    }
    log_path = var / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "expertisewijzer.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("server did not start: " + log_path.read_text()[-2000:])
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def axe_violations(page) -> list[str]:
    if not AXE.exists():
        return []
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(f"async () => (await axe.run(document, {AXE_OPTIONS})).violations")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result]


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/nl/redactie/")
    assert "/nl/redactie/inloggen" in page.url  # anonymous: sent to the login page
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + "/nl/redactie/")


def test_edit_review_publish(browser, editor_server: str) -> None:
    from playwright.sync_api import expect

    base = editor_server
    # bypass_csp lets axe-core be injected; the site itself has no inline scripts.
    context = browser.new_context(viewport={"width": 1100, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations: dict[str, list[str]] = {}

    # The editor proposes a change.
    log_in(page, base, "eddie@example.org")
    violations["dashboard"] = axe_violations(page)
    page.get_by_role("link", name="Catalogus").click()
    page.get_by_label("Zoeken: Aandoening (naam, code of korte naam)").fill("178")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_role("link", name="Bewerken").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chordoma")
    violations["edit"] = axe_violations(page)
    synonyms = page.get_by_label("Andere Nederlandse namen (één per regel)")
    synonyms.fill((synonyms.input_value() + "\n" + TERM).strip())
    page.get_by_role("button", name="Opslaan als concept").click()
    # Without a reason the form says what is missing, next to the field, and keeps the input.
    expect(page.locator("#f-reason-error")).to_be_visible()
    expect(page.get_by_label("Andere Nederlandse namen (één per regel)")).to_have_value(
        synonyms.input_value()
    )
    assert TERM in page.get_by_label("Andere Nederlandse namen (één per regel)").input_value()
    violations["edit with errors"] = axe_violations(page)
    page.get_by_label("Reden voor deze wijziging").fill("Term uit de richtlijn")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("status")).to_contain_text("Uw concept is opgeslagen")
    draft_url = page.url.split("?")[0]
    expect(page.get_by_role("button", name="Goedkeuren en publiceren")).to_have_count(0)
    violations["draft"] = axe_violations(page)
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/nl/redactie/inloggen?done=logged_out")

    # Not published yet.
    page.goto(base + "/nl/aandoening/178")
    assert TERM not in page.content()

    # A reviewer approves; the page changes at once, search after the index swap.
    log_in(page, base, "rita@example.org")
    page.get_by_role("link", name="Te beoordelen concepten").click()
    page.locator(f'a[href="{draft_url.removeprefix(base)}"]').click()
    expect(page.get_by_role("table")).to_contain_text(TERM)
    page.get_by_role("button", name="Goedkeuren en publiceren").click()
    expect(page.get_by_role("status")).to_contain_text("Gepubliceerd")
    page.goto(base + "/nl/aandoening/178")
    assert TERM in page.content()
    deadline = time.monotonic() + 180
    while True:
        page.goto(base + f"/nl/zoeken?q={TERM}")
        if page.locator('a[href="/nl/aandoening/178"]').count():
            break
        assert time.monotonic() < deadline, "the search index was not rebuilt"
        time.sleep(2)
    # The history shows who changed what, and why.
    page.goto(base + "/nl/redactie/geschiedenis/aandoening/178")
    expect(page.locator("main")).to_contain_text(
        "door Eddie Editor, goedgekeurd door Rita Reviewer"
    )
    expect(page.locator("main")).to_contain_text("Term uit de richtlijn")
    violations["history"] = axe_violations(page)
    context.close()
    assert {k: v for k, v in violations.items() if v} == {}
