"""The zero-result log: searches that found nothing, counted for the editors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from config.settings import Settings
from directory.conditions.services import CatalogueService
from directory.conditions.zero_results import zero_results
from directory.db import make_engine, make_session_factory
from expertisewijzer import cli
from search.engines.embedded import EmbeddedEngine
from tests.support.search import documents, gazetteer, run_async
from web.app import create_app


def test_counts_per_normalised_query(service: CatalogueService, sessions) -> None:  # type: ignore[no-untyped-def]  # conftest fixture
    t0 = dt.datetime(2026, 11, 1, 9, 0)
    service.record_zero_result("kanker piemel", "Kanker piemel", at=t0)
    service.record_zero_result("kanker piemel", "kanker  PIEMEL", at=t0 + dt.timedelta(hours=2))
    service.record_zero_result("xyz", "xyz", at=t0)
    service.record_zero_result("", "", at=t0)  # nothing to count
    rows = zero_results(sessions)
    assert [(r.normalised, r.count) for r in rows] == [("kanker piemel", 2), ("xyz", 1)]
    assert rows[0].first_seen == t0
    assert rows[0].last_seen == t0 + dt.timedelta(hours=2)
    assert rows[0].example == "kanker  PIEMEL"  # the latest as typed
    assert zero_results(sessions, limit=1) == rows[:1]


@pytest.fixture
def small_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, Settings]]:
    settings = Settings.from_env(
        {
            "EXW_DATABASE_URL": f"sqlite:///{tmp_path / 'catalogue.sqlite3'}",
            "EXW_SEARCH_INDEX_PATH": str(tmp_path / "index.sqlite3"),
            "EXW_VAR_DIR": str(tmp_path),
            "EXW_BASE_URL": "http://testserver",
        }
    )
    monkeypatch.setenv("EXW_DATABASE_URL", settings.database_url)
    assert cli.main(["db", "upgrade"]) == 0
    engine = EmbeddedEngine(settings.search_index_path, gazetteer())
    engine.rebuild(documents())
    with TestClient(create_app(settings, search=engine)) as client:
        yield client, settings


def test_the_api_logs_searches_without_results_and_only_those(
    small_site: tuple[TestClient, Settings],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client, settings = small_site
    for q in ("blorptumor", "  Blorptumor ", "BLORPTUMOR"):
        assert client.get("/api/search", params={"q": q}).json()["total"] == 0
    assert client.get("/nl/zoeken", params={"q": "blorp qwzx"}).status_code == 200
    assert client.get("/en/search", params={"q": "Blorptumor"}).status_code == 200
    assert client.get("/api/search", params={"q": "chondrosarcoom"}).json()["total"] > 0
    # With a filter or a later page, nothing found is expected, not a gap in the catalogue.
    client.get("/api/search", params={"q": "thymoom", "kind": "panel"})
    client.get("/api/search", params={"q": "zzzqqq", "offset": "10"})
    client.get("/api/search", params={"q": ""})
    sessions = make_session_factory(make_engine(settings.database_url))
    assert [(r.normalised, r.count) for r in zero_results(sessions)] == [
        ("blorptumor", 4),  # three from the API, one from the results page
        ("blorp qwzx", 1),
    ]

    monkeypatch.setenv("EXW_DATABASE_URL", settings.database_url)
    assert cli.main(["zero-results", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "blorptumor" in out
    assert out.split()[0] == "4"
    assert cli.main(["zero-results", "--limit", "0"]) == 2


@pytest.mark.parametrize("path", ["/api/search", "/nl/zoeken"])
def test_the_log_is_written_after_the_answer_has_been_sent(
    small_site: tuple[TestClient, Settings], path: str
) -> None:
    client, _settings = small_site
    app = client.app
    events: list[str] = []
    service = CatalogueService.__new__(CatalogueService)
    service.record_zero_result = lambda *a, **k: events.append("logged")  # type: ignore[method-assign]  # a probe
    app.state.exw_search_log = service  # type: ignore[attr-defined]  # the API's log service

    async def run() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"q=blorptumor",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("answered")

        await app(scope, receive, send)

    run_async(run)
    assert events == ["answered", "logged"]
