"""The naive search baseline: SQL ``LIKE '%query%'`` on the documents' names.

Used in-process by ``search_bench.py`` and, served over HTTP the way the site
serves its search (``like_server.py``), as the HTTP baseline: an async view that
answers in the event loop, JSON out, the same worker set-up.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from search.engine import SearchDocument

DB_ENV = "BENCH_LIKE_DB"  # where the served baseline finds its table
SQL = "SELECT doc FROM names WHERE name LIKE ? GROUP BY doc ORDER BY min(rowid) LIMIT ?"


def baseline_table(path: Path, docs: Sequence[SearchDocument]) -> sqlite3.Connection:
    """The naive baseline's data: one row per name of a document."""
    con = sqlite3.connect(path, check_same_thread=False)
    con.execute("CREATE TABLE names (doc TEXT NOT NULL, name TEXT NOT NULL)")
    con.executemany(
        "INSERT INTO names VALUES (?, ?)",
        (
            (d.id, name)
            for d in docs
            for name in dict.fromkeys((d.title_nl, d.title_en, *d.names_nl, *d.names_en))
        ),
    )
    con.commit()
    return con


def like_search(con: sqlite3.Connection) -> Callable[[str, str], list[str]]:
    def search(text: str, lang: str, limit: int = 10) -> list[str]:
        rows = con.execute(SQL, (f"%{text.strip()}%", limit)).fetchall()
        return [r[0] for r in rows]

    return search


def create_app() -> Starlette:
    """The baseline over HTTP: ``GET /api/search?q=&lang=`` and ``/healthz``."""
    con = sqlite3.connect(
        f"file:{os.environ[DB_ENV]}?mode=ro&immutable=1", uri=True, check_same_thread=False
    )
    search = like_search(con)

    async def api_search(request: Request) -> Response:
        q = request.query_params.get("q", "")
        lang = request.query_params.get("lang", "nl")
        ids = search(q, lang)
        return JSONResponse({"query": q, "total": len(ids), "hits": [{"id": i} for i in ids]})

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/api/search", api_search), Route("/healthz", health)])
