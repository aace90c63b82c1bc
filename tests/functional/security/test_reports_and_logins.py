"""D7 (off-site report links), D9 (report limits per worker, forwarded headers), D10 (locking
an account from anywhere), D11 (password guessing on the account page), D12 (500 on a
held SQLite lock)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from config.settings import PROJECT_ROOT
from directory.accounts.report_limits import ReportAttempt
from directory.editorial.models import FeedbackReport
from tests.support.editor import PASSWORD, Site, csrf_of, login
from tests.support.security_fixtures import close_site, site_on


def _reports(site: Site) -> list[FeedbackReport]:
    with site.sessions() as s:
        return list(s.scalars(select(FeedbackReport).order_by(FeedbackReport.id)))


# -- D7 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/\\evil.example/x", "//evil.example/x", "/%5Cevil.example"])
def test_a_report_never_links_off_site(any_site: Site, page: str) -> None:
    r = any_site.client.get("/nl/fout-melden", params={"page": page})
    assert r.status_code == 200
    assert "evil.example" not in r.text
    r = any_site.client.post(
        "/nl/fout-melden", data={"page": page, "message": "this page is wrong"}
    )
    assert r.status_code == 303
    assert "evil" not in r.headers["location"]
    assert [rep.page_url for rep in _reports(any_site)] == ["/"]


def test_a_stored_off_site_page_is_not_a_link_for_editors(any_site: Site) -> None:
    with any_site.sessions() as s, s.begin():  # as stored before the fix
        s.add(
            FeedbackReport(
                lang="nl", page_url="/\\evil.example/x", message="look here", status="new"
            )
        )
    assert login(any_site.client, "nl", "eddie@example.org").status_code == 303
    queue = any_site.client.get("/nl/redactie/meldingen").text
    assert "/\\evil.example/x" in queue  # shown as text,
    assert 'href="/\\evil' not in queue  # never as a link


def test_a_report_about_a_real_page_keeps_it(any_site: Site) -> None:
    r = any_site.client.post(
        "/en/report-an-error", data={"page": "/en/condition/178?x=1", "message": "typo here"}
    )
    assert r.status_code == 303
    assert [rep.page_url for rep in _reports(any_site)] == ["/en/condition/178?x=1"]


# -- D9 ---------------------------------------------------------------------------------


def test_report_limits_are_shared_by_every_process(any_site: Site) -> None:
    from web.app import create_app

    other = create_app(any_site.settings, search=any_site.app.state.exw.search)  # a 2nd worker
    accepted = 0
    with TestClient(other, follow_redirects=False) as second:
        for n in range(10):
            client = any_site.client if n % 2 else second
            r = client.post("/en/report-an-error", data={"page": "/en/", "message": f"typo {n}"})
            accepted += r.status_code == 303
            assert r.status_code in (303, 429)
    other.state.exw.db_engine.dispose()
    assert accepted == 5
    assert len(_reports(any_site)) == 5
    with any_site.sessions() as s:  # no address is stored, only a keyed hash
        keys = {a.client_key for a in s.scalars(select(ReportAttempt))}
    assert len(keys) == 1
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)


def _serve(tmp_path: Path, site: Site, workers: int, **extra: str) -> tuple[subprocess.Popen, int]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {
        "PATH": "/usr/bin:/bin",
        "EXW_DATABASE_URL": site.settings.database_url,
        "EXW_SEARCH_INDEX_PATH": str(site.settings.search_index_path),
        "EXW_VAR_DIR": str(tmp_path),
        "EXW_SECRET_KEY": "k" * 48,
        "EXW_INDEX_CHECK_SECONDS": "0",
        **extra,
    }
    log = tmp_path / f"serve-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "expertisewijzer.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()[-2000:]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
    return proc, port


def _reports_sent(port: int, n: int) -> list[int]:
    statuses = []
    for i in range(n):
        with httpx.Client() as c:  # a new connection each time: both workers get some
            r = c.post(
                f"http://127.0.0.1:{port}/en/report-an-error",
                data={"page": "/en/", "message": f"rate limit test {i}"},
                headers={"x-forwarded-for": f"10.4.{i}.1"},
            )
        statuses.append(r.status_code)
    return statuses


@pytest.mark.parametrize("database", ["sqlite"])
def test_a_real_server_with_two_workers_ignores_x_forwarded_for(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    site = site_on(database, request, tmp_path)
    close_site(site)
    proc, port = _serve(tmp_path, site, workers=2)
    try:
        statuses = _reports_sent(port, 10)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses.count(303) == 5, statuses
    assert statuses.count(429) == 5, statuses


@pytest.mark.parametrize("database", ["sqlite"])
def test_forwarded_headers_are_believed_only_from_the_listed_proxies(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    site = site_on(database, request, tmp_path)
    close_site(site)
    proc, port = _serve(tmp_path, site, workers=1, EXW_FORWARDED_ALLOW_IPS="127.0.0.1")
    try:
        statuses = _reports_sent(port, 7)  # seven "different" clients behind the proxy
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses == [303] * 7


def test_the_forwarded_setting_is_checked() -> None:
    from config.settings import Settings, SettingsError
    from web.server import proxy_options

    assert proxy_options(Settings.from_env({}).forwarded_allow_ips) == {"proxy_headers": False}
    s = Settings.from_env({"EXW_FORWARDED_ALLOW_IPS": " 10.0.0.1, 10.1.0.0/16 "})
    assert proxy_options(s.forwarded_allow_ips) == {
        "proxy_headers": True,
        "forwarded_allow_ips": "10.0.0.1,10.1.0.0/16",
    }
    with pytest.raises(SettingsError, match="EXW_FORWARDED_ALLOW_IPS"):
        Settings.from_env({"EXW_FORWARDED_ALLOW_IPS": "proxy.example"})


# -- D10, D11 ---------------------------------------------------------------------------


def _login_with(client: TestClient, email: str, password: str) -> int:
    token = csrf_of(client.get("/nl/redactie/inloggen").text)
    r = client.post(
        "/nl/redactie/inloggen", data={"csrf_token": token, "email": email, "password": password}
    )
    return r.status_code


def test_failures_from_elsewhere_do_not_lock_out_a_known_browser(any_site: Site) -> None:
    owner = any_site.client
    assert _login_with(owner, "ada@example.org", PASSWORD) == 303  # this browser is now known
    owner.post(
        "/nl/redactie/uitloggen", data={"csrf_token": csrf_of(owner.get("/nl/redactie/").text)}
    )
    with TestClient(any_site.app, follow_redirects=False) as attacker:
        statuses = [_login_with(attacker, "ada@example.org", f"wrong{i}") for i in range(6)]
        assert statuses == [400] * 5 + [429]
        assert _login_with(attacker, "ada@example.org", PASSWORD) == 429  # locked for them
    assert _login_with(owner, "ada@example.org", PASSWORD) == 303  # not for its owner


def test_a_known_browser_has_a_limit_of_its_own(any_site: Site) -> None:
    c = any_site.client
    assert _login_with(c, "ada@example.org", PASSWORD) == 303
    c.post("/nl/redactie/uitloggen", data={"csrf_token": csrf_of(c.get("/nl/redactie/").text)})
    statuses = [_login_with(c, "ada@example.org", f"wrong{i}") for i in range(6)]
    assert statuses == [400] * 5 + [429]
    # Another account's mark does not count: a browser known for Ada is unknown for Rita.
    assert _login_with(c, "rita@example.org", PASSWORD) == 303


def test_password_guessing_on_the_account_page_is_limited(any_site: Site) -> None:
    assert login(any_site.client, "nl", "otto@example.org").status_code == 303
    token = csrf_of(any_site.client.get("/nl/redactie/account").text)
    statuses = []
    for i in range(7):
        r = any_site.client.post(
            "/nl/redactie/account",
            data={
                "csrf_token": token,
                "current_password": f"guess{i}-xxxxxxxx",
                "new_password": "another long password",
            },
        )
        statuses.append(r.status_code)
    assert statuses == [400] * 5 + [429] * 2
    assert int(r.headers["retry-after"]) > 0
    assert "Te vaak een verkeerd wachtwoord" in r.text
    r = any_site.client.post(
        "/nl/redactie/account",
        data={"csrf_token": token, "current_password": PASSWORD, "new_password": "x" * 20},
    )
    assert r.status_code == 429  # the right password too, until the window has passed


# -- D12 --------------------------------------------------------------------------------


def _hold_lock(db: Path, seconds: float, held: threading.Event) -> None:
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    held.set()
    time.sleep(seconds)
    con.execute("ROLLBACK")
    con.close()


def test_a_held_sqlite_lock_answers_503_with_retry_after(tmp_path: Path, loaded) -> None:
    from tests.support.editor import make_site

    site = make_site(loaded, tmp_path)
    db = Path(site.settings.database_url.removeprefix("sqlite:///"))
    with site.client as c:
        token = csrf_of(c.get("/en/editor/login").text)
        held = threading.Event()
        locker = threading.Thread(target=_hold_lock, args=(db, 8, held))
        locker.start()
        held.wait(5)
        with ThreadPoolExecutor(max_workers=2) as pool:
            report = pool.submit(
                c.post, "/en/report-an-error", data={"page": "/en/", "message": "locked db report"}
            )
            log_in = pool.submit(
                c.post,
                "/en/editor/login",
                data={"csrf_token": token, "email": "ada@example.org", "password": PASSWORD},
            )
            answers = [report.result(), log_in.result()]
        locker.join()
    for r in answers:
        assert r.status_code == 503
        assert r.headers["retry-after"] == "10"
        assert "content-security-policy" in r.headers
        assert "locked db report" not in r.text
    assert "The site is very busy" in answers[0].text
