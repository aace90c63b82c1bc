"""D6 and a reindex that cannot be lost: the index records the catalogue version it was
built from, and every server rebuilds an index older than the catalogue, at start-up
and on a timer. Also ``expertisewijzer doctor``."""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from config.settings import PROJECT_ROOT, Settings
from directory.catalogue_version import bump_version, current_version
from directory.conditions.queries import CatalogueQueries
from expertisewijzer import cli
from expertisewijzer.doctor import (
    check_index,
    check_settings,
    check_temporary_files,
    run_checks,
    settings_differences,
)
from search.engine import SearchQuery
from search.engines.embedded import EmbeddedEngine
from search.reindex import Reindexer
from tests.support.editor import Site, copy_sqlite
from tests.support.security_fixtures import close_site, site_on
from tests.support.serve import free_port, start_serve, wait_until_answers

WORD = "kraakbeenknobbeltje"  # in no Orphanet name, definition or lay term


def _publish_summary(site: Site, word: str = WORD) -> None:
    """An editor's summary of ORPHA:178 with ``word``, approved by a reviewer."""
    service = site.state.service
    token = service.entity_form("condition", "178").token
    draft = service.save_draft(
        site.team.editor.id,
        "condition",
        "178",
        "update",
        {"summary_nl": f"Een chordoom is een zeldzaam {word} in de schedel."},
        token,
        "summary for patients",
    )
    service.approve(draft, site.team.reviewer.id)


def _finds(engine: Any, word: str = WORD) -> bool:
    hits = engine.search(SearchQuery(word, lang="nl", kinds=("condition",))).hits
    return [h.entity_id for h in hits] == ["178"]


@pytest.fixture
def own_index(loaded, tmp_path: Path) -> Path:
    index = tmp_path / "own-index.sqlite3"
    copy_sqlite(loaded.engine.path, index)
    return index


def test_publishing_raises_the_catalogue_version(any_site: Site) -> None:
    before = current_version(any_site.sessions)
    assert before > 0
    _publish_summary(any_site)
    assert current_version(any_site.sessions) == before + 1


def test_a_rebuild_lost_after_a_publish_is_made_up_for_at_start_up(
    database: str, request: pytest.FixtureRequest, tmp_path: Path, own_index: Path
) -> None:
    from web.app import create_app

    site = site_on(database, request, tmp_path, search=EmbeddedEngine(own_index))
    with site.client:
        # The server dies right after the commit: its background rebuild never happens.
        site.state.service.on_published = None
        _publish_summary(site)
        published = current_version(site.sessions)
    close_site(site)
    assert not _finds(EmbeddedEngine(own_index))
    # The server starts again, on the same database and index.
    app = create_app(site.settings)
    with TestClient(app) as client:
        assert app.state.editor.reindex.wait(120)
        assert app.state.editor.reindex.last_error is None
        found = client.get("/api/search", params={"q": WORD}).json()
        assert found["total"] == 1
    app.state.exw.db_engine.dispose()
    assert EmbeddedEngine(own_index).catalogue_version() == published


def test_every_server_catches_up_on_a_timer(
    database: str, request: pytest.FixtureRequest, tmp_path: Path, own_index: Path
) -> None:
    """A change published elsewhere (another server, the CLI) reaches this server's index."""
    from web.app import create_app

    site = site_on(database, request, tmp_path, search=EmbeddedEngine(own_index))
    settings = dataclasses.replace(site.settings, index_check_seconds=1)
    app = create_app(settings)
    with TestClient(app) as client, site.client:
        assert app.state.editor.reindex.wait(60)
        assert app.state.editor.reindex.rebuilds == 0  # current at start-up: no rebuild
        site.state.service.on_published = None  # "another server" publishes
        _publish_summary(site)
        deadline = time.monotonic() + 60
        while client.get("/api/search", params={"q": WORD}).json()["total"] != 1:
            assert time.monotonic() < deadline, "the timer did not rebuild the index"
            time.sleep(0.3)
        assert app.state.editor.reindex.wait(60)
        assert app.state.editor.reindex.rebuilds == 1
    app.state.exw.db_engine.dispose()
    close_site(site)


def test_a_rebuild_reads_the_version_before_the_documents(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    engine = EmbeddedEngine(tmp_path / "index.sqlite3")
    queries = CatalogueQueries(sessions)
    reads: list[int] = []

    def versions() -> int:
        with sessions() as s, s.begin():
            now = current_version(sessions)
            reads.append(now)
            if len(reads) == 1:
                bump_version(s)  # a publish right after the version was read
        return now

    reindex = Reindexer(engine, queries, versions=versions, lock_path=tmp_path / "lock")
    reindex.rebuild_now()
    assert engine.catalogue_version() == reads[0]  # the older one: never claims newer
    assert reindex.owed()  # so the next check rebuilds again
    assert reindex.check()
    assert reindex.wait(60)
    assert not reindex.owed()


def test_a_waiting_process_does_not_rebuild_what_another_just_rebuilt(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    index, lock = tmp_path / "index.sqlite3", tmp_path / "reindex.lock"
    queries = CatalogueQueries(sessions)
    versions = lambda: current_version(sessions)  # noqa: E731
    first = Reindexer(EmbeddedEngine(index), queries, versions=versions, lock_path=lock)
    second = Reindexer(EmbeddedEngine(index), queries, versions=versions, lock_path=lock)
    second.request()  # both were told to rebuild; the first gets there first
    first.rebuild_now()
    assert second.wait(60)
    assert first.rebuilds + second.rebuilds in (1, 2)
    second.request()
    assert second.wait(60)
    assert second.rebuilds <= 1  # the index was current: nothing to do


# -- the CLI ----------------------------------------------------------------------------------


def _env(monkeypatch: pytest.MonkeyPatch, site: Site, index: Path) -> None:
    monkeypatch.setenv("EXW_DATABASE_URL", site.settings.database_url)
    monkeypatch.setenv("EXW_SEARCH_INDEX_PATH", str(index))
    monkeypatch.setenv("EXW_VAR_DIR", str(site.settings.var_dir))
    monkeypatch.setenv("EXW_SECRET_KEY", "k" * 48)


def test_index_records_the_catalogue_version_and_doctor_agrees(
    any_site: Site,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    index = tmp_path / "cli-index.sqlite3"
    _env(monkeypatch, any_site, index)
    assert cli.main(["doctor"]) == 1
    assert "index: the embedded index has no documents" in capsys.readouterr().out
    assert cli.main(["index"]) == 0
    version = current_version(any_site.sessions)
    assert f"at catalogue version {version}" in capsys.readouterr().out
    assert EmbeddedEngine(index).catalogue_version() == version
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert f"ok       index: the embedded index matches catalogue version {version}" in out
    assert out.rstrip().endswith("everything is in order")
    any_site.state.service.on_published = None
    _publish_summary(any_site)
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert f"built from catalogue version {version}, the catalogue is at {version + 1}" in out


def test_doctor_names_each_problem(
    any_site: Site,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.unit.directory.test_migrations import config

    index = tmp_path / "index.sqlite3"
    _env(monkeypatch, any_site, index)
    assert cli.main(["index"]) == 0
    monkeypatch.delenv("EXW_SECRET_KEY")
    monkeypatch.setenv("EXW_DEBUG", "1")
    (tmp_path / "index.sqlite3.new-999999999-1").write_bytes(b"x" * 10)
    (tmp_path / f"index.sqlite3.new-{os.getpid()}-1").write_bytes(b"x")  # a rebuild running
    from alembic import command

    command.downgrade(config(any_site.settings.database_url), "0010_proposed_summaries")
    capsys.readouterr()
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM  settings: EXW_SECRET_KEY is not set" in out
    assert "PROBLEM  settings: EXW_DEBUG is on" in out
    assert (
        "PROBLEM  migrations: the database is at 0010_proposed_summaries, "
        "the code at 0400_english_slugs" in out
    )
    assert "PROBLEM  temporary files: 1 index file(s) left by stopped rebuilds" in out
    assert "index.sqlite3.new-999999999-1" in out
    assert f"new-{os.getpid()}-1" not in out


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_doctor_when_nothing_can_be_reached(tmp_path: Path) -> None:
    port = _closed_port()
    settings = Settings.from_env(
        {
            "EXW_DATABASE_URL": f"postgresql+psycopg://exw:hunter2@127.0.0.1:{port}/x",
            "EXW_SEARCH_ENGINE": "meilisearch",
            "MEILISEARCH_URL": f"http://127.0.0.1:{port}",
            "EXW_MEILISEARCH_TIMEOUT": "2",
            "EXW_VAR_DIR": str(tmp_path),
            "EXW_SECRET_KEY": "k" * 48,
        }
    )
    findings = {f.check: f for f in run_checks(settings)}
    assert not findings["database"].ok
    assert "cannot be reached" in findings["database"].message
    assert "hunter2" not in findings["database"].message  # the password is never shown
    assert not findings["meilisearch"].ok
    assert "is not reachable" in findings["meilisearch"].message


def test_doctor_settings_checks() -> None:
    ok = Settings.from_env({"EXW_SECRET_KEY": "k" * 48})
    assert [f.ok for f in check_settings(ok)] == [True]
    short = Settings.from_env({"EXW_SECRET_KEY": "short", "EXW_HOST": "0.0.0.0"})
    messages = [f.message for f in check_settings(short)]
    assert any("shorter than 32" in m for m in messages)
    assert any("EXW_BASE_URL is the default" in m for m in messages)


def test_doctor_compares_the_index_with_the_catalogue(tmp_path: Path) -> None:
    settings = Settings.from_env({})

    class Index:
        def __init__(self, count: int, version: int | None) -> None:
            self._count, self._version = count, version

        def count(self) -> int:
            return self._count

        def catalogue_version(self) -> int | None:
            return self._version

    def says(index: Index, catalogue: int | None) -> tuple[bool, str]:
        (found,) = check_index(settings, index, catalogue)
        return found.ok, found.message

    assert says(Index(10, 7), 7)[0]
    assert "no documents" in says(Index(0, None), 7)[1]
    assert "records no catalogue version" in says(Index(10, None), 7)[1]
    assert "built from catalogue version 6, the catalogue is at 7" in says(Index(10, 6), 7)[1]
    assert "newer than the catalogue" in says(Index(10, 8), 7)[1]
    assert check_temporary_files(tmp_path / "none.sqlite3")[0].ok


def test_meilisearch_settings_are_compared_as_the_server_returns_them() -> None:
    from search.engines.meilisearch_index import index_settings

    expected = index_settings()
    # The server answers every setting, with its defaults, and sets in its own order.
    actual: dict[str, Any] = {
        **expected,
        "filterableAttributes": list(reversed(expected["filterableAttributes"])),
        "stopWords": list(reversed(expected["stopWords"])),
        "synonyms": {k: list(reversed(v)) for k, v in expected["synonyms"].items()},
        "typoTolerance": {**expected["typoTolerance"], "disableOnWords": []},
        "proximityPrecision": "byWord",
        "searchCutoffMs": None,
    }
    assert settings_differences(expected, actual) == []
    wrong = {
        **actual,
        "rankingRules": list(reversed(expected["rankingRules"])),
        "typoTolerance": {**expected["typoTolerance"], "enabled": False},
    }
    wrong.pop("distinctAttribute")
    differences = settings_differences(expected, wrong)
    assert len(differences) == 3
    assert any(d.startswith("rankingRules: expected") for d in differences)
    assert any(d.startswith("typoTolerance.enabled: expected true") for d in differences)
    assert any(
        d.startswith('distinctAttribute: expected "entity", found null') for d in differences
    )


def test_meilisearch_keeps_the_catalogue_version_apart_from_the_index() -> None:
    from meilisearch.errors import MeilisearchError

    from search.engines.meilisearch import MeilisearchEngine

    class Task:
        task_uid = 1
        status = "succeeded"
        error = None

    class FakeIndex:
        def __init__(self, store: dict[str, dict[str, Any]], uid: str) -> None:
            self.store, self.uid = store, uid

        def add_documents(self, docs: list[dict[str, Any]], primary_key: str) -> Task:
            for d in docs:
                self.store.setdefault(self.uid, {})[str(d[primary_key])] = d
            return Task()

        def get_document(self, doc_id: str) -> dict[str, Any]:
            try:
                return self.store[self.uid][doc_id]
            except KeyError:
                raise MeilisearchError("no such document") from None

    class FakeClient:
        def __init__(self) -> None:
            self.store: dict[str, dict[str, Any]] = {}

        def index(self, uid: str) -> FakeIndex:
            return FakeIndex(self.store, uid)

        def wait_for_task(self, uid: int, **_kw: Any) -> Task:
            return Task()

    client = FakeClient()
    engine = MeilisearchEngine(client, "exw")  # type: ignore[arg-type]
    assert engine.catalogue_version() is None
    engine._write_catalogue_version(12)
    assert engine.catalogue_version() == 12
    assert set(client.store) == {"exw-catalogue"}  # never a document of the live index


# -- a real server: a change published by another process reaches it on the timer -------------


def test_a_real_server_picks_up_a_change_made_by_the_cli(
    database: str, request: pytest.FixtureRequest, tmp_path: Path, own_index: Path
) -> None:
    site = site_on(database, request, tmp_path, search=EmbeddedEngine(own_index))
    close_site(site)
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "EXW_DATABASE_URL": site.settings.database_url,
        "EXW_SEARCH_INDEX_PATH": str(own_index),
        "EXW_VAR_DIR": str(tmp_path),
        "EXW_SECRET_KEY": "k" * 48,
        "EXW_INDEX_CHECK_SECONDS": "1",
    }
    log = tmp_path / "serve.log"
    proc = start_serve(log, env, "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(proc, log, base + "/healthz")
        names = tmp_path / "dutch_names.csv"
        original = (PROJECT_ROOT / "data" / "curated" / "dutch_names.csv").read_text("utf-8")
        names.write_text(
            original.replace("178,Chordoma,Chordoom,", f"178,Chordoma,Chordoom,{WORD}"), "utf-8"
        )
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "expertisewijzer.cli",
                "import",
                "dutch-names",
                "--file",
                str(names),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 60
        while httpx.get(base + "/api/search", params={"q": WORD}, timeout=5).json()["total"] < 1:
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_check_can_be_turned_off_for_benchmarks(
    any_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A benchmark serves an index it made (perhaps synthetic): with 0 nothing replaces it."""
    from search.engine import SearchDocument
    from web.app import create_app

    index = tmp_path / "synthetic.sqlite3"
    EmbeddedEngine(index).rebuild([SearchDocument("condition:1", "condition", "1", "x", "x")])
    settings = dataclasses.replace(
        any_site.settings, search_index_path=index, index_check_seconds=0
    )
    app = create_app(settings)
    with TestClient(app) as client:
        assert app.state.editor.reindex.wait(5)
        assert client.get("/healthz").json()["documents"] == 1
    app.state.exw.db_engine.dispose()
    assert app.state.editor.reindex.rebuilds == 0


def test_a_check_that_cannot_read_a_version_waits_for_the_next_one(
    sessions: sessionmaker[Session], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Unreachable(EmbeddedEngine):
        def catalogue_version(self) -> int | None:
            raise ConnectionError("the search server is down")

    reindex = Reindexer(
        Unreachable(tmp_path / "index.sqlite3"),
        CatalogueQueries(sessions),
        versions=lambda: current_version(sessions),
    )
    assert reindex.check() is False
    assert "cannot compare the search index with the catalogue: ConnectionError" in caplog.text
