"""The public "report an error" form: on every page, no account, honeypot, rate limit."""

from __future__ import annotations

import re

from editor_support import Site, csrf_of, login
from sqlalchemy import inspect, select

from directory.editorial_models import FeedbackReport


def reports(site: Site) -> list[FeedbackReport]:
    with site.sessions() as s:
        return list(s.scalars(select(FeedbackReport).order_by(FeedbackReport.id)))


def test_every_public_page_offers_the_form(site: Site) -> None:
    for path in ("/nl/", "/en/", "/nl/aandoening/319", "/en/search?q=ewing", "/nl/bronnen"):
        html = site.client.get(path).text
        assert re.search(r'<form method="post" action="/(nl/fout-melden|en/report-an-error)"', html)
        page_field = re.search(r'<input type="hidden" name="page" value="([^"]*)"', html)
        assert page_field is not None
        assert page_field.group(1).split("?")[0] == path.split("?")[0], path
    # Not in the editor area.
    login(site.client, "nl", "eddie@example.org")
    assert "fout-melden" not in site.client.get("/nl/redactie/").text


def test_report_is_stored_with_page_and_entity_and_nothing_else(site: Site) -> None:
    r = site.client.post(
        "/nl/fout-melden",
        data={
            "page": "/nl/aandoening/319",
            "message": "De Nederlandse naam mist een streepje.",
            "contact": "",
            "website": "",
        },
        headers={"origin": "http://testserver"},
    )
    assert r.status_code == 303
    thanks = site.client.get(r.headers["location"])
    assert "Bedankt voor uw melding" in thanks.text
    (report,) = reports(site)
    assert (report.page_url, report.entity_kind, report.entity_id) == (
        "/nl/aandoening/319",
        "condition",
        "319",
    )
    assert report.contact is None
    assert report.lang == "nl"
    # No column for an address, a browser or a cookie: only what the reporter wrote.
    columns = {c.name for c in inspect(FeedbackReport).columns}
    assert columns == {
        "id", "created_at", "lang", "page_url", "entity_kind", "entity_id", "message",
        "contact", "status", "handled_by", "handled_at", "note", "version",
    }  # fmt: skip
    # The editors see it in their queue, with a link to edit the entity.
    login(site.client, "en", "eddie@example.org")
    queue = site.client.get("/en/editor/feedback").text
    assert "De Nederlandse naam mist een streepje." in queue
    assert 'href="/en/editor/edit/condition/319"' in queue


def test_a_report_on_an_english_page_names_the_entity_by_its_id(site: Site) -> None:
    page = "/en/expert-panel/netherlands-committee-on-bone-tumours"
    r = site.client.post(
        "/en/report-an-error",
        data={"page": page, "message": "The phone number is old.", "website": ""},
        headers={"origin": "http://testserver"},
    )
    assert r.status_code == 303
    (report,) = reports(site)
    assert (report.page_url, report.entity_kind, report.entity_id) == (
        page,
        "panel",
        "commissie-voor-beentumoren",
    )


def test_honeypot_says_thanks_and_keeps_nothing(site: Site) -> None:
    r = site.client.post(
        "/en/report-an-error",
        data={"page": "/en/", "message": "Buy cheap watches now!!!", "website": "http://spam"},
    )
    assert r.status_code == 200
    assert "Thank you for your report" in r.text
    assert reports(site) == []


def test_rate_limit_per_client(site: Site) -> None:
    limit = site.state.report_limits.policy.per_client
    for i in range(limit):
        r = site.client.post("/en/report-an-error", data={"page": "/en/", "message": f"typo {i}"})
        assert r.status_code == 303
    r = site.client.post("/en/report-an-error", data={"page": "/en/", "message": "one more"})
    assert r.status_code == 429
    assert "one more" in r.text  # what was typed is not lost
    assert len(reports(site)) == limit


def test_invalid_report_keeps_input_and_rejects_other_sites(site: Site) -> None:
    r = site.client.post(
        "/nl/fout-melden", data={"page": "/nl/aandoening/319", "message": "x", "contact": "me"}
    )
    assert r.status_code == 400
    assert 'id="f-message-error"' in r.text
    assert 'value="me"' in r.text
    r = site.client.post(
        "/nl/fout-melden",
        data={"page": "https://evil.example/", "message": "long enough message"},
        headers={"origin": "https://evil.example"},
    )
    assert r.status_code == 403
    # A page outside this site is never stored as the page.
    site.client.post(
        "/nl/fout-melden", data={"page": "https://evil.example/x", "message": "long enough"}
    )
    assert [r.page_url for r in reports(site)] == ["/"]


def test_editors_handle_reports_with_concurrency_check(site: Site) -> None:
    site.client.post("/en/report-an-error", data={"page": "/en/", "message": "Broken link"})
    (report,) = reports(site)
    login(site.client, "en", "eddie@example.org")
    token = csrf_of(site.client.get("/en/editor/feedback").text)
    form = {"csrf_token": token, "report": str(report.id), "status": "handled", "note": "fixed"}
    r = site.client.post("/en/editor/feedback", data=form | {"version": str(report.version)})
    assert r.status_code == 303
    r = site.client.post("/en/editor/feedback", data=form | {"version": str(report.version)})
    assert r.status_code == 409  # a second editor with the old form is told
    (report,) = reports(site)
    assert (report.status, report.note) == ("handled", "fixed")
