"""D4: a NUL byte (which PostgreSQL text cannot hold) never reaches a query.

On PostgreSQL the review got HTTP 500 for a NUL in any slug path, the login e-mail
and the report form, each with a traceback quoting the bound parameters.
"""

from __future__ import annotations

import pytest

from directory.paths import is_slug
from tests.support.editor import Site, csrf_of, login

SLUG_PAGES = [
    "/nl/instelling/a%00b",
    "/nl/expertpanel/x%00",
    "/nl/werkgroep/%00",
    "/nl/netwerk/%00",
    "/nl/domein/%00",
    "/nl/lichaamsdeel/%00",
    "/en/body-area/a%01b",
    "/nl/aandoening/178%00",
    "/nl/zoeken%00",
    "/nl/redactie/bewerken/instelling/a%00b",
]


@pytest.mark.parametrize("path", SLUG_PAGES)
def test_control_characters_in_a_path_are_refused(any_site: Site, path: str) -> None:
    r = any_site.client.get(path)
    assert r.status_code == 400
    assert "content-security-policy" in r.headers


@pytest.mark.parametrize("path", ["/nl/domein/A_B", "/en/body-area/x.y", "/nl/netwerk/-x"])
def test_slugs_that_cannot_exist_are_not_looked_up(any_site: Site, path: str) -> None:
    assert any_site.client.get(path).status_code == 404


def test_a_nul_in_the_login_form_is_refused(any_site: Site) -> None:
    token = csrf_of(any_site.client.get("/nl/redactie/inloggen").text)
    r = any_site.client.post(
        "/nl/redactie/inloggen",
        data={"csrf_token": token, "email": "a\x00b@example.org", "password": "x" * 12},
    )
    assert r.status_code == 400
    assert "Niet begrepen" in r.text


def test_a_nul_in_the_report_form_is_refused(any_site: Site) -> None:
    r = any_site.client.post("/nl/fout-melden", data={"page": "/nl/", "message": "NUL\x00here"})
    assert r.status_code == 400
    assert "Er is niets verstuurd" in r.text
    r = any_site.client.post("/en/report-an-error", data={"page": "/en/", "message": "a\x00b c"})
    assert r.status_code == 400
    assert "Nothing was sent" in r.text


def test_a_nul_in_an_editor_form_is_refused(any_site: Site) -> None:
    assert login(any_site.client, "nl", "eddie@example.org").status_code == 303
    token = csrf_of(any_site.client.get("/nl/redactie/").text)
    r = any_site.client.post(
        "/nl/redactie/concepten/1", data={"csrf_token": token, "action": "x", "comment": "a\x00"}
    )
    assert r.status_code == 400
    r = any_site.client.get("/nl/redactie/catalogus", params={"kind": "institution", "q": "a\x00b"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("umcg", True),
        ("nki-avl", True),
        ("a\x00b", False),
        ("A", False),
        ("a--b", False),
        ("-a", False),
        ("a-", False),
        ("", False),
        ("x" * 101, False),
        ("é", False),
    ],
)
def test_is_slug(text: str, ok: bool) -> None:
    assert is_slug(text) is ok
