"""Benchmark of the walking skeleton: import, index, search latency.

    .venv/bin/python bench/orphanet_bench.py [--queries 200]

Prints one table. Each figure has a baseline measured in the same run:
* import: the full import (parse + validate + write, one transaction per file)
  against parsing the same XML with ElementTree alone;
* index: building the embedded index against copying the catalogue rows;
* search: the embedded engine against a naive SQL ``LIKE`` over names, in
  process, and the search page over HTTP from a real ``expertisewijzer serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadgen import Server, get_latencies, pct  # noqa: E402

from config.settings import Settings  # noqa: E402
from directory.conditions.queries import CatalogueQueries  # noqa: E402
from directory.conditions.services import CatalogueService  # noqa: E402
from directory.db import make_engine, make_session_factory  # noqa: E402
from directory.editorial.corrections import EDITOR_CORRECTIONS  # noqa: E402
from importers.registry import SOURCES, run_import  # noqa: E402
from search.documents import all_documents  # noqa: E402
from search.engine import SearchQuery  # noqa: E402
from search.engines.embedded import EmbeddedEngine  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def make_queries(queries: CatalogueQueries, n: int) -> list[str]:
    """Varied queries: whole names, single words, prefixes, codes, typos, both languages."""
    rng = random.Random(20261126)
    names: list[str] = []
    codes: list[int] = []
    for row in queries.conditions_for_index():
        codes.append(row.orphacode)
        names += [nm.text for nm in row.names]
    out: list[str] = []
    while len(out) < n:
        kind = len(out) % 6
        name = rng.choice(names)
        words = name.split()
        if kind == 0:
            out.append(name)
        elif kind == 1:
            out.append(rng.choice(words))
        elif kind == 2:
            out.append(name[: max(3, len(name) // 2)])
        elif kind == 3:
            out.append(f"ORPHA:{rng.choice(codes)}")
        elif kind == 4:
            w = rng.choice(words)
            i = rng.randrange(len(w))
            out.append(w[:i] + w[i + 1 :] if len(w) > 4 else w)
        else:
            out.append(" ".join(rng.sample(words, min(2, len(words)))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="exw-bench-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)  # leave nothing behind
    env = {
        "EXW_DATABASE_URL": f"sqlite:///{work / 'catalogue.sqlite3'}",
        "EXW_SEARCH_INDEX_PATH": str(work / "index.sqlite3"),
        "EXW_VAR_DIR": str(work),
        # The benchmark serves indexes it made (one synthetic): no server may replace them.
        "EXW_INDEX_CHECK_SECONDS": "0",
    }
    settings = Settings.from_env(env)
    subprocess.run(
        [sys.executable, "-m", "expertisewijzer.cli", "db", "upgrade"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    sessions = make_session_factory(make_engine(settings.database_url))
    service = CatalogueService(sessions, EDITOR_CORRECTIONS)
    data_dir = ROOT / "data"

    files = [data_dir / p for p in SOURCES["orphanet"].bundled]
    t_parse = timed(lambda: [ET.parse(f) for f in files])
    t_import = timed(lambda: run_import(service, "orphanet", data_dir=data_dir))
    t_reimport = timed(lambda: run_import(service, "orphanet", data_dir=data_dir))

    queries = CatalogueQueries(sessions)
    engine = EmbeddedEngine(settings.search_index_path)
    t_copy = timed(lambda: list(queries.conditions_for_index()))
    t_index = timed(lambda: engine.rebuild(all_documents(queries)))

    qs = make_queries(queries, args.queries)
    lat_engine = []
    for q in qs:
        t = time.perf_counter()
        engine.search(SearchQuery(text=q, lang="en", limit=10))
        lat_engine.append((time.perf_counter() - t) * 1000)
    con = sqlite3.connect(work / "catalogue.sqlite3")
    lat_like = []
    for q in qs:
        t = time.perf_counter()
        con.execute(
            "SELECT DISTINCT orphacode FROM condition_name WHERE text LIKE ? LIMIT 10",
            (f"%{q}%",),
        ).fetchall()
        lat_like.append((time.perf_counter() - t) * 1000)

    server = Server({**env, "EXW_SEARCH_CACHE_SIZE": "0"})  # no results cache: every query works
    try:
        paths = ["/en/search?" + urlencode({"q": q}) for q in qs]
        lat_http, errors, _ = asyncio.run(get_latencies(server.port, paths, 1, len(paths)))
        assert errors == 0, f"{errors} search pages did not answer 200"
    finally:
        server.stop()

    print(
        f"Expertisewijzer skeleton benchmark — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.machine()}"
    )
    print()
    print(f"| {'measure':<46} | {'value':>10} | {'baseline':>10} | {'ratio':>7} |")
    print(f"|{'-' * 48}|{'-' * 12}|{'-' * 12}|{'-' * 9}|")

    def row(label: str, value: float, base: float, unit: str) -> None:
        print(
            f"| {label:<46} | {value:>8.1f}{unit:>2} | {base:>8.1f}{unit:>2} | "
            f"{value / base if base else float('nan'):>6.1f}x |"
        )

    row("import bundled Orphanet (3 files) vs parse only", t_import * 1000, t_parse * 1000, "ms")
    row("re-import (no changes) vs parse only", t_reimport * 1000, t_parse * 1000, "ms")
    row("build embedded index vs read catalogue rows", t_index * 1000, t_copy * 1000, "ms")
    for p in (50, 95):
        row(
            f"search p{p}, in-process, embedded vs SQL LIKE",
            pct(lat_engine, p),
            pct(lat_like, p),
            "ms",
        )
    for p in (50, 95):
        row(f"search page p{p}, HTTP c=1 vs in-process", pct(lat_http, p), pct(lat_engine, p), "ms")
    print()
    print(f"{len(qs)} varied queries; mean in-process {statistics.mean(lat_engine):.2f} ms.")


if __name__ == "__main__":
    main()
