"""D1: request bodies are limited while they arrive, per route, chunked or not.

The review made the server read a 300 MB chunked upload without a session (then
403), and parse 97 MB posted to the login and report forms. Here the app is
called directly with a body that is generated as it is asked for, so the tests
see how many bytes it read before it answered; and a real server is sent 300 MB.
"""

from __future__ import annotations

import contextlib
import re
import socket
import time
from pathlib import Path

import pytest

from tests.support.asgi import post_body
from tests.support.editor import Site, csrf_of, login
from tests.support.security_fixtures import close_site, site_on
from tests.support.serve import free_port, start_serve, wait_until_answers

MB = 1024 * 1024
KB = 1024
CHUNK = b"a" * (64 * KB)
MULTIPART = "multipart/form-data; boundary=X"
URLENCODED = "application/x-www-form-urlencoded"


@pytest.fixture
def site(database: str, request: pytest.FixtureRequest, tmp_path: Path):
    s = site_on(database, request, tmp_path, env={"EXW_UPLOAD_MAX_MB": "2"})
    with s.client:
        yield s
    close_site(s)


def _session_cookie(site: Site, email: str) -> str:
    assert login(site.client, "nl", email).status_code == 303
    return "; ".join(f"{k}={v}" for k, v in site.client.cookies.items())


@pytest.mark.parametrize("path", ["/nl/redactie/imports/uploaden", "/en/editor/edit/panel/x"])
def test_no_session_no_body_read(site: Site, path: str) -> None:
    # 300 MB chunked, as in the review: refused on the headers alone.
    a = post_body(site.app, path, chunk=CHUNK, chunks=300 * 16, headers={"content-type": MULTIPART})
    assert a.status == 403
    assert a.pulled == 0
    assert a.headers["connection"] == "close"  # the rest is never read either


@pytest.mark.parametrize("path", ["/nl/redactie/inloggen", "/en/report-an-error"])
@pytest.mark.parametrize("chunked", [True, False])
def test_login_and_report_forms_take_at_most_64_kb(site: Site, path: str, chunked: bool) -> None:
    a = post_body(
        site.app,
        path,
        chunk=CHUNK,
        chunks=97 * 16,  # 97 MB, as in the review
        headers={"content-type": URLENCODED},
        chunked=chunked,
    )
    assert a.status == 413
    assert a.headers["connection"] == "close"
    assert "content-security-policy" in a.headers
    assert a.pulled <= 64 * KB + len(CHUNK)
    if not chunked:
        assert a.pulled == 0  # a declared length is refused before reading


def test_an_editor_form_takes_at_most_2_mb(site: Site) -> None:
    cookie = _session_cookie(site, "eddie@example.org")
    field = b"&f=" + b"a" * (len(CHUNK) - 3)  # many fields, each within the parser's limit
    a = post_body(
        site.app,
        "/en/editor/edit/condition/319",
        chunk=field,
        chunks=10 * 16,
        headers={"content-type": URLENCODED},
        cookie=cookie,
    )
    assert a.status == 413
    assert b"Too much data" in a.body
    assert 2 * MB <= a.pulled <= 2 * MB + len(CHUNK)


def test_an_upload_takes_at_most_its_limit(site: Site) -> None:
    cookie = _session_cookie(site, "eddie@example.org")
    a = post_body(
        site.app,
        "/en/editor/imports/upload",
        prefix=b'--X\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n',
        chunk=CHUNK,
        chunks=300 * 16,
        headers={"content-type": MULTIPART},
        cookie=cookie,
    )
    assert a.status == 413
    # EXW_UPLOAD_MAX_MB=2 here, plus 1 MB for the rest of the form.
    assert 3 * MB <= a.pulled <= 3 * MB + len(CHUNK)
    assert site.state.uploads.waiting() == ()  # nothing was stored
    assert not list(site.settings.var_dir.glob("upload-*"))


def test_a_body_within_the_limit_still_works(site: Site) -> None:
    cookie = _session_cookie(site, "eddie@example.org")
    token = csrf_of(site.client.get("/en/editor/").text)
    body = f"csrf_token={token}&kind=condition".encode()
    a = post_body(
        site.app,
        "/en/editor/logout",
        chunk=body,
        chunks=1,
        headers={"content-type": URLENCODED},
        cookie=cookie,
    )
    assert a.status == 303
    assert "connection" not in a.headers


# -- a real server -----------------------------------------------------------------------


def _send_until_answered(port: int, head: bytes, total: int) -> tuple[bytes, int, float]:
    """Send ``head`` and then ``total`` body bytes chunked until the server answers."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * KB)
    s.sendall(head)
    piece = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
    sent, answer = 0, b""
    started = time.monotonic()
    s.setblocking(False)
    try:
        while sent < total and not answer:
            with contextlib.suppress(BlockingIOError):
                answer = s.recv(4096)
            try:
                s.send(piece)
                sent += len(CHUNK)
            except BlockingIOError:
                time.sleep(0.001)
            except (BrokenPipeError, ConnectionResetError):
                break
        s.setblocking(True)
        s.settimeout(30)
        while b"\r\n\r\n" not in answer:
            more = s.recv(4096)
            if not more:
                break
            answer += more
    finally:
        s.close()
    return answer, sent, time.monotonic() - started


def test_a_real_server_answers_a_300_mb_chunked_upload_at_once(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    s = site_on(database, request, tmp_path)
    close_site(s)
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "EXW_DATABASE_URL": s.settings.database_url,
        "EXW_SEARCH_INDEX_PATH": str(s.settings.search_index_path),
        "EXW_VAR_DIR": str(tmp_path),
        "EXW_SECRET_KEY": "k" * 48,
        "EXW_INDEX_CHECK_SECONDS": "0",
    }
    log = tmp_path / "serve.log"
    proc = start_serve(log, env, "--port", str(port))
    try:
        wait_until_answers(proc, log, f"http://127.0.0.1:{port}/healthz")
        head = (
            b"POST /nl/redactie/imports/uploaden HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=X\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        answer, sent, seconds = _send_until_answered(port, head, 300 * MB)
        assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
        assert re.search(rb"(?i)\r\nconnection: close\r\n", answer)
        assert sent < 32 * MB  # what the sockets' buffers took before the answer came
        assert seconds < 10
        head = (
            b"POST /nl/redactie/inloggen HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        answer, sent, seconds = _send_until_answered(port, head, 97 * MB)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent < 32 * MB
    finally:
        proc.terminate()
        proc.wait(timeout=30)
