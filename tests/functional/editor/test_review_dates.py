"""Review dates (issue 13, point 5): every public page says when a person last checked its
facts and when the next check is due; the editors' dashboard lists the checks that are
due, soonest first."""

from __future__ import annotations

import datetime as dt
import re

from directory.editorial.review import REVIEW_EVERY, ReviewQueries, review_dates
from directory.paths import Permalinks, entity_path
from tests.support.editor import PANEL, Site, csrf_of, login
from web.editor.paths import entity_editor_path

TODAY = dt.date(2026, 12, 2)


def test_a_check_is_due_one_interval_after_the_latest_check() -> None:
    # Nothing known: due today, not yet late.
    never = review_dates("panel", None, None, TODAY)
    assert (never.reviewed_on, never.due_on, never.late) == (None, TODAY, False)
    # Only the source: due a year after it was read.
    read = dt.date(2026, 11, 26)
    by_source = review_dates("panel", None, read, TODAY)
    assert by_source.due_on == read + dt.timedelta(days=365)
    # An editor's later check moves the date; an older one does not.
    assert review_dates("panel", dt.date(2026, 12, 1), read, TODAY).due_on == dt.date(2027, 12, 1)
    assert review_dates("panel", dt.date(2020, 1, 1), read, TODAY).due_on == by_source.due_on
    # Hospitals change more slowly than panels.
    assert REVIEW_EVERY["institution"] > REVIEW_EVERY["panel"]
    late = review_dates("institution", None, dt.date(2024, 1, 1), TODAY)
    assert late.due_on == dt.date(2025, 12, 31)
    assert late.late


PAGES = (
    ("condition", "3394"),
    ("institution", "umcg"),
    ("panel", PANEL),
    ("working_group", "dsg"),
    ("network", "artz"),
)


def _note(html: str) -> str:
    return html.split('<p class="review-note">', 1)[1].split("</p>", 1)[0]


def test_every_page_kind_says_when_its_facts_were_checked(site: Site, links: Permalinks) -> None:
    for kind, entity_id in PAGES:
        for lang, never, next_check in (
            ("nl", "Nog geen redacteur heeft deze gegevens nagekeken", "Volgende controle"),
            ("en", "No editor has checked these facts yet", "Next check"),
        ):
            r = site.client.get(links.path(kind, entity_id, lang))
            assert r.status_code == 200, (kind, entity_id, lang)
            note = _note(r.text)
            assert never in note, (kind, lang)
            assert next_check in note or "te laat" in note or "late" in note
    # An import date is called an import date, never a reading by a person.
    condition = _note(site.client.get(entity_path("condition", 3394, "en")).text)
    assert "They were imported from their sources on" in condition


def test_an_editors_check_shows_on_the_page_and_leaves_the_worklist(site: Site) -> None:
    reviews = ReviewQueries(site.sessions)
    before = reviews.of("panel", PANEL)
    assert before is not None
    assert before.reviewed_on is None
    login(site.client, "en", "eddie@example.org")
    board = site.client.get("/en/editor/").text
    section = board.split('id="h-reviews"', 1)[1].split("</section>", 1)[0]
    assert "Pages due for a check" in board
    due = reviews.due(limit=10_000)
    assert re.search(r"[0-9,]+ pages? (is|are) due for a check", section)
    # Soonest first, on the dashboard and in the query.
    dues = [i.dates.due_on for i in due.items]
    assert dues == sorted(dues)
    shown = re.findall(r"<tr><td><a href=\"([^\"]+)\">", section)
    assert shown, "the dashboard lists the pages due"
    assert all(url.startswith("/en/editor/") for url in shown)

    history = entity_editor_path("history", "panel", PANEL, "en")
    page = site.client.get(history)
    assert page.status_code == 200, history
    r = site.client.post(history, data={"action": "check", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303

    after = reviews.of("panel", PANEL)
    assert after is not None
    assert after.reviewed_on == dt.date.today()
    assert after.due_on == dt.date.today() + REVIEW_EVERY["panel"]
    note = _note(site.client.get(entity_path("panel", PANEL, "nl")).text)
    assert "Een redacteur heeft deze gegevens voor het laatst nagekeken op" in note
    assert ("panel", PANEL) not in {(i.kind, i.entity_id) for i in reviews.due(limit=10_000).items}


def test_conditions_people_look_up_most_come_first_on_the_same_day(site: Site) -> None:
    later = dt.datetime.combine(dt.date.today() + dt.timedelta(days=400), dt.time(12))
    due = ReviewQueries(site.sessions, clock=lambda: later).due(limit=10_000)
    items = [i for i in due.items if i.kind == "condition"]
    assert items, "conditions never checked by an editor are due"
    first_day = [i for i in items if i.dates.due_on == items[0].dates.due_on]
    # Soft-tissue sarcoma is on the priority list; a rare syndrome is not.
    codes = [i.entity_id for i in first_day]
    assert "3394" in codes
    assert codes.index("3394") < len(codes) // 2
    assert items[codes.index("3394")].title != "ORPHA:3394"  # named, not numbered
