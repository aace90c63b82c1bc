"""Links that last: a renamed or merged entity's old slug answers 301 to its new page."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from directory.db import make_engine, make_session_factory
from directory.errors import InputRejected
from directory.expertise.export import entity_slugs
from directory.expertise.redirects import RedirectQueries, RedirectService


def test_chains_stay_one_hop_and_a_slug_can_come_back(
    sessions: sessionmaker[Session],
) -> None:
    service, queries = RedirectService(sessions), RedirectQueries(sessions)
    service.record("institution", "amc", "amsterdam-umc", "merge")
    service.record("institution", "vumc", "amsterdam-umc", "merge")
    assert queries.target("institution", "amc") == "amsterdam-umc"
    assert queries.target("panel", "amc") is None  # redirects are per kind
    service.record("institution", "amsterdam-umc", "amsterdam-umc-2")
    # Every former slug now points straight at the newest one.
    targets = {(r.old_slug, r.new_slug) for r in queries.all()}
    assert targets == {
        ("amc", "amsterdam-umc-2"),
        ("vumc", "amsterdam-umc-2"),
        ("amsterdam-umc", "amsterdam-umc-2"),
    }
    # Renamed back: the old slug is live again and no longer redirects.
    service.record("institution", "amsterdam-umc-2", "amsterdam-umc")
    assert queries.target("institution", "amsterdam-umc") is None
    assert queries.target("institution", "amc") == "amsterdam-umc"
    assert queries.target("institution", "amsterdam-umc-2") == "amsterdam-umc"


def test_bad_redirects_are_rejected_with_every_reason(sessions: sessionmaker[Session]) -> None:
    service = RedirectService(sessions)
    with pytest.raises(InputRejected) as caught:
        service.record("spaceship", "Bad Slug!", "bad-slug", "moved")
    reasons = " | ".join(p.reason for p in caught.value.problems)
    assert "kind must be one of" in reasons
    assert "reason must be one of" in reasons
    assert "'Bad Slug!' is not a slug" in reasons
    with pytest.raises(InputRejected, match="cannot record"):
        service.record("panel", "same", "same")
    assert RedirectQueries(sessions).all() == ()


@pytest.fixture
def moved_client(loaded, tmp_path: Path):
    """The loaded catalogue, copied so that this test may add redirects to it."""
    from web.app import create_app

    src = Path(loaded.settings.database_url.removeprefix("sqlite:///"))
    copy = tmp_path / "catalogue.sqlite3"
    # The backup API includes what is still in the write-ahead log; a file copy would not.
    with closing(sqlite3.connect(src)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    settings = dataclasses.replace(loaded.settings, database_url=f"sqlite:///{copy}")
    sessions = make_session_factory(make_engine(settings.database_url))
    with TestClient(create_app(settings, search=loaded.engine), follow_redirects=False) as c:
        yield c, sessions


def test_old_slug_redirects_permanently_in_both_languages(moved_client) -> None:
    client, sessions = moved_client
    kind, slug = next(k for k in entity_slugs(sessions) if k[0] == "institution")
    RedirectService(sessions).record(kind, "old-name-of-it", slug)
    r = client.get("/nl/instelling/old-name-of-it")
    assert r.status_code == 301
    assert r.headers["location"] == f"/nl/instelling/{slug}"
    r = client.get("/en/institution/old-name-of-it?x=1")
    assert r.status_code == 301
    assert r.headers["location"] == f"/en/institution/{slug}?x=1"
    assert client.get(f"/en/institution/{slug}").status_code == 200
    # A slug nobody ever used is still a 404 that offers search.
    r = client.get("/nl/instelling/never-existed")
    assert r.status_code == 404
    assert 'role="search"' in r.text
