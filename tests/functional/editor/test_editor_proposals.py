"""Editors check proposals in bulk (issue 13, point 4) and see their worklists (point 6)."""

from __future__ import annotations

import re

from sqlalchemy import select

from directory.conditions.models import ConditionName, NameApproval
from directory.editorial.models import AuditEntry, ConditionSummary
from tests.support.editor import Site, csrf_of, login

NAMES = "/nl/redactie/voorstellen?kind=names"
SUMMARIES = "/en/editor/proposals?kind=summaries"


def _checkboxes(html: str) -> list[str]:
    return re.findall(r'name="approve" value="([0-9]+)"', html)


def _proposed(site: Site, code: int) -> bool:
    with site.sessions() as s:
        return bool(
            s.scalar(
                select(ConditionName.proposed).where(
                    ConditionName.orphacode == code,
                    ConditionName.lang == "nl",
                    ConditionName.kind == "preferred",
                    ConditionName.origin == "editorial",
                )
            )
        )


def test_an_editor_approves_proposed_names_in_bulk(site: Site) -> None:
    assert site.client.get(NAMES).status_code in (302, 303, 403)  # not without logging in
    login(site.client, "nl", "eddie@example.org")
    page = site.client.get(NAMES).text
    assert "voorstellen wachten op een redacteur" in page
    codes = _checkboxes(page)
    assert len(codes) == 50  # one page
    first, second = int(codes[0]), int(codes[1])
    assert _proposed(site, first)
    # Seen (and kept by the page cache) before the approval, current right after it.
    assert (
        "die nog geen redacteur heeft nagekeken" in site.client.get(f"/nl/aandoening/{first}").text
    )
    before = site.published.calls
    r = site.client.post(
        NAMES, data={"csrf_token": csrf_of(page), "approve": [str(first), str(second)]}
    )
    assert r.status_code == 303
    assert "approved=2" in r.headers["location"]
    assert site.published.calls == before + 1  # the index and every page follow at once
    assert not _proposed(site, first)
    with site.sessions() as s:
        assert s.scalar(select(NameApproval).where(NameApproval.orphacode == first)) is not None
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == str(first))).all()
        assert any(a.action == "approve" and a.field == "name_nl" for a in audit)
    public = site.client.get(f"/nl/aandoening/{first}").text
    assert "die nog geen redacteur heeft nagekeken" not in public
    # a page beyond the last shows the last page
    assert "Vorige" in site.client.get(NAMES + "&offset=999999").text


def test_a_drafted_summary_becomes_the_conditions_summary_when_approved(site: Site) -> None:
    login(site.client, "en", "eddie@example.org")
    page = site.client.get(SUMMARIES).text
    codes = _checkboxes(page)
    assert "44890" in codes  # GIST
    r = site.client.post(SUMMARIES, data={"csrf_token": csrf_of(page), "approve": "44890"})
    assert r.status_code == 303
    with site.sessions() as s:
        rows = s.scalars(select(ConditionSummary).where(ConditionSummary.orphacode == 44890))
        assert {r.lang for r in rows} == {"nl", "en"}
    public = site.client.get("/en/condition/44890").text
    assert "no editor has checked it yet" not in public
    assert "44890" not in _checkboxes(site.client.get(SUMMARIES).text)


def test_the_dashboard_lists_the_work_to_do(site: Site) -> None:
    login(site.client, "en", "eddie@example.org")
    page = site.client.get("/en/editor/").text
    assert "Work to do" in page
    assert re.search(r"<strong>[0-9,.]+</strong> Dutch names to check", page)
    assert "Facts not confirmed by a source" in page
    assert "Searches that found nothing" in page
    assert "Conditions without a named centre" in page
