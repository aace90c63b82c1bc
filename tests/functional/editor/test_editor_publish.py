"""Publishing: an approved edit reaches the public site and the search index; uploads."""

from __future__ import annotations

import re
import time

from config.settings import PROJECT_ROOT
from tests.support.editor import Site, csrf_of, form_values, login

ROOT = PROJECT_ROOT


def search_finds(site: Site, q: str, href: str) -> bool:
    return f'href="{href}"' in site.client.get("/nl/zoeken", params={"q": q}).text


def test_edit_review_publish_reaches_page_and_search(site_with_own_index: Site) -> None:
    site = site_with_own_index
    term = "schedelbasischordoom"
    assert not search_finds(site, term, "/nl/aandoening/178")

    login(site.client, "nl", "eddie@example.org")
    url = "/nl/redactie/bewerken/aandoening/178"
    data = form_values(site.client.get(url).text, url)
    data["synonyms_nl"] = (data["synonyms_nl"] + "\n" + term).strip()
    data["reason"] = "Term uit de richtlijn"
    r = site.client.post(url, data=data)
    assert r.status_code == 303
    draft_url = r.headers["location"].split("?")[0]
    assert site.state.reindex.rebuilds == 0  # a draft is not published

    site.client.cookies.clear()
    login(site.client, "nl", "rita@example.org")
    page = site.client.get(draft_url)
    assert term in page.text
    r = site.client.post(draft_url, data={"csrf_token": csrf_of(page.text), "action": "approve"})
    assert r.status_code == 303
    assert "done=published" in r.headers["location"]
    assert term in site.client.get("/nl/aandoening/178").text  # the page at once

    # The index is rebuilt in the background and swapped in; search never stops.
    deadline = time.monotonic() + 180
    while not site.state.reindex.wait(0.5):
        assert site.client.get("/nl/zoeken", params={"q": "chordoom"}).status_code == 200
        assert time.monotonic() < deadline
    assert site.state.reindex.last_error is None
    assert search_finds(site, term, "/nl/aandoening/178")


def upload(site: Site, lang: str, source: str, name: str, data: bytes):
    path = "/nl/redactie/imports/uploaden" if lang == "nl" else "/en/editor/imports/upload"
    token = csrf_of(site.client.get(path).text)
    return site.client.post(
        path,
        data={"csrf_token": token, "source": source, "lang": "nl"},
        files={"file": (name, data, "text/csv")},
    )


def dutch_name(site: Site, code: int) -> str:
    html = site.client.get(f"/nl/aandoening/{code}").text
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return found.group(1).strip()


def test_upload_shows_a_dry_run_and_a_reviewer_applies_it(site: Site) -> None:
    original = (ROOT / "data" / "curated" / "dutch_names.csv").read_text(encoding="utf-8")
    changed = original.replace("178,Chordoma,Chordoom,", "178,Chordoma,Chordoom (bot),")
    assert changed != original
    before = dutch_name(site, 178)

    login(site.client, "en", "eddie@example.org")
    r = upload(site, "en", "dutch-names", "dutch_names.csv", changed.encode())
    assert r.status_code == 200
    assert "Dry run of dutch_names.csv" in r.text
    assert "1 would change" in r.text
    # Row by row: the Dutch name of ORPHA:178, old and new.
    assert re.search(
        r"changed: condition_name \(orphacode=178, lang=&#39;nl&#39;, kind=&#39;preferred&#39;\): "
        r"text: &#39;Chordoom&#39; → &#39;Chordoom \(bot\)&#39;",
        r.text,
    )
    assert "0 would be added" in r.text
    assert dutch_name(site, 178) == before  # nothing written
    assert "Apply this file" not in r.text  # editors cannot apply
    token = re.search(r'name="upload" value="([^"]+)"', r.text)
    assert token is None
    r = site.client.post(
        "/en/editor/imports/upload",
        data={"csrf_token": csrf_of(r.text), "action": "apply", "upload": "x" * 32},
    )
    assert r.status_code == 403

    # Another person, a reviewer, finds the waiting upload, sees its dry run and applies it.
    site.client.cookies.clear()
    login(site.client, "en", "rita@example.org")
    imports = site.client.get("/en/editor/imports").text
    assert "Uploads waiting to be applied" in imports
    review = re.search(r'href="(/en/editor/imports/upload\?upload=[^"]+)"', imports)
    assert review is not None
    r = site.client.get(review.group(1))
    assert "1 would change" in r.text
    assert "Uploaded by Eddie Editor." in r.text
    token = re.search(r'name="upload" value="([^"]+)"', r.text)
    assert token is not None
    r = site.client.post(
        "/en/editor/imports/upload",
        data={"csrf_token": csrf_of(r.text), "action": "apply", "upload": token.group(1)},
    )
    assert r.status_code == 303
    run_page = site.client.get(r.headers["location"])
    assert "Changed" in run_page.text
    assert dutch_name(site, 178) == "Chordoom (bot)"
    assert site.state.reindex.calls == 1  # the search index is rebuilt after applying
    # The upload is gone once applied: applying twice is not possible.
    r = site.client.post(
        "/en/editor/imports/upload",
        data={"csrf_token": csrf_of(run_page.text), "action": "apply", "upload": token.group(1)},
    )
    assert r.status_code == 400


def test_a_rejected_upload_lists_every_problem(site: Site) -> None:
    login(site.client, "nl", "rita@example.org")
    bad = "orphacode,name_en,preferred_nl\nabc,x,Iets\n178,Chordoma,\n999999999,x,Niets\n"
    r = upload(site, "nl", "dutch-names", "namen.csv", bad.encode())
    assert r.status_code == 400
    assert "namen.csv kan niet worden geïmporteerd" in r.text
    assert "line 2" in r.text
    assert "orphacode" in r.text
    assert "line 3" in r.text
    assert "Dit bestand doorvoeren" not in r.text
    r = upload(site, "nl", "", "namen.csv", b"")
    assert r.status_code == 400
    assert "Kies een bron." in r.text
    assert "Kies een bestand." in r.text or "Het bestand is leeg." in r.text


def test_summary_and_last_checked_on_the_public_condition_page(site: Site) -> None:
    page = site.client.get("/nl/aandoening/178").text
    # the editors' drafted summary, marked as not yet checked
    assert "nog geen redacteur heeft het nagekeken" in page
    assert "Nog geen redacteur heeft deze gegevens nagekeken" in page  # only its sources
    login(site.client, "nl", "eddie@example.org")
    url = "/nl/redactie/bewerken/aandoening/178"
    data = form_values(site.client.get(url).text, url)
    summary = "Een zeldzame tumor in de wervelkolom of de schedelbasis. Hij groeit langzaam."
    r = site.client.post(url, data=data | {"summary_nl": summary, "reason": "B1-tekst"})
    draft_url = r.headers["location"].split("?")[0]
    site.client.cookies.clear()
    login(site.client, "nl", "rita@example.org")
    token = csrf_of(site.client.get(draft_url).text)
    site.client.post(draft_url, data={"csrf_token": token, "action": "approve"})
    nl = site.client.get("/nl/aandoening/178").text
    assert '<h2 id="h-summary">In gewone woorden</h2>' in nl
    assert f'<p class="summary">{summary}</p>' in nl
    assert "nog geen redacteur heeft het nagekeken" not in nl  # an approved one wins
    en = site.client.get("/en/condition/178").text  # no English summary: the Dutch one, marked
    assert f'<p class="summary" lang="nl">{summary}</p>' in en
    import datetime as dt

    from babel.dates import format_date

    today = format_date(dt.date.today(), format="long", locale="nl")
    # approving an edit is a check by a person (the reviewer)
    assert f"Een redacteur heeft deze gegevens voor het laatst nagekeken op {today}." in nl
