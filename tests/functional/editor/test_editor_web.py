"""The editor area through HTTP, in Dutch and English: access, CSRF, login limits, forms."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from directory.accounts.models import EditorSession
from directory.editorial.models import Draft
from tests.support.editor import PASSWORD, Site, csrf_of, form_values, login, make_site
from web.editor.routes import editor_routes

SAMPLE_PARAMS = {
    "draft_id": "1",
    "entity_id": "319",
    "run_id": "1",
    "user_id": "1",
}


def editor_paths() -> list[tuple[str, tuple[str, ...]]]:
    """Every editor route with example parameters (so a new route is covered too)."""
    found = []
    for route in editor_routes():
        path = route.path
        if not re.match(r"^/(nl/redactie|en/editor)", path) or path.endswith(("inloggen", "login")):
            continue
        lang = path.split("/")[1]
        path = path.replace("{kind}", "aandoening" if lang == "nl" else "condition")
        for name, value in SAMPLE_PARAMS.items():
            path = path.replace("{" + name + "}", value)
        found.append((path, tuple(sorted(route.methods or ()))))
    return found


def test_anonymous_visitors_cannot_reach_the_editor_area(site: Site) -> None:
    paths = editor_paths()
    assert len(paths) >= 30  # both languages
    for path, methods in paths:
        if "GET" in methods:
            r = site.client.get(path)
            assert r.status_code == 303, path
            assert (
                "/inloggen?next=" in r.headers["location"]
                or "/login?next=" in r.headers["location"]
            ), path
        if "POST" in methods:
            r = site.client.post(path, data={"action": "approve", "csrf_token": "x"})
            assert r.status_code == 403, path
            assert "exw_session" not in r.headers.get("set-cookie", "")
    with site.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Draft)) == 0


def test_login_cookie_is_signed_httponly_samesite(site: Site) -> None:
    r = login(site.client, "nl", "eddie@example.org")
    assert r.status_code == 303
    assert r.headers["location"] == "/nl/redactie/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("exw_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in this test
    dash = site.client.get("/nl/redactie/")
    assert dash.status_code == 200
    assert "Eddie Editor" in dash.text
    assert dash.headers["cache-control"] == "no-store"
    # A tampered cookie is worthless.
    value = site.client.cookies["exw_session"]
    site.client.cookies.clear()
    site.client.cookies.set("exw_session", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    assert site.client.get("/nl/redactie/").status_code == 303


def test_cookie_is_secure_over_https(loaded, tmp_path) -> None:
    s = make_site(loaded, tmp_path, base_url="https://testserver")
    with s.client:
        r = login(s.client, "en", "eddie@example.org")
        assert r.status_code == 303
        assert "Secure" in r.headers["set-cookie"]


def test_login_form_has_its_own_csrf_protection(site: Site) -> None:
    site.client.get("/nl/redactie/inloggen")
    r = site.client.post(
        "/nl/redactie/inloggen",
        data={"csrf_token": "made-up", "email": "eddie@example.org", "password": PASSWORD},
    )
    assert r.status_code == 403
    assert "exw_session" not in r.headers.get("set-cookie", "")


def test_logout_ends_the_session_on_the_server(site: Site) -> None:
    login(site.client, "en", "eddie@example.org")
    old_cookie = site.client.cookies["exw_session"]
    page = site.client.get("/en/editor/")
    r = site.client.post("/en/editor/logout", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 303
    assert r.headers["location"] == "/en/editor/login?done=logged_out"
    # Replaying the old cookie does not work: the session ended on the server.
    site.client.cookies.clear()
    site.client.cookies.set("exw_session", old_cookie)
    assert site.client.get("/en/editor/").status_code == 303
    with site.sessions() as s:
        assert s.scalar(select(func.count()).where(EditorSession.ended_at.is_(None))) == 0


def test_csrf_token_is_required_on_every_editor_form(site: Site) -> None:
    login(site.client, "nl", "eddie@example.org")
    page = site.client.get("/nl/redactie/bewerken/aandoening/319")
    data = form_values(page.text, "/nl/redactie/bewerken/aandoening/319")
    data |= {"name_nl": "Ewing-sarcoom (bot)", "reason": "test"}
    for bad in ({k: v for k, v in data.items() if k != "csrf_token"}, data | {"csrf_token": "x"}):
        r = site.client.post("/nl/redactie/bewerken/aandoening/319", data=bad)
        assert r.status_code == 403
        assert "Het formulier is verlopen" in r.text or "The form has expired" in r.text
    # Another user's token is not this session's token.
    other = site.client.__class__(site.app, base_url="http://testserver", follow_redirects=False)
    with other:
        login(other, "nl", "otto@example.org")
        other_token = csrf_of(other.get("/nl/redactie/").text)
    r = site.client.post(
        "/nl/redactie/bewerken/aandoening/319", data=data | {"csrf_token": other_token}
    )
    assert r.status_code == 403
    with site.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Draft)) == 0
    r = site.client.post("/nl/redactie/bewerken/aandoening/319", data=data)
    assert r.status_code == 303  # with the right token it works


def test_login_rate_limit_through_http(site: Site) -> None:
    limit = site.state.service.rate_limit.per_account
    for _ in range(limit):
        r = login(site.client, "nl", "rita@example.org", "not the password")
        assert r.status_code == 400
        assert "Het e-mailadres of het wachtwoord klopt niet." in r.text
    r = login(site.client, "nl", "rita@example.org", PASSWORD)
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    assert "exw_session" not in r.headers.get("set-cookie", "")


def test_editor_cannot_approve_own_draft_and_reviewer_cannot_manage_users(site: Site) -> None:
    login(site.client, "en", "eddie@example.org")
    page = site.client.get("/en/editor/edit/condition/178")
    data = form_values(page.text, "/en/editor/edit/condition/178")
    data |= {"name_nl": "Chordoom van de schedelbasis", "reason": "seen in the guideline"}
    r = site.client.post("/en/editor/edit/condition/178", data=data)
    assert r.status_code == 303
    draft_url = r.headers["location"].split("?")[0]
    page = site.client.get(draft_url)
    assert "Approve and publish" not in page.text
    r = site.client.post(draft_url, data={"csrf_token": csrf_of(page.text), "action": "approve"})
    assert r.status_code == 403
    assert "Only reviewers" in r.text

    site.client.cookies.clear()
    login(site.client, "en", "rita@example.org")
    for path in ("/en/editor/users", "/en/editor/users/1"):
        assert site.client.get(path).status_code == 403
    token = csrf_of(site.client.get("/en/editor/").text)
    r = site.client.post(
        "/en/editor/users",
        data={
            "csrf_token": token,
            "email": "x@example.org",
            "display_name": "X",
            "role": "admin",
            "password": PASSWORD,
        },
    )
    assert r.status_code == 403
    assert site.state.service.user_by_email("x@example.org") is None


def test_the_draft_diff_header_reads_veld_in_dutch(site: Site) -> None:
    login(site.client, "nl", "eddie@example.org")
    url = "/nl/redactie/bewerken/aandoening/178"
    data = form_values(site.client.get(url).text, url)
    data |= {"name_nl": "Chordoom (schedelbasis)", "reason": "gezien in de richtlijn"}
    r = site.client.post(url, data=data)
    assert r.status_code == 303
    html = site.client.get(r.headers["location"].split("?")[0]).text
    header = re.search(r'<table class="changes">.*?<thead>(.*?)</thead>', html, re.S)
    assert header is not None
    assert '<th scope="col">Veld</th>' in header.group(1)
    assert "Vakgebied" not in html
    assert "Chordoom (schedelbasis)" in html  # the change itself is in the table


def test_validation_errors_are_shown_next_to_the_field_and_input_is_kept(site: Site) -> None:
    login(site.client, "nl", "eddie@example.org")
    page = site.client.get("/nl/redactie/bewerken/aandoening/319")
    data = form_values(page.text, "/nl/redactie/bewerken/aandoening/319")
    typed_summary = "Een zeldzame vorm van botkanker.\nVooral bij jonge mensen."
    data |= {"name_nl": "x" * 301, "summary_nl": typed_summary, "reason": ""}
    r = site.client.post("/nl/redactie/bewerken/aandoening/319", data=data)
    assert r.status_code == 400
    html = r.text
    # The error is tied to its field, and the summary at the top links to it.
    assert re.search(
        r'<p class="field-error" id="f-name_nl-error">.*?</p>\s*<input id="f-name_nl"'
        r'[^>]*aria-describedby="f-name_nl-error"[^>]*aria-invalid="true"',
        html,
        re.S,
    )
    assert 'href="#f-reason"' in html
    assert 'id="f-reason-error"' in html
    # Everything typed is still there.
    kept = form_values(html, "/nl/redactie/bewerken/aandoening/319")
    assert kept["name_nl"] == "x" * 301
    assert kept["summary_nl"] == typed_summary


def test_second_of_two_editors_is_told_and_keeps_input(site: Site) -> None:
    a = site.client
    b = a.__class__(site.app, base_url="http://testserver", follow_redirects=False)
    with b:
        login(a, "nl", "eddie@example.org")
        login(b, "nl", "otto@example.org")
        url = "/nl/redactie/bewerken/aandoening/3394"
        form_a = form_values(a.get(url).text, url)
        form_b = form_values(b.get(url).text, url)
        r = a.post(url, data=form_a | {"name_nl": "Wekedelensarcoom (A)", "reason": "a"})
        assert r.status_code == 303
        r = b.post(url, data=form_b | {"name_nl": "Wekedelensarcoom (B)", "reason": "b"})
        assert r.status_code == 409
        assert "Wekedelensarcoom (B)" in r.text  # what B typed is kept
        assert 'role="alert"' in r.text
        # B has now seen the current state; saving again makes a second, separate draft.
        again = form_values(r.text, url)
        assert again["name_nl"] == "Wekedelensarcoom (B)"
        assert b.post(url, data=again).status_code == 303
    with site.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Draft)) == 2


def test_markup_in_any_field_is_shown_as_text(site: Site) -> None:
    login(site.client, "nl", "eddie@example.org")
    url = "/nl/redactie/bewerken/aandoening/178"
    data = form_values(site.client.get(url).text, url)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data |= {"name_nl": evil, "summary_nl": evil, "lay_terms_nl": evil, "reason": evil}
    r = site.client.post(url, data=data)
    assert r.status_code == 303
    draft_page = site.client.get(r.headers["location"]).text
    assert "<script>alert" not in draft_page
    assert "<img src=x" not in draft_page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in draft_page
    site.client.cookies.clear()
    login(site.client, "nl", "rita@example.org")
    page = site.client.get(r.headers["location"])
    approve = site.client.post(
        r.headers["location"].split("?")[0],
        data={"csrf_token": csrf_of(page.text), "action": "approve"},
    )
    assert approve.status_code == 303
    for path in ("/nl/redactie/geschiedenis/aandoening/178", "/nl/aandoening/178", url):
        html = site.client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    # Reports from visitors too.
    site.client.post("/nl/fout-melden", data={"page": "/nl/aandoening/178", "message": evil})
    html = site.client.get("/nl/redactie/meldingen").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_pages_in_both_languages(site: Site) -> None:
    login(site.client, "nl", "ada@example.org")
    pairs = [
        ("/nl/redactie/", "/en/editor/"),
        ("/nl/redactie/concepten", "/en/editor/drafts"),
        ("/nl/redactie/catalogus", "/en/editor/catalogue"),
        ("/nl/redactie/bewerken/aandoening/319", "/en/editor/edit/condition/319"),
        ("/nl/redactie/geschiedenis/aandoening/319", "/en/editor/history/condition/319"),
        ("/nl/redactie/correcties", "/en/editor/overrides"),
        ("/nl/redactie/imports", "/en/editor/imports"),
        ("/nl/redactie/imports/uploaden", "/en/editor/imports/upload"),
        ("/nl/redactie/meldingen", "/en/editor/feedback"),
        ("/nl/redactie/gebruikers", "/en/editor/users"),
        ("/nl/redactie/account", "/en/editor/account"),
    ]
    for nl, en in pairs:
        r_nl, r_en = site.client.get(nl), site.client.get(en)
        assert (r_nl.status_code, r_en.status_code) == (200, 200), nl
        assert '<html lang="nl">' in r_nl.text
        assert '<html lang="en">' in r_en.text
        assert f'href="{en}" hreflang="en"' in r_nl.text, nl  # the language switch
        assert f'href="{nl}" hreflang="nl"' in r_en.text, en
        assert '<meta name="robots" content="noindex">' in r_nl.text
    assert "Uitloggen" in site.client.get("/nl/redactie/").text
    assert "Log out" in site.client.get("/en/editor/").text


def test_user_admin_through_the_form(site: Site) -> None:
    login(site.client, "en", "ada@example.org")
    page = site.client.get("/en/editor/users")
    token = csrf_of(page.text)
    bad = {"csrf_token": token, "email": "nope", "display_name": "", "role": "editor"}
    r = site.client.post("/en/editor/users", data=bad | {"password": "short"})
    assert r.status_code == 400
    assert 'id="f-email-error"' in r.text
    assert 'value="nope"' in r.text  # kept
    good = {"email": "nina@example.org", "display_name": "Nina", "password": PASSWORD}
    r = site.client.post("/en/editor/users", data=bad | good)
    assert r.status_code == 303
    nina = site.state.service.user_by_email("nina@example.org")
    assert nina is not None
    assert nina.role == "editor"
    url = f"/en/editor/users/{nina.id}"
    page = site.client.get(url)
    data = {"csrf_token": csrf_of(page.text), "version": str(nina.version)}
    assert (
        site.client.post(url, data=data | {"action": "role", "role": "reviewer"}).status_code == 303
    )
    # A stale form (the old version) is refused: someone changed the account meanwhile.
    r = site.client.post(url, data=data | {"action": "disable"})
    assert r.status_code == 409
    nina = site.state.service.user_by_email("nina@example.org")
    assert nina is not None
    assert (nina.role, nina.active) == ("reviewer", True)


def test_every_kind_has_working_forms_in_both_languages(site: Site) -> None:
    login(site.client, "en", "eddie@example.org")
    examples = {
        "panel": "landelijk-mdo-thymustumoren",
        "working_group": None,
        "institution": "nki-avl",
        "condition": "319",
    }
    for kind in site.state.queries.adapters:
        for lang, base in (("nl", "/nl/redactie"), ("en", "/en/editor")):
            listing = site.client.get(
                f"{base}/{'catalogus' if lang == 'nl' else 'catalogue'}", params={"kind": kind}
            )
            assert listing.status_code == 200, (kind, lang)
    for lang, new in (("nl", "/nl/redactie/nieuw/"), ("en", "/en/editor/new/")):
        for segment in ("expertpanel" if lang == "nl" else "expert-panel", "ecza", "soncos"):
            r = site.client.get(new + segment)
            assert r.status_code == 200, new + segment
            assert 'name="slug"' in r.text
    for kind, entity_id in examples.items():
        if entity_id is None:
            continue
        segment = {"panel": "expert-panel", "institution": "institution", "condition": "condition"}
        r = site.client.get(f"/en/editor/edit/{segment[kind]}/{entity_id}")
        assert r.status_code == 200, kind
        assert 'name="token"' in r.text
    # A hand-entered SONCOS reference centre through the form.
    form = form_values(site.client.get("/en/editor/new/soncos").text, "/en/editor/new/soncos")
    form |= {
        "slug": "oogtumoren-lumc",
        "label_nl": "Oogtumoren",
        "label_en": "Eye tumours",
        "institutions": "lumc",
        "orphacodes": "ORPHA:39044",
        "level": "treatment_in_reference_centre",
        "source_version": "SONCOS normeringsrapport 2025",
        "source_ref": "SONCOS 2025, chapter eye tumours",
        "reason": "from the norm report",
    }
    r = site.client.post("/en/editor/new/soncos", data=form)
    assert r.status_code == 303, r.text[:2000]
    draft = site.client.get(r.headers["location"]).text
    assert "Eye tumours" in draft
    assert "lumc" in draft


def test_too_large_posts_are_refused_before_reading(site: Site) -> None:
    login(site.client, "en", "eddie@example.org")
    token = csrf_of(site.client.get("/en/editor/").text)
    url = "/en/editor/edit/condition/319"
    r = site.client.post(url, data={"csrf_token": token, "summary_en": "x" * (3 * 1024 * 1024)})
    assert r.status_code == 413
    with site.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Draft)) == 0
