"""A real server and Debian's chromium for the browser tests.

The server is a separate ``expertisewijzer serve`` process (uvicorn) on a free localhost
port, reading the session's ``loaded`` catalogue. Chromium is the distribution's package,
driven by Playwright's sync API; ``playwright install`` is never used. axe-core comes from
``node_modules`` (``scripts/browser-setup.sh`` runs ``npm ci``). Screenshots are kept in
``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from config.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from conftest import LoadedCatalogue

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(what: str) -> None:
    message = f"{what}; run scripts/browser-setup.sh"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(loaded: LoadedCatalogue) -> Iterator[str]:
    """Base URL of a real uvicorn server process on the loaded catalogue."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    settings = loaded.settings
    env = {
        **os.environ,
        "EXW_DATABASE_URL": settings.database_url,
        "EXW_SEARCH_ENGINE": "embedded",
        "EXW_SEARCH_INDEX_PATH": str(settings.search_index_path),
        "EXW_VAR_DIR": str(settings.var_dir),
        "EXW_BASE_URL": base,
        "EXW_DEBUG": "0",
    }
    log = (settings.var_dir / "browser-server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "expertisewijzer.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "server did not start: "
                    + (settings.var_dir / "browser-server.log").read_text()[-2000:]
                )
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        _missing("Debian's chromium is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing("axe-core is not installed (node_modules/axe-core)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser tab (own context: no cookies or cache shared between tests)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="nl-NL")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def nojs_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1100, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def _screenshot(tab: Page, name: str) -> Path:
    # JPEG: a full-page PNG of every page type took about 6 of the 24 s of a journey.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.jpg"
    tab.screenshot(path=str(path), full_page=True, type="jpeg", quality=70)
    return path


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Page, str], Path]:
    """Save a full-page screenshot under test-artifacts/browser/ (kept as an artefact)."""
    return _screenshot
