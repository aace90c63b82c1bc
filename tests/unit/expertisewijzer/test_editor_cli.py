"""`expertisewijzer users ...` and `expertisewijzer links check` (never the internet)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import httpx
import pytest

from config.settings import Settings
from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.errors import InvalidCredentials
from directory.editorial.queries.editor_area import EditorialQueries
from directory.editorial.services import EditorialService
from expertisewijzer import cli
from expertisewijzer.cli_editor import cmd_links
from tests.support.editor import PASSWORD, copy_sqlite


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> str:
    monkeypatch.setenv("EXW_DATABASE_URL", database_url)
    monkeypatch.setenv("EXW_VAR_DIR", str(tmp_path))
    return database_url


def run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_users_add_list_set_role_disable(
    env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["users", "add", "Ada@Example.org", "--name", "Ada", "--role", "admin"]
    assert run(monkeypatch, [*argv, "--password-stdin"], PASSWORD + "\n") == 0
    assert "added ada@example.org (admin)" in capsys.readouterr().out
    # The same address again, and a short password: exit 1 with the reason.
    assert run(monkeypatch, [*argv, "--password-stdin"], PASSWORD + "\n") == 1
    assert "email: email_taken" in capsys.readouterr().err
    assert run(monkeypatch, ["users", "add", "b@example.org", "--password-stdin"], "short\n") == 1
    assert "password_too_short" in capsys.readouterr().err
    # Without a terminal and without --password-stdin nothing is asked or made.
    assert run(monkeypatch, ["users", "add", "c@example.org"]) == 2

    assert run(monkeypatch, ["users", "add", "eddie@example.org", "--password-stdin"],
               PASSWORD + "\n") == 0  # fmt: skip
    assert run(monkeypatch, ["users", "set-role", "eddie@example.org", "reviewer"]) == 0
    assert run(monkeypatch, ["users", "disable", "eddie@example.org"]) == 0
    capsys.readouterr()
    assert run(monkeypatch, ["users", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert "ada@example.org\tadmin\tactive\tAda" in listing
    assert "eddie@example.org\treviewer\tdisabled\teddie@example.org" in listing
    with pytest.raises(SystemExit):
        run(monkeypatch, ["users", "set-role", "eddie@example.org", "owner"])
    assert run(monkeypatch, ["users", "disable", "nobody@example.org"]) == 1
    # The last administrator stays.
    assert run(monkeypatch, ["users", "disable", "ada@example.org"]) == 1
    assert "last_admin" in capsys.readouterr().err

    engine = make_engine(env)
    sessions = make_session_factory(engine)
    service = EditorialService(sessions, CatalogueService(sessions, EDITOR_CORRECTIONS))
    with pytest.raises(InvalidCredentials):  # disabled
        service.login("eddie@example.org", PASSWORD, "127.0.0.1")
    assert service.login("ada@example.org", PASSWORD, "127.0.0.1").session.user.is_admin
    engine.dispose()


def test_links_check_with_an_injected_client(
    loaded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "catalogue.sqlite3"
    copy_sqlite(Path(loaded.settings.database_url.removeprefix("sqlite:///")), db)
    settings = Settings.from_env({"EXW_DATABASE_URL": f"sqlite:///{db}"})
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    queries = EditorialQueries(sessions, {})
    links = queries.outbound_links()
    assert len(links) > 20  # institutions, panels, working groups, ERNs ...
    urls = sorted({link.url for link in links})
    gone, unreachable, no_head = urls[0], urls[1], urls[2]
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        seen.append((request.method, url))
        if url.rstrip("/") == gone.rstrip("/"):
            return httpx.Response(404)
        if url.rstrip("/") == unreachable.rstrip("/"):
            raise httpx.ConnectError("connection refused", request=request)
        if url.rstrip("/") == no_head.rstrip("/") and request.method == "HEAD":
            return httpx.Response(405)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        assert cmd_links(settings, argparse.Namespace(action="check"), client=client) == 0
    out = capsys.readouterr().out
    assert f"checked {len(links)} links ({len(urls)} addresses): " in out
    # One request per address (plus the GET after a refused HEAD).
    assert len(seen) == len(urls) + 1
    assert ("GET", no_head) in seen or ("GET", no_head + "/") in seen

    broken = {link.url: link for link in queries.links(broken_only=True)}
    assert set(broken) == {gone, unreachable}
    assert broken[gone].status_code == 404
    assert broken[unreachable].status_code is None
    assert "ConnectError" in (broken[unreachable].error or "")
    assert queries.dashboard(0).broken_links  # shown on the editors' dashboard
    assert len(queries.links(broken_only=False)) == len(links)
    engine.dispose()
