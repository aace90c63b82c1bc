"""Many nodes, one catalogue (issue 14, point 3): two real server processes, each with its
own state directory and embedded index, on one PostgreSQL database.

An editor publishes on node A; a visitor searching on node B finds the change within
seconds, and B's page (from its page cache before) shows it. Editor sessions, the
login limit and the report limit live in the database, so they hold across nodes.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from directory.conditions.services import CatalogueService
from directory.db import make_engine, make_session_factory
from directory.editorial.corrections import EDITOR_CORRECTIONS
from directory.editorial.services import EditorialService
from tests.support.databases import pg_copy
from tests.support.editor import PASSWORD, csrf_of, form_values, login
from tests.support.serve import free_port, start_serve

pytestmark = pytest.mark.postgres

TERM = "knooppuntchordoomterm"  # a word nothing in the catalogue contains
CONDITION = "/nl/aandoening/178"


def _until(check: Callable[[], bool], seconds: float, what: str) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, f"timed out waiting for {what}"
        time.sleep(0.1)
    return time.monotonic() - started


@dataclass
class Node:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, follow_redirects=False, timeout=30)

    def ready(self) -> bool:
        assert self.proc.poll() is None, self.log.read_text()[-3000:]
        try:
            return httpx.get(self.base + "/readyz", timeout=5).status_code == 200
        except httpx.TransportError:
            return False


@pytest.fixture(scope="module")
def nodes(
    pg_server: str, pg_full_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Node, Node]]:
    """Two nodes for the tests of this module (starting them, each building its own index,
    is most of their time). The tests use other accounts, so their order does not matter."""
    tmp_path = tmp_path_factory.mktemp("nodes")
    url = pg_copy(pg_server, pg_full_template)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    editorial = EditorialService(sessions, CatalogueService(sessions, EDITOR_CORRECTIONS))
    editorial.add_user("eddie@example.org", "Eddie Editor", "editor", PASSWORD)
    editorial.add_user("rita@example.org", "Rita Reviewer", "reviewer", PASSWORD)
    editorial.add_user("lars@example.org", "Lars Limit", "editor", PASSWORD)
    editorial.add_user("lena@example.org", "Lena Limit", "reviewer", PASSWORD)
    engine.dispose()
    started: list[Node] = []
    for name in ("a", "b"):
        state = tmp_path / name
        state.mkdir()
        port = free_port()
        env = {
            **os.environ,
            "EXW_DATABASE_URL": url,
            "EXW_VAR_DIR": str(state),
            "EXW_SEARCH_INDEX_PATH": str(state / "search-index.sqlite3"),
            "EXW_SECRET_KEY": "shared-by-every-node-" + "s" * 32,
            "EXW_BASE_URL": "http://127.0.0.1",
        }
        log = tmp_path / f"node-{name}.log"
        started.append(Node(name, start_serve(log, env, "--port", str(port)), port, log))
    try:
        for node in started:  # each builds its own index at start-up
            _until(node.ready, 240, f"node {node.name} to be ready")
        yield started[0], started[1]
    finally:
        for node in started:
            node.proc.terminate()
        for node in started:
            try:
                node.proc.wait(30)
            except subprocess.TimeoutExpired:
                node.proc.kill()
                node.proc.wait()


def _finds(client: httpx.Client, term: str, href: str) -> bool:
    r = client.get("/nl/zoeken", params={"q": term})
    assert r.status_code == 200
    return f'href="{href}"' in r.text


def test_a_publish_on_one_node_reaches_the_other(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    with a.client() as on_a, b.client() as on_b, b.client() as visitor_b:
        before = visitor_b.get(CONDITION)  # B keeps the page in its cache
        assert before.status_code == 200
        assert TERM not in before.text
        assert not _finds(visitor_b, TERM, CONDITION)

        # The editor logs in on A; the session works on B too (it is in the database).
        assert login(on_a, "nl", "eddie@example.org").status_code == 303
        on_b.cookies.update(on_a.cookies)
        dashboard = on_b.get("/nl/redactie")
        assert dashboard.status_code == 200, dashboard.headers.get("location")
        assert "Eddie Editor" in dashboard.text

        url = "/nl/redactie/bewerken/aandoening/178"
        data = form_values(on_a.get(url).text, url)
        data["synonyms_nl"] = (data["synonyms_nl"] + "\n" + TERM).strip()
        data["reason"] = "Term uit de richtlijn"
        r = on_a.post(url, data=data)
        assert r.status_code == 303
        draft_url = r.headers["location"].split("?")[0]

    # The reviewer approves on A: published there.
    with a.client() as reviewer:
        assert login(reviewer, "nl", "rita@example.org").status_code == 303
        page = reviewer.get(draft_url)
        r = reviewer.post(draft_url, data={"csrf_token": csrf_of(page.text), "action": "approve"})
        assert r.status_code == 303
        assert "done=published" in r.headers["location"]
    published = time.monotonic()

    # On B: the page at once (its cache emptied when the version was announced), and
    # search once B has rebuilt its own index.
    with b.client() as visitor_b:
        _until(lambda: TERM in visitor_b.get(CONDITION).text, 10, "the page on B")
        _until(lambda: _finds(visitor_b, TERM, CONDITION), 120, "search on B")
        took = time.monotonic() - published
        assert visitor_b.get("/readyz").json()["checks"]["index"] == "ok"
    with a.client() as visitor_a:
        _until(lambda: _finds(visitor_a, TERM, CONDITION), 120, "search on A")
    print(f"publish on A -> found by search on B after {took:.1f} s")


def test_login_and_report_limits_hold_across_nodes(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    # Failed logins for one account on A: B refuses even the right password.
    with a.client() as on_a:
        for _ in range(5):  # RateLimitPolicy.per_account
            r = login(on_a, "en", "lars@example.org", "wrong password")
            assert r.status_code == 400
    with b.client() as on_b:
        assert login(on_b, "en", "lars@example.org").status_code == 429
    # Another account is not affected.
    with b.client() as on_b:
        assert login(on_b, "en", "lena@example.org").status_code == 303

    # Reports: five from one address on A, the sixth on B is refused.
    with a.client() as on_a:
        for i in range(5):  # ReportLimitPolicy.per_client
            r = on_a.post("/en/report-an-error", data={"page": "/en/", "message": f"typo {i}"})
            assert r.status_code == 303
    with b.client() as on_b:
        r = on_b.post("/en/report-an-error", data={"page": "/en/", "message": "one more"})
        assert r.status_code == 429
