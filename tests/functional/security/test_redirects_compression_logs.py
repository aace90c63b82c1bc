"""D14 (Host header in redirects), D16 (compressed editor pages), D15 (search text in logs)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from tests.support.editor import Site, login


def test_trailing_slash_redirect_ignores_the_host_header(any_site: Site) -> None:
    r = any_site.client.get("/nl/zoeken/?q=sarcoom", headers={"host": "evil.example"})
    assert r.status_code == 307
    assert r.headers["location"] == "/nl/zoeken?q=sarcoom"
    r = any_site.client.get("/en/search", headers={"host": "evil.example"})
    assert r.status_code == 200


@pytest.mark.parametrize("path", ["//evil.example/", "/%5Cevil.example/", "//nl/zoeken/"])
def test_no_slash_redirect_leaves_the_site(any_site: Site, path: str) -> None:
    r = any_site.client.get("http://testserver" + path)
    assert r.status_code == 404
    assert "location" not in r.headers


def test_editor_pages_are_not_compressed_public_pages_are(any_site: Site) -> None:
    assert login(any_site.client, "nl", "eddie@example.org").status_code == 303
    gzip = {"accept-encoding": "gzip"}
    r = any_site.client.get("/nl/redactie/catalogus?kind=institution&q=abc", headers=gzip)
    assert r.status_code == 200
    assert len(r.content) > 1000  # large enough that it would be compressed
    assert "content-encoding" not in r.headers
    r = any_site.client.get("/nl/redactie/inloggen", headers=gzip)
    assert "content-encoding" not in r.headers
    r = any_site.client.get("/nl/zoeken?q=sarcoom", headers=gzip)
    assert r.headers["content-encoding"] == "gzip"


def test_database_errors_do_not_quote_their_parameters(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(SQLAlchemyError) as caught, engine.connect() as con:
        con.execute(text("SELECT * FROM no_such_table WHERE x = :v"), {"v": "zzsecretq"})
    engine.dispose()
    assert "zzsecretq" not in str(caught.value)


def test_a_failed_zero_result_write_logs_no_search_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from web.api import _record_zero_result

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")  # no tables: the write fails
    service = CatalogueService(make_session_factory(engine), EDITOR_CORRECTIONS)
    with caplog.at_level(logging.WARNING):
        _record_zero_result(service, "xqzjvbkw zzlockedq", "xqzjvbkw zzlockedq")
    engine.dispose()
    assert "could not record a zero-result query" in caplog.text
    assert "zzlockedq" not in caplog.text
