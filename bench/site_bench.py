"""Benchmark of the public site: server latency under load, and page weight.

    .venv/bin/python bench/site_bench.py [--requests 640] [--concurrency 32] [--workers 1]

Builds the full bundled catalogue in a temporary directory, starts a real
``expertisewijzer serve`` process (uvicorn, ``--workers`` processes) on a free localhost port, and
prints one table:

* server p50/p95/p99 and requests per second of a results page (varied queries) and of a
  condition page (varied ORPHAcodes) with ``--concurrency`` clients at once, each against
  the same run's baseline: ``/healthz`` under the same load (the cost of the server and
  HTTP alone);
* with the page cache (``web/page_cache.py``) warm: every page asked
  :data:`WARM_PASSES` times before the measurement, so that each worker has it (a
  connection stays with one worker, and a page reaches a given one of 2 workers in a
  pass with a chance of one half: after 10 passes 99.9 %);
* with the page cache cold: each request a condition page no one asked for before
  (up to 1,836 of them), so every request renders;
* and the same pages (the unseen ones first, right after its start, as for the cold
  row) from a second server without a page cache (``EXW_PAGE_CACHE_ENTRIES=0``, the
  site as it was before the cache), in the same run;
* the weight of a results page as a browser loads it (HTML, CSS, script, icon, bytes on
  the wire with headers), against the budget of 100 KB.

The header gives the machine's load average before and after: figures from a machine
that was busy with other work are slower.

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

from config.settings import Settings  # noqa: E402
from directory.db import make_engine, make_session_factory  # noqa: E402
from directory.expertise.export import active_orphacodes  # noqa: E402

BUDGET_BYTES = 100_000
WARM_PASSES = 10
WARM_CODES = 200
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


def measure(
    server: Server, results: list[str], conditions: list[str], c: int, total: int
) -> dict[str, tuple[list[float], int, float]]:
    """Warm (every path several times, not measured), then the measured runs."""
    paths = results + conditions
    for _ in range(WARM_PASSES):  # new connections each pass: each lands on any worker
        asyncio.run(get_latencies(server.port, paths, c, len(paths), warm=False))
    return {
        "health": asyncio.run(get_latencies(server.port, ["/healthz"], c, total)),
        "results": asyncio.run(get_latencies(server.port, results, c, total)),
        "conditions": asyncio.run(get_latencies(server.port, conditions, c, total)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=640)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    total = max(args.concurrency, min(args.requests, 20_000))
    load_before = os.getloadavg()
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
        results = [
            ("/nl/zoeken?" if i % 2 else "/en/search?") + urlencode({"q": q})
            for i, q in enumerate(QUERIES)
        ]
        conditions = [
            f"/nl/aandoening/{c}" if i % 2 else f"/en/condition/{c}"
            for i, c in enumerate(codes[:WARM_CODES])
        ]
        unseen = [
            f"/{p}/{c}" for c in codes[WARM_CODES:] for p in ("nl/aandoening", "en/condition")
        ]
        c = args.concurrency
        server = Server({**env, **workers}, log=var / "server.log")
        try:
            cold = asyncio.run(get_latencies(server.port, unseen, c, len(unseen), warm=False))
            cached = measure(server, results, conditions, c, total)
            weight, parts = page_weight(server.base, "/nl/zoeken?q=sarcoom")
        finally:
            server.stop()
        plain = Server({**env, **workers, "EXW_PAGE_CACHE_ENTRIES": "0"}, log=var / "plain.log")
        try:
            # The same unseen pages, first thing after the start, as the cold row above.
            plain_cold = asyncio.run(get_latencies(plain.port, unseen, c, len(unseen), warm=False))
            uncached = measure(plain, results, conditions, c, total)
        finally:
            plain.stop()
    load_after = os.getloadavg()
    health = cached["health"][0]
    print(
        f"Site benchmark · {platform.python_implementation()} {platform.python_version()} "
        f"· {os.cpu_count()} CPUs · {args.workers} uvicorn worker(s) "
        f"· concurrency {args.concurrency} "
        f"· catalogue built in {build_s:.0f} s "
        f"· load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print()
    print("| page | requests | p50 ms | p95 ms | p99 ms | req/s | errors | baseline p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    rows = [
        ("results page, page cache warm (25 varied queries, nl/en)", cached["results"]),
        ("condition page, page cache warm (200 varied codes, nl/en)", cached["conditions"]),
        (f"condition page, page cache cold ({len(unseen)} pages never asked for)", cold),
        (
            f"condition page, no page cache, the same {len(unseen)} pages first after start",
            plain_cold,
        ),
        ("results page, no page cache (25 varied queries, nl/en)", uncached["results"]),
        ("condition page, no page cache (200 varied codes, nl/en)", uncached["conditions"]),
        ("baseline: /healthz", cached["health"]),
        ("baseline: /healthz (server without page cache)", uncached["health"]),
    ]
    for name, (lat, err, secs) in rows:
        print(row(name, lat, err, secs, health))
    print()
    print("| results page weight | bytes on the wire |")
    print("|---|---|")
    for url, n in parts:
        print(f"| {url} | {n:,} |")
    verdict = "within" if weight < BUDGET_BYTES else "OVER"
    print(f"| **total** ({verdict} the budget of {BUDGET_BYTES:,}) | **{weight:,}** |")
    errors = sum(err for _name, (_lat, err, _secs) in rows)
    return 0 if weight < BUDGET_BYTES and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
