"""The public "report an error" form: on every page, no account, honeypot, rate limit."""

from __future__ import annotations

import re

from sqlalchemy import inspect, select

from directory.clock import utcnow
from directory.conditions.queries import CatalogueQueries
from directory.editorial.models import FeedbackReport
from directory.expertise.models import Panel
from tests.support.editor import Site, csrf_of, login


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


def about(queue_html: str, report_id: int) -> str:
    """The text of the "About" line of one report in the editors' queue."""
    article = re.search(
        rf'<article class="report-item" aria-labelledby="fb-{report_id}">(.*?)</article>',
        queue_html,
        re.S,
    )
    assert article is not None, report_id
    found = re.search(r"<dt>(?:About|Over)</dt><dd>(.*?)</dd>", article.group(1), re.S)
    assert found is not None, report_id
    return found.group(1)


def send_report(site: Site, page: str, message: str) -> int:
    lang = page.split("/")[1]
    r = site.client.post(
        "/nl/fout-melden" if lang == "nl" else "/en/report-an-error",
        data={"page": page, "message": message, "website": ""},
        headers={"origin": "http://testserver"},
    )
    assert r.status_code == 303
    return reports(site)[-1].id


def test_the_queue_names_what_a_report_is_about_with_links(site: Site) -> None:
    slug = "commissie-voor-beentumoren"
    with site.sessions() as s:
        panel = s.scalar(select(Panel).where(Panel.slug == slug))
        assert panel is not None
        panel_nl, panel_en = panel.name_nl, panel.name_en
    condition = CatalogueQueries(site.sessions).condition(319)
    assert condition is not None
    name_nl, name_en = condition.ref.title("nl").value, condition.ref.title("en").value
    assert name_nl != name_en  # the condition has a Dutch name: the page language counts
    on_condition = send_report(site, "/nl/aandoening/319", "De naam klopt niet helemaal.")
    on_panel = send_report(
        site, "/en/expert-panel/netherlands-committee-on-bone-tumours", "Old phone number."
    )

    login(site.client, "nl", "eddie@example.org")
    queue = site.client.get("/nl/redactie/meldingen").text
    line = about(queue, on_condition)
    assert f"{name_nl} (ORPHA:319)" in line
    assert 'href="/nl/aandoening/319"' in line  # its public page
    assert 'href="/nl/redactie/bewerken/aandoening/319"' in line  # its edit form
    line = about(queue, on_panel)
    assert panel_nl in line
    assert slug not in re.sub(r'href="[^"]*"', "", line)  # the slug only in the links
    assert f'href="/nl/expertpanel/{slug}"' in line
    assert f'href="/nl/redactie/bewerken/expertpanel/{slug}"' in line

    queue = site.client.get("/en/editor/feedback").text
    assert f"{name_en} (ORPHA:319)" in about(queue, on_condition)
    line = about(queue, on_panel)
    assert panel_en in line
    assert 'href="/en/expert-panel/netherlands-committee-on-bone-tumours"' in line
    assert f'href="/en/editor/edit/expert-panel/{slug}"' in line


def test_the_queue_shows_the_id_of_an_unknown_or_retired_entity_plainly(site: Site) -> None:
    unknown = send_report(site, "/nl/expertpanel/bestaat-niet", "Deze pagina bestaat niet.")
    with site.sessions() as s, s.begin():
        panel = s.scalar(select(Panel).where(Panel.slug == "commissie-voor-beentumoren"))
        assert panel is not None
        panel.retired_at = utcnow()
    retired = send_report(site, "/nl/expertpanel/commissie-voor-beentumoren", "Opgeheven?")
    login(site.client, "nl", "eddie@example.org")
    queue = site.client.get("/nl/redactie/meldingen").text
    assert about(queue, unknown) == "Expertpanel bestaat-niet"
    assert about(queue, retired) == "Expertpanel commissie-voor-beentumoren"
