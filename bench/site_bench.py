"""Benchmark of the public site: server latency under load, and page weight.

    .venv/bin/python bench/site_bench.py [--requests 640] [--concurrency 32] [--workers 1]

Builds the full bundled catalogue in a temporary directory, starts a real
``expertisewijzer serve`` process (uvicorn, ``--workers`` processes) on a free localhost port, and
prints one table:

* server p50/p95/p99 of a results page (varied queries) and of a condition page (varied
  ORPHAcodes) with ``--concurrency`` clients at once, each against the same run's
  baseline: ``/healthz`` under the same load (the cost of the server and HTTP alone);
* the weight of a results page as a browser loads it (HTML, CSS, script, icon, bytes on
  the wire with headers), against the budget of 100 KB.

Only localhost is contacted, with a bounded number of requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadgen import Server, get_latencies, pct  # noqa: E402

from directory.db import make_engine, make_session_factory  # noqa: E402
from directory.export import active_orphacodes  # noqa: E402
from expertisewijzer.settings import Settings  # noqa: E402

BUDGET_BYTES = 100_000
QUERIES = [
    "sarcoom",
    "sarcoma",
    "botkanker",
    "bone cancer",
    "chondrosarcoom",
    "ewing",
    "melanoom oog",
    "uveal melanoma",
    "thymoom",
    "mesothelioom",
    "galwegkanker",
    "cholangiocarcinoma",
    "neuro-endocriene tumor",
    "GIST",
    "ORPHA:178",
    "hoofd-halskanker",
    "zaadbalkanker",
    "testicular cancer",
    "bijnierschorscarcinoom",
    "trofoblast",
    "merkelcelcarcinoom",
    "schildklierkanker",
    "tumor",
    "kanker",
    "leiomyosarcoom 3584",
]


def build_catalogue(var: Path) -> dict[str, str]:
    env = {
        "EXW_DATABASE_URL": f"sqlite:///{var / 'catalogue.sqlite3'}",
        "EXW_SEARCH_INDEX_PATH": str(var / "index.sqlite3"),
        "EXW_VAR_DIR": str(var),
    }
    cli = [sys.executable, "-m", "expertisewijzer.cli"]
    full_env = {**os.environ, **env}
    for args in (["db", "upgrade"], ["import"], ["index"]):
        subprocess.run([*cli, *args], env=full_env, check=True, capture_output=True)
    return env


def page_weight(base: str, path: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes on the wire for a page and everything it loads from our server."""
    parts: list[tuple[str, int]] = []
    with httpx.Client(base_url=base, timeout=30, headers={"accept-encoding": "gzip"}) as c:

        def fetch(url: str) -> str:
            r = c.get(url)
            raw = r.num_bytes_downloaded
            head = sum(len(k) + len(v) + 4 for k, v in r.headers.raw) + 20
            parts.append((url.split("?")[0], raw + head))
            return r.text

        html = fetch(path)
        for ref in re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', html):
            fetch(ref)
    return sum(n for _, n in parts), parts


def row(name: str, lat: list[float], errors: int, secs: float, base: list[float]) -> str:
    return (
        f"| {name} | {len(lat)} | {pct(lat, 50):.1f} | {pct(lat, 95):.1f} | {pct(lat, 99):.1f} "
        f"| {len(lat) / secs:.0f} | {errors} | {pct(base, 95):.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=640)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    total = max(args.concurrency, min(args.requests, 20_000))
    with tempfile.TemporaryDirectory(prefix="exw-site-bench-") as tmp:
        var = Path(tmp)
        t = time.perf_counter()
        env = build_catalogue(var)
        build_s = time.perf_counter() - t
        settings = Settings.from_env(env)
        codes = list(active_orphacodes(make_session_factory(make_engine(settings.database_url))))
        rng = random.Random(20261126)
        rng.shuffle(codes)
        workers = {"EXW_WORKERS": str(args.workers), "EXW_SECRET_KEY": "bench-shared-secret"}
        server = Server({**env, **workers}, log=var / "server.log")
        base = server.base
        try:
            results = [
                ("/nl/zoeken?" if i % 2 else "/en/search?") + urlencode({"q": q})
                for i, q in enumerate(QUERIES)
            ]
            conditions = [
                f"/nl/aandoening/{c}" if i % 2 else f"/en/condition/{c}"
                for i, c in enumerate(codes[:200])
            ]
            # Warm up: the first request of each kind opens indexes and fills caches.
            asyncio.run(get_latencies(server.port, results + conditions, 4, 40, warm=False))
            c = args.concurrency
            health, herr, hs = asyncio.run(get_latencies(server.port, ["/healthz"], c, total))
            res, rerr, rs = asyncio.run(get_latencies(server.port, results, c, total))
            cond, cerr, cs = asyncio.run(get_latencies(server.port, conditions, c, total))
            weight, parts = page_weight(base, "/nl/zoeken?q=sarcoom")
        finally:
            server.stop()
        print(
            f"Site benchmark · {platform.python_implementation()} {platform.python_version()} "
            f"· {os.cpu_count()} CPUs · {args.workers} uvicorn worker(s) "
            f"· concurrency {args.concurrency} "
            f"· catalogue built in {build_s:.0f} s"
        )
        print()
        print("| page | requests | p50 ms | p95 ms | p99 ms | req/s | errors | baseline p95 ms |")
        print("|---|---|---|---|---|---|---|---|")
        print(row("results page (25 varied queries, nl/en)", res, rerr, rs, health))
        print(row("condition page (200 varied codes, nl/en)", cond, cerr, cs, health))
        print(row("baseline: /healthz", health, herr, hs, health))
        print()
        print("| results page weight | bytes on the wire |")
        print("|---|---|")
        for url, n in parts:
            print(f"| {url} | {n:,} |")
        verdict = "within" if weight < BUDGET_BYTES else "OVER"
        print(f"| **total** ({verdict} the budget of {BUDGET_BYTES:,}) | **{weight:,}** |")
        return 0 if weight < BUDGET_BYTES and not (rerr or cerr) else 1


if __name__ == "__main__":
    sys.exit(main())
