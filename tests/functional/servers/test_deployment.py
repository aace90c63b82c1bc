"""What a deployment relies on: ``/readyz`` (database, migrations at the head, the index
at the catalogue's version), the start-up warning about a default ``EXW_BASE_URL`` on a
public interface, and a graceful stop (docs/deployment.md)."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from config.settings import Settings, default_base_url_problem, is_loopback
from directory.catalogue_version import bump_version
from search.engines.embedded import EmbeddedEngine
from search.reindex import Reindexer
from tests.support.editor import Site, copy_sqlite, make_site
from tests.support.serve import free_port, start_serve, wait_until_answers
from web import server


def _close(s: Site) -> None:
    s.app.state.exw.db_engine.dispose()
    s.sessions.kw["bind"].dispose()


@pytest.fixture
def site(loaded, tmp_path: Path) -> Iterator[Site]:
    s = make_site(loaded, tmp_path, env={"EXW_CATALOGUE_POLL_SECONDS": "3600"})
    with s.client:
        yield s
    _close(s)


# -- /readyz -------------------------------------------------------------------------------


def test_ready_when_database_migrations_and_index_agree(client: TestClient) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "index": "ok"},
    }
    assert r.headers["cache-control"] == "no-store"


def test_not_ready_when_migrations_are_not_at_the_head(site: Site) -> None:
    with site.sessions() as s, s.begin():
        s.execute(text("UPDATE alembic_version SET version_num = '0200_security'"))
    r = site.client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["status"] == "not ready"
    assert r.json()["checks"]["migrations"] == "not at the head"


def test_not_ready_when_the_database_cannot_be_reached(loaded, tmp_path: Path) -> None:
    s = make_site(loaded, tmp_path)
    with s.client:
        # The database file goes away (a lost volume, a wrong path after a restore).
        Path(s.settings.database_url.removeprefix("sqlite:///")).unlink()
        s.app.state.exw.db_engine.dispose()
        (tmp_path / "catalogue.sqlite3").mkdir()  # not a database SQLite can open
        r = s.client.get("/readyz")
        assert r.status_code == 503
        assert r.json() == {"status": "not ready", "checks": {"database": "unreachable"}}
    _close(s)


def test_an_index_behind_the_catalogue(site: Site) -> None:
    """Behind and no rebuild asked for: not ready; behind while the last rebuild failed:
    not ready either."""
    with site.sessions() as s, s.begin():
        bump_version(s)
    r = site.client.get("/readyz")  # the site's reindexer here counts, reads no versions
    assert r.status_code == 503
    assert r.json()["checks"]["index"] == "older than the catalogue"
    site.state.reindex.last_error = "disk full"
    r = site.client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["checks"]["index"] == "older than the catalogue, and the last rebuild failed"


def test_an_index_being_rebuilt_after_a_publish_is_ready(loaded, tmp_path: Path) -> None:
    """A publish makes every node's index older for seconds: not a reason to leave the
    pool. The check asks for the rebuild itself when the node had not heard yet."""
    index = tmp_path / "index.sqlite3"
    copy_sqlite(loaded.engine.path, index)
    s = make_site(
        loaded,
        tmp_path,
        search=EmbeddedEngine(index),
        env={"EXW_CATALOGUE_POLL_SECONDS": "3600", "EXW_INDEX_CHECK_SECONDS": "0"},
    )
    with s.client:
        reindex = s.state.reindex
        assert isinstance(reindex, Reindexer)
        with s.sessions() as db, db.begin():
            latest = bump_version(db)
        r = s.client.get("/readyz")
        assert r.status_code == 200, r.json()
        assert r.json()["checks"]["index"].startswith("ok, a rebuild")
        assert reindex.wait(180)
        assert reindex.last_error is None
        assert s.state.reindex.rebuilds >= 1
        assert EmbeddedEngine(index).catalogue_version() == latest
        assert s.client.get("/readyz").json()["checks"]["index"] == "ok"
    _close(s)


def test_not_ready_with_an_empty_index(loaded, tmp_path: Path) -> None:
    s = make_site(loaded, tmp_path, search=EmbeddedEngine(tmp_path / "never-built.sqlite3"))
    with s.client:
        r = s.client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["checks"]["index"] == "empty"
    _close(s)


def test_not_ready_with_an_index_newer_than_the_catalogue(loaded, tmp_path: Path) -> None:
    """A database restored from an older backup under a newer index."""
    index = tmp_path / "index.sqlite3"
    copy_sqlite(loaded.engine.path, index)
    engine = EmbeddedEngine(index)
    built = engine.catalogue_version()
    assert built is not None
    engine.rebuild(list(engine_documents(loaded)), catalogue_version=built + 5)
    s = make_site(loaded, tmp_path, search=engine)
    with s.client:
        r = s.client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["checks"]["index"] == "newer than the catalogue"
    _close(s)


def engine_documents(loaded):  # type: ignore[no-untyped-def]
    from search.documents import all_documents

    return all_documents(loaded.queries)


# -- EXW_BASE_URL at start-up --------------------------------------------------------------


def test_default_base_url_on_a_public_interface_is_a_problem() -> None:
    default = "http://127.0.0.1:8000"
    assert default_base_url_problem(default, "0.0.0.0") is not None
    assert default_base_url_problem(default + "/", "192.0.2.7") is not None
    assert default_base_url_problem(default, "::") is not None
    for loopback in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert is_loopback(loopback)
        assert default_base_url_problem(default, loopback) is None
    assert default_base_url_problem("https://expertisewijzer.example", "0.0.0.0") is None


def test_serve_warns_about_a_default_base_url(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(server.uvicorn, "run", lambda *a, **kw: None)
    monkeypatch.setattr("web.app.create_app", lambda settings: object())
    caplog.set_level(logging.WARNING, logger="expertisewijzer.server")
    settings = Settings.from_env({})
    assert server.serve(settings, "0.0.0.0", 8000, 1) == 0
    assert any("EXW_BASE_URL is the default" in r.getMessage() for r in caplog.records)
    caplog.clear()
    server.serve(settings, "127.0.0.1", 8000, 1)
    public = Settings.from_env({"EXW_BASE_URL": "https://expertisewijzer.example"})
    server.serve(public, "0.0.0.0", 8000, 1)
    assert not [r for r in caplog.records if "EXW_BASE_URL" in r.getMessage()]


def test_a_real_server_warns_at_start_and_stops_gracefully(loaded, tmp_path: Path) -> None:
    """``expertisewijzer serve`` on all interfaces with the default base URL says so on
    its output, serves, and on SIGTERM finishes its work before it ends."""
    port = free_port()
    s = loaded.settings
    env = {
        **os.environ,
        "EXW_DATABASE_URL": s.database_url,
        "EXW_SEARCH_INDEX_PATH": str(s.search_index_path),
        "EXW_VAR_DIR": str(tmp_path),
        "EXW_SECRET_KEY": "k" * 48,
        "EXW_INDEX_CHECK_SECONDS": "0",  # the shared index is read-only here
    }
    env.pop("EXW_BASE_URL", None)
    log = tmp_path / "serve.log"
    proc = start_serve(log, env, "--host", "0.0.0.0", "--port", str(port))
    try:
        wait_until_answers(proc, log, f"http://127.0.0.1:{port}/readyz", every=0.1)
        proc.send_signal(signal.SIGTERM)
        # One process is plain uvicorn: it stops gracefully, then ends by the SIGTERM it
        # held back (systemd counts that as a clean stop); the supervisor exits 0.
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = log.read_text()
    assert "EXW_BASE_URL is the default (http://127.0.0.1:8000)" in output
    assert "listens on 0.0.0.0" in output
    assert "Waiting for application shutdown" in output  # uvicorn's graceful stop
    assert "Application shutdown complete" in output  # the lifespan's end ran
