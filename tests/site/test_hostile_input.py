"""Nothing a visitor types is echoed unescaped; bad input never causes a server error."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "<b>bold</b><i>x</i>",
    "javascript:alert(1)",
    "{{7*7}}{% raw %}",
]
MARKERS = ("<script>alert", "<img src=x", "<svg onload", "<b>bold</b>", "onerror=alert(1)>")

SEARCH_PARAMS = ["q", "page", "kind", "near", "f_level", "f_kind", "lang", "unknown"]


def _assert_clean(text: str, where: str) -> None:
    for marker in MARKERS:
        assert marker not in text, f"{where}: {marker!r} echoed unescaped"
    assert "49" not in text.split("{{7*7}}")[0][-5:] if "{{7*7}}" in text else True


@pytest.mark.parametrize("param", SEARCH_PARAMS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_search_parameters_are_escaped(client: TestClient, param: str, payload: str) -> None:
    for path in ("/nl/zoeken", "/en/search"):
        params = {"q": "sarcoom", param: payload} if param != "q" else {"q": payload}
        r = client.get(path, params=params)
        assert r.status_code in (200, 400), (path, param)
        _assert_clean(r.text, f"{path}?{param}")


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "prefix",
    ["/nl/aandoening/", "/en/condition/", "/nl/domein/", "/en/body-area/", "/en/", "/nl/bronnen/"],
)
def test_path_segments_are_escaped(client: TestClient, prefix: str, payload: str) -> None:
    r = client.get(prefix + payload.replace("/", "%2F").replace("?", "%3F").replace("#", "%23"))
    assert r.status_code in (301, 404), (prefix, payload)
    _assert_clean(r.text, prefix)
    assert payload not in r.headers.get("location", "")


def test_markup_in_a_query_is_shown_as_text(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "<b>bold</b>"})
    assert "&lt;b&gt;bold&lt;/b&gt;" in r.text


def test_api_escapes_nothing_but_returns_json(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "<script>alert(1)</script>"})
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["query"] == "<script>alert(1)</script>"
