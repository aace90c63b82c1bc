"""D3: a number in a path, a query or a form is ASCII digits or nothing; never a 500.

``"²".isdigit()`` is true and ``int("²")`` raises: every such number gave HTTP 500,
and the 500 page came without the security headers.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from config.settings import Settings, SettingsError
from directory.numbers import ascii_int
from tests.support.editor import Site, csrf_of, login

SUPERSCRIPT_TWO = "%C2%B2"  # ²: isdigit() but not int()
ARABIC_178 = "%D9%A1%D9%A7%D9%A8"  # ١٧٨: int() reads it as 178


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("178", 178),
        ("0", 0),
        ("²", None),
        ("١٧٨", None),
        ("", None),
        ("1" * 10, None),
        ("12\n", None),
        (" 1", None),
        ("-1", None),
        ("+1", None),
    ],
)
def test_ascii_int(text: str, value: int | None) -> None:
    assert ascii_int(text) == value


PUBLIC = [
    f"/nl/zoeken?q=sarcoom&page={SUPERSCRIPT_TWO}",
    f"/en/search?q=sarcoma&page={ARABIC_178}",
    f"/nl/aandoening/{SUPERSCRIPT_TWO}",
    f"/en/condition/ORPHA:{SUPERSCRIPT_TWO}",
    f"/en/condition/{ARABIC_178}",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_refuse_non_ascii_digits(any_site: Site, path: str) -> None:
    r = any_site.client.get(path)
    assert r.status_code in (400, 404), r.status_code
    assert "content-security-policy" in r.headers


EDITOR_GET = [
    f"/nl/redactie/concepten/{SUPERSCRIPT_TWO}",
    f"/nl/redactie/imports/{SUPERSCRIPT_TWO}",
    f"/nl/redactie/gebruikers/{SUPERSCRIPT_TWO}",
    f"/nl/redactie/bewerken/aandoening/{SUPERSCRIPT_TWO}",
    f"/nl/redactie/geschiedenis/aandoening/{SUPERSCRIPT_TWO}",
    f"/en/editor/history/condition/{ARABIC_178}",
]


@pytest.mark.parametrize("path", EDITOR_GET)
def test_editor_pages_refuse_non_ascii_digits(any_site: Site, path: str) -> None:
    assert login(any_site.client, "nl", "ada@example.org").status_code == 303
    r = any_site.client.get(path)
    assert r.status_code == 404, r.status_code


EDITOR_POST = [
    ("/nl/redactie/correcties", {"action": "keep", "override": "²"}),
    ("/nl/redactie/meldingen", {"report": "²", "version": "²", "status": "handled"}),
    ("/nl/redactie/geschiedenis/aandoening/178", {"action": "revert", "revision": "²"}),
]


@pytest.mark.parametrize(("path", "form"), EDITOR_POST)
def test_editor_forms_refuse_non_ascii_digits(
    any_site: Site, path: str, form: dict[str, str]
) -> None:
    assert login(any_site.client, "nl", "ada@example.org").status_code == 303
    token = csrf_of(any_site.client.get("/nl/redactie/").text)
    r = any_site.client.post(path, data={"csrf_token": token, **form})
    assert r.status_code in (400, 404), r.status_code


def test_an_orphacode_field_with_a_superscript_is_a_field_error(any_site: Site) -> None:
    assert login(any_site.client, "en", "eddie@example.org").status_code == 303
    token = csrf_of(any_site.client.get("/en/editor/").text)
    r = any_site.client.post(
        "/en/editor/new/panel",
        data={"csrf_token": token, "scope_orphacodes": "ORPHA:17²", "reason": "test"},
    )
    assert r.status_code == 400


@pytest.mark.parametrize(
    "name", ["EXW_PORT", "EXW_WORKERS", "EXW_THREADS", "EXW_SEARCH_CACHE_SIZE"]
)
def test_settings_refuse_non_ascii_digits(name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: "8²"})


def test_the_500_page_has_the_security_headers(any_site: Site) -> None:
    from starlette.routing import Route

    def boom(request: object) -> None:
        raise RuntimeError("boom")

    any_site.app.router.routes.insert(0, Route("/nl/boom", boom))
    with TestClient(any_site.app, raise_server_exceptions=False) as c:
        r = c.get("/nl/boom")
    assert r.status_code == 500
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
