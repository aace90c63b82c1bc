"""Nothing a visitor types is echoed unescaped; bad input never causes a server error."""

from __future__ import annotations

import pytest
from markupsafe import escape
from starlette.testclient import TestClient

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "<b>bold</b><i>x</i>",
    "javascript:alert(1)",
]
# Template syntax a visitor might type. Rendered by Jinja, the first two give 49, the
# third 7777777 (Jinja repeats the string) and a lone ``{% raw %}`` vanishes; ``${7*7}``
# is 49 in other template languages. Each must come back as the text that was typed.
TEMPLATE_PAYLOADS = ["{{7*7}}", "{{ 7*7 }}", "{{7*'7'}}", "${7*7}", "{% raw %}"]
PAYLOADS += TEMPLATE_PAYLOADS
MARKERS = ("<script>alert", "<img src=x", "<svg onload", "<b>bold</b>", "onerror=alert(1)>")
EVALUATED = "7777777"  # {{7*'7'}} evaluated; "49" is too common on a page to look for
# Inert text with a character HTML escapes, so its escaped form is never part of a URL:
# counting it counts the places a page shows the typed text back as text.
CONTROL = "<zqxjkv>"

SEARCH_PARAMS = ["q", "page", "kind", "near", "f_level", "f_kind", "lang", "unknown"]


def _assert_clean(text: str, where: str) -> None:
    for marker in MARKERS:
        assert marker not in text, f"{where}: {marker!r} echoed unescaped"
    assert EVALUATED not in text, f"{where}: {{{{7*'7'}}}} was evaluated as a template"


def _shown(text: str, typed: str) -> int:
    """How often ``text`` shows ``typed`` back as (escaped) text."""
    return text.count(str(escape(typed)))


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


@pytest.mark.parametrize("param", ["q", "near"])  # the search parameters shown back
@pytest.mark.parametrize("payload", TEMPLATE_PAYLOADS)
def test_template_syntax_in_a_search_is_shown_not_evaluated(
    client: TestClient, param: str, payload: str
) -> None:
    for path in ("/nl/zoeken", "/en/search"):

        def get(value: str, path: str = path) -> str:
            params = {"q": value} if param == "q" else {"q": "sarcoom", param: value}
            r = client.get(path, params=params)
            assert r.status_code == 200, (path, param, value, r.status_code)
            return r.text

        expected = _shown(get(CONTROL), CONTROL)
        assert expected >= 2, f"{path}?{param}: the typed text is not shown back; test the echo"
        shown = _shown(get(payload), payload)
        assert shown == expected, (
            f"{path}?{param}={payload!r} is shown as typed {shown} times, not {expected}: "
            "it was evaluated as a template somewhere"
        )


@pytest.mark.parametrize("payload", TEMPLATE_PAYLOADS)
def test_template_syntax_in_a_path_is_shown_not_evaluated(client: TestClient, payload: str) -> None:
    for prefix in ("/nl/aandoening/", "/en/condition/", "/en/"):
        control = client.get(prefix + CONTROL)
        expected = _shown(control.text, CONTROL)
        assert expected >= 1, f"{prefix}: the 404 page does not show the path back"
        r = client.get(prefix + payload)
        assert r.status_code == control.status_code == 404, (prefix, payload)
        assert _shown(r.text, payload) == expected, (
            f"{prefix}{payload!r} is not shown as typed: it was evaluated as a template"
        )


def test_markup_in_a_query_is_shown_as_text(client: TestClient) -> None:
    r = client.get("/en/search", params={"q": "<b>bold</b>"})
    assert "&lt;b&gt;bold&lt;/b&gt;" in r.text


def test_api_escapes_nothing_but_returns_json(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "<script>alert(1)</script>"})
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["query"] == "<script>alert(1)</script>"
