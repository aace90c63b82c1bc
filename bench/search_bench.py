"""Search benchmark: latency and relevance of the embedded engine against a naive baseline.

    .venv/bin/python bench/search_bench.py [--passes 3] [--requests 3000] [--runs 3]

Prints one table. In one run, on this machine:

* the bundled catalogue is imported into a fresh SQLite database and indexed,
  and a synthetic catalogue 20 times larger is derived from it (every document
  19 more times, with other qualifiers, made-up eponyms and moved sites);
* latency p50/p95/p99 of the embedded engine in-process (without its results
  cache), and of ``GET /api/search`` over HTTP from a real ``expertisewijzer
  serve`` process on 127.0.0.1 with 1 and with 32 concurrent clients, with the
  results cache (the default) and without it, for both catalogues (the queries
  are the labelled relevance set, ``tests/data/relevance/queries.csv``, so with
  the cache on, repeated queries are answered from it). Without the cache, on 1
  and on 2 worker processes, ``--runs`` runs each, with every run's p95 and the
  server's CPU time per search printed under the table;
* the baseline: SQL ``LIKE '%query%'`` on the documents' names (titles, synonyms,
  aliases), on the same catalogues, in-process and over HTTP (``like_server.py``,
  served like the site: an async view, the same supervisor and workers); every
  row gives the ratio engine / baseline;
* the peer: PostgreSQL 15 full-text search with ``pg_trgm`` over the same documents
  (``pg_peer.py``: a weighted ``tsvector`` per language with ``unaccent``, the OR of
  the query's words ranked by ``ts_rank`` plus trigram word similarity against the
  names), in a throw-away cluster the bench starts itself, in-process through
  ``psycopg`` on both catalogues;
* relevance (Success@k per class of the labelled set) of the engine, of the baseline
  and of the peer on the real catalogue (the engine's common-cancer card counts as
  what a visitor sees first, ``search.relevance.ranked_ids``).

``--no-http`` skips the HTTP rows (minutes of load generation) for a quick run of
the in-process latency and the relevance.

Latency is wall-clock time; the client runs on the same machine as the server,
so on 2 cores the HTTP figures include the client's share of the CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pg_peer  # noqa: E402
from like_baseline import DB_ENV, baseline_table, like_search  # noqa: E402
from loadgen import Server, get_latencies, pct, triple  # noqa: E402

from config.settings import Settings  # noqa: E402
from directory.conditions.queries import CatalogueQueries  # noqa: E402
from directory.conditions.services import CatalogueService  # noqa: E402
from directory.db import make_engine, make_session_factory  # noqa: E402
from directory.editorial.corrections import EDITOR_CORRECTIONS  # noqa: E402
from importers.registry import SOURCES, run_import  # noqa: E402
from search.documents import all_documents  # noqa: E402
from search.engine import GeoPoint, SearchDocument, SearchQuery  # noqa: E402
from search.engines.embedded import EmbeddedEngine  # noqa: E402
from search.relevance import FLOORS, evaluate, load_queries, ranked_ids, scores  # noqa: E402

QUERIES = ROOT / "tests" / "data" / "relevance" / "queries.csv"
SCALE = 20
QUALIFIERS = (
    "juvenile", "familial", "adult", "pediatric", "cutaneous", "atypical", "recurrent",
    "metastatic", "localized", "congenital", "sporadic", "primary", "secondary", "hereditary",
    "low-grade", "high-grade", "classic", "variant", "infantile",
)  # fmt: skip
SYLLABLES = ("van", "der", "berg", "hof", "ma", "ter", "ling", "sen", "ko", "ra", "dijk", "ven")


# -- catalogues --------------------------------------------------------------------------------


def synthetic(docs: list[SearchDocument], scale: int, seed: int = 20261126) -> list[SearchDocument]:
    """The documents and ``scale - 1`` derived copies of each: other words, same shape."""
    rng = random.Random(seed)
    out = list(docs)
    for copy in range(1, scale):
        for d in docs:
            eponym = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            qualifier = rng.choice(QUALIFIERS)
            out.append(
                dataclasses.replace(
                    d,
                    id=f"{d.id}-s{copy}",
                    entity_id=f"{d.entity_id}-s{copy}",
                    orphacode=None,
                    title_nl=f"{d.title_nl} {qualifier} {eponym}",
                    title_en=f"{d.title_en} {qualifier} {eponym}",
                    names_nl=tuple(f"{n} {eponym}" for n in d.names_nl[:3]),
                    names_en=tuple(f"{qualifier} {n}" for n in d.names_en[:3]),
                    lay_nl=(),
                    lay_en=(),
                    codes=(),
                    parents=(),
                    children=(),
                    locations=tuple(
                        GeoPoint(p.lat + rng.uniform(-0.3, 0.3), p.lon + rng.uniform(-0.3, 0.3))
                        for p in d.locations
                    ),
                    boost=d.boost * 0.9,
                )
            )
    return out


def like_server_argv(workers: int, port: int) -> list[str]:
    script = ROOT / "bench" / "like_server.py"
    return [sys.executable, str(script), "--port", str(port), "--workers", str(workers)]


def engine_search(engine: EmbeddedEngine) -> Callable[[str, str], list[str]]:
    def search(text: str, lang: str) -> list[str]:
        return ranked_ids(engine.search(SearchQuery(text=text, lang=lang)))

    return search


def in_process(
    search: Callable[[str, str], object], queries: Sequence[tuple[str, str]], passes: int
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per query (CPU time does not count waiting for a core)."""
    for q, lang in queries:  # warm the document cache, as a running server has it
        search(q, lang)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(passes):
        for q, lang in queries:
            t, c = time.perf_counter(), time.thread_time()
            search(q, lang)
            cpu.append((time.thread_time() - c) * 1000)
            wall.append((time.perf_counter() - t) * 1000)
    return wall, cpu


# -- HTTP ----------------------------------------------------------------------------------------


# -- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3, help="in-process passes over the set")
    parser.add_argument("--requests", type=int, default=3000, help="HTTP requests per run")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of the goal setting (32 clients, no cache)"
    )
    parser.add_argument(
        "--no-http", dest="http", action="store_false", help="in-process latency and relevance only"
    )
    parser.add_argument(
        "--queries", type=Path, default=QUERIES, help="labelled queries (default: the CI set)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="exw-search-bench-") as tmp, pg_peer.cluster() as pg:
        run(args, Path(tmp), pg)


def run(args: argparse.Namespace, work: Path, pg: str) -> None:
    load_before = os.getloadavg()
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
    for source in SOURCES:
        run_import(service, source, data_dir=ROOT / "data")
    catalogue = CatalogueQueries(sessions)
    gazetteer = catalogue.gazetteer()
    docs = list(all_documents(catalogue))
    big_docs = synthetic(docs, SCALE)

    # In-process figures are without the results cache: every search does the work.
    real = EmbeddedEngine(settings.search_index_path, gazetteer, cache_size=0)
    t = time.perf_counter()
    real.rebuild(docs)
    build_real = time.perf_counter() - t
    big_path = work / "index-20x.sqlite3"
    big = EmbeddedEngine(big_path, gazetteer, cache_size=0)
    t = time.perf_counter()
    big.rebuild(big_docs)
    build_big = time.perf_counter() - t
    like_real = baseline_table(work / "like.sqlite3", docs)
    like_big = baseline_table(work / "like-20x.sqlite3", big_docs)
    t = time.perf_counter()
    peer_real = pg_peer.peer_search(pg_peer.load(pg, docs), pg_peer.codes_of(docs))
    build_peer = time.perf_counter() - t
    peer_big = pg_peer.peer_search(pg_peer.load(pg, big_docs, "20x"), pg_peer.codes_of(big_docs))

    labelled = load_queries(args.queries)
    qs = [(q.query, q.lang) for q in labelled]
    lat = {
        ("real", "engine"): in_process(engine_search(real), qs, args.passes),
        ("real", "like"): in_process(like_search(like_real), qs, args.passes),
        ("20x", "engine"): in_process(engine_search(big), qs, args.passes),
        ("20x", "like"): in_process(like_search(like_big), qs, args.passes),
        ("real", "peer"): in_process(peer_real, qs, args.passes),
        ("20x", "peer"): in_process(peer_big, qs, args.passes),
    }
    http: dict[tuple[str, str], list[float]] = {}
    # Per run of 32 clients without the results cache: p95 (ms) and server CPU per search (ms).
    runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    paths = ["/api/search?" + urlencode({"q": q, "lang": lang}) for q, lang in qs]
    # The labelled queries are grouped by class (all the sentences together, ...): in file
    # order the 32 clients ask 32 queries of one class at once, bursts of the dearest
    # ones (sentences cost three times the median). Visitors' searches arrive mixed, so
    # the runs without the results cache are made both ways: file order and a fixed shuffle.
    mixed = paths[:]
    random.Random(20261203).shuffle(mixed)
    # (label, worker processes, results cache, client concurrencies)
    configs = (("on", 1, "on", (1, 32)), ("off", 1, "off", (32,)), ("off 2w", 2, "off", (32,)))
    for name, index in (("real", settings.search_index_path), ("20x", big_path))[: 2 * args.http]:
        for label, workers, cache, concurrencies in configs:
            server = Server(
                {
                    **env,
                    "EXW_SEARCH_INDEX_PATH": str(index),
                    "EXW_SEARCH_CACHE_SIZE": "2048" if cache == "on" else "0",
                    "EXW_WORKERS": str(workers),
                    "EXW_SECRET_KEY": "bench-only-secret-key-shared-by-the-workers",
                }
            )
            orders = (("", paths), (" mixed", mixed)) if cache == "off" else (("", paths),)
            try:
                for c in concurrencies:
                    for suffix, order in orders:
                        n = min(args.requests, len(qs) * 2) if c == 1 else args.requests
                        repeat = args.runs if cache == "off" else 1
                        pooled: list[float] = []
                        for r in range(repeat):
                            cpu_before = server.cpu_seconds()
                            latencies, errors, _ = asyncio.run(
                                get_latencies(server.port, order, c, n, warm=r == 0)
                            )
                            if errors:
                                raise RuntimeError(f"{errors} searches did not answer 200")
                            per_search = (server.cpu_seconds() - cpu_before) / n * 1000
                            if cache == "off":
                                runs.setdefault((name, f"{c} {label}{suffix}"), []).append(
                                    (pct(latencies, 95), per_search)
                                )
                            pooled += latencies
                        http[(name, f"{c} {label}{suffix}")] = pooled
            finally:
                server.stop()
    # The baseline served the same way: an async view in the event loop, the same
    # supervisor and worker processes, no cache (it has none).
    base_http: dict[tuple[str, str], list[float]] = {}
    tables = (("real", work / "like.sqlite3"), ("20x", work / "like-20x.sqlite3"))
    for name, table in tables[: 2 * args.http]:
        for workers, concurrencies in ((1, (1, 32)), (2, (32,))):
            server = Server(
                {DB_ENV: str(table)},
                argv=functools.partial(like_server_argv, workers),
            )
            try:
                for c in concurrencies:
                    n = min(args.requests, len(qs) * 2) if c == 1 else args.requests
                    latencies, errors, _ = asyncio.run(get_latencies(server.port, paths, c, n))
                    if errors:
                        raise RuntimeError(f"{errors} baseline searches did not answer 200")
                    base_http[(name, f"{c} {workers}w")] = latencies
            finally:
                server.stop()

    rel_engine = scores(evaluate(engine_search(real), labelled))
    rel_like = scores(evaluate(like_search(like_real), labelled))
    rel_peer = scores(evaluate(peer_real, labelled))
    load_after = os.getloadavg()

    print(
        f"Expertisewijzer search benchmark — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} ({os.path.realpath(sys.executable)}), "
        f"SQLite {sqlite3.sqlite_version}; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print(
        f"real catalogue: {len(docs)} documents (index built in {build_real:.1f} s); "
        f"synthetic {SCALE}x: {len(big_docs)} documents (built in {build_big:.1f} s); "
        f"{len(qs)} labelled queries; PostgreSQL peer loaded in {build_peer:.1f} s"
    )
    print()
    head = (
        "measure (latency: p50 / p95 / p99 ms)",
        "catalogue",
        "embedded engine",
        "baseline: SQL LIKE",
        "peer: PostgreSQL FTS",
        "engine / LIKE",
        "engine / peer",
        "goal",
    )
    widths = (44, 9, 22, 22, 22, 16, 16, 13)
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")

    def row(*cells: str) -> None:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")

    def p95_ratio(engine: Sequence[float], base: Sequence[float]) -> str:
        return f"{pct(engine, 95) / pct(base, 95):.2f}x at p95"

    for cat, goal in (("real", "p95 <= 5 ms"), ("20x", "p95 <= 20 ms")):
        wall, cpu = lat[(cat, "engine")]
        base_wall, base_cpu = lat[(cat, "like")]
        peer_wall, peer_cpu = lat[(cat, "peer")]
        row(
            "in-process p50 / p95 / p99 (ms), wall",
            cat,
            triple(wall),
            triple(base_wall),
            triple(peer_wall),
            p95_ratio(wall, base_wall),
            p95_ratio(wall, peer_wall),
            goal,
        )
        row(
            "in-process p50 / p95 / p99 (ms), CPU only",
            cat,
            triple(cpu),
            triple(base_cpu),
            triple(peer_cpu) + " *",
            p95_ratio(cpu, base_cpu),
            "",
            "",
        )
    for cat in ("real", "20x")[: 2 * args.http]:
        for setting, label, base_setting in (
            ("1 on", "1 client, warm results cache", "1 1w"),
            ("32 on", "32 clients, warm results cache", "32 1w"),
            ("32 off", "32 clients, no cache, 1 worker", "32 1w"),
            ("32 off mixed", "32 clients, no cache, 1 worker, mixed", "32 1w"),
            ("32 off 2w", "32 clients, no cache, 2 workers", "32 2w"),
            ("32 off 2w mixed", "32 clients, no cache, 2 workers, mixed", "32 2w"),
        ):
            engine_lat, base_lat = http[(cat, setting)], base_http[(cat, base_setting)]
            row(
                f"HTTP /api/search, {label}",
                cat,
                triple(engine_lat),
                triple(base_lat),
                "-",
                p95_ratio(engine_lat, base_lat),
                "",
                "p95 <= 50 ms" if setting.startswith("32") and cat == "real" else "",
            )
    for cls, (k, floor) in FLOORS.items():
        e, b, pr = rel_engine.get(cls), rel_like.get(cls), rel_peer.get(cls)
        if e is None or b is None or pr is None:
            continue
        row(
            f"Success@{k} {cls} (n={e.n})",
            "real",
            f"{e.at(k):.2f}  (S@1 {e.at(1):.2f})",
            f"{b.at(k):.2f}  (S@1 {b.at(1):.2f})",
            f"{pr.at(k):.2f}  (S@1 {pr.at(1):.2f})",
            f"{e.at(k) / b.at(k):.1f}x" if b.at(k) else "baseline 0",
            f"{e.at(k) / pr.at(k):.1f}x" if pr.at(k) else "peer 0",
            f">= {floor:.2f}",
        )
    overall = {
        name: sum(1 for o in evaluate(search, labelled) if o.rank is not None and o.rank <= 5)
        for name, search in (
            ("engine", engine_search(real)),
            ("LIKE", like_search(like_real)),
            ("peer", peer_real),
        )
    }
    row(
        f"Success@5, all {len(labelled)} queries",
        "real",
        f"{overall['engine'] / len(labelled):.2f}",
        f"{overall['LIKE'] / len(labelled):.2f}",
        f"{overall['peer'] / len(labelled):.2f}",
        "",
        "",
        "",
    )
    print()
    print(
        "* the peer's CPU time is the client's only (psycopg); the search runs in the "
        "PostgreSQL server process, so its wall time is the figure to compare."
    )
    if not args.http:
        return
    print()
    print(
        f"Without the results cache every search is new work. {args.runs} runs of "
        f"{args.requests} searches each from 32 clients (p95 ms; server CPU ms per search, "
        "all worker processes):"
    )
    for (cat, setting), per_run in runs.items():
        procs = "2 workers" if "2w" in setting else "1 worker"
        sequence = "mixed order" if setting.endswith("mixed") else "file order"
        cells = ", ".join(f"{p95:.1f} ({ms:.2f})" for p95, ms in per_run)
        print(f"  {cat:4} catalogue, {procs}, {sequence}: {cells}")
    print(
        "The HTTP goal applies to the bundled catalogue; the 20x rows show how the embedded "
        "engine scales (production-scale catalogues are Meilisearch's job). The HTTP baseline "
        "is bench/like_server.py: the LIKE search behind the same kind of async view, "
        "supervisor and workers, with no cache."
    )


if __name__ == "__main__":
    main()
