#!/usr/bin/env python3
"""Load and fault bench: the site under load while editors publish and the index is rebuilt,
then ``kill -9`` of a server, of ``expertisewijzer index`` and of ``expertisewijzer import``.

Builds the full bundled catalogue in a temporary directory (or copies one given with
``--catalogue``), starts a real ``expertisewijzer serve`` (``--workers`` processes) on
127.0.0.1, and prints two tables:

* **load**: ``--seconds`` of ``--concurrency`` keep-alive connections asking in turn the
  search API, results pages, condition pages and panel pages (varied), while an editor
  publishes through the editor area (log in, edit, a reviewer approves: the server
  rebuilds its index) every ``--publish-every`` seconds and ``expertisewijzer index``
  runs over and over beside the server. Per kind of page: requests, errors (any answer
  but 200, or a failed connection), p50/p95/p99 and requests per second; the
  publishes and index runs done; and whether the last published word is found by
  search once the server has caught up.
* **faults**: ``--kills`` rounds of each fault at a random moment: ``kill -9`` of the
  whole server (every process of it) while it serves and just after a publish, of
  ``expertisewijzer index`` while it rebuilds, of ``expertisewijzer import`` while it
  imports. After each, the server is (re)started if it was killed and ``/readyz`` is
  waited for, then ``expertisewijzer doctor`` runs; the row shows what doctor said. Then
  once more after ``expertisewijzer index`` (every rebuild removes the files killed
  rebuilds left): that final doctor must find nothing.

Exit status 0 when the load had no errors and every doctor after recovery found the
catalogue, the migrations and the index consistent. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import html as htmllib
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadgen import free_port, pct  # noqa: E402
from site_bench import QUERIES, build_catalogue  # noqa: E402

from config.settings import Settings  # noqa: E402
from directory.conditions.services import CatalogueService  # noqa: E402
from directory.db import make_engine, make_session_factory  # noqa: E402
from directory.editorial.corrections import EDITOR_CORRECTIONS  # noqa: E402
from directory.editorial.services import EditorialService  # noqa: E402
from directory.expertise.export import active_orphacodes  # noqa: E402
from directory.expertise.models import Panel  # noqa: E402
from directory.expertise.slugs import load_permalinks  # noqa: E402
from directory.paths import entity_path  # noqa: E402

CLI = [sys.executable, "-m", "expertisewijzer.cli"]
PASSWORD = "fault-bench-password-1"
EDITOR, REVIEWER = "editor@bench.invalid", "reviewer@bench.invalid"
CONDITION = "178"
EDIT_URL = f"/nl/redactie/bewerken/aandoening/{CONDITION}"
CONSISTENT = ("database", "migrations", "index")  # doctor's checks that must be ok


# -- the server ------------------------------------------------------------------------------


class Node:
    """``expertisewijzer serve`` in a session of its own, so that ``kill -9`` takes every
    process of it (the supervisor and its workers) at once."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready_within: float = 300) -> float:
        """Start and wait for ``/readyz``; the seconds that took."""
        started = time.monotonic()
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*CLI, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while time.monotonic() - started < ready_within:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server stopped: see {self.log}")
            try:
                if httpx.get(self.base + "/readyz", timeout=5).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# -- load --------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)


async def load(
    port: int, paths: list[tuple[str, str]], concurrency: int, seconds: float
) -> tuple[Tally, float]:
    """Keep-alive GETs of ``paths`` ((kind, path), in turn) for ``seconds``; a failed
    connection counts as an error and is opened again."""
    tally = Tally({k: [] for k, _ in paths}, {k: 0 for k, _ in paths})
    deadline = time.monotonic() + seconds
    counter = iter(range(10**12))

    async def client() -> None:
        reader = writer = None
        while time.monotonic() < deadline:
            kind, path = paths[next(counter) % len(paths)]
            t = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                assert reader is not None
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                tally.latencies[kind].append((time.perf_counter() - t) * 1000)
                if head.split(b" ", 2)[1] != b"200":
                    tally.errors[kind] += 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError, StopIteration):
                tally.errors[kind] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                await asyncio.sleep(0.05)
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return tally, time.perf_counter() - started


def load_paths(database_url: str, rng: random.Random) -> list[tuple[str, str]]:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    codes = sorted(active_orphacodes(sessions))
    with sessions() as s:
        panels = sorted(s.scalars(select(Panel.slug)))
        links = load_permalinks(s)  # English pages are at the English slug
    engine.dispose()
    rng.shuffle(codes)
    out: list[tuple[str, str]] = []
    for i in range(max(len(QUERIES), 200)):
        lang = "nl" if i % 2 else "en"
        q = QUERIES[i % len(QUERIES)]
        out.append(("search API", "/api/search?" + urlencode({"q": q, "lang": lang})))
        seg = "/nl/zoeken?" if lang == "nl" else "/en/search?"
        out.append(("results page", seg + urlencode({"q": q})))
        out.append(("condition page", entity_path("condition", codes[i % len(codes)], lang)))
        out.append(("panel page", links.path("panel", panels[i % len(panels)], lang)))
    return out


# -- an editor publishing through the editor area -------------------------------------------


def _csrf(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    if found is None:
        raise RuntimeError("no CSRF token in the page")
    return found.group(1)


def _form_values(page: str, action: str) -> dict[str, str]:
    start = page.index(f'action="{action}"')
    part = page[start : page.index("</form>", start)]
    values: dict[str, str] = {}
    for m in re.finditer(r"<input([^>]*)>", part):
        name = re.search(r'name="([^"]+)"', m.group(1))
        value = re.search(r'value="([^"]*)"', m.group(1))
        if name and 'type="submit"' not in m.group(1):
            values[name.group(1)] = htmllib.unescape(value.group(1)) if value else ""
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', part, re.S):
        values[m.group(1)] = htmllib.unescape(m.group(2))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', part, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', m.group(2))
        values[m.group(1)] = htmllib.unescape(chosen.group(1)) if chosen else ""
    return values


def _logged_in(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    path = "/nl/redactie/inloggen"
    token = _csrf(client.get(path).text)
    r = client.post(path, data={"csrf_token": token, "email": email, "password": PASSWORD})
    if r.status_code != 303:
        raise RuntimeError(f"login as {email}: HTTP {r.status_code}")
    return client


def publish(base: str, word: str) -> None:
    """An editor adds ``word`` to a condition's Dutch synonyms; a reviewer approves."""
    editor = _logged_in(base, EDITOR)
    try:
        data = _form_values(editor.get(EDIT_URL).text, EDIT_URL)
        data["synonyms_nl"] = (data.get("synonyms_nl", "") + "\n" + word).strip()
        data["reason"] = "fault bench"
        r = editor.post(EDIT_URL, data=data)
        if r.status_code != 303:
            raise RuntimeError(f"saving the draft: HTTP {r.status_code}")
        draft = r.headers["location"].split("?")[0]
    finally:
        editor.close()
    reviewer = _logged_in(base, REVIEWER)
    try:
        token = _csrf(reviewer.get(draft).text)
        r = reviewer.post(draft, data={"csrf_token": token, "action": "approve"})
        if r.status_code != 303 or "done=published" not in r.headers.get("location", ""):
            raise RuntimeError(f"approving: HTTP {r.status_code}")
    finally:
        reviewer.close()


def finds(base: str, word: str) -> bool:
    r = httpx.get(base + "/nl/zoeken", params={"q": word}, timeout=30)
    return f'href="/nl/aandoening/{CONDITION}"' in r.text


# -- doctor ------------------------------------------------------------------------------------


def doctor(env: dict[str, str]) -> tuple[bool, bool, str]:
    """(catalogue, migrations and index consistent; nothing at all found; what it said)."""
    out = subprocess.run([*CLI, "doctor"], env=env, capture_output=True, text=True).stdout
    problems = [line for line in out.splitlines() if line.startswith("PROBLEM")]
    consistent = not [p for p in problems if p.split()[1].rstrip(":") in CONSISTENT]
    said = "; ".join(p.removeprefix("PROBLEM").strip()[:90] for p in problems) or "in order"
    return consistent, not problems, said


def killed_at_random(
    command: list[str], env: dict[str, str], rng: random.Random, longest: float
) -> tuple[float, int | None]:
    """Run ``command``; ``kill -9`` it after a random part of ``longest`` seconds.
    (seconds, exit code when it ended by itself first, else None)."""
    at = rng.uniform(0.05, 1.0) * longest
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        code = proc.wait(at)
        return at, code
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return at, None


def timed(command: list[str], env: dict[str, str]) -> float:
    t = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.monotonic() - t


# -- the bench ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--publish-every", type=float, default=5)
    parser.add_argument("--kills", type=int, default=3, help="rounds of each fault")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument(
        "--catalogue", type=Path, help="a migrated, imported SQLite catalogue to copy"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="exw-fault-bench-") as tmp:
        var = Path(tmp)
        t = time.perf_counter()
        if args.catalogue:
            with (
                sqlite3.connect(args.catalogue) as src,
                sqlite3.connect(var / "catalogue.sqlite3") as dst,
            ):
                src.backup(dst)
            # No index here: the timed run below builds the first one.
            env = {
                "EXW_DATABASE_URL": f"sqlite:///{var / 'catalogue.sqlite3'}",
                "EXW_SEARCH_INDEX_PATH": str(var / "index.sqlite3"),
                "EXW_VAR_DIR": str(var),
            }
        else:
            env = build_catalogue(var)
        build_s = time.perf_counter() - t
        env = {
            **os.environ,
            **env,
            "EXW_SECRET_KEY": "fault-bench-" + "k" * 40,
            "EXW_BASE_URL": "http://127.0.0.1",
        }
        settings = Settings.from_env(env)
        engine = make_engine(settings.database_url)
        sessions = make_session_factory(engine)
        editorial = EditorialService(sessions, CatalogueService(sessions, EDITOR_CORRECTIONS))
        editorial.add_user(EDITOR, "Bench Editor", "editor", PASSWORD)
        editorial.add_user(REVIEWER, "Bench Reviewer", "reviewer", PASSWORD)
        engine.dispose()
        paths = load_paths(settings.database_url, rng)
        index_s = timed([*CLI, "index"], env)
        import_s = timed([*CLI, "import", "orphanet"], env)
        timed([*CLI, "index"], env)
        node = Node(env, args.workers, var / "server.log")
        node.start()

        # -- load, while an editor publishes and the index is rebuilt beside the server --
        stop = threading.Event()
        published: list[str] = []
        trouble: list[str] = []
        index_runs = [0]

        def publisher() -> None:
            n = 0
            while not stop.wait(args.publish_every if n else 1.0):
                n += 1
                word = f"foutbankwoord{n}x{rng.randrange(10**6)}"
                try:
                    publish(node.base, word)
                    published.append(word)
                except Exception as exc:
                    trouble.append(f"publish: {exc}")

        def reindexer() -> None:
            while not stop.is_set():
                code = subprocess.run([*CLI, "index"], env=env, capture_output=True).returncode
                if code:
                    trouble.append(f"expertisewijzer index exited {code}")
                index_runs[0] += 1

        helpers = [threading.Thread(target=f, daemon=True) for f in (publisher, reindexer)]
        for h in helpers:
            h.start()
        tally, secs = asyncio.run(load(node.port, paths, args.concurrency, args.seconds))
        stop.set()
        for h in helpers:
            h.join(300)
        caught_up = None
        if published:
            t = time.monotonic()
            while not finds(node.base, published[-1]) and time.monotonic() - t < 120:
                time.sleep(0.25)
            caught_up = time.monotonic() - t if finds(node.base, published[-1]) else None

        # -- faults --------------------------------------------------------------------------
        faults: list[tuple[str, str, bool, str]] = []

        def after(name: str, what: str) -> None:
            """Recover as an operator would (start a killed server), wait until the server
            says its index is at the catalogue's version, then ask doctor."""
            t = time.monotonic()
            if node.proc is None or node.proc.poll() is not None:
                node.start()
            while time.monotonic() - t < 300:
                try:
                    r = httpx.get(node.base + "/readyz", timeout=10)
                    if r.status_code == 200 and r.json()["checks"]["index"] == "ok":
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            recovered = time.monotonic() - t
            consistent, _clean, said = doctor(env)
            faults.append((name, f"{what}; caught up in {recovered:.1f} s", consistent, said))

        for _round in range(args.kills):
            # The whole server, at a random moment after a publish (its rebuild may run).
            word = f"serverdoodwoord{rng.randrange(10**6)}"
            publish(node.base, word)
            wait = rng.uniform(0, index_s)
            time.sleep(wait)
            node.kill9()
            after("kill -9 server", f"{wait:.1f} s after a publish")
            if not finds(node.base, word):
                faults.append(("", "the word published before the kill is not found", False, ""))
            # expertisewijzer index, at a random moment of its run.
            at, code = killed_at_random([*CLI, "index"], env, rng, index_s)
            after(
                "kill -9 index", f"at {at:.1f} s" + (f" (ended first: {code})" * (code is not None))
            )
            # expertisewijzer import of a source, at a random moment of its run.
            at, code = killed_at_random([*CLI, "import", "orphanet"], env, rng, import_s)
            after(
                "kill -9 import orphanet",
                f"at {at:.1f} s" + (f" (ended first: {code})" * (code is not None)),
            )
        timed([*CLI, "index"], env)
        final_consistent, final_clean, final_said = doctor(env)
        node.stop()
        shutil.rmtree(var, ignore_errors=True)
    load_after = os.getloadavg()

    print(
        f"Load and fault bench · {platform.python_implementation()} {platform.python_version()} "
        f"· {os.cpu_count()} CPUs · {args.workers} uvicorn worker(s) · {args.concurrency} "
        f"connections for {args.seconds:g} s · catalogue built in {build_s:.0f} s, indexed in "
        f"{index_s:.1f} s, Orphanet imported in {import_s:.1f} s · load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print()
    print(
        "| while publishing and reindexing | requests | errors | p50 ms | p95 ms | p99 ms | req/s |"
    )
    print("|---|---|---|---|---|---|---|")
    every: list[float] = []
    for kind, lat in tally.latencies.items():
        every += lat
        print(
            f"| {kind} | {len(lat)} | {tally.errors[kind]} | {pct(lat, 50):.1f} "
            f"| {pct(lat, 95):.1f} | {pct(lat, 99):.1f} | {len(lat) / secs:.0f} |"
        )
    errors = sum(tally.errors.values())
    print(
        f"| **all** | {len(every)} | {errors} | {pct(every, 50):.1f} | {pct(every, 95):.1f} "
        f"| {pct(every, 99):.1f} | {len(every) / secs:.0f} |"
    )
    print()
    found = "not found" if caught_up is None else f"found {caught_up:.1f} s after the load"
    print(
        f"{len(published)} publishes through the editor area, {index_runs[0]} runs of "
        f"`expertisewijzer index` beside the server; the last published word: {found}."
    )
    for line in trouble:
        print(f"  trouble: {line}")
    print()
    print("| fault | when | doctor after recovery: catalogue and index consistent | doctor said |")
    print("|---|---|---|---|")
    for name, what, consistent, said in faults:
        print(f"| {name} | {what} | {'yes' if consistent else 'NO'} | {said} |")
    print(
        f"| final, after `expertisewijzer index` | | {'yes' if final_consistent else 'NO'} "
        f"| {final_said} |"
    )
    ok = (
        not errors
        and not trouble
        and caught_up is not None
        and all(c for _n, _w, c, _s in faults)
        and final_clean
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
