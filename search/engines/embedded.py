"""The embedded search engine: SQLite FTS5 in a file of its own.

A rebuild writes a complete new index file next to the live one and swaps it
in with an atomic rename, so searches never see an empty or half-built index.
Readers notice the swap (the file's inode changes) and reopen.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from search.engine import (
    MAX_LIMIT,
    GeoPoint,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.text import ParsedQuery, fold, parse_query

SCHEMA = """
CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    orphacode INTEGER,
    title_nl TEXT NOT NULL,
    title_nl_lang TEXT NOT NULL,
    title_en TEXT NOT NULL,
    status TEXT NOT NULL,
    boost REAL NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX docs_orphacode ON docs(orphacode);
CREATE INDEX docs_kind ON docs(kind);
CREATE VIRTUAL TABLE fts USING fts5(
    titles, names, codes, body,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3 4'
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# bm25 weights per FTS column: titles, names, codes, body
WEIGHTS = (10.0, 6.0, 8.0, 0.4)


def _fts_phrase(term: str) -> str:
    # Terms are folded to [0-9a-z]; quoting keeps FTS5 operators inert anyway.
    return '"' + term.replace('"', "") + '"'


def haversine_km(a: GeoPoint, b: GeoPoint) -> float:
    r = 6371.0088
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


class EmbeddedEngine:
    """SQLite FTS5 implementation of :class:`search.engine.SearchEngine`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    # -- building ----------------------------------------------------------------

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.new-{os.getpid()}-{threading.get_ident()}")
        tmp.unlink(missing_ok=True)
        n = 0
        try:
            con = sqlite3.connect(tmp)
            try:
                con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
                for rowid, doc in enumerate(documents, start=1):
                    self._insert(con, rowid, doc)
                    n += 1
                con.execute("INSERT INTO meta VALUES ('count', ?)", (str(n),))
                con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
                con.commit()
            finally:
                con.close()
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return n

    @staticmethod
    def _insert(con: sqlite3.Connection, rowid: int, doc: SearchDocument) -> None:
        payload = asdict(doc)
        payload["facets"] = {k: list(v) for k, v in doc.facets.items()}
        con.execute(
            "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                rowid,
                doc.id,
                doc.kind,
                doc.entity_id,
                doc.orphacode,
                doc.title_nl,
                doc.title_nl_lang,
                doc.title_en,
                doc.status,
                doc.boost,
                json.dumps(payload, ensure_ascii=False),
            ),
        )
        con.execute(
            "INSERT INTO fts(rowid, titles, names, codes, body) VALUES (?,?,?,?,?)",
            (
                rowid,
                f"{doc.title_nl} \n {doc.title_en}",
                " \n ".join((*doc.names_nl, *doc.names_en)),
                " ".join(doc.codes),
                f"{doc.text_nl} \n {doc.text_en}",
            ),
        )

    # -- reading -----------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection | None:
        try:
            ino = os.stat(self.path).st_ino
        except FileNotFoundError:
            return None
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is not None and getattr(self._local, "ino", None) == ino:
            return con
        if con is not None:
            con.close()
        con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True)
        self._local.con, self._local.ino = con, ino
        return con

    def count(self) -> int:
        con = self._connection()
        if con is None:
            return 0
        row = con.execute("SELECT value FROM meta WHERE key='count'").fetchone()
        return int(row[0]) if row else 0

    def search(self, query: SearchQuery) -> SearchResults:
        con = self._connection()
        if con is None:
            return SearchResults(hits=(), total=0)
        parsed = parse_query(query.text)
        limit = max(0, min(query.limit, MAX_LIMIT))
        offset = max(0, query.offset)
        scored = self._candidates(con, parsed, query)
        ranked = sorted(scored.values(), key=lambda s: (-s[0], s[1]["id"]))
        total = len(ranked)
        page = ranked[offset : offset + limit]
        hits = tuple(self._hit(row, score, parsed, query) for score, row in page)
        return SearchResults(hits=hits, total=total)

    def _candidates(
        self, con: sqlite3.Connection, parsed: ParsedQuery, query: SearchQuery
    ) -> dict[int, tuple[float, dict[str, Any]]]:
        found: dict[int, tuple[float, dict[str, Any]]] = {}
        kinds = tuple(k for k in query.kinds if k)
        kind_sql = ""
        kind_args: tuple[str, ...] = ()
        if kinds:
            kind_sql = f" AND d.kind IN ({','.join('?' * len(kinds))})"
            kind_args = kinds

        def add(rowid: int, score: float, row: dict[str, Any]) -> None:
            prev = found.get(rowid)
            if prev is None or prev[0] < score:
                found[rowid] = (score, row)

        for code in parsed.orphacodes:
            for r in con.execute(
                "SELECT d.rowid, d.payload, d.boost FROM docs d WHERE d.orphacode = ?" + kind_sql,  # noqa: S608 (kind_sql holds only "?" placeholders)
                (code, *kind_args),
            ):
                add(r[0], 1000.0 * r[2], json.loads(r[1]))
        if parsed.terms:
            phrases = [_fts_phrase(t) + "*" for t in parsed.terms]
            for joiner, factor in ((" AND ", 1.0), (" OR ", 0.2)):
                match = joiner.join(phrases)
                rows = con.execute(
                    "SELECT d.rowid, d.payload, d.boost, bm25(fts, ?, ?, ?, ?) AS rank "
                    "FROM fts JOIN docs d ON d.rowid = fts.rowid "
                    "WHERE fts MATCH ?" + kind_sql + " ORDER BY rank LIMIT 500",
                    (*WEIGHTS, match, *kind_args),
                ).fetchall()
                for rowid, payload, boost, rank in rows:
                    add(rowid, -rank * boost * factor, json.loads(payload))
                if rows or len(phrases) == 1:
                    break
        return found

    @staticmethod
    def _hit(
        row: dict[str, Any], score: float, parsed: ParsedQuery, query: SearchQuery
    ) -> SearchHit:
        lang = query.lang
        if lang == "nl":
            title, title_lang = row["title_nl"], row["title_nl_lang"]
        else:
            title, title_lang = row["title_en"], "en"
        matched: list[str] = []
        if parsed.orphacodes and row.get("orphacode") in parsed.orphacodes:
            matched.append(f"ORPHA:{row['orphacode']}")
        if parsed.terms:
            for name in (*row["names_nl"], *row["names_en"]):
                words = fold(name).split()
                if name not in matched and all(
                    any(w.startswith(t) for w in words) for t in parsed.terms
                ):
                    matched.append(name)
                if len(matched) >= 3:
                    break
        return SearchHit(
            id=row["id"],
            kind=row["kind"],
            entity_id=row["entity_id"],
            title=title,
            title_lang=title_lang,
            orphacode=row.get("orphacode"),
            score=round(score, 4),
            matched=tuple(matched),
        )
